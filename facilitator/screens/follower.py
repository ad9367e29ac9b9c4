"""The read-only follower: the presenter view of a meeting someone else runs.

``facilitator follow`` (and each browser tab of ``serve-follow``) runs ``FollowerApp``
on a source (``facilitator.follow.SessionFileWatch``, or a joined shared meeting) that
it polls. Nothing here can change the meeting: the screen has no bindings of its own,
the app's only key quits, there is no command palette, and the engine it draws has
no saver. A source that goes wrong keeps the last good state on screen, with why.
"""

from __future__ import annotations

import time
from typing import Callable, Protocol

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from facilitator.engine import Meeting
from facilitator.follow import FollowState, follower_info
from facilitator.model import Session
from facilitator.paths import styles_dir
from facilitator.screens.presenter import PresenterView

POLL_INTERVAL = 0.5  # seconds between looks at the source (a stat() for a file)


class FollowSource(Protocol):
    """Where the follower's meeting comes from; ``poll`` is cheap and never blocks.

    A source that must run to be fed (a joined shared meeting) also has an ``async def
    run()``; the screen runs it as a worker for as long as it is shown.
    """

    state: FollowState

    def poll(self) -> FollowState | None: ...


class FollowerScreen(PresenterView):
    """The presenter view, read-only, with one line saying what it follows and how fresh it is."""

    #: The source's last state: a new session replaces the engine, a problem shows below.
    follow_state: reactive[FollowState | None] = reactive(None, init=False)

    def __init__(
        self,
        source: FollowSource,
        make_engine: Callable[[Session], Meeting],
        where: str,
    ) -> None:
        self.source = source
        self.make_engine = make_engine
        self.where = where
        self._version = source.state.version
        session = source.state.session
        super().__init__(make_engine(session) if session is not None else None)  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", id="follow-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.follow_state = self.source.state
        self.set_interval(POLL_INTERVAL, self.poll_source)
        run = getattr(self.source, "run", None)
        if run is not None:
            self.run_worker(run(), name="follow-source", exclusive=True)

    def hint(self, info: str) -> str:
        return follower_info(info)

    def refresh_timer(self) -> None:
        if self.engine is None:  # a shared meeting not synced yet
            self.query_one("#presenter-title", Static).update(Text("waiting for the meeting…", style="bold"))
            return
        super().refresh_timer()

    def poll_source(self) -> None:
        """Look at the source (cheap); what changed goes to ``follow_state``."""
        state = self.source.poll()
        if state is not None:
            self.follow_state = state

    def watch_follow_state(self, state: FollowState | None) -> None:
        if state is None:
            return
        if state.version != self._version and state.session is not None:
            self._version = state.version
            self.engine = self.make_engine(state.session)
            self.refresh_timer()
        self.show_status(state)

    def show_status(self, state: FollowState) -> None:
        status = self.query_one("#follow-status", Static)
        status.set_class(bool(state.problem), "-problem")
        if state.problem:
            status.update(Text(state.problem))
            return
        when = time.strftime("%H:%M:%S", time.localtime(state.updated_at)) if state.updated_at else "—"
        status.update(Text(f"read-only · q quits · updated {when} · following {self.where}"))


class FollowerApp(App[int]):
    """A shell for ``FollowerScreen``: one key (quit), no command palette, no other screens."""

    TITLE = "facilitator follow"
    CSS_PATH = [styles_dir() / "app.tcss", styles_dir() / "screens.tcss"]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("q,ctrl+q", "quit", "Quit", priority=True, id="follower.quit")]

    def __init__(self, source: FollowSource, make_engine: Callable[[Session], Meeting], where: str) -> None:
        super().__init__()
        self.source = source
        self.make_engine = make_engine
        self.where = where

    def on_mount(self) -> None:
        self.push_screen(FollowerScreen(self.source, self.make_engine, self.where))


def run_follower(source: FollowSource, make_engine: Callable[[Session], Meeting], where: str) -> int:
    """Run the follower until the viewer quits; the exit status."""
    result = FollowerApp(source, make_engine, where).run()
    return int(result or 0)
