"""The presenter view: the current item, its owner and the countdown, for a shared screen.

While breakout rooms are open it shows every room's topic and their shared countdown.
``PresenterView`` only reads the meeting engine (the read-only follower shows it as it is);
``PresenterScreen`` adds the facilitator's timer keys, which drive the engine.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from facilitator.engine import Meeting
from facilitator.rooms import room_label
from facilitator.widgets.timer import TimerDisplay

REFRESH_INTERVAL = 0.25


class PresenterView(Screen):
    """Big and plain, and read-only: no bindings; nothing in it changes the meeting."""

    def __init__(self, engine: Meeting) -> None:
        super().__init__()
        self.engine = engine

    def hint(self, info: str) -> str:
        """The timer's info line as shown (the follower leaves out the facilitator's keys)."""
        return info

    def compose(self) -> ComposeResult:
        with Vertical(id="presenter"):
            yield Static("", id="presenter-meeting", markup=False)
            yield Static("", id="presenter-title", markup=False)
            yield Static("", id="presenter-owner", markup=False)
            with Center():
                yield TimerDisplay(id="presenter-timer")
            yield Static("", id="presenter-rooms", markup=False)
            yield Static("", id="presenter-next", markup=False)

    def on_mount(self) -> None:
        self.refresh_timer()
        self.set_interval(REFRESH_INTERVAL, self.refresh_timer)

    def refresh_timer(self) -> None:
        e = self.engine
        s = e.session
        title = s.title or (e.template.meeting_title if e.template is not None else "")
        self.query_one("#presenter-meeting", Static).update(Text(f"{title} · {s.date}", style="dim"))
        display = self.query_one("#presenter-timer", TimerDisplay)
        rooms = self.query_one("#presenter-rooms", Static)
        if e.rooms_open:
            self.query_one("#presenter-title", Static).update(Text("Breakout rooms", style="bold"))
            self.query_one("#presenter-owner", Static).update(Text(""))
            v = e.rooms_view()
            display.show(v.text, self.hint(v.info), v.state, v.running)
            rooms.display = True
            rooms.update(Text("\n".join(room_label(r) for r in s.rooms)))
            self.query_one("#presenter-next", Static).update(Text(""))
            return
        rooms.display = False
        item = e.current or e.next_pending()
        self.query_one("#presenter-title", Static).update(Text(item.title or item.text if item else "—", style="bold"))
        self.query_one("#presenter-owner", Static).update(Text(item.owner if item else ""))
        v = e.timer_view(item)
        display.show(v.text, self.hint(v.info), v.state, v.running)
        items = s.agenda_items
        nxt = None
        if item in items:
            nxt = next((i for i in items[items.index(item) + 1 :] if i.status == "pending"), None)
        self.query_one("#presenter-next", Static).update(
            Text(f"next: {nxt.owner + ': ' if nxt.owner else ''}{nxt.title or nxt.text}" if nxt else "", style="dim")
        )


class PresenterScreen(PresenterView):
    """The presenter view in the facilitator's app: the timer keys still work here."""

    BINDINGS = [
        Binding("f4,ctrl+t,escape", "back", "Back", key_display="F4", priority=True, id="presenter.back"),
        Binding("f5", "toggle", "Start/Pause", priority=True, id="presenter.toggle"),
        Binding("f6,ctrl+n", "next_item", "Next item", key_display="F6", priority=True, id="presenter.next_item"),
        Binding("f7", "extend(60)", "+1 min", priority=True, id="presenter.extend_1"),
        Binding("f8", "extend(300)", "+5 min", priority=True, id="presenter.extend_5"),
    ]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """A joiner of a shared meeting watches the clock; only the host runs it."""
        if action in ("toggle", "next_item", "extend") and not self.engine.controls_meeting:
            return False
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def _save(self) -> None:
        try:
            self.engine.save()
        except Exception as e:  # noqa: BLE001 - the meeting screen saves again soon
            self.app.notify(f"Not saved yet: {e}", severity="warning", timeout=5, markup=False)

    def action_toggle(self) -> None:
        e = self.engine
        if e.rooms_open:
            e.toggle_rooms()
        else:
            item = e.current or e.next_pending()
            if item is not None:
                e.toggle(item)
        self._save()
        self.refresh_timer()

    def action_next_item(self) -> None:
        self.engine.next_item()
        self._save()
        self.refresh_timer()

    def action_extend(self, seconds: int) -> None:
        e = self.engine
        if e.rooms_open:
            e.extend_rooms(int(seconds))
        elif e.current is not None:
            e.extend(int(seconds), e.current)
        self.refresh_timer()
