"""A sessions directory's listing: its ``*.toml`` names, each one's stat, and the key naming both.

What ``facilitator.index`` compares with its tables before every read (see its docstring,
"Freshness"). At 10,000 files the listing is most of a warm command: one ``stat`` per
name (an in-place edit changes nothing but the file's own mtime and size, so no cheaper
check sees it), ~2 us of kernel time and ~1.4 us of Python each. A CLI read
(:func:`share_stats`) on POSIX with a core to spare has a forked child stat half the
names while it stats the other half: the same listing on two cores. Anything unusual (no
fork, a busy machine, a name that cannot be stat-ed, a child that fails) lists in one
process, which gives the same names, stats and key.

Nothing here imports sqlite3, pathlib or re.
"""

from __future__ import annotations

import os
from operator import attrgetter
from stat import S_ISREG

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# What a listing key covers of each file's stat: (mtime_ns, size, inode, mode).
STAT_KEY = attrgetter("st_mtime_ns", "st_size", "st_ino", "st_mode")
# Fewer names than this are stat-ed in one process: a fork and the pages it then copies
# cost ~1-2 ms, the time of ~500 stats.
SHARE_FROM = 2000
# The share of the names the process stats itself while its child stats the rest.
PARENT_SHARE = 0.5


def listing_key(names: list[str], stats: tuple[tuple[int, int, int, int], ...]) -> str:
    """A digest of a directory listing: its names in order and each (mtime_ns, size, inode, mode).

    Equal keys mean equal listings (the names' order ties each name to its stat). Ints
    hash the same in every process; names, whose ``hash`` is salted per process, go
    through CRC-32 of their UTF-8 text. The key is only ever compared with one written
    on this machine, so a Python version hashing tuples otherwise costs one full refresh.
    """
    import zlib

    text = "/".join(names).encode("utf-8", "surrogateescape")
    return f"{len(names)}:{zlib.crc32(text):08x}:{hash(stats) & 0xFFFFFFFFFFFFFFFF:016x}"


class Listing:
    """The ``*.toml`` names of the directory with their stats, as listed once.

    The key is all a warm refresh needs; the (mtime_ns, size, inode) of each regular
    file, what the ``files`` table is compared with, is worked out only when the key
    differs from the stored one.
    """

    def __init__(self, names: list[str], stats: tuple[tuple[int, int, int, int], ...],
                 unlisted: list[tuple[str, str]] | None = None, exists: bool = True) -> None:
        self.names = names
        self.stats = stats
        self.unlisted = unlisted or []
        self.key = listing_key(names, stats) if exists else ""  # no directory: nothing to keep

    @property
    def on_disk(self) -> dict[str, tuple[int, int, int]]:
        return {name: st[:3] for name, st in zip(self.names, self.stats) if S_ISREG(st[3])}


def _by_fd() -> bool:
    return os.listdir in os.supports_fd and os.stat in os.supports_dir_fd


def _names(where: Any) -> list[str]:
    return [n for n in os.listdir(where) if n.endswith(".toml") and n[0] != "."]


def _stats(names: list[str], fd: int) -> tuple[tuple[int, int, int, int], ...]:
    # Each stat in C (map): at 10,000 files the Python around each entry (a DirEntry, a
    # tuple, a dict item) cost as much as the stats. Through the directory's descriptor
    # each one is an fstatat, not a walk of the whole path.
    from functools import partial

    return tuple(map(STAT_KEY, map(partial(os.stat, dir_fd=fd), names)))


def list_dir(root: str) -> Listing:
    """The directory's listing in this process: one listdir and one stat per name (see
    the module docstring); entry by entry, saying which, when one cannot be stat-ed."""
    by_fd = _by_fd()
    try:
        where: Any = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if by_fd else root
    except FileNotFoundError:
        return Listing([], (), exists=False)
    try:
        names = _names(where)
        try:
            if by_fd:
                stats = _shared_stats(names, where) if _sharing and len(names) >= SHARE_FROM else None
                return Listing(names, stats if stats is not None else _stats(names, where))
            return Listing(names, tuple(STAT_KEY(os.stat(os.path.join(root, n))) for n in names))
        except OSError:  # one vanished or cannot be stat-ed: entry by entry, saying which
            return _list_each(where)
    finally:
        if by_fd:
            os.close(where)


def _list_each(where: Any) -> Listing:
    names: list[str] = []
    stats: list[tuple[int, int, int, int]] = []
    unlisted: list[tuple[str, str]] = []
    with os.scandir(where) as entries:
        for entry in entries:
            name = entry.name
            if name[0] == "." or not name.endswith(".toml"):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError as e:
                unlisted.append((name, f"cannot read: {e.strerror or e}"))
                continue
            names.append(name)
            stats.append(STAT_KEY(st))
    return Listing(names, tuple(stats), unlisted)


# -- half of the stats in a forked child ---------------------------------------------

_sharing = False


def share_stats(on: bool = True) -> None:
    """Let :func:`list_dir` stat part of a large directory in a forked child (see
    :func:`_shared_stats`), or no longer. Only for a process that starts no thread while
    it lists: a CLI read turns it on for its run (a thread found running turns it down
    anyway), the app never does."""
    global _sharing
    _sharing = on


def _idle_core() -> bool:
    """Whether another core is likely free now: more than one may be used and the load
    average (over a minute) leaves one idle. On a busy machine the child would wait for a
    core while the parent copies pages it shares with it: ~5 ms more CPU, no sooner."""
    from facilitator import cores

    count = cores.usable()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return count > 1 and load <= count - 1


def _shared_stats(names: list[str], fd: int) -> tuple[tuple[int, int, int, int], ...] | None:
    """The stats of ``names`` (in ``fd``), the last ``1 - PARENT_SHARE`` of them by a
    forked child while this process stats the rest: one listing on two cores (~2 us of
    kernel time and ~1.4 us of Python each; at 10,000 files most of a warm command).

    The child only stats, sends its part back (marshal, through a pipe) and leaves with
    ``os._exit`` (no exit handler, no buffered output, no connection of the parent's is
    touched). None, for the caller to stat everything here, when sharing is off, not
    possible, not worth it (no idle core), or anything fails: the same stats either way.
    """
    if not _sharing or not _idle_core() or _fork_refused():
        return None
    import marshal

    split = int(len(names) * PARENT_SHARE)
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: stat, send, exit; it never returns into the parent's code
        try:
            os.close(r)
            try:
                data = marshal.dumps(_stats(names[split:], fd))
            except OSError:
                data = b""  # one cannot be stat-ed: the parent lists entry by entry
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            os.close(w)
        finally:
            os._exit(0)
    os.close(w)
    try:
        try:
            mine = _stats(names[:split], fd)
        finally:
            data = _read_all(r)
    finally:
        os.close(r)
        _reap(pid)
    try:
        theirs = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(theirs, tuple) or len(theirs) != len(names) - split:
        return None
    return mine + theirs


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    """Wait for the child, which has closed its pipe and is exiting."""
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass


def _fork_refused() -> bool:
    """Whether this process may not fork now (another thread runs, or no fork here)."""
    from facilitator import cores

    return not cores.fork_safe()
