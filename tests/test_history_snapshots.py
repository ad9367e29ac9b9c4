"""Snapshots (120x40) of the past-session screens on seed 000 plus one timed meeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.screens.browse import BrowseScreen
from facilitator.screens.people import PeopleScreen
from facilitator.screens.review import ReviewScreen
from facilitator.screens.search import SearchScreen
from facilitator.screens.session_view import SessionView
from facilitator.store import SessionStore
from tests.test_app_history import HostApp, add_timed, import_seed, settle, until

SIZE = (120, 40)


@pytest.fixture
def store(sessions_dir: Path) -> SessionStore:
    st = SessionStore(sessions_dir)
    import_seed(st)
    add_timed(st)
    return st


class SnapApp(HostApp):
    """HostApp under its own name (the snapshots' title).

    No ``on_mount`` here: Textual calls the handler of every class in the MRO, so an
    override that also calls ``super().on_mount()`` pushed the screen twice — two
    screens loading at once in threads, and a snapshot that sometimes caught the top
    one's table before its column widths settled.
    """


def no_blink(app) -> None:

    for w in app.screen.query("Input, TextArea"):
        w.cursor_blink = False


def make_before(predicate):
    async def run_before(pilot) -> None:
        await until(pilot, lambda: predicate(pilot.app.screen), tries=100)
        no_blink(pilot.app)
        await settle(pilot, 0.1)

    return run_before


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_sessions_list(snap_compare, store: SessionStore, size) -> None:
    """At 80 columns Status and Template give way first: the titles stay whole."""
    app = SnapApp(store, BrowseScreen)
    assert snap_compare(app, terminal_size=size, run_before=make_before(lambda s: s.loaded))


def test_snapshot_rendered_session(snap_compare, store: SessionStore) -> None:
    app = SnapApp(store, lambda st: SessionView(st, "2024-11-19"))
    assert snap_compare(app, terminal_size=SIZE, run_before=make_before(lambda s: s.rendered))


def test_snapshot_search_results(snap_compare, store: SessionStore) -> None:
    app = SnapApp(store, lambda st: SearchScreen(st, "jupyterhub release"))
    assert snap_compare(
        app, terminal_size=SIZE, run_before=make_before(lambda s: s.searched == "jupyterhub release")
    )


def test_snapshot_time_review(snap_compare, store: SessionStore) -> None:
    app = SnapApp(store, lambda st: ReviewScreen(st, "2025-01-21"))
    assert snap_compare(app, terminal_size=SIZE, run_before=make_before(lambda s: s.loaded))


def test_snapshot_people(snap_compare, store: SessionStore) -> None:
    app = SnapApp(store, PeopleScreen)
    assert snap_compare(app, terminal_size=SIZE, run_before=make_before(lambda s: s.loaded))
