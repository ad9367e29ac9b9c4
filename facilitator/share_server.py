"""Serving a shared meeting over WebSockets (pycrdt-websocket on the ``websockets`` library).

The host serves one room per meeting, named by the URL path (``/<session id>``, leading
slash included, as pycrdt-websocket names rooms). Every connection must carry one of the
meeting's two tokens (``?token=...``, made with ``secrets``): the join token lets it edit,
the follow token only lets it watch (``Access``). One without a token, or with a wrong one,
or for another room, is refused with an HTTP status before any document byte is sent.

A follow-token connection is read-only here, on the server, not by the client's courtesy:
of what it sends, only its sync step 1 (asking for the document) and its presence reach
the room; its document updates are dropped, and its presence is rewritten to say
"follower (read-only)", whatever name or role it claimed; it may speak only for the
client ids it first claimed (never removing or overwriting anyone else's presence), and
only a few times a second. The tokens are shared secrets
on a trusted network: anything else goes through an ssh tunnel or a TLS proxy. Nothing here binds anywhere but where it is told (the CLI's
default will be 127.0.0.1).

Only code that shares imports this module, so the app's first frame never loads
pycrdt or websockets.
"""

from __future__ import annotations

import json
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import AsyncIterator, Callable
from urllib.parse import parse_qs, quote, urlsplit

from pycrdt import (
    Awareness,
    Channel,
    Decoder,
    Doc,
    Encoder,
    Provider,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    read_message,
)
from pycrdt.websocket import WebsocketServer, YRoom
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


#: The handshake response tells the client what its token lets it do (``Access``), so
#: ``facilitator join`` with a follow line can say so instead of editing into the void.
ACCESS_HEADER = "Facilitator-Access"

#: How a read-only connection appears in everyone's list of who is connected.
FOLLOWER_NAME = "follower (read-only)"
FOLLOWER_ROLE = "follower"


class Access(StrEnum):
    """What a connection's token lets it do."""

    EDIT = "edit"  # the join token: type into the meeting
    FOLLOW = "follow"  # the follow token: watch it, nothing it sends changes the document


def new_token() -> str:
    """A fresh random token for one hosting of a meeting."""
    return secrets.token_urlsafe(16)


def room_name(session_id: str) -> str:
    return "/" + quote(session_id, safe="")


def join_url(host: str, port: int, session_id: str, token: str) -> str:
    """What ``facilitator join`` takes (an IPv6 host in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"ws://{shown}:{port}{room_name(session_id)}?token={quote(token, safe='')}"


class WebsocketChannel(Channel):
    """A ``websockets`` connection as the byte channel pycrdt's providers and rooms speak."""

    def __init__(self, websocket, path: str) -> None:
        self._websocket = websocket
        self._path = path

    @property
    def path(self) -> str:
        return self._path

    async def __anext__(self) -> bytes:
        try:
            return await self.recv()
        except ConnectionClosed:
            raise StopAsyncIteration() from None

    async def send(self, message: bytes) -> None:
        try:
            await self._websocket.send(message)
        except ConnectionClosed:
            pass  # the peer is gone; its receive loop ends and the room forgets it

    async def recv(self) -> bytes:
        message = await self._websocket.recv()
        return message if isinstance(message, bytes) else message.encode("utf-8")


#: A follow connection's presence messages per second the room takes; the rest are dropped
#: (a client renews its presence every 15 s and on each move: a handful a second is plenty).
FOLLOWER_AWARENESS_PER_SECOND = 10
#: How many client ids one follow connection may claim (one app has one; a few to spare).
FOLLOWER_MAX_IDS = 4


def _awareness_entries(update: bytes) -> list[tuple[int, int, str]]:
    """(client id, clock, state JSON) of each state an awareness update carries."""
    decoder = Decoder(update)
    return [
        (decoder.read_var_uint(), decoder.read_var_uint(), decoder.read_var_string())
        for _ in range(decoder.read_var_uint())
    ]


def _leaving(state: str) -> bool:
    return state in ("", "null")  # what pycrdt's awareness reads as a removal


def _follower_presence(entries: list[tuple[int, int, str]]) -> bytes:
    """An awareness update with every state replaced by the follower's presence
    (a state of ``null``, someone leaving, stays as it is)."""
    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    follower = json.dumps({"name": FOLLOWER_NAME, "role": FOLLOWER_ROLE, "where": ""})  # ASCII only
    for client_id, clock, state in entries:
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string("null" if _leaving(state) else follower)
    return encoder.to_bytes()


class _RoomChannel(WebsocketChannel):
    """A connection as the room sees it: whose presence came through it, what it may send.

    When the connection ends, those presences are removed at once (for everyone), rather
    than lingering until the awareness timeout: a closed terminal leaves the list. A
    read-only (follow-token) connection passes only its sync step 1 and its presence
    (rewritten as a follower's) to the room; everything else it sends is dropped here.
    Its presence may only be its own: the ids its first announcement claims (none that
    another connection or the host holds), so it cannot remove or overwrite anyone
    else's; and at most ``FOLLOWER_AWARENESS_PER_SECOND`` such messages a second.
    """

    def __init__(
        self,
        websocket,
        path: str,
        access: Access = Access.EDIT,
        *,
        taken: Callable[[], set[int]] = set,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(websocket, path)
        self.access = access
        self.client_ids: set[int] = set()
        self.dropped = 0  # messages a read-only connection sent that never reached the room
        self._taken = taken  # ids held elsewhere (the host's, other connections')
        self._clock = clock
        self._window = (float("-inf"), 0)  # (start of this second, messages in it)

    async def recv(self) -> bytes:
        while True:
            message = await super().recv()
            if message and message[0] == YMessageType.AWARENESS:
                if self.access == Access.FOLLOW:
                    kept = self._follower_awareness(message)
                    if kept is None:
                        self.dropped += 1
                        continue
                    return kept
                try:
                    self.client_ids.update(c for c, _, _ in _awareness_entries(read_message(message[1:])))
                except Exception:  # a malformed presence message: the room ignores it too
                    pass
                return message
            if self.access == Access.EDIT or self._read_only_may_send(message):
                return message
            self.dropped += 1

    def _follower_awareness(self, message: bytes) -> bytes | None:
        """A follow connection's presence message as the room gets it, or None: dropped
        (too many this second, malformed, or about nobody it owns)."""
        now = self._clock()
        start, count = self._window
        if now - start >= 1.0:
            start, count = now, 0
        if count >= FOLLOWER_AWARENESS_PER_SECOND:
            return None
        self._window = (start, count + 1)
        try:
            entries = _awareness_entries(read_message(message[1:]))
        except Exception:
            return None
        if not self.client_ids:  # its first announcement says who it is
            taken = self._taken()
            claimed = [c for c, _, state in entries if not _leaving(state) and c not in taken]
            self.client_ids.update(claimed[:FOLLOWER_MAX_IDS])
        own = [e for e in entries if e[0] in self.client_ids]
        return create_awareness_message(_follower_presence(own)) if own else None

    @staticmethod
    def _read_only_may_send(message: bytes) -> bool:
        """Only asking for the document: sync step 1 (a state vector, no content)."""
        return len(message) >= 2 and message[0] == YMessageType.SYNC and message[1] == YSyncMessageType.SYNC_STEP1


@dataclass
class HostedMeeting:
    """A meeting being served: where to join or follow it, its port (useful with port 0), its presence."""

    session_id: str
    host: str
    port: int
    token: str
    awareness: Awareness | None = None
    follow_token: str = ""

    @property
    def url(self) -> str:
        return join_url(self.host, self.port, self.session_id, self.token)

    @property
    def follow_url(self) -> str:
        """What ``facilitator follow`` takes: the same shape as the join URL, the read-only token."""
        return join_url(self.host, self.port, self.session_id, self.follow_token)


def access_for(path: str, room: str, token: str, follow_token: str) -> Access | None:
    """What a request for ``path`` (``/ID?token=…``) may do in ``room``; None: refused.

    Both tokens are compared in constant time, whichever matches.
    """
    parts = urlsplit(path)
    if parts.path != room:
        return None
    given = parse_qs(parts.query).get("token", [""])[0].encode("utf-8")
    edit = secrets.compare_digest(given, token.encode("utf-8"))
    follow = bool(follow_token) and secrets.compare_digest(given, follow_token.encode("utf-8"))
    if edit:
        return Access.EDIT
    return Access.FOLLOW if follow else None


@asynccontextmanager
async def host_meeting(
    doc: Doc,
    session_id: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    follow_token: str | None = None,
    sock=None,  # a socket already bound (the CLI binds first, to print the URL)
    clock: Callable[[], float] = time.monotonic,  # for the follow connections' rate limit
) -> AsyncIterator[HostedMeeting]:
    """Serve ``doc`` as the meeting's room until the block ends; connections need a token:
    ``token`` to edit, ``follow_token`` to watch read-only (both made here if not given).

    ``HostedMeeting.awareness`` is the room's presence: the host sets its own state in it
    (``share_client.set_presence``) and reads everyone's (``share_client.peers_of``).
    """
    token = token or new_token()
    follow_token = follow_token or new_token()
    if follow_token == token:
        raise ValueError("the follow token must differ from the join token")
    name = room_name(session_id)

    def check(connection: ServerConnection, request: Request) -> Response | None:
        if urlsplit(request.path).path != name:
            return connection.respond(HTTPStatus.NOT_FOUND, "no such meeting here\n")
        if access_for(request.path, name, token, follow_token) is None:
            return connection.respond(HTTPStatus.FORBIDDEN, "a valid token is needed\n")
        return None

    def tell_access(connection: ServerConnection, request: Request, response: Response) -> None:
        access = access_for(request.path, name, token, follow_token)
        if access is not None and response.status_code == HTTPStatus.SWITCHING_PROTOCOLS:
            response.headers[ACCESS_HEADER] = access.value

    async with WebsocketServer(auto_clean_rooms=False) as server:
        room = YRoom(ydoc=doc, ready=True)
        server.rooms[name] = room
        await server.start_room(room)
        channels: set[_RoomChannel] = set()

        def taken_by_others(me: _RoomChannel) -> set[int]:
            held = {room.awareness.client_id}  # the host's own presence
            for other in channels:
                if other is not me:
                    held |= other.client_ids
            return held

        async def handler(connection: ServerConnection) -> None:
            access = access_for(connection.request.path, name, token, follow_token)
            if access is None:  # checked before the handshake already; never served
                return
            channel = _RoomChannel(connection, name, access, taken=lambda: taken_by_others(channel), clock=clock)
            channels.add(channel)
            known = list(room.awareness.states)
            if known:  # who is here already (the room itself only forwards changes)
                await connection.send(create_awareness_message(room.awareness.encode_awareness_update(known)))
            try:
                await server.serve(channel)
            finally:
                channels.discard(channel)
                gone = [c for c in channel.client_ids if c in room.awareness.states]
                if gone:
                    room.awareness.remove_awareness_states(gone, "local")  # "local": broadcast

        where = {"sock": sock} if sock is not None else {"host": host, "port": port}
        async with serve(handler, process_request=check, process_response=tell_access, max_size=None, **where) as ws_server:
            bound = next(iter(ws_server.sockets)).getsockname()[1]
            yield HostedMeeting(session_id, host, bound, token, room.awareness, follow_token)
            ws_server.close()


@asynccontextmanager
async def joined(url: str, doc: Doc) -> AsyncIterator[Provider]:
    """Keep ``doc`` in sync with a hosted meeting until the block ends (no reconnection yet).

    Raises ``websockets.exceptions.InvalidStatus`` when the host refuses (no or a wrong
    token: 403; another meeting: 404).
    """
    path = urlsplit(url).path
    async with connect(url) as websocket:
        async with Provider(doc, WebsocketChannel(websocket, path)) as provider:
            yield provider
