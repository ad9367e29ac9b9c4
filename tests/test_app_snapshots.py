"""Snapshots of the main screens at 120x40 and 80x24 (fixed dates, injected clocks, no blink).

Regenerate with ``pytest tests/test_app_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from facilitator.app import FacilitatorApp
from facilitator.clipboard import CopyResult
from facilitator.model import AgendaItem, Attendee
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.conftest import FakeClock

SIZES = [(120, 40), (80, 24)]


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def snapshot_clock() -> FakeClock:
    """The clock every snapshot starts from (the shown times depend on it)."""
    return FakeClock(start=500.0)


def seed(sessions_dir: Path) -> str:
    tpl = get_template("collab-cafe")
    past = new_session(tpl, "2024-12-17", date="2024-12-17")
    past.sections[0].attendees = [Attendee("Min / @minrk / Simula"), Attendee("Yuvi / @yuvipanda / 2i2c")]
    past.status = "finished"
    store = SessionStore(sessions_dir)
    store.save(past)
    items = [
        AgendaItem(tpl.agenda_text("Min", 10, "Binder federation"), notes="- bids joins\n  - needs DNS [soon]"),
        AgendaItem(tpl.agenda_text("Sarah", 5, "Roadmap workshop")),
        AgendaItem(tpl.agenda_text("[b]Erik[/]", 15, "Docs sprint")),
    ]
    s = new_session(tpl, "2025-01-21", date="2025-01-21", agenda=items)
    s.sections[0].attendees = [Attendee("Min / @minrk / Simula"), Attendee("[b]Bob[/] / @bob / Markup Inc (late)")]
    s.sections[1].entries = ["Binder turned 8"]
    store.save(s)
    return s.id


def make_app(sessions_dir: Path, clock: FakeClock, open_id: str | None = None) -> FacilitatorApp:
    return FacilitatorApp(
        sessions_dir,
        None,
        open_id,
        now=clock.now,
        wall=clock.wall,
        today=lambda: "2025-01-21",
        archive_root=Path("/archive"),
        blink=False,
        copy=lambda text: CopyResult(False, "", "no clipboard in tests"),
    )


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def clock_shown(pilot) -> None:
    """The screen shows the injected clock's time now: its own refresh run once (what its
    interval timer would run), not a wait for that timer, which a loaded machine delays
    (the overrun toast once came after the test had cleared the notifications)."""
    screen = pilot.app.screen
    (screen.refresh_timer if hasattr(screen, "refresh_timer") else screen.tick)()
    await pilot.pause()
    await pilot.pause()


async def to_item(pilot, n: int = 0) -> None:
    m = pilot.app.screen
    target = [i for i, st in enumerate(m.stages) if st.kind == "item"][n]
    m.show_stage(target)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, sessions_dir, size):
    seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock())
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkin(snap_compare, sessions_dir, size):
    sid = seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock(), sid)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("y", "u")  # suggests "Yuvi / @yuvipanda / 2i2c" from the past session
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_running_item(snap_compare, sessions_dir, size):
    sid = seed(sessions_dir)
    clock = snapshot_clock()
    app = make_app(sessions_dir, clock, sid)

    async def run_before(pilot):
        await settle(pilot)
        await to_item(pilot)
        await pilot.press("f5")
        clock.t += 3 * 60 + 25
        await clock_shown(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overrun_item(snap_compare, sessions_dir, size):
    sid = seed(sessions_dir)
    clock = snapshot_clock()
    app = make_app(sessions_dir, clock, sid)
    app.bell = lambda: None  # type: ignore[method-assign]

    async def run_before(pilot):
        await settle(pilot)
        await to_item(pilot)
        await pilot.press("f5")
        clock.t += 11 * 60 + 23
        await clock_shown(pilot)
        assert "Time is up" in " ".join(str(n.message) for n in pilot.app._notifications)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_preview(snap_compare, sessions_dir, size):
    sid = seed(sessions_dir)
    clock = snapshot_clock()
    app = make_app(sessions_dir, clock, sid)

    async def run_before(pilot):
        await settle(pilot)
        await to_item(pilot)
        await pilot.press("f5")
        clock.t += 9 * 60
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_presenter(snap_compare, sessions_dir, size):
    sid = seed(sessions_dir)
    clock = snapshot_clock()
    app = make_app(sessions_dir, clock, sid)

    async def run_before(pilot):
        await settle(pilot)
        await to_item(pilot)
        await pilot.press("f5")
        clock.t += 8 * 60 + 30  # in the last two minutes: warning colour
        await pilot.press("f4")
        await clock_shown(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_rooms_dialog_80x24(snap_compare, sessions_dir):
    """The rooms dialog fills an 80x24 terminal: every suggested room and its topic readable."""
    sid = seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock(), sid)

    async def run_before(pilot):
        await settle(pilot)
        m = pilot.app.screen
        m.show_stage(next(i for i, st in enumerate(m.stages) if st.kind == "agenda"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "OpenRoomsScreen"

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
