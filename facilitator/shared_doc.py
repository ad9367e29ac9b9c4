"""A session as a shared pycrdt document, so several notetakers can type into one meeting.

The document is the live state while a meeting is shared; the session's TOML stays the
record (``doc_to_session`` on the host's usual save). Layout of the ``Doc``:

- ``meta`` (Map): the session's fixed fields (id, date, template, heading...) and
  ``skeleton`` (the format version), written once, when the host first shares it.
- ``sections`` (Array of Map): each section with a stable ``id``; its ``intro``,
  ``outro`` and ``body`` are ``Text``; ``attendees``, ``entries`` and ``items`` are
  Arrays of Maps, each with its own stable ``id`` and its line as ``Text`` (an agenda
  item also has ``notes`` as ``Text``). Ids, not indexes, name things, so an entry added
  at the top by one notetaker does not shift what another is editing.
- ``host`` (Map): the facilitator's state only: session status (the stage), the clock
  (current item *id*, start times, rooms opened...) and each item's status/time. Only
  the host writes it (``write_host_state``); joiners compute the countdown from it.

pycrdt is imported here, at module level, and this module is imported only by code that
shares a meeting, so the app's first frame never loads it. ``Text`` offsets are UTF-8
bytes in pycrdt 0.14: go through ``facilitator.text_offsets`` for positions.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from pycrdt import Array, Doc, Map, Text

from facilitator.model import (
    AgendaItem,
    Attendee,
    Clock,
    ItemStatus,
    Section,
    SectionKind,
    Session,
    SessionStatus,
    new_id,
)
from facilitator.store import atomic_write_text
from facilitator.text_offsets import TextOffsets, normalise_newlines, utf8_len

SKELETON_VERSION = 1
META, SECTIONS, HOST = "meta", "sections", "host"
SNAPSHOT_SUFFIX = ".ydoc"
SNAPSHOT_MAGIC = "facilitator-ydoc 1"

_META_FIELDS = (
    "id", "date", "template", "title", "heading", "cancelled",
    "archived_in", "source", "front", "issue",
    # How the meeting was typed (the document's form, its front matter and typed head):
    # read with a default, so a snapshot written before they were kept still loads.
    "form", "front_matter", "head_as_typed", "head_digest",
)


class SnapshotError(Exception):
    """A snapshot file we cannot read; the session's TOML is still the record."""


def has_skeleton(doc: Doc) -> bool:
    return doc.get(META, type=Map).get("skeleton") is not None


def session_to_doc(session: Session, doc: Doc | None = None) -> Doc:
    """Fill ``doc`` with ``session`` unless it already holds a meeting (then leave it).

    A host that restarts loads its snapshot first and calls this again: the skeleton is
    there, so nothing is added twice. Returns the doc.
    """
    doc = doc if doc is not None else Doc()
    meta = doc.get(META, type=Map)
    sections = doc.get(SECTIONS, type=Array)
    doc.get(HOST, type=Map)
    if has_skeleton(doc):
        return doc
    with doc.transaction(origin="skeleton"):
        for key in _META_FIELDS:
            meta[key] = str(getattr(session, key))
        meta["level"] = int(session.level)
        meta["slot_minutes"] = int(session.slot_minutes)
        for section in session.sections:
            sections.append(_section_map(section))
        meta["skeleton"] = SKELETON_VERSION
    write_host_state(doc, session)
    return doc


def _text(value: str) -> Text:
    return Text(normalise_newlines(value))


def _line_map(text: str, **extra: Any) -> Map:
    return Map({"id": new_id(), "text": _text(text), **extra})


def _section_map(section: Section, sid: str | None = None) -> Map:
    return Map({
        "id": sid or new_id(),
        "kind": str(section.kind),
        "heading": section.heading,
        "level": int(section.level),
        "loose": bool(section.loose),
        "intro": _text(section.intro),
        "outro": _text(section.outro),
        "body": _text(section.body),
        "as_typed": section.as_typed,
        "typed_digest": section.typed_digest,
        "typed_items": Map(dict(section.typed_items)),
        "attendees": Array([_line_map(a.text) for a in section.attendees]),
        "entries": Array([_line_map(e) for e in section.entries]),
        "items": Array([
            Map({
                "id": item.id,
                "text": _text(item.text),
                "notes": _text(item.notes),
                "carried_from": item.carried_from,
            })
            for item in section.items
        ]),
    })


def section_map(section: Section, sid: str | None = None) -> Map:
    """A section as the document holds it (a new ``Map``; its id ``sid``, else a fresh one)."""
    return _section_map(section, sid)


def write_host_state(doc: Doc, session: Session) -> None:
    """The host publishes the facilitator's state: stage, clock, each item's status and time.

    Only the host calls this; it overwrites the ``host`` map's keys in one transaction.
    """
    host = doc.get(HOST, type=Map)
    items = {
        item.id: {
            "status": str(item.status),
            "actual_seconds": float(item.actual_seconds),
            "extra_seconds": int(item.extra_seconds),
        }
        for item in session.agenda_items
    }
    with doc.transaction(origin="host"):
        host["status"] = str(session.status)
        host["clock"] = session.clock.to_dict() | {
            k: getattr(session.clock, k) for k in Clock.ROOM_FIELDS
        }
        host["items"] = items


def doc_to_session(doc: Doc) -> Session:
    """The session the shared document holds now (what the host saves as its TOML)."""
    meta = doc.get(META, type=Map)
    host = doc.get(HOST, type=Map)
    if not has_skeleton(doc):
        raise ValueError("the shared document holds no meeting yet")
    item_state: dict[str, Any] = dict(host.get("items") or {})
    sections = [
        _section_from_map(s, item_state) for s in doc.get(SECTIONS, type=Array)
    ]
    status = str(host.get("status", "planned"))
    return Session(
        id=str(meta["id"]),
        date=str(meta["date"]),
        template=str(meta["template"]),
        title=str(meta.get("title", "")),
        heading=str(meta.get("heading", "")),
        level=int(meta.get("level", 2)),
        sections=sections,
        cancelled=str(meta.get("cancelled", "")),
        status=SessionStatus(status) if status in tuple(SessionStatus) else SessionStatus.LIVE,
        slot_minutes=int(meta.get("slot_minutes", 60)),
        clock=Clock.from_dict(dict(host.get("clock") or {})),
        archived_in=str(meta.get("archived_in", "")),
        source=str(meta.get("source", "")),
        front=str(meta.get("front", "")),
        issue=str(meta.get("issue", "")),
        form=str(meta.get("form", "")) if meta.get("form") in ("document", "yearly") else "",
        front_matter=str(meta.get("front_matter", "")),
        head_as_typed=str(meta.get("head_as_typed", "")),
        head_digest=str(meta.get("head_digest", "")),
    )


def _section_from_map(m: Map, item_state: dict[str, Any]) -> Section:
    kind = str(m["kind"])
    items = []
    for im in m["items"]:
        state = item_state.get(str(im["id"]), {})
        status = str(state.get("status", "pending"))
        items.append(AgendaItem(
            text=str(im["text"]),
            notes=str(im["notes"]),
            status=ItemStatus(status) if status in tuple(ItemStatus) else ItemStatus.PENDING,
            actual_seconds=float(state.get("actual_seconds", 0.0)),
            extra_seconds=int(state.get("extra_seconds", 0)),
            carried_from=str(im.get("carried_from", "")),
            id=str(im["id"]),
        ))
    return Section(
        kind=SectionKind(kind) if kind in tuple(SectionKind) else SectionKind.RAW,
        heading=str(m["heading"]),
        level=int(m["level"]),
        intro=str(m["intro"]),
        outro=str(m["outro"]),
        body=str(m["body"]),
        loose=bool(m["loose"]),
        as_typed=str(m.get("as_typed", "")),
        typed_digest=str(m.get("typed_digest", "")),
        typed_items={str(k): str(v) for k, v in (m.get("typed_items") or {}).items()},
        attendees=[Attendee(text=str(a["text"])) for a in m["attendees"]],
        entries=[str(e["text"]) for e in m["entries"]],
        items=items,
    )


# -- finding things by id ----------------------------------------------------------
def find_item_map(doc: Doc, item_id: str) -> Map | None:
    """The agenda item's map by its stable id (None if nobody has it)."""
    for section in doc.get(SECTIONS, type=Array):
        for item in section["items"]:
            if item["id"] == item_id:
                return item
    return None


def item_notes(doc: Doc, item_id: str) -> Text:
    item = find_item_map(doc, item_id)
    if item is None:
        raise KeyError(item_id)
    return item["notes"]


# -- editing Text by what a notes pane reports ---------------------------------------
def insert_at(text: Text, location: tuple[int, int], value: str) -> None:
    """Insert ``value`` at a TextArea ``(row, column)`` of ``text`` (newlines normalised)."""
    value = normalise_newlines(value)
    if value:
        text.insert(TextOffsets(str(text)).location_to_byte(location), value)


def delete_range(text: Text, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Delete between two TextArea locations (in either order)."""
    offsets = TextOffsets(str(text))
    a, b = sorted((offsets.location_to_byte(start), offsets.location_to_byte(end)))
    if a < b:
        del text[a:b]


def replace_all(text: Text, new: str) -> None:
    """Make ``text`` read ``new`` by changing only the part between common prefix and suffix.

    What a pane whose whole content changed (a paste over everything, an undo) sends:
    the untouched ends keep their identity, so others' concurrent edits there survive.
    """
    old = str(text)
    new = normalise_newlines(new)
    if old == new:
        return
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    offsets = TextOffsets(old)
    a, b = offsets.char_to_byte(p), offsets.char_to_byte(len(old) - s)
    doc = text.doc
    with doc.transaction():
        if a < b:
            del text[a:b]
        middle = new[p:len(new) - s]
        if middle:
            text.insert(a, middle)


def shift_offset(offset: int, delta: list[dict[str, Any]]) -> int:
    """Where a byte offset (a cursor) goes after a remote change given as a ``TextEvent.delta``.

    The delta counts bytes too (``retain``/``delete`` are byte counts, ``insert`` a
    string). Text inserted exactly at the cursor goes after it, so a notetaker's next
    keystroke lands right after their own previous one.
    """
    pos = 0  # where we are in the old text
    shift = 0
    for op in delta:
        if pos > offset:
            break
        if "retain" in op:
            pos += int(op["retain"])
        elif "insert" in op:
            if pos < offset:
                shift += utf8_len(str(op["insert"]))
        elif "delete" in op:
            n = int(op["delete"])
            shift -= max(0, min(pos + n, offset) - pos)
            pos += n
    return max(0, offset + shift)


# -- the host's snapshot beside the session file -------------------------------------
def snapshot_path(session_path: Path) -> Path:
    """``2024-11-19.toml`` -> ``2024-11-19.ydoc`` in the same directory."""
    session_path = Path(session_path)
    return session_path.with_name(session_path.stem + SNAPSHOT_SUFFIX)


def write_snapshot(doc: Doc, path: Path) -> None:
    """The document's full update, atomically (a header line, then base64 of the bytes)."""
    payload = base64.b64encode(doc.get_update()).decode("ascii")
    atomic_write_text(Path(path), f"{SNAPSHOT_MAGIC}\n{payload}\n")


def read_snapshot(path: Path, doc: Doc | None = None) -> Doc:
    """A document rebuilt from a snapshot; ``SnapshotError`` for a file we cannot read."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SnapshotError(f"cannot read snapshot {path}: {e}") from e
    head, _, body = raw.partition("\n")
    if head != SNAPSHOT_MAGIC:
        raise SnapshotError(f"{path} is not a facilitator snapshot")
    try:
        update = base64.b64decode(body.strip(), validate=True)
    except (binascii.Error, ValueError) as e:
        raise SnapshotError(f"snapshot {path} is damaged: {e}") from e
    doc = doc if doc is not None else Doc()
    try:
        doc.apply_update(update)
    except Exception as e:  # pycrdt raises a bare ValueError/RuntimeError for bad bytes
        raise SnapshotError(f"snapshot {path} is damaged: {e}") from e
    if not has_skeleton(doc):
        raise SnapshotError(f"snapshot {path} holds no meeting")
    return doc


def open_host_doc(session: Session, session_path: Path) -> Doc:
    """The host's document: from its snapshot if one is there, else built from the session.

    A restarting host gets back everything typed before it stopped, and the skeleton is
    not created a second time.
    """
    path = snapshot_path(session_path)
    doc = Doc()
    if path.exists():
        read_snapshot(path, doc)
    return session_to_doc(session, doc)
