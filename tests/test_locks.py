"""Writers never lose each other's work: read-modify-writes of shared files hold a lock.

Concurrent archive inserts into one file all survive; concurrent imports of one file give
one set of sessions; a lock held too long is a clear message naming the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from facilitator import archive, importer, markdown, store
from facilitator.store import LockTimeout, SessionLocked, SessionStore, file_lock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")

ARCHIVE = Path(__file__).parent / "fixtures" / "archives" / "collab-cafe-2024.md"



def imported(sessions_dir: Path) -> list[str]:
    return importer.import_file(SessionStore(sessions_dir), ARCHIVE).ids


def test_lock_times_out_with_a_message_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "2024.md"
    with file_lock(target):
        assert (tmp_path / ".2024.md.lock").exists()
        started = time.monotonic()
        with pytest.raises(LockTimeout, match=str(target)):
            with file_lock(target, timeout=0.2):
                pass
        assert time.monotonic() - started < 5
    assert not (tmp_path / ".2024.md.lock").exists()  # removed on release
    with file_lock(target, timeout=0.2):  # free again
        pass


def test_a_symlink_and_its_target_share_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("x")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with file_lock(real):
        with pytest.raises(LockTimeout, match="link.md"):
            with file_lock(link, timeout=0.1):
                pass


def test_threads_inserting_into_one_archive_all_survive(tmp_path: Path, sessions_dir: Path, monkeypatch) -> None:
    """Deterministic: each insert is slowed between its read and its write."""
    ids = imported(sessions_dir)[:4]
    st = SessionStore(sessions_dir)
    sessions = [st.load(i) for i in ids]
    target = tmp_path / "out.md"
    slow_read = archive.read_archive

    def read_then_dawdle(path: Path):
        text = slow_read(path)
        time.sleep(0.15)  # the window in which an unlocked writer loses the others' work
        return text

    monkeypatch.setattr(archive, "read_archive", read_then_dawdle)
    errors: list[BaseException] = []

    def run(session) -> None:
        try:
            archive.archive_session(session, target)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    text = target.read_text(encoding="utf-8")
    for s in sessions:
        assert f"## {s.date}" in text, s.date
    assert not list(tmp_path.glob(".out.md.*"))


def test_three_archive_commands_at_once_into_one_file_all_survive(tmp_path: Path, sessions_dir: Path) -> None:
    ids = imported(sessions_dir)[:3]
    target = tmp_path / "archive.md"
    base = [sys.executable, "-m", "facilitator", "--sessions", str(sessions_dir)]
    procs = [
        subprocess.Popen([*base, "archive", i, "--into", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in ids
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert out.split()[0] in ("created", "inserted")
    text = target.read_text(encoding="utf-8")
    for i in ids:
        assert f"## {i}" in text, i
    assert text.count("\n# ") + text.startswith("# ") == 1  # one H1, not one per writer


def test_concurrent_imports_of_one_file_create_one_set_of_sessions(sessions_dir: Path, monkeypatch) -> None:
    """Deterministic: each import dawdles after parsing, before it looks for earlier imports."""
    parse = markdown.parse_document

    def parse_then_dawdle(*a, **k):
        doc = parse(*a, **k)
        time.sleep(0.2)
        return doc

    monkeypatch.setattr(markdown, "parse_document", parse_then_dawdle)
    results: list[importer.ImportResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(importer.import_file(SessionStore(sessions_dir), ARCHIVE))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(results) == 2
    assert sorted(results[0].ids) == sorted(results[1].ids)
    assert sorted(r.replaced for r in results) == [0, len(results[0].ids)]
    files = sorted(p.stem for p in sessions_dir.glob("*.toml"))
    assert files == sorted(results[0].ids)
    assert not list(sessions_dir.glob("*.lock")) and not (sessions_dir / ".import.lock").exists()


def test_two_import_processes_at_once_create_one_set(sessions_dir: Path) -> None:
    base = [sys.executable, "-m", "facilitator", "--sessions", str(sessions_dir), "import", str(ARCHIVE)]
    procs = [subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert sorted(outs[0][0].split()) == sorted(outs[1][0].split())
    assert sorted(p.stem for p in sessions_dir.glob("*.toml")) == sorted(outs[0][0].split())


def test_archive_lock_timeout_is_one_cli_error(tmp_path: Path, sessions_dir: Path, monkeypatch) -> None:
    ids = imported(sessions_dir)
    target = tmp_path / "archive.md"
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.2)
    from tests.test_cli import run_cli

    with file_lock(target):
        rc, out, err = run_cli("--sessions", sessions_dir, "archive", ids[0], "--into", target)
    assert rc == 1 and out == ""
    assert err.startswith("facilitator: error: ") and str(target) in err and "another facilitator" in err
    assert len(err.splitlines()) == 1


def test_lock_files_left_by_a_kill_never_shift_the_next_session_id(sessions_dir: Path) -> None:
    import json
    import socket

    st = SessionStore(sessions_dir)
    lock = sessions_dir / "2024-11-19.lock"
    lock.write_bytes(b"")  # created, then killed before it was filled
    os.utime(lock, (1_000_000, 1_000_000))
    assert st.make_id("2024-11-19") == "2024-11-19"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout
    lock.write_text(json.dumps({"pid": int(dead), "host": socket.gethostname(), "started": 1.0}))
    assert st.make_id("2024-11-19") == "2024-11-19"  # its process has exited
    with st.lock("2024-11-19"):  # takes over the stale lock
        assert st.make_id("2024-11-19") == "2024-11-19-2"  # a live one still counts
    lock.write_bytes(b"")  # an empty lock being filled right now counts too
    assert st.make_id("2024-11-19") == "2024-11-19-2"


class FakeMsvcrt:
    """``msvcrt.locking`` as Windows does it: a byte range locked per open handle, so a
    second handle (of any process, or of ours) is refused with EACCES until it is unlocked."""

    LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2

    def __init__(self) -> None:
        self.held: dict[tuple[int, int], int] = {}  # (device, inode) -> the fd holding it
        self.calls: list[int] = []
        self._guard = threading.Lock()  # the kernel's part: a check and a take are one step

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        import errno

        assert nbytes == 1 and os.lseek(fd, 0, os.SEEK_CUR) == 0
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino)
        with self._guard:
            self._locking(fd, mode, key)

    def _locking(self, fd: int, mode: int, key: tuple[int, int]) -> None:
        import errno

        self.calls.append(mode)
        if mode == self.LK_NBLCK:
            if key in self.held and self.held[key] != fd:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]


def test_without_flock_the_lock_is_msvcrt_locking(tmp_path: Path, monkeypatch) -> None:
    fake = FakeMsvcrt()
    monkeypatch.setattr(store, "fcntl", None)
    monkeypatch.setattr(store, "msvcrt", fake)
    target = tmp_path / "2024.md"
    with file_lock(target):
        assert fake.calls == [fake.LK_NBLCK] and len(fake.held) == 1
        with pytest.raises(LockTimeout, match=str(target)):
            with file_lock(target, timeout=0):
                pass
    assert fake.held == {}  # unlocked on release
    assert fake.calls[-1] == fake.LK_UNLCK
    with file_lock(target, timeout=0):  # free again
        assert len(fake.held) == 1
    assert fake.held == {}


def test_with_neither_flock_nor_msvcrt_a_lock_does_not_wait(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store, "fcntl", None)
    monkeypatch.setattr(store, "msvcrt", None)
    with file_lock(tmp_path / "a.md"):
        with file_lock(tmp_path / "a.md", timeout=0):
            assert not (tmp_path / ".a.md.lock").exists()


def test_import_refuses_before_writing_anything_when_one_session_is_open(sessions_dir: Path) -> None:
    ids = imported(sessions_dir)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sessions_dir.glob("*.toml")}
    with SessionStore(sessions_dir).lock(ids[len(ids) // 2]):  # as a running app holds it
        with pytest.raises(SessionLocked):
            imported(sessions_dir)
        assert [p.name for p in sessions_dir.glob("*.lock")] == [f"{ids[len(ids) // 2]}.lock"]
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sessions_dir.glob("*.toml")} == before
    assert not list(sessions_dir.glob(".*.tmp"))
    assert imported(sessions_dir) == ids  # once it is closed: the same sessions, replaced


def test_an_imports_session_locks_are_one_file_linked_and_hold_like_any(sessions_dir: Path, monkeypatch) -> None:
    """An import locks each session with a hard link to one lock file (no new file per
    session); each still refuses another facilitator, and all are gone afterwards."""
    seen: list[tuple[str, int, bytes]] = []
    real_save_all = SessionStore.save_all

    def save_all(self, sessions, saved=None):
        for s in sessions:  # while the import holds its locks
            p = self.root / f"{s.id}.lock"
            seen.append((s.id, p.stat().st_ino, p.read_bytes()))
        other = store.SessionLock(self.root / f"{sessions[-1].id}.lock", sessions[-1].id)
        monkeypatch.setattr(store, "_pid_alive", lambda pid: True)  # as if another live process asked
        with pytest.raises(SessionLocked):
            other.acquire()
        monkeypatch.undo()
        return real_save_all(self, sessions, saved)

    monkeypatch.setattr(SessionStore, "save_all", save_all)
    ids = imported(sessions_dir)
    assert [sid for sid, _, _ in seen] == ids and len(ids) > 2
    assert len({ino for _, ino, _ in seen}) == 1 and len({raw for _, _, raw in seen}) == 1
    assert store._parse_lock(seen[0][2])[0] == os.getpid()
    assert not list(sessions_dir.glob("*.lock"))


def test_without_hard_links_an_import_locks_each_session_with_its_own_file(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    def files_in(d: Path) -> dict[str, bytes]:  # agenda items' random ids aside
        return {p.name: re.sub(rb'(?m)^id = "[0-9a-f]{10}"$', b"", p.read_bytes()) for p in d.glob("*.toml")}

    linked = imported(sessions_dir)
    files = files_in(sessions_dir)

    def no_link(src, dst, *a, **k):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    inodes: set[int] = set()
    real_save_all = SessionStore.save_all

    def save_all(self, sessions, saved=None):
        inodes.update((self.root / f"{s.id}.lock").stat().st_ino for s in sessions)
        return real_save_all(self, sessions, saved)

    monkeypatch.setattr(SessionStore, "save_all", save_all)
    other = tmp_path / "other"
    assert importer.import_file(SessionStore(other), ARCHIVE).ids == linked
    assert len(inodes) == len(linked)
    assert files_in(other) == files
    assert not list(other.glob("*.lock"))
