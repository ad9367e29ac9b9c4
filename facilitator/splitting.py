"""Where the meetings of a Markdown file start, and what date each one has.

A file is either one meeting (a document: its H1, maybe front matter, its sections) or
many (a yearly archive: one dated heading per meeting). Meetings start at dated headings
in any shape :mod:`facilitator.dates` reads, all at one level: the level where most dated
headings sit (the shallowest of those on a tie), so a dated sub-heading inside a meeting
(``### Follow-up from 2 May``) does not split it. A heading that names only a year
(``# 2022``) gives its year to the month or day headings under it (``## April``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass

from facilitator import dates, lines

_HEADING_LINE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
# A setext heading's underline (``Aug 27, 2019`` over ``------------``): level 1 for ``=``, 2 for ``-``.
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Lines that cannot be a setext heading's text: list items, quotes, fences, tables, HTML.
_NOT_SETEXT_TEXT = re.compile(r"^(?: {4}|\t)|^ {0,3}(?:[-*+>|<]|\d{1,9}[.)]|`{3}|~{3})")
_FRONT = {"---": re.compile(r"^(?:---|\.\.\.)[ \t]*$"), "+++": re.compile(r"^\+\+\+[ \t]*$")}


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter with its delimiters and the blank lines after it, the rest), byte for byte.

    YAML (``---`` ... ``---``, as HackMD, Jekyll and Quarto write it) or TOML
    (``+++`` ... ``+++``, Hugo). Without a closing delimiter, there is no front matter.
    """
    first = text.split("\n", 1)[0].rstrip("\r")
    opener = first.strip()
    if first != opener.rstrip() or opener not in _FRONT:
        return "", text
    closer = _FRONT[opener]
    pos = len(text.split("\n", 1)[0]) + 1
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if closer.match(line.rstrip("\r")):
            cut = len(text) if end < 0 else end + 1
            while cut < len(text):  # the blank lines after it belong to it
                nxt = text.find("\n", cut)
                if nxt < 0 or text[cut:nxt].strip():
                    break
                cut = nxt + 1
            return text[:cut], text[cut:]
        if end < 0:
            break
        pos = end + 1
    return "", text


@dataclass
class HeadingLine:
    line: int
    level: int
    text: str
    setext: bool = False  # its underline is the next line


@dataclass
class MeetingStart:
    """A dated heading that starts a meeting, and its date (``iso``, "" when undecided)."""

    line: int
    level: int
    heading: str
    iso: str
    problem: str = ""  # why the date could not be decided, for the user


def heading_lines(text_lines: list[str]) -> list[HeadingLine]:
    """ATX headings, and one-line setext headings, outside fenced code blocks.

    A setext heading is read only where it cannot be anything else: one line of text
    after a blank line (or the start), underlined by ``===`` or ``---`` (a ``---`` after
    a blank line is a thematic break, never a heading).
    """
    found: list[HeadingLine] = []
    fence = ""
    for n, ln in enumerate(text_lines):
        if (
            not fence
            and n + 1 < len(text_lines)
            and ln.strip()
            and (n == 0 or not text_lines[n - 1].strip())
            and SETEXT_UNDERLINE.match(text_lines[n + 1])
            and not _NOT_SETEXT_TEXT.match(ln)
            and not _HEADING_LINE.match(ln)
        ):
            level = 1 if text_lines[n + 1].strip()[0] == "=" else 2
            found.append(HeadingLine(n, level, ln.strip(), setext=True))
            continue
        fence, fenced = lines.fence_after(fence, ln)
        if fenced:
            continue
        if ln.startswith("#") or ln[:4].lstrip(" ").startswith("#"):
            m = _HEADING_LINE.match(ln)
            if m:
                found.append(HeadingLine(n, len(m.group(1)), m.group(2).strip()))
    return found


def _file_year(found: list[dates.DateFound]) -> int | None:
    """The year most of a file's complete dates are in."""
    years = Counter(f.year for f in found if f.year is not None and not f.ambiguous)
    return years.most_common(1)[0][0] if years else None


_NOT_THIS_MEETING = re.compile(r"\b(?:next|previous|last|prior|closing|opening|due|deadline)\b", re.I)


def _labelled(heading: str, found: dates.DateFound) -> bool:
    """A heading that names a date as a field (``Opening Date: 01 Jan 2018``,
    ``Next meeting: February 8``) rather than being the meeting's own dated heading."""
    at = heading.find(found.text)
    before = heading[: max(at, 0)]
    return ":" in before or bool(_NOT_THIS_MEETING.search(before))


def dated_headings(text_lines: list[str], path: str = "") -> tuple[list[tuple[HeadingLine, dates.DateFound]], dict[int, int]]:
    """Every heading that carries a date, with it; and the year heading context per line."""
    heads = heading_lines(text_lines)
    out: list[tuple[HeadingLine, dates.DateFound]] = []
    context: dict[int, int] = {}
    years: list[tuple[int, int]] = []  # (level, year) of the year headings above
    for h in heads:
        while years and years[-1][0] >= h.level:
            years.pop()
        year = dates.year_of_heading(h.text)
        if year is not None:
            years.append((h.level, year))
            continue
        found = dates.find_date(h.text, heading=True)
        if found is None or _labelled(h.text, found):
            continue
        if years:
            context[h.line] = years[-1][1]
        if found.day is None and found.year is None and h.line not in context and dates.path_year(path) is None:
            continue  # "## April" with no year anywhere: a word, not a meeting
        out.append((h, found))
    return out, context


def meeting_starts(text_lines: list[str], path: str = "", order: str | None = None) -> list[MeetingStart]:
    """The headings a multi-meeting file splits at ([] for a one-meeting document).

    ``order`` (``"dmy"``/``"mdy"``, given by the user) reads ambiguous numeric dates the
    file's own unambiguous ones do not decide."""
    found, context = dated_headings(text_lines, path)
    if not found:
        return []
    per_level = Counter(h.level for h, _ in found)
    best = max(per_level.values())
    level = min(lvl for lvl, n in per_level.items() if n == best)
    chosen = [(h, f) for h, f in found if h.level == level]
    if len(chosen) == 1:
        h, f = chosen[0]
        # One dated heading: a yearly archive with one meeting so far (``## 2024-05-01``
        # under its H1), or a document whose title or a section names the day, or whose
        # date is a small heading over bigger ones (``## Teleconference`` /
        # ``##### 22 March 2021`` / ``### Agenda``): a meeting's heading is above its sections.
        if level == 1 or not h.text.startswith(f.text.strip()):
            return []
        if any(o.line > h.line and o.level < h.level for o in heading_lines(text_lines)):
            return []
    return [_start(h, f, [x for _, x in found], context.get(h.line), path, order) for h, f in chosen]


def _start(
    h: HeadingLine, f: dates.DateFound, others: list[dates.DateFound], year: int | None, path: str, given_order: str | None = None
) -> MeetingStart:
    order = dates.numeric_order(others) or given_order
    year = year or dates.path_year(path) or _file_year(others)
    got = dates.resolve(f, year=year, order=order)
    iso = got.iso()
    return MeetingStart(h.line, h.level, h.text, iso, "" if iso else dates.describe_problem(got))


def document_date(body_lines: list[str], title: str, front: str, path: str, given_order: str | None = None) -> tuple[str, str]:
    """A one-meeting document's date and, if none, why: from its title or date line,
    its front matter, its other headings, then its file name and folders."""
    path_found = dates.path_date(path)
    near = None
    if path_found is not None and path_found.day is not None and path_found.year is not None and not path_found.ambiguous:
        near = _dt.date(path_found.year, path_found.month or 1, path_found.day)
    text = "\n".join(body_lines)
    front_found = dates.front_matter_date(front) if front else None
    year_hints = [
        f.year for f in (front_found, path_found) if f is not None and f.year is not None and not f.ambiguous
    ]
    m = re.search(r"\b(?:19|20)\d{2}\b", (title + "\n" + front + "\n" + text)[:2000])
    if m:
        year_hints.append(int(m.group(0)))
    candidates: list[dates.DateFound | None] = [
        dates.find_date(title, heading=True) if title else None,
        dates.date_line(text),
        front_found,
    ]
    heads, _ = dated_headings(body_lines, path)
    candidates.extend(f for _, f in heads[:1])
    candidates.append(path_found)
    others = [c for c in candidates if c is not None]
    order = dates.numeric_order(others) or given_order
    first_problem = ""
    for c in candidates:
        if c is None:
            continue
        got = dates.resolve(c, year=year_hints[0] if year_hints else None, order=order, near=near)
        if got.iso() and got.day is not None:
            return got.iso(), ""
        if not first_problem:
            first_problem = dates.describe_problem(got)
    for c in candidates:  # a month alone (``date: 2024-06``) beats nothing
        if c is not None and c.iso():
            return c.iso(), ""
    return "", first_problem or "no date found"
