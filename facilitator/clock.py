"""Timer arithmetic for agenda items and the meeting, with an injectable clock.

Time is always ``now() - start`` on a monotonic clock, never a count of ticks, so a
slow or skipped screen refresh cannot make the countdown drift.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

WARNING_FRACTION = 0.2
WARNING_MIN_SECONDS = 120.0


@dataclass(frozen=True)
class TimerSnapshot:
    """What to save so a reopened session can carry on (see ``restore``).

    ``elapsed_before_run`` excludes the current run; ``run_started_wall`` is the
    wall-clock epoch at which the current run began (0.0 when paused).
    """

    elapsed_before_run: float
    running: bool
    run_started_wall: float


class ItemTimer:
    """The countdown of one agenda item.

    ``planned_seconds <= 0`` means "no timebox": the timer counts up and is never
    in warning or overtime.
    """

    def __init__(
        self,
        planned_seconds: float,
        elapsed: float = 0.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.planned_seconds = max(0.0, float(planned_seconds))
        self._accumulated = max(0.0, float(elapsed))
        self._now = now
        self._started_at: float | None = None
        self._ever_started = self._accumulated > 0

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def timed(self) -> bool:
        return self.planned_seconds > 0

    def start(self) -> None:
        if self._started_at is None:
            self._started_at = self._now()
            self._ever_started = True

    resume = start

    def pause(self) -> None:
        if self._started_at is not None:
            self._accumulated += max(0.0, self._now() - self._started_at)
            self._started_at = None

    def extend(self, seconds: float) -> None:
        """Give the item more time (negative takes some away, never below zero)."""
        self.planned_seconds = max(0.0, self.planned_seconds + seconds)

    def elapsed_seconds(self) -> float:
        if self._started_at is None:
            return self._accumulated
        return self._accumulated + max(0.0, self._now() - self._started_at)

    def remaining(self) -> float:
        """Planned minus elapsed; negative means overtime."""
        return self.planned_seconds - self.elapsed_seconds()

    def overtime(self) -> float:
        if not self.timed:
            return 0.0
        return max(0.0, -self.remaining())

    def warning_threshold(self) -> float:
        return max(WARNING_FRACTION * self.planned_seconds, WARNING_MIN_SECONDS)

    def state(self) -> str:
        """``idle``, ``running``, ``paused``, ``warning`` or ``overtime``."""
        if not self.running and not self._ever_started:
            return "idle"
        if self.timed:
            left = self.remaining()
            if left <= 0:
                return "overtime"
            if left <= self.warning_threshold():
                return "warning"
        return "running" if self.running else "paused"

    def snapshot(self, wall_now: float | None = None) -> TimerSnapshot:
        """The state to save; wall time is used because monotonic time means nothing after a restart."""
        if self._started_at is None:
            return TimerSnapshot(self._accumulated, False, 0.0)
        wall = time.time() if wall_now is None else wall_now
        run = max(0.0, self._now() - self._started_at)
        return TimerSnapshot(self._accumulated, True, wall - run)

    @classmethod
    def restored(
        cls,
        planned_seconds: float,
        snap: TimerSnapshot,
        wall_now: float | None = None,
        now: Callable[[], float] = time.monotonic,
        max_gap: float | None = None,
    ) -> ItemTimer:
        """A timer for a reopened session: running again if it was, with the closed time counted."""
        wall = time.time() if wall_now is None else wall_now
        elapsed = restore(snap.elapsed_before_run, snap.running, snap.run_started_wall, wall, max_gap)
        timer = cls(planned_seconds, elapsed, now)
        if snap.running:
            timer.start()
        return timer


def restore(
    elapsed_at_save: float,
    was_running: bool,
    run_started_wall: float,
    wall_now: float,
    max_gap: float | None = None,
) -> float:
    """Elapsed seconds of an item in a session reopened after a crash or quit.

    ``elapsed_at_save`` must not include the run that began at ``run_started_wall``
    (as ``ItemTimer.snapshot`` saves it). If the item was running, the wall time
    since then counts too (clamped at zero if the clock went back; at ``max_gap`` if given).
    """
    elapsed = max(0.0, float(elapsed_at_save))
    if was_running and run_started_wall > 0:
        gap = max(0.0, wall_now - run_started_wall)
        if max_gap is not None:
            gap = min(gap, max_gap)
        elapsed += gap
    return elapsed


def format_clock(seconds: float) -> str:
    """``MM:SS`` (``H:MM:SS`` from an hour); negative (overtime) as ``+MM:SS``.

    Whole seconds round up, so a countdown shows 10:00 as it starts and reaches 00:00
    exactly when time is up. Only characters the Digits widget can draw are used.
    """
    if math.isnan(seconds) or math.isinf(seconds):
        return "--:--"
    sign = "+" if seconds < 0 else ""
    # The epsilon keeps float noise (60.0000000001) from showing as an extra second.
    total = max(0, math.ceil(abs(seconds) - 1e-6))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{sign}{h}:{m:02d}:{s:02d}"
    return f"{sign}{m:02d}:{s:02d}"


def format_hhmm(epoch: float) -> str:
    """A wall-clock epoch as local ``HH:MM``."""
    return time.strftime("%H:%M", time.localtime(epoch))


@dataclass
class MeetingClock:
    """The whole meeting against its slot (all times are wall-clock epochs)."""

    started_at: float
    slot_minutes: int = 60

    @property
    def slot_end(self) -> float:
        return self.started_at + self.slot_minutes * 60

    def elapsed(self, now: float) -> float:
        return max(0.0, now - self.started_at)

    def left_in_slot(self, now: float) -> float:
        """Seconds until the slot ends; negative once the meeting runs over it."""
        return self.slot_end - now if now >= self.started_at else self.slot_minutes * 60.0

    def projected_end(self, now: float, remaining_planned_seconds: float) -> float:
        """When the meeting ends if the rest of the agenda takes exactly its planned time."""
        return now + max(0.0, remaining_planned_seconds)

    def projected_overrun(self, now: float, remaining_planned_seconds: float) -> float:
        """Seconds past the slot the projection lands (negative: that much to spare)."""
        return self.projected_end(now, remaining_planned_seconds) - self.slot_end
