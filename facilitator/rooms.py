"""Breakout rooms: reading a room's heading as the archives write it, and writing new ones.

A room is a section of kind ``room``: its heading as written (``Notes for Breakout room 1:
Jupyter Hub``, ``Notes for MyBinder``, ``Notes for Main Room discussion: …``) and its notes.
Topic, number and host are read from that text when asked for, so an imported archive
re-renders byte for byte. A room opened live gets a heading in its template's shape
(``room_heading``) and, when known, its host and members as the first lines of its notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facilitator import lines
from facilitator.model import Section, SectionKind

# "Notes for Breakout room 1: Topic", "Notes for Breakout room: Topic", "Notes for Breakout room 2",
# "Notes for Breakout room JupyterBook / MyST a11y", "Notes for Main Room discussion: Topic",
# "Notes for Topic".
_NOTES_FOR = re.compile(r"^\s*notes\s+for\s+(?P<rest>.*?)\s*$", re.I)
_BREAKOUT = re.compile(r"^break\s*out\s+room\b\s*(?P<num>\d+)?\s*:?\s*(?P<topic>.*)$", re.I)
_MAIN = re.compile(r"^main\s+room\b(?:\s+discussion)?\s*:?\s*(?P<topic>.*)$", re.I)
# Words of a heading about breakouts, and of one that holds suggestions or topics, not notes.
_BREAKOUT_WORDS = ("breakout", "break out", "break-out")
_CONTAINER_WORDS = ("suggestion", "topics", "possible", "sessions")
_HOST_LINE = re.compile(r"^\s*[-*+]\s+host:\s*(?P<host>.+?)\s*$", re.I)
_MEMBERS_LINE = re.compile(r"^\s*[-*+]\s+(?:members|in the room):\s*(?P<who>.+?)\s*$", re.I)


@dataclass(frozen=True)
class RoomHeading:
    """What a room heading says: its number (if any), its topic, whether it is the main room."""

    topic: str
    number: int | None = None
    main: bool = False


def parse_room_heading(heading: str) -> RoomHeading | None:
    """The room a ``Notes for …`` heading names, or None if it is not a room's heading."""
    text = lines.plain_heading(heading) if heading else ""
    m = _NOTES_FOR.match(text or heading)
    if not m:
        return None
    rest = m.group("rest")
    b = _BREAKOUT.match(rest)
    if b:
        return RoomHeading(b.group("topic").strip(), int(b.group("num")) if b.group("num") else None)
    mm = _MAIN.match(rest)
    if mm:
        return RoomHeading(mm.group("topic").strip(), None, main=True)
    return RoomHeading(rest.strip())


def _about_breakouts(heading: str) -> bool:
    plain = lines.plain_heading(heading).lower()
    return any(w in plain for w in _BREAKOUT_WORDS + _CONTAINER_WORDS)


def _is_container(heading: str) -> bool:
    plain = lines.plain_heading(heading).lower()
    return any(w in plain for w in _CONTAINER_WORDS)


def room_kind(heading: str, level: int, previous: list[Section]) -> bool:
    """Whether a heading of an imported meeting starts a breakout room's notes.

    ``Notes for …`` always does. Another heading does at the level of the room just before
    it (``#### Myst`` after ``#### Notes for Breakout room 2``), or one level under a
    heading about breakouts (``#### Myst breakout`` under ``### Possible Breakouts``)
    unless it holds suggestions or topics itself (``#### Breakout Topics``).
    """
    if parse_room_heading(heading) is not None:
        return True
    if not previous or _is_container(heading):
        return False
    last = previous[-1]
    if last.kind == SectionKind.ROOM and last.level == level:
        return True
    parent = next((s for s in reversed(previous) if 0 < s.level < level), None)
    return (
        parent is not None
        and parent.level == level - 1
        and parent.kind != SectionKind.ROOM
        and _about_breakouts(parent.heading)
    )


def room_info(sec: Section) -> RoomHeading:
    """A room section's number, topic and main-room flag (a plain heading is all topic)."""
    parsed = parse_room_heading(sec.heading)
    if parsed is not None:
        return parsed
    return RoomHeading(lines.plain_heading(sec.heading))


def room_host(sec: Section) -> str:
    """The host written as a ``Host: …`` bullet at the top of the room's notes, if any."""
    for ln in sec.body.split("\n")[:3]:
        m = _HOST_LINE.match(ln)
        if m:
            return m.group("host")
    return ""


def room_members(sec: Section) -> list[str]:
    for ln in sec.body.split("\n")[:3]:
        m = _MEMBERS_LINE.match(ln)
        if m:
            return [w.strip() for w in m.group("who").split(",") if w.strip()]
    return []


def room_label(sec: Section) -> str:
    """``1: Jupyter Hub`` / ``Main room: …`` / the topic: for lists and the presenter."""
    info = room_info(sec)
    if info.main:
        return f"Main room: {info.topic}" if info.topic else "Main room"
    if info.number is not None:
        return f"Room {info.number}: {info.topic}" if info.topic else f"Room {info.number}"
    return info.topic or "Room"


DEFAULT_ROOM_HEADING = "Notes for Breakout room {number}: {topic}"
DEFAULT_MAIN_ROOM_HEADING = "Notes for Main Room discussion: {topic}"


def room_heading_text(shape: str, number: int, topic: str) -> str:
    """A new room's heading in the template's shape; no dangling colon without a topic."""
    text = shape.format(number=number, topic=topic).rstrip()
    return text.rstrip(":").rstrip() if not topic.strip() else text


@dataclass
class RoomPlan:
    """A room the facilitator is about to open: topic, optional host, who goes there."""

    topic: str
    host: str = ""
    members: list[str] = field(default_factory=list)
    main: bool = False


def new_room(plan: RoomPlan, number: int, shape: str, main_shape: str, level: int) -> Section:
    """The section of a room opened live: its heading, and host/members as its first bullets."""
    heading = room_heading_text(main_shape if plan.main else shape, number, plan.topic.strip())
    head: list[str] = []
    if plan.host.strip():
        head.append(f"- Host: {plan.host.strip()}")
    if plan.members:
        head.append("- Members: " + ", ".join(m.strip() for m in plan.members if m.strip()))
    body = "\n".join(head) + ("\n" if head else "")
    return Section(kind=SectionKind.ROOM, heading=heading, level=level, body=body)


def suggestion_names(notes: str, people: list[str]) -> list[str]:
    """Who signed up under a suggestion: people named in its sub-bullets (``+1 from Chris``)."""
    found: list[str] = []
    lowered = notes.lower()
    for p in people:
        key = p.strip()
        if key and re.search(r"(?<![\w@])" + re.escape(key.lower()) + r"(?!\w)", lowered) and key not in found:
            found.append(key)
    return found
