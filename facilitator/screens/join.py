"""Joining a shared meeting: wait for the host, then the meeting screen on the shared document.

The bottom screen of ``facilitator join URL``. It keeps the link (``JoinShare``) running
for the whole app, shows how it is going until the first sync, then opens the meeting
over itself; when the meeting is left, the app ends. A refusal (wrong token, another
meeting) ends the app with the reason.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from facilitator.widgets.footer import KeysFooter
from textual.widgets import Static

from facilitator.share_client import LinkState
from facilitator.share_session import JoinShare


class JoinScreen(Screen):
    BINDINGS = [Binding("ctrl+o,escape", "leave", "Leave", id="join.leave")]

    def __init__(self, share: JoinShare) -> None:
        super().__init__()
        self.share = share
        self._opened = False

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="join-box"):
                yield Static(Text("Joining a shared meeting", style="bold"), id="join-title")
                yield Static("", id="join-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.share.on_change = lambda: self.call_later(self._changed)
        self.run_worker(self.share.run(), group="join", exit_on_error=False)
        self._changed()

    def _changed(self) -> None:
        from facilitator.sanitize import clean

        client = self.share.client
        if self.is_mounted:
            self.query_one("#join-status", Static).update(Text(clean(client.message)))
        if client.state == LinkState.REFUSED:
            self.app.exit(1, message=f"facilitator: error: {clean(client.message)}")
            return
        if client.connections and not self._opened:
            self._open_meeting()
        elif self._opened:
            screen = self.app.screen
            refresh = getattr(screen, "_share_changed", None)
            if refresh is not None:
                refresh()

    def _open_meeting(self) -> None:
        from facilitator import shared_doc
        from facilitator.screens.meeting import MeetingScreen

        if not shared_doc.has_skeleton(self.share.doc):
            return  # synced, but the host's document holds no meeting yet: wait
        self._opened = True
        session = shared_doc.doc_to_session(self.share.doc)
        self.app.push_screen(MeetingScreen(session, join=self.share))

    def on_screen_resume(self) -> None:
        if self._opened:  # the meeting was left
            self.action_leave()

    def action_leave(self) -> None:
        self.share.stop()
        self.app.exit(0)
