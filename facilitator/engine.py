"""The meeting engine: one session being run, with no widgets.

``Meeting`` owns the stages (check-in, lists, roles, the agenda, each item, the breakout
rooms), the current item and its timer, the breakout rooms' shared timer, every change
to the agenda and the lists, the dirty state and change notifications. The Textual
layer renders it and subscribes to its changes; tests drive it with an injected clock.

Times come from ``now()`` (monotonic) deadlines, never from counted ticks; the session
file keeps wall-clock epochs (``sync``) so a reopened meeting carries on.

Every line of text it is given (an entry, an agenda item, a list's question) has its
control characters shown as stand-ins (``facilitator.sanitize``), whichever way it came:
the screens clean what they send too, and no path may put one on a terminal. (Notes and
bodies, cleaned by their pane on every edit, are not checked again on each keystroke.)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Callable

from facilitator import lines
from facilitator.clock import ItemTimer, MeetingClock, TimerSnapshot, format_clock, format_hhmm
from facilitator.model import AgendaItem, Attendee, ItemStatus, Section, SectionKind, Session, SessionStatus
from facilitator.sanitize import clean

if TYPE_CHECKING:  # breakout rooms: imported when rooms are planned, not for the first frame
    from facilitator.rooms import RoomPlan


class StageKind(StrEnum):
    CHECKIN = "checkin"
    LIST = "list"
    ROLES = "roles"
    AGENDA = "agenda"  # the overview
    ITEM = "item"
    ROOM = "room"
    RAW = "raw"


class Change(StrEnum):
    """What changed, for subscribers: the clock, some text, or the list of stages."""

    TIMER = "timer"
    CONTENT = "content"
    STRUCTURE = "structure"


@dataclass
class Stage:
    kind: StageKind
    section: Section | None = None
    item: AgendaItem | None = None

    @property
    def key(self) -> tuple:
        return (str(self.kind), id(self.section), id(self.item))


def build_stages(session: Session) -> list[Stage]:
    """The stages in the template's order; an agenda overview always, rooms where they are."""
    stages: list[Stage] = []
    overview_added = False
    for sec in session.sections:
        if sec.kind == SectionKind.CHECKIN:
            stages.append(Stage(StageKind.CHECKIN, sec))
        elif sec.kind in (SectionKind.CELEBRATIONS, SectionKind.LIST):
            stages.append(Stage(StageKind.LIST, sec))
        elif sec.kind == SectionKind.ROLES:
            stages.append(Stage(StageKind.ROLES, sec))
        elif sec.kind == SectionKind.AGENDA:
            stages.append(Stage(StageKind.AGENDA, sec))
            overview_added = True
            stages.extend(Stage(StageKind.ITEM, sec, item) for item in sec.items)
        elif sec.kind == SectionKind.TOPIC:
            if not overview_added:
                stages.append(Stage(StageKind.AGENDA, None))
                overview_added = True
            stages.extend(Stage(StageKind.ITEM, sec, item) for item in sec.items)
        elif sec.kind == SectionKind.ROOM:
            stages.append(Stage(StageKind.ROOM, sec))
        elif sec.kind == SectionKind.RAW:
            if sec.heading or sec.body.strip():
                stages.append(Stage(StageKind.RAW, sec))
    if not overview_added:
        stages.append(Stage(StageKind.AGENDA, None))
    return stages


def item_label(item: AgendaItem) -> str:
    title = item.title or item.text
    who = f"{item.owner}: " if item.owner else ""
    return f"{who}{title}"


@dataclass(frozen=True)
class TimerView:
    """What a countdown shows: the clock text, one line of what it is doing, its state."""

    text: str
    info: str
    state: str  # idle, running, paused, warning, overtime
    running: bool


_KEY_HINT = re.compile(r" — (F\d+|ctrl\+\w)\b.*$")
NO_ITEM = TimerView("--:--", "no item running — F5 starts the next pending one, F6 too", "idle", False)


class Meeting:
    """A session being run. Every change goes through here and notifies the subscribers."""

    def __init__(
        self,
        session: Session,
        template=None,  # facilitator.templates.Template (shapes of new lines and rooms)
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        saver: Callable[[Session], None] | None = None,
    ) -> None:
        self.session = session
        self.template = template
        self.now = now
        self.wall = wall
        self.saver = saver
        self.dirty = False
        #: False for a joiner of a shared meeting: only the host moves the meeting on (the
        #: stage, the current item, the timers, the rooms); the rest can be edited by all.
        self.controls_meeting = True
        self._subscribers: list[Callable[[Change], None]] = []
        self.current: AgendaItem | None = None
        self.timer: ItemTimer | None = None
        self.belled = False
        self.rooms_timer: ItemTimer | None = None
        self.rooms_belled = False
        self.restore_clock()
        self.stages = build_stages(session)

    def restore_clock(self) -> None:
        """Set the current item and the timers from the session's clock (wall-clock epochs).

        What a reopened meeting does on start, and what a joiner does whenever the host's
        state arrives: the countdown is computed here, from the shared start time.
        """
        self.current, self.timer, self.belled = None, None, False
        self.rooms_timer, self.rooms_belled = None, False
        c = self.session.clock
        item = self.session.find_item(c.current_item) if c.current_item else None
        if item is not None and item.status not in (ItemStatus.DONE, ItemStatus.DEFERRED):
            snap = TimerSnapshot(item.actual_seconds, c.running, c.run_started_at)
            self.timer = ItemTimer.restored(item.planned_seconds, snap, wall_now=self.wall(), now=self.now)
            self.current = item
            item.status = ItemStatus.RUNNING
            self.belled = self.timer.timed and self.timer.remaining() <= 0
        if c.rooms_open:
            snap = TimerSnapshot(c.rooms_elapsed, c.rooms_running, c.rooms_run_started_at)
            self.rooms_timer = ItemTimer.restored(self.rooms_planned_seconds, snap, wall_now=self.wall(), now=self.now)
            self.rooms_belled = self.rooms_timer.timed and self.rooms_timer.remaining() <= 0

    # -- notifications and saving ----------------------------------------------------
    def subscribe(self, callback: Callable[[Change], None]) -> None:
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[Change], None]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def changed(self, change: Change = Change.CONTENT) -> None:
        """Mark the session dirty and tell the subscribers (the stages are rebuilt first)."""
        self.dirty = True
        if change == Change.STRUCTURE:
            self.stages = build_stages(self.session)
        for callback in list(self._subscribers):
            callback(change)

    def save(self) -> None:
        """Write the clocks into the session and hand it to the saver; errors go to the caller."""
        self.sync()
        if self.saver is not None:
            self.saver(self.session)
        self.dirty = False

    def sync(self) -> None:
        c = self.session.clock
        if self.current is not None and self.timer is not None:
            self.current.actual_seconds = self.timer.elapsed_seconds()
            c.current_item = self.current.id
            c.running = self.timer.running
            # wall_now - run_started_at + actual_seconds = elapsed, at any later moment
            c.run_started_at = self.wall() if self.timer.running else 0.0
        else:
            c.current_item, c.running, c.run_started_at = "", False, 0.0
        if self.rooms_timer is not None:
            c.rooms_elapsed = self.rooms_timer.elapsed_seconds()
            c.rooms_running = self.rooms_timer.running
            c.rooms_run_started_at = self.wall() if self.rooms_timer.running else 0.0
            if c.rooms_running:  # elapsed before this run, as TimerSnapshot wants it
                c.rooms_elapsed = self.rooms_timer.elapsed_seconds()
        else:
            c.rooms_running, c.rooms_run_started_at = False, 0.0

    # -- the item timer ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.timer is not None and self.timer.running

    def meeting_begins(self) -> None:
        if not self.controls_meeting:
            return
        c = self.session.clock
        if not c.meeting_started_at:
            c.meeting_started_at = self.wall()
        if self.session.status == SessionStatus.PLANNED:
            self.session.status = SessionStatus.LIVE

    def _leave_current(self, status: ItemStatus) -> None:
        if self.current is not None and self.timer is not None:
            self.timer.pause()
            self.current.actual_seconds = self.timer.elapsed_seconds()
            self.current.status = status
        self.current, self.timer, self.belled = None, None, False

    def start(self, item: AgendaItem) -> None:
        if not self.controls_meeting:
            return
        if self.current is item:
            if self.timer is not None:
                self.timer.resume()
            self.changed(Change.TIMER)
            return
        self._leave_current(ItemStatus.DONE)
        self.current = item
        item.status = ItemStatus.RUNNING
        self.timer = ItemTimer(item.planned_seconds, item.actual_seconds, now=self.now)
        self.timer.start()
        self.belled = self.timer.timed and self.timer.remaining() <= 0
        c = self.session.clock
        if not c.meeting_started_at:
            c.meeting_started_at = self.wall()
        c.meeting_ended_at = 0.0
        self.session.status = SessionStatus.LIVE
        self.changed(Change.TIMER)

    def pause(self) -> None:
        if not self.controls_meeting:
            return
        if self.timer is not None:
            self.timer.pause()
            if self.current is not None:
                self.current.actual_seconds = self.timer.elapsed_seconds()
            self.changed(Change.TIMER)

    def toggle(self, item: AgendaItem) -> str:
        """Start ``item``, or pause/resume it if it is the current one."""
        if not self.controls_meeting:
            return "not yours"
        if item.status == ItemStatus.DEFERRED:
            item.status = ItemStatus.PENDING
        if self.current is item and self.timer is not None:
            if self.timer.running:
                self.pause()
                return "paused"
            self.timer.resume()
            self.changed(Change.TIMER)
            return "resumed"
        self.start(item)
        return "started"

    def next_pending(self, after: AgendaItem | None = None) -> AgendaItem | None:
        """The item F5 on the overview starts: the current one, else the next pending one."""
        if self.current is not None:
            return self.current
        order = self.session.agenda_items
        idx = order.index(after) + 1 if after in order else 0
        return next((i for i in order[idx:] + order[:idx] if i.status == ItemStatus.PENDING), None)

    def next_item(self, after: AgendaItem | None = None) -> AgendaItem | None:
        """Finish the current item and start the next pending one (deferred ones are skipped)."""
        if not self.controls_meeting:
            return None
        order = self.session.agenda_items
        ref = self.current or after
        idx = order.index(ref) + 1 if ref in order else 0
        self._leave_current(ItemStatus.DONE)
        candidates = order[idx:] + order[:idx]
        nxt = next((i for i in candidates if i.status == ItemStatus.PENDING), None)
        if nxt is not None:
            self.start(nxt)
        else:
            self.changed(Change.TIMER)
        return nxt

    def extend(self, seconds: int, item: AgendaItem) -> None:
        """More (or less) time: kept as an extension, apart from the timebox as written."""
        if not self.controls_meeting:
            return
        target = self.current or item
        target.extra_seconds = max(-(target.minutes or 0) * 60, target.extra_seconds + seconds)
        if target is self.current and self.timer is not None:
            self.timer.planned_seconds = float(max(0, target.planned_seconds))
            if self.timer.remaining() > 0:
                self.belled = False
        self.changed(Change.TIMER)

    def defer(self, item: AgendaItem) -> str:
        if not self.controls_meeting:
            return str(item.status)
        if item is self.current:
            self._leave_current(ItemStatus.DEFERRED)
            result = "deferred"
        else:
            item.status = ItemStatus.PENDING if item.status == ItemStatus.DEFERRED else ItemStatus.DEFERRED
            result = str(item.status)
        self.changed(Change.STRUCTURE)
        return result

    def finish(self) -> None:
        if not self.controls_meeting:
            return
        self._leave_current(ItemStatus.DONE)
        if self.rooms_timer is not None:
            self.bring_back()
        c = self.session.clock
        c.meeting_ended_at = self.wall()
        self.session.status = SessionStatus.FINISHED
        self.changed(Change.STRUCTURE)

    def should_bell(self) -> bool:
        """True once when the current item (or the breakout rooms) reach zero."""
        ring = False
        t = self.timer
        if t is not None and t.timed:
            if t.remaining() > 0:
                self.belled = False
            elif not self.belled:
                self.belled = ring = True
        r = self.rooms_timer
        if r is not None and r.timed:
            if r.remaining() > 0:
                self.rooms_belled = False
            elif not self.rooms_belled:
                self.rooms_belled = ring = True
        return ring

    # -- reading the clock -------------------------------------------------------------
    def item_state(self, item: AgendaItem) -> str:
        if item.status == ItemStatus.DEFERRED:
            return "deferred"
        if item is self.current and self.timer is not None:
            return "overrun" if self.timer.overtime() > 0 else "current"
        if item.status == ItemStatus.DONE:
            over = item.planned_seconds > 0 and item.actual_seconds > item.planned_seconds + 0.5
            return "overrun" if over else "done"
        return "pending"

    def remaining_planned(self) -> float:
        total = 0.0
        for item in self.session.agenda_items:
            if item is self.current and self.timer is not None:
                total += max(0.0, self.timer.remaining())
            elif item.status in (ItemStatus.PENDING, ItemStatus.RUNNING):
                total += item.planned_seconds
        if self.rooms_timer is not None:
            total += max(0.0, self.rooms_timer.remaining())
        return total

    def meeting_line(self) -> str:
        s = self.session
        planned = s.planned_minutes
        c = s.clock
        if not c.meeting_started_at:
            return f"{planned} of {s.slot_minutes} min planned · not started"
        wall = c.meeting_ended_at or self.wall()
        mc = MeetingClock(c.meeting_started_at, s.slot_minutes)
        left = mc.left_in_slot(wall)
        left_text = f"{format_clock(left)} left" if left >= 0 else f"{format_clock(left)} over the slot"
        end = mc.projected_end(wall, self.remaining_planned())
        over = mc.projected_overrun(wall, self.remaining_planned())
        proj = f"ends ~{format_hhmm(end)}"
        if over > 59:
            proj += f" ({int(over // 60)} min over)"
        return f"elapsed {format_clock(mc.elapsed(wall))} · {left_text} · {proj}"

    def timer_view(self, item: AgendaItem | None) -> TimerView:
        """What the big countdown shows for an item (the running one counts live)."""
        return self._for_whoever_runs_it(self._timer_view(item))

    def _for_whoever_runs_it(self, view: TimerView) -> TimerView:
        """A joiner's view says what is happening without the keys only the host has."""
        if self.controls_meeting:
            return view
        info = _KEY_HINT.sub("", view.info.replace("paused — F5 resumes", "paused"))
        return TimerView(view.text, info, view.state, view.running)

    def _timer_view(self, item: AgendaItem | None) -> TimerView:
        if item is None:
            return NO_ITEM
        if item is self.current and self.timer is not None:
            return _live_view(self.timer, "F5 resumes")
        planned = item.planned_seconds
        if item.status == ItemStatus.DONE:
            return TimerView(
                format_clock(planned - item.actual_seconds) if planned else format_clock(item.actual_seconds),
                f"done · took {format_clock(item.actual_seconds)} of {format_clock(planned)} — F5 reopens",
                "overtime" if planned and item.actual_seconds > planned else "idle",
                False,
            )
        if item.status == ItemStatus.DEFERRED:
            return TimerView(format_clock(planned), "deferred — F9 brings it back", "idle", False)
        return TimerView(format_clock(planned - item.actual_seconds), "not started — F5 starts", "idle", False)

    # -- the agenda --------------------------------------------------------------------
    def section_of(self, item: AgendaItem) -> Section | None:
        return next((sec for sec in self.session.sections if item in sec.items), None)

    def add_item(self, text: str, notes: str = "") -> AgendaItem:
        text, notes = clean(text), clean(notes)
        item = AgendaItem(text=text, notes=notes)
        s = self.session
        tpl = self.template
        if tpl is not None and tpl.agenda_style == "headings":
            sec = Section(kind=SectionKind.TOPIC, heading=text, level=tpl.topic_level, items=[item])
            last = max(
                (n for n, x in enumerate(s.sections) if x.kind in (SectionKind.TOPIC, SectionKind.AGENDA)),
                default=len(s.sections) - 1,
            )
            s.sections.insert(last + 1, sec)
        else:
            agenda = next(s.sections_of(SectionKind.AGENDA), None)
            if agenda is None:
                agenda = Section(kind=SectionKind.AGENDA, heading="Agenda", level=s.level + 1)
                s.sections.append(agenda)
            agenda.items.append(item)
        self.changed(Change.STRUCTURE)
        return item

    def add_agenda_text(self, text: str) -> tuple[list[AgendaItem], list[str]]:
        """Add every item of a pasted agenda (indented lines are notes of the item above).

        Returns the items added and what the user should be told about how it was read.
        """
        # Imported here: the Markdown reader (and the templates and schedule it brings)
        # is only needed for a pasted agenda, not to open a meeting.
        from facilitator.agenda_input import read_agenda

        read = read_agenda(text, self.template)
        added = [self.add_item(it.text, it.notes) for it in read.items]
        return added, read.messages

    def edit_item(self, item: AgendaItem, text: str) -> None:
        text = clean(text)
        item.text = text
        sec = self.section_of(item)
        if sec is not None and sec.kind == SectionKind.TOPIC:
            sec.heading = text
        if item is self.current and self.timer is not None:
            self.timer.planned_seconds = float(item.planned_seconds)
        self.changed(Change.STRUCTURE)

    def remove_item(self, item: AgendaItem) -> None:
        if item is self.current:
            self._leave_current(ItemStatus.DEFERRED)
        sec = self.section_of(item)
        if sec is None:
            return
        if sec.kind == SectionKind.TOPIC:
            self.session.sections.remove(sec)
        else:
            sec.items.remove(item)
        self.changed(Change.STRUCTURE)

    def move_item(self, item: AgendaItem, delta: int) -> bool:
        s = self.session
        sec = self.section_of(item)
        if sec is None:
            return False
        if sec.kind == SectionKind.TOPIC:
            topics = [n for n, x in enumerate(s.sections) if x.kind == SectionKind.TOPIC]
            pos = topics.index(s.sections.index(sec))
            j = pos + delta
            if not 0 <= j < len(topics):
                return False
            a, b = topics[pos], topics[j]
            s.sections[a], s.sections[b] = s.sections[b], s.sections[a]
        else:
            i = sec.items.index(item)
            j = i + delta
            if not 0 <= j < len(sec.items):
                return False
            sec.items[i], sec.items[j] = sec.items[j], sec.items[i]
        self.changed(Change.STRUCTURE)
        return True

    def set_notes(self, item: AgendaItem, text: str) -> None:
        if item.notes != text:
            item.notes = text
            self.changed(Change.CONTENT)

    def set_body(self, section: Section, text: str) -> None:
        if section.body != text:
            section.body = text
            self.changed(Change.CONTENT)

    # -- lists: check-in, celebrations, ice breaker, roles ---------------------------
    @staticmethod
    def _prompt_lines(section: Section) -> int:
        """How many check-in lines at the top are the prompt an imported meeting kept."""
        if section.kind != SectionKind.CHECKIN or section.prompt:
            return 0
        n = 0
        while n < len(section.attendees) and section.attendees[n].is_placeholder:
            n += 1
        return n

    @staticmethod
    def entries(section: Section) -> list[str]:
        """The lines the user edits; a check-in's prompt line (kept as imported) is not one."""
        if section.kind == SectionKind.CHECKIN:
            return [a.text for a in section.attendees[Meeting._prompt_lines(section):]]
        return list(section.entries)

    @staticmethod
    def list_prompt(section: Section) -> str:
        """What a check-in list asks people to write, for the app to show over the list."""
        if section.kind != SectionKind.CHECKIN:
            return ""
        text = section.prompt or " ".join(a.text for a in section.attendees[: Meeting._prompt_lines(section)])
        return " ".join(text.strip().strip("*_").split())

    def _set_entries(self, section: Section, texts: list[str]) -> None:
        if section.kind == SectionKind.CHECKIN:
            # A prompt line an imported meeting keeps at the top stays there, as written.
            kept = section.attendees[: self._prompt_lines(section)]
            section.attendees = kept + [Attendee(text=t) for t in texts]
        else:
            section.entries = texts
        self.changed(Change.STRUCTURE)

    def add_entry(self, section: Section, text: str) -> int:
        """Add a line; a check-in line starts the meeting's clock. Its index."""
        return self.add_entries(section, [text])

    def add_entries(self, section: Section, new: list[str]) -> int:
        """Add lines at the end (a pasted block: one change, one save); the index of the
        last one. A check-in line starts the meeting's clock."""
        texts = self.entries(section)
        if not new:
            return len(texts) - 1
        texts.extend(map(clean, new))
        if section.kind == SectionKind.CHECKIN:
            self.meeting_begins()
        self._set_entries(section, texts)
        return len(texts) - 1

    def edit_entry(self, section: Section, index: int, text: str) -> None:
        text = clean(text)
        texts = self.entries(section)
        if section.kind == SectionKind.ROLES:
            role = lines.parse_role(texts[index])
            if role and self.template is not None:
                text = self.template.role_text(role[0], text).rstrip()
        texts[index] = text
        self._set_entries(section, texts)

    def remove_entry(self, section: Section, index: int) -> str:
        texts = self.entries(section)
        removed = texts.pop(index)
        self._set_entries(section, texts)
        return removed

    def move_entry(self, section: Section, index: int, delta: int) -> int | None:
        texts = self.entries(section)
        j = index + delta
        if not (0 <= index < len(texts) and 0 <= j < len(texts)):
            return None
        texts[index], texts[j] = texts[j], texts[index]
        self._set_entries(section, texts)
        return j

    def toggle_late(self, section: Section, index: int) -> bool:
        """Mark a check-in line ``(late)`` or take the mark off; False if it has another note."""
        texts = self.entries(section)
        text = texts[index]
        parsed = lines.parse_checkin(text)
        if parsed.note == "late":
            texts[index] = text[: text.rfind("(")].rstrip()
        elif not parsed.note:
            texts[index] = text.rstrip() + " (late)"
        else:
            return False
        self._set_entries(section, texts)
        return True

    def set_intro(self, section: Section, text: str) -> None:
        """The line under a list's heading: the ice breaker's question."""
        section.intro = clean(" ".join(text.split()))
        self.changed(Change.CONTENT)

    def people(self) -> list[str]:
        out = []
        for a in self.session.attendees:
            if a.handle:
                out.append("@" + a.handle)
            if a.name:
                out.append(a.name)
        return out

    def set_archived_in(self, path: str) -> None:
        self.session.archived_in = path
        self.changed(Change.CONTENT)

    # -- breakout rooms ----------------------------------------------------------------
    @property
    def rooms_planned_seconds(self) -> int:
        c = self.session.clock
        return max(0, c.rooms_planned_seconds + c.rooms_extra_seconds)

    @property
    def rooms_open(self) -> bool:
        return self.rooms_timer is not None

    def suggestions(self) -> list[tuple[AgendaItem, list[str]]]:
        """Room suggestions: the items of a section about breakouts (else the agenda), each
        with the checked-in people named under it."""
        people = [a.name for a in self.session.attendees if a.name]
        secs = [s for s in self.session.sections_of(SectionKind.AGENDA) if "breakout" in s.heading.lower()]
        items = [i for s in secs for i in s.items] or self.session.agenda_items
        from facilitator.rooms import suggestion_names

        return [(i, suggestion_names(i.notes, people)) for i in items]

    def open_rooms(self, plans: list[RoomPlan], minutes: int) -> list[Section]:
        """Open the rooms (after the suggestions, or at the end) and start their shared timer."""
        if not self.controls_meeting:
            return []
        if not plans:
            return []
        from facilitator import rooms

        tpl = self.template
        shape = getattr(tpl, "room_heading", rooms.DEFAULT_ROOM_HEADING)
        main_shape = getattr(tpl, "main_room_heading", rooms.DEFAULT_MAIN_ROOM_HEADING)
        level = getattr(tpl, "room_level", self.session.level + 2)
        start = len(self.session.rooms)
        made = [
            rooms.new_room(p, start + n, shape, main_shape, level)
            for n, p in enumerate(plans, 1)
        ]
        secs = self.session.sections
        anchor = max(
            (n for n, s in enumerate(secs) if s.kind in (SectionKind.ROOM,) or (
                s.kind == SectionKind.AGENDA and "breakout" in s.heading.lower())),
            default=len(secs) - 1,
        )
        secs[anchor + 1 : anchor + 1] = made
        c = self.session.clock
        c.rooms_open = True
        c.rooms_planned_seconds = max(0, int(minutes)) * 60
        c.rooms_extra_seconds = 0
        c.rooms_elapsed = 0.0
        self.rooms_timer = ItemTimer(self.rooms_planned_seconds, 0.0, now=self.now)
        self.rooms_timer.start()
        self.rooms_belled = False
        self.meeting_begins()
        self.changed(Change.STRUCTURE)
        return made

    def toggle_rooms(self) -> str:
        if not self.controls_meeting:
            return "not yours"
        t = self.rooms_timer
        if t is None:
            return "closed"
        if t.running:
            t.pause()
            result = "paused"
        else:
            t.resume()
            result = "resumed"
        self.changed(Change.TIMER)
        return result

    def extend_rooms(self, seconds: int) -> None:
        if not self.controls_meeting:
            return
        c = self.session.clock
        c.rooms_extra_seconds = max(-c.rooms_planned_seconds, c.rooms_extra_seconds + int(seconds))
        if self.rooms_timer is not None:
            self.rooms_timer.planned_seconds = float(self.rooms_planned_seconds)
            if self.rooms_timer.remaining() > 0:
                self.rooms_belled = False
        self.changed(Change.TIMER)

    def bring_back(self) -> float:
        """Everyone back to the main call: the rooms' timer stops; the seconds they took."""
        if not self.controls_meeting:
            return 0.0
        t = self.rooms_timer
        if t is None:
            return 0.0
        t.pause()
        c = self.session.clock
        c.rooms_elapsed = t.elapsed_seconds()
        c.rooms_open = False
        self.rooms_timer = None
        self.changed(Change.TIMER)
        return c.rooms_elapsed

    def rooms_view(self) -> TimerView:
        return self._for_whoever_runs_it(self._rooms_view())

    def _rooms_view(self) -> TimerView:
        if self.rooms_timer is None:
            c = self.session.clock
            if c.rooms_elapsed:
                return TimerView(format_clock(c.rooms_elapsed), "rooms closed — everyone is back", "idle", False)
            return TimerView("--:--", "rooms not open — ctrl+r on the suggestions opens them", "idle", False)
        return _live_view(self.rooms_timer, "F5 resumes")


def _live_view(t: ItemTimer, resume_hint: str) -> TimerView:
    state = t.state()
    text = format_clock(t.remaining()) if t.timed else format_clock(t.elapsed_seconds())
    run = "running" if t.running else f"paused — {resume_hint}"
    if state == "overtime":
        info = f"over time by {format_clock(t.overtime())} · {run}"
    else:
        info = f"{run} · {format_clock(t.elapsed_seconds())} of {format_clock(t.planned_seconds)}"
    return TimerView(text, info, state, t.running)
