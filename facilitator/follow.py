"""Following a meeting read-only: the session file watched, the last good state kept.

A follower (a co-host, a shared screen, a browser tab through ``serve-follow``) shows the
presenter view of a meeting someone else runs. It takes no lock and never writes: it
looks at the file's ``stat`` every poll (cheap) and parses it only when that changed.
A file that vanishes or cannot be read (renamed, deleted, a half-written hand edit)
leaves the last good state on screen with a message saying why, until it is back.

The countdown is not copied from the file: the file holds wall-clock start times, and
``reader_engine`` builds a ``Meeting`` from them that counts on ``now()`` (monotonic),
the same way a reopened meeting carries on. That engine has no saver.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from facilitator.engine import Meeting
from facilitator.model import Session

# The facilitator's key hints at the end of a timer line ("paused — F5 resumes"): a
# follower has no such keys, so ``follower_info`` leaves them out.
_KEY_HINT = re.compile(r"\s+—\s+[^—]*\b(?:F\d{1,2}|ctrl\+\w+)\b[^—]*$")


def follower_info(info: str) -> str:
    """A timer's info line without the facilitator's key hint (other remarks stay)."""
    return _KEY_HINT.sub("", info)


@dataclass(frozen=True)
class FollowState:
    """What a follower shows: the last good session (None before the first), and why it may be stale.

    ``version`` grows each time a new session was read, so a view redraws only then.
    """

    session: Session | None
    problem: str = ""
    version: int = 0
    updated_at: float = 0.0  # wall-clock epoch of the last good read


def reader_engine(
    session: Session,
    template=None,
    now: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
) -> Meeting:
    """A ``Meeting`` that only reads: its timers carry on from the saved start times, no saver."""
    return Meeting(session, template, now=now, wall=wall, saver=None)


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    # An atomic save (os.replace) changes the inode; an in-place edit changes mtime or size.
    return (st.st_ino, st.st_dev, st.st_mtime_ns, st.st_size)


class SessionFileWatch:
    """Polls one session file; ``poll()`` returns the new ``FollowState`` when something changed."""

    def __init__(self, path: Path, wall: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.wall = wall
        self._sig: tuple[int, int, int, int] | None = None
        self.state = FollowState(None)

    def poll(self) -> FollowState | None:
        """Look at the file; the new state if it differs from the last poll, else None."""
        from facilitator.store import StoreError, read_session_file

        try:
            sig = _signature(os.stat(self.path))
        except FileNotFoundError:
            return self._problem(None, f"{self.path.name} is gone (renamed or deleted?): last good state shown, waiting for it")
        except OSError as e:
            return self._problem(None, f"cannot look at {self.path.name}: {e.strerror or e}")
        if sig == self._sig:
            return None
        try:
            session = read_session_file(self.path, self.path.stem)
        except StoreError as e:
            # Half written or broken: keep what we showed; the next change is read again.
            reason = str(e).removeprefix(f"{self.path}: ")
            return self._problem(sig, f"cannot read {self.path.name} ({reason}): last good state shown")
        self._sig = sig
        self.state = FollowState(session, "", self.state.version + 1, self.wall())
        return self.state

    def _problem(self, sig: tuple[int, int, int, int] | None, message: str) -> FollowState | None:
        self._sig = sig
        if self.state.problem == message:
            return None
        self.state = FollowState(self.state.session, message, self.state.version, self.state.updated_at)
        return self.state
