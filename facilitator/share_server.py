"""Serving a shared meeting over WebSockets (pycrdt-websocket on the ``websockets`` library).

The host serves one room per meeting, named by the URL path (``/<session id>``, leading
slash included, as pycrdt-websocket names rooms). Every connection must carry the
meeting's token (``?token=...``, made with ``secrets``); one without it, or with a wrong
one, or for another room, is refused with an HTTP status before any document byte is
sent. The token is a shared secret on a trusted network: anything else goes through an
ssh tunnel or a TLS proxy. Nothing here binds anywhere but where it is told (the CLI's
default will be 127.0.0.1).

Only code that shares imports this module, so the app's first frame never loads
pycrdt or websockets.
"""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import AsyncIterator
from urllib.parse import parse_qs, quote, urlsplit

from pycrdt import Awareness, Channel, Decoder, Doc, Provider, YMessageType, create_awareness_message, read_message
from pycrdt.websocket import WebsocketServer, YRoom
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


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


class _RoomChannel(WebsocketChannel):
    """A joiner's connection as the room sees it, noting whose presence came through it.

    When the connection ends, those presences are removed at once (for everyone), rather
    than lingering until the awareness timeout: a closed terminal leaves the list.
    """

    def __init__(self, websocket, path: str) -> None:
        super().__init__(websocket, path)
        self.client_ids: set[int] = set()

    async def recv(self) -> bytes:
        message = await super().recv()
        if message and message[0] == YMessageType.AWARENESS:
            try:
                decoder = Decoder(read_message(message[1:]))
                for _ in range(decoder.read_var_uint()):
                    self.client_ids.add(decoder.read_var_uint())
                    decoder.read_var_uint()  # clock
                    decoder.read_var_string()  # state
            except Exception:  # a malformed presence message: the room ignores it too
                pass
        return message


@dataclass
class HostedMeeting:
    """A meeting being served: where to join it, its port (useful with port 0), its presence."""

    session_id: str
    host: str
    port: int
    token: str
    awareness: Awareness | None = None

    @property
    def url(self) -> str:
        return join_url(self.host, self.port, self.session_id, self.token)


@asynccontextmanager
async def host_meeting(
    doc: Doc,
    session_id: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    sock=None,  # a socket already bound (the CLI binds first, to print the URL)
) -> AsyncIterator[HostedMeeting]:
    """Serve ``doc`` as the meeting's room until the block ends; connections need the token.

    ``HostedMeeting.awareness`` is the room's presence: the host sets its own state in it
    (``share_client.set_presence``) and reads everyone's (``share_client.peers_of``).
    """
    token = token or new_token()
    name = room_name(session_id)

    def check(connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        if parts.path != name:
            return connection.respond(HTTPStatus.NOT_FOUND, "no such meeting here\n")
        given = parse_qs(parts.query).get("token", [""])[0]
        if not secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
            return connection.respond(HTTPStatus.FORBIDDEN, "a valid token is needed\n")
        return None

    async with WebsocketServer(auto_clean_rooms=False) as server:
        room = YRoom(ydoc=doc, ready=True)
        server.rooms[name] = room
        await server.start_room(room)

        async def handler(connection: ServerConnection) -> None:
            channel = _RoomChannel(connection, name)
            known = list(room.awareness.states)
            if known:  # who is here already (the room itself only forwards changes)
                await connection.send(create_awareness_message(room.awareness.encode_awareness_update(known)))
            try:
                await server.serve(channel)
            finally:
                gone = [c for c in channel.client_ids if c in room.awareness.states]
                if gone:
                    room.awareness.remove_awareness_states(gone, "local")  # "local": broadcast

        where = {"sock": sock} if sock is not None else {"host": host, "port": port}
        async with serve(handler, process_request=check, max_size=None, **where) as ws_server:
            bound = next(iter(ws_server.sockets)).getsockname()[1]
            yield HostedMeeting(session_id, host, bound, token, room.awareness)
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
