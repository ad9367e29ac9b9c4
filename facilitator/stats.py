"""Time review: how long each item was planned for and how long it took.

Imported sessions were never timed (their actual seconds are 0): their actual time is
shown as "—", never as zero minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from facilitator.store import SessionStore

from facilitator.model import Session, date_key

DASH = "—"


@dataclass(frozen=True)
class ItemTime:
    item_id: str
    title: str
    owner: str
    status: str
    planned_seconds: int  # 0 when the item has no timebox; the timebox plus extensions
    actual_seconds: float  # 0 when never timed
    extra_seconds: int = 0  # given live with +1/+5 (negative: time taken away)

    @property
    def timebox_seconds(self) -> int:
        """The time the agenda planned, as written (without extensions)."""
        return max(0, self.planned_seconds - self.extra_seconds)

    @property
    def over_timebox_seconds(self) -> float:
        """Seconds beyond the timebox as written: an overrun stays visible after +1/+5."""
        if not self.timed or not self.timebox_seconds:
            return 0.0
        return max(0.0, self.actual_seconds - self.timebox_seconds)

    @property
    def timed(self) -> bool:
        return self.actual_seconds > 0

    @property
    def overrun_seconds(self) -> float:
        """Seconds beyond the plan (0 if within it, untimed, or never planned)."""
        if not self.timed or not self.planned_seconds:
            return 0.0
        return max(0.0, self.actual_seconds - self.planned_seconds)

    @property
    def overrun(self) -> bool:
        return self.overrun_seconds >= 1


@dataclass(frozen=True)
class SessionTimes:
    session_id: str
    date: str
    title: str
    status: str
    slot_minutes: int
    items: tuple[ItemTime, ...] = field(default_factory=tuple)

    @property
    def timed(self) -> bool:
        """Whether the meeting was run with the clock (any item has an actual time)."""
        return any(i.timed for i in self.items)

    @property
    def planned_seconds(self) -> int:
        return sum(i.planned_seconds for i in self.items if i.status != "deferred")

    @property
    def actual_seconds(self) -> float:
        return sum(i.actual_seconds for i in self.items)

    @property
    def slot_seconds(self) -> int:
        return self.slot_minutes * 60

    @property
    def overruns(self) -> int:
        return sum(1 for i in self.items if i.overrun)

    @property
    def over_slot_seconds(self) -> float:
        """How far the timed total went past the slot (0 if within it or untimed)."""
        return max(0.0, self.actual_seconds - self.slot_seconds) if self.timed else 0.0


def session_times(session: Session) -> SessionTimes:
    items = tuple(
        ItemTime(
            item_id=i.id,
            title=i.title or i.text.strip(),
            owner=i.owner,
            status=i.status,
            planned_seconds=i.planned_seconds,
            actual_seconds=float(i.actual_seconds or 0.0),
            extra_seconds=int(i.extra_seconds or 0),
        )
        for i in session.agenda_items
    )
    return SessionTimes(
        session_id=session.id,
        date=session.date,
        title=session.title or session.heading,
        status=session.status,
        slot_minutes=session.slot_minutes,
        items=items,
    )


def in_range(date: str, start: str | None, end: str | None) -> bool:
    """Whether an ISO day or month falls within [start, end] (either may be open)."""
    key = date_key(date)
    if start and key < date_key(start):
        return False
    if end:
        e = date_key(end)
        if e[2] == 0:  # a month as the end: the whole month
            e = (e[0], e[1], 99)
        if key > e:
            return False
    return True


def check_date(text: str) -> str:
    """``text`` if it is an ISO day or month, else ValueError."""
    if date_key(text) == (0, 0, 0):
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or YYYY-MM)")
    return text


def summary(store: SessionStore, start: str | None = None, end: str | None = None,
            ids: Iterable[str] | None = None) -> list[SessionTimes]:
    """Every readable session in [start, end] (and among ``ids``, if given), newest first.

    Read from the store's index: no session file is parsed.
    """
    return summary_of_index(store.index(), start, end, ids)


def summary_of_index(idx: Any, start: str | None = None, end: str | None = None,
                     ids: Iterable[str] | None = None) -> list[SessionTimes]:
    """:func:`summary` from a ``SessionIndex`` as it is (not refreshed)."""
    out = []
    for (sid, date, title, status, slot, _key), items in idx.times(ids):
        if not in_range(date, start, end):
            continue
        out.append(SessionTimes(
            session_id=sid, date=date, title=title, status=status, slot_minutes=slot,
            items=tuple(ItemTime(*row) for row in items),
        ))
    return out


def summarise(sessions: Iterable[Session]) -> list[SessionTimes]:
    out = [session_times(s) for s in sessions]
    out.sort(key=lambda t: (date_key(t.date), t.session_id), reverse=True)
    return out


# -- formatting ---------------------------------------------------------------------


def minutes_text(seconds: float, timed: bool = True) -> str:
    """``12m`` / ``1m 30s`` style, or "—" for a time never measured."""
    if not timed:
        return DASH
    s = int(round(seconds))
    m, r = divmod(s, 60)
    if r == 0:
        return f"{m}m"
    if m == 0:
        return f"{r}s"
    return f"{m}m {r:02d}s"


def planned_text(seconds: int) -> str:
    return minutes_text(seconds) if seconds else DASH


def bar(seconds: float, scale_seconds: float, width: int = 20) -> str:
    """A bar of ``width`` cells at most, ``scale_seconds`` being the full width."""
    if scale_seconds <= 0 or seconds <= 0:
        return ""
    cells = seconds / scale_seconds * width
    full = int(cells)
    part = cells - full
    eighths = " ▏▎▍▌▋▊▉"
    out = "█" * min(full, width)
    if full < width and part >= 1 / 8:
        out += eighths[int(part * 8)]
    return out


def table_lines(t: SessionTimes) -> list[str]:
    """The time review of one session as plain text lines (for the CLI)."""
    rows = [("ITEM", "OWNER", "PLANNED", "EXT", "ACTUAL", "")]
    for i in t.items:
        if i.overrun:
            mark = f"OVERRUN +{minutes_text(i.overrun_seconds)}"
        elif i.over_timebox_seconds >= 1:
            mark = f"over the timebox by {minutes_text(i.over_timebox_seconds)}, within its extension"
        else:
            mark = "deferred" if i.status == "deferred" else ""
        rows.append((_clip(i.title, 48), _clip(i.owner, 20), planned_text(i.timebox_seconds), extension_text(i.extra_seconds),
                     minutes_text(i.actual_seconds, i.timed), mark))
    extra = sum(i.extra_seconds for i in t.items if i.status != "deferred")
    rows.append(("TOTAL", "", planned_text(t.planned_seconds - extra), extension_text(extra), minutes_text(t.actual_seconds, t.timed),
                 f"slot {t.slot_minutes}m" + (f", over by {minutes_text(t.over_slot_seconds)}" if t.over_slot_seconds >= 1 else "")))
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    return [
        "  ".join(r[c].ljust(widths[c]) for c in range(5)).rstrip() + (f"  {r[5]}" if r[5] else "")
        for r in rows
    ]


def extension_text(seconds: int) -> str:
    """``+5m`` / ``−2m`` for time given or taken live; empty when none."""
    if not seconds:
        return ""
    return ("+" if seconds > 0 else "−") + minutes_text(abs(seconds))


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
