"""The meeting's other panes are mounted just after its first frame; keys and remote changes
that come while one of them is still composing wait for it instead of raising NoMatches.

A joiner's screen met this in real terminals: F3 (or a change from the host) reached the
agenda pane between its mount and its compose, and ``query_one("#agenda-list")`` failed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import OptionList

import facilitator.screens.meeting as meeting_screen
from facilitator.store import SessionStore
from facilitator.widgets.panes.agenda import AgendaPane
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app
from tests.test_shared_doc import make_session


async def test_keys_and_remote_changes_while_the_agenda_pane_composes_wait_for_it(
    sessions_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    SessionStore(sessions_dir).save(make_session())
    gate = asyncio.Event()
    composing = asyncio.Event()

    class GatedAgendaPane(AgendaPane):
        """Holds its compose (public ``on_compose`` handler, run before Widget's) until let go."""

        async def on_compose(self, event) -> None:
            composing.set()
            await gate.wait()

    original = meeting_screen.pane_class
    monkeypatch.setattr(meeting_screen, "pane_class", lambda name: GatedAgendaPane if name == "pane-agenda" else original(name))
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-11-19")
    async with app.run_test(size=(110, 30)) as pilot:
        await asyncio.wait_for(composing.wait(), 10)
        screen = app.screen
        try:
            assert type(screen).__name__ == "MeetingScreen"
            pane = screen.query_one("#pane-agenda")
            assert not pane.is_mounted and not pane.query(OptionList)  # in the DOM, not composed
            # Pilot's press and pause wait for every widget to be idle, the held pane too:
            # keys go in as the terminal's do, and time passes with asyncio's sleep.
            for key in ("f3", "f3"):  # check-in → celebrations → agenda, before it is ready
                app.simulate_key(key)
                await asyncio.sleep(0.05)
            screen._remote_arrived(lambda: None)  # a change from the host meanwhile
            await asyncio.sleep(0.05)
            assert screen.stage.kind == "agenda"
        finally:
            gate.set()  # else the app never closes: its shutdown waits for the held pane
        for _ in range(50):
            await pilot.pause()
            if screen.query_one("#panes").current == "pane-agenda":
                break
        assert screen.query_one("#panes").current == "pane-agenda"
        items = screen.query_one("#agenda-list", OptionList)
        assert items.option_count == len(screen.session.agenda_items) > 0
    assert app.return_code in (None, 0)  # no exception ended the app
