"""The meeting: stages in the template's order, a timer for the current item, notes.

``MeetingState`` holds the timer logic (no widgets); ``MeetingScreen`` shows it. Every
change is saved within half a second, and on stage change, pause, exit and unmount.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from facilitator.widgets.inputs import LineInput
from textual.widgets import ContentSwitcher, Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from facilitator import lines
from facilitator.clock import ItemTimer, MeetingClock, TimerSnapshot, format_clock, format_hhmm
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.widgets.notes import NotesArea
from facilitator.widgets.timer import TimerDisplay

if TYPE_CHECKING:
    from facilitator.store import SessionLock

SAVE_DELAY = 0.4
REFRESH_INTERVAL = 0.25

MARKS = {
    "pending": ("○", ""),
    "current": ("▶", "bold"),
    "running": ("▶", "bold"),
    "done": ("✓", "dim"),
    "overrun": ("!", "bold red"),
    "deferred": ("↷", "dim italic"),
    "list": ("•", ""),
}


# -- the timer logic ---------------------------------------------------------------------


class MeetingState:
    """Which item is current, its timer, and the meeting clock; writes itself into the session."""

    def __init__(self, session: Session, now: Callable[[], float], wall: Callable[[], float]) -> None:
        self.session = session
        self.now = now
        self.wall = wall
        self.current: AgendaItem | None = None
        self.timer: ItemTimer | None = None
        self.belled = False
        c = session.clock
        item = session.find_item(c.current_item) if c.current_item else None
        if item is not None and item.status not in ("done", "deferred"):
            snap = TimerSnapshot(item.actual_seconds, c.running, c.run_started_at)
            self.timer = ItemTimer.restored(item.planned_seconds, snap, wall_now=wall(), now=now)
            self.current = item
            item.status = "running"
            self.belled = self.timer.timed and self.timer.remaining() <= 0

    # -- writing into the session (before every save) ------------------------------
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

    # -- controls ------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.timer is not None and self.timer.running

    def _leave_current(self, status: str) -> None:
        if self.current is not None and self.timer is not None:
            self.timer.pause()
            self.current.actual_seconds = self.timer.elapsed_seconds()
            self.current.status = status
        self.current, self.timer, self.belled = None, None, False

    def start(self, item: AgendaItem) -> None:
        if self.current is item:
            if self.timer is not None:
                self.timer.resume()
            return
        self._leave_current("done")
        self.current = item
        item.status = "running"
        self.timer = ItemTimer(item.planned_seconds, item.actual_seconds, now=self.now)
        self.timer.start()
        self.belled = self.timer.timed and self.timer.remaining() <= 0
        c = self.session.clock
        if not c.meeting_started_at:
            c.meeting_started_at = self.wall()
        c.meeting_ended_at = 0.0
        self.session.status = "live"

    def pause(self) -> None:
        if self.timer is not None:
            self.timer.pause()
            if self.current is not None:
                self.current.actual_seconds = self.timer.elapsed_seconds()

    def toggle(self, item: AgendaItem) -> str:
        """Start ``item``, or pause/resume it if it is the current one."""
        if self.current is item and self.timer is not None:
            if self.timer.running:
                self.pause()
                return "paused"
            self.timer.resume()
            return "resumed"
        self.start(item)
        return "started"

    def next_item(self, after: AgendaItem | None = None) -> AgendaItem | None:
        """Finish the current item and start the next pending one (deferred ones are skipped)."""
        order = self.session.agenda_items
        ref = self.current or after
        idx = order.index(ref) + 1 if ref in order else 0
        self._leave_current("done")
        candidates = order[idx:] + order[:idx]
        nxt = next((i for i in candidates if i.status == "pending"), None)
        if nxt is not None:
            self.start(nxt)
        return nxt

    def extend(self, seconds: int, item: AgendaItem) -> None:
        target = self.current or item
        target.extra_seconds = max(-(target.minutes or 0) * 60, target.extra_seconds + seconds)
        if target is self.current and self.timer is not None:
            self.timer.planned_seconds = float(max(0, target.planned_seconds))
            if self.timer.remaining() > 0:
                self.belled = False

    def defer(self, item: AgendaItem) -> str:
        if item is self.current:
            self._leave_current("deferred")
            return "deferred"
        item.status = "pending" if item.status == "deferred" else "deferred"
        return item.status

    def finish(self) -> None:
        self._leave_current("done")
        c = self.session.clock
        c.meeting_ended_at = self.wall()
        self.session.status = "finished"

    def should_bell(self) -> bool:
        """True once when the current item reaches zero."""
        t = self.timer
        if t is None or not t.timed:
            return False
        if t.remaining() > 0:
            self.belled = False
            return False
        if not self.belled:
            self.belled = True
            return True
        return False

    # -- reading -------------------------------------------------------------------
    def item_state(self, item: AgendaItem) -> str:
        if item.status == "deferred":
            return "deferred"
        if item is self.current and self.timer is not None:
            return "overrun" if self.timer.overtime() > 0 else "current"
        if item.status == "done":
            over = item.planned_seconds > 0 and item.actual_seconds > item.planned_seconds + 0.5
            return "overrun" if over else "done"
        return "pending"

    def remaining_planned(self) -> float:
        total = 0.0
        for item in self.session.agenda_items:
            if item is self.current and self.timer is not None:
                total += max(0.0, self.timer.remaining())
            elif item.status in ("pending", "running"):
                total += item.planned_seconds
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


# -- stages ------------------------------------------------------------------------------


@dataclass
class Stage:
    kind: str  # checkin, list, roles, agenda (overview), item, raw
    section: Section | None = None
    item: AgendaItem | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, id(self.section), id(self.item))


def build_stages(session: Session) -> list[Stage]:
    stages: list[Stage] = []
    overview_added = False
    for sec in session.sections:
        if sec.kind == "checkin":
            stages.append(Stage("checkin", sec))
        elif sec.kind in ("celebrations", "list"):
            stages.append(Stage("list", sec))
        elif sec.kind == "roles":
            stages.append(Stage("roles", sec))
        elif sec.kind == "agenda":
            stages.append(Stage("agenda", sec))
            overview_added = True
            stages.extend(Stage("item", sec, item) for item in sec.items)
        elif sec.kind == "topic":
            if not overview_added:
                stages.append(Stage("agenda", None))
                overview_added = True
            stages.extend(Stage("item", sec, item) for item in sec.items)
        elif sec.kind == "raw":
            if sec.heading or sec.body.strip():
                stages.append(Stage("raw", sec))
    if not overview_added:
        stages.append(Stage("agenda", None))
    return stages


def item_label(item: AgendaItem) -> str:
    title = item.title or item.text
    who = f"{item.owner}: " if item.owner else ""
    return f"{who}{title}"


# -- panes -------------------------------------------------------------------------------


class EntryPane(Vertical):
    """Check-in, celebrations, other lists and roles: an input line above the list."""

    BINDINGS = [
        Binding("e", "edit", "Edit", show=True),
        Binding("delete,backspace", "remove", "Remove", show=True),
        Binding("l", "late", "Late", show=True),
        Binding("escape", "cancel", "Cancel edit", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage: Stage | None = None
        self.editing: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="entry-title", classes="pane-title", markup=False)
        yield LineInput(placeholder="", id="entry-input")
        yield OptionList(id="entry-list")
        yield Static("", id="entry-hint", classes="hint", markup=False)

    @property
    def meeting(self) -> MeetingScreen:
        return self.screen  # type: ignore[return-value]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "late":
            return self.stage is not None and self.stage.kind == "checkin"
        return True

    # -- data --------------------------------------------------------------------
    def texts(self) -> list[str]:
        sec = self.stage.section if self.stage else None
        if sec is None:
            return []
        if self.stage.kind == "checkin":
            return [a.text for a in sec.attendees]
        return list(sec.entries)

    def set_texts(self, texts: list[str]) -> None:
        sec = self.stage.section
        if self.stage.kind == "checkin":
            sec.attendees = [Attendee(text=t) for t in texts]
        else:
            sec.entries = texts

    def load(self, stage: Stage) -> None:
        self.stage = stage
        self.editing = None
        inp = self.query_one("#entry-input", Input)
        inp.value = ""
        if stage.kind == "checkin":
            inp.placeholder = "Name / @github / Institution (note) — Enter adds, → accepts a suggestion"
            inp.suggester = SuggestFromList(self.meeting.suggestions(), case_sensitive=False)
            hint = "Enter: add · ↓ then e/Enter: edit · Del: remove · l: late · alt+↑/↓: move"
        elif stage.kind == "roles":
            inp.placeholder = "Pick a role below (Enter), then type who takes it"
            inp.suggester = SuggestFromList(self.meeting.people(), case_sensitive=False)
            hint = "↓ then Enter: set the person for a role · Enter in the box with no role picked: add a line"
        else:
            inp.placeholder = "Type and press Enter to add"
            inp.suggester = None
            hint = "Enter: add · ↓ then e/Enter: edit · Del: remove · alt+↑/↓: move"
        self.query_one("#entry-hint", Static).update(hint)
        self.refresh_list()

    def refresh_list(self, highlight: int | None = None) -> None:
        if self.stage is None:
            return
        sec = self.stage.section
        lst = self.query_one("#entry-list", OptionList)
        old = lst.highlighted
        texts = self.texts()
        options = []
        for n, t in enumerate(texts, 1):
            label = Text(f"{n:>2}. ", style="dim")
            label.append(t.replace("\n", " ⏎ "))
            options.append(Option(label))
        lst.set_options(options)
        if texts:
            target = highlight if highlight is not None else old
            if target is not None:
                lst.highlighted = max(0, min(target, len(texts) - 1))
        title = Text(sec.title if sec else "")
        if self.stage.kind == "checkin":
            count = len([a for a in sec.attendees if not a.is_placeholder])
            title.append(f"  ·  {count} checked in", style="bold")
        else:
            title.append(f"  ·  {len(texts)}", style="dim")
        self.query_one("#entry-title", Static).update(title)

    # -- events ------------------------------------------------------------------
    @on(Input.Submitted, "#entry-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if self.stage is None:
            return
        texts = self.texts()
        if self.stage.kind == "roles" and self.editing is not None:
            role = lines.parse_role(texts[self.editing])
            if role:
                value = self.meeting.template.role_text(role[0], value).rstrip()
            elif not value:
                return
            texts[self.editing] = value
            idx = self.editing
        elif self.editing is not None:
            if not value:
                return
            texts[self.editing] = value
            idx = self.editing
        else:
            if not value:
                return
            texts.append(value)
            idx = len(texts) - 1
            if self.stage.kind == "checkin":
                self.meeting.meeting_begins()
        self.set_texts(texts)
        self.editing = None
        event.input.value = ""
        self.refresh_list(idx)
        self.meeting.changed(structure=True)

    @on(OptionList.OptionSelected, "#entry-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        if lst.highlighted is None or self.stage is None:
            return
        texts = self.texts()
        if not texts:
            return
        self.editing = lst.highlighted
        inp = self.query_one("#entry-input", Input)
        text = texts[self.editing]
        if self.stage.kind == "roles":
            role = lines.parse_role(text)
            inp.value = role[1] if role else text
        else:
            inp.value = text
        inp.focus()
        inp.cursor_position = len(inp.value)

    def action_cancel(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#entry-input", Input).value = ""

    def action_remove(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if lst.highlighted is None or not texts or not lst.has_focus:
            return
        idx = lst.highlighted
        removed = texts.pop(idx)
        self.set_texts(texts)
        self.editing = None
        self.refresh_list(idx)
        self.meeting.changed(structure=True)
        self.app.notify(Text(f"Removed: {removed}").plain, timeout=3, markup=False)

    def action_late(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if self.stage is None or self.stage.kind != "checkin" or lst.highlighted is None or not texts:
            return
        idx = lst.highlighted
        text = texts[idx]
        parsed = lines.parse_checkin(text)
        if parsed.note == "late":
            texts[idx] = text[: text.rfind("(")].rstrip()
        elif not parsed.note:
            texts[idx] = text.rstrip() + " (late)"
        else:
            self.app.notify("That line already has a note; edit it instead.", timeout=3)
            return
        self.set_texts(texts)
        self.refresh_list(idx)
        self.meeting.changed(structure=True)

    def move(self, delta: int) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if lst.highlighted is None or not texts:
            return
        i = lst.highlighted
        j = i + delta
        if not 0 <= j < len(texts):
            return
        texts[i], texts[j] = texts[j], texts[i]
        self.set_texts(texts)
        self.refresh_list(j)
        self.meeting.changed(structure=True)

    def focus_main(self) -> None:
        self.query_one("#entry-input", Input).focus()


class AgendaPane(Vertical):
    """The agenda as a whole: items with owner, timebox and title, the sum against the slot."""

    BINDINGS = [
        Binding("e", "edit", "Edit", show=True),
        Binding("delete,backspace", "remove", "Remove", show=True),
        Binding("escape", "cancel", "Cancel edit", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage: Stage | None = None
        self.editing: AgendaItem | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="agenda-title", classes="pane-title", markup=False)
        yield Static("", id="agenda-sum", markup=False)
        with Horizontal(id="agenda-form"):
            yield LineInput(placeholder="Owner", id="agenda-owner")
            yield LineInput(placeholder="Min", id="agenda-min", restrict=r"[0-9]*")
            yield LineInput(placeholder="Title — Enter adds", id="agenda-text")
        yield OptionList(id="agenda-list")
        yield Static(
            "Enter: add · ↓ then e/Enter: edit · Del: remove · F9: defer · F5: start · alt+↑/↓: move",
            classes="hint",
            markup=False,
        )

    @property
    def meeting(self) -> MeetingScreen:
        return self.screen  # type: ignore[return-value]

    def load(self, stage: Stage) -> None:
        self.stage = stage
        self.editing = None
        self.refresh_list()

    def items(self) -> list[AgendaItem]:
        return self.meeting.session.agenda_items

    def highlighted_item(self) -> AgendaItem | None:
        lst = self.query_one("#agenda-list", OptionList)
        items = self.items()
        if lst.highlighted is None or not items:
            return None
        return items[min(lst.highlighted, len(items) - 1)]

    def refresh_list(self, highlight: AgendaItem | None = None) -> None:
        m = self.meeting
        lst = self.query_one("#agenda-list", OptionList)
        old = self.highlighted_item() if highlight is None else highlight
        items = self.items()
        options = []
        for item in items:
            state = m.state.item_state(item)
            mark, style = MARKS.get(state, ("", ""))
            label = Text(f"{mark} ", style=style or "")
            label.append(f"{item.timebox or '—':>5}  ", style="bold")
            if item.owner:
                label.append(item.owner, style="italic")
                label.append(": ")
            label.append(item.title or item.text, style=style)
            if state == "deferred":
                label.append("  (deferred)", style="dim")
            options.append(Option(label))
        lst.set_options(options)
        if items:
            lst.highlighted = items.index(old) if old in items else 0
        sec = self.stage.section if self.stage else None
        self.query_one("#agenda-title", Static).update(Text(sec.title if sec else "Agenda"))
        planned, slot = m.session.planned_minutes, m.session.slot_minutes
        deferred = sum(1 for i in items if i.status == "deferred")
        summary = f"{planned} of {slot} min"
        if deferred:
            summary += f" · {deferred} deferred"
        if planned > slot:
            summary += f" — {planned - slot} min too many for the slot"
        s = self.query_one("#agenda-sum", Static)
        s.update(Text(summary))
        s.set_class(planned > slot, "-over")

    def _form(self) -> tuple[Input, Input, Input]:
        return (
            self.query_one("#agenda-owner", Input),
            self.query_one("#agenda-min", Input),
            self.query_one("#agenda-text", Input),
        )

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        owner, minutes, title = (i.value.strip() for i in self._form())
        if not title and not owner:
            self.app.notify("Type a title (and owner, minutes) first.", timeout=3)
            return
        mins = int(minutes) if minutes.isdigit() else None
        text = self.meeting.template.agenda_text(owner, mins, title)
        if self.editing is not None:
            self.meeting.edit_item(self.editing, text)
            target = self.editing
        else:
            target = self.meeting.add_item(text)
        self.editing = None
        for i in self._form():
            i.value = ""
        self._form()[0].focus()
        self.refresh_list(target)

    @on(OptionList.OptionSelected, "#agenda-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        self.editing = item
        o, mn, t = self._form()
        o.value = item.owner
        mn.value = str(item.minutes) if item.minutes is not None else ""
        t.value = item.title or item.text
        for i in (o, mn, t):
            i.cursor_position = len(i.value)
        t.focus()

    def action_cancel(self) -> None:
        self.editing = None
        for i in self._form():
            i.value = ""

    def action_remove(self) -> None:
        item = self.highlighted_item()
        if item is None or not self.query_one("#agenda-list", OptionList).has_focus:
            return
        self.meeting.remove_item(item)

    def focus_main(self) -> None:
        self._form()[0].focus()


class ItemPane(Vertical):
    """One agenda item: who, what, the countdown and the notes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item: AgendaItem | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("", id="item-title", classes="pane-title", markup=False)
        yield TimerDisplay(id="timer")
        yield NotesArea(
            "",
            id="notes",
            placeholder="Notes for this item — Tab indents, Enter continues a bullet",
        )

    def on_mount(self) -> None:
        self.query_one(NotesArea).cursor_blink = self.app.blink

    def load(self, item: AgendaItem) -> None:
        self.item = item
        notes = self.query_one(NotesArea)
        if notes.text != item.notes:
            self._loading = True
            notes.load_text(item.notes)
            notes.move_cursor(notes.document.end)
        self.refresh_header()

    def refresh_header(self) -> None:
        item = self.item
        if item is None:
            return
        t = Text()
        if item.owner:
            t.append(item.owner, style="bold")
            t.append(" · ")
        t.append(item.title or item.text)
        if item.timebox:
            t.append(f"  ({item.timebox}", style="dim")
            if item.extra_seconds:
                sign = "+" if item.extra_seconds > 0 else "−"
                t.append(f" {sign}{abs(item.extra_seconds) // 60} min", style="dim")
            t.append(")", style="dim")
        self.query_one("#item-title", Static).update(t)

    @on(TextArea.Changed, "#notes")
    def notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            if event.text_area.text == (self.item.notes if self.item else ""):
                return
        if self.item is not None and event.text_area.text != self.item.notes:
            self.item.notes = event.text_area.text
            self.screen.changed()  # type: ignore[attr-defined]

    def focus_main(self) -> None:
        self.query_one(NotesArea).focus()


class RawPane(Vertical):
    """A section kept as Markdown: edit it as text."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("", id="raw-title", classes="pane-title", markup=False)
        yield NotesArea("", id="raw-text")

    def on_mount(self) -> None:
        self.query_one(NotesArea).cursor_blink = self.app.blink

    def load(self, section: Section) -> None:
        self.section = section
        self.query_one("#raw-title", Static).update(Text(section.title))
        area = self.query_one(NotesArea)
        if area.text != section.body:
            self._loading = True
            area.load_text(section.body)

    @on(TextArea.Changed, "#raw-text")
    def changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.section is not None and event.text_area.text != self.section.body:
            self.section.body = event.text_area.text
            self.screen.changed()  # type: ignore[attr-defined]

    def focus_main(self) -> None:
        self.query_one(NotesArea).focus()


# -- the screen ----------------------------------------------------------------------------


class MeetingScreen(Screen):
    """Run a meeting. Every control is a function or ctrl key, so it works while typing notes."""

    BINDINGS = [
        Binding("f5", "toggle_timer", "Start/Pause", key_display="F5", priority=True),
        Binding("f6,ctrl+n", "next_item", "Next", key_display="F6", priority=True),
        Binding("f7", "extend(60)", "+1m", key_display="F7", priority=True),
        Binding("f8", "extend(300)", "+5m", key_display="F8", priority=True),
        Binding("f9", "defer", "Defer", key_display="F9", priority=True),
        Binding("f10", "finish", "Finish", key_display="F10", priority=True),
        Binding("f4,ctrl+t", "presenter", "Presenter", key_display="F4", priority=True),
        Binding("f2", "stage(-1)", "◀ Stage", key_display="F2", priority=True),
        Binding("f3", "stage(1)", "Stage ▶", key_display="F3", priority=True),
        Binding("alt+up,ctrl+up", "move(-1)", "Move up", key_display="alt+↑", priority=True, show=False),
        Binding("alt+down,ctrl+down", "move(1)", "Move down", key_display="alt+↓", priority=True, show=False),
        Binding("ctrl+b", "focus_stages", "Stage list", key_display="^b", priority=True, show=False),
        Binding("ctrl+s", "save", "Save now", show=False, priority=True),
        Binding("ctrl+o", "close", "Close session", show=False, priority=True),
        Binding("question_mark", "app.help", "Help", show=False),
    ]
    ACTION_HELP = {
        "toggle_timer": "start, pause or resume the current agenda item's timer",
        "next_item": "finish the current item and start the next pending one",
        "extend(60)": "give the current item one more minute",
        "extend(300)": "give the current item five more minutes",
        "defer": "defer this agenda item (again to bring it back)",
        "stage(-1)": "go to the previous stage",
        "stage(1)": "go to the next stage",
        "move(-1)": "move the selected entry or item up",
        "move(1)": "move the selected entry or item down",
        "presenter": "show the current item and countdown alone, for a shared screen",
        "finish": "preview the notes, copy them, put them in the archive",
        "focus_stages": "put the cursor in the stage list (↑/↓ and Enter)",
        "save": "save now (it saves by itself within half a second anyway)",
        "close": "save and go back to the home screen",
    }
    EXTRA_COMMANDS = (
        ("Close session", "save and go back to the home screen (ctrl+o)", "close"),
        ("Save now", "write the session file now (ctrl+s)", "save"),
        ("Time review of this session", "planned and actual minutes of each item so far", "review"),
        ("Next meeting from this session", "create the next session, carrying over deferred and unfinished items", "next_meeting"),
    )

    def __init__(self, session: Session, lock: SessionLock | None = None) -> None:
        super().__init__()
        self.session = session
        self.lock = lock
        self.template = self.app.template_named(session.template)
        self.state = MeetingState(session, self.app.now, self.app.wall)
        self.stages = build_stages(session)
        self.stage_index = 0
        if self.state.current is not None:
            self.stage_index = self._index_of_item(self.state.current)
        self._save_timer = None
        self._dirty = False
        self._last_labels: list = []
        self._closed = False

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="meeting-bar"):
            yield Static("", id="meeting-title", markup=False)
            yield Static("", id="meeting-clock", markup=False)
        with Horizontal(id="meeting-body"):
            yield OptionList(id="stages")
            with ContentSwitcher(id="panes", initial="pane-entries"):
                yield EntryPane(id="pane-entries")
                yield AgendaPane(id="pane-agenda")
                yield ItemPane(id="pane-item")
                yield RawPane(id="pane-raw")
        yield Footer()

    def on_mount(self) -> None:
        title = Text(self.session.title or self.template.meeting_title, style="bold")
        title.append(f"  {self.session.date}")
        self.query_one("#meeting-title", Static).update(title)
        self.show_stage(self.stage_index, save=False)
        self.set_interval(REFRESH_INTERVAL, self.tick)
        self._apply_width(self.app.size.width)
        self.tick()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        self._last_labels = []
        self.call_after_refresh(self._refresh_sidebar)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < 100, "-narrow")

    # -- helpers -------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return self.stages[self.stage_index]

    def _index_of_item(self, item: AgendaItem) -> int:
        for n, st in enumerate(self.stages):
            if st.item is item:
                return n
        return 0

    def suggestions(self) -> list[str]:
        here = {a.text.strip().lower() for a in self.session.attendees}
        return [s for s in self.app.past_attendees if s.strip().lower() not in here] or list(self.app.past_attendees)

    def people(self) -> list[str]:
        out = []
        for a in self.session.attendees:
            if a.handle:
                out.append("@" + a.handle)
            if a.name:
                out.append(a.name)
        return out

    def update_suggestions(self) -> None:
        if self.stage.kind == "checkin":
            inp = self.query_one("#entry-input", Input)
            inp.suggester = SuggestFromList(self.suggestions(), case_sensitive=False)

    def current_item(self) -> AgendaItem | None:
        """The item the timer controls act on: the shown one, else the running one."""
        if self.stage.kind == "item":
            return self.stage.item
        if self.stage.kind == "agenda":
            pane = self.query_one(AgendaPane)
            return pane.highlighted_item() or self.state.current
        return self.state.current

    def meeting_begins(self) -> None:
        c = self.session.clock
        if not c.meeting_started_at:
            c.meeting_started_at = self.app.wall()
        if self.session.status == "planned":
            self.session.status = "live"

    # -- saving --------------------------------------------------------------------
    def changed(self, structure: bool = False) -> None:
        """Something in the session changed: save soon (not later than SAVE_DELAY)."""
        self._dirty = True
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_due)
        if structure:
            self.refresh_stages()

    def _save_due(self) -> None:
        self._save_timer = None
        if self._dirty:
            self.save_now()

    def save_now(self) -> bool:
        from facilitator.store import StoreError

        if self._closed and self.lock is None:
            return False
        self.state.sync()
        try:
            self.app.store.save(self.session)
        except StoreError as e:
            self.app.notify(str(e), title="Not saved", severity="error", timeout=10)
            return False
        except OSError as e:
            self.app.notify(f"cannot save: {e}", title="Not saved", severity="error", timeout=10)
            return False
        self._dirty = False
        return True

    def on_unmount(self) -> None:
        self.save_now()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self._closed = True

    # -- display -------------------------------------------------------------------
    def stage_label(self, st: Stage) -> Text:
        if st.kind == "item" and st.item is not None:
            state = self.state.item_state(st.item)
            mark, style = MARKS[state]
            t = Text(f" {mark} ", style=style, no_wrap=True, overflow="ellipsis")
            t.append(f"{st.item.minutes}′ " if st.item.minutes else "", style="dim")
            t.append(item_label(st.item), style=style)
            return t
        sec = st.section
        if st.kind == "agenda":
            t = Text("Agenda", style="bold", no_wrap=True, overflow="ellipsis")
            t.append(f" {self.session.planned_minutes}/{self.session.slot_minutes}′", style="bold red" if self.session.planned_minutes > self.session.slot_minutes else "dim")
            return t
        title = sec.title if sec is not None else st.kind
        t = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
        if st.kind == "checkin":
            t.append(f" ({len(self.session.attendees)})", style="dim")
        elif st.kind in ("list",):
            t.append(f" ({len(sec.entries)})", style="dim")
        return t

    def refresh_stages(self) -> None:
        """Rebuild the stage list if the agenda changed; refresh the sidebar labels."""
        current = self.stage
        new = build_stages(self.session)
        if [s.key for s in new] != [s.key for s in self.stages]:
            self.stages = new
            keys = [s.key for s in new]
            if current.key in keys:
                self.stage_index = keys.index(current.key)
            else:
                self.stage_index = min(self.stage_index, len(new) - 1)
                self.show_stage(self.stage_index, save=False)
            self._last_labels = []
        self._refresh_sidebar()

    def _refresh_sidebar(self) -> None:
        lst = self.query_one("#stages", OptionList)
        width = lst.scrollable_content_region.width
        labels = [self.stage_label(st) for st in self.stages]
        if width > 4:
            for label in labels:
                label.truncate(width, overflow="ellipsis")
        plain = [(l.plain, str(l.style), [str(s.style) for s in l.spans]) for l in labels]
        if plain != self._last_labels:
            self._last_labels = plain
            lst.set_options([Option(l) for l in labels])
        if lst.highlighted != self.stage_index:
            lst.highlighted = self.stage_index

    def show_stage(self, index: int, save: bool = True, focus: bool = True) -> None:
        if save and self._dirty:
            self.save_now()
        self.stage_index = max(0, min(index, len(self.stages) - 1))
        st = self.stage
        switcher = self.query_one(ContentSwitcher)
        if st.kind in ("checkin", "list", "roles"):
            switcher.current = "pane-entries"
            pane = self.query_one(EntryPane)
            pane.load(st)
        elif st.kind == "agenda":
            switcher.current = "pane-agenda"
            pane = self.query_one(AgendaPane)
            pane.load(st)
        elif st.kind == "item":
            switcher.current = "pane-item"
            pane = self.query_one(ItemPane)
            pane.load(st.item)
        else:
            switcher.current = "pane-raw"
            pane = self.query_one(RawPane)
            pane.load(st.section)
        if focus:
            pane.focus_main()
        self._refresh_sidebar()
        self.tick()
        self.refresh_bindings()

    def tick(self) -> None:
        """Refresh what the clock shows (the time itself comes from monotonic deadlines)."""
        if self.state.should_bell():
            self.app.bell()
            if self.state.current is not None:
                self.app.notify(Text(f"Time is up: {item_label(self.state.current)}").plain, timeout=5, markup=False)
        self.query_one("#meeting-clock", Static).update(Text(self.state.meeting_line()))
        if self.stage.kind == "item":
            self._show_timer(self.query_one(TimerDisplay), self.stage.item)
        self._refresh_sidebar()
        for screen in self.app.screen_stack:
            if getattr(screen, "meeting", None) is self and hasattr(screen, "refresh_timer"):
                screen.refresh_timer()

    def timer_view(self, item: AgendaItem | None) -> tuple[str, str, str, bool]:
        """(clock text, info line, state, running) for an item."""
        if item is None:
            return "--:--", "no item running — F5 starts the one shown, F6 the next", "idle", False
        st = self.state
        if item is st.current and st.timer is not None:
            t = st.timer
            state = t.state()
            if t.timed:
                text = format_clock(t.remaining())
            else:
                text = format_clock(t.elapsed_seconds())
            run = "running" if t.running else "paused — F5 resumes"
            if state == "overtime":
                info = f"over time by {format_clock(t.overtime())} · {run}"
            else:
                info = f"{run} · {format_clock(t.elapsed_seconds())} of {format_clock(t.planned_seconds)}"
            return text, info, state, t.running
        planned = item.planned_seconds
        if item.status == "done":
            return (
                format_clock(planned - item.actual_seconds) if planned else format_clock(item.actual_seconds),
                f"done · took {format_clock(item.actual_seconds)} of {format_clock(planned)} — F5 reopens",
                "overtime" if planned and item.actual_seconds > planned else "idle",
                False,
            )
        if item.status == "deferred":
            return format_clock(planned), "deferred — F9 brings it back", "idle", False
        return format_clock(planned - item.actual_seconds), "not started — F5 starts", "idle", False

    def _show_timer(self, display: TimerDisplay, item: AgendaItem | None) -> None:
        display.show(*self.timer_view(item))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        kind = self.stage.kind if self.stages else ""
        if action in ("toggle_timer", "extend", "defer"):
            if kind in ("item", "agenda"):
                return True
            return True if self.state.current is not None else False
        if action == "move":
            return True if kind in ("checkin", "list", "roles", "agenda", "item") else False
        return True

    # -- actions -------------------------------------------------------------------
    def action_toggle_timer(self) -> None:
        item = self.current_item()
        if item is None:
            self.app.notify("No agenda item here: go to one (F3) or press F6 for the next.", timeout=3)
            return
        if item.status == "deferred":
            item.status = "pending"
        result = self.state.toggle(item)
        if result == "started" and self.stage.item is not item and self.stage.kind != "agenda":
            self.show_stage(self._index_of_item(item))
        self.save_now()
        self.refresh_stages()
        self._refresh_panes()
        self.tick()

    def action_next_item(self) -> None:
        if self.state.current is None and self.stage.kind not in ("item", "agenda"):
            nxt_stage = self.stage_index + 1
            if nxt_stage < len(self.stages) and self.stages[nxt_stage].kind != "item":
                self.show_stage(nxt_stage)
                return
        after = self.stage.item if self.stage.kind == "item" else None
        nxt = self.state.next_item(after=after)
        self.save_now()
        if nxt is None:
            self.refresh_stages()
            self._refresh_panes()
            self.tick()
            self.app.notify("That was the last item. F10 to finish and export.", timeout=4)
            return
        self.show_stage(self._index_of_item(nxt))

    def action_extend(self, seconds: int) -> None:
        item = self.current_item()
        if item is None:
            return
        self.state.extend(int(seconds), item)
        self.changed()
        self._refresh_panes()
        self.tick()

    def action_defer(self) -> None:
        item = self.current_item()
        if item is None:
            return
        result = self.state.defer(item)
        self.save_now()
        self.refresh_stages()
        self._refresh_panes()
        self.tick()
        self.app.notify(Text(f"{result.capitalize()}: {item_label(item)}").plain, timeout=3, markup=False)

    def action_stage(self, delta: int) -> None:
        self.show_stage(self.stage_index + int(delta))

    def action_focus_stages(self) -> None:
        self.query_one("#stages", OptionList).focus()

    def action_save(self) -> None:
        if self.save_now():
            self.app.notify(f"Saved {self.app.store.path_for(self.session.id)}", timeout=3, markup=False)

    def action_move(self, delta: int) -> None:
        delta = int(delta)
        kind = self.stage.kind
        if kind in ("checkin", "list", "roles"):
            self.query_one(EntryPane).move(delta)
        elif kind == "agenda":
            item = self.query_one(AgendaPane).highlighted_item()
            if item is not None:
                self.move_item(item, delta)
                self.query_one(AgendaPane).refresh_list(item)
        elif kind == "item":
            self.move_item(self.stage.item, delta)

    def action_presenter(self) -> None:
        from facilitator.screens.presenter import PresenterScreen

        self.app.push_screen(PresenterScreen(self))

    def action_finish(self) -> None:
        from facilitator.screens.finish import FinishScreen

        self.state.finish()
        self.save_now()
        self.refresh_stages()
        self._refresh_panes()
        self.app.push_screen(FinishScreen(self))

    def action_close(self) -> None:
        self.save_now()
        self.app.pop_screen()

    def action_review(self) -> None:
        from facilitator.screens.review import ReviewScreen

        self.save_now()  # the review reads the file
        self.app.push_screen(ReviewScreen(self.app.store, self.session.id))

    def action_next_meeting(self) -> None:
        self.save_now()
        self.run_worker(
            partial(self._create_next, self.session.id),
            thread=True, exclusive=True, group="meeting-next", exit_on_error=False,
        )

    def _create_next(self, session_id: str) -> None:
        from facilitator.nextmeeting import create_next
        from facilitator.store import StoreError

        app = self.app
        try:
            new = create_next(app.store, session_id, templates=app.templates)
        except (StoreError, ValueError) as e:
            app.call_from_thread(app.notify, f"Cannot create the next meeting: {e}", severity="error", timeout=8, markup=False)
            return
        carried = sum(1 for i in new.agenda_items if i.carried_from)
        app.call_from_thread(
            app.notify,
            f"Created {new.id} ({new.date}) with {carried} item{'s' if carried != 1 else ''} carried over. It is on the home screen.",
            timeout=6,
            markup=False,
        )

    @on(OptionList.OptionSelected, "#stages")
    def stage_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_stage(event.option_index)

    # -- agenda editing ------------------------------------------------------------
    def _refresh_panes(self) -> None:
        kind = self.stage.kind
        if kind == "agenda":
            self.query_one(AgendaPane).refresh_list()
        elif kind == "item":
            self.query_one(ItemPane).refresh_header()

    def add_item(self, text: str) -> AgendaItem:
        item = AgendaItem(text=text)
        s = self.session
        if self.template.agenda_style == "headings":
            sec = Section(kind="topic", heading=text, level=self.template.topic_level, items=[item])
            last = max((n for n, x in enumerate(s.sections) if x.kind in ("topic", "agenda")), default=len(s.sections) - 1)
            s.sections.insert(last + 1, sec)
        else:
            agenda = next(s.sections_of("agenda"), None)
            if agenda is None:
                agenda = Section(kind="agenda", heading="Agenda", level=s.level + 1)
                s.sections.append(agenda)
            agenda.items.append(item)
        self.changed(structure=True)
        return item

    def _section_of(self, item: AgendaItem) -> Section | None:
        return next((sec for sec in self.session.sections if item in sec.items), None)

    def edit_item(self, item: AgendaItem, text: str) -> None:
        item.text = text
        sec = self._section_of(item)
        if sec is not None and sec.kind == "topic":
            sec.heading = text
        if item is self.state.current and self.state.timer is not None:
            self.state.timer.planned_seconds = float(item.planned_seconds)
        self.changed(structure=True)

    def remove_item(self, item: AgendaItem) -> None:
        from facilitator.screens.dialogs import ConfirmDialog

        def really(ok: bool | None) -> None:
            if not ok:
                return
            if item is self.state.current:
                self.state.defer(item)
            sec = self._section_of(item)
            if sec is None:
                return
            if sec.kind == "topic":
                self.session.sections.remove(sec)
            else:
                sec.items.remove(item)
            self.changed(structure=True)
            self._refresh_panes()

        if item.notes.strip():
            self.app.push_screen(
                ConfirmDialog(f"Remove “{item_label(item)}” and its notes?", "Remove"), really
            )
        else:
            really(True)

    def move_item(self, item: AgendaItem, delta: int) -> None:
        s = self.session
        sec = self._section_of(item)
        if sec is None:
            return
        if sec.kind == "topic":
            topics = [n for n, x in enumerate(s.sections) if x.kind == "topic"]
            pos = topics.index(s.sections.index(sec))
            j = pos + delta
            if not 0 <= j < len(topics):
                return
            a, b = topics[pos], topics[j]
            s.sections[a], s.sections[b] = s.sections[b], s.sections[a]
        else:
            i = sec.items.index(item)
            j = i + delta
            if not 0 <= j < len(sec.items):
                return
            sec.items[i], sec.items[j] = sec.items[j], sec.items[i]
        self.changed(structure=True)
