"""The presenter view: the current item, its owner and the countdown, for a shared screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from facilitator.widgets.timer import TimerDisplay

if TYPE_CHECKING:
    from facilitator.screens.meeting import MeetingScreen


class PresenterScreen(Screen):
    """Big and plain; the timer keys still work here."""

    BINDINGS = [
        Binding("f4,ctrl+t,escape", "back", "Back", key_display="F4", priority=True),
        Binding("f5", "meeting('toggle_timer')", "Start/Pause", priority=True),
        Binding("f6,ctrl+n", "meeting('next_item')", "Next item", key_display="F6", priority=True),
        Binding("f7", "meeting('extend(60)')", "+1 min", priority=True),
        Binding("f8", "meeting('extend(300)')", "+5 min", priority=True),
    ]

    def __init__(self, meeting: MeetingScreen) -> None:
        super().__init__()
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        with Vertical(id="presenter"):
            yield Static("", id="presenter-meeting", markup=False)
            yield Static("", id="presenter-title", markup=False)
            yield Static("", id="presenter-owner", markup=False)
            with Center():
                yield TimerDisplay(id="presenter-timer")
            yield Static("", id="presenter-next", markup=False)

    def on_mount(self) -> None:
        self.refresh_timer()

    def refresh_timer(self) -> None:
        m = self.meeting
        item = m.state.current
        if item is None and m.stage.kind == "item":
            item = m.stage.item
        self.query_one("#presenter-meeting", Static).update(
            Text(f"{m.session.title or m.template.meeting_title} · {m.session.date}", style="dim")
        )
        self.query_one("#presenter-title", Static).update(Text(item.title or item.text if item else "—", style="bold"))
        self.query_one("#presenter-owner", Static).update(Text(item.owner if item else ""))
        self.query_one("#presenter-timer", TimerDisplay).show(*m.timer_view(item))
        items = m.session.agenda_items
        nxt = None
        if item in items:
            nxt = next((i for i in items[items.index(item) + 1 :] if i.status == "pending"), None)
        self.query_one("#presenter-next", Static).update(
            Text(f"next: {nxt.owner + ': ' if nxt.owner else ''}{nxt.title or nxt.text}" if nxt else "", style="dim")
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_meeting(self, action: str) -> None:
        await self.meeting.run_action(action)
        self.refresh_timer()
