"""What lists of sessions show, without holding whole sessions.

A session's summary (``SessionSummary``), a file of the sessions directory that could not be
read and why (``BrokenFile``), a scan's result (``ScanResult``), a session in the trash
(``TrashedSession``). The store makes them (``facilitator.store``); they have a module of
their own so that opening one session (the meeting's first frame) does not create them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SessionSummary:
    """What a session list shows, without holding the whole session."""

    id: str
    date: str
    heading: str
    title: str
    template: str
    status: str
    attendees: int
    agenda_items: int
    archived_in: str
    path: Path
    mtime: float
    cancelled: str = ""  # the one-line note of a meeting that did not happen
    breakout_rooms: int = 0  # how many breakout rooms' notes the meeting holds


@dataclass(frozen=True)
class BrokenFile:
    """A file in the sessions directory that could not be read, and why."""

    path: Path
    reason: str


@dataclass
class ScanResult:
    """The sessions, newest first, and the files that could not be read."""

    sessions: list[SessionSummary]
    broken: list[BrokenFile]


@dataclass(frozen=True, slots=True)
class TrashedSession:
    """A deleted session in ``.trash/``: the newest copy of its id and when it was deleted."""

    session_id: str
    path: Path
    deleted: float  # epoch seconds (the file's mtime: set when it went to the trash)
