"""Which agenda item is current, its timer, and the meeting clock: the meeting's timing, no widgets.

``MeetingState`` reads its clocks from the session when a meeting is reopened and writes
them back (``sync``) before every save, so a restart resumes the timer where it was.
"""

from __future__ import annotations

from typing import Callable

from facilitator.clock import ItemTimer, MeetingClock, TimerSnapshot, format_clock, format_hhmm
from facilitator.model import AgendaItem, Session


class MeetingState:
    """Which item is current, its timer, and the meeting clock; writes itself into the session."""

    def __init__(self, session: Session, now: Callable[[], float], wall: Callable[[], float]) -> None:
        self.session = session
        self.now = now
        self.wall = wall
        self.current: AgendaItem | None = None
        self.timer: ItemTimer | None = None
        self.belled = False
        c = session.clock
        item = session.find_item(c.current_item) if c.current_item else None
        if item is not None and item.status not in ("done", "deferred"):
            snap = TimerSnapshot(item.actual_seconds, c.running, c.run_started_at)
            self.timer = ItemTimer.restored(item.planned_seconds, snap, wall_now=wall(), now=now)
            self.current = item
            item.status = "running"
            self.belled = self.timer.timed and self.timer.remaining() <= 0

    # -- writing into the session (before every save) ------------------------------
    def sync(self) -> None:
        c = self.session.clock
        if self.current is not None and self.timer is not None:
            self.current.actual_seconds = self.timer.elapsed_seconds()
            c.current_item = self.current.id
            c.running = self.timer.running
            # wall_now - run_started_at + actual_seconds = elapsed, at any later moment
            c.run_started_at = self.wall() if self.timer.running else 0.0
        else:
            c.current_item, c.running, c.run_started_at = "", False, 0.0

    # -- controls ------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.timer is not None and self.timer.running

    def _leave_current(self, status: str) -> None:
        if self.current is not None and self.timer is not None:
            self.timer.pause()
            self.current.actual_seconds = self.timer.elapsed_seconds()
            self.current.status = status
        self.current, self.timer, self.belled = None, None, False

    def start(self, item: AgendaItem) -> None:
        if self.current is item:
            if self.timer is not None:
                self.timer.resume()
            return
        self._leave_current("done")
        self.current = item
        item.status = "running"
        self.timer = ItemTimer(item.planned_seconds, item.actual_seconds, now=self.now)
        self.timer.start()
        self.belled = self.timer.timed and self.timer.remaining() <= 0
        c = self.session.clock
        if not c.meeting_started_at:
            c.meeting_started_at = self.wall()
        c.meeting_ended_at = 0.0
        self.session.status = "live"

    def pause(self) -> None:
        if self.timer is not None:
            self.timer.pause()
            if self.current is not None:
                self.current.actual_seconds = self.timer.elapsed_seconds()

    def toggle(self, item: AgendaItem) -> str:
        """Start ``item``, or pause/resume it if it is the current one."""
        if self.current is item and self.timer is not None:
            if self.timer.running:
                self.pause()
                return "paused"
            self.timer.resume()
            return "resumed"
        self.start(item)
        return "started"

    def next_item(self, after: AgendaItem | None = None) -> AgendaItem | None:
        """Finish the current item and start the next pending one (deferred ones are skipped)."""
        order = self.session.agenda_items
        ref = self.current or after
        idx = order.index(ref) + 1 if ref in order else 0
        self._leave_current("done")
        candidates = order[idx:] + order[:idx]
        nxt = next((i for i in candidates if i.status == "pending"), None)
        if nxt is not None:
            self.start(nxt)
        return nxt

    def extend(self, seconds: int, item: AgendaItem) -> None:
        target = self.current or item
        target.extra_seconds = max(-(target.minutes or 0) * 60, target.extra_seconds + seconds)
        if target is self.current and self.timer is not None:
            self.timer.planned_seconds = float(max(0, target.planned_seconds))
            if self.timer.remaining() > 0:
                self.belled = False

    def defer(self, item: AgendaItem) -> str:
        if item is self.current:
            self._leave_current("deferred")
            return "deferred"
        item.status = "pending" if item.status == "deferred" else "deferred"
        return item.status

    def finish(self) -> None:
        self._leave_current("done")
        c = self.session.clock
        c.meeting_ended_at = self.wall()
        self.session.status = "finished"

    def should_bell(self) -> bool:
        """True once when the current item reaches zero."""
        t = self.timer
        if t is None or not t.timed:
            return False
        if t.remaining() > 0:
            self.belled = False
            return False
        if not self.belled:
            self.belled = True
            return True
        return False

    # -- reading -------------------------------------------------------------------
    def item_state(self, item: AgendaItem) -> str:
        if item.status == "deferred":
            return "deferred"
        if item is self.current and self.timer is not None:
            return "overrun" if self.timer.overtime() > 0 else "current"
        if item.status == "done":
            over = item.planned_seconds > 0 and item.actual_seconds > item.planned_seconds + 0.5
            return "overrun" if over else "done"
        return "pending"

    def remaining_planned(self) -> float:
        total = 0.0
        for item in self.session.agenda_items:
            if item is self.current and self.timer is not None:
                total += max(0.0, self.timer.remaining())
            elif item.status in ("pending", "running"):
                total += item.planned_seconds
        return total

    def meeting_line(self) -> str:
        s = self.session
        planned = s.planned_minutes
        c = s.clock
        if not c.meeting_started_at:
            return f"{planned} of {s.slot_minutes} min planned · not started"
        wall = c.meeting_ended_at or self.wall()
        mc = MeetingClock(c.meeting_started_at, s.slot_minutes)
        left = mc.left_in_slot(wall)
        left_text = f"{format_clock(left)} left" if left >= 0 else f"{format_clock(left)} over the slot"
        end = mc.projected_end(wall, self.remaining_planned())
        over = mc.projected_overrun(wall, self.remaining_planned())
        proj = f"ends ~{format_hhmm(end)}"
        if over > 59:
            proj += f" ({int(over // 60)} min over)"
        return f"elapsed {format_clock(mc.elapsed(wall))} · {left_text} · {proj}"
