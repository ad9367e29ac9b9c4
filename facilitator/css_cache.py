"""Textual's parsed stylesheets kept between runs: a start parses no CSS an earlier run parsed.

At every start Textual parses each stylesheet source it meets (every widget class's
``DEFAULT_CSS``, our ``styles/*.tcss``): ~10-15 ms of home's first frame, the largest
part of it that is ours to save after the imports. In one process Textual already keeps
what it parsed (``Stylesheet._parse_cache``, keyed by the CSS text, where it was read
from, its kind, tie-breaker and scope) so a re-parse of unchanged text is free; this
module fills that cache at start from a file an earlier run wrote, and writes the file
again when a run parsed a source the file lacked. A ``.pyc`` for CSS: a changed source
has another key and is parsed as before.

The file is used only with the same Textual files, the same Python and the same CSS
variables (the theme's values are put into the rules as they are parsed). It is read only
if it is the user's own and no one else can write to it (unpickling can run code), and it
is written 0o600. A missing, damaged, foreign or outdated file means an ordinary parse,
never an error; a lost write (two apps saving at once: the last one stays) means one
ordinary parse later.

Textual has no public API for this; ``tests/test_css_cache.py`` fails loudly if the
private parts used here (``Stylesheet._parse_cache``, ``_variables``, the cache key's
shape) change.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

FORMAT = 1
FILE_NAME = "parsed-css.pickle"
# Textual files whose stamps stand for its version (an upgrade rewrites them all); the
# package version itself costs an importlib.metadata lookup (~3 ms).
_TEXTUAL_FILES = ("css/parse.py", "css/model.py", "css/styles.py", "css/stylesheet.py", "color.py")


def textual_stamp() -> tuple:
    """Python's version and where Textual is installed, with its CSS modules' stamps."""
    textual = sys.modules.get("textual")
    if textual is None or not getattr(textual, "__file__", None):
        return ()
    base = os.path.dirname(textual.__file__)
    stamps: list[Any] = [sys.hexversion, base]
    for name in _TEXTUAL_FILES:
        st = os.stat(os.path.join(base, name))
        stamps.append((st.st_mtime_ns, st.st_size))
    return tuple(stamps)


def _header(stylesheet: Any) -> tuple:
    return (FORMAT, textual_stamp(), tuple(sorted(stylesheet._variables.items())))


class ParsedCss:
    """The parsed-stylesheet file of ``path``: :meth:`preload` at start, :meth:`save` later."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._header: tuple | None = None
        # One entry per place CSS is read from: key[1:] (location, kind, tie-breaker,
        # scope) -> (key, rules). A source whose text changed replaces its old entry, so
        # the file holds no more entries than there are places.
        self._entries: dict[tuple, tuple[tuple, list]] = {}

    def _read(self) -> Any:
        # Non-blocking: a named pipe put there would otherwise hold the start until written to.
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None  # a directory, pipe or device where the file should be
            if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                return None  # another user's, or writable by others: not unpickled
            return pickle.load(fh)

    def preload(self, stylesheet: Any) -> int:
        """Put what the file holds into ``stylesheet``'s parse cache; how many sources."""
        try:
            header, entries = self._read()
            if header != _header(stylesheet):
                return 0
            cache = stylesheet._parse_cache
            for key, rules in entries.values():
                cache.set(key, rules)
        except Exception:  # no file, or one of another version, damaged or not ours
            return 0
        self._header, self._entries = header, entries
        return len(entries)

    def collect(self, stylesheet: Any) -> bytes | None:
        """The file's new content if ``stylesheet`` parsed sources it lacks, else None.

        On the app's thread: Textual's cache is not safe to read from another one (a read
        reorders it). The bytes can be written from any thread (:meth:`write`).
        """
        header = _header(stylesheet)
        entries = dict(self._entries) if header == self._header else {}
        cache = stylesheet._parse_cache
        changed = False
        for key in list(cache.keys()):
            rules = cache.get(key)
            place = key[1:]
            if rules is None or entries.get(place, (None,))[0] == key:
                continue
            entries[place] = (key, rules)
            changed = True
        if not changed:
            return None
        try:
            data = pickle.dumps((header, entries), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a rule Textual made that cannot be pickled: keep parsing
            return None
        self._header, self._entries = header, entries
        return data

    def write(self, data: bytes) -> bool:
        """Write ``data`` (from :meth:`collect`) to the file; False if it could not be."""
        from facilitator.store import atomic_write_bytes

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_bytes(self.path, data, mode=0o600)
        except OSError:  # a read-only or full disk: the next start parses, as without it
            return False
        return True

    def save(self, stylesheet: Any) -> bool:
        """:meth:`collect` and :meth:`write` in one (at exit); True if the file was written.
        Never raises: a cache that cannot be kept only costs the next start a parse."""
        try:
            data = self.collect(stylesheet)
        except Exception:  # Textual's private parts changed (tests/test_css_cache.py says so)
            return False
        return data is not None and self.write(data)
