"""Meeting schedules in the words teams use, as ``dateutil.rrule`` recurrences.

Understood phrases (case and filler words like "of each month" ignored):

- ``first and third Tuesday`` / ``2nd and 4th Thursday of the month`` /
  ``third Tuesday monthly`` / ``last Friday of each month``: monthly, on those weekdays;
- ``weekly on Thursday`` / ``every Thursday`` / ``Mondays and Wednesdays weekly``;
- ``every other Tuesday`` / ``every second Wednesday`` / ``fortnightly on Friday`` /
  ``every 3 weeks on Monday``: every N weeks, counted from the last meeting;
- ``every second Wednesday of the month``: the monthly second Wednesday.

"every second Wednesday" alone means fortnightly (as people say it); add "of the month"
for the monthly one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import rrule

WEEKDAYS = {
    "monday": rrule.MO, "tuesday": rrule.TU, "wednesday": rrule.WE, "thursday": rrule.TH,
    "friday": rrule.FR, "saturday": rrule.SA, "sunday": rrule.SU,
}
_SHORT = {name[:3]: wd for name, wd in WEEKDAYS.items()}
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1,
}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
_FILLER = {"and", "on", "of", "the", "each", "every", "month", "a", "at", "in", "meets", "we", "&", "week", "weeks"}
EXAMPLES = '"first and third Tuesday", "weekly on Thursday", "every other Tuesday", "third Tuesday monthly"'


class ScheduleError(ValueError):
    """A schedule phrase we cannot read; the message says what we understand."""


@dataclass(frozen=True)
class Schedule:
    """A recurrence: monthly on nth weekdays, or every ``interval`` weeks on weekdays."""

    text: str
    monthly: bool
    weekdays: tuple[rrule.weekday, ...]
    ordinals: tuple[int, ...] = ()
    interval: int = 1

    def rule(self, start: dt.date) -> rrule.rrule:
        """The recurrence from ``start`` (the anchor of an every-N-weeks schedule)."""
        begin = dt.datetime.combine(start, dt.time())
        if self.monthly:
            days = [wd(n) for wd in self.weekdays for n in self.ordinals]
            return rrule.rrule(rrule.MONTHLY, byweekday=days, dtstart=begin.replace(day=1))
        return rrule.rrule(rrule.WEEKLY, interval=self.interval, byweekday=self.weekdays, dtstart=begin)

    def next_after(self, day: dt.date) -> dt.date:
        """The first meeting day after ``day`` (an every-N-weeks schedule counts from ``day``)."""
        found = self.rule(day).after(dt.datetime.combine(day, dt.time()), inc=False)
        if found is None:  # pragma: no cover - these rules never end
            raise ScheduleError(f"no meeting after {day} under {self.text!r}")
        return found.date()

    def occurrences(self, after: dt.date, count: int) -> list[dt.date]:
        out = []
        day = after
        for _ in range(count):
            day = self.next_after(day)
            out.append(day)
        return out


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9&]+", text.lower().replace("-", " "))


def _weekday(word: str) -> rrule.weekday | None:
    word = word.removesuffix("s") if word.endswith("days") else word
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    return _SHORT.get(word) if len(word) == 3 else None


def parse_schedule(text: str) -> Schedule:
    """The recurrence a phrase names; ScheduleError (one line) if it names none."""
    words = _words(text or "")
    if not words:
        raise ScheduleError(f"empty schedule (try {EXAMPLES})")
    weekdays: list[rrule.weekday] = []
    ordinals: list[int] = []
    interval = 0
    monthly = False
    weekly = False
    after_every = False
    unknown: list[str] = []
    for n, word in enumerate(words):
        wd = _weekday(word)
        if wd is not None:
            if wd not in weekdays:
                weekdays.append(wd)
        elif word in ORDINALS:
            if after_every and ORDINALS[word] > 1 and not interval:
                interval = ORDINALS[word]  # "every second/third ...": maybe weeks, see below
            else:
                ordinals.append(ORDINALS[word])
        elif word in ("other", "alternate"):
            interval = 2
        elif word in ("fortnightly", "biweekly"):
            interval = 2
            weekly = True
        elif word in _NUMBERS and n + 1 < len(words) and words[n + 1].startswith("week"):
            interval = _NUMBERS[word]
            weekly = True
        elif word in ("monthly", "month", "months"):
            monthly = True
        elif word in ("weekly", "week", "weeks"):
            weekly = True
        elif word not in _FILLER:
            unknown.append(word)
        after_every = word == "every"
    if unknown:
        raise ScheduleError(f"cannot read {' '.join(unknown)!r} in the schedule (try {EXAMPLES})")
    if not weekdays:
        raise ScheduleError(f"no weekday in the schedule (try {EXAMPLES})")
    if monthly and interval and not ordinals:
        # "every second Wednesday of the month": the ordinal, not an interval
        ordinals, interval = [interval], 0
    if ordinals and (weekly or interval):
        raise ScheduleError(f"a schedule is either weekly or on nth weekdays of the month, not both (try {EXAMPLES})")
    if ordinals:
        return Schedule(text, True, tuple(weekdays), tuple(sorted(set(ordinals), key=lambda o: (o < 0, o))))
    if monthly:
        raise ScheduleError(f"which week of the month? (e.g. \"first Tuesday monthly\"; try {EXAMPLES})")
    return Schedule(text, False, tuple(weekdays), (), interval or 1)
