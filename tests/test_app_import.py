"""Importing an archive from inside the app: progress, result, and bad files kept calm."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, ProgressBar, Static

from facilitator.screens.import_archive import ImportArchiveScreen
from facilitator.store import SessionStore

FIXTURES = Path(__file__).parent / "fixtures"


class Host(App):
    def __init__(self, store: SessionStore, path: str) -> None:
        super().__init__()
        self.store = store
        self.path = path
        self.result: list[str] | None | str = "not yet"

    def on_mount(self) -> None:
        self.push_screen(ImportArchiveScreen(self.store, self.path), self.got)

    def got(self, ids: list[str] | None) -> None:
        self.result = ids


async def submit(pilot, app: App) -> None:
    """Press Enter on the import screen and let its worker finish and the screen repaint."""
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def status_of(app: App) -> str:
    return str(app.screen.query_one("#import-status", Static).render())


async def test_import_archive_in_a_worker(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s")
    seed = FIXTURES / "000_bdb6fac8645dbeec.txt"
    app = Host(store, str(seed))
    seen: list[tuple[str, int, int]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ImportArchiveScreen)
        original = screen._progress
        screen._progress = lambda phase, done, total: (seen.append((phase, done, total)), original(phase, done, total))  # type: ignore[method-assign]
        await submit(pilot, app)
        await pilot.pause()
    assert isinstance(app.result, list) and len(app.result) == 11
    assert sorted(s.id for s in store.scan().sessions) == sorted(app.result)
    # progress went through both phases and ended at the total
    assert ("reading", 11, 11) in seen and ("saving", 11, 11) in seen


async def test_a_binary_file_is_refused_and_the_screen_stays(tmp_path: Path) -> None:
    bad = tmp_path / "notes.md"
    bad.write_bytes(b"\x00\x01 not text")
    store = SessionStore(tmp_path / "s")
    app = Host(store, str(bad))
    async with app.run_test(size=(100, 30)) as pilot:
        await submit(pilot, app)
        assert isinstance(app.screen, ImportArchiveScreen)
        status = status_of(app)
        assert "Could not import" in status and "binary" in status
        assert not app.screen.query_one("#import-progress", ProgressBar).display
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
    assert store.scan().sessions == []


async def test_import_from_the_command_palette_fills_the_home_list(tmp_path: Path) -> None:
    from facilitator.app import FacilitatorApp

    sessions = tmp_path / "s"
    app = FacilitatorApp(sessions, today=lambda: "2026-11-23", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_import_archive()
        await pilot.pause()
        assert isinstance(app.screen, ImportArchiveScreen)
        await pilot.click("#import-path")
        for ch in str(FIXTURES / "004_e7f4ffb5bf34f5b9.txt"):
            await pilot.press(ch if ch != "/" else "slash")
        await submit(pilot, app)
        await pilot.pause()
        assert not isinstance(app.screen, ImportArchiveScreen)
        from textual.widgets import OptionList

        listed = app.screen.query_one("#sessions", OptionList)
        prompts = " ".join(str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))
        assert "2022-01-04" in prompts and "2022-02" in prompts
    assert sorted(s.date for s in SessionStore(sessions).scan().sessions) == ["2022-01-04", "2022-02"]


async def test_an_undated_file_asks_for_the_day_then_imports(tmp_path: Path) -> None:
    """The import refused with the reason, nothing saved; the day typed in, then saved."""
    notes = tmp_path / "kickoff.md"
    notes.write_text("# Kick-off\n\n- who we are\n", encoding="utf-8")
    store = SessionStore(tmp_path / "s")
    app = Host(store, str(notes))
    async with app.run_test(size=(100, 30)) as pilot:
        await submit(pilot, app)
        screen = app.screen
        assert isinstance(screen, ImportArchiveScreen) and screen.asking_date
        status = status_of(app)
        assert "('Kick-off'): no date found" in status and "YYYY-MM-DD" in status
        assert "--date" not in status and "dmy" not in status  # the app's words, no date order to ask for
        assert store.scan().sessions == []
        for ch in "2024-13-01":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert "not a day" in status_of(app)
        screen.query_one("#import-date", Input).value = "2024-03-05"
        await submit(pilot, app)
        await pilot.pause()
    assert isinstance(app.result, list) and [store.load(i).date for i in app.result] == ["2024-03-05"]


async def test_ambiguous_dates_ask_for_the_order(tmp_path: Path) -> None:
    notes = tmp_path / "board.md"
    notes.write_text("# Board\n\n## 03.04.21\n\n- a\n\n## 03.05.21\n\n- b\n", encoding="utf-8")
    store = SessionStore(tmp_path / "s")
    app = Host(store, str(notes))
    async with app.run_test(size=(100, 30)) as pilot:
        await submit(pilot, app)
        status = status_of(app)
        assert "ambiguous (2021-03-04 or 2021-04-03)" in status and "dmy / mdy" in status
        for ch in "dmy":
            await pilot.press(ch)
        await submit(pilot, app)
        await pilot.pause()
    assert isinstance(app.result, list) and sorted(store.load(i).date for i in app.result) == ["2021-04-03", "2021-05-03"]
