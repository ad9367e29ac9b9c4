"""The read-only follower (``facilitator follow ID``): the file watched, the countdown counted
from the saved start time, the last good state kept, and nothing able to change the meeting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from textual.widgets import Digits, Static

from facilitator.engine import Meeting
from facilitator.follow import SessionFileWatch, follower_info, reader_engine
from facilitator.model import AgendaItem
from facilitator.rooms import RoomPlan
from facilitator.screens.follower import FollowerApp, FollowerScreen
from facilitator.store import SessionStore, read_session_file
from facilitator.templates import get_template, new_session
from tests.conftest import FakeClock, run_cli

SID = "2025-01-21"


def host(sessions_dir: Path, clock: FakeClock) -> Meeting:
    """The facilitator's side: a meeting with two items, saved to the sessions dir."""
    tpl = get_template("collab-cafe")
    agenda = [AgendaItem(tpl.agenda_text("Min", 10, "Federation")), AgendaItem(tpl.agenda_text("Sarah", 5, "Binder [b]news[/b]"))]
    session = new_session(tpl, SID, date=SID, agenda=agenda)
    m = Meeting(session, tpl, clock.now, clock.wall, saver=SessionStore(sessions_dir).save)
    m.save()
    return m


def test_follower_info_drops_the_facilitators_keys_only() -> None:
    assert follower_info("paused — F5 resumes") == "paused"
    assert follower_info("done · took 03:00 of 05:00 — F5 reopens") == "done · took 03:00 of 05:00"
    assert follower_info("no item running — F5 starts the next pending one, F6 too") == "no item running"
    assert follower_info("rooms not open — ctrl+r on the suggestions opens them") == "rooms not open"
    assert follower_info("rooms closed — everyone is back") == "rooms closed — everyone is back"
    assert follower_info("running · 00:10 of 10:00") == "running · 00:10 of 10:00"


def test_the_countdown_carries_on_from_the_saved_start_time(sessions_dir: Path) -> None:
    clock = FakeClock()
    m = host(sessions_dir, clock)
    m.start(m.session.agenda_items[0])
    clock.advance(90)
    m.save()  # saved 90 s into a 10 minute item
    saved = read_session_file(sessions_dir / f"{SID}.toml")
    # The follower reads it 30 s later on its own clocks (another process: other monotonic origin).
    theirs = FakeClock(start=clock.t + 30 - 5000.0, wall0=clock.wall0 + 5000.0)
    follower = reader_engine(saved, get_template("collab-cafe"), theirs.now, theirs.wall)
    assert follower.timer_view(follower.current).text == "08:00"  # 10:00 - 1:30 - 0:30
    theirs.advance(61)
    view = follower.timer_view(follower.current)
    assert view.text == "06:59" and view.running and follower.saver is None


def test_the_watch_reads_changes_and_keeps_the_last_good_state(sessions_dir: Path) -> None:
    clock = FakeClock()
    m = host(sessions_dir, clock)
    path = sessions_dir / f"{SID}.toml"
    watch = SessionFileWatch(path, wall=clock.wall)
    first = watch.poll()
    assert first is not None and first.session is not None and first.version == 1 and not first.problem
    assert watch.poll() is None  # nothing changed: not read again
    m.start(m.session.agenda_items[1])
    m.save()
    second = watch.poll()
    assert second is not None and second.version == 2
    assert second.session.clock.current_item == m.session.agenda_items[1].id

    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a hand edit caught half written
    broken = watch.poll()
    assert broken is not None and broken.version == 2 and broken.session is second.session
    assert broken.problem.startswith(f"cannot read {SID}.toml") and "last good state shown" in broken.problem
    assert watch.poll() is None  # the same broken file is not read again
    path.unlink()
    gone = watch.poll()
    assert gone is not None and "is gone" in gone.problem and gone.session is second.session
    path.write_bytes(good)
    back = watch.poll()
    assert back is not None and back.version == 3 and not back.problem
    assert sorted(p.name for p in sessions_dir.iterdir()) == [f"{SID}.toml"]  # no lock, no index, no temp


def screen_of(app: FollowerApp) -> FollowerScreen:
    assert isinstance(app.screen, FollowerScreen)
    return app.screen


def texts(screen: FollowerScreen) -> dict[str, str]:
    out = {w.id: str(w.render()) for w in screen.query(Static) if w.id}
    out["countdown"] = screen.query_one("#countdown", Digits).value
    return out


def follower_app(sessions_dir: Path, clock: FakeClock) -> FollowerApp:
    watch = SessionFileWatch(sessions_dir / f"{SID}.toml", wall=clock.wall)
    watch.poll()
    tpl = get_template("collab-cafe")
    return FollowerApp(watch, lambda s: reader_engine(s, tpl, clock.now, clock.wall), SID)


async def test_the_view_follows_the_file_and_counts_down(sessions_dir: Path) -> None:
    clock = FakeClock()
    m = host(sessions_dir, clock)
    m.start(m.session.agenda_items[0])
    m.save()
    app = follower_app(sessions_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        shown = texts(screen)
        assert shown["countdown"] == "10:00" and shown["presenter-title"] == "Federation"
        assert shown["timer-info"].startswith("running") and "read-only" in shown["follow-status"]
        clock.advance(75)
        screen.refresh_timer()
        assert texts(screen)["countdown"] == "08:45"
        # The facilitator moves on: the follower shows it once it has looked at the file.
        m.next_item()
        m.save()
        screen.poll_source()
        shown = texts(screen)
        assert shown["presenter-title"] == "Binder [b]news[/b]"  # user text, never markup
        assert shown["countdown"] == "05:00"
        m.pause()
        m.save()
        screen.poll_source()
        assert texts(screen)["timer-info"] == "paused"  # no "F5 resumes": a follower has no F5
        # The file breaks: the last good state stays, with why.
        (sessions_dir / f"{SID}.toml").write_text("format_version = 1\n[[broken", encoding="utf-8")
        screen.poll_source()
        shown = texts(screen)
        assert shown["presenter-title"] == "Binder [b]news[/b]" and "last good state shown" in shown["follow-status"]
        assert screen.query_one("#follow-status").has_class("-problem")
        # Breakout rooms: each room's topic and their shared countdown.
        m.open_rooms([RoomPlan("JupyterHub"), RoomPlan("Binder")], 15)
        m.save()
        screen.poll_source()
        shown = texts(screen)
        assert shown["presenter-title"] == "Breakout rooms" and shown["countdown"] == "15:00"
        assert "JupyterHub" in shown["presenter-rooms"] and "Binder" in shown["presenter-rooms"]
        assert not screen.query_one("#follow-status").has_class("-problem")


async def test_no_key_changes_the_meeting_and_there_is_no_palette(sessions_dir: Path) -> None:
    clock = FakeClock()
    m = host(sessions_dir, clock)
    m.start(m.session.agenda_items[0])
    m.save()
    path = sessions_dir / f"{SID}.toml"
    before = path.read_bytes(), os.stat(path).st_mtime_ns
    app = follower_app(sessions_dir, clock)
    assert FollowerApp.ENABLE_COMMAND_PALETTE is False
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        engine = screen.engine
        keys = ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "ctrl+p", "ctrl+r", "ctrl+e",
                "ctrl+n", "ctrl+s", "ctrl+t", "ctrl+o", "escape", "enter", "space", "tab", "e", "a", "1", "?"]
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2  # no palette, help or dialog opened
        assert screen.engine is engine and engine.running and engine.current.id == m.session.agenda_items[0].id
        assert engine.timer.planned_seconds == 600 and not engine.dirty
        assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
        assert sorted(p.name for p in sessions_dir.iterdir()) == [f"{SID}.toml"]
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def test_follow_cli_errors_are_one_line(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "follow", "nope")
    assert rc == 1 and err == f"facilitator: error: no session 'nope' in {sessions_dir}\n"
    host(sessions_dir, FakeClock())
    rc, out, err = run_cli("--sessions", sessions_dir, "follow", SID)  # stdin/stdout are no terminal here
    assert rc == 1 and "follow needs a terminal" in err and err.count("\n") == 1
    (sessions_dir / f"{SID}.toml").write_text("not toml [", encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "serve-follow", SID)
    assert rc == 1 and f"cannot read {SID}.toml" in err and err.count("\n") == 1


def test_the_app_and_the_cli_load_no_web_or_shared_modules() -> None:
    """textual-serve (and its aiohttp), playwright and pycrdt load only for the commands that use them."""
    code = (
        "import sys\n"
        "from facilitator import cli\n"
        "cli.build_parser(cli._history_module())\n"
        "import facilitator.app, facilitator.screens.follower, facilitator.follow_cli, facilitator.follow\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual_serve', 'aiohttp', 'playwright', 'pycrdt'))\n"
        "assert not bad, bad\n"
        "assert 'textual' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
