"""Timer arithmetic against a fake clock."""

from __future__ import annotations

import time

import pytest

from facilitator.clock import ItemTimer, MeetingClock, TimerSnapshot, format_clock, format_hhmm, restore


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = [start]

    def __call__(self) -> float:
        return self.t[0]

    def advance(self, seconds: float) -> None:
        self.t[0] += seconds


def test_start_pause_resume_extend_overtime() -> None:
    clock = FakeClock()
    timer = ItemTimer(300, now=clock)
    assert timer.state() == "idle" and not timer.running
    assert timer.remaining() == 300

    timer.start()
    clock.advance(30)
    assert timer.elapsed_seconds() == 30
    timer.pause()
    assert timer.state() == "paused"
    clock.advance(100)
    assert timer.elapsed_seconds() == 30  # paused time does not count
    timer.resume()
    assert timer.running and timer.state() == "running"
    timer.extend(60)
    assert timer.planned_seconds == 360
    clock.advance(329)
    assert timer.remaining() == 1 and timer.overtime() == 0
    assert timer.state() == "warning"
    clock.advance(1)
    assert timer.remaining() == 0
    assert timer.state() == "overtime"
    clock.advance(75)
    assert timer.overtime() == 75
    assert timer.remaining() == -75
    assert format_clock(timer.remaining()) == "+01:15"


def test_start_twice_does_not_restart() -> None:
    clock = FakeClock()
    timer = ItemTimer(60, now=clock)
    timer.start()
    clock.advance(10)
    timer.start()
    clock.advance(5)
    assert timer.elapsed_seconds() == 15


def test_time_comes_from_clock_not_ticks() -> None:
    """A single huge jump (a frozen UI) is counted in full."""
    clock = FakeClock()
    timer = ItemTimer(600, now=clock)
    timer.start()
    clock.advance(3600)
    assert timer.overtime() == 3000


def test_warning_ten_minute_item_last_two_minutes() -> None:
    clock = FakeClock()
    timer = ItemTimer(600, now=clock)
    timer.start()
    clock.advance(479)
    assert timer.state() == "running"  # 121 s left
    clock.advance(1)
    assert timer.state() == "warning"  # 120 s left
    timer.pause()
    assert timer.state() == "warning"  # still warning while paused


def test_warning_thirty_minute_item_last_twenty_percent() -> None:
    clock = FakeClock()
    timer = ItemTimer(1800, now=clock)
    timer.start()
    clock.advance(1800 - 361)
    assert timer.state() == "running"  # 6:01 left
    clock.advance(1)
    assert timer.state() == "warning"  # 6:00 left
    clock.advance(359)
    assert timer.state() == "warning"
    clock.advance(1)
    assert timer.state() == "overtime"


def test_paused_overtime_stays_overtime() -> None:
    clock = FakeClock()
    timer = ItemTimer(60, now=clock)
    timer.start()
    clock.advance(90)
    timer.pause()
    clock.advance(1000)
    assert timer.state() == "overtime" and timer.overtime() == 30


def test_untimed_item_never_overtime() -> None:
    clock = FakeClock()
    timer = ItemTimer(0, now=clock)
    assert timer.state() == "idle"
    timer.start()
    clock.advance(500)
    assert timer.state() == "running" and timer.overtime() == 0
    assert timer.elapsed_seconds() == 500


def test_restored_paused_timer_is_not_idle() -> None:
    timer = ItemTimer(600, elapsed=100, now=FakeClock())
    assert timer.state() == "paused"
    assert timer.remaining() == 500


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "00:00"),
        (-0.0, "00:00"),
        (5, "00:05"),
        (59.2, "01:00"),  # counting down: shows the started second
        (60, "01:00"),
        (60.0000000001, "01:00"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (-1, "+00:01"),
        (-75, "+01:15"),
        (-3725, "+1:02:05"),
        (float("nan"), "--:--"),
    ],
)
def test_format_clock(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text
    assert set(text) <= set("0123456789:+-.")


def test_restore_adds_wall_time_when_running() -> None:
    assert restore(100.0, True, 1_000.0, 1_250.0) == 350.0
    assert restore(100.0, False, 1_000.0, 1_250.0) == 100.0
    assert restore(100.0, True, 1_300.0, 1_250.0) == 100.0  # clock went backwards
    assert restore(-5.0, False, 0.0, 10.0) == 0.0
    assert restore(100.0, True, 1_000.0, 90_000.0, max_gap=600) == 700.0


def test_snapshot_then_restored_timer_keeps_counting() -> None:
    clock = FakeClock()
    timer = ItemTimer(600, now=clock)
    timer.start()
    clock.advance(40)
    timer.pause()
    timer.resume()
    clock.advance(20)
    snap = timer.snapshot(wall_now=10_000.0)
    assert snap == TimerSnapshot(40.0, True, 9_980.0)
    # The app crashed; reopened 100 s later.
    again = ItemTimer.restored(600, snap, wall_now=10_100.0, now=FakeClock(5.0))
    assert again.running
    assert again.elapsed_seconds() == 160.0
    paused = ItemTimer(600, elapsed=30, now=clock).snapshot(wall_now=1.0)
    assert paused == TimerSnapshot(30.0, False, 0.0)


def test_meeting_clock() -> None:
    start = 1_700_000_000.0
    mc = MeetingClock(started_at=start, slot_minutes=60)
    assert mc.elapsed(start + 600) == 600
    assert mc.left_in_slot(start + 600) == 3000
    assert mc.left_in_slot(start + 3900) == -300
    assert mc.projected_end(start + 600, 2400) == start + 3000
    assert mc.projected_overrun(start + 600, 3300) == 300
    assert mc.projected_overrun(start + 600, 1800) == -1200
    assert format_hhmm(start) == time.strftime("%H:%M", time.localtime(start))
