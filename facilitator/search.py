"""Searching past sessions: every word people wrote, found by meeting, item and line.

The searchable *units* of each session (an agenda item with its notes, a check-in list,
a celebrations list, a raw block...) live in the SQLite index's FTS5 table
(``facilitator.index``), brought up to date from each file's (mtime, size, inode) before a
search, so a search re-reads only the files that changed; the session files stay the
only copy of the notes. Deleting the index loses nothing.

A query matches a unit when every word of the query starts a word of the unit
(case and accents ignored; ``trae`` finds "Traefik"); ``"quoted words"`` must occur as a
phrase. A hit names the meeting, the section, the item (for agenda items), the line that
matches best and a snippet around the match.
"""

from __future__ import annotations

import os
from collections import namedtuple

TYPE_CHECKING = False  # typing is not imported at run time (a warm ``search`` imports this)
if TYPE_CHECKING:
    from typing import Iterable

    from facilitator.store import SessionStore

from facilitator.index import SNIPPET_CLOSE, SNIPPET_OPEN, Unit, fts_query, is_word_char, session_units, words_of  # noqa: F401 (re-exported)

# No regular expressions: a warm ``search`` does not import re (~3 ms with enum); words
# are what ``\w+`` finds (``index.words_of``), a word's match starts a word.


class Hit(namedtuple("Hit", "session_id date title section item_id line item_title snippet", defaults=("", ""))):
    """One matching unit: the session's id and date, the meeting's title, the section's
    heading, the agenda item's id (None outside one), the line that matched (as written,
    without its bullet), the item's title, and text around the match with the matched
    words between SNIPPET_OPEN and SNIPPET_CLOSE. (A named tuple, not a dataclass:
    importing ``dataclasses`` was a fifth of a warm ``facilitator search``.)"""

    __slots__ = ()

    @property
    def snippet_text(self) -> str:
        """The snippet without its match markers."""
        return self.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")


def query_words(query: str) -> list[str]:
    return [w.casefold() for w in words_of(query)]


def word_start(text: str, word: str) -> int:
    """Where ``word`` first occurs in ``text`` not right after a word character (what
    ``re.search(r"(?<!\\w)" + re.escape(word), text)`` finds), or -1."""
    i = text.find(word)
    while i > 0 and is_word_char(text[i - 1]):
        i = text.find(word, i + 1)
    return i


def _best_line(body: str, words: list[str]) -> str:
    """The first of the body's lines matching the most query words (the first line if none).

    The body is case-folded once (folding maps characters one by one and never makes a
    newline, so its lines are the folded lines); one word is one search of the whole body,
    and a line matching every word ends the loop.
    """
    lines = body.split("\n")
    low = body.casefold()
    if len(words) == 1:
        at = word_start(low, words[0])
        return lines[low.count("\n", 0, at)] if at >= 0 else lines[0]
    best, best_score, most = "", -1, len(words)
    for ln, folded in zip(lines, low.split("\n")):
        score = sum(1 for w in words if word_start(folded, w) >= 0)
        if score > best_score:
            best, best_score = ln, score
            if score == most:
                break
    return best


def search(store: SessionStore, query: str, limit: int | None = None, ranked: bool = False,
           snippets: bool = True) -> list[Hit]:
    """Every unit of every session matching the query: newest meeting first (in document
    order within one), or best match first (FTS5's bm25) with ``ranked``. ``snippets=False``
    leaves ``Hit.snippet`` empty (the CLI prints the best line; snippets cost time)."""
    if not fts_query(query):
        return []
    words = query_words(query)
    hits = []
    for sid, date, title, section, item_id, item_title, body, snippet in store.index().search(query, limit, ranked, snippets):
        hits.append(Hit(sid, date, title, section, item_id or None, _best_line(body, words), item_title, snippet))
    return hits


def count_hits(store: SessionStore, query: str) -> int:
    """How many units the last :func:`search` of ``query`` matched in all (the index as it
    is, not refreshed again)."""
    from facilitator.index import index_for

    root = _dir_of(store)
    if not os.path.isdir(root):
        return 0
    return index_for(root).count_matches(query)


def count_sessions(store: SessionStore) -> int:
    """How many sessions the last search looked through (the index as it is, not refreshed)."""
    from facilitator.index import index_for

    root = _dir_of(store)
    if not os.path.isdir(root):
        return 0
    return index_for(root).count()


def _dir_of(store: SessionStore) -> str:
    """The store's directory as text (the CLI's ``IndexedDir`` has it without a Path)."""
    text = getattr(store, "dir", None)
    return text if isinstance(text, str) else os.fspath(store.root)
