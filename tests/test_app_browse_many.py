"""The history list with a few hundred sessions (Pilot): lazy rows, filtering, ctrl-key commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from facilitator.screens.browse import BrowseScreen
from facilitator.screens.people import PeopleScreen
from facilitator.screens.review import ReviewScreen
from facilitator.screens.session_view import EditScreen
from facilitator.store import SessionStore
from facilitator.widgets.session_table import SessionTable
from tests.many_sessions import write_sessions
from tests.test_app_history import HostApp, settle, until

N = 300


@pytest.fixture(scope="module")
def many_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("many") / "sessions"
    write_sessions(root, N, seeds=2)
    SessionStore(root).scan()  # index once for the module's tests
    return root


@pytest.fixture
def many(many_dir: Path, tmp_path: Path) -> SessionStore:
    """A private copy (tests create sessions), index included."""
    import shutil

    root = tmp_path / "sessions"
    shutil.copytree(many_dir, root)
    return SessionStore(root)


async def _browse(pilot) -> BrowseScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, BrowseScreen) and pilot.app.screen.loaded)
    return pilot.app.screen


async def test_every_row_is_there_but_only_the_visible_ones_are_drawn(many: SessionStore) -> None:
    app = HostApp(many, BrowseScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        browse = await _browse(pilot)
        table = browse.query_one(SessionTable)
        assert table.row_count == N
        assert table.get_row_at(0)[0] == "2030-01-06" and table.get_row_at(N - 1)[0] == "2024-04-14"
        assert table.virtual_size.height == N + 1  # the header line plus every row
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == N - 1
        assert table.scroll_y >= N - table.size.height  # the cursor row is on screen
        assert browse.current_key() == table.get_row_at(N - 1)[0]
        await pilot.press("home", "pagedown")
        await settle(pilot)
        assert 0 < table.cursor_row < N - 1


async def test_typing_filters_and_never_fires_a_command(many: SessionStore) -> None:
    before = sorted(p.name for p in many.root.glob("*.toml"))
    app = HostApp(many, BrowseScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        browse = await _browse(pilot)
        table = browse.query_one(SessionTable)
        table.focus()
        await pilot.press(*"nov")  # n used to create a meeting
        await settle(pilot)
        filt = browse.query_one("#browse-filter", Input)
        assert filt.value == "nov"
        assert browse.shown and all(r.cells[0][5:7] == "11" for r in browse.shown)  # November's
        assert isinstance(app.screen, BrowseScreen)
        filt.value = ""
        table.focus()
        await pilot.press(*"finished")  # f, e and t were commands too
        await settle(pilot)
        assert filt.value == "finished"
        assert len(browse.shown) == N  # every generated session is finished
        await pilot.press("space", *"2029")
        await settle(pilot)
        assert filt.value == "finished 2029"
        assert [r.cells[0][:4] for r in browse.shown] == ["2029"] * len(browse.shown) and browse.shown
        table.focus()
        await pilot.press("backspace")  # from the list, edits the filter too
        await settle(pilot)
        assert filt.value == "finished 202"
    assert sorted(p.name for p in many.root.glob("*.toml")) == before  # nothing was created


async def test_ctrl_keys_run_the_commands(many: SessionStore) -> None:
    app = HostApp(many, BrowseScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        browse = await _browse(pilot)
        browse.query_one("#browse-filter", Input).focus()  # work while typing in the filter too
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        while not isinstance(app.screen, BrowseScreen):
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("ctrl+n")
        # the Cafe meets on the first and third Tuesday: after Sunday 2030-01-06 comes 2030-01-15
        await until(pilot, lambda: many.exists("2030-01-15") and browse.current_key() == "2030-01-15")
        assert browse.query_one(SessionTable).row_count == N + 1


def test_browse_bindings_have_ids_and_no_printable_keys() -> None:
    import re

    for b in BrowseScreen.BINDINGS:
        assert b.id and b.id.startswith("browse.")
        for key in b.key.split(","):  # ctrl keys, function keys, Escape and Delete: none types a character
            assert key in ("escape", "delete") or key.startswith("ctrl+") or re.fullmatch(r"f[0-9]{1,2}", key), key


def test_rows_from_the_index_are_the_rows_from_a_scan(many: SessionStore) -> None:
    from facilitator.screens.browse import rows_of, rows_of_index

    (many.root / "zz-bad.toml").write_text("= nope", encoding="utf-8")
    scan = many.scan()
    assert rows_of_index(many.index(), scan.broken) == rows_of(scan)
    assert rows_of(scan)[-1].broken is not None


def test_filter_as_you_type_finds_what_the_index_finds(many_dir: Path) -> None:
    """Each keystroke narrows the last results in memory (``RowFilter``); typing on,
    backspacing and starting again give exactly the rows a fresh filter gives, and for
    sessions exactly what the index's own filter finds."""
    from facilitator.screens.browse import RowFilter, filter_rows, rows_of_index

    idx = SessionStore(many_dir).index()  # read only: the module's directory, its index built once
    rows = rows_of_index(idx, [])
    typed = RowFilter(rows)
    queries = [q[:k] for q in ("collab nov", "finished 2029-1") for k in range(1, len(q) + 1)]
    queries += ["collab no", "collab n", "", "NOV", "nov collab", "2029 hackmd", "zzz", "archived", "cafe 2030"]
    for query in queries:
        got = typed(query)
        assert got == filter_rows(rows, query), query
        if query.split():
            assert {r.key for r in got} == idx.filter_ids(query.split()), query
    assert typed("nov") and all(r.cells[0][5:7] == "11" for r in typed("nov"))  # the month's name matches
    assert typed("zzz") == []
