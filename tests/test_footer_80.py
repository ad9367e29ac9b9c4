"""At 80x24 every main screen's footer shows its essential keys whole (not cut at the edge)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FakeClock, footer_shown, settled
from tests.test_app_snapshots import make_app, snapshot_clock, seed, to_item

SIZE = (80, 24)


def assert_visible(screen, *want: str) -> None:
    shown = footer_shown(screen)
    missing = [w for w in want if not shown.get(w)]
    assert not missing, (type(screen).__name__, missing, shown)


async def test_home_and_history_screens_show_their_keys_at_80_columns(sessions_dir: Path) -> None:
    seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock())
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert_visible(app.screen, "^s Create", "^o Open", "^b History", "^l Import", "^g Paste", "f1 Help")
        assert "^p palette" not in footer_shown(app.screen)  # F1 help lists every key at 80 columns
        home = app.screen
        await pilot.press("ctrl+t")  # prepare the selected (planned) session
        await settled(pilot)
        assert app.screen is not home
        assert_visible(app.screen, "1 Issue", "2 Pad", "3 1w reminder", "4 1d reminder", "m Merge pad", "esc Back")
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("ctrl+b")
        await settled(pilot)
        browse = app.screen
        assert_visible(browse, "esc Back", "^f Search", "^r Review", "^t People", "^n Next", "^o Edit",
                       "f2 Rename", "f8 Delete")
        await pilot.press("ctrl+o")
        await settled(pilot)
        assert app.screen is not browse
        assert_visible(app.screen, "^s Save", "esc Cancel", "f1 Help")
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is not browse
        assert_visible(app.screen, "esc Back", "c Copy", "x Export .md", "a Archive", "e Edit", "m Markdown")


async def test_meeting_and_finish_show_the_timer_keys_at_80_columns(sessions_dir: Path) -> None:
    sid = seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock(), sid)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert_visible(app.screen, "F6 Next", "F10 Finish", "F3 ▶", "F4 Presenter", "^r Rooms", "f1 Help")
        await to_item(pilot)
        await settled(pilot)
        # 13 keys do not fit in 80 columns: Quit, F2, F8 and Presenter give way (F1 help
        # lists them), so the Rooms key the agenda hint names and F1 help stay whole on screen.
        assert_visible(app.screen, "F5 Timer", "F6 Next", "F7 +1m", "F9 Defer", "F10 Finish",
                       "F3 ▶", "^o Leave", "^r Rooms", "f1 Help")
        assert all(footer_shown(app.screen).values()), footer_shown(app.screen)  # none cut at the edge
        assert "F8 +5m" not in footer_shown(app.screen) and "F4 Presenter" not in footer_shown(app.screen)
        await pilot.press("f10")
        await settled(pilot)
        assert_visible(app.screen, "^k Copy", "^r Into archive", "^s Save .md", "Esc Back to meeting")


async def test_open_rooms_show_the_room_keys_at_80_columns(sessions_dir: Path, tmp_path: Path) -> None:
    from tests.test_app_meeting import make_app as meeting_app
    from tests.test_app_rooms import cafe_2026, to_stage

    cafe_2026(sessions_dir)
    app = meeting_app(sessions_dir, FakeClock(), tmp_path, open_id="2026-06-16")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        m = await to_stage(pilot, "agenda", "breakout")
        await settled(pilot)
        assert "^e Bring back" not in footer_shown(m)  # no rooms open yet: nothing to bring back
        await pilot.press("ctrl+r")  # the rooms dialog
        await settled(pilot)
        await pilot.press("ctrl+r")  # rooms opened from it
        await settled(pilot)
        assert m.stage.kind == "room"
        assert_visible(m, "F5 Timer", "F7 +1m", "F8 +5m", "^g Next room", "^e Bring back", "F4 Presenter", "f1 Help")
        assert all(footer_shown(m).values()), footer_shown(m)  # none cut at the edge
