"""Joining a shared meeting: keep a pycrdt ``Doc`` in sync with the host, come what may.

pycrdt's ``Provider`` syncs a document over one connection and stops when it drops.
``ShareClient`` wraps it: it connects to the join URL, syncs, and when the host goes away
(a restart, a network blip, a laptop lid) it says so (``LinkState.OFFLINE``) and tries
again by itself with a growing, capped backoff. The document lives across connections:
what was typed offline goes to the host on reconnect (the sync exchanges state vectors,
so nothing is lost or doubled). A refusal (wrong token: 403, another meeting: 404) is
final: retrying would not help, so the client stops and says why.

Presence (who is connected and where they are typing) rides on the same connection as
Yjs *awareness* messages, which pycrdt-websocket's room forwards to everyone; a client
that vanishes without saying goodbye drops out after ``PRESENCE_TIMEOUT_MS``.

Use::

    client = ShareClient(url, doc, name="Min", on_change=redraw)
    async with client:            # runs until the block ends (reconnecting as needed)
        await client.wait_synced()
        client.set_where("item:abc123")

No Textual here: the app runs the client in its own event loop and renders ``state``,
``message`` and ``peers()``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, unquote, urlsplit

import anyio
from anyio.abc import TaskGroup
from pycrdt import Awareness, Doc, Provider, YMessageType, create_awareness_message, read_message
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException

from facilitator.share_server import ACCESS_HEADER, Access, WebsocketChannel

#: A peer that neither updates nor says goodbye is dropped after this long (ms).
PRESENCE_TIMEOUT_MS = 30_000
OPEN_TIMEOUT = 5.0  # seconds to wait for the host to answer a connection


class LinkState(StrEnum):
    """Where the client's link to the host is; the app shows it."""

    CONNECTING = "connecting"
    ONLINE = "online"  # connected and synced
    OFFLINE = "offline"  # lost (or not reached yet): retrying with backoff
    REFUSED = "refused"  # the host said no (token, meeting): final
    CLOSED = "closed"  # stopped by us


@dataclass(frozen=True)
class JoinTarget:
    """A join URL taken apart: ``ws://HOST:PORT/<session id>?token=…``."""

    url: str
    host: str
    port: int
    session_id: str
    room: str  # the URL path, leading slash included (pycrdt-websocket's room name)
    token: str


def parse_join_url(url: str) -> JoinTarget:
    """Check a join URL and take it apart; ``ValueError`` with a message a person can act on."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        raise ValueError(f"not a join URL (it starts ws://HOST:PORT/ID?token=…): {url!r}")
    if not parts.hostname:
        raise ValueError(f"the join URL names no host: {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "wss" else 80)
    except ValueError:
        raise ValueError(f"the join URL's port is not a number: {url!r}") from None
    session_id = unquote(parts.path.lstrip("/"))
    if not session_id:
        raise ValueError(f"the join URL names no meeting (ws://HOST:PORT/ID?token=…): {url!r}")
    token = parse_qs(parts.query).get("token", [""])[0]
    if not token:
        raise ValueError("the join URL has no token (?token=…): copy the whole line the host printed")
    return JoinTarget(url, parts.hostname, port, session_id, parts.path, token)


@dataclass
class Backoff:
    """Delays between attempts: ``first``, then times ``factor``, never above ``cap``.

    A random ``jitter`` fraction is added so that clients a host restart dropped at the
    same moment do not all come back at the same moment.
    """

    first: float = 0.25
    factor: float = 2.0
    cap: float = 5.0
    jitter: float = 0.2

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        base = min(self.cap, self.first * self.factor ** max(0, attempt))
        return base * (1.0 + self.jitter * rand())


@dataclass(frozen=True)
class Peer:
    """Someone in the meeting, from their presence state."""

    client_id: int
    name: str
    where: str  # what they are typing in ("item:<id>", "section:<id>", "" for nowhere)
    is_me: bool = False
    role: str = ""  # "host" for the facilitator


def peers_of(awareness: Awareness) -> list[Peer]:
    """Everyone ``awareness`` knows of with a name, the local one first."""
    out = []
    for client_id, state in sorted(awareness.states.items()):
        if not isinstance(state, dict) or not state.get("name"):
            continue
        out.append(Peer(
            client_id,
            str(state.get("name", "")),
            str(state.get("where", "")),
            client_id == awareness.client_id,
            str(state.get("role", "")),
        ))
    out.sort(key=lambda p: (not p.is_me, p.role != "host", p.name.lower()))
    return out


def set_presence(awareness: Awareness, **fields: Any) -> None:
    """Change some fields of the local presence (only if they differ: each change is sent)."""
    state = dict(awareness.get_local_state() or {})
    new = state | fields
    if new != state or not state:
        awareness.set_local_state(new)


class _AwareChannel(WebsocketChannel):
    """The provider's channel, with awareness messages taken out and given to ``Awareness``."""

    def __init__(self, websocket: ClientConnection, path: str, awareness: Awareness) -> None:
        super().__init__(websocket, path)
        self._awareness = awareness

    async def recv(self) -> bytes:
        while True:
            message = await super().recv()
            if message and message[0] == YMessageType.AWARENESS:
                try:
                    self._awareness.apply_awareness_update(read_message(message[1:]), "remote")
                except Exception:  # a malformed presence message never breaks the notes
                    pass
                continue
            return message


class ShareClient:
    """One joiner's link to a hosted meeting (see the module docstring)."""

    def __init__(
        self,
        url: str,
        doc: Doc,
        *,
        name: str = "",
        on_change: Callable[[], None] | None = None,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[Any]] = anyio.sleep,
        presence_timeout_ms: int = PRESENCE_TIMEOUT_MS,
        to_edit: bool = False,
    ) -> None:
        self.target = parse_join_url(url)
        # A joiner (to_edit) given a follow line is refused with the reason: the host would
        # drop every edit it sent. The host says which token it got (``ACCESS_HEADER``).
        self.to_edit = to_edit
        self.access: Access | None = None  # what the host says the token allows (None: not said)
        self.doc = doc
        self.on_change = on_change
        self.backoff = backoff or Backoff()
        self._sleep = sleep
        self.state = LinkState.CONNECTING
        self.message = "connecting…"
        self.attempts = 0  # failed attempts since the last good connection
        self.connections = 0  # how many times it has been online
        self.awareness = Awareness(doc, outdated_timeout=presence_timeout_ms)
        self._awareness_sub = self.awareness.observe(self._awareness_changed)
        self._websocket: ClientConnection | None = None
        self._synced = anyio.Event()
        self._task_group: TaskGroup | None = None
        self._sends: TaskGroup | None = None  # where presence updates are sent from
        if name:
            set_presence(self.awareness, name=name, where="")

    # -- what the app reads ------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self.state == LinkState.ONLINE

    def peers(self) -> list[Peer]:
        return peers_of(self.awareness)

    def set_where(self, where: str) -> None:
        set_presence(self.awareness, where=where)

    async def wait_synced(self) -> None:
        """Until the first sync with the host is done (the document holds the meeting)."""
        await self._synced.wait()

    # -- running -----------------------------------------------------------------------
    async def __aenter__(self) -> ShareClient:
        self._task_group = anyio.create_task_group()
        await self._task_group.__aenter__()
        self._task_group.start_soon(self.run)
        return self

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        await self.close()
        assert self._task_group is not None
        self._task_group.cancel_scope.cancel()
        return await self._task_group.__aexit__(*exc_info)

    async def close(self) -> None:
        """Say goodbye (presence removed at once for the others) and stop."""
        if self.state == LinkState.CLOSED:
            return
        ws = self._websocket
        if ws is not None:
            self.awareness.unobserve(self._awareness_sub)
            self.awareness.set_local_state(None)
            try:
                with anyio.move_on_after(1.0):
                    await ws.send(create_awareness_message(
                        self.awareness.encode_awareness_update([self.awareness.client_id])
                    ))
                    await ws.close()
            except (ConnectionClosed, OSError):
                pass
        self._set_state(LinkState.CLOSED, "left the meeting")

    async def run(self) -> None:
        """Connect, sync, and reconnect with backoff until closed or refused."""
        async with anyio.create_task_group() as tg:
            self._sends = tg
            await tg.start(self.awareness.start)
            try:
                while self.state not in (LinkState.CLOSED, LinkState.REFUSED):
                    await self._connect_once()
                    if self.state in (LinkState.CLOSED, LinkState.REFUSED):
                        break
                    delay = self.backoff.delay(self.attempts)
                    self.attempts += 1
                    await self._sleep(delay)
            finally:
                tg.cancel_scope.cancel()

    async def _connect_once(self) -> None:
        target = self.target
        if self.state != LinkState.OFFLINE:
            self._set_state(LinkState.CONNECTING, f"connecting to {target.host}:{target.port}…")
        try:
            websocket = await connect(target.url, open_timeout=OPEN_TIMEOUT, max_size=None)
        except InvalidStatus as e:
            code = e.response.status_code
            why = {403: "the host refused the token (copy the whole join line again)",
                   404: f"the host has no meeting {target.session_id!r}"}.get(code, f"the host answered HTTP {code}")
            self._set_state(LinkState.REFUSED, why)
            return
        except InvalidURI as e:
            self._set_state(LinkState.REFUSED, f"bad join URL: {e}")
            return
        except (OSError, TimeoutError, WebSocketException) as e:
            self._went_offline(f"cannot reach {target.host}:{target.port} ({_reason(e)})")
            return
        said = websocket.response.headers.get(ACCESS_HEADER, "") if websocket.response else ""
        self.access = Access(said) if said in tuple(Access) else None
        if self.to_edit and self.access == Access.FOLLOW:
            await websocket.close()
            self._set_state(
                LinkState.REFUSED,
                "that is the follow line (read-only): watch with 'facilitator follow URL', "
                "or ask the host for the join line",
            )
            return
        self._websocket = websocket
        try:
            await self._serve(websocket)
        finally:
            self._websocket = None
            await websocket.close()
        if self.state != LinkState.CLOSED:
            self._went_offline(f"lost the host at {target.host}:{target.port}")

    async def _serve(self, websocket: ClientConnection) -> None:
        provider = Provider(self.doc, _AwareChannel(websocket, self.target.room, self.awareness))

        async def run_provider() -> None:
            try:
                await provider.start()
            except (ConnectionClosed, OSError, anyio.BrokenResourceError):
                pass
            except Exception:  # the link is broken either way; the loop reconnects
                pass
            await websocket.close()

        async def mark_online() -> None:
            await provider.synced.wait()
            self.attempts = 0
            self.connections += 1
            self._synced.set()
            self._set_state(LinkState.ONLINE, f"online {self.target.host}:{self.target.port}")
            await self._send_presence(websocket)

        async with anyio.create_task_group() as tg:
            tg.start_soon(run_provider)
            tg.start_soon(mark_online)
            await websocket.wait_closed()
            tg.cancel_scope.cancel()

    def _went_offline(self, why: str) -> None:
        # Nobody is known to be there while we cannot hear them.
        others = [c for c in self.awareness.states if c != self.awareness.client_id]
        if others:
            self.awareness.remove_awareness_states(others, "offline")
        self._set_state(LinkState.OFFLINE, f"offline — {why}; retrying")

    def _set_state(self, state: LinkState, message: str) -> None:
        self.state, self.message = state, message
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # -- presence --------------------------------------------------------------------
    async def _send_presence(self, websocket: ClientConnection) -> None:
        update = self.awareness.encode_awareness_update([self.awareness.client_id])
        try:
            await websocket.send(create_awareness_message(update))
        except (ConnectionClosed, OSError):
            pass

    def _awareness_changed(self, topic: str, changes: tuple[dict[str, Any], Any]) -> None:
        if topic == "change":
            self._notify()
        if topic != "update" or changes[1] != "local":
            return
        ws, tg = self._websocket, self._sends
        if ws is not None and tg is not None and self.online:
            tg.start_soon(self._send_presence, ws)


def _reason(e: BaseException) -> str:
    text = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return " ".join(str(text).split())
