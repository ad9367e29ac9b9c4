"""Reading and writing the one-line shapes people type: check-in, agenda item, role.

Real archives write these many ways (see the tests for the variants). Parsing is
forgiving and never fails: whatever it cannot place stays in the title or name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def fence_after(fence: str, line: str) -> tuple[str, bool]:
    """Follow CommonMark code fences line by line, so dated headings in code are not read.

    ``fence`` is the fence open before ``line`` ("" when none); returns the fence open after
    it and whether ``line`` itself is fenced text (it opens, closes or sits inside a fence).
    """
    m = FENCE.match(line)
    if fence:
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):].strip():
            return "", True
        return fence, True
    if m:
        return m.group(1), True
    return "", False

# -- agenda items -------------------------------------------------------------------

_BOLD = re.compile(r"^\*\*(?P<bold>.+?)\*\*(?P<after>.*)$", re.S)
_PAREN_END = re.compile(r"^(?P<head>.*?)\s*\((?P<tb>[^()]*)\)\s*:?\s*$", re.S)
_PAREN_START = re.compile(r"^\s*\((?P<tb>[^()]*)\)\s*:?\s*(?P<rest>.*)$", re.S)
_BARE_START = re.compile(
    r"^\s*(?P<tb>[~<]?\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:m|min|mins|minutes?|h|hrs?|hours?)\b)\s*:?\s*(?P<rest>.*)$",
    re.S | re.I,
)
_TIME_HINT = re.compile(
    r"\d+\s*(?:m|mn|min|mins|minute|minutes|h|hr|hrs|hour|hours)\b|\btime\b|^\W*\d+\W*$",
    re.I,
)
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_HOURS = re.compile(r"\d\s*(?:h|hr|hrs|hour|hours)\b", re.I)
_NAME_ATTR = re.compile(r"\[name=(?P<who>[^\],]+)(?:,\s*(?P<tb>[^\]]*))?\]")
_TIME_ATTR = re.compile(r"\[time=(?P<tb>[^\]]*)\]")


def is_timebox(text: str) -> bool:
    """Whether a parenthesised remark is a timebox (``10m``, ``~5min``, ``no idea how much time``)."""
    return bool(_TIME_HINT.search(text.strip()))


# A timebox longer than this is no meeting's: a typo, not a plan to time.
MAX_TIMEBOX_MINUTES = 24 * 60
_NEGATIVE = re.compile(r"^[^\d]*[-\u2212]\s*\d")


def timebox_minutes(text: str) -> int | None:
    """Minutes in a timebox as written; a range counts as its upper end.

    Read exactly or not at all (None: the text stays as written, untimed): a negative
    (``-5m``), a fraction of a minute (``1.5m``) or more than a day of minutes is never
    rounded or clamped into something the notes did not say.
    """
    m = _RANGE.search(text)
    number = float(m.group(2)) if m else None
    if number is None:
        m = _NUMBER.search(text)
        number = float(m.group(1)) if m else None
    if number is None:
        return None
    if _HOURS.search(text):
        number *= 60
    if _NEGATIVE.search(text) or abs(number - round(number)) > 1e-6 or number > MAX_TIMEBOX_MINUTES:
        return None
    return int(round(number))


@dataclass(frozen=True)
class AgendaLine:
    owner: str = ""
    timebox: str = ""
    title: str = ""

    @property
    def minutes(self) -> int | None:
        return timebox_minutes(self.timebox) if self.timebox else None


@lru_cache(maxsize=4096)
def parse_agenda(text: str) -> AgendaLine:
    """Owner, timebox and title of an agenda item's lead line."""
    line = text.strip()
    m = _BOLD.match(line)
    if m:
        bold = m.group("bold").strip()
        after = m.group("after")
        owner, timebox = bold, ""
        if owner.endswith(":"):
            owner = owner[:-1].rstrip()
        pm = _PAREN_END.match(owner)
        if pm and is_timebox(pm.group("tb")):
            owner, timebox = pm.group("head").strip(), pm.group("tb").strip()
        else:
            pm = _PAREN_START.match(after)
            if not (pm and is_timebox(pm.group("tb"))):
                pm = _BARE_START.match(after)  # "**Dan** 10-15 mins: Title"
            if pm and is_timebox(pm.group("tb")):
                timebox = pm.group("tb").strip()
                after = pm.group("rest")
        title = re.sub(r"^\s*:\s*", "", after).strip()
        return AgendaLine(owner=owner, timebox=timebox, title=title)
    nm = _NAME_ATTR.search(line)
    if nm:
        title = (line[: nm.start()] + line[nm.end() :]).strip()
        return AgendaLine(owner=nm.group("who").strip(), timebox=(nm.group("tb") or "").strip(), title=title)
    tm = _TIME_ATTR.search(line)
    if tm:
        title = (line[: tm.start()] + line[tm.end() :]).strip()
        return AgendaLine(timebox=tm.group("tb").strip(), title=title)
    pm = _PAREN_END.match(line)
    if pm and is_timebox(pm.group("tb")) and pm.group("head").strip():
        return AgendaLine(timebox=pm.group("tb").strip(), title=pm.group("head").strip())
    return AgendaLine(title=line)


_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_OWNER_PAREN = re.compile(r"^(?P<owner>[^*()\[\]:]{1,40}?)\s*\((?P<tb>[^()]*)\)\s*:\s*(?P<title>\S.*)$", re.S)


def parse_typed_agenda(text: str) -> AgendaLine:
    """A whole agenda line typed or pasted into one box (the meeting's agenda form).

    ``parse_agenda``'s shapes (``**Min (10m):** Title``, ``Title (10m)``, HackMD's
    ``[name=Min, 10m]``), after a list marker if the line was copied with one, plus the
    unbolded ``Min (10m): Title`` when the parentheses hold a timebox. ``Min 10 Title``
    is not split: ``Python 3 support`` would be. What it cannot split stays the title.
    """
    line = _LIST_MARKER.sub("", text.strip(), count=1)
    parsed = parse_agenda(line)
    if parsed.owner or parsed.timebox:
        # ``**Bold title**`` alone reads as an owner with no title: keep it as the title.
        return parsed if parsed.title else AgendaLine(title=line)
    m = _OWNER_PAREN.match(line)
    if m and is_timebox(m.group("tb")):
        return AgendaLine(owner=m.group("owner").strip(), timebox=m.group("tb").strip(), title=m.group("title").strip())
    return parsed


def format_agenda(shape: str, owner: str, timebox: str, title: str) -> str:
    """An agenda line in a template's shape, e.g. ``**{owner} ({timebox}):** {title}``.

    Parts that are empty drop out with their punctuation, so a line with no timebox
    still reads naturally (``**Min:** Title``).
    """
    owner, timebox, title = owner.strip(), timebox.strip(), title.strip()
    if owner and timebox:
        return shape.format(owner=owner, timebox=timebox, title=title).strip()
    if owner:
        return f"**{owner}:** {title}".strip()
    if timebox:
        return f"{title} ({timebox})".strip()
    return title


def timebox_text(minutes: int | None) -> str:
    return f"{minutes}m" if minutes else ""


# -- check-in lines -----------------------------------------------------------------

_PRONOUNS = re.compile(
    r"\((?P<p>(?:she|he|they|her|him|them|xe|ze|any)[^()]*)\)", re.I
)
_TRAILING_NOTE = re.compile(r"^(?P<head>.*?)\s*\((?P<note>[^()]*)\)\s*$", re.S)
_HANDLE_LIKE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]|_)*$")
_PLACEHOLDER_WORDS = ("name", "handle", "institution", "affiliation", "github")


@dataclass(frozen=True)
class CheckinLine:
    name: str = ""
    handle: str = ""
    affiliation: str = ""
    pronouns: str = ""
    note: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)
    placeholder: bool = False


def _split_fields(text: str) -> list[str]:
    sep = "|" if text.count("|") >= 1 and text.count("/") <= text.count("|") else "/"
    fields, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            fields.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    fields.append("".join(cur).strip())
    return fields


def _is_placeholder(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > 2 and stripped[0] in "*_" and stripped[-1] == stripped[0]:
        return True
    low = stripped.lower()
    hits = sum(1 for w in _PLACEHOLDER_WORDS if w in low)
    return hits >= 3 and "@" not in low and len(low) < 80


def pasted_lines(text: str) -> list[str]:
    """The lines of a block pasted into a list (check-in, celebrations), one entry each: a
    list marker (``- ``, ``1. ``, ``- [ ] ``) dropped; blank lines, headings (``### Check-in``,
    pasted with the section) and the pad's prompt lines (``Name / @github / Institution``)
    left out. Every kind of line break counts
    (``\r\n``, and a lone ``\r`` as terminals send them)."""
    from facilitator.text_offsets import normalise_newlines

    out = []
    for raw in normalise_newlines(text).split("\n"):
        line = _LIST_MARKER.sub("", raw.strip(), count=1).strip()
        if line and not line.startswith("#") and not _is_placeholder(line) and not _is_prompt(line):
            out.append(line)
    return out


_PROMPT_WORDS = frozenset(_PLACEHOLDER_WORDS) | {"note", "notes", "pronouns", "location", "optional", "username"}


def _is_prompt(line: str) -> bool:
    """A pad's sign-in prompt as typed, every word one of its field names
    (``Name / @github / Institution (note)``): no one is called that."""
    words = re.findall(r"[a-z]+", line.lower())
    return len(words) >= 2 and all(w in _PROMPT_WORDS for w in words)


@lru_cache(maxsize=8192)
def parse_checkin(text: str) -> CheckinLine:
    """Name, handle, affiliation, pronouns, note and extra fields of a check-in line."""
    line = text.strip()
    if _is_placeholder(line):
        return CheckinLine(name=line.strip("*_ "), placeholder=True)
    note = ""
    m = _TRAILING_NOTE.match(line)
    if m and not _PRONOUNS.fullmatch(f"({m.group('note')})") and "/" in m.group("head") + "|":
        # "(might be late)" at the end is a note; "(she/her)" after a name is not.
        head = m.group("head")
        if _split_fields(head)[-1]:
            line, note = head, m.group("note").strip()
    fields = [f for f in _split_fields(line)]
    name = fields[0] if fields else ""
    pronouns = ""
    pm = _PRONOUNS.search(name)
    if pm:
        pronouns = pm.group("p").strip()
        name = (name[: pm.start()] + name[pm.end() :]).strip()
    rest = fields[1:]
    handle_index = next((i for i, f in enumerate(rest) if f.startswith("@")), None)
    if handle_index is None and rest and _HANDLE_LIKE.match(rest[0]) and not rest[0].isupper():
        handle_index = 0
    handle = ""
    if handle_index is not None:
        handle = rest[handle_index].lstrip("@").strip()
        rest = rest[:handle_index] + rest[handle_index + 1 :]
    elif rest and rest[0] == "":
        rest = rest[1:]
    rest = [f for f in rest if f]
    affiliation = rest[0] if rest else ""
    return CheckinLine(
        name=name,
        handle=handle,
        affiliation=affiliation,
        pronouns=pronouns,
        note=note,
        extra=tuple(rest[1:]),
    )


def format_checkin(name: str, handle: str = "", affiliation: str = "", note: str = "", extra: tuple[str, ...] = ()) -> str:
    """A check-in line in the archive's shape: ``Name / @handle / Institution (note)``."""
    parts = [name.strip()]
    if handle.strip() or affiliation.strip() or extra:
        parts.append(f"@{handle.strip().lstrip('@')}" if handle.strip() else "")
    if affiliation.strip() or extra:
        parts.append(affiliation.strip())
    parts.extend(e.strip() for e in extra)
    text = " / ".join(parts).replace("/  /", "/ /")
    if note.strip():
        text += f" ({note.strip()})"
    return text


# -- roles and headings -------------------------------------------------------------

_ROLE = re.compile(r"^\*\*(?:Meeting\s+)?(?P<role>[^*]+?)\*\*\s*:\s*(?P<who>.*)$", re.I)
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f1e6-\U0001f1ff]+"
)


def parse_role(text: str) -> tuple[str, str] | None:
    """``**Meeting facilitator**: @choldgraf`` -> ("facilitator", "@choldgraf")."""
    m = _ROLE.match(text.strip())
    if not m:
        return None
    return m.group("role").strip().lower(), m.group("who").strip()


def plain_heading(heading: str) -> str:
    """A heading without emoji shortcodes or emoji, for display in lists and tabs."""
    return " ".join(_EMOJI.sub("", _SHORTCODE.sub("", heading)).split())
