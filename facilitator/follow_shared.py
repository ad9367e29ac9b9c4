"""Following a shared meeting by its follow URL (or a join URL), read-only.

The same ``poll()`` as ``facilitator.follow.SessionFileWatch``, fed by a pycrdt document
that ``facilitator.share_client.ShareClient`` keeps in sync with the host (reconnecting
by itself). With the follow URL the host drops anything this side would write; either
way this side never writes into the document: it only reads it
(``shared_doc.doc_to_session``) when a transaction arrived, at most once a poll. The
countdown comes from the host's shared start time, counted on the follower's own clock
(``facilitator.follow.reader_engine``), so there is no per-second traffic.

pycrdt is imported here, at module level: only ``follow URL`` imports this module.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import anyio
from pycrdt import Doc

from facilitator import shared_doc as sd
from facilitator.follow import FollowState
from facilitator.share_client import LinkState, ShareClient
from facilitator.share_server import FOLLOWER_NAME  # how a follower appears to the host

__all__ = ["FOLLOWER_NAME", "SharedDocFollow"]


class SharedDocFollow:
    """A joined meeting as a follower's source: ``run()`` keeps the link, ``poll()`` reads it."""

    def __init__(
        self,
        url: str,
        wall: Callable[[], float] = time.time,
        name: str = FOLLOWER_NAME,
        **client_options: Any,
    ) -> None:
        self.doc = Doc()
        self.client = ShareClient(url, self.doc, name=name, **client_options)
        self.wall = wall
        self.state = FollowState(None, self.client.message)
        self._dirty = False
        self._subscription = self.doc.observe(self._transaction)

    @property
    def where(self) -> str:
        t = self.client.target
        return f"{t.session_id} at {t.host}:{t.port}"

    def _transaction(self, _event: Any) -> None:
        self._dirty = True  # read on the next poll, outside the transaction

    async def run(self) -> None:
        """Stay joined (reconnecting as needed) until cancelled; then leave the meeting."""
        async with self.client:
            await anyio.sleep_forever()

    def link_problem(self) -> str:
        return "" if self.client.state == LinkState.ONLINE else self.client.message

    def poll(self) -> FollowState | None:
        """The new state if the document or the link changed since the last poll, else None."""
        session, version, updated = self.state.session, self.state.version, self.state.updated_at
        problem = self.link_problem()
        if self._dirty and sd.has_skeleton(self.doc):
            self._dirty = False
            try:
                session = sd.doc_to_session(self.doc)
            except (ValueError, KeyError, TypeError) as e:  # a document this version cannot read
                problem = f"cannot read the shared meeting ({e}): last good state shown"
            else:
                version, updated = version + 1, self.wall()
        if session is None and not problem:
            problem = "joined; waiting for the meeting to arrive…"
        new = FollowState(session, problem, version, updated)
        if new == self.state:
            return None
        self.state = new
        return new

    def close(self) -> None:
        self.doc.unobserve(self._subscription)
