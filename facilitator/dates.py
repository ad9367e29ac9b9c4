"""Meeting dates as people write them: in headings, date lines, front matter and paths.

Teams write ``## 2 May 2023``, ``## 2025 December 16``, ``## Dec 1st 2021``,
``# September 14, 2021``, ``## 12.30.20 Meeting Minutes``, ``Date: 2023-09-29``,
``## April`` under ``# 2022``, ``## 6, 13, & 26 March 2025`` (several days: the first one is
the meeting's date, the others stay in its heading as written), or only a file name such
as ``2023-11-21.md``, ``2021/01-26.md`` or ``20250114-community/index.md``.

Reading is two steps: a regular expression finds something *shaped* like a date (a month
name next to a day or year, or a whole numeric date), then ``dateutil`` turns that span into
a day, which also rejects impossible ones (``30 February``). dateutil is never given free
text: its fuzzy mode makes a date out of any number. What cannot be decided (no year,
``03.04.21`` with no other dates to say which order the file uses) is returned as such, so
the caller can take it from context or report it; nothing here falls back to today.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Iterable

from dateutil import parser as _dateutil_parser

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MORE_DAYS = r"(?P<more>(?:\s*(?:,|&|and|-|–|to)\s*(?:&\s*|and\s+)?[0-3]?\d(?:st|nd|rd|th)?(?![\d:]|[a-z]|\s*[ap]\.?m\b))*)"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

# "2 May 2023", "Tuesday 19th July 2022", "6, 13, & 26 March 2025", "01 Jan 2018"
_DAY_MONTH = re.compile(
    rf"(?<![\w.]){_WEEKDAY}?{_DAY}{_MORE_DAYS}\s+(?:of\s+)?{_MONTH}(?![a-z])(?:,?\s+{_YEAR}(?!\d))?", re.I
)
# "Dec 1st 2021", "March 23 2023", "September 14, 2021", "Thursday, August 15", "May 9th"
_MONTH_DAY = re.compile(
    rf"(?<![\w.]){_WEEKDAY}?{_MONTH}\s+{_DAY}(?![\d:])(?!\s*(?:am|pm)\b){_MORE_DAYS}(?:,?\s+{_YEAR}(?!\d))?", re.I
)
# "2025 December 16"
_YEAR_MONTH_DAY = re.compile(rf"(?<!\d){_YEAR}[\s,]+{_MONTH}\s+{_DAY}(?!\d)", re.I)
# A heading that is only a month (and maybe a year): "April", "April 2022", "2022 April"
_MONTH_ONLY = re.compile(rf"^(?:{_YEAR}[\s,-]+)?{_MONTH}(?:[\s,]+(?P<year2>(?:19|20)\d{{2}}))?$", re.I)
# 2024-11-19, 2024/11/19, 2024.11.19 (and a month, 2024-06, only where a heading starts)
_ISO = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d])")
_ISO_MONTH_START = re.compile(r"^(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)(?![\d-])")
# 12.30.20, 03/04/2021, 30-12-2020
_NUMERIC = re.compile(r"(?<![\d.\-/])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d])")
# 24-04-2017, 06-20-2022 in a file name: day and month in either order, a four-digit year
_PATH_NUMERIC = re.compile(r"(?<!\d)(?P<a>[0-3]?\d)(?P<sep>[-_.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_MONTH_DAY_NAME = re.compile(r"(?<!\d)(?P<m>[01]?\d)[-_.](?P<d>[0-3]?\d)(?!\d)")
_YEAR_ONLY = re.compile(r"^(?:\D*?\s)?(?P<year>(?:19|20)\d{2})(?:\s\D*)?$")
_DATE_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:meeting\s+)?(?:date|when|opening date)(?:\s*\(\w+\))?\s*:?\s*(?:\*\*|__)?\s*:?\s*(?P<rest>.+)$",
    re.I,
)


@dataclass(frozen=True)
class DateFound:
    """A date read from some text, possibly incomplete.

    ``year``/``month``/``day`` are what the text said (``None`` where it said nothing);
    ``orders`` lists the readings a numeric date allows (``"mdy"``, ``"dmy"``), more than
    one when it is ambiguous (``03.04.21``). ``days`` is every day a heading names.
    """

    text: str
    year: int | None
    month: int | None
    day: int | None
    orders: tuple[str, ...] = ()
    alternatives: tuple[tuple[int, int, int], ...] = ()  # (y, m, d) per order, when numeric
    two_digit_year: bool = False
    days: tuple[int, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.alternatives) > 1

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM`` for a month, or "" when it is incomplete or ambiguous."""
        if self.ambiguous or self.year is None or self.month is None:
            return ""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def with_year(self, year: int) -> DateFound:
        if self.year is not None or not _valid(year, self.month, self.day):
            return self
        return replace(self, year=year)

    def with_order(self, order: str) -> DateFound:
        """The reading of an ambiguous numeric date in the given order (mdy or dmy)."""
        if order not in self.orders:
            return self
        y, m, d = self.alternatives[self.orders.index(order)]
        return replace(self, year=y, month=m, day=d, orders=(order,), alternatives=((y, m, d),))


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    if m is None or not 1 <= m <= 12:
        return False
    if d is None:
        return True
    try:
        _dt.date(y or 2000, m, d)  # 2000 is a leap year: 29 February stays possible
    except ValueError:
        return False
    return True


def _dateutil_day(span: str, year: int | None) -> tuple[int, int, int] | None:
    """dateutil on a span already shaped like a date (never on free text)."""
    default = _dt.datetime(year or 2000, 1, 1)
    try:
        when = _dateutil_parser.parse(span, default=default, dayfirst=False)
    except (ValueError, OverflowError):
        return None
    return when.year, when.month, when.day


@functools.lru_cache(maxsize=64)
def _month_number(name: str) -> int | None:
    """The month a name the patterns matched means (dateutil reads it once per spelling)."""
    got = _dateutil_day(f"1 {name} 2000", 2000)
    return got[1] if got else None


_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(rf"(?<![a-z]){_MONTH}(?![a-z])", re.I)


def _two_digit(y: str) -> tuple[int, bool]:
    return (2000 + int(y), True) if len(y) == 2 else (int(y), False)


def _named(m: re.Match[str]) -> DateFound | None:
    """A match of one of the month-name patterns, read with dateutil."""
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    month = _month_number(groups["month"])
    day = int(groups["day"])
    if month is None:
        return None
    more = [int(x) for x in re.findall(r"\d{1,2}", groups.get("more") or "")]
    got = _dateutil_day(f"{day} {groups['month']} {year or 2000}", year)
    if got is None:
        return None
    return DateFound(m.group(0), year, got[1], got[2], days=(day, *more))


def _numeric(m: re.Match[str]) -> DateFound | None:
    a, b = int(m.group("a")), int(m.group("b"))
    year, two = _two_digit(m.group("y"))
    orders, alts = [], []
    if _valid(year, a, b):
        orders.append("mdy")
        alts.append((year, a, b))
    if _valid(year, b, a) and a != b:
        orders.append("dmy")
        alts.append((year, b, a))
    if not orders:
        return None
    y, mo, d = alts[0]
    return DateFound(m.group(0), y, mo, d, tuple(orders), tuple(alts), two, (d,))


@functools.lru_cache(maxsize=4096)
def find_date(text: str, *, heading: bool = False) -> DateFound | None:
    """The first date written in ``text`` (a heading's or a line's words), if any.

    ``heading=True`` also accepts a heading that is only a month (``April``, ``2024-06``):
    in a line of prose a lone month name is a word, not a date.

    Cached: the splitter, a document's date and a year heading all ask about the same
    headings, and the answer (a frozen ``DateFound``) depends on the text alone.
    """
    text = text.strip()
    if not text:
        return None
    if not _DIGIT.search(text):  # every date shape but a lone month heading has a digit
        if not heading or not _MONTH_WORD.search(text):
            return None
        plain = re.sub(r"[*_`#:]+", " ", text).strip()
        m = _MONTH_ONLY.match(plain)
        return DateFound(m.group(0), None, _month_number(m.group("month")), None) if m else None
    best: tuple[int, DateFound] | None = None

    def offer(pos: int, found: DateFound | None) -> None:
        nonlocal best
        if found is not None and (best is None or pos < best[0]):
            best = (pos, found)

    m = _ISO.search(text)
    if m and _valid(int(m.group("y")), int(m.group("m")), int(m.group("d"))):
        offer(m.start(), DateFound(m.group(0), int(m.group("y")), int(m.group("m")), int(m.group("d")), days=(int(m.group("d")),)))
    if re.search(r"[a-z]", text, re.I):
        for pattern in (_YEAR_MONTH_DAY, _DAY_MONTH, _MONTH_DAY):
            for m in pattern.finditer(text):
                found = _named(m)
                if found is not None:
                    offer(m.start(), found)
                    break
    for m in _NUMERIC.finditer(text):
        found = _numeric(m)
        if found is not None:
            offer(m.start(), found)
            break
    if best is not None:
        return best[1]
    if heading:
        m = _ISO_MONTH_START.match(text)
        if m and _valid(int(m.group("y")), int(m.group("m")), None):
            return DateFound(m.group(0), int(m.group("y")), int(m.group("m")), None)
        plain = re.sub(r"[*_`#:]+", " ", text).strip()
        m = _MONTH_ONLY.match(plain)
        if m:
            y = m.group("year") or m.group("year2")
            return DateFound(m.group(0), int(y) if y else None, _month_number(m.group("month")), None)
    return None


def year_of_heading(text: str) -> int | None:
    """The year a heading such as ``# 2022`` or ``# 2022 Meeting Notes`` names (no day, no month)."""
    text = text.strip()
    if find_date(text, heading=True) is not None:
        return None
    m = _YEAR_ONLY.match(text)
    return int(m.group("year")) if m else None


def date_line(text: str) -> DateFound | None:
    """The date of a ``Date: 2023-09-29`` / ``**Date:** Tuesday 19th July 2022`` line in ``text``."""
    for line in text.split("\n"):
        m = _DATE_LINE.match(line)
        if m:
            found = find_date(m.group("rest"))
            if found is not None:
                return found
    return None


def front_matter_date(front: str) -> DateFound | None:
    """``date:`` (or ``date =``) in YAML/TOML front matter."""
    for line in front.split("\n"):
        m = re.match(r"^\s*(?:date|meeting_date|meeting-date)\s*[:=]\s*['\"]?(?P<v>[^'\"#]+)", line, re.I)
        if m:
            found = find_date(m.group("v"))
            if found is not None:
                return found
    return None


def path_date(path: str) -> DateFound | None:
    """A date in a file's name or folders: ``2023-11-21.md``, ``2021/01-26.md``, ``20250114-x/index.md``,
    ``24-04-2017-minutes.md`` (``06-07-2022`` is returned ambiguous, for the file to decide)."""
    parts = [p for p in re.split(r"[\\/]", path) if p]
    if not parts:
        return None
    parts[-1] = re.sub(r"\.(md|markdown|txt|qmd|rst|mdx)$", "", parts[-1], flags=re.I)
    year_dir: int | None = None
    for part in reversed(parts):  # the nearest component wins
        m = _ISO.search(part)
        if m and _valid(int(m.group("y")), int(m.group("m")), int(m.group("d"))):
            return DateFound(m.group(0), int(m.group("y")), int(m.group("m")), int(m.group("d")))
        m = _COMPACT.search(part)
        if m and _valid(int(m.group("y")), int(m.group("m")), int(m.group("d"))):
            return DateFound(m.group(0), int(m.group("y")), int(m.group("m")), int(m.group("d")))
        m = _PATH_NUMERIC.search(part)
        found = _numeric(m) if m else None
        if found is not None:  # ambiguous (06-07-2022) unless one order is impossible
            return found
    for n, part in enumerate(parts):
        if re.fullmatch(r"(?:19|20)\d{2}", part):
            year_dir = int(part)
            rest = parts[n + 1 :]
            if rest:
                m = _MONTH_DAY_NAME.search(rest[-1])
                if m and _valid(year_dir, int(m.group("m")), int(m.group("d"))):
                    return DateFound(m.group(0), year_dir, int(m.group("m")), int(m.group("d")))
    if year_dir is not None:
        return DateFound(str(year_dir), year_dir, None, None)
    return None


def path_year(path: str) -> int | None:
    found = path_date(path)
    return found.year if found else None


def numeric_order(found: Iterable[DateFound]) -> str | None:
    """The order (mdy or dmy) a file's unambiguous numeric dates use, if they agree."""
    orders = {f.orders[0] for f in found if f.orders and len(f.orders) == 1}
    return orders.pop() if len(orders) == 1 else None


def resolve(
    found: DateFound,
    *,
    year: int | None = None,
    order: str | None = None,
    near: _dt.date | None = None,
) -> DateFound:
    """Complete a date from its file: the year (a year heading, the path), the numeric order.

    ``near`` (a date from the path) decides an ambiguous numeric date when one of its
    readings is that day.
    """
    if found.ambiguous:
        if near is not None:
            for o, (y, m, d) in zip(found.orders, found.alternatives):
                if (y, m, d) == (near.year, near.month, near.day):
                    return found.with_order(o)
        if order is not None:
            found = found.with_order(order)
    if found.two_digit_year and year is not None and found.year is not None and found.year % 100 == year % 100:
        found = replace(found, year=year)
    if found.year is None and year is not None:
        found = found.with_year(year)
    return found


def describe_problem(found: DateFound | None) -> str:
    """Why a date could not be decided, in words for the user."""
    if found is None:
        return "no date found"
    if found.ambiguous:
        readings = " or ".join(f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in found.alternatives)
        return f"'{found.text}' is ambiguous ({readings})"
    if found.year is None:
        return f"'{found.text}' has no year"
    if found.month is None:
        return f"no day found (only the year {found.year})"
    return "no date found"
