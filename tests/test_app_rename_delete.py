"""Rename, delete (to the trash) and undo from the app's lists (Pilot), and two meetings of a day.

The app calls the store functions the CLI's rename/delete/restore use; these tests drive
the keys a user presses (F2, F8, ctrl+z, F9) on home and in the history list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Input, OptionList

from facilitator.model import Session
from facilitator.screens.browse import BrowseScreen
from facilitator.screens.dialogs import ConfirmDialog, TextPrompt
from facilitator.screens.home import HomeScreen
from facilitator.screens.trash import TrashScreen
from facilitator.store import SessionStore
from facilitator.widgets.session_table import SessionTable
from tests.test_app_history import HostApp, settle, until
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app


@pytest.fixture
def two_on_a_day(sessions_dir: Path) -> SessionStore:
    """2024-11-19, then two meetings on 2024-12-17 that look alike but for their ids."""
    st = SessionStore(sessions_dir)
    for sid, date in (("2024-11-19", "2024-11-19"), ("2024-12-17", "2024-12-17"), ("2024-12-17-2", "2024-12-17")):
        st.save(Session(id=sid, date=date, template="collab-cafe", title="Collaboration Cafe",
                        heading=date, status="finished"))
    return st


def home_options(app) -> list[str]:
    lst = app.screen.query_one("#sessions", OptionList)
    return [str(lst.get_option_at_index(n).prompt) for n in range(lst.option_count)]


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def on_home(pilot) -> HomeScreen:
    await settle(pilot)
    await until(pilot, lambda: pilot.app.screen.query_one("#sessions", OptionList).option_count > 0)
    return pilot.app.screen


async def test_home_shows_the_ids_then_deletes_undoes_and_renames(two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path) -> None:
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        options = home_options(app)
        # the two 2024-12-17 rows differ: the second shows its id, the first (id = date) needs none
        assert "2024-12-17-2 ·" in options[0] and "2024-12-17-2" not in options[1]
        assert home.session_ids[:2] == ["2024-12-17-2", "2024-12-17"]
        before = (sessions_dir / "2024-12-17-2.toml").read_bytes()

        await pilot.press("f8")  # asks first; "n" keeps it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "2024-12-17-2" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert (sessions_dir / "2024-12-17-2.toml").exists()

        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert not (sessions_dir / "2024-12-17-2.toml").exists()
        assert (sessions_dir / ".trash" / "2024-12-17-2.toml").read_bytes() == before
        assert any("Moved 2024-12-17-2 to the trash" in m and "ctrl+z" in m for m in messages(app))
        await until(pilot, lambda: "2024-12-17-2" not in home.session_ids)
        assert home.session_ids == ["2024-12-17", "2024-11-19"]

        await pilot.press("ctrl+z")  # undo: back from the trash, highlighted
        await settle(pilot)
        await until(pilot, lambda: "2024-12-17-2" in home.session_ids)
        assert (sessions_dir / "2024-12-17-2.toml").read_bytes() == before
        lst = home.query_one("#sessions", OptionList)
        assert home.session_ids[lst.highlighted] == "2024-12-17-2"
        await pilot.press("ctrl+z")  # nothing more to undo: said, nothing moved
        await settle(pilot)
        assert any("Nothing deleted here" in m for m in messages(app))

        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one(Input)
        assert field.value == "2024-12-17-2"
        field.value = "2024-12-17 Breakout"  # what a person types: made an id
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "2024-12-17-breakout" in home.session_ids)
        assert (sessions_dir / "2024-12-17-breakout.toml").read_bytes() == before
        assert not (sessions_dir / "2024-12-17-2.toml").exists()
        assert home.session_ids[home.query_one("#sessions", OptionList).highlighted] == "2024-12-17-breakout"
        assert any("2024-12-17-breakout ·" in o for o in home_options(app))


async def test_home_rename_never_replaces_a_session_and_typing_in_the_agenda_keeps_its_keys(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path) -> None:
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        before = {p.name: p.read_bytes() for p in sessions_dir.glob("*.toml")}
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one(Input).value = "2024-11-19"
        await pilot.press("enter")
        await settle(pilot)
        assert any("Cannot rename 2024-12-17-2" in m and "exists already" in m for m in messages(app))
        assert {p.name: p.read_bytes() for p in sessions_dir.glob("*.toml")} == before
        # In the agenda box ctrl+z is the box's own undo, never a restore
        from facilitator.widgets.notes import NotesArea

        area = home.query_one("#agenda-input", NotesArea)
        area.focus()
        await pilot.press("x", "ctrl+z")
        await settle(pilot)
        assert not any("Nothing deleted here" in m for m in messages(app))


async def test_a_second_meeting_on_a_day_is_created_with_a_warning_naming_its_id(
        sessions_dir: Path, tmp_path: Path) -> None:
    SessionStore(sessions_dir).save(Session(id="2025-01-21", date="2025-01-21", template="collab-cafe",
                                            title="Collaboration Cafe", heading="2025-01-21"))
    app = make_app(sessions_dir, FakeClock(), tmp_path)  # today is 2025-01-21
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MeetingScreen" and app.screen.session.id == "2025-01-21-2"
        warned = [m for m in messages(app) if "exists already" in m]
        assert warned and "2025-01-21-2" in warned[0] and "F2" in warned[0]


async def test_history_list_delete_trash_restore_and_rename(two_on_a_day: SessionStore, sessions_dir: Path) -> None:
    app = HostApp(two_on_a_day, BrowseScreen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await until(pilot, lambda: screen.loaded and len(screen.shown) == 3)
        table = screen.query_one(SessionTable)
        titles = [table.get_row_at(n)[1] for n in range(3)]
        assert titles == ["#2 · Collaboration Cafe", "Collaboration Cafe", "Collaboration Cafe"]
        # "delete" in the filter deletes a character, never a session
        await pilot.press("1", "2", "left", "delete")
        await settle(pilot)
        assert screen.query_one("#browse-filter", Input).value == "1"
        assert not (sessions_dir / ".trash").exists()
        screen.query_one("#browse-filter", Input).value = ""
        await settle(pilot)
        table.focus()
        await pilot.pause()
        assert screen.current_key() == "2024-12-17-2"

        await pilot.press("delete")  # on the list, Delete (like F8) asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: [r.key for r in screen.shown] == ["2024-12-17", "2024-11-19"])
        assert screen.current_key() == "2024-12-17"  # the row below took its place
        assert (sessions_dir / ".trash" / "2024-12-17-2.toml").exists()

        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, TrashScreen)
        assert [t.session_id for t in app.screen.items] == ["2024-12-17-2"]
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: len(screen.shown) == 3)
        assert screen.current_key() == "2024-12-17-2"
        assert (sessions_dir / "2024-12-17-2.toml").exists()
        assert not list((sessions_dir / ".trash").iterdir())

        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one(Input).value = "2024-12-17-breakout"
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "2024-12-17-breakout" in [r.key for r in screen.shown])
        assert screen.current_key() == "2024-12-17-breakout"
        assert table.get_row_at(table.cursor_row)[1] == "breakout · Collaboration Cafe"


async def test_an_unreadable_file_is_neither_renamed_nor_deleted(sessions_dir: Path) -> None:
    (sessions_dir / "2024-05-01.toml").write_text("not = [valid", encoding="utf-8")
    store = SessionStore(sessions_dir)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.screen.loaded and len(app.screen.shown) == 1)
        app.screen.query_one(SessionTable).focus()
        await pilot.press("f8", "f2")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert (sessions_dir / "2024-05-01.toml").read_text(encoding="utf-8") == "not = [valid"
        assert any("left untouched" in m for m in messages(app))


def test_the_keys_are_remappable_and_never_a_letter_the_filter_would_take() -> None:
    from facilitator.app import binding_ids

    ids = binding_ids()
    for screen, prefix in ((HomeScreen, "home"), (BrowseScreen, "browse")):
        ours = {b.action: b for b in screen.BINDINGS if isinstance(b, Binding)}
        for action, name in (("rename_session", "rename"), ("delete_session", "delete"),
                             ("undo_delete", "undo_delete"), ("trash", "trash")):
            binding = ours[action]
            assert binding.id == f"{prefix}.{name}" and binding.id in ids
            for key in binding.key.split(","):
                assert key.startswith(("f", "ctrl+")) or key == "delete", key
                assert len(key) > 1  # never one printable character


async def test_a_session_open_in_a_meeting_here_is_neither_deleted_nor_renamed(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path) -> None:
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        assert app.open_session("2024-12-17-2")
        await settle(pilot)
        app.action_browse()  # the history list over the meeting (as the palette does)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        await until(pilot, lambda: screen.loaded and screen.current_key() == "2024-12-17-2")
        screen.query_one(SessionTable).focus()
        await pilot.press("f8", "f2")
        await settle(pilot)
        assert app.screen is screen  # no dialog: said why instead
        assert any("open in a meeting here" in m for m in messages(app))
        assert (sessions_dir / "2024-12-17-2.toml").exists() and not (sessions_dir / ".trash").exists()


async def test_the_messages_name_the_keys_a_keymap_gave(two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('"home.delete" = "f12"\n"home.undo_delete" = "ctrl+u"\n"home.trash" = "f11"\n', encoding="utf-8")
    app = make_app(sessions_dir, FakeClock(), tmp_path, keymap=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        hint = str(home.query_one("#sessions-hint").render())
        assert "F12 delete" in hint and "F11 trash" in hint and "F8" not in hint
        await pilot.press("f8")  # no longer a key here
        await pilot.pause()
        assert app.screen is home
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "ctrl+u or the trash (F11)" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert any("ctrl+u brings it back (F11:" in m for m in messages(app))
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert (sessions_dir / "2024-12-17-2.toml").exists()


async def test_home_shows_the_indexed_rows_at_once_then_the_fresh_ones(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, home_rows_shown: list) -> None:
    """Stale-while-revalidate: the first rows are the index's as it last saw the files; a
    file changed since (a hand edit) shows its new title a moment later, on the row the
    user was on."""
    two_on_a_day.newest(10)  # the index knows every file
    path = sessions_dir / "2024-11-19.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Collaboration Cafe", "Edited by hand"), encoding="utf-8")
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        await until(pilot, lambda: len(home_rows_shown) == 2)
        shown = [(final, [s.title for s in rows]) for _loaded, final, rows, _hint in home_rows_shown]
        assert shown[0] == (False, ["Collaboration Cafe"] * 3)
        assert shown[1] == (True, ["Collaboration Cafe", "Collaboration Cafe", "Edited by hand"])
        assert "Edited by hand" in home_options(app)[2]
        assert app.screen._sessions_shown
