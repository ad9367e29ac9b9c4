"""Searching past sessions: every word people wrote, found by meeting, item and line.

The index is derived data: one entry per session file, each holding the session's
searchable *units* (an agenda item with its notes, a check-in list, a celebrations list,
a raw block...) as plain lines. It is cached beside the sessions in ``.search.json``
keyed on each file's (mtime, size, inode), so a later search only re-reads the files
that changed; the session files stay the only copy of the notes. Deleting the cache
loses nothing.

A query matches a unit when every word of the query starts a word of the unit
(case-insensitive; ``trae`` finds "Traefik"). A hit names the meeting, the section, the
item (for agenda items) and the line that matches best.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from facilitator.model import Session, date_key
from facilitator.store import SessionStore, atomic_write_text, read_session_file, StoreError

CACHE_NAME = ".search.json"
CACHE_VERSION = 1

_WORD = re.compile(r"\w+", re.UNICODE)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")


@dataclass(frozen=True)
class Hit:
    session_id: str
    date: str
    title: str  # the meeting's title
    section: str  # the section's heading, for display
    item_id: str | None  # the agenda item, if the match is in one
    line: str  # the line that matched (as written, without its bullet)
    item_title: str = ""


@dataclass(frozen=True)
class Unit:
    """One searchable piece of a session: an item with its notes, or a section's lines."""

    section: str
    item_id: str | None
    item_title: str
    lines: tuple[str, ...]

    @property
    def blob(self) -> str:
        return "\n".join(self.lines).casefold()


def _lines(text: str) -> list[str]:
    out = []
    for ln in text.split("\n"):
        ln = _BULLET.sub("", ln).strip()
        if ln:
            out.append(ln)
    return out


def session_units(session: Session) -> list[Unit]:
    """The searchable units of a session, in document order."""
    units: list[Unit] = []
    head = [p for p in (session.heading, session.title if session.title != session.heading else "") if p]
    head += _lines(session.cancelled) + _lines(session.front)
    if head:
        units.append(Unit("meeting", None, "", tuple(head)))
    for sec in session.sections:
        title = sec.title
        own: list[str] = []
        if sec.heading:
            own.append(title)
        own += _lines(sec.intro)
        own += [a.text for a in sec.attendees]
        own += [e for entry in sec.entries for e in _lines(entry)]
        own += _lines(sec.body)
        own += _lines(sec.outro)
        if sec.kind == "topic" and sec.items:
            own = [ln for ln in own if ln != title]  # the heading is the item's own line
        if own:
            units.append(Unit(title, None, "", tuple(own)))
        for item in sec.items:
            item_lines = [item.text.strip()] + _lines(item.notes)
            units.append(Unit(title, item.id, item.title or item.text.strip(), tuple(ln for ln in item_lines if ln)))
    return units


# -- the cache ------------------------------------------------------------------------


def _file_key(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _entry_of(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.date,
        "title": session.title or session.heading,
        "units": [[u.section, u.item_id, u.item_title, list(u.lines)] for u in session_units(session)],
    }


@dataclass
class _Doc:
    session_id: str
    date: str
    title: str
    units: list[Unit]
    blobs: list[str]


class SearchIndex:
    """All sessions' units in memory, newest first, with their lower-cased text."""

    def __init__(self, docs: list[_Doc]) -> None:
        docs.sort(key=lambda d: (date_key(d.date), d.date, d.session_id), reverse=True)
        self.docs = docs

    @property
    def sessions(self) -> int:
        return len(self.docs)

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        words = query_words(query)
        if not words:
            return []
        patterns = [re.compile(r"(?<!\w)" + re.escape(w)) for w in words]
        hits: list[Hit] = []
        for doc in self.docs:
            for unit, blob in zip(doc.units, doc.blobs):
                if not all(w in blob for w in words):  # cheap substring test first
                    continue
                if not all(p.search(blob) for p in patterns):
                    continue
                hits.append(
                    Hit(doc.session_id, doc.date, doc.title, unit.section, unit.item_id,
                        _best_line(unit.lines, patterns), unit.item_title)
                )
                if limit is not None and len(hits) >= limit:
                    return hits
        return hits


def query_words(query: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(query)]


def _best_line(lines: Iterable[str], patterns: list[re.Pattern[str]]) -> str:
    best, best_score = "", -1
    for ln in lines:
        low = ln.casefold()
        score = sum(1 for p in patterns if p.search(low))
        if score > best_score:
            best, best_score = ln, score
    return best


# In-process cache: sessions dir -> (file keys, index); a long-running app re-stats only.
_MEMORY: dict[Path, tuple[dict[str, Any], SearchIndex]] = {}


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def build_index(store: SessionStore, *, write_cache: bool = True) -> SearchIndex:
    """The index for the store's current files, re-reading only files changed since the cache."""
    root = store.root
    scan = store.scan()
    keys = {s.path.name: _file_key(s.path) for s in scan.sessions}
    mem = _MEMORY.get(root.resolve() if root.exists() else root)
    if mem is not None and {k: v["key"] for k, v in mem[0].items()} == keys:
        return mem[1]
    cache_path = root / CACHE_NAME
    old = mem[0] if mem is not None else _read_cache(cache_path)
    files: dict[str, Any] = {}
    for summary in scan.sessions:
        name = summary.path.name
        key = keys[name]
        cached = old.get(name)
        if isinstance(cached, dict) and cached.get("key") == key and isinstance(cached.get("entry"), dict):
            files[name] = cached
            continue
        try:
            session = read_session_file(summary.path, summary.id)
        except StoreError:
            continue  # changed into something unreadable since the scan; scan will say so
        files[name] = {"key": _file_key(summary.path) or key, "entry": _entry_of(session)}
    docs = []
    for name, f in files.items():
        e = f["entry"]
        try:
            units = [Unit(u[0], u[1], u[2], tuple(u[3])) for u in e["units"]]
            docs.append(_Doc(e["id"], e["date"], e["title"], units, [u.blob for u in units]))
        except (KeyError, IndexError, TypeError):
            continue
    index = SearchIndex(docs)
    if write_cache and root.exists() and files != old:
        try:
            atomic_write_text(cache_path, json.dumps({"version": CACHE_VERSION, "files": files}, separators=(",", ":")))
        except OSError:
            pass  # only a cache
    _MEMORY[root.resolve() if root.exists() else root] = (files, index)
    return index


def search(store: SessionStore, query: str, limit: int | None = None) -> list[Hit]:
    """Every unit of every session where all the query's words occur, newest meeting first."""
    return build_index(store).search(query, limit)


def forget(store: SessionStore) -> None:
    """Drop the in-process index of a store (the next search re-checks files)."""
    root = store.root
    _MEMORY.pop(root.resolve() if root.exists() else root, None)
