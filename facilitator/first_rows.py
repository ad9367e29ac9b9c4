"""The newest rows home showed last, kept beside the index for its next first frame.

Home's first frame lists the newest sessions as they were last seen, and the rows of a
look at every file follow a moment later (stale-while-revalidate, ``HomeScreen``). Read
from the SQLite index, those first rows cost sqlite3's import and a connection, ~6-8 ms
of a ~300 ms first frame. This small file (``marshal``, built in) costs well under one.

It is derived data, like the index it sits beside (``.facilitator-index.sqlite3-home``,
so the index's ``.gitignore`` line covers it):

- written by home after each look at every file, if what it shows changed
  (``SessionStore.keep_first_rows``), atomically;
- removed by every refresh of the index that changed something (an import, a new or
  deleted session, in this process or another), so it never shows less than the index
  knows (home then reads the index, as before);
- ignored when it cannot be read, is of another version or holds anything but the
  rows it should; user text in it is cleaned of control characters again on reading.

Nothing here imports sqlite3, the store or Textual.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

FILE_NAME = ".facilitator-index.sqlite3-home"
VERSION = 1
MAX_ROWS = 100  # home lists the newest 100; its first frame holds those on screen
MAX_BYTES = 1 << 20  # a file bigger than this is not one written here

# One row: (file name, id, date, heading, title, template, status, attendees,
# agenda items, archived in, mtime, cancelled, breakout rooms), the fields of
# ``summaries.SessionSummary`` in its order with the file's name for its path.
ROW_TYPES = (str, str, str, str, str, str, str, int, int, str, float, str, int)
_TEXT = (1, 2, 3, 4, 5, 6, 9, 11)  # the fields shown as text (the name is checked apart)


def encode(rows: list[tuple], total: int, broken: list[tuple[str, str]]) -> bytes:
    """The file's bytes for the newest ``rows`` (``ROW_TYPES``), the count of sessions
    and the unreadable files as (file name, reason)."""
    return marshal.dumps((VERSION, [tuple(r) for r in rows[:MAX_ROWS]], int(total),
                          [(str(n), str(r)) for n, r in broken[:MAX_ROWS]]))


def unchanged(root: str | Path, data: bytes) -> bool:
    """Whether the kept file holds what ``data`` (:func:`encode`) holds already: equal
    values, not bytes (marshal may write equal values differently)."""
    try:
        return _kept(root) == marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return False


def read(root: str | Path, limit: int) -> tuple[list[tuple], int, list[tuple[str, str]]] | None:
    """The newest ``limit`` rows, the count and the unreadable files, as home last
    kept them; None when there is no such file or it is not one this version wrote."""
    value = _kept(root)
    if not (isinstance(value, tuple) and len(value) == 4 and value[0] == VERSION):
        return None
    _, rows, total, broken = value
    if not (isinstance(rows, list) and type(total) is int and isinstance(broken, list)) or total < len(rows):
        return None
    if not all(_is_row(r) for r in rows) or not all(_is_broken(b) for b in broken):
        return None
    if not rows:
        return None  # nothing to show: the index says what there is
    from facilitator.sanitize import clean

    shown = []
    for r in rows[:limit]:
        r = list(r)
        for i in _TEXT:
            r[i] = clean(r[i])
        shown.append(tuple(r))
    return shown, total, [(n, clean(reason)) for n, reason in broken]


def _kept(root: str | Path) -> object:
    """What the file holds, as marshal reads it; None when it is missing, too big or not
    marshal at all (its shape is :func:`read`'s to check)."""
    try:
        with open(os.path.join(root, FILE_NAME), "rb") as f:
            data = f.read(MAX_BYTES + 1)
        return marshal.loads(data) if len(data) <= MAX_BYTES else None
    except (OSError, ValueError, EOFError, TypeError):
        return None


def forget(root: str | Path) -> None:
    """Remove the kept rows (the index changed: they may show less than it knows)."""
    try:
        os.unlink(os.path.join(root, FILE_NAME))
    except OSError:
        pass


def _is_row(row: object) -> bool:
    return (isinstance(row, tuple) and len(row) == len(ROW_TYPES)
            and all(type(v) is t for v, t in zip(row, ROW_TYPES)) and _is_name(row[0]))


def _is_broken(item: object) -> bool:
    return (isinstance(item, tuple) and len(item) == 2 and all(type(v) is str for v in item)
            and _is_name(item[0]))


def _is_name(name: str) -> bool:
    """A file name of the directory itself, as the index lists them (``*.toml``)."""
    return name.endswith(".toml") and "/" not in name and "\\" not in name and name not in ("", ".", "..") \
        and name == name.strip() and name.isprintable()
