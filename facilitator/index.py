"""One SQLite index of every session file, for everything that reads many sessions.

The TOML files stay the only source of truth; the index (``.facilitator-index.sqlite3``
beside them) is derived data, brought up to date from each file's (mtime_ns, size, inode)
so a refresh parses only the files that changed, and each changed file exactly once: the
list, search, people, stats and next all read the same tables. It holds:

- ``files``: every ``*.toml`` seen, with its key, or why it cannot be read;
- ``sessions``: what a session list shows (``summaries.SessionSummary``) and a filter haystack;
- ``attendees``: the check-in lines (people, check-in completions);
- ``items``: agenda items with planned and actual seconds (time review);
- ``units``: an FTS5 table of the searchable units (an item with its notes, a section's
  lines), for prefix and phrase queries, ranked, with snippets;
- ``derived``: results computed over every session (attendance per person, the time
  review of all sessions), each kept with the listing key of the tables it was computed
  from and served only while the index still holds that key (:meth:`SessionIndex.derived`).

Freshness: before every read the directory is listed and each ``*.toml`` stat-ed (a hand
edit in place, by an editor that rewrites the file without renaming it, changes nothing
but the file's own mtime and size, so no cheaper check would see it). After each refresh
the index keeps a *listing key* (``meta.listing``): a digest of the names in listing
order and of every (mtime_ns, size, inode). When the next listing gives the same key, the
``files`` table is known to say exactly that, and the refresh stops without reading it;
any difference (a file added, removed, renamed, edited in place or replaced) changes the
key and the table is compared file by file as before. The names of the last listing are
kept too (``meta.names``, under the directory's stamp), so while the directory itself is
unchanged only the stats are taken, not the listdir. A file that could not be opened
("cannot read") keeps the key from being stored, so it is tried again every time.

It is rebuilt without a word when missing, corrupt or written by another schema version.
Two processes may refresh at once: WAL lets readers read while one writer (holding
SQLite's write lock, ``BEGIN IMMEDIATE``) brings the tables up to date; the other then
finds nothing left to do. A sessions directory the index cannot be written in (read-only)
still works: the index then lives in memory for the process, built from the files.

This module never imports the store (the store calls it, handing it a parser), nor Textual.
"""

from __future__ import annotations

import _thread
import os
import sqlite3
from collections import namedtuple

from facilitator import cores
from facilitator.listing import Listing, known_names, list_dir

# Not typing at run time (a warm CLI command imports this module; PEP 563 annotations).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from pathlib import Path
    from typing import Any, Callable, Iterable, Iterator, TypeVar

    T = TypeVar("T")

    # What parse() returns for a file: a Session, or the reason it cannot be read.
    Parser = Callable[[Path, str], Any]
    Progress = Callable[[int, int], None]

INDEX_NAME = ".facilitator-index.sqlite3"
# Bump when a table's columns or how a value is computed change: an index written by
# another version is rebuilt from the files.
# 2: attendees.person_key; 3: sessions.breakout_rooms; 4: meta.listing; 5: derived; 6: items.extra_seconds
SCHEMA_VERSION = 6
# The session format (``model.FORMAT_VERSION``) the tables were computed from; a test
# keeps it equal to the model's, so a new format rebuilds the index. (Not imported from
# the model: the warm ``list`` reads the index without loading the model.)
INDEXED_FORMAT_VERSION = 1
# Each file's units get the rowids fid * UNIT_SPAN ... (fid + 1) * UNIT_SPAN - 1, so a
# file's units are deleted by a rowid range, not a scan of the whole FTS table.
UNIT_SPAN = 1 << 20
BUSY_TIMEOUT_MS = 60_000
SNIPPET_OPEN = "\ue000"  # private-use characters mark a snippet's match (never in notes)
SNIPPET_CLOSE = "\ue001"

# A list marker at the start of a line ("- ", "3. ", "* [x] "), on every line of a text at
# once ([^\S\n] is any white space but the line break). Compiled when a file is parsed:
# a warm command (which parses nothing) does not import re.
_BULLETS = r"^[^\S\n]*(?:[-*+]|\d{1,9}[.)])[^\S\n]+(?:\[[ xX]\][^\S\n]+)?"
_compiled: list[re.Pattern[str]] = []


def _bullets() -> re.Pattern[str]:
    if not _compiled:
        import re

        _compiled.append(re.compile(_BULLETS, re.MULTILINE))
    return _compiled[0]


def is_word_char(ch: str) -> bool:
    """What ``\\w`` of a str pattern matches (every code point agrees: a test checks)."""
    return ch.isalnum() or ch == "_"


def words_of(text: str) -> list[str]:
    """``re.findall(r"\\w+", text)``, without re."""
    words: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if ch.isalnum() or ch == "_":
            if start < 0:
                start = i
        elif start >= 0:
            words.append(text[start:i])
            start = -1
    if start >= 0:
        words.append(text[start:])
    return words


def _query_parts(query: str) -> Iterator[tuple[str | None, str | None]]:
    """What ``re.finditer(r'"([^"]*)"?|(\\w+)', query)`` gives as (group 1, group 2): a
    quoted part (to the next quote or the end), or a run of word characters."""
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                yield query[i + 1 :], None
                return
            yield query[i + 1 : end], None
            i = end + 1
        elif ch.isalnum() or ch == "_":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            yield None, query[i:j]
            i = j
        else:
            i += 1



# -- searchable units ---------------------------------------------------------------


class Unit(namedtuple("Unit", "section item_id item_title lines")):
    """One searchable piece of a session: an item with its notes, or a section's lines:
    section (str), item_id (str or None), item_title (str), lines (tuple of str)."""

    __slots__ = ()

    @property
    def blob(self) -> str:
        return "\n".join(self.lines).casefold()


def _lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, stripped, each without its list marker."""
    if not text:
        return []
    return [ln for ln in (raw.strip() for raw in _bullets().sub("", text).split("\n")) if ln]


def session_units(session: Any) -> list[Unit]:
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


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: each word a prefix, each ``"quoted words"`` a phrase, all required.

    Only word characters reach the expression, so no user text can be FTS5 syntax.
    """
    parts = []
    for quoted, word in _query_parts(query):
        if quoted is not None:
            words = words_of(quoted)
            if len(words) == 1:
                parts.append(f'"{words[0]}"*')
            elif words:
                parts.append('"' + " ".join(words) + '"')
        elif word:
            parts.append(f'"{word}"*')
    return " AND ".join(parts)


def person_key(name: str, handle: str) -> str:
    """Who a check-in line is: the GitHub handle (lower-cased) if any, else the name
    (lower-cased, spaces collapsed); "" for neither (see ``facilitator.people``)."""
    if handle.strip():
        return "@" + handle.strip().lstrip("@").lower()
    return " ".join(name.split()).lower()


def sort_key(date: str) -> str:
    """A text that sorts like ``model.date_key`` (undated sessions last when newest first)."""
    from facilitator.model import date_key

    y, m, d = date_key(date)
    return f"{y:04d}-{m:02d}-{d:02d}"


# -- the schema -------------------------------------------------------------------

# Indexes added to the schema after its version: made in an index file of that version
# when it is next opened for writing, instead of a rebuild of every session. The broken
# files' list (home's first frame, every refresh) read the whole files table: 1.4 ms at
# 10,000 sessions, against ~0.05 ms.
_ADDED_INDEXES = ("CREATE INDEX IF NOT EXISTS files_broken ON files(name) WHERE broken IS NOT NULL",)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    fid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, inode INTEGER NOT NULL,
    broken TEXT);
CREATE TABLE IF NOT EXISTS sessions(
    fid INTEGER PRIMARY KEY, id TEXT NOT NULL, date TEXT NOT NULL, sort_key TEXT NOT NULL,
    heading TEXT NOT NULL, title TEXT NOT NULL, template TEXT NOT NULL, status TEXT NOT NULL,
    attendees INTEGER NOT NULL, agenda_items INTEGER NOT NULL, archived_in TEXT NOT NULL,
    cancelled TEXT NOT NULL, slot_minutes INTEGER NOT NULL, source TEXT NOT NULL,
    haystack TEXT NOT NULL, breakout_rooms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sessions_order ON sessions(date DESC, id DESC);
CREATE INDEX IF NOT EXISTS files_broken ON files(name) WHERE broken IS NOT NULL;
CREATE TABLE IF NOT EXISTS attendees(
    fid INTEGER NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL, handle TEXT NOT NULL,
    affiliation TEXT NOT NULL, line TEXT NOT NULL, pkey TEXT NOT NULL, PRIMARY KEY (fid, pos)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items(
    fid INTEGER NOT NULL, pos INTEGER NOT NULL, item_id TEXT NOT NULL, title TEXT NOT NULL,
    owner TEXT NOT NULL, status TEXT NOT NULL, planned_seconds INTEGER NOT NULL,
    actual_seconds REAL NOT NULL, extra_seconds INTEGER NOT NULL, PRIMARY KEY (fid, pos)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS derived(name TEXT PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS units USING fts5(
    body, section UNINDEXED, item_id UNINDEXED, item_title UNINDEXED,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'");
"""
_TABLES = ("meta", "files", "sessions", "attendees", "items", "units", "derived")


def _is_corrupt(exc: sqlite3.Error) -> bool:
    """A damaged database (rebuild it), as opposed to a busy or read-only one."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "malformed" in text or "not a database" in text or "no such" in text
    return isinstance(exc, sqlite3.DatabaseError)


def session_haystack(session_id: str, date: str, title: str, template: str, status: str,
                     cancelled: str, archived_in: str) -> str:
    """What the history filter matches: the words a user sees in a session's row, and the
    month's name (typing ``nov`` finds November's meetings)."""
    import re

    month = ""
    m = re.match(r"\d{4}-(\d{2})", date.strip())
    if m and 1 <= int(m.group(1)) <= 12:
        import calendar

        month = calendar.month_name[int(m.group(1))]
    return " ".join((session_id, date, title, template, status, cancelled, month,
                     "archived" if archived_in else "")).casefold()


# -- a file's rows, parsed here or in worker processes ---------------------------------

# What a parsed session adds to the tables, without the fid the files table gives it:
# (sessions row, attendees rows, items rows, units rows (body, section, item_id, item_title)).
Rows = tuple[tuple, list[tuple], list[tuple], list[tuple]]
# Below this many files to parse, starting worker processes (~0.2 s of CPU each: a fresh
# interpreter importing the model) costs more than it saves; a file takes ~3 ms.
PARALLEL_FROM = 400
PARSE_CHUNK = 50  # files a worker parses per task: few round trips, progress still steady


def session_rows(session: Any) -> Rows | str:
    """The rows a parsed file adds (a Session), or the reason it cannot be read (a str)."""
    if isinstance(session, str):
        return session
    s = session
    title = s.title or s.heading
    cancelled = " ".join(s.cancelled.split())[:200]
    status = str(s.status)
    attendees = s.attendees
    items = s.agenda_items
    row = (s.id, s.date, sort_key(s.date), s.heading, s.title, s.template, status,
           len(attendees), len(items), s.archived_in, cancelled, int(s.slot_minutes or 0), s.source,
           session_haystack(s.id, s.date, title, s.template, status, cancelled, s.archived_in),
           len(s.rooms))
    people = []
    for n, a in enumerate(attendees):
        name, handle = a.name.strip(), a.handle.strip()
        people.append((n, name, handle, a.affiliation.strip(), a.text.strip(), person_key(name, handle)))
    timed = [(n, i.id, i.title or i.text.strip(), i.owner, str(i.status), int(i.planned_seconds),
              float(i.actual_seconds or 0.0), int(i.extra_seconds or 0)) for n, i in enumerate(items)]
    units = [("\n".join(u.lines), u.section, u.item_id, u.item_title) for u in session_units(s)[: UNIT_SPAN - 1]]
    return row, people, timed, units


def _parse_chunk(parse: Parser, root: Path, names: list[str]) -> list[tuple[str, Rows | str]]:
    """A worker's task: the rows of each file (only plain tuples travel back)."""
    return [(name, session_rows(parse(root / name, name[: -len(".toml")]))) for name in names]


# A worker: reads all its input first (the parent's sys.path, then (parse, root, chunks of
# names)), so the parent never waits on a full pipe while it imports; writes the rows of
# each chunk as soon as it has them. Only the index module and what ``parse`` needs are
# imported: no main module is run again (as multiprocessing's spawn would).
_WORKER = (
    "import pickle, sys\n"
    "path = pickle.load(sys.stdin.buffer)\n"
    "task = sys.stdin.buffer.read()\n"
    "sys.path[:] = path\n"
    "from facilitator.index import _parse_chunk\n"
    "parse, root, chunks = pickle.loads(task)\n"
    "for names in chunks:\n"
    "    pickle.dump(_parse_chunk(parse, root, names), sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)\n"
    "    sys.stdout.buffer.flush()\n"
)


def parsed_rows(root: Path, names: list[str], parse: Parser, workers: int | None = None,
                parallel_from: int = PARALLEL_FROM) -> Iterator[tuple[str, Rows | str]]:
    """(name, rows) of each file in ``names``, in that order.

    With at least ``parallel_from`` names and more than one worker (default: the cores
    this process may use), the files are parsed by ``workers`` fresh Python processes
    (``sys.executable``, never a fork: the app has threads), chunk ``k`` by worker
    ``k % workers``, while the caller writes the tables. The processes are this call's
    own: they end with their last chunk, or are killed when the iterator is closed early.
    If they cannot start, ``parse`` cannot be pickled, or a worker dies, the files not
    yet returned are parsed in this process: the same rows either way, since a file's
    rows depend on the file alone.
    """
    done = 0
    count = cores.usable() if workers is None else workers
    chunks = [names[i : i + PARSE_CHUNK] for i in range(0, len(names), PARSE_CHUNK)]
    count = min(count, len(chunks))
    if count > 1 and len(names) >= parallel_from:
        procs: list[Any] = []
        try:
            import pickle
            import subprocess
            import sys

            if not sys.executable:
                raise OSError("no Python executable to start")
            head = pickle.dumps(list(sys.path), pickle.HIGHEST_PROTOCOL)
            tasks = [pickle.dumps((parse, root, chunks[w::count]), pickle.HIGHEST_PROTOCOL) for w in range(count)]
            for _ in range(count):
                procs.append(subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
            for proc, task in zip(procs, tasks):  # all started first: they start up side by side
                proc.stdin.write(head + task)
                proc.stdin.close()
            for k in range(len(chunks)):
                for item in pickle.load(procs[k % count].stdout):
                    yield item
                    done += 1
        except Exception:  # noqa: BLE001 - any failure of a worker: the rest parsed here
            pass
        finally:
            for proc in procs:
                if proc.poll() is None and done < len(names):
                    proc.kill()
                proc.stdout.close()
                proc.wait()
    for name in names[done:]:
        yield name, session_rows(parse(root / name, name[: -len(".toml")]))


class SessionIndex:
    """The index of one sessions directory. Thread-safe: one connection behind a lock."""

    def __init__(self, root: Path) -> None:
        # The directory as text: a warm read (the CLI's) never needs pathlib; ``root`` and
        # ``path`` are made on first use.
        self.dir = os.fspath(root)
        self.file = os.path.join(self.dir, INDEX_NAME)
        self.data_version = f"{SCHEMA_VERSION}/{INDEXED_FORMAT_VERSION}"
        self.in_memory = False
        self._lock = _thread.RLock()
        self._conn: sqlite3.Connection | None = None
        # (files indexed, files to index) while a refresh parses files, else None: any
        # thread may read it (the app's progress bar polls it). A build in a child
        # process (``facilitator.index_child``) reports here too.
        self.progress: tuple[int, int] | None = None
        self._until_root = False

    @property
    def root(self) -> Path:
        from pathlib import Path

        return Path(self.dir)

    @property
    def path(self) -> Path:
        """The index's file."""
        from pathlib import Path

        return Path(self.file)

    # -- connecting -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        conn = None
        try:
            conn = self._open_file()
        except sqlite3.Error as e:
            if _is_corrupt(e):
                self._remove_files()
                try:
                    conn = self._open_file()
                except sqlite3.Error:
                    conn = None
        if conn is None:  # cannot write beside the sessions: build in memory
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._create(conn)
            self.in_memory = True
            # A directory that does not exist yet gets its file once it does.
            self._until_root = not os.path.isdir(self.dir)
        self._conn = conn
        return conn

    def _open_file(self) -> sqlite3.Connection:
        if not os.access(self.dir, os.W_OK):
            raise sqlite3.OperationalError("sessions directory is read-only")
        conn = sqlite3.connect(self.file, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                               isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise sqlite3.OperationalError("cannot use WAL here")
            conn.execute("PRAGMA synchronous = NORMAL")  # derived data: a lost commit is re-read
            if not self._current(conn):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if not self._current(conn):  # another process may have done it meanwhile
                        for t in _TABLES:
                            conn.execute(f"DROP TABLE IF EXISTS {t}")
                        self._create(conn, in_transaction=True)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            for stmt in _ADDED_INDEXES:
                try:
                    conn.execute(stmt)  # a no-op once made
                except sqlite3.OperationalError:  # busy: the next open makes it
                    pass
        except BaseException:
            conn.close()
            raise
        return conn

    def _current(self, conn: sqlite3.Connection) -> bool:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return False
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None and row[0] == self.data_version

    def _create(self, conn: sqlite3.Connection, in_transaction: bool = False) -> None:
        if not in_transaction:
            conn.execute("BEGIN")
        for stmt in _SCHEMA.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", (self.data_version,))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if not in_transaction:
            conn.execute("COMMIT")

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.file}{suffix}")
            except OSError:
                pass

    def settle_log(self) -> None:
        """Fold the write-ahead log back into the index file and empty it in place, if it
        holds anything and no other process is busy with it (see :func:`settle_logs`)."""
        with self._lock:
            if self._conn is None or self.in_memory:
                return
            try:
                if os.stat(f"{self.file}-wal").st_size == 0:
                    return
            except OSError:
                return
            try:
                self._conn.execute("PRAGMA busy_timeout = 0")
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _run(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """``fn(conn)`` under the lock; a corrupt index is removed, rebuilt and ``fn`` retried once."""
        with self._lock:
            try:
                return fn(self._connect())
            except sqlite3.Error as e:
                if not _is_corrupt(e) or self.in_memory:
                    raise
            self.close()
            self._remove_files()
            return fn(self._connect())

    # -- refreshing -------------------------------------------------------------------
    def refresh(self, parse: Parser, progress: Progress | None = None, *, workers: int | None = None,
                parallel_from: int = PARALLEL_FROM) -> list[tuple[str, str]]:
        """Bring the tables up to date with the directory; the files that could not even be listed.

        ``parse(path, stem)`` reads one file: a Session, or a string saying why it cannot
        be read. Only new and changed files are parsed, each once. ``progress(done, total)``
        is called as changed files are indexed (from the calling thread), first with
        (0, total) before any is parsed; an exception it raises rolls the refresh back.
        With at least ``parallel_from`` files to parse, they are parsed in ``workers``
        processes (default: one per core the process may use) while this one writes the
        tables; see :func:`parsed_rows`.
        """
        kept = self._kept_names()
        listing = self._list(kept)  # not under the lock: the app's queries go on meanwhile
        with self._lock:
            if self._until_root and os.path.isdir(self.dir):
                self.close()
                self.in_memory = self._until_root = False
            try:
                self._run(lambda conn: self._is_current(conn, listing.key)
                          or self._sync(conn, listing.on_disk, parse, progress, listing.key, workers, parallel_from))
                if listing.stamp and (kept is None or kept[0] != listing.stamp or not kept[2]):
                    self._run(lambda conn: self._keep_names(conn, listing))
            except sqlite3.OperationalError as e:
                if _is_corrupt(e):
                    raise
                # Locked for longer than the busy timeout (a huge rebuild elsewhere) or a
                # read-only database: rebuild this process's view in memory instead.
                self.close()
                self._conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                self._create(self._conn)
                self.in_memory = True
                self._sync(self._conn, listing.on_disk, parse, progress, listing.key, workers, parallel_from)
        return listing.unlisted

    @staticmethod
    def _is_current(conn: sqlite3.Connection, listing: str) -> bool:
        """Whether the ``files`` table was last brought up to date at exactly this listing."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
        return bool(listing) and row is not None and row[0] == listing

    def _list(self, kept: tuple[str, list[str], str] | None = None) -> Listing:
        """The ``*.toml`` files with their stats, the ones that could not be stat-ed, and
        the listing key (see the module docstring and ``facilitator.listing``)."""
        return list_dir(self.dir, kept)

    def _kept_names(self) -> tuple[str, list[str], str] | None:
        """The directory stamp and names of the last listing kept (see ``facilitator.listing``):
        a listdir of 10,000 names is ~4 ms, reading them back here under 1 ms."""
        try:
            row = self._run(lambda conn: conn.execute("SELECT value FROM meta WHERE key = 'names'").fetchone())
        except sqlite3.Error:
            return None
        return known_names(row[0]) if row is not None else None

    def _keep_names(self, conn: sqlite3.Connection, listing: Listing) -> None:
        """Keep the listing's names under its directory stamp, if that costs no wait."""
        if not self._begin_without_wait(conn):
            return
        try:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('names', ?)", (listing.names_row(),))
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    @staticmethod
    def _known(conn: sqlite3.Connection) -> dict[str, tuple[int, tuple[int, int, int], str | None]]:
        return {
            name: (fid, (m, s, i), broken)
            for fid, name, m, s, i, broken in conn.execute("SELECT fid, name, mtime_ns, size, inode, broken FROM files")
        }

    @staticmethod
    def _stale(known: dict, on_disk: dict) -> tuple[list[str], list[str]]:
        gone = [n for n in known if n not in on_disk]
        todo = []
        for name, key in on_disk.items():
            k = known.get(name)
            # An OS error ("cannot read: permission denied") is tried again every time:
            # fixing permissions does not change the file's mtime.
            if k is None or k[1] != key or (k[2] or "").startswith("cannot read"):
                todo.append(name)
        return gone, sorted(todo)

    def _sync(self, conn: sqlite3.Connection, on_disk: dict, parse: Parser, progress: Progress | None,
              listing: str = "", workers: int | None = None, parallel_from: int = PARALLEL_FROM) -> None:
        stored = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
        if listing and stored is not None and stored[0] == listing:
            return  # the files table says exactly what the directory holds
        gone, todo = self._stale(self._known(conn), on_disk)
        if not gone and not todo:
            self._store_listing(conn, on_disk, listing)
            return
        conn.execute("BEGIN IMMEDIATE")  # the write lock; waits for another refresh to end
        try:
            # Read under the lock: another process may have refreshed meanwhile, and the
            # key written below must describe the table as this transaction leaves it.
            known = self._known(conn)
            gone, todo = self._stale(known, on_disk)
            unreadable = False
            for name in gone:
                self._delete(conn, known[name][0])
            total = len(todo)
            self.progress = (0, total)
            if progress is not None and total:
                progress(0, total)  # before the first parse: a caller may hand the work off
            parsed = parsed_rows(self.root, todo, parse, workers, parallel_from)
            try:
                for n, (name, rows) in enumerate(parsed):
                    if name in known:
                        self._delete(conn, known[name][0])
                    unreadable = unreadable or (isinstance(rows, str) and rows.startswith("cannot read"))
                    self._add(conn, name, on_disk[name], rows)
                    self.progress = (n + 1, total)
                    if progress is not None and (n % 25 == 0 or n + 1 == total):
                        progress(n + 1, total)
            finally:
                parsed.close()  # the worker processes, if any, end here
            if listing and not unreadable:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)", (listing,))
            else:
                conn.execute("DELETE FROM meta WHERE key = 'listing'")
            conn.execute("COMMIT")
            if not self.in_memory:  # home's kept rows may now show less than the index
                from facilitator.first_rows import forget

                forget(self.dir)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            self.progress = None

    @staticmethod
    def _begin_without_wait(conn: sqlite3.Connection) -> bool:
        """Open a write transaction only if the lock is free now: the optional writes (a
        listing key, a derived value) are left to a later run rather than waited for."""
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _store_listing(self, conn: sqlite3.Connection, on_disk: dict, listing: str) -> None:
        """Keep the key of a listing the table already matches, if that costs no wait: with
        another process writing, or a read-only index, the next refresh compares again."""
        if not listing or not self._begin_without_wait(conn):
            return
        try:
            gone, todo = self._stale(self._known(conn), on_disk)  # again, under the lock
            if not gone and not todo:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)", (listing,))
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    @staticmethod
    def _delete(conn: sqlite3.Connection, fid: int) -> None:
        for table in ("sessions", "attendees", "items"):
            conn.execute(f"DELETE FROM {table} WHERE fid = ?", (fid,))
        conn.execute("DELETE FROM units WHERE rowid >= ? AND rowid < ?", (fid * UNIT_SPAN, (fid + 1) * UNIT_SPAN))
        conn.execute("DELETE FROM files WHERE fid = ?", (fid,))

    @staticmethod
    def _add(conn: sqlite3.Connection, name: str, key: tuple[int, int, int], rows: Rows | str) -> None:
        """Insert one file's rows (see :func:`session_rows`), or the reason it cannot be read."""
        broken = rows if isinstance(rows, str) else None
        fid = conn.execute(
            "INSERT INTO files(name, mtime_ns, size, inode, broken) VALUES (?, ?, ?, ?, ?)", (name, *key, broken)
        ).lastrowid
        if broken is not None:
            return
        session, attendees, items, units = rows
        conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (fid, *session))
        if attendees:
            conn.executemany("INSERT INTO attendees VALUES (?, ?, ?, ?, ?, ?, ?)", [(fid, *r) for r in attendees])
        if items:
            conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [(fid, *r) for r in items])
        if units:
            base = fid * UNIT_SPAN
            conn.executemany(
                "INSERT INTO units(rowid, body, section, item_id, item_title) VALUES (?, ?, ?, ?, ?)",
                [(base + n, *u) for n, u in enumerate(units)],
            )

    # -- results over every session ----------------------------------------------------
    def derived_utf8(self, name: str, version: str, compute: Callable[[], str]) -> bytes:
        """:meth:`derived` as UTF-8 bytes, read as SQLite keeps the text: a value that is
        only written to stdout skips decoding it and encoding it again (~20 ms for the
        6 MB of ``stats`` at 10,000 sessions)."""
        value = self.derived(name, version, compute, as_utf8=True)
        return value if isinstance(value, bytes) else value.encode("utf-8")

    def derived(self, name: str, version: str, compute: Callable[[], str], as_utf8: bool = False) -> Any:
        """``compute()``, or what it returned when the tables were last exactly as now.

        ``compute`` reads the tables (never refreshing them) and returns text; ``version``
        names the code that computed it (see :func:`code_version`; this module's is added). The value is kept with
        the listing key the tables held, read in the same snapshot as the tables, and is
        served only while the index holds that key and the code is the same: any refresh
        that changed a table wrote a new key. Without a key (a file could not be read)
        nothing is kept. With ``as_utf8`` a kept value is returned as SQLite holds it, UTF-8
        bytes (see :meth:`derived_utf8`).
        """
        with self._lock:
            conn = self._connect()
            conn.execute("BEGIN")  # one read snapshot: the key and what compute reads agree
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
                # This module's own code reads the rows every value is computed from.
                key = f"{row[0]}|{version},{code_version(__file__)}" if row is not None else None
                if key is not None:
                    column = "CAST(value AS BLOB)" if as_utf8 else "value"
                    hit = conn.execute(f"SELECT {column} FROM derived WHERE name = ? AND key = ?", (name, key)).fetchone()
                    if hit is not None:
                        return hit[0]
                value = compute()
            finally:
                if self._conn is conn and conn.in_transaction:
                    conn.execute("COMMIT")
            if self._conn is not conn:
                return value  # compute found the index damaged and rebuilt it: keep nothing
            if key is not None:
                self._keep(conn, name, key, value)
            return value

    def _keep(self, conn: sqlite3.Connection, name: str, key: str, value: str) -> None:
        """Store a derived value if the listing key is still the one it was computed at and
        that costs no wait (another writer, a read-only index: computed again next time)."""
        if not self._begin_without_wait(conn):
            return
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
            if row is not None and key.startswith(f"{row[0]}|"):
                conn.execute("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)", (name, key, value))
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    # -- reading ----------------------------------------------------------------------
    def summaries(self, limit: int | None = None) -> list[tuple]:
        """(name, id, date, heading, title, template, status, attendees, agenda_items,
        archived_in, cancelled, mtime_ns, breakout_rooms) of every readable session (or the
        newest ``limit``), newest first (date, id)."""
        sql = _SUMMARIES_SQL if limit is None else f"{_SUMMARIES_SQL} LIMIT {int(limit)}"
        return self._run(lambda c: c.execute(sql).fetchall())

    def each_listed(self, make: Callable[..., T]) -> list[T]:
        """``make(id, date, heading, title, template, status, attendees, agenda_items,
        archived_in, cancelled)`` of every readable session, newest first (the order of
        :meth:`summaries`), called as SQLite reads each row: what ``make`` keeps is all
        that is held (``summaries()`` of 10,000 sessions is a list of 10,000 tuples of 13
        values, ~5 MB, beside whatever is built from it)."""
        return self._run(lambda c: [make(*r) for r in c.execute(_LISTED_SQL)])

    def broken(self) -> list[tuple[str, str]]:
        """(file name, reason) of the files that cannot be read, by name."""
        return self._run(lambda c: c.execute(_BROKEN_SQL).fetchall())

    def imported_from(self, source: str) -> list[tuple[str, str, str]]:
        """(id, date, archived_in) of the readable sessions imported from a file named ``source``, by id."""
        return self._run(lambda c: c.execute(
            "SELECT id, date, archived_in FROM sessions WHERE source = ? ORDER BY id", (source,)).fetchall())

    def count(self) -> int:
        return self._run(lambda c: c.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def filter_ids(self, words: Iterable[str]) -> set[str]:
        """Ids of the sessions whose row holds every word (substrings, case ignored)."""
        words = [w.casefold() for w in words if w]
        where = " AND ".join("instr(haystack, ?) > 0" for _ in words) or "1"
        return {r[0] for r in self._run(lambda c: c.execute(f"SELECT id FROM sessions WHERE {where}", words).fetchall())}

    def search(self, query: str, limit: int | None = None, ranked: bool = False, snippets: bool = True) -> list[tuple]:
        """Units matching ``query`` (see :func:`fts_query`): (session id, date, title, section,
        item_id, item_title, body, snippet), newest meeting first and in document order, or
        best match first (bm25; then newest first) with ``ranked``; the snippet is "" without ``snippets``."""
        match = fts_query(query)
        if not match:
            return []
        newest = "s.sort_key DESC, s.date DESC, s.id DESC, u.rowid"
        order = f"bm25(units), {newest}" if ranked else newest  # equal ranks: the newest meeting first
        snippet = f"snippet(units, 0, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16)" if snippets else "''"
        sql = (
            "SELECT s.id, s.date, CASE WHEN s.title != '' THEN s.title ELSE s.heading END,"
            f" u.section, u.item_id, u.item_title, u.body, {snippet}"
            " FROM units u JOIN sessions s ON s.fid = u.rowid / ?"
            f" WHERE units MATCH ? ORDER BY {order}"
        )
        params: list[Any] = [UNIT_SPAN, match]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._run(lambda c: c.execute(sql, params).fetchall())

    def count_matches(self, query: str) -> int:
        """How many units :meth:`search` finds for ``query`` without a limit (FTS5 counts them
        from its doclists: a few ms for a word in every meeting, not a row each)."""
        match = fts_query(query)
        if not match:
            return 0
        return self._run(lambda c: c.execute("SELECT count(*) FROM units WHERE units MATCH ?", (match,)).fetchone()[0])

    def attendee_rows(self) -> Iterator[tuple]:
        """(session id, date, name, handle, affiliation, line, person key) of the check-in
        lines naming someone, oldest session first, in check-in order.

        Streamed a chunk at a time (holding the index's lock until the last row): 10,000
        sessions have ~50,000 such lines, ~30 MB as one list, which a process keeps.
        """
        sql = (
            "SELECT s.id, s.date, a.name, a.handle, a.affiliation, a.line, a.pkey FROM attendees a"
            " JOIN sessions s USING (fid) WHERE a.pkey != '' ORDER BY s.sort_key, s.date, s.id, a.pos"
        )
        with self._lock:
            cursor = self._run(lambda c: c.execute(sql))
            while True:
                chunk = cursor.fetchmany(1000)
                if not chunk:
                    return
                yield from chunk

    def checkin_dates(self) -> list[str]:
        """Dates of the sessions that had a check-in, oldest first, each once."""
        rows = self._run(lambda c: c.execute(
            "SELECT date FROM sessions WHERE attendees > 0 ORDER BY sort_key, date, id").fetchall())
        out: list[str] = []
        seen: set[str] = set()
        for (d,) in rows:
            if d not in seen:
                seen.add(d)
                out.append(d)
        return out

    def times(self, ids: Iterable[str] | None = None) -> Iterator[tuple[tuple, list[tuple]]]:
        """((id, date, title, status, slot_minutes, sort_key), [(item_id, title, owner, status,
        planned, actual, extra)...]) per session, newest first (by date key, then id)."""
        def q(c: sqlite3.Connection) -> tuple[list, list]:
            sessions = c.execute(
                "SELECT fid, id, date, CASE WHEN title != '' THEN title ELSE heading END, status, slot_minutes,"
                " sort_key FROM sessions ORDER BY sort_key DESC, id DESC").fetchall()
            items = c.execute(
                "SELECT fid, item_id, title, owner, status, planned_seconds, actual_seconds, extra_seconds FROM items"
                " ORDER BY fid, pos").fetchall()
            return sessions, items
        sessions, items = self._run(q)
        wanted = set(ids) if ids is not None else None
        by_fid: dict[int, list[tuple]] = {}
        for fid, *rest in items:
            by_fid.setdefault(fid, []).append(tuple(rest))
        for fid, *rest in sessions:
            if wanted is None or rest[0] in wanted:
                yield tuple(rest), by_fid.get(fid, [])


def code_version(*files: str | Path) -> str:
    """Which code computed a derived value: each source file's size and mtime (an upgrade
    or an edit of the code changes them, so a value computed by other code is not served)."""
    parts = []
    for f in files:
        try:
            st = os.stat(f)
            parts.append(f"{st.st_size}.{st.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return ",".join(parts)


# -- a look at the index as it is, before anything else -----------------------------

# What a session list row shows (each_listed), and what summaries() adds around it.
_LISTED_COLUMNS = (
    "s.id, s.date, s.heading, s.title, s.template, s.status, s.attendees,"
    " s.agenda_items, s.archived_in, s.cancelled"
)
_NEWEST_FIRST = " FROM sessions s JOIN files f USING (fid) ORDER BY s.date DESC, s.id DESC"
_SUMMARIES_SQL = f"SELECT f.name, {_LISTED_COLUMNS}, f.mtime_ns, s.breakout_rooms{_NEWEST_FIRST}"
_LISTED_SQL = f"SELECT {_LISTED_COLUMNS}{_NEWEST_FIRST}"
_BROKEN_SQL = "SELECT name, broken FROM files WHERE broken IS NOT NULL ORDER BY name"


def peek_newest(root: Path, limit: int) -> tuple[list[tuple], int, list[tuple[str, str]]] | None:
    """:meth:`SessionIndex.summaries` of the newest ``limit`` sessions, how many sessions
    the index holds and :meth:`SessionIndex.broken`, as the index file last saw the
    files: no listing, no refresh, never a write. None when there is no index file of this
    version holding sessions, or it cannot be read at once (then a refresh tells).

    What home shows in its first frame (stale-while-revalidate: the fresh rows follow).
    A read-only connection of its own, closed after: it cannot create, migrate or lock
    anything, and waits for no writer (WAL readers do not)."""
    from pathlib import Path  # the app has it already; the warm CLI path does not

    path = Path(root) / INDEX_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0.05,
                               check_same_thread=False, isolation_level=None)
    except (sqlite3.Error, ValueError):
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        if row is None or row[0] != f"{SCHEMA_VERSION}/{INDEXED_FORMAT_VERSION}":
            return None
        conn.execute("BEGIN")  # one snapshot for the three reads
        total = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        if not total:
            return None
        rows = conn.execute(f"{_SUMMARIES_SQL} LIMIT {int(limit)}").fetchall()
        broken = conn.execute(_BROKEN_SQL).fetchall()
        return rows, total, broken
    except sqlite3.Error:
        return None
    finally:
        conn.close()


# -- one index per directory in a process -----------------------------------------

_OPEN: dict[str, SessionIndex] = {}
_OPEN_LOCK = _thread.allocate_lock()


def index_for(root: Path) -> SessionIndex:
    """The process's index of ``root`` (one connection, shared by the app's threads)."""
    key = os.path.abspath(root)
    with _OPEN_LOCK:
        idx = _OPEN.get(key)
        if idx is None:
            idx = _OPEN[key] = SessionIndex(root)
        return idx


def settle_logs() -> None:
    """Fold each open index's write-ahead log back into its file and empty it, if this
    process left anything in it; for a process about to leave without closing them (the
    CLI's read commands, ``cli.entry``).

    A log left full costs every later process that opens the index the reading of all of
    it (~7 ms for a 9.5 MB log, against 0.5 ms for an empty one); emptied in place
    (``TRUNCATE``), the file stays, so the directory is unchanged. Another process busy
    with the index leaves the log to it: nothing here waits.
    """
    with _OPEN_LOCK:
        indexes = list(_OPEN.values())
    for idx in indexes:
        idx.settle_log()


def forget(root: Path) -> None:
    """Close the process's index of ``root`` (the next use opens the file again)."""
    with _OPEN_LOCK:
        idx = _OPEN.pop(os.path.abspath(root), None)
    if idx is not None:
        idx.close()
