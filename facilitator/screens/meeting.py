"""The meeting: stages in the template's order, a timer for the current item, notes.

``MeetingScreen`` renders a ``facilitator.engine.Meeting`` (which holds every rule: the
stages, the timers, the agenda and list changes, the breakout rooms). The panes
(``facilitator.widgets.panes``) tell the screen what the user did with messages; the
screen makes the change through the engine, which notifies it, and it saves within
half a second (and on stage change, pause, exit and unmount).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from facilitator.engine import Change, Meeting, Stage, StageKind, item_label
from facilitator.lines import pasted_lines
from facilitator.model import AgendaItem, Section, Session
from facilitator.screens.styled_once import StyledOnce
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.stage_list import StageList

if TYPE_CHECKING:
    from facilitator.share_session import HostPlan, HostShare, JoinShare
    from facilitator.widgets.panes.agenda import AgendaPane
    from facilitator.widgets.panes.entries import EntryPane
    from facilitator.widgets.panes.item import NotesEdited
    from facilitator.shared_meeting import SharedMeeting
    from facilitator.store import SessionLock

SAVE_DELAY = 0.4
REFRESH_INTERVAL = 0.25
LIST_STAGES = (StageKind.CHECKIN, StageKind.LIST, StageKind.ROLES)
# The pane of each kind of stage, by id, in the switcher's order.
PANES = ("pane-entries", "pane-agenda", "pane-item", "pane-raw", "pane-room")


def pane_class(name: str) -> type:
    """The pane class with this id, imported on first use: the first frame imports only the
    shown stage's pane (the item, raw and room panes bring TextArea, ~10 ms), the others
    come with ``MeetingScreen._mount_panes`` just after it."""
    if name == "pane-entries":
        from facilitator.widgets.panes.entries import EntryPane

        return EntryPane
    if name == "pane-agenda":
        from facilitator.widgets.panes.agenda import AgendaPane

        return AgendaPane
    if name == "pane-item":
        from facilitator.widgets.panes.item import ItemPane

        return ItemPane
    from facilitator.widgets.panes.raw import RawPane, RoomPane

    return RoomPane if name == "pane-room" else RawPane


def pane_id(kind: StageKind) -> str:
    """The id of the pane that shows a stage of this kind."""
    if kind in LIST_STAGES:
        return "pane-entries"
    return {StageKind.AGENDA: "pane-agenda", StageKind.ITEM: "pane-item", StageKind.ROOM: "pane-room"}.get(kind, "pane-raw")


class MeetingScreen(StyledOnce, Screen):
    """Run a meeting. Every control is a function or ctrl key, so it works while typing notes."""

    # Not priority bindings: the focused field runs them (``run_key_now``) in the order the
    # keys were typed, so notes typed just before F6 stay with their item. The fields bind
    # none of these keys (NotesArea drops TextArea's F6/F7).
    BINDINGS = [
        # Most important first: at 80 columns the footer shows the first nine or so.
        # Most important first: at 80 columns the footer shows the first nine or so
        # (the rest, and every other key, are in F1 help).
        Binding("f5", "toggle_timer", "Timer", key_display="F5", tooltip="Start/Pause the timer",
                id="meeting.toggle_timer"),
        Binding("f6,ctrl+n", "next_item", "Next", key_display="F6", id="meeting.next_item"),
        Binding("f7", "extend(60)", "+1m", key_display="F7", id="meeting.extend_1"),
        Binding("f8", "extend(300)", "+5m", key_display="F8", id="meeting.extend_5"),
        Binding("ctrl+g", "next_room", "Next room", key_display="^g", id="meeting.next_room"),
        Binding("ctrl+e", "bring_back", "Bring back", key_display="^e", id="meeting.bring_back"),
        Binding("f9", "defer", "Defer", key_display="F9", id="meeting.defer"),
        Binding("f10", "finish", "Finish", key_display="F10", id="meeting.finish"),
        Binding("f3", "stage(1)", "▶", key_display="F3", tooltip="Next stage", id="meeting.stage_forward"),
        Binding("f4,ctrl+t", "presenter", "Presenter", key_display="F4", id="meeting.presenter"),
        Binding("ctrl+o", "close", "Leave", key_display="^o", id="meeting.close"),
        Binding("ctrl+r", "open_rooms", "Rooms", key_display="^r", id="meeting.open_rooms"),
        Binding("f2", "stage(-1)", "◀", key_display="F2", tooltip="Previous stage", id="meeting.stage_back"),
        Binding("ctrl+a", "mark('action')", "Action", key_display="^a", show=False, id="meeting.mark_action"),
        Binding("ctrl+d", "mark('decision')", "Decision", key_display="^d", show=False, id="meeting.mark_decision"),
        Binding("alt+up,ctrl+up", "move(-1)", "Move up", key_display="alt+↑", show=False, id="meeting.move_up"),
        Binding("alt+down,ctrl+down", "move(1)", "Move down", key_display="alt+↓", show=False, id="meeting.move_down"),
        Binding("ctrl+b", "focus_stages", "Stage list", key_display="^b", show=False, id="meeting.focus_stages"),
        Binding("ctrl+s", "save", "Save now", show=False, id="meeting.save"),
        Binding("f12", "host", "Share", key_display="F12", show=False, id="meeting.host"),
        Binding("question_mark", "app.help", "Help", show=False, id="meeting.help"),
    ]
    # What leaves the footer first when the keys would not all fit (an item stage has 13,
    # 80 columns hold 10): they still work, and F1 help lists them. In a breakout room the
    # rooms' keys and +5m matter more than the agenda's.
    FOOTER_DROP = ("quit", "stage(-1)", "extend(300)", "presenter", "stage(1)", "open_rooms")
    FOOTER_DROP_ROOM = ("quit", "stage(-1)", "close", "open_rooms", "stage(1)", "next_item", "finish", "presenter")
    IN_ORDER_KEYS = frozenset(k.strip() for b in BINDINGS for k in b.key.split(",")) - {"question_mark"}
    ACTION_HELP = {
        "toggle_timer": "start, pause or resume the current item (on the overview: the next pending one); in a room, the rooms' timer",
        "next_item": "finish the current item and start the next pending one",
        "extend(60)": "give the current item (or every breakout room) one more minute",
        "extend(300)": "give the current item (or every breakout room) five more minutes",
        "defer": "defer this agenda item (again to bring it back)",
        "stage(-1)": "go to the previous stage",
        "stage(1)": "go to the next stage",
        "move(-1)": "move the selected entry or item up",
        "move(1)": "move the selected entry or item down",
        "presenter": "show the current item (or every room) and the countdown alone, for a shared screen",
        "finish": "preview the notes, copy them, put them in the archive",
        "focus_stages": "put the cursor in the stage list (↑/↓ and Enter)",
        "save": "save now (it saves by itself within half a second anyway)",
        "close": "save and leave the meeting for the home screen (a running timer keeps counting)",
        "open_rooms": "open breakout rooms from the suggestions, with one shared timebox",
        "next_room": "go to the next breakout room's notes",
        "bring_back": "close the breakout rooms: everyone back to the main room",
        "mark('action')": "mark the notes line under the cursor as an action (owner from @handle)",
        "mark('decision')": "mark the notes line under the cursor as a decision",
        "host": "share this meeting: others join with the line shown (facilitator join URL), or follow it read-only; again: show the lines",
    }
    EXTRA_COMMANDS = (
        ("Close session", "save and go back to the home screen (ctrl+o)", "close"),
        ("Save now", "write the session file now (ctrl+s)", "save"),
        ("Time review of this session", "planned, extensions and actual minutes of each item so far", "review"),
        ("Next meeting from this session", "create the next session, carrying over deferred and unfinished items and open actions", "next_meeting"),
    )

    # Which stage is shown; the watcher switches and loads the pane.
    stage_index: reactive[int] = reactive(0, init=False, always_update=True)

    def __init__(
        self,
        session: Session,
        lock: SessionLock | None = None,
        *,
        join: JoinShare | None = None,
        host: tuple[HostPlan, object | None, str] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.lock = lock
        self.template = self.app.template_named(session.template)
        # A joiner keeps no record (the host does): its engine saves nowhere.
        saver = None if join is not None else self._save_record
        self.engine = Meeting(session, self.template, self.app.now, self.app.wall, saver=saver)
        self.share: HostShare | JoinShare | None = None
        self.shared: SharedMeeting | None = None
        self._host_request = host
        if join is not None:
            self._attach_share(join)
        self._stage_keys = [s.key for s in self.engine.stages]
        index = 0
        if self.engine.current is not None:
            index = self._index_of_item(self.engine.current)
        self.set_reactive(MeetingScreen.stage_index, index)
        self._save_timer = None
        self._closed = False
        self._follow_current = False
        self._stage_waiting = False  # a stage whose pane is not mounted yet was asked for
        self.engine.subscribe(self._engine_changed)

    # The engine under the names the screen's readers know.
    @property
    def state(self) -> Meeting:
        return self.engine

    @property
    def stages(self) -> list[Stage]:
        return self.engine.stages

    @property
    def _dirty(self) -> bool:
        return self.engine.dirty

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The width's class before any child is styled: set from on_mount it restyled
        # every widget of the screen again (~13 ms below 100 columns).
        self._apply_width(self.app.size.width)
        with Horizontal(id="meeting-bar"):
            yield Static("", id="meeting-title", markup=False)
            yield Static("", id="meeting-clock", markup=False)
        yield Static("", id="meeting-share", markup=False)
        with Horizontal(id="meeting-body"):
            yield StageList(id="stages")
            # Only the pane of the stage shown is on the first frame; the others (each with
            # its text box, timer or form) are mounted just after it (_mount_panes).
            shown = pane_id(self.stage.kind) if self.stages else "pane-entries"
            with ContentSwitcher(id="panes", initial=shown):
                yield pane_class(shown)(id=shown)
        yield KeysFooter(drop=self.footer_drop)  # it paints the keys of the stage shown

    async def _mount_panes(self) -> None:
        """Mount the panes not on the first frame (hidden), then show a stage asked for meanwhile."""
        if not self.is_attached:  # closed before its first frames
            return
        switcher = self.query_one(ContentSwitcher)
        missing = [pane_class(name)(id=name) for name in PANES if self._in_switcher(name) is None]
        for pane in missing:
            pane.display = False
        # In the switcher's order (the first frame's pane is already among them).
        for pane in missing:
            later = PANES[PANES.index(pane.id) + 1 :]
            before = next((w for p in later if (w := self._in_switcher(p)) is not None), None)
            await switcher.mount(pane, before=before)
        if self._stage_waiting:
            self._stage_waiting = False
            self.watch_stage_index(self.stage_index)

    def _pane(self, name: str):
        """The pane with this id, or None until it is mounted (just after the first frame).

        A pane is in the switcher from ``mount`` on but holds its fields only once composed:
        a key or a host's change in between waits for it (``_stage_waiting``).
        """
        pane = self._in_switcher(name)
        return pane if pane is not None and pane.is_mounted else None

    def _in_switcher(self, name: str):
        """The pane with this id once ``mount`` has put it in the switcher, composed or not."""
        for child in self.query_one(ContentSwitcher).children:
            if child.id == name:
                return child
        return None

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_panes)  # after the first frame
        if self._host_request is not None:
            self.start_hosting(*self._host_request)
            self._host_request = None
        if self.share is not None and self.share.role == "host":  # a joiner's link is its JoinScreen's
            self.run_worker(self.share.run(), group="share", exit_on_error=False)
        title = Text(self.session.title or self.template.meeting_title, style="bold")
        title.append(f"  {self.session.date}")
        self.query_one("#meeting-title", Static).update(title)
        self.show_stage(self.stage_index, save=False)
        self.set_interval(REFRESH_INTERVAL, self.tick)
        self.tick()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        self.query_one(StageList).forget_labels()
        self.call_after_refresh(self._refresh_sidebar)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < 100, "-narrow")

    def on_screen_resume(self) -> None:
        # The presenter view may have started or moved on to another item.
        if self._follow_current and self.engine.current is not None and self.stage.kind != StageKind.AGENDA:
            if self.stage.item is not self.engine.current:
                self.show_stage(self._index_of_item(self.engine.current))
        self._follow_current = False
        self._refresh_panes()

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
        return self.engine.people()

    def update_suggestions(self) -> None:
        if self.stage.kind == StageKind.CHECKIN:
            names = self.suggestions()
            pane = self._pane("pane-entries")
            if pane is None:
                return
            pane.suggestions = names
            pane.query_one("#entry-input", Input).suggester = SuggestFromList(names, case_sensitive=False)

    def current_item(self) -> AgendaItem | None:
        """The item the timer controls act on: the shown one; on the overview the running one,
        else the next pending one; elsewhere the running one."""
        if self.stage.kind == StageKind.ITEM:
            return self.stage.item
        if self.stage.kind == StageKind.AGENDA:
            return self.engine.next_pending()
        return self.engine.current

    # -- saving --------------------------------------------------------------------
    def _engine_changed(self, change: Change) -> None:
        """The engine changed: save soon (not later than SAVE_DELAY); follow new stages."""
        if self._save_timer is None and not self._closed:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_due)
        if self.app.screen is not self:
            self._follow_current = True
        if change == Change.STRUCTURE and self.is_mounted:
            self.refresh_stages()
        if change != Change.CONTENT and self.is_mounted:
            self.refresh_bindings()  # the keys that apply follow the timer and the rooms

    def _save_due(self) -> None:
        self._save_timer = None
        if self.engine.dirty:
            self.save_now()

    def save_now(self) -> bool:
        from facilitator.store import StoreError

        if self._closed and self.lock is None:
            return False
        try:
            self.engine.save()
        except StoreError as e:
            self.app.notify(str(e), title="Not saved", severity="error", timeout=10)
            return False
        except OSError as e:
            self.app.notify(f"cannot save: {e}", title="Not saved", severity="error", timeout=10)
            return False
        return True

    def on_unmount(self) -> None:
        self.save_now()
        if self.share is not None:
            self.share.stop()
        if self.shared is not None:
            self.shared.close()
        self.engine.unsubscribe(self._engine_changed)
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self._closed = True

    # -- sharing -------------------------------------------------------------------
    def _save_record(self, session: Session) -> None:
        """The usual save; while hosting, the shared document's snapshot beside it too."""
        path = self.app.store.save(session)
        if self.shared is not None and self.share is not None and self.share.role == "host":
            from facilitator import shared_doc

            shared_doc.write_snapshot(self.shared.doc, shared_doc.snapshot_path(path))

    def _attach_share(self, share: HostShare | JoinShare) -> None:
        from facilitator.shared_meeting import SharedMeeting

        self.share = share
        self.shared = SharedMeeting(share.doc, self.engine, is_host=share.role == "host", schedule=self._schedule_remote)
        self.shared.on_error = lambda message: self.app.notify(message, title="Sharing", severity="error", timeout=8, markup=False)
        share.on_change = self._share_changed

    def start_hosting(self, plan: HostPlan, sock: object | None = None, name: str = "") -> bool:
        """Serve this meeting (``facilitator host ID``, or F12): others join with its URL."""
        from facilitator import share_session
        from facilitator.shared_doc import SnapshotError, open_host_doc

        if self.share is not None:
            return False
        path = self.app.store.path_for(self.session.id)
        try:
            if sock is None:
                sock, plan = share_session.bind_socket(plan)
            share_session.discard_stale_snapshot(path)  # the TOML was edited unshared since
            doc = open_host_doc(self.session, path)
            share_session.remember_hosting(self.app.sessions_dir, plan)
        except (share_session.ShareError, SnapshotError, OSError) as e:
            self.app.notify(str(e), title="Not shared", severity="error", timeout=10, markup=False)
            return False
        self._attach_share(share_session.HostShare(doc, plan, sock, name or _user_name()))
        if self.is_mounted:
            self.run_worker(self.share.run(), group="share", exit_on_error=False)
            self.refresh_stages()
            self._refresh_panes()
            self._link_pane(self.stage, self._shown_pane())
        self.app.notify(
            f"Sharing. Others join with:\nfacilitator join {plan.url}\n"
            f"or watch, read-only:\nfacilitator follow {plan.follow_url}",
            timeout=10, markup=False,
        )
        return True

    def action_host(self) -> None:
        from facilitator.share_session import plan_hosting

        if self.share is not None:
            lines = f"facilitator join {self.share.url}"
            if self.share.role == "host":  # only the host has the follow token
                lines += f"\nfacilitator follow {self.share.follow_url}"
            self.app.notify(lines, title="Join (or follow) this meeting with", timeout=10, markup=False)
            return
        from facilitator.share_session import snapshot_is_stale

        self.flush_panes()
        if self.engine.dirty:  # what was typed is in the record first; then it is newer
            self.save_now()
        stale = snapshot_is_stale(self.app.store.path_for(self.session.id))
        self.start_hosting(plan_hosting(self.app.sessions_dir, self.session.id, new=stale))

    def _schedule_remote(self, deliver) -> None:
        self.call_later(self._remote_arrived, deliver)

    def _remote_arrived(self, deliver) -> None:
        """Someone else changed the meeting: tell the engine, then show it."""
        before = self.engine.current
        deliver()
        if not self.is_mounted:
            return
        after = self.engine.current
        # A joiner on the item that was running follows the host to the next one.
        if after is not None and after is not before and self.stage.kind == StageKind.ITEM and self.stage.item is before:
            self.show_stage(self._index_of_item(after), focus=False)
        kind = self.stage.kind
        if kind in LIST_STAGES and (pane := self._pane("pane-entries")) is not None:
            pane.refresh_list()
        self._refresh_panes()
        self.tick()
        self.refresh_bindings()

    def _share_changed(self) -> None:
        if self.is_mounted:
            self.call_later(self._refresh_share)

    def _refresh_share(self) -> None:
        """The line under the title: the link (hosting, online, offline) and who is where."""
        from facilitator.sanitize import clean

        bar = self.query_one("#meeting-share", Static)
        share = self.share
        if share is None or self.shared is None:
            bar.display = False
            return
        bar.display = True
        status = share.status_line()
        offline = share.role == "joiner" and not status.startswith("online")
        line = Text("○ " if offline else "● ", style="bold red" if offline else "bold green")
        line.append(clean(status), style="bold" if offline else "")
        for peer in share.peers():
            if peer.is_me:  # you know where you are; the line is for the others
                continue
            where = " ".join(clean(self.shared.describe_where(peer.where)).split())
            line.append(" · ")
            line.append(clean(peer.name) + (" (host)" if peer.role == "host" else ""), style="bold")
            if where:
                line.append(f": {where[:24] + '…' if len(where) > 25 else where}", style="italic")
        bar.update(line)
        bar.set_class(offline, "-offline")

    def _shown_pane(self):
        switcher = self.query_one(ContentSwitcher)
        return switcher.get_child_by_id(switcher.current) if switcher.current else None

    def _link_pane(self, stage: Stage, pane) -> None:
        """While shared: the shown notes edit the shared text; say where this person is."""
        shared = self.shared
        if shared is None or pane is None:
            return
        from facilitator.widgets.notes import NotesArea

        areas = pane.query(NotesArea)
        area = areas.first() if areas else None
        if area is not None:
            link = None
            if stage.kind == StageKind.ITEM and stage.item is not None:
                link = shared.link_item_notes(stage.item, area.apply_remote)
            elif stage.kind in (StageKind.ROOM, StageKind.RAW) and stage.section is not None:
                link = shared.link_section_body(stage.section, area.apply_remote)
            area.link_shared(link)
        if self.share is not None:
            self.share.set_where(shared.where(stage.section, stage.item))
        self._refresh_share()

    # -- display -------------------------------------------------------------------
    def refresh_stages(self) -> None:
        """Follow a new list of stages (the agenda or the rooms changed); refresh the sidebar."""
        keys = [s.key for s in self.stages]
        if keys != self._stage_keys:
            old = self._stage_keys[self.stage_index] if self.stage_index < len(self._stage_keys) else None
            self._stage_keys = keys
            self.query_one(StageList).forget_labels()
            if old in keys:
                self.set_reactive(MeetingScreen.stage_index, keys.index(old))
            else:
                self.show_stage(min(self.stage_index, len(keys) - 1), save=False)
        self._refresh_sidebar()

    def _refresh_sidebar(self) -> None:
        self.query_one(StageList).show(self.stages, self.engine, self.stage_index)

    def show_stage(self, index: int, save: bool = True, focus: bool = True) -> None:
        self.flush_panes()
        if save and self.engine.dirty:
            self.save_now()
        self._focus_on_show = focus
        self.stage_index = max(0, min(index, len(self.stages) - 1))

    def watch_stage_index(self, index: int) -> None:
        st = self.stages[index]
        switcher = self.query_one(ContentSwitcher)
        name = pane_id(st.kind)
        pane = self._pane(name)
        if pane is None:  # asked for before the panes are mounted: shown once they are
            self._stage_waiting = True
            self._refresh_sidebar()
            return
        switcher.current = name
        if st.kind in LIST_STAGES:
            pane.load(st, self.engine, self.suggestions())
        elif st.kind == StageKind.AGENDA:
            pane.load(st, self.engine)
        elif st.kind == StageKind.ITEM:
            pane.load(st.item)
        else:
            pane.load(st.section)
        self._link_pane(st, pane)
        if getattr(self, "_focus_on_show", True):
            pane.focus_main()
        self._focus_on_show = True
        self._refresh_sidebar()
        self.tick()
        self.refresh_bindings()

    def tick(self) -> None:
        """Refresh what the clock shows (the time itself comes from monotonic deadlines)."""
        e = self.engine
        if e.should_bell():
            self.app.bell()
            what = item_label(e.current) if e.current is not None and e.timer is not None and e.timer.remaining() <= 0 else "breakout rooms"
            self.app.notify(Text(f"Time is up: {what}").plain, timeout=5, markup=False)
        line = e.meeting_line()
        if e.rooms_open:
            line = f"rooms {e.rooms_view().text} · " + line
        self.query_one("#meeting-clock", Static).update(Text(line))
        kind, pane = self.stage.kind, self._shown_pane()
        shown = pane.id if pane is not None else None
        if kind == StageKind.ITEM and shown == "pane-item":
            pane.show_timer(e.timer_view(self.stage.item))
        elif kind == StageKind.ROOM and shown == "pane-room":
            pane.show_timer(e.rooms_view())
        self._refresh_sidebar()

    def timer_view(self, item: AgendaItem | None) -> tuple[str, str, str, bool]:
        v = self.engine.timer_view(item)
        return v.text, v.info, v.state, v.running

    def flush_panes(self) -> None:
        """Put what the shown pane's text box holds into the session now.

        The panes report it on TextArea.Changed, which comes later than the keys typed.
        """
        switcher = self.query_one(ContentSwitcher)
        pane = switcher.get_child_by_id(switcher.current) if switcher.current else None
        pending = getattr(pane, "pending", None)
        change = pending() if pending is not None else None
        if change is not None:
            self._apply_notes(*change)

    def _apply_notes(self, target: AgendaItem | Section, text: str) -> None:
        if isinstance(target, AgendaItem):
            self.engine.set_notes(target, text)
        else:
            self.engine.set_body(target, text)

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

    def footer_drop(self) -> tuple[str, ...]:
        """The footer's order for leaving out keys that do not fit (see KeysFooter)."""
        return self.FOOTER_DROP_ROOM if self.stages and self.stage.kind == StageKind.ROOM else self.FOOTER_DROP

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Which meeting keys apply on this stage: the others leave the footer (False;
        None would show them dimmed).

        Every key the footer shows does what it says here; the rules live in the engine.
        """
        if not self.stages:
            return True
        kind = self.stage.kind
        m = self.engine
        if not m.controls_meeting and action in ("toggle_timer", "next_item", "extend", "defer", "finish", "bring_back"):
            return False  # a joiner: only the host moves the meeting on
        if not m.controls_meeting and action == "open_rooms" and not m.rooms_open:
            return False
        if not m.controls_meeting and action in ("save", "next_meeting"):
            return False  # a joiner keeps no record (the host does): nothing to save or carry on from
        if action == "host" and self.lock is None and self.share is None:
            return False
        running = m.current is not None
        rooms_here = kind == StageKind.ROOM and m.rooms_open  # the shared rooms' countdown
        if action == "toggle_timer":
            if kind == StageKind.ITEM or rooms_here or running:
                return True
            return bool(kind == StageKind.AGENDA and m.next_pending() is not None)
        if action == "extend":
            if kind == StageKind.ITEM or rooms_here or running:
                return True
            return bool(kind == StageKind.AGENDA and m.next_pending() is not None)
        if action == "defer":
            if kind == StageKind.ITEM:
                return True
            if kind == StageKind.AGENDA:
                return bool(self.session.agenda_items)
            if kind == StageKind.ROOM:
                return False  # a room is not an agenda item; ctrl+e brings everyone back
            return bool(running)
        if action == "stage":
            step = int(parameters[0]) if parameters else 0
            return bool(0 <= self.stage_index + step < len(self.stages))
        if action == "move":
            return bool(kind in (*LIST_STAGES, StageKind.AGENDA, StageKind.ITEM))
        if action == "next_room":
            return bool(self.session.rooms)
        if action == "bring_back":
            return bool(m.rooms_open)
        if action == "mark":
            return bool(kind in (StageKind.ITEM, StageKind.ROOM, StageKind.RAW))
        return True

    # -- messages from the panes ---------------------------------------------------
    # The panes' messages, by handler name: the pane classes are imported when first shown.
    def notes_edited(self, event: NotesEdited) -> None:
        event.stop()
        self._apply_notes(event.target, event.text)

    def entry_submitted(self, event: EntryPane.Submitted) -> None:
        event.stop()
        if event.index is None:
            idx = self.engine.add_entry(event.section, event.text)
        else:
            self.engine.edit_entry(event.section, event.index, event.text)
            idx = event.index
        self._refresh_entries(event.section, idx)

    def entry_pasted(self, event: EntryPane.Pasted) -> None:
        event.stop()
        new = pasted_lines(event.text)
        last = self.engine.add_entries(event.section, new)
        self._refresh_entries(event.section, last)
        if new:
            self.app.notify(f"Added {len(new)} lines." if len(new) != 1 else "Added 1 line.", timeout=3)
        else:
            self.app.notify("Nothing added: the pasted lines were blank, headings or the sign-in prompt.",
                            timeout=5)

    def entry_question(self, event: EntryPane.QuestionSet) -> None:
        event.stop()
        self.engine.set_intro(event.section, event.text)
        self._refresh_entries(event.section, 0)
        self.app.notify(f"Question: {event.section.intro}" if event.section.intro else "Question removed", timeout=3, markup=False)

    def entry_removed(self, event: EntryPane.Removed) -> None:
        event.stop()
        removed = self.engine.remove_entry(event.section, event.index)
        self._refresh_entries(event.section, event.index)
        self.app.notify(Text(f"Removed: {removed}").plain, timeout=3, markup=False)

    def entry_late(self, event: EntryPane.LateToggled) -> None:
        event.stop()
        if not self.engine.toggle_late(event.section, event.index):
            self.app.notify("That line already has a note; edit it instead.", timeout=3)
        self._refresh_entries(event.section, event.index)

    def _refresh_entries(self, section: Section, highlight: int) -> None:
        pane = self._pane("pane-entries")
        if pane is not None and pane.stage is not None and pane.stage.section is section:
            pane.refresh_list(highlight)

    def agenda_submitted(self, event: AgendaPane.Submitted) -> None:
        event.stop()
        if event.editing is not None:
            self.engine.edit_item(event.editing, event.text)
            target = event.editing
        else:
            target = self.engine.add_item(event.text)
        self.query_one("#pane-agenda").refresh_list(target)

    def agenda_pasted(self, event: AgendaPane.Pasted) -> None:
        event.stop()
        added, messages = self.engine.add_agenda_text(event.text)
        self.query_one("#pane-agenda").refresh_list(added[-1] if added else None)
        word = f"Added {len(added)} item{'s' if len(added) != 1 else ''}"
        self.app.notify("\n".join([word, *messages]), timeout=6, markup=False)

    def agenda_remove(self, event: AgendaPane.RemoveRequested) -> None:
        event.stop()
        self.remove_item(event.item)

    on_notes_edited = notes_edited
    on_entry_pane_submitted = entry_submitted
    on_entry_pane_question_set = entry_question
    on_entry_pane_pasted = entry_pasted
    on_entry_pane_removed = entry_removed
    on_entry_pane_late_toggled = entry_late
    on_agenda_pane_submitted = agenda_submitted
    on_agenda_pane_pasted = agenda_pasted
    on_agenda_pane_remove_requested = agenda_remove

    # -- actions -------------------------------------------------------------------
    def action_toggle_timer(self) -> None:
        if self.stage.kind == StageKind.ROOM and self.engine.rooms_open:
            self.engine.toggle_rooms()
            self.save_now()
            self.tick()
            return
        item = self.current_item()
        if item is None:
            self.app.notify("No pending agenda item: add one on the agenda overview, or F10 to finish.", timeout=3)
            return
        result = self.engine.toggle(item)
        if result == "started" and self.stage.item is not item and self.stage.kind != StageKind.AGENDA:
            self.show_stage(self._index_of_item(item))
        self.save_now()
        self.refresh_stages()
        self._refresh_panes()
        self.tick()
        if self.stage.kind == StageKind.AGENDA:
            self.app.notify(Text(f"{result.capitalize()}: {item_label(item)}").plain, timeout=3, markup=False)

    def action_next_item(self) -> None:
        if self.engine.current is None and self.stage.kind not in (StageKind.ITEM, StageKind.AGENDA):
            nxt_stage = self.stage_index + 1
            if nxt_stage < len(self.stages) and self.stages[nxt_stage].kind != StageKind.ITEM:
                self.show_stage(nxt_stage)
                return
        after = self.stage.item if self.stage.kind == StageKind.ITEM else None
        nxt = self.engine.next_item(after=after)
        self.save_now()
        if nxt is None:
            self.refresh_stages()
            self._refresh_panes()
            self.tick()
            self.app.notify("That was the last item. F10 to finish and export.", timeout=4)
            return
        self.show_stage(self._index_of_item(nxt))

    def action_extend(self, seconds: int) -> None:
        if self.stage.kind == StageKind.ROOM and self.engine.rooms_open:
            self.engine.extend_rooms(int(seconds))
            self.tick()
            return
        item = self.current_item()
        if item is None:
            return
        self.engine.extend(int(seconds), item)
        self._refresh_panes()
        self.tick()

    def action_defer(self) -> None:
        if self._stage_waiting and self.stage.kind == StageKind.AGENDA:
            return  # its pane is not there yet: nothing highlighted to defer
        item = self.current_item() if self.stage.kind != StageKind.AGENDA else (
            self.query_one("#pane-agenda").highlighted_item() or self.engine.current
        )
        if item is None:
            return
        result = self.engine.defer(item)
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
        if self._stage_waiting:  # its pane is not there yet: nothing selected to move
            return
        if kind in LIST_STAGES:
            pane = self.query_one("#pane-entries")
            idx = pane.highlighted()
            if idx is not None and self.stage.section is not None:
                j = self.engine.move_entry(self.stage.section, idx, delta)
                if j is not None:
                    pane.refresh_list(j)
        elif kind == StageKind.AGENDA:
            item = self.query_one("#pane-agenda").highlighted_item()
            if item is not None:
                self.engine.move_item(item, delta)
                self.query_one("#pane-agenda").refresh_list(item)
        elif kind == StageKind.ITEM:
            self.engine.move_item(self.stage.item, delta)

    def action_presenter(self) -> None:
        self.flush_panes()
        from facilitator.screens.presenter import PresenterScreen  # on first use (not at open)

        self.app.push_screen(PresenterScreen(self.engine))

    def action_finish(self) -> None:
        self.flush_panes()
        self.engine.finish()
        self.save_now()
        self.refresh_stages()
        self._refresh_panes()
        from facilitator.screens.finish import FinishScreen  # on first use (not at open)

        self.app.push_screen(FinishScreen(self.engine))

    def action_close(self) -> None:
        self.flush_panes()
        self.save_now()
        if self.engine.running or self.engine.rooms_open:
            self.app.notify("Left the meeting; its timer keeps running. Open it again from home.", timeout=4)
        self.app.pop_screen()

    def action_review(self) -> None:
        from facilitator.screens.review import ReviewScreen

        if not self.engine.controls_meeting:  # a joiner has no file: review the meeting as it is now
            self.flush_panes()
            snapshot = Session.from_dict(self.session.to_dict())  # the review reads it in a thread
            self.app.push_screen(ReviewScreen(self.app.store, self.session.id, session=snapshot))
            return
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

    # -- breakout rooms --------------------------------------------------------------
    def action_open_rooms(self) -> None:
        if self.engine.rooms_open:
            self.action_next_room()
            return
        self.flush_panes()

        def opened(result) -> None:
            if not result:
                return
            plans, minutes = result
            made = self.engine.open_rooms(plans, minutes)
            self.save_now()
            self.refresh_stages()
            if made:
                self.show_stage(next(n for n, st in enumerate(self.stages) if st.section is made[0]))
                self.app.notify(f"{len(made)} room{'s' if len(made) != 1 else ''} open for {minutes} min. ctrl+g: next room · ctrl+e: bring everyone back", timeout=5)

        names = [a.name for a in self.session.attendees if a.name]
        from facilitator.screens.rooms import OpenRoomsScreen  # on first use (not at open)

        self.app.push_screen(OpenRoomsScreen(self.engine.suggestions(), names), opened)

    def action_next_room(self) -> None:
        rooms_at = [n for n, st in enumerate(self.stages) if st.kind == StageKind.ROOM]
        if not rooms_at:
            return
        later = [n for n in rooms_at if n > self.stage_index]
        self.show_stage(later[0] if later else rooms_at[0])

    def action_bring_back(self) -> None:
        self.flush_panes()
        took = self.engine.bring_back()
        self.save_now()
        self.tick()
        self.app.notify(f"Everyone back in the main room (the rooms took {int(took // 60)} min).", timeout=4)

    # -- actions and decisions in the notes ------------------------------------------
    def action_mark(self, kind: str) -> None:
        switcher = self.query_one(ContentSwitcher)
        pane = switcher.get_child_by_id(switcher.current) if switcher.current else None
        if pane is None:
            return
        from facilitator import actions
        from facilitator.widgets.notes import NotesArea

        area = pane.query_one(NotesArea)
        row = area.cursor_location[0]
        line = area.document[row] if row < area.document.line_count else ""
        new = actions.mark_line(line, actions.Mark(kind))
        if new != line:
            area.replace(new, (row, 0), (row, len(line)))
            area.move_cursor((row, len(new)))
        self.flush_panes()

    @on(OptionList.OptionSelected, "#stages")
    def stage_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_stage(event.option_index)

    # -- agenda editing ------------------------------------------------------------
    def _refresh_panes(self) -> None:
        if self._stage_waiting:  # the pane loads the stage when it is mounted
            return
        kind = self.stage.kind
        if kind == StageKind.AGENDA:
            self.query_one("#pane-agenda").refresh_list()
        elif kind == StageKind.ITEM:
            self.query_one("#pane-item").refresh_header()

    def add_item(self, text: str) -> AgendaItem:
        return self.engine.add_item(text)

    def remove_item(self, item: AgendaItem) -> None:
        from facilitator.screens.dialogs import ConfirmDialog

        def really(ok: bool | None) -> None:
            if not ok:
                return
            self.engine.remove_item(item)
            self._refresh_panes()

        if item.notes.strip():
            self.app.push_screen(
                ConfirmDialog(f"Remove “{item_label(item)}” and its notes?", "Remove"), really
            )
        else:
            really(True)


def _user_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "host"
