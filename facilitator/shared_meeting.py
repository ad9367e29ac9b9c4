"""A running meeting kept in step with its shared document, both ways, on host and joiners.

``facilitator.engine.Meeting`` works on a ``Session``; ``facilitator.shared_doc`` maps a
session to a pycrdt ``Doc``. ``SharedMeeting`` joins the two while a meeting is shared:

- **local -> doc**: every change the engine reports is pushed into the document as the
  smallest edit (a list entry added, an item moved, one line retyped), so what others
  were typing elsewhere survives. Notes panes go faster: each keystroke goes in through
  a ``TextLink`` at its exact place (no diffing of the whole text).
- **doc -> local**: a change from someone else is pulled into the same ``Section`` and
  ``AgendaItem`` objects at once (ids, not indexes, find them), so the engine's current
  item and the screen's stages keep their identity; the engine is told afterwards
  (``schedule``), outside the document's transaction.
- Only the host writes the ``host`` map (stage, clock, item times): a joiner's engine
  takes it as it comes (``Meeting.restore_clock``) and counts down locally.

``TextLink`` is one shared ``Text`` as one editor sees it: local edits in by character
position, remote ones out as character operations for the editor to apply where they
belong (the cursor stays where the person was typing), and an ``UndoManager`` that only
tracks this editor's own edits: undo never takes back what someone else typed.
"""

from __future__ import annotations

from typing import Any, Callable

from pycrdt import Array, Doc, Map, Text, UndoManager

from facilitator import shared_doc as sd
from facilitator.engine import Change, Meeting
from facilitator.model import AgendaItem, Attendee, Clock, ItemStatus, Section, SectionKind, Session, SessionStatus, new_id
from facilitator.text_offsets import TextOffsets, normalise_newlines

#: The origin of this process's own changes; anything else came from someone else.
LOCAL = "facilitator.local"
UNDO_GROUP_MS = 500  # keystrokes this close together are undone together
CharOp = tuple[int, int, str]  # (start, end, inserted) in characters, applied in order


# -- one shared text and one editor --------------------------------------------------
def delta_to_char_ops(old: str, delta: list[dict[str, Any]]) -> tuple[list[CharOp], str]:
    """A ``TextEvent.delta`` (UTF-8 byte counts) as character operations on ``old``.

    Each op is applied to the text as the previous ones left it. Returns the ops and the
    new text.
    """
    ops: list[CharOp] = []
    text = old
    byte_pos = 0
    offsets = TextOffsets(text)
    for op in delta:
        if "retain" in op:
            byte_pos += int(op["retain"])
        elif "insert" in op:
            value = op["insert"]
            if not isinstance(value, str):
                continue  # embeds never come from facilitator
            at = offsets.byte_to_char(byte_pos)
            text = text[:at] + value + text[at:]
            ops.append((at, at, value))
            byte_pos += len(value.encode("utf-8"))
            offsets = TextOffsets(text)
        elif "delete" in op:
            start = offsets.byte_to_char(byte_pos)
            end = offsets.byte_to_char(byte_pos + int(op["delete"]))
            if end > start:
                text = text[:start] + text[end:]
                ops.append((start, end, ""))
                offsets = TextOffsets(text)
    return ops, text


def shift_char(pos: int, op: CharOp) -> int:
    """Where a character position (a cursor) goes after one op of someone else's.

    Text inserted exactly at the cursor goes after it, so the next key typed here lands
    right after this person's own previous one; a deletion around the cursor pulls it
    to the start of what was deleted.
    """
    start, end, insert = op
    if pos <= start:
        return pos
    removed = min(end, pos) - start
    return pos - removed + len(insert)


class TextLink:
    """A shared ``Text`` as one editor shows it (``value``), with undo of local edits only."""

    def __init__(
        self,
        text: Text,
        on_remote: Callable[[list[CharOp], str], None] | None = None,
        on_local: Callable[[str], None] | None = None,
    ) -> None:
        self.text = text
        self.doc: Doc = text.doc
        self.value = str(text)
        self.on_remote = on_remote
        self.on_local = on_local
        self.undo_manager = UndoManager(scopes=[text], capture_timeout_millis=UNDO_GROUP_MS)
        self.undo_manager.include_origin(LOCAL)
        self._subscription = text.observe(self._changed)

    def close(self) -> None:
        try:
            self.text.unobserve(self._subscription)
        except Exception:  # the document went first
            pass
        self.on_remote = None

    def local_edit(self, start: int, end: int, insert: str) -> str:
        """The editor replaced characters ``start:end`` of ``value`` with ``insert``.

        Returns what was inserted (``\\r`` normalised: the editor should show that).
        """
        insert = normalise_newlines(insert)
        start, end = sorted((max(0, start), min(end, len(self.value))))
        if start == end and not insert:
            return insert
        offsets = TextOffsets(self.value)
        a, b = offsets.char_to_byte(start), offsets.char_to_byte(end)
        self.value = self.value[:start] + insert + self.value[end:]
        with self.doc.transaction(origin=LOCAL):
            if b > a:
                del self.text[a:b]
            if insert:
                self.text.insert(a, insert)
        if self.on_local is not None:
            self.on_local(self.value)
        return insert

    def undo(self) -> bool:
        return self.undo_manager.undo()

    def redo(self) -> bool:
        return self.undo_manager.redo()

    def _changed(self, event: Any) -> None:
        if event.transaction.origin == LOCAL:
            return
        try:
            ops, self.value = delta_to_char_ops(self.value, event.delta)
        except Exception:
            ops, self.value = [(0, len(self.value), str(self.text))], str(self.text)
        if ops and self.on_remote is not None:
            self.on_remote(ops, self.value)


# -- the session and the document ----------------------------------------------------
_SECTION_SCALARS = ("kind", "heading", "level", "loose", "prompt")
_SECTION_TEXTS = ("intro", "outro", "body")


class SharedMeeting:
    """Keeps ``engine.session`` and ``doc`` in step (see the module docstring)."""

    def __init__(
        self,
        doc: Doc,
        engine: Meeting,
        *,
        is_host: bool,
        schedule: Callable[[Callable[[], None]], Any] | None = None,
    ) -> None:
        self.doc = doc
        # The root types, got once: ``doc.get`` cannot run inside an observer's transaction.
        self._root_sections: Array = doc.get(sd.SECTIONS, type=Array)
        self._root_host: Map = doc.get(sd.HOST, type=Map)
        self.engine = engine
        self.session: Session = engine.session
        self.is_host = is_host
        self.error = ""  # the last change that could not be shared, if any
        self.on_error: Callable[[str], None] | None = None
        engine.controls_meeting = is_host  # only the host moves the meeting on
        self.schedule = schedule
        self._sections: dict[str, Section] = {}  # doc section id -> the session's object
        self._section_ids: dict[int, str] = {}  # id(section) -> doc section id
        self._pulling = False
        self._pending: set[Change] = set()
        self._bind_sections()
        self.pull()  # the document wins at the start (a restarted host's snapshot, a joiner)
        self._subscriptions = [
            (self._root_sections, self._root_sections.observe_deep(self._doc_changed)),
            (self._root_host, self._root_host.observe_deep(self._doc_changed)),
        ]
        engine.subscribe(self._engine_changed)
        if is_host:
            self.publish_host_state()

    def close(self) -> None:
        self.engine.unsubscribe(self._engine_changed)
        for shared, sub in self._subscriptions:
            try:
                shared.unobserve(sub)
            except Exception:
                pass
        self._subscriptions = []

    # -- ids ---------------------------------------------------------------------------
    def section_id(self, section: Section) -> str:
        sid = self._section_ids.get(id(section))
        if sid is None:
            sid = new_id()
            self._section_ids[id(section)] = sid
            self._sections[sid] = section
        return sid

    def _bind(self, section: Section, sid: str) -> None:
        self._section_ids[id(section)] = sid
        self._sections[sid] = section

    def _bind_sections(self) -> None:
        """Pair the session's sections with the document's, in order (same meeting, same shape)."""
        maps = list(self._root_sections)
        for sec, m in zip(self.session.sections, maps):
            if str(m["kind"]) == str(sec.kind):
                self._bind(sec, str(m["id"]))

    def item_notes(self, item: AgendaItem) -> Text | None:
        m = sd.find_item_map(self.doc, item.id)
        return m["notes"] if m is not None else None

    def section_body(self, section: Section) -> Text | None:
        sid = self._section_ids.get(id(section))
        for m in self._root_sections:
            if str(m["id"]) == sid:
                return m["body"]
        return None

    def link_item_notes(self, item: AgendaItem, on_remote: Callable[[list[CharOp], str], None]) -> TextLink | None:
        """A ``TextLink`` on an item's notes for an editor; local keystrokes update the item too."""
        text = self.item_notes(item)
        if text is None:
            return None
        return TextLink(text, on_remote, on_local=lambda value: setattr(item, "notes", value))

    def link_section_body(self, section: Section, on_remote: Callable[[list[CharOp], str], None]) -> TextLink | None:
        """A ``TextLink`` on a section's text (a room's notes, a raw section) for an editor."""
        text = self.section_body(section)
        if text is None:
            return None
        return TextLink(text, on_remote, on_local=lambda value: setattr(section, "body", value))

    def where(self, section: Section | None, item: AgendaItem | None) -> str:
        """A presence ``where`` for a stage: the item, else the section, by id."""
        if item is not None:
            return f"item:{item.id}"
        if section is not None:
            return f"section:{self.section_id(section)}"
        return ""

    def describe_where(self, where: str) -> str:
        """What a presence ``where`` names, for people to read."""
        kind, _, key = where.partition(":")
        if kind == "item":
            item = self.session.find_item(key)
            return (item.title or item.text) if item is not None else ""
        if kind == "section":
            sec = self._sections.get(key)
            return sec.title if sec is not None else ""
        return ""

    # -- local -> doc --------------------------------------------------------------------
    def _engine_changed(self, change: Change) -> None:
        if self._pulling:
            return
        try:
            self.push()
            if self.is_host and change != Change.CONTENT:
                self.publish_host_state()
        except Exception as e:  # the local meeting goes on; the next change tries again
            self.error = f"not shared: {type(e).__name__}: {e}"
            if self.on_error is not None:
                self.on_error(self.error)
            return
        self.error = ""

    def publish_host_state(self) -> None:
        """The facilitator's state into the ``host`` map (the host only; joiners read it)."""
        if not self.is_host:
            return
        self.engine.sync()
        sd.write_host_state(self.doc, self.session)

    def push(self) -> None:
        """Make the document say what the session says, by the smallest edits."""
        sections = self._root_sections
        with self.doc.transaction(origin=LOCAL):
            want = [self.section_id(s) for s in self.session.sections]
            by_id = {sid: sec for sid, sec in zip(want, self.session.sections)}
            _reorder(sections, want, lambda sid: self._section_map(by_id[sid], sid))
            for sec, m in zip(self.session.sections, sections):
                self._push_section(sec, m)

    def _section_map(self, section: Section, sid: str) -> Map:
        return sd.section_map(section, sid)

    def _push_section(self, sec: Section, m: Map) -> None:
        for key in _SECTION_SCALARS:
            value = _scalar(getattr(sec, key))
            if m.get(key) != value:
                m[key] = value
        for key in _SECTION_TEXTS:
            text = m.get(key)
            if isinstance(text, Text) and str(text) != normalise_newlines(getattr(sec, key)):
                sd.replace_all(text, getattr(sec, key))
        _push_lines(m["attendees"], [a.text for a in sec.attendees])
        _push_lines(m["entries"], list(sec.entries))
        items: Array = m["items"]
        by_id = {i.id: i for i in sec.items}
        _reorder(items, [i.id for i in sec.items], lambda iid: _item_map(by_id[iid]))
        for item, im in zip(sec.items, items):
            for key in ("text", "notes"):
                if str(im[key]) != normalise_newlines(getattr(item, key)):
                    sd.replace_all(im[key], getattr(item, key))
            if im.get("carried_from", "") != item.carried_from:
                im["carried_from"] = item.carried_from

    # -- doc -> local ------------------------------------------------------------------
    def _doc_changed(self, events: list[Any]) -> None:
        if not events or events[0].transaction.origin == LOCAL:
            return
        try:
            changes = self.pull()
        except Exception:  # never break the document's transaction; the next change retries
            return
        if changes:
            self._pending |= changes
            if self.schedule is not None:
                self.schedule(self.deliver)

    def deliver(self) -> None:
        """Tell the engine (and so the screen) what the last remote changes were."""
        pending, self._pending = self._pending, set()
        if not pending:
            return
        self._pulling = True
        try:
            for change in (Change.STRUCTURE, Change.TIMER, Change.CONTENT):
                if change in pending:
                    self.engine.changed(change)
        finally:
            self._pulling = False

    def pull(self) -> set[Change]:
        """Bring the document's content into the session's own objects; what changed."""
        changes: set[Change] = set()
        s = self.session
        items_by_id = {i.id: i for i in s.agenda_items}
        new_sections: list[Section] = []
        for m in self._root_sections:
            sid = str(m["id"])
            sec = self._sections.get(sid)
            if sec is None:
                sec = Section(kind=_kind(str(m["kind"])))
                self._bind(sec, sid)
                changes.add(Change.STRUCTURE)
            changes |= _pull_section(sec, m, items_by_id)
            new_sections.append(sec)
        if [id(x) for x in new_sections] != [id(x) for x in s.sections]:
            s.sections = new_sections
            changes.add(Change.STRUCTURE)
        if not self.is_host and self._pull_host_state():
            changes.add(Change.TIMER)
        return changes

    def _pull_host_state(self) -> bool:
        host = self._root_host
        s = self.session
        before = (s.status, s.clock.to_dict(), [(i.status, i.actual_seconds, i.extra_seconds) for i in s.agenda_items])
        status = str(host.get("status", s.status))
        if status in tuple(SessionStatus):
            s.status = SessionStatus(status)
        clock = host.get("clock")
        if clock is not None:
            s.clock = Clock.from_dict(dict(clock))
        states = dict(host.get("items") or {})
        for item in s.agenda_items:
            st = states.get(item.id)
            if st is None:
                continue
            status = str(st.get("status", "pending"))
            item.status = ItemStatus(status) if status in tuple(ItemStatus) else ItemStatus.PENDING
            item.actual_seconds = float(st.get("actual_seconds", 0.0))
            item.extra_seconds = int(st.get("extra_seconds", 0))
        after = (s.status, s.clock.to_dict(), [(i.status, i.actual_seconds, i.extra_seconds) for i in s.agenda_items])
        if before == after:
            return False
        self.engine.restore_clock()
        return True


# -- helpers -----------------------------------------------------------------------------
def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    return str(value)


def _kind(kind: str) -> SectionKind:
    return SectionKind(kind) if kind in tuple(SectionKind) else SectionKind.RAW


def _item_map(item: AgendaItem) -> Map:
    return Map({
        "id": item.id,
        "text": Text(normalise_newlines(item.text)),
        "notes": Text(normalise_newlines(item.notes)),
        "carried_from": item.carried_from,
    })


def _reorder(array: Array, want: list[str], make: Callable[[str], Map]) -> None:
    """Make ``array`` (Maps with ``id``) hold ``want``'s ids in order; new ones from ``make``.

    Entries that stay in place are not touched (their Text keeps others' edits); one that
    moved is taken out and put back whole.
    """
    keep = set(want)
    have = [str(m["id"]) for m in array]
    if have == want:
        return
    for n in range(len(have) - 1, -1, -1):
        if have[n] not in keep:
            del array[n]
    for pos, wanted in enumerate(want):
        have = [str(m["id"]) for m in array]
        if pos < len(have) and have[pos] == wanted:
            continue
        if wanted in have:
            del array[have.index(wanted)]
        array.insert(pos, make(wanted))


def _push_lines(array: Array, texts: list[str]) -> None:
    """A list of lines (attendees, entries) into an Array of ``{id, text}`` by the smallest edit."""
    have = [str(m["text"]) for m in array]
    texts = [normalise_newlines(t) for t in texts]
    if have == texts:
        return
    p = 0
    while p < min(len(have), len(texts)) and have[p] == texts[p]:
        p += 1
    q = 0
    while q < min(len(have), len(texts)) - p and have[len(have) - 1 - q] == texts[len(texts) - 1 - q]:
        q += 1
    old_mid, new_mid = have[p:len(have) - q], texts[p:len(texts) - q]
    # One line retyped in place keeps its entry (and its id); anything else is replaced.
    if len(old_mid) == len(new_mid) == 1:
        sd.replace_all(array[p]["text"], new_mid[0])
        return
    for n in range(len(old_mid)):
        del array[p]
    for n, t in enumerate(new_mid):
        array.insert(p + n, Map({"id": new_id(), "text": Text(t)}))


def _pull_section(sec: Section, m: Map, items_by_id: dict[str, AgendaItem]) -> set[Change]:
    changes: set[Change] = set()
    kind = _kind(str(m["kind"]))
    scalars = {
        "kind": kind,
        "heading": str(m.get("heading", "")),
        "level": int(m.get("level", 3)),
        "loose": bool(m.get("loose", False)),
        "prompt": str(m.get("prompt", sec.prompt)),
    }
    for key, value in scalars.items():
        if getattr(sec, key) != value:
            setattr(sec, key, value)
            changes.add(Change.STRUCTURE)
    for key in _SECTION_TEXTS:
        value = str(m[key])
        if getattr(sec, key) != value:
            setattr(sec, key, value)
            changes.add(Change.CONTENT)
    attendees = [str(a["text"]) for a in m["attendees"]]
    if [a.text for a in sec.attendees] != attendees:
        sec.attendees = [Attendee(t) for t in attendees]
        changes.add(Change.STRUCTURE)
    entries = [str(e["text"]) for e in m["entries"]]
    if sec.entries != entries:
        sec.entries = entries
        changes.add(Change.STRUCTURE)
    items = []
    for im in m["items"]:
        iid = str(im["id"])
        item = items_by_id.get(iid)
        if item is None:
            item = AgendaItem(text=str(im["text"]), id=iid)
            changes.add(Change.STRUCTURE)
        text, notes = str(im["text"]), str(im["notes"])
        if item.text != text:
            item.text = text
            changes.add(Change.STRUCTURE)
        if item.notes != notes:
            item.notes = notes
            changes.add(Change.CONTENT)
        item.carried_from = str(im.get("carried_from", ""))
        items.append(item)
    if [i.id for i in sec.items] != [i.id for i in items] or any(a is not b for a, b in zip(sec.items, items)):
        sec.items = items
        changes.add(Change.STRUCTURE)
    return changes
