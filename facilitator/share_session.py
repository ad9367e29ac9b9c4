"""One process's part in a shared meeting: the host serving it, or a joiner in it.

The meeting screen needs the same few things either way: the shared ``Doc``, a line
saying how the link is (``status_line``), who is there (``peers``), a way to say where
this person is typing (``set_where``), and a coroutine the app runs in its event loop
(``run``). ``HostShare`` serves the document (``share_server``) and keeps the TOML and
the ``.ydoc`` snapshot as the record; ``JoinShare`` follows a host (``share_client``)
and writes nothing to disk.

The host remembers the two tokens (join: edit; follow: watch, read-only) and the port of
each meeting it shares (``<sessions>/.share/<id>.json``, readable by the user only), so
``facilitator host ID`` after a restart (or a crash) serves the same URLs and every joiner
and follower comes back by itself.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import anyio
from pycrdt import Doc

from facilitator.share_client import LinkState, Peer, ShareClient, peers_of, set_presence
from facilitator.share_server import host_meeting, join_url, new_token
from facilitator.store import atomic_write_text

SHARE_DIR = ".share"  # inside the sessions directory (the index skips dot names)
DEFAULT_BIND = "127.0.0.1"


class ShareError(Exception):
    """Sharing cannot start (the port is taken, the address is not this machine's...)."""


# -- what the host remembers ------------------------------------------------------------
@dataclass(frozen=True)
class HostPlan:
    """Where and how a meeting is served: the address, the port, the two tokens."""

    session_id: str
    bind: str
    port: int
    token: str  # to join (edit)
    follow_token: str  # to follow (read-only)

    @property
    def url(self) -> str:
        return join_url(self.bind, self.port, self.session_id, self.token)

    @property
    def follow_url(self) -> str:
        return join_url(self.bind, self.port, self.session_id, self.follow_token)


def _state_path(sessions_dir: Path, session_id: str) -> Path:
    return Path(sessions_dir) / SHARE_DIR / f"{session_id}.json"


def plan_hosting(
    sessions_dir: Path, session_id: str, bind: str | None = None, port: int | None = None, new: bool = False
) -> HostPlan:
    """The tokens and port this meeting was last served with (so joiners' and followers'
    URLs still work), unless told otherwise; fresh tokens the first time (or with ``new``).
    A remembered file from before follow tokens gets a fresh follow token (and keeps its
    join token)."""
    remembered: dict[str, Any] = {}
    path = _state_path(sessions_dir, session_id)
    if not new:
        try:
            remembered = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            remembered = {}
    token = str(remembered.get("token") or "") or new_token()
    follow_token = str(remembered.get("follow_token") or "")
    if not follow_token or follow_token == token:
        follow_token = new_token()
    bind = bind or str(remembered.get("bind") or DEFAULT_BIND)
    if port is None:
        port = int(remembered.get("port") or 0)
    return HostPlan(session_id, bind, int(port), token, follow_token)


def remember_hosting(sessions_dir: Path, plan: HostPlan) -> None:
    path = _state_path(sessions_dir, plan.session_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {"token": plan.token, "follow_token": plan.follow_token, "bind": plan.bind, "port": plan.port}
    atomic_write_text(path, json.dumps(fields) + "\n")
    try:
        os.chmod(path, 0o600)  # the tokens let anyone who reads them into the meeting
    except OSError:
        pass


def snapshot_is_stale(session_path: Path) -> bool:
    """Whether the session was saved after its last shared snapshot (run without sharing since).

    The host writes the two together, the snapshot second; a TOML that is newer was
    edited without the shared document, which then no longer says what the record says.
    """
    from facilitator.shared_doc import snapshot_path

    snap = snapshot_path(session_path)
    try:
        return snap.stat().st_mtime_ns < Path(session_path).stat().st_mtime_ns
    except OSError:
        return False


def discard_stale_snapshot(session_path: Path) -> bool:
    """Remove a stale snapshot (the TOML is the record); True if there was one.

    The next hosting starts its document afresh from the TOML, under a new token: those
    who joined the old document must join again (their old copy would come back doubled).
    """
    from facilitator.shared_doc import snapshot_path

    if not snapshot_is_stale(session_path):
        return False
    try:
        snapshot_path(session_path).unlink()
    except OSError:
        pass
    return True


def bind_socket(plan: HostPlan) -> tuple[socket.socket, HostPlan]:
    """Bind the plan's address now (port 0: a free one), so the URL can be printed first."""
    family = socket.AF_INET6 if ":" in plan.bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((plan.bind, plan.port))
        sock.listen(100)  # taken from now on (bound alone, another could still bind it)
    except OSError as e:
        sock.close()
        if plan.port and e.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ShareError(f"port {plan.port} on {plan.bind} is taken: give another with --port (0: any free one)") from None
        raise ShareError(f"cannot serve on {plan.bind}:{plan.port}: {e.strerror or e}") from None
    sock.setblocking(False)
    port = sock.getsockname()[1]
    return sock, HostPlan(plan.session_id, plan.bind, port, plan.token, plan.follow_token)


# -- the two roles --------------------------------------------------------------------------
class _Share:
    """What both roles share: a stop signal for ``run`` and the one change callback."""

    def __init__(self) -> None:
        self.on_change: Callable[[], None] | None = None
        self._stop = anyio.Event()

    def stop(self) -> None:
        self._stop.set()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change()


class HostShare(_Share):
    """The facilitator's side: serves the meeting's document; its record is on disk."""

    role = "host"

    def __init__(self, doc: Doc, plan: HostPlan, sock: socket.socket | None, name: str) -> None:
        super().__init__()
        self.doc = doc
        self.plan = plan
        self.sock = sock
        self.name = name or "host"
        self.hosted = None
        self.error = ""
        self._where = ""

    @property
    def url(self) -> str:
        return self.plan.url

    @property
    def follow_url(self) -> str:
        return self.plan.follow_url

    @property
    def controls_meeting(self) -> bool:
        return True

    async def run(self) -> None:
        """Serve until ``stop``; the socket is bound already (``bind_socket``)."""
        try:
            async with host_meeting(
                self.doc, self.plan.session_id, host=self.plan.bind, port=self.plan.port,
                token=self.plan.token, follow_token=self.plan.follow_token, sock=self.sock,
            ) as hosted:
                self.hosted = hosted
                assert hosted.awareness is not None
                set_presence(hosted.awareness, name=self.name, role="host", where=self._where)
                hosted.awareness.observe(lambda topic, _changes: topic == "change" and self._notify())
                self._notify()
                await self._stop.wait()
        except OSError as e:
            self.error = f"cannot serve: {e.strerror or e}"
            self._notify()
        finally:
            self.hosted = None

    def peers(self) -> list[Peer]:
        return peers_of(self.hosted.awareness) if self.hosted is not None and self.hosted.awareness else []

    def set_where(self, where: str) -> None:
        self._where = where
        if self.hosted is not None and self.hosted.awareness is not None:
            set_presence(self.hosted.awareness, where=where)

    def status_line(self) -> str:
        if self.error:
            return f"not shared — {self.error}"
        if self.hosted is None:
            return "starting to share…"
        others = len([p for p in self.peers() if not p.is_me])
        return f"hosting {self.plan.bind}:{self.plan.port} · {others} joined"


class JoinShare(_Share):
    """A joiner's side: follows the host's document, reconnecting by itself."""

    role = "joiner"

    def __init__(self, url: str, name: str, **client_options: Any) -> None:
        super().__init__()
        self.doc = Doc()
        self.client = ShareClient(url, self.doc, name=name, on_change=self._notify, to_edit=True, **client_options)

    @property
    def url(self) -> str:
        return self.client.target.url

    @property
    def controls_meeting(self) -> bool:
        return False

    @property
    def state(self) -> LinkState:
        return self.client.state

    async def run(self) -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(self.client.run)
            await self._stop.wait()
            await self.client.close()
            tg.cancel_scope.cancel()

    def peers(self) -> list[Peer]:
        return self.client.peers()

    def set_where(self, where: str) -> None:
        self.client.set_where(where)

    def status_line(self) -> str:
        return self.client.message

