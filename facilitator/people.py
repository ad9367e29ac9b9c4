"""Who came when: attendance per person over past sessions, and check-in completion.

A person is recognised by their GitHub handle (lower-cased) when the check-in line has
one, else by their name (lower-cased, spaces collapsed): "Erik / @consideRatio" and
"Erik Sundell / @consideratio" are the same person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from facilitator.model import Session
    from facilitator.store import SessionStore

from facilitator.index import person_key  # noqa: F401 (re-exported: the index keeps each attendee's key)

# The model (for ``date_key``) is imported by the functions that group rows, not here: a
# warm ``facilitator people`` reads the grouped result from the index without it.

BLOCK_ON = "▇"
BLOCK_OFF = "▁"


@dataclass
class Person:
    key: str
    name: str = ""
    handle: str = ""
    affiliation: str = ""
    dates: list[str] = field(default_factory=list)  # oldest first, one per session attended
    session_ids: list[str] = field(default_factory=list)
    last_line: str = ""  # the check-in line as written the last time
    names: set[str] = field(default_factory=set)  # every name written with this handle

    @property
    def count(self) -> int:
        return len(self.dates)

    @property
    def first_seen(self) -> str:
        return self.dates[0] if self.dates else ""

    @property
    def last_seen(self) -> str:
        return self.dates[-1] if self.dates else ""




def _ordered(sessions: Iterable[Session]) -> list[Session]:
    from facilitator.model import date_key

    return sorted(sessions, key=lambda s: (date_key(s.date), s.date, s.id))


def attendance_of(sessions: Iterable[Session]) -> list[Person]:
    """People over the given sessions, most sessions first (then most recent, then name)."""
    rows = []
    for s in _ordered(sessions):
        for a in s.attendees:
            name, handle = a.name.strip(), a.handle.strip()
            rows.append((s.id, s.date, name, handle, a.affiliation.strip(), a.text.strip(), person_key(name, handle)))
    return _attendance(rows)


def _attendance(rows: Iterable[tuple[str, str, str, str, str, str, str]]) -> list[Person]:
    """People from check-in rows (session id, date, name, handle, affiliation, line, key),
    oldest session first; rows with an empty key (no name, no handle) are skipped."""
    from facilitator.model import date_key

    people: dict[str, Person] = {}
    for sid, date, name, handle, affiliation, line, key in rows:
        if not key:
            continue
        p = people.get(key)
        if p is None:
            p = people[key] = Person(key=key)
        # The newest line wins for display (people change how they write their name).
        if name:
            p.name = name
            p.names.add(" ".join(name.split()).lower())
        if handle:
            p.handle = handle
        if affiliation:
            p.affiliation = affiliation
        p.last_line = line
        if not p.session_ids or p.session_ids[-1] != sid:
            p.dates.append(date)
            p.session_ids.append(sid)
    _merge_unnamed(people)
    out = list(people.values())
    out.sort(key=lambda p: (-p.count, tuple(-x for x in date_key(p.last_seen)), p.name.lower()))
    return out


def _merge_unnamed(people: dict[str, Person]) -> None:
    """A line with no handle ("Sarah Gibson / / 2i2c") joins the one handle written with that name."""
    from facilitator.model import date_key

    by_name: dict[str, list[Person]] = {}
    for p in people.values():
        if p.handle:
            for n in p.names:
                by_name.setdefault(n, []).append(p)
    for key, p in list(people.items()):
        if p.handle:
            continue
        owners = by_name.get(key, [])
        if len(owners) != 1:
            continue  # unknown or ambiguous: keep them apart
        target = owners[0]
        newer = date_key(p.last_seen) > date_key(target.last_seen)
        merged = sorted(zip(target.dates + p.dates, target.session_ids + p.session_ids), key=lambda d: (date_key(d[0]), d[0], d[1]))
        seen: set[str] = set()
        target.dates, target.session_ids = [], []
        for date, sid in merged:
            if sid not in seen:
                seen.add(sid)
                target.dates.append(date)
                target.session_ids.append(sid)
        if newer:
            target.last_line = p.last_line
        del people[key]


def attendance(store: SessionStore) -> list[Person]:
    """People over every session of the store, from its index (no session file is parsed)."""
    return _decode(_grouped(store))


def attendance_table(store: SessionStore) -> list[tuple[str, str, int, str, str]]:
    """(name, handle, sessions, first seen, last seen) of :func:`attendance`, without
    building each person's list of dates (what ``facilitator people`` prints)."""
    import json

    return [(name, handle, count, first, last)
            for _key, name, handle, _aff, count, first, last, *_rest in json.loads(_grouped(store))]


def attendance_of_index(idx: Any) -> list[Person]:
    """People over every session in the index ``idx`` as it is (for a value the index keeps:
    no refresh, no kept value of its own)."""
    return _attendance(idx.attendee_rows())


def _grouped(store: SessionStore) -> str:
    """Grouping ~50,000 check-in lines of 10,000 sessions takes a few hundred ms, so the
    index keeps the result (``SessionIndex.derived``) until a session file changes."""
    from facilitator.index import code_version

    idx = store.index()
    return idx.derived("people", code_version(__file__, Path(__file__).with_name("model.py")),
                       lambda: _encode(_attendance(idx.attendee_rows())))


def _encode(folks: list[Person]) -> str:
    """People as JSON text; a person's dates and session ids as one string each (one
    string per date would be ~100,000 objects to build when read back)."""
    import json

    return json.dumps([
        [p.key, p.name, p.handle, p.affiliation, p.count, p.first_seen, p.last_seen,
         "\n".join(p.dates), "\n".join(p.session_ids), p.last_line, sorted(p.names)]
        for p in folks
    ], ensure_ascii=False)


def _decode(text: str) -> list[Person]:
    import json

    return [
        Person(key=key, name=name, handle=handle, affiliation=affiliation, dates=dates.split("\n") if dates else [],
               session_ids=sids.split("\n") if sids else [], last_line=last_line, names=set(names))
        for key, name, handle, affiliation, _n, _first, _last, dates, sids, last_line, names in json.loads(text)
    ]


def store_meeting_dates(store: SessionStore) -> list[str]:
    """:func:`meeting_dates` of every session of the store, from its index."""
    return store.index().checkin_dates()


def meeting_dates(sessions: Iterable[Session]) -> list[str]:
    """Dates of the sessions that had a check-in, oldest first (the columns of a chart)."""
    seen: list[str] = []
    for s in _ordered(sessions):
        if s.attendees and s.date not in seen:
            seen.append(s.date)
    return seen


def chart(person: Person, dates: list[str]) -> str:
    """One block per meeting date: tall if the person came, low if not."""
    mine = set(person.dates)
    return "".join(BLOCK_ON if d in mine else BLOCK_OFF for d in dates)


def without_note(line: str) -> str:
    """A check-in line without its trailing "(late)"-style note (that belongs to one day)."""
    from facilitator.lines import parse_checkin

    if parse_checkin(line).note and "(" in line:
        return line[: line.rfind("(")].rstrip()
    return line


def completions_of(sessions: Iterable[Session], notes: bool = True) -> list[str]:
    """The most recent check-in line of each person, most frequent attendee first.

    With ``notes=False`` a trailing note ("(might be late)") is left out, as the live
    check-in suggests it.
    """
    return _completions(attendance_of(sessions), notes)


def completions(store: SessionStore, notes: bool = True) -> list[str]:
    """:func:`completions_of` every session of the store, from the index's grouped people
    straight (each person's most recent line): no :class:`Person` with its lists of dates
    and session ids is built (at 10,000 sessions ~100,000 strings, ~10 MB at a time, only
    to be dropped: the app reads these while the history list loads)."""
    import json

    return _completion_lines((row[9] for row in json.loads(_grouped(store))), notes)


def _completions(folks: list[Person], notes: bool) -> list[str]:
    return _completion_lines((p.last_line for p in folks), notes)


def _completion_lines(last_lines: Iterable[str], notes: bool) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for last_line in last_lines:
        line = last_line if notes else without_note(last_line)
        if line and line not in seen:
            seen.add(line)
            out.append(line)
    return out


def as_json(people: list[Person]) -> list[dict]:
    return [
        {
            "name": p.name,
            "handle": p.handle,
            "affiliation": p.affiliation,
            "sessions": p.count,
            "first_seen": p.first_seen,
            "last_seen": p.last_seen,
            "dates": list(p.dates),
            "last_line": p.last_line,
        }
        for p in people
    ]
