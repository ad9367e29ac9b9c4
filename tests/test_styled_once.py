"""Home, the meeting and the history screens are styled once when first shown (no second pass, no restyle for their size classes), and lose nothing by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.screen import Screen

from facilitator.app import FacilitatorApp
from facilitator.screens.home import HomeScreen
from facilitator.screens.meeting import MeetingScreen
from facilitator.store import SessionStore
from tests.conftest import FakeClock, settled
from tests.test_app_meeting import make_app
from tests.test_app_rename_delete import on_home, two_on_a_day  # noqa: F401 (fixture)


def _looks(screen: Screen) -> dict[int, tuple[str, frozenset]]:
    """Every node's computed styles (rules and inline) and pseudo-classes."""
    return {id(n): (n.styles.css, frozenset(n.get_pseudo_classes())) for n in screen.walk_children(with_self=True)}


def _count_restyles(monkeypatch, cls: type[Screen]) -> list[int]:
    """The whole-screen restyles of each ``cls`` screen, as the number of nodes restyled
    (a class set in compose restyles the screen alone: its children are not mounted yet)."""
    calls: list[int] = []
    original = Screen.update_node_styles

    def spy(self, animate: bool = True) -> None:
        if isinstance(self, cls) and len(self.children):
            calls.append(len(list(self.walk_children(with_self=True))))
        original(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", spy)
    return calls


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_home_first_shown_is_styled_once_and_as_a_full_restyle_would(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch, size) -> None:  # noqa: F811
    restyles = _count_restyles(monkeypatch, HomeScreen)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=size) as pilot:
        await on_home(pilot)
        await settled(pilot)
        # Textual's pass on the first ScreenResume was skipped, and the size classes of
        # 80x24 were set before the children were styled, not after.
        assert restyles == []
        looks, shot = _looks(app.screen), app.export_screenshot()
        app.screen.update_node_styles(animate=False)  # what Textual would have done
        await settled(pilot)
        assert _looks(app.screen) == looks
        assert app.export_screenshot() == shot


async def test_home_shown_again_restyles_as_textual_does(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    restyles = _count_restyles(monkeypatch, HomeScreen)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        home = app.screen
        assert restyles == []
        home.post_message(events.ScreenResume())  # as Textual sends when a screen is pushed again
        await settled(pilot)
        assert len(restyles) == 1 and restyles[0] == len(list(home.walk_children(with_self=True)))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_meeting_first_shown_is_styled_once_and_as_a_full_restyle_would(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch, size) -> None:  # noqa: F811
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    restyles = _count_restyles(monkeypatch, MeetingScreen)
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-12-17")
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert restyles == []
        looks, shot = _looks(app.screen), app.export_screenshot()
        app.screen.update_node_styles(animate=False)
        await settled(pilot)
        assert _looks(app.screen) == looks
        assert app.export_screenshot() == shot


def _history_screen(name: str, store: SessionStore) -> Screen:
    from facilitator.screens.browse import BrowseScreen
    from facilitator.screens.people import PeopleScreen
    from facilitator.screens.review import ReviewScreen
    from facilitator.screens.search import SearchScreen
    from facilitator.screens.session_view import SessionView

    return {
        "browse": lambda: BrowseScreen(store),
        "search": lambda: SearchScreen(store, "Collaboration"),
        "people": lambda: PeopleScreen(store),
        "session view": lambda: SessionView(store, "2024-11-19"),
        "review": lambda: ReviewScreen(store, "2024-11-19"),
    }[name]()


@pytest.mark.parametrize("name", ["browse", "search", "people", "session view", "review"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_history_screens_first_shown_are_styled_as_a_full_restyle_would(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch, name, size) -> None:  # noqa: F811
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=size) as pilot:
        await on_home(pilot)
        screen = _history_screen(name, app.store)
        restyles = _count_restyles(monkeypatch, type(screen))
        app.push_screen(screen)
        await settled(pilot)
        assert app.screen is screen and restyles == []
        looks, shot = _looks(screen), app.export_screenshot()
        screen.update_node_styles(animate=False)
        await settled(pilot)
        assert _looks(screen) == looks
        assert app.export_screenshot() == shot
