"""The meeting: stages in the template's order, a timer for the current item, notes.

``MeetingScreen`` walks the stages (F2/F3, the sidebar), controls the item timer
(``facilitator.meeting_state.MeetingState`` holds the timing) and saves every change
within half a second, and on stage change, pause, exit and unmount. What each stage
shows lives in ``facilitator.widgets.panes``; the sidebar is
``facilitator.widgets.stage_list``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import ContentSwitcher, Footer, Input, OptionList, Static

from facilitator.clock import format_clock
from facilitator.meeting_state import MeetingState
from facilitator.model import AgendaItem, Section, Session
from facilitator.stages import Stage, build_stages, item_label
from facilitator.widgets.panes.agenda import AgendaPane
from facilitator.widgets.panes.entries import EntryPane
from facilitator.widgets.panes.item import ItemPane
from facilitator.widgets.panes.raw import RawPane
from facilitator.widgets.stage_list import StageList
from facilitator.widgets.timer import TimerDisplay

if TYPE_CHECKING:
    from facilitator.store import SessionLock

SAVE_DELAY = 0.4
REFRESH_INTERVAL = 0.25


class MeetingScreen(Screen):
    """Run a meeting. Every control is a function or ctrl key, so it works while typing notes."""

    # Not priority bindings: the focused field runs them (``run_key_now``) in the order the
    # keys were typed, so notes typed just before F6 stay with their item. The fields bind
    # none of these keys (NotesArea drops TextArea's F6/F7).
    BINDINGS = [
        Binding("f5", "toggle_timer", "Start/Pause", key_display="F5"),
        Binding("f6,ctrl+n", "next_item", "Next", key_display="F6"),
        Binding("f7", "extend(60)", "+1m", key_display="F7"),
        Binding("f8", "extend(300)", "+5m", key_display="F8"),
        Binding("f9", "defer", "Defer", key_display="F9"),
        Binding("f10", "finish", "Finish", key_display="F10"),
        Binding("f4,ctrl+t", "presenter", "Presenter", key_display="F4"),
        Binding("f2", "stage(-1)", "◀ Stage", key_display="F2"),
        Binding("f3", "stage(1)", "Stage ▶", key_display="F3"),
        Binding("alt+up,ctrl+up", "move(-1)", "Move up", key_display="alt+↑", show=False),
        Binding("alt+down,ctrl+down", "move(1)", "Move down", key_display="alt+↓", show=False),
        Binding("ctrl+b", "focus_stages", "Stage list", key_display="^b", show=False),
        Binding("ctrl+s", "save", "Save now", show=False),
        Binding("ctrl+o", "close", "Close session", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]
    IN_ORDER_KEYS = frozenset(k.strip() for b in BINDINGS for k in b.key.split(",")) - {"question_mark"}
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
        self._closed = False

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="meeting-bar"):
            yield Static("", id="meeting-title", markup=False)
            yield Static("", id="meeting-clock", markup=False)
        with Horizontal(id="meeting-body"):
            yield StageList(id="stages")
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
        self.query_one(StageList).forget_labels()
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
            self.query_one(StageList).forget_labels()
        self._refresh_sidebar()

    def _refresh_sidebar(self) -> None:
        self.query_one(StageList).show(self.stages, self.state, self.stage_index)

    def show_stage(self, index: int, save: bool = True, focus: bool = True) -> None:
        self.flush_panes()
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

    def flush_panes(self) -> None:
        """Put what the shown pane's text box holds into the session now.

        The panes copy it on TextArea.Changed, which comes later than the keys typed.
        """
        switcher = self.query_one(ContentSwitcher)
        pane = switcher.get_child_by_id(switcher.current) if switcher.current else None
        if hasattr(pane, "flush"):
            pane.flush()

    async def run_key_now(self, key: str) -> bool:
        """Run a meeting key for the focused field, before the keys typed after it.

        True if it was a meeting key and it ran; False leaves the key to Textual.
        """
        if key not in self.IN_ORDER_KEYS or self.app.screen is not self:
            return False
        active = self.active_bindings.get(key)
        if active is None or active.node is not self or not active.enabled:
            return False
        self.flush_panes()
        await self.app.run_action(active.binding.action, self)
        return True

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
