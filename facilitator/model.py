"""The meeting model: what a session holds, independent of files and screens.

Lines people wrote (a check-in line, an agenda item's lead line, a role line) are kept
as written; their parts (name, handle, owner, timebox...) are read from the text when
asked for. That way an imported archive re-renders byte for byte, and editing a field
rewrites only that part of the line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterator

from facilitator import lines

FORMAT_VERSION = 1



class ItemStatus(StrEnum):
    """Where an agenda item is; the values are what session files store."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEFERRED = "deferred"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class SectionKind(StrEnum):
    """What a section's list holds (see ``Section``); ``room`` is one breakout room's notes."""

    CHECKIN = "checkin"
    CELEBRATIONS = "celebrations"
    LIST = "list"
    AGENDA = "agenda"
    TOPIC = "topic"
    ROLES = "roles"
    RAW = "raw"
    ROOM = "room"


ITEM_STATUSES = tuple(ItemStatus)
SESSION_STATUSES = tuple(SessionStatus)
SECTION_KINDS = tuple(SectionKind)


def new_id() -> str:
    """A short random id for agenda items (stable across reorders): 40 random bits as 10
    hex digits, as ``uuid4().hex[:10]`` gave, without importing uuid (and platform): ~2 ms
    before ``open ID``'s first frame."""
    return os.urandom(5).hex()


@dataclass
class Attendee:
    """One check-in line, e.g. ``Min / @minrk / Simula (late)``."""

    text: str

    @property
    def parsed(self) -> lines.CheckinLine:
        return lines.parse_checkin(self.text)

    @property
    def name(self) -> str:
        return self.parsed.name

    @property
    def handle(self) -> str:
        return self.parsed.handle

    @property
    def affiliation(self) -> str:
        return self.parsed.affiliation

    @property
    def is_placeholder(self) -> bool:
        return self.parsed.placeholder

    @property
    def note(self) -> str:
        return self.parsed.note

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attendee:
        return cls(text=str(d["text"]))


@dataclass
class AgendaItem:
    """One agenda item: its lead line as written, its notes (Markdown) and its time."""

    text: str
    notes: str = ""
    status: ItemStatus = ItemStatus.PENDING
    actual_seconds: float = 0.0
    extra_seconds: int = 0
    carried_from: str = ""
    id: str = field(default_factory=new_id)

    @property
    def parsed(self) -> lines.AgendaLine:
        return lines.parse_agenda(self.text)

    @property
    def owner(self) -> str:
        return self.parsed.owner

    @property
    def timebox(self) -> str:
        return self.parsed.timebox

    @property
    def title(self) -> str:
        return self.parsed.title

    @property
    def minutes(self) -> int | None:
        return self.parsed.minutes

    @property
    def planned_seconds(self) -> int:
        """Planned time: the timebox as written plus any extension given live."""
        return (self.minutes or 0) * 60 + self.extra_seconds

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.notes:
            d["notes"] = self.notes
        d["status"] = str(self.status)
        if self.actual_seconds:
            d["actual_seconds"] = round(float(self.actual_seconds), 3)
        if self.extra_seconds:
            d["extra_seconds"] = int(self.extra_seconds)
        if self.carried_from:
            d["carried_from"] = self.carried_from
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AgendaItem:
        status = str(d.get("status", "pending"))
        if status not in ITEM_STATUSES:
            raise ValueError(f"unknown item status {status!r}")
        return cls(
            text=str(d["text"]),
            notes=str(d.get("notes", "")),
            status=ItemStatus(status),
            actual_seconds=float(d.get("actual_seconds", 0.0)),
            extra_seconds=int(d.get("extra_seconds", 0)),
            carried_from=str(d.get("carried_from", "")),
            id=str(d.get("id") or new_id()),
        )


@dataclass
class Section:
    """A part of a meeting under its own heading (or none, for the opening lines).

    ``kind`` says what the list holds: ``checkin`` (attendees), ``celebrations`` and
    ``list`` (free entries), ``roles`` (role lines), ``agenda`` (bulleted items),
    ``topic`` (one item written as a heading, its notes below) or ``raw`` (Markdown kept
    as written). ``intro``/``outro`` hold the Markdown around the list.
    """

    kind: SectionKind
    heading: str = ""
    level: int = 3
    intro: str = ""
    outro: str = ""
    body: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    loose: bool = False
    #: The template's prompt for a check-in list (``*Name (and pronouns...) / ...*``): shown
    #: over the list in the app, not an attendee and not exported (2026 archives drop it).
    prompt: str = ""
    #: For a team that does not run mdformat: the section as it was typed in the imported
    #: file (heading to the next section, blank lines included), and the digest of its
    #: parsed value as rendered then. While the value renders to that digest, the typed
    #: text is written back verbatim (``markdown.render_session``).
    as_typed: str = ""
    typed_digest: str = ""
    #: The same per list bullet (digest of the bullet as rendered -> its typed lines), so
    #: a changed section keeps its untouched bullets as typed.
    typed_items: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The heading without emoji shortcodes, for display."""
        return lines.plain_heading(self.heading) or self.kind

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": str(self.kind), "heading": self.heading, "level": self.level}
        for key in ("intro", "outro", "body"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.loose:
            d["loose"] = True
        if self.prompt:
            d["prompt"] = self.prompt
        if self.attendees:
            d["attendees"] = [a.to_dict() for a in self.attendees]
        if self.entries:
            d["entries"] = list(self.entries)
        if self.items:
            d["items"] = [i.to_dict() for i in self.items]
        if self.as_typed:
            d["as_typed"] = self.as_typed
            d["typed_digest"] = self.typed_digest
        if self.typed_items:
            d["typed_items"] = dict(sorted(self.typed_items.items()))  # a lookup: order is noise
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        kind = str(d.get("kind", "raw"))
        if kind not in SECTION_KINDS:
            raise ValueError(f"unknown section kind {kind!r}")
        return cls(
            kind=SectionKind(kind),
            heading=str(d.get("heading", "")),
            level=int(d.get("level", 3)),
            intro=str(d.get("intro", "")),
            outro=str(d.get("outro", "")),
            body=str(d.get("body", "")),
            loose=bool(d.get("loose", False)),
            prompt=str(d.get("prompt", "")),
            attendees=[Attendee.from_dict(a) for a in d.get("attendees", [])],
            entries=[str(e) for e in d.get("entries", [])],
            items=[AgendaItem.from_dict(i) for i in d.get("items", [])],
            as_typed=str(d.get("as_typed", "")),
            typed_digest=str(d.get("typed_digest", "")),
            typed_items={str(k): str(v) for k, v in dict(d.get("typed_items", {})).items()},
        )


@dataclass
class Clock:
    """What the meeting clock was doing when last saved.

    Wall-clock epoch seconds are stored (not monotonic ones, which mean nothing after a
    restart), so a reopened session keeps counting the time that passed.
    """

    current_item: str = ""
    running: bool = False
    run_started_at: float = 0.0
    meeting_started_at: float = 0.0
    meeting_ended_at: float = 0.0
    # The breakout rooms' one shared timebox: planned and extensions kept apart.
    rooms_open: bool = False
    rooms_planned_seconds: int = 0
    rooms_extra_seconds: int = 0
    rooms_elapsed: float = 0.0
    rooms_running: bool = False
    rooms_run_started_at: float = 0.0

    ROOM_FIELDS = (
        "rooms_open", "rooms_planned_seconds", "rooms_extra_seconds",
        "rooms_elapsed", "rooms_running", "rooms_run_started_at",
    )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "current_item": self.current_item,
            "running": self.running,
            "run_started_at": self.run_started_at,
            "meeting_started_at": self.meeting_started_at,
            "meeting_ended_at": self.meeting_ended_at,
        }
        if self.rooms_open or self.rooms_planned_seconds or self.rooms_elapsed:
            d.update({k: getattr(self, k) for k in self.ROOM_FIELDS})
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clock:
        return cls(
            current_item=str(d.get("current_item", "")),
            running=bool(d.get("running", False)),
            run_started_at=float(d.get("run_started_at", 0.0)),
            meeting_started_at=float(d.get("meeting_started_at", 0.0)),
            meeting_ended_at=float(d.get("meeting_ended_at", 0.0)),
            rooms_open=bool(d.get("rooms_open", False)),
            rooms_planned_seconds=int(d.get("rooms_planned_seconds", 0)),
            rooms_extra_seconds=int(d.get("rooms_extra_seconds", 0)),
            rooms_elapsed=float(d.get("rooms_elapsed", 0.0)),
            rooms_running=bool(d.get("rooms_running", False)),
            rooms_run_started_at=float(d.get("rooms_run_started_at", 0.0)),
        )


DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def date_key(date: str) -> tuple[int, int, int]:
    """Sortable (year, month, day) of an ISO day or month; (0, 0, 0) if it is neither."""
    m = DATE_RE.match(date.strip().split(" ")[0] if date.strip() else "")
    if not m:
        return (0, 0, 0)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


@dataclass
class Session:
    """One meeting, live or past.

    ``heading``/``level`` are the meeting's own heading as written (``## 2024-11-19`` in
    an archive, ``# Team Meeting`` in a single HackMD document). ``cancelled`` holds the
    one-line note of a meeting that did not happen. ``source`` names the file a session
    was imported from: its text is then rendered as written, with no bullets or
    autolinks added. ``front`` is what a document holds above its title.
    ``front_matter`` is a document's YAML (``---``) or TOML (``+++``) front matter, with
    its delimiters and the blank lines after it, byte for byte: it is never formatted.
    """

    id: str
    date: str
    template: str
    title: str = ""
    heading: str = ""
    level: int = 2
    sections: list[Section] = field(default_factory=list)
    cancelled: str = ""
    status: SessionStatus = SessionStatus.PLANNED
    slot_minutes: int = 60
    clock: Clock = field(default_factory=Clock)
    archived_in: str = ""
    source: str = ""
    front: str = ""
    front_matter: str = ""
    issue: str = ""  # the meeting issue's number in the team's issue repository
    #: The form the meeting came in: "document" (a file of its own) or "yearly" (a dated
    #: section of a yearly archive); "" in sessions saved before it was recorded, which
    #: then follow their template.
    form: str = ""
    #: What the imported file holds above the first section (its heading line, lead-in
    #: lines, blank lines) as typed, and the digest of the head as rendered then; see
    #: ``Section.as_typed``. Only for teams that do not run mdformat.
    head_as_typed: str = ""
    head_digest: str = ""

    # -- derived views -------------------------------------------------------------
    @property
    def year(self) -> str:
        m = DATE_RE.match(self.date)
        return m.group(1) if m else ""

    def sections_of(self, *kinds: str) -> Iterator[Section]:
        return (s for s in self.sections if s.kind in kinds)

    @property
    def attendees(self) -> list[Attendee]:
        return [a for s in self.sections_of("checkin") for a in s.attendees if not a.is_placeholder]

    @property
    def agenda_items(self) -> list[AgendaItem]:
        return [i for s in self.sections_of("agenda", "topic") for i in s.items]

    @property
    def celebrations(self) -> list[str]:
        return [e for s in self.sections_of("celebrations") for e in s.entries]

    @property
    def rooms(self) -> list[Section]:
        """The breakout rooms' sections (kind ``room``), in order."""
        return list(self.sections_of(SectionKind.ROOM))

    def find_item(self, item_id: str) -> AgendaItem | None:
        for item in self.agenda_items:
            if item.id == item_id:
                return item
        return None

    @property
    def roles(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for s in self.sections_of("roles"):
            for e in s.entries:
                role = lines.parse_role(e)
                if role:
                    out[role[0]] = role[1]
        return out

    @property
    def planned_minutes(self) -> int:
        return sum(i.minutes or 0 for i in self.agenda_items if i.status != "deferred")

    # -- serialisation -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "date": self.date,
            "title": self.title,
            "template": self.template,
            "heading": self.heading,
            "level": self.level,
            "status": str(self.status),
            "slot_minutes": self.slot_minutes,
        }
        if self.cancelled:
            d["cancelled"] = self.cancelled
        if self.archived_in:
            d["archived_in"] = self.archived_in
        if self.source:
            d["source"] = self.source
        if self.front:
            d["front"] = self.front
        if self.front_matter:
            d["front_matter"] = self.front_matter
        if self.issue:
            d["issue"] = self.issue
        if self.form:
            d["form"] = self.form
        if self.head_as_typed:
            d["head_as_typed"] = self.head_as_typed
            d["head_digest"] = self.head_digest
        d["clock"] = self.clock.to_dict()
        d["sections"] = [s.to_dict() for s in self.sections]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Session:
        version = int(d.get("format_version", 0))
        if version < 1 or version > FORMAT_VERSION:
            raise ValueError(
                f"session format version {version} is not one this release reads "
                f"(it reads 1 to {FORMAT_VERSION})"
            )
        status = str(d.get("status", "planned"))
        if status not in SESSION_STATUSES:
            raise ValueError(f"unknown session status {status!r}")
        for key in ("id", "date", "template"):
            if not isinstance(d.get(key), str) or not d.get(key):
                raise ValueError(f"missing or empty {key!r}")
        return cls(
            id=d["id"],
            date=d["date"],
            template=d["template"],
            title=str(d.get("title", "")),
            heading=str(d.get("heading", "")),
            level=int(d.get("level", 2)),
            status=SessionStatus(status),
            slot_minutes=int(d.get("slot_minutes", 60)),
            cancelled=str(d.get("cancelled", "")),
            archived_in=str(d.get("archived_in", "")),
            source=str(d.get("source", "")),
            front=str(d.get("front", "")),
            front_matter=str(d.get("front_matter", "")),
            issue=str(d.get("issue", "")),
            form=str(d.get("form", "")) if d.get("form") in ("document", "yearly") else "",
            head_as_typed=str(d.get("head_as_typed", "")),
            head_digest=str(d.get("head_digest", "")),
            clock=Clock.from_dict(d.get("clock", {})),
            sections=[Section.from_dict(s) for s in d.get("sections", [])],
        )
