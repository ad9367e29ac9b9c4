"""After the call: the shared pad comes back into the session.

People sign in and take notes in the pad themselves (HackMD Markdown or Etherpad plain
text). Merging reads the pad with ``markdown.parse_document`` and adds what the session
lacks: new check-in lines become attendees, celebrations and list entries join their
sections, notes land under their agenda items (matched by title and owner), new items and
new sections are added, and a breakout room's notes (``Notes for Breakout room 1: …``)
join the session's room of that number, else of that topic, else become a new room. What is already there is never added twice, so pasting the same
pad again changes nothing. ``plan_merge`` says what would change; ``apply`` does it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from facilitator import lines, rooms
from facilitator.markdown import normalize_text, parse_document
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.prepare import checkin_hint
from facilitator.templates import Template, builtin_templates

_HEADING = re.compile(r"^#{1,6}\s")


def _key(text: str) -> str:
    """Text compared loosely: case, spacing, bullets, bold and trailing colons ignored."""
    text = re.sub(r"[*_`]", "", text).strip().lstrip("-*+ ").strip()
    return " ".join(text.lower().split()).rstrip(":")


def _heading_key(heading: str) -> str:
    return _key(lines.plain_heading(heading))


def as_markdown(text: str, session: Session, template: Template) -> str:
    """An Etherpad's plain text with its section lines made headings (Markdown stays as is)."""
    text = normalize_text(text)
    if any(_HEADING.match(ln) for ln in text.split("\n")):
        return text
    known = {_heading_key(s.heading) for s in session.sections if s.heading}
    known |= {_heading_key(s.heading) for s in template.sections if s.heading}
    known |= {"ice breaker", "icebreaker", "breakout rooms", "notes"}
    out = []
    for n, ln in enumerate(text.split("\n")):
        stripped = ln.strip()
        if n == 0 and stripped and not stripped.startswith(("-", "*")):
            out.append(f"# {stripped}")
        elif stripped and not ln.startswith((" ", "\t", "-", "*")) and (
            _heading_key(stripped) in known or rooms.parse_room_heading(stripped) is not None
        ):
            out.append("")
            out.append(f"### {stripped}")
            out.append("")
        else:
            out.append(ln)
    return "\n".join(out)


@dataclass
class MergePlan:
    """The changes a pad would make, in reading order, and the merged session."""

    changes: list[str] = field(default_factory=list)
    merged: Session | None = None

    @property
    def empty(self) -> bool:
        return not self.changes


def _attendee_key(a: Attendee) -> str:
    return a.handle.lower() if a.handle else _key(a.name or a.text)


def _item_for(session: Session, item: AgendaItem) -> AgendaItem | None:
    title, owner = _key(item.title or item.text), _key(item.owner)
    same_title = [i for i in session.agenda_items if _key(i.title or i.text) == title]
    return next((i for i in same_title if _key(i.owner) == owner), None) or (same_title[0] if same_title else None)


def _new_note_lines(existing: str, incoming: str) -> list[str]:
    have = {_key(ln) for ln in existing.split("\n") if ln.strip()}
    return [ln for ln in incoming.split("\n") if ln.strip() and _key(ln) not in have]


def _section_for(session: Session, sec: Section) -> Section | None:
    same_kind = [s for s in session.sections if s.kind == sec.kind]
    by_heading = [s for s in same_kind if _heading_key(s.heading) == _heading_key(sec.heading)]
    if by_heading:
        return by_heading[0]
    if sec.kind in ("checkin", "celebrations", "agenda") and same_kind:
        return same_kind[0]
    return None


def plan_merge(session: Session, pad_text: str, template: Template) -> MergePlan:
    """What merging this pad into the session would change (the session is not touched)."""
    name = session.template if session.template in builtin_templates() else None
    doc = parse_document(as_markdown(pad_text, session, template), template=name, source="pad")
    merged = copy.deepcopy(session)
    plan = MergePlan(merged=merged)
    for pad in (s for parsed in doc.sessions for s in parsed.sections):
        if not pad.heading.strip():
            continue  # the header block and the welcome line: ours, not notes
        target = _section_for(merged, pad)
        if pad.kind == "checkin":
            if target is None:
                target = Section(kind="checkin", heading=pad.heading, level=pad.level)
                merged.sections.insert(0, target)
            seen = {_attendee_key(a) for a in target.attendees} | {_key(a.text) for a in target.attendees}
            seen |= _placeholder_keys(template)
            for a in pad.attendees:
                if a.is_placeholder or _attendee_key(a) in seen or _key(a.text) in seen:
                    continue
                target.attendees.append(Attendee(a.text))
                seen.add(_attendee_key(a))
                plan.changes.append(f"+ attendee: {a.text}")
        elif pad.kind in ("agenda", "topic"):
            for item in pad.items:
                mine = _item_for(merged, item)
                if mine is None:
                    if pad.kind == "topic" or target is None:
                        agenda = next((s for s in merged.sections if s.kind == "agenda"), None)
                        if agenda is None:
                            agenda = Section(kind="agenda", heading="Agenda", level=3)
                            merged.sections.append(agenda)
                    else:
                        agenda = target
                    agenda.items.append(AgendaItem(text=item.text, notes=item.notes))
                    plan.changes.append(f"+ item: {item.text}")
                    plan.changes += [f"  {ln.strip()}" for ln in item.notes.split("\n") if ln.strip()]
                    continue
                new = _new_note_lines(mine.notes, item.notes)
                if new:
                    mine.notes = (mine.notes.rstrip("\n") + "\n" if mine.notes.strip() else "") + "\n".join(new)
                    plan.changes += [f"+ note under {mine.title or mine.text!r}: {ln.strip()}" for ln in new]
        elif pad.kind in ("celebrations", "list"):
            entries = [e for e in pad.entries if _key(e)]
            if target is None:
                if not entries and not pad.intro.strip():
                    continue
                target = Section(kind=pad.kind, heading=pad.heading, level=pad.level, intro=pad.intro)
                merged.sections.insert(_after_checkin(merged), target)
                plan.changes.append(f"+ section: {pad.heading}")
            have = {_key(e) for e in target.entries}
            for e in entries:
                if _key(e) not in have:
                    target.entries.append(e)
                    have.add(_key(e))
                    plan.changes.append(f"+ {lines.plain_heading(target.heading) or target.kind}: {e.splitlines()[0]}")
        elif pad.kind == "room":
            _merge_room(merged, pad, template, plan)
        elif pad.kind == "raw" and pad.body.strip() and target is None:
            merged.sections.append(Section(kind="raw", heading=pad.heading, level=pad.level, body=pad.body))
            plan.changes.append(f"+ section: {pad.heading}")
            plan.changes += [f"  {ln.strip()}" for ln in pad.body.split("\n") if ln.strip()]
    return plan


def _placeholder_keys(template: Template) -> set[str]:
    """The sign-in examples of this and every built-in template: a pad's hint, not a person."""
    keys: set[str] = set()
    for tpl in (template, *builtin_templates().values()):
        keys.add(_key(checkin_hint(tpl)))
        keys |= {_key(t) for spec in tpl.sections if spec.kind == "checkin" for t in spec.items}
    return keys


def _after_checkin(session: Session) -> int:
    idx = [n for n, s in enumerate(session.sections) if s.kind == "checkin"]
    return idx[-1] + 1 if idx else 0


def _room_for(session: Session, pad: Section) -> Section | None:
    """The session's room a pad's room means: the same number, else the same topic."""
    info = rooms.room_info(pad)
    mine = [(s, rooms.room_info(s)) for s in session.rooms]
    if info.number is not None and not info.main:
        hit = next((s for s, i in mine if i.number == info.number and not i.main), None)
        if hit is not None:
            return hit
    topic = _key(info.topic)
    if topic:
        return next((s for s, i in mine if _key(i.topic) == topic and i.main == info.main), None)
    return None


def _merge_room(session: Session, pad: Section, template: Template, plan: MergePlan) -> None:
    """A room's notes from the pad: new lines into the matching room, or a new room."""
    target = _room_for(session, pad)
    if target is None:
        if not pad.body.strip() and not rooms.room_info(pad).topic:
            return  # an empty "Notes for Breakout room" placeholder adds nothing
        existing = session.rooms
        level = existing[-1].level if existing else getattr(template, "room_level", pad.level) or pad.level
        target = Section(kind="room", heading=pad.heading, level=level)
        secs = session.sections
        anchor = max(
            (n for n, s in enumerate(secs) if s.kind == "room"
             or (s.kind == "agenda" and "breakout" in s.heading.lower())),
            default=len(secs) - 1,
        )
        secs.insert(anchor + 1, target)
        plan.changes.append(f"+ room: {rooms.room_label(target)}")
    new = _new_note_lines(target.body, pad.body)
    if new:
        target.body = (target.body.rstrip("\n") + "\n" if target.body.strip() else "") + "\n".join(new) + "\n"
        label = rooms.room_label(target)
        plan.changes += [f"+ note in room {label!r}: {ln.strip()}" for ln in new]
