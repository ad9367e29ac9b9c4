"""Sessions on disk: one TOML file per session, ``<sessions dir>/<id>.toml``.

Writes are atomic (temp file + rename) so a crash mid-save never leaves a half file.
A file this release cannot read is reported and left untouched, never "repaired".
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import socket
import stat
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator


try:
    import fcntl
except ImportError:  # Windows: no flock; stale temp files are then judged by age alone
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt  # Windows: shared files are locked with msvcrt.locking instead of flock
except ImportError:
    msvcrt = None  # type: ignore[assignment]

from facilitator.ids import SAFE_ID_MAX, safe_id, shown_id  # noqa: F401 (re-exported)
from facilitator.model import FORMAT_VERSION, Session
from facilitator.sanitize import clean_data, toml_may_hold_controls

if TYPE_CHECKING:
    from facilitator.index import SessionIndex
    from facilitator.summaries import BrokenFile, ScanResult, SessionSummary, TrashedSession

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


class StoreError(Exception):
    """A one-line, user-facing reason a session could not be read or written."""


class SessionLocked(StoreError):
    """The session is open in another running facilitator."""


# -- writing ------------------------------------------------------------------------

# Read once: mkstemp creates 0600 files, and new files should get the usual mode.
_UMASK = os.umask(0)
os.umask(_UMASK)


class NotARegularFile(OSError):
    """A directory, named pipe, socket or device where a file is meant (``filename`` is the user's path)."""


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _not_regular(path: Path, mode: int) -> NotARegularFile:
    kind = _kind_of(mode)
    reason = f"is {kind}, not a regular file" if kind.startswith("a ") else "is not a regular file"
    return NotARegularFile(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL, reason, str(path))


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO, socket, device or directory is refused, never waited on.

    The file is opened non-blocking (opening a FIFO with no writer would otherwise wait
    forever) and checked with ``fstat`` on the open descriptor, so nothing can swap it
    between the check and the read.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# A temp file this old, that no writer holds, was left by a killed writer.
STALE_TEMP_SECONDS = 5.0


# Per directory, the temp files found when this process first wrote there, by target name.
# A temp file left by a kill belongs to a process that is gone, so one listing per
# directory and process finds them all, and a big sessions directory is listed once,
# not once per save.
_STALE_FOUND: dict[str, dict[str, list[str]]] = {}
_STALE_LOCK = threading.Lock()


def _list_temps(directory: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") and name.endswith(".tmp") and "." in name[1:-4]:
                    found.setdefault(name[1:-4].rsplit(".", 1)[0], []).append(entry.path)
    except OSError:
        pass
    return found


def _remove_stale_temps(directory: Path, name: str) -> None:
    """Remove ``.NAME.*.tmp`` files left beside ``NAME`` by a writer that was killed.

    A temp file still being written is younger than STALE_TEMP_SECONDS or held under
    ``flock`` by its writer; both are left alone.
    """
    key = os.path.abspath(directory)
    with _STALE_LOCK:
        found = _STALE_FOUND.get(key)
        if found is None:
            found = _STALE_FOUND[key] = _list_temps(directory)
        candidates = found.pop(name, [])
    now = time.time()
    for path in candidates:
        try:
            st = os.stat(path, follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_TEMP_SECONDS:
                continue
            if fcntl is not None:
                fd = os.open(path, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live writer holds it
                finally:
                    os.close(fd)
            os.unlink(path)
        except OSError:
            continue


def write_target(path: Path) -> Path:
    """The file a write to ``path`` really changes: a symlink's target (the link stays a link)."""
    path = Path(path)
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """:func:`atomic_write_text` for bytes; ``mode`` for the new file instead of the
    replaced one's (a private cache of the app's: ``css_cache``, 0o600)."""
    atomic_write_text(path, data, mode=mode)


def atomic_write_text(path: Path, text: str | bytes, *, sync_dir: bool = True, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8; bytes as they are) so readers see the old or
    the new file, never half.

    A symlink is written through: its target is replaced and the link kept. A directory,
    FIFO, socket or device is refused (NotARegularFile). The temp file sits beside the
    real target (``os.replace`` is only atomic within one filesystem) and is removed if
    anything fails; temp files left by a killed writer are removed here too. Errors name
    ``path`` as the user gave it, never the temp file. ``sync_dir=False`` leaves the
    directory's fsync to the caller (``sync_directory`` once after many files: an import).
    ``mode``: the new file's permissions, rather than those of the file it replaces.
    """
    path = Path(path)
    try:
        _atomic_write(path, write_target(path), text, sync_dir, mode)
    except OSError as e:
        if e.errno is not None and e.filename != str(path):
            raise type(e)(e.errno, e.strerror or os.strerror(e.errno), str(path)) from None
        raise


def _replaced_mode(path: Path, target: Path) -> int | None:
    """The mode of the file a write replaces (None: a new file), kept by the new one; a
    directory, FIFO or device at ``path`` is refused, never written over."""
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise _not_regular(path, mode)
    return mode


def _atomic_write(path: Path, target: Path, text: str | bytes, sync_dir: bool = True,
                  new_mode: int | None = None) -> None:
    mode = _replaced_mode(path, target)
    if new_mode is not None:
        mode = new_mode
    directory = target.parent
    _remove_stale_temps(directory, target.name)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "being written" for _remove_stale_temps
            except OSError:
                pass
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, (mode & 0o7777) if mode is not None else 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if sync_dir:
        _fsync_dir(directory)


# Temp files of one atomic_write_many held open at once (each keeps its "being written"
# flock until renamed): far below a process's descriptor limit, big enough to batch fsyncs.
WRITE_BATCH = 128
FSYNC_THREADS = 8


def atomic_write_many(files: Iterable[tuple[Path, str]]) -> None:
    """Replace many files (an import's sessions), each as :func:`atomic_write_text` would,
    with one directory fsync at the end instead of one per file.

    Each text goes to a temp file beside its target (a symlink written through), whose
    fsync then runs in a thread while the next texts are rendered and written (``files``
    may be a generator: its rendering overlaps the disk). Only once every temp file of a
    batch is on disk are they renamed over their targets, and every directory written
    is fsynced once after the last batch. So a power cut at any moment leaves each
    target its old content or the whole new one, never a half-written or empty file; a
    rename not yet durable at the cut shows the old file (or none, for a new one); once
    this returns, every new file and every rename is on disk. On an error the temp files
    not yet renamed are removed; the files renamed before it stay (each one complete).
    """
    from concurrent.futures import ThreadPoolExecutor

    directories: dict[str, Path] = {}
    batch: list[tuple[Path, Path, str, int, int | None, Any]] = []
    with ThreadPoolExecutor(max_workers=FSYNC_THREADS) as pool:
        try:
            for path, text in files:
                batch.append(_write_temp(Path(path), text, pool))
                if len(batch) >= WRITE_BATCH:
                    _rename_batch(batch, directories)
            _rename_batch(batch, directories)
        finally:
            for _path, _target, tmp, fd, _mode, future in batch:  # not renamed: an error
                future.cancel()
                with contextlib.suppress(Exception):
                    future.result()
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    for directory in directories.values():
        _fsync_dir(directory)


def _named(path: Path, e: OSError) -> OSError:
    """``e`` naming ``path`` as the user gave it, never a temp file."""
    if e.errno is not None and e.filename != str(path):
        return type(e)(e.errno, e.strerror or os.strerror(e.errno), str(path))
    return e


def _write_temp(path: Path, text: str, pool: Any) -> tuple[Path, Path, str, int, int | None, Any]:
    """A temp file beside ``path``'s target holding ``text``, its fsync submitted to ``pool``."""
    try:
        target = write_target(path)
        mode = _replaced_mode(path, target)
        _remove_stale_temps(target.parent, target.name)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise _named(path, e) from None
    try:
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "being written" for _remove_stale_temps
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data):]
        return path, target, tmp, fd, mode, pool.submit(os.fsync, fd)
    except BaseException as e:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _named(path, e) from None
        raise


def _rename_batch(batch: list, directories: dict[str, Path]) -> None:
    """Wait for every temp file of ``batch`` to be on disk, then rename each over its target."""
    for path, _target, tmp, _fd, mode, future in batch:
        try:
            future.result()
            os.chmod(tmp, (mode & 0o7777) if mode is not None else 0o666 & ~_UMASK)
        except OSError as e:
            raise _named(path, e) from None
    while batch:
        path, target, tmp, fd, _mode, _future = batch[0]
        try:
            os.replace(tmp, target)
        except OSError as e:
            raise _named(path, e) from None
        os.close(fd)
        batch.pop(0)
        directories.setdefault(str(target.parent), target.parent)


def sync_directory(directory: Path) -> None:
    """Make the renames into ``directory`` durable (after writes made with ``sync_dir=False``)."""
    _fsync_dir(Path(directory))


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; best effort (not possible on every OS/filesystem)."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# -- ids ------------------------------------------------------------------------------


def same_day_as(session_id: str, date: str) -> str | None:
    """The id of the day's first meeting when ``session_id`` is a later one (``2024-12-17``
    for ``2024-12-17-2``), else None: a second meeting on a day is worth a warning."""
    base = safe_id(date)
    if base and session_id != base and re.fullmatch(re.escape(base) + r"-[0-9]+", session_id):
        return base
    return None


def id_suffix(session_id: str, date: str) -> str:
    """:func:`shown_id` for a list that shows the date beside it: only what the id adds to
    the date (``#2`` for ``2024-12-17-2``, ``breakout`` for ``2024-12-17-breakout``)."""
    shown = shown_id(session_id, date)
    base = safe_id(date)
    if not shown or not base or not shown.startswith(base + "-"):
        return shown
    rest = shown[len(base) + 1:]
    return f"#{rest}" if rest.isdigit() else rest


def id_from(text: str) -> str:
    """The session id a person means by ``text``: itself if it is one, else its slug
    (``2024-12-17 Breakout`` -> ``2024-12-17-breakout``); empty if nothing is left."""
    text = text.strip()
    return text if ID_RE.fullmatch(text) else safe_id(text)


def validate_id(session_id: str) -> str:
    """Return ``session_id`` if it is a plain slug; anything else could name a path outside the store."""
    if not isinstance(session_id, str) or not ID_RE.fullmatch(session_id):
        raise StoreError(
            f"invalid session id {session_id!r} (use lowercase letters, digits and '-')"
        )
    return session_id


# -- reading --------------------------------------------------------------------------


def read_session_file(path: Path, session_id: str | None = None) -> Session:
    """Parse one session file; every failure becomes a StoreError naming the file.

    The file name is the session's identity (``show ID`` finds it by name), so the id
    inside a copied or renamed file is replaced by its file name's.
    """
    path = Path(path)
    try:
        raw = read_regular_bytes(path)
    except FileNotFoundError:
        raise StoreError(f"{path}: file not found") from None
    except OSError as e:
        raise StoreError(f"{path}: cannot read: {e.strerror or e}") from None
    if not raw.strip():
        raise StoreError(f"{path}: empty file")
    if b"\x00" in raw:
        raise StoreError(f"{path}: not a text file (binary data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise StoreError(f"{path}: not UTF-8 text (bad byte at offset {e.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # tomllib's message ends with "(at line L, column C)".
        raise StoreError(f"{path}: invalid TOML: {e}") from None
    if "format_version" not in data:
        raise StoreError(f"{path}: not a facilitator session (no format_version)")
    # A hand-edited or foreign file may hold ESC/OSC/C1 in its strings: never to a terminal.
    if toml_may_hold_controls(text):
        data, _controls = clean_data(data)
    try:
        session = Session.from_dict(data)
        check_session_values(session)
    except KeyError as e:
        raise StoreError(f"{path}: not a facilitator session (missing {e})") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as e:
        raise StoreError(f"{path}: {e}") from None
    session.id = session_id or path.stem
    return session


def parse_for_index(path: Path, stem: str) -> Session | str:
    """One file for the index: its session, or why it cannot be read."""
    if not ID_RE.fullmatch(stem):
        return "file name is not a session id (use lowercase letters, digits and '-')"
    try:
        return read_session_file(path, stem)
    except StoreError as e:
        # The reason without the leading "<path>: " (BrokenFile carries the path).
        reason = str(e)
        prefix = f"{path}: "
        return reason[len(prefix) :] if reason.startswith(prefix) else reason


# -- session values -------------------------------------------------------------------

MAX_SLOT_MINUTES = 24 * 60  # a meeting slot longer than a day is a typo
MAX_ITEM_SECONDS = 7 * 24 * 3600  # an item timed (or extended) for over a week is a stuck clock
MAX_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z: later is no wall-clock time
_DAY_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def check_session_values(session: Session) -> None:
    """Refuse values no real meeting has, clamp those that are only out of range.

    A date that is no calendar day (``2024-13-45``) or a clock time that is not a finite
    epoch second makes the file unreadable (ValueError "unreadable: <field> ..."): every
    screen and command would show nonsense. Negative or absurd timed seconds, extensions
    and slots are clamped into range, so no total is ever negative.
    """
    import datetime as _dt
    import math

    m = _DAY_RE.match(session.date.strip())
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        try:
            _dt.date(year, month, day)
        except ValueError as e:
            raise ValueError(f"unreadable: date {session.date!r} is not a calendar day ({e})") from None
    clock = session.clock
    for name in ("run_started_at", "meeting_started_at", "meeting_ended_at"):
        value = getattr(clock, name)
        if not math.isfinite(value) or not 0 <= value <= MAX_EPOCH:
            raise ValueError(f"unreadable: clock.{name} {value!r} is not a time (seconds since 1970)")
    if not 0 < session.slot_minutes <= MAX_SLOT_MINUTES:
        session.slot_minutes = 60 if session.slot_minutes <= 0 else MAX_SLOT_MINUTES
    for item in (i for sec in session.sections for i in sec.items):
        if not math.isfinite(item.actual_seconds):
            raise ValueError(f"unreadable: actual_seconds {item.actual_seconds!r} of item {item.text[:40]!r}")
        item.actual_seconds = min(max(item.actual_seconds, 0.0), float(MAX_ITEM_SECONDS))
        floor = -min((item.minutes or 0) * 60, MAX_ITEM_SECONDS)  # a shortened item ends at zero
        item.extra_seconds = min(max(item.extra_seconds, floor), MAX_ITEM_SECONDS)


def _has_crlf(obj: Any) -> bool:
    if isinstance(obj, str):
        return "\r\n" in obj
    if isinstance(obj, dict):
        return any(_has_crlf(v) for v in obj.values())
    if isinstance(obj, list):
        return any(_has_crlf(v) for v in obj)
    return False


# Characters a TOML multi-line basic string must escape (tomli_w's set, less "\n").
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f"\\]')
# Strings at least this long skip tomli_w's character-by-character escaping when they
# need none: 5,000 lines of notes took ~23 ms to dump, blocking the app on each autosave.
_FAST_STRING_MIN = 2048


def _swap_long_strings(obj: Any, nonce: str, found: list[str]) -> Any:
    """A copy of ``obj`` with each long multi-line string needing no escapes replaced by a token.

    A token is itself a multi-line string needing no escapes, so tomli_w lays out every
    table and array around it exactly as it would around the string it stands for.
    """
    if isinstance(obj, str):
        if len(obj) >= _FAST_STRING_MIN and "\n" in obj and _NEEDS_ESCAPE.search(obj) is None:
            found.append(obj)
            return f"{nonce}-{len(found) - 1}\n"
        return obj
    if isinstance(obj, dict):
        return {k: _swap_long_strings(v, nonce, found) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_swap_long_strings(v, nonce, found) for v in obj]
    return obj


def dumps_session(session: Session) -> str:
    """TOML text of a session; notes become multi-line strings so the file reads like notes.

    tomli_w turns CRLF into LF inside multi-line strings, so a session holding CRLF keeps
    one-line escaped strings (exact round trip matters more than looks). Long notes that
    need no escaping are written as tomli_w would write them, without its slow escaping
    loop; the text is the same either way.
    """
    import tomli_w  # on the first save: opening a session only reads

    data = session.to_dict()
    if _has_crlf(data):
        return tomli_w.dumps(data, multiline_strings=False)
    nonce = "facilitator-" + os.urandom(8).hex()
    found: list[str] = []
    swapped = _swap_long_strings(data, nonce, found)
    if not found:
        return tomli_w.dumps(data, multiline_strings=True)
    text = tomli_w.dumps(swapped, multiline_strings=True)
    for n, value in enumerate(found):
        token = f'"""\n{nonce}-{n}\n"""'
        if text.count(token) != 1:  # cannot happen with a random nonce; be exact anyway
            return tomli_w.dumps(data, multiline_strings=True)
        text = text.replace(token, '"""\n' + value + '"""', 1)
    return text


# -- scanning -------------------------------------------------------------------------


# -- locking --------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False  # os.kill(0, ...) would signal our whole process group
    if sys.platform == "win32":
        return _win_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True


def _win_pid_alive(pid: int) -> bool:
    """os.kill(pid, 0) on Windows sends CTRL_C_EVENT, so ask the process table instead."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _describe_since(started: Any) -> str:
    try:
        t = time.localtime(float(started))
    except (TypeError, ValueError, OverflowError, OSError):
        return "an unknown time"
    if time.strftime("%Y-%m-%d", t) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M", t)
    return time.strftime("%Y-%m-%d %H:%M", t)


class SessionLock:
    """``<id>.lock`` beside the session: one facilitator edits a session at a time.

    A lock left by a process that has exited (a crash) is stale and taken over.
    """

    # A lock file is created empty then filled; give a writer this long before
    # calling an unreadable lock stale.
    FILL_GRACE = 1.0

    def __init__(self, path: Path, session_id: str) -> None:
        self.path = Path(path)
        self.session_id = session_id
        self._content: bytes | None = None

    @property
    def held(self) -> bool:
        return self._content is not None

    def acquire(self, like: SessionLock | None = None) -> SessionLock:
        """Take the lock; raises SessionLocked if a live facilitator holds it.

        ``like``, a lock this process holds in the same directory (one import locking
        many sessions), lends its file: this lock is a hard link to it, so it appears
        whole at once (never empty) and costs no new file, which on a busy disk is
        most of what creating a lock takes. Where a link cannot be made, a file of
        its own as usual.
        """
        if self.held:
            return self
        if like is not None and like._content is not None and like.path.parent == self.path.parent:
            for _ in range(5):
                try:
                    os.link(like.path, self.path)
                except FileExistsError:
                    self._check_existing()  # raises if held; removes it if stale
                    continue
                except OSError:
                    break  # no hard links here (or ``like`` is gone): a file of its own
                self._content = like._content
                return self
            else:
                raise StoreError(f"could not lock session {self.session_id!r} ({self.path} keeps reappearing)")
        content = json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": time.time(),
                "token": os.urandom(8).hex(),
            }
        ).encode()
        for _ in range(5):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                self._check_existing()  # raises if held; removes it if stale
                continue
            except OSError as e:
                raise StoreError(f"cannot create lock {self.path}: {e.strerror or e}") from None
            try:
                os.write(fd, content)
            finally:
                os.close(fd)
            self._content = content
            return self
        raise StoreError(f"could not lock session {self.session_id!r} ({self.path} keeps reappearing)")

    def _check_existing(self) -> None:
        deadline = time.monotonic() + self.FILL_GRACE
        while True:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return  # released meanwhile; try again
            except OSError:
                raw = b""
            info = _parse_lock(raw)
            if info is not None or time.monotonic() >= deadline:
                break
            try:
                if time.time() - self.path.stat().st_mtime > self.FILL_GRACE:
                    break
            except OSError:
                return
            time.sleep(0.05)
        if info is not None:
            pid, host, started = info
            if host != socket.gethostname():
                raise SessionLocked(
                    f"session {self.session_id!r} is open in facilitator on {host} "
                    f"(pid {pid} since {_describe_since(started)}); close it there first, "
                    f"or delete {self.path} if that is stale"
                )
            if _pid_alive(pid):
                raise SessionLocked(
                    f"session {self.session_id!r} is open in another facilitator "
                    f"(pid {pid} since {_describe_since(started)}); close it there first"
                )
        # Stale: remove it, unless it changed since we read it (someone else took over).
        try:
            if self.path.read_bytes() == raw:
                self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise StoreError(f"cannot remove stale lock {self.path}: {e.strerror or e}") from None

    def release(self) -> None:
        """Remove the lock file if it is still the one this object wrote."""
        if self._content is None:
            return
        try:
            if self.path.read_bytes() == self._content:
                self.path.unlink()
        except OSError:
            pass
        self._content = None

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _move_no_clobber(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst`` within one filesystem, failing (never replacing) if ``dst`` exists."""
    try:
        os.link(src, dst)  # fails with FileExistsError instead of replacing
    except FileExistsError:
        raise StoreError(f"{dst} exists already") from None
    except OSError:  # a filesystem without hard links: rename after the check
        if dst.exists():
            raise StoreError(f"{dst} exists already") from None
        try:
            os.replace(src, dst)
        except OSError as e:
            raise StoreError(f"cannot move {src} to {dst}: {e.strerror or e}") from None
        return
    try:
        os.unlink(src)
    except OSError as e:
        raise StoreError(f"cannot remove {src}: {e.strerror or e}") from None


def _lock_is_live(path: Path) -> bool:
    """Whether a session's lock file is held (a session being created or edited right now).

    An empty or unreadable lock a kill left behind, or one whose process has exited, is
    not: it must not push the next new session to ``-2``.
    """
    try:
        raw = path.read_bytes()
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    info = _parse_lock(raw)
    if info is None:
        return age < SessionLock.FILL_GRACE  # being filled by its writer, or left by a kill
    pid, host, _started = info
    return host != socket.gethostname() or _pid_alive(pid)


def _parse_lock(raw: bytes) -> tuple[int, str, Any] | None:
    try:
        d = json.loads(raw)
        return int(d["pid"]), str(d.get("host", "")), d.get("started")
    except (ValueError, TypeError, KeyError):
        return None


# -- shared files: read-modify-write under a lock ---------------------------------------


class LockTimeout(StoreError):
    """Another writer held a shared file's lock longer than we wait."""


LOCK_TIMEOUT = 15.0  # seconds; an archive insert or an import takes well under that


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock on ``fd`` without waiting; False while another writer holds it.

    ``fcntl.flock`` where there is one; on Windows ``msvcrt.locking`` of the file's first
    byte (a lock beyond the end of an empty file is allowed there). Either is released by
    the holder's death, so a killed writer never leaves the file locked.
    """
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK)):
            return False  # held by another process (or another handle of ours)
        raise


def _unlock(fd: int) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass  # closing the file releases it anyway


@contextlib.contextmanager
def file_lock(target: Path, timeout: float | None = None, what: str | None = None) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``target`` (a symlink's real file) for a read-modify-write.

    ``fcntl.flock`` (``msvcrt.locking`` on Windows, see ``_try_lock``), so a writer killed
    mid-way releases it with its death. The lock file is removed on release; a waiter
    that then holds the lock of a removed file notices (the path no longer names its
    inode) and locks again. (Windows refuses to remove a file that is open, so there the
    empty lock file stays; it is never taken for a held lock.) Raises LockTimeout naming
    ``target`` after ``timeout`` seconds. On a system with neither it only waits for
    nothing: one writer at a time is then the user's to keep.
    """
    target = Path(target)
    real = write_target(target)
    lock_path = real.parent / f".{real.name}.lock"
    if fcntl is None and msvcrt is None:
        yield
        return
    wait = LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_UMASK)
        except OSError as e:
            raise StoreError(f"cannot lock {target}: {lock_path}: {e.strerror or e}") from None
        locked = False
        try:
            while True:
                try:
                    locked = _try_lock(fd)
                except OSError as e:
                    raise StoreError(f"cannot lock {target}: {lock_path}: {e.strerror or e}") from None
                if locked:
                    break
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{what or target} is being changed by another facilitator "
                        f"(waited {wait:g} s for {lock_path}); try again when it is done"
                    ) from None
                time.sleep(0.02)
            try:
                same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                continue  # released and removed while we waited: lock the new one
            try:
                yield
            finally:
                try:
                    os.unlink(lock_path)
                except OSError:
                    pass
            return
        finally:
            if locked:
                _unlock(fd)
            os.close(fd)


# -- the store ------------------------------------------------------------------------


class SessionStore:
    """The sessions directory. Created on first save, not before (listing creates nothing)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._root_made = False
        # Ids this store moved to the trash, the last one last: an app's undo goes back through them.
        self.deleted_here: list[str] = []
        # The app's ``index_child.ChildBuild``: a big refresh parses in a child process.
        self.index_builder: Any = None

    # -- single sessions --------------------------------------------------------------
    def path_for(self, session_id: str) -> Path:
        return self.root / f"{validate_id(session_id)}.toml"

    def exists(self, session_id: str) -> bool:
        if not isinstance(session_id, str) or not ID_RE.fullmatch(session_id):
            return False
        return (self.root / f"{session_id}.toml").exists()

    def make_id(self, date: str, title: str = "") -> str:
        """An unused id: the date (``2024-11-19``), then ``-2``, ``-3``... if taken.

        Without a date the title's slug stands in, else ``session``.
        """
        base = safe_id(date) or safe_id(title) or "session"
        candidate, n = base, 1
        while self.exists(candidate) or _lock_is_live(self.root / f"{candidate}.lock"):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _ensure_root(self) -> None:
        if not self._root_made:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create sessions directory {self.root}: {e.strerror or e}") from None
            self._root_made = True

    def save(self, session: Session, *, sync_dir: bool = True) -> Path:
        """Write the session atomically; ``sync_dir=False`` for one of many (see ``sync_directory``)."""
        path = self.path_for(session.id)
        self._ensure_root()
        text = dumps_session(session)
        try:
            atomic_write_text(path, text, sync_dir=sync_dir)
        except FileNotFoundError:
            # The directory vanished under us (deleted while the app ran): recreate once.
            self._root_made = False
            self._ensure_root()
            atomic_write_text(path, text, sync_dir=sync_dir)
        except OSError as e:
            raise StoreError(f"cannot save {path}: {e.strerror or e}") from None
        return path

    def save_all(self, sessions: list[Session], saved: Callable[[int], None] | None = None) -> list[Path]:
        """Write many sessions at once (one import), the caller holding their locks: each
        rendered and written as :func:`atomic_write_many` says, one directory fsync in
        all. ``saved(n)`` follows the writing (n sessions written)."""
        self._ensure_root()
        paths = [self.path_for(s.id) for s in sessions]

        def rendered() -> Iterator[tuple[Path, str]]:
            for n, (path, session) in enumerate(zip(paths, sessions)):
                if saved is not None and n:
                    saved(n)
                yield path, dumps_session(session)

        try:
            atomic_write_many(rendered())
        except OSError as e:
            raise StoreError(f"cannot save {e.filename or self.root}: {e.strerror or e}") from None
        if saved is not None and sessions:
            saved(len(sessions))
        return paths

    def load(self, session_id: str) -> Session:
        path = self.path_for(session_id)
        if not path.exists():
            raise StoreError(f"no session {session_id!r} in {self.root}")
        return read_session_file(path, session_id)

    # -- rename, delete (to the trash), restore -------------------------------------
    TRASH = ".trash"  # inside the sessions directory; the index skips dot names

    def rename(self, old: str, new: str) -> Path:
        """Give session ``old`` the id ``new`` (its file name); never replaces another session."""
        validate_id(old)
        validate_id(new)
        if not self.exists(old):
            raise StoreError(f"no session {old!r} in {self.root}")
        if old == new:
            return self.path_for(old)
        with self.lock(old), self.lock(new):
            src, dst = self.path_for(old), self.path_for(new)
            if dst.exists():
                raise StoreError(f"session {new!r} exists already; choose another id")
            _move_no_clobber(src, dst)
        return dst

    def delete(self, session_id: str) -> Path:
        """Move the session into the trash folder (``.trash/`` in the sessions directory); its path there."""
        validate_id(session_id)
        if not self.exists(session_id):
            raise StoreError(f"no session {session_id!r} in {self.root}")
        trash = self.root / self.TRASH
        with self.lock(session_id):
            try:
                trash.mkdir(exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create {trash}: {e.strerror or e}") from None
            target, n = trash / f"{session_id}.toml", 1
            while target.exists():  # deleted before: keep every copy
                n += 1
                target = trash / f"{session_id}~{n}.toml"
            _move_no_clobber(self.path_for(session_id), target)
            try:  # its mtime says when it was deleted: restore and the trash list go by it
                os.utime(target)
            except OSError:
                pass
        self.deleted_here.append(session_id)
        return target

    def restore(self, session_id: str) -> Path:
        """Bring the most recently deleted copy of ``session_id`` back from the trash."""
        validate_id(session_id)
        trash = self.root / self.TRASH
        copies = [p for p in trash.glob(f"{session_id}*.toml") if p.stem == session_id or p.stem.startswith(f"{session_id}~")]
        if not copies:
            raise StoreError(f"no deleted session {session_id!r} in {trash}")
        newest = max(copies, key=lambda p: (p.stat().st_mtime, p.name))
        with self.lock(session_id):
            dst = self.path_for(session_id)
            if dst.exists():
                raise StoreError(f"session {session_id!r} exists again; rename it first")
            _move_no_clobber(newest, dst)
        if session_id in self.deleted_here:
            self.deleted_here.reverse()
            self.deleted_here.remove(session_id)  # its last deletion
            self.deleted_here.reverse()
        return dst

    def trashed(self) -> list[TrashedSession]:
        """The sessions in the trash, the most recently deleted first (what ``restore`` brings back)."""
        trash = self.root / self.TRASH
        try:
            files = [p for p in trash.iterdir() if p.suffix == ".toml"]
        except OSError:
            return []
        from facilitator.summaries import TrashedSession

        out: dict[str, TrashedSession] = {}
        for p in files:
            sid = p.stem.split("~", 1)[0]
            if not ID_RE.fullmatch(sid):
                continue
            try:
                deleted = p.stat().st_mtime
            except OSError:
                continue
            if sid not in out or (deleted, p.name) > (out[sid].deleted, out[sid].path.name):
                out[sid] = TrashedSession(sid, p, deleted)
        return sorted(out.values(), key=lambda t: (-t.deleted, t.session_id))

    def lock(self, session_id: str, like: SessionLock | None = None) -> SessionLock:
        """Lock a session for editing; raises SessionLocked if another live facilitator has it.

        ``like``: another lock held here, whose file this one links to (see ``SessionLock.acquire``).
        """
        validate_id(session_id)
        self._ensure_root()
        return SessionLock(self.root / f"{session_id}.lock", session_id).acquire(like)

    # -- all sessions -----------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        from facilitator.index import INDEX_NAME

        return self.root / INDEX_NAME

    def index(self, progress: Callable[[int, int], None] | None = None) -> SessionIndex:
        """The SQLite index of this directory, brought up to date (new and changed files parsed once).

        ``progress(done, total)`` follows a long refresh (from the calling thread).
        """
        idx, _ = self._refreshed(progress)
        return idx

    def _refreshed(self, progress: Callable[[int, int], None] | None = None) -> tuple[SessionIndex, list[BrokenFile]]:
        from facilitator.index import index_for
        from facilitator.summaries import BrokenFile

        if not self.root.is_dir():
            if self.root.exists():
                raise StoreError(f"cannot list {self.root}: not a directory")
        idx = index_for(self.root)
        if not self.root.exists():
            return idx, []
        try:
            if self.index_builder is None:
                unlisted = idx.refresh(self._parse_for_index, progress)
            else:
                unlisted = self.index_builder.refresh(idx, self._parse_for_index, progress)
        except PermissionError as e:
            raise StoreError(f"cannot list {self.root}: {e.strerror or e}") from None
        except OSError as e:
            raise StoreError(f"cannot list {self.root}: {e.strerror or e}") from None
        return idx, [BrokenFile(self.root / name, reason) for name, reason in unlisted]

    _parse_for_index = staticmethod(parse_for_index)  # the index's worker processes import it by name

    def scan(self) -> ScanResult:
        """Summaries of every session file, newest first, plus the files that could not be read.

        One bad file never hides the others. The summaries come from the SQLite index
        (``facilitator.index``), which re-reads only files changed since it last looked.
        """
        return self.newest(None)[0]

    def newest(self, limit: int | None) -> tuple[ScanResult, int]:
        """:meth:`scan` cut to the newest ``limit`` sessions (all with None), and how many there are."""
        from facilitator.summaries import ScanResult

        idx, broken = self._refreshed()
        if not self.root.exists():
            return ScanResult([], []), 0
        return self._rows(idx, limit, broken)

    def newest_as_indexed(self, limit: int | None) -> tuple[ScanResult, int] | None:
        """:meth:`newest` as the index last saw the files, without listing the directory
        (at 10,000 sessions that listing is most of the wait); None without an index file
        holding sessions. Stale-while-revalidate: show these, then :meth:`newest`."""
        import sqlite3

        from facilitator.index import INDEX_NAME, index_for

        if not (self.root / INDEX_NAME).is_file():
            return None
        try:
            idx = index_for(self.root)
            if idx.count() == 0:
                return None
            return self._rows(idx, limit, [])
        except (OSError, sqlite3.Error):
            return None  # the fresh read reports what is wrong

    def keep_first_rows(self, scan: ScanResult, total: int) -> None:
        """Keep the newest rows of ``scan`` for home's next first frame
        (``facilitator.first_rows``), unless they are kept already; derived data, so a
        directory that cannot take the file (read-only, gone) goes without it."""
        from facilitator import first_rows

        rows = [(s.path.name, s.id, s.date, s.heading, s.title, s.template, s.status, s.attendees,
                 s.agenda_items, s.archived_in, s.mtime, s.cancelled, s.breakout_rooms)
                for s in scan.sessions[:first_rows.MAX_ROWS]]
        try:
            data = first_rows.encode(rows, total, [(b.path.name, b.reason) for b in scan.broken])
            if self.root.is_dir() and not first_rows.unchanged(self.root, data):
                atomic_write_text(self.root / first_rows.FILE_NAME, data, sync_dir=False)
        except (OSError, ValueError):  # ValueError: a value marshal cannot write (never ours)
            pass

    def _rows(self, idx, limit: int | None, broken: list[BrokenFile]) -> tuple[ScanResult, int]:
        from facilitator.summaries import BrokenFile, ScanResult, SessionSummary

        root = self.root
        sessions = [
            SessionSummary(sid, date, heading, title, template, status, attendees, agenda_items,
                           archived_in, root / name, mtime_ns / 1e9, cancelled, rooms)
            for (name, sid, date, heading, title, template, status, attendees, agenda_items,
                 archived_in, cancelled, mtime_ns, rooms) in idx.summaries(limit)
        ]
        broken += [BrokenFile(root / name, reason) for name, reason in idx.broken()]
        broken.sort(key=lambda b: b.path.name)
        total = len(sessions) if limit is None else idx.count()
        return ScanResult(sessions, broken), total

    def load_all(self) -> Iterator[tuple[SessionSummary, Session]]:
        """Every readable session with its summary, newest first (broken files skipped)."""
        for summary in self.scan().sessions:
            try:
                yield summary, read_session_file(summary.path, summary.id)
            except StoreError:
                continue  # changed or removed since the scan
