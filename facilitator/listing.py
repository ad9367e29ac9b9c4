"""A sessions directory's listing: its ``*.toml`` names, each one's stat, and the key naming both.

What ``facilitator.index`` compares with its tables before every read (see its docstring,
"Freshness"). At 10,000 files the listing is most of a warm command: one ``stat`` per
name (an in-place edit changes nothing but the file's own mtime and size, so no cheaper
check sees it), ~1.3 us of system call and ~1.5 us of building its result each. Stating
half of the names in a forked child was measured and removed: on a quiet 2-core machine
it gave nothing (the second core is often not there at once). A name that cannot be
stat-ed sends the listing entry by entry, saying which.

The names themselves need no ``listdir`` when the directory has not changed since a
listing the index kept (:func:`list_dir`'s ``known``): adding, removing or renaming a
file changes the directory's mtime, as git's untracked cache relies on. A directory
stamp is kept only once it is older than :data:`RACY_NS` at the time of listing, so a
change later in the same timestamp tick (or on a server whose clock runs a little
behind) cannot leave the stamp unchanged.

Nothing here imports sqlite3, pathlib or re.
"""

from __future__ import annotations

import os
from operator import attrgetter
from stat import S_ISREG
from time import time_ns

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A directory stamp younger than this when the listing began is not kept: a later change
# might still get the same mtime (a coarse timestamp tick, a network server's clock).
RACY_NS = 5_000_000_000
# What a listing key covers of each file's stat: (mtime_ns, size, inode, mode).
STAT_KEY = attrgetter("st_mtime_ns", "st_size", "st_ino", "st_mode")


def names_digest(names: list[str]) -> str:
    """CRC-32 of the names in order, as 8 hex digits (a name's ``hash`` is salted per process)."""
    import zlib

    return f"{zlib.crc32('/'.join(names).encode('utf-8', 'surrogateescape')):08x}"


def listing_key(names: list[str], stats: tuple[tuple[int, int, int, int], ...], digest: str) -> str:
    """A digest of a directory listing: its names in order and each (mtime_ns, size, inode, mode).

    Equal keys mean equal listings (the names' order ties each name to its stat). Ints
    hash the same in every process; the names go in as ``digest``, their
    :func:`names_digest` (kept with them in the index: no zlib import, no joining 10,000
    names, ~1 ms of a warm command). The key is only ever compared with one written on
    this machine, so a Python version hashing tuples otherwise costs one full refresh.
    """
    return f"{len(names)}:{digest}:{hash(stats) & 0xFFFFFFFFFFFFFFFF:016x}"


class Listing:
    """The ``*.toml`` names of the directory with their stats, as listed once.

    The key is all a warm refresh needs; the (mtime_ns, size, inode) of each regular
    file, what the ``files`` table is compared with, is worked out only when the key
    differs from the stored one.
    """

    def __init__(self, names: list[str], stats: tuple[tuple[int, int, int, int], ...],
                 unlisted: list[tuple[str, str]] | None = None, exists: bool = True, stamp: str = "",
                 digest: str = "") -> None:
        self.names = names
        self.stats = stats
        self.unlisted = unlisted or []
        # The names' digest (names_digest): as kept with them, else worked out here.
        self.digest = digest or (names_digest(names) if exists else "")
        self.key = listing_key(names, stats, self.digest) if exists else ""  # no directory: nothing to keep
        # The directory's stamp (mtime_ns:inode:device) when these names may be reused
        # while it is unchanged; "" when they may not (a recent change, no descriptor).
        self.stamp = stamp

    def names_row(self) -> bytes:
        """The stamp, the names' digest and the names, as kept by the index for the next
        :func:`list_dir`: ``stamp digest`` on the first line, the names after it."""
        return f"{self.stamp} {self.digest}\n{'/'.join(self.names)}".encode("utf-8", "surrogateescape")

    @property
    def on_disk(self) -> dict[str, tuple[int, int, int]]:
        return {name: st[:3] for name, st in zip(self.names, self.stats) if S_ISREG(st[3])}


def known_names(row: bytes | None) -> tuple[str, list[str], str] | None:
    """(stamp, names, digest) from a kept :meth:`Listing.names_row`, or None (nothing
    kept, or not a row this module wrote: the directory is then listed). ``digest`` is
    "" for a row kept without one (an older version's): it is then worked out again."""
    if isinstance(row, str):
        text = row
    elif isinstance(row, (bytes, bytearray, memoryview)):
        text = bytes(row).decode("utf-8", "surrogateescape")
    else:
        return None
    head, newline, names = text.partition("\n")
    stamp, _, digest = head.partition(" ")
    if not newline or not stamp:
        return None
    if digest and (len(digest) != 8 or digest.strip("0123456789abcdef")):
        return None  # not a digest names_digest wrote
    return stamp, names.split("/") if names else [], digest


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_mtime_ns}:{st.st_ino}:{st.st_dev}"


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


def list_dir(root: str, known: tuple[str, list[str], str] | None = None) -> Listing:
    """The directory's listing in this process: one listdir and one stat per name (see
    the module docstring); entry by entry, saying which, when one cannot be stat-ed.

    ``known``, (stamp, names, digest) of an earlier listing (:func:`known_names`): those
    names and their digest, without a listdir, if the directory's stamp is still that one."""
    by_fd = _by_fd()
    began = time_ns()
    try:
        where: Any = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if by_fd else root
    except FileNotFoundError:
        return Listing([], (), exists=False)
    try:
        stamp = ""
        if by_fd:
            st = os.fstat(where)
            stamp = _stamp(st) if st.st_mtime_ns < began - RACY_NS else ""
        digest = ""
        if stamp and known is not None and known[0] == stamp:
            names, digest = known[1], known[2]
        else:
            names = _names(where)
        try:
            if by_fd:
                return Listing(names, _stats(names, where), stamp=stamp, digest=digest)
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
