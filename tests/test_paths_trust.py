"""Paths are what the user means: symlinks written through, special files refused, no temp left.

Also: reading a FIFO never blocks, and error messages name the user's path, never the
hidden temp file.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import store
from facilitator.archive import ArchiveError, read_archive
from facilitator.importer import ImportFailed, read_text_file
from facilitator.store import NotARegularFile, atomic_write_text
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs are POSIX")



def temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_goes_through_a_symlink_chain_and_keeps_the_links(tmp_path: Path) -> None:
    real_dir = tmp_path / "repo"
    real_dir.mkdir()
    real = real_dir / "2024.md"
    real.write_text("old\n", encoding="utf-8")
    os.chmod(real, 0o640)
    hop = tmp_path / "hop.md"
    hop.symlink_to(Path("repo") / "2024.md")  # relative
    link = tmp_path / "link.md"
    link.symlink_to(hop)
    atomic_write_text(link, "new\n")
    assert link.is_symlink() and hop.is_symlink()
    assert os.readlink(link) == str(hop)
    assert real.read_text(encoding="utf-8") == "new\n"
    assert real.stat().st_mode & 0o777 == 0o640
    assert temps(tmp_path) == [] and temps(real_dir) == []


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    atomic_write_text(link, "x\n")
    assert link.is_symlink() and (tmp_path / "later.md").read_text() == "x\n"


@pytest.mark.parametrize("kind", ["fifo", "directory", "link-to-fifo"])
def test_special_targets_are_refused_naming_the_users_path(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "special"
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    path = target
    if kind == "link-to-fifo":
        path = tmp_path / "link.md"
        path.symlink_to(target)
    with pytest.raises(NotARegularFile) as info:
        atomic_write_text(path, "x\n")
    assert info.value.filename == str(path)
    assert ("directory" if kind == "directory" else "named pipe") in str(info.value)
    assert ".tmp" not in str(info.value)
    assert temps(tmp_path) == []
    assert (target.is_dir() if kind == "directory" else not target.is_file())


def test_a_failed_write_names_the_users_path_not_the_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "notes.md"
    target.write_text("keep\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as info:
        atomic_write_text(target, "new\n")
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)
    assert target.read_text() == "keep\n" and temps(tmp_path) == []

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".notes.md.abc.tmp"))

    monkeypatch.setattr(store.tempfile, "mkstemp", denied)
    with pytest.raises(PermissionError) as info:
        atomic_write_text(target, "new\n")
    assert info.value.filename == str(target)


def test_temp_files_left_by_a_kill_are_removed_on_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old\n")
    stale = [tmp_path / ".notes.md.k1ll3d.tmp", tmp_path / ".notes.md.zz9x_q.tmp"]
    for p in stale:
        p.write_text("half")
        os.utime(p, (1_000_000, 1_000_000))
    other = tmp_path / ".other.md.k1ll3d.tmp"  # another target's: not ours to remove
    other.write_text("half")
    os.utime(other, (1_000_000, 1_000_000))
    fresh = tmp_path / ".notes.md.writer.tmp"  # a writer may be filling it right now
    fresh.write_text("half")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert temps(tmp_path) == sorted([other.name, fresh.name])


def test_reading_a_fifo_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "notes.md"
    os.mkfifo(fifo)
    with pytest.raises(ImportFailed, match="named pipe"):
        read_text_file(fifo)
    with pytest.raises(ArchiveError, match="named pipe"):
        read_archive(fifo)
    with pytest.raises(store.StoreError, match="named pipe"):
        store.read_session_file(fifo)


def test_cli_import_and_archive_refuse_a_fifo_without_waiting(tmp_path: Path, sessions_dir: Path, fixtures_dir: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    base = [sys.executable, "-m", "facilitator", "--sessions", str(sessions_dir)]
    r = subprocess.run([*base, "import", str(fifo)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "named pipe" in r.stderr and str(fifo) in r.stderr
    sid = subprocess.run(
        [*base, "import", str(fixtures_dir / "archives" / "collab-cafe-2024.md")], capture_output=True, text=True, timeout=60
    ).stdout.split()[0]
    r = subprocess.run([*base, "archive", sid, "--into", str(fifo)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "named pipe" in r.stderr, r.stderr


def test_archive_into_a_symlink_updates_the_real_file_and_keeps_the_link(tmp_path: Path, sessions_dir: Path, fixtures_dir: Path) -> None:
    src = fixtures_dir / "archives" / "collab-cafe-2024.md"
    rc, out, err = run_cli("--sessions", sessions_dir, "import", src)
    assert rc == 0, err
    newest = out.split()[0]
    real = tmp_path / "checkout" / "2024.md"
    real.parent.mkdir()
    real.write_text("# 2024 Collaboration Cafe Notes Archive\n\n## 2024-01-01\n\nold meeting\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", newest, "--into", link)
    assert rc == 0, err
    assert out.startswith("inserted ")
    assert link.is_symlink() and os.readlink(link) == str(real)
    text = real.read_text(encoding="utf-8")
    assert f"## {newest}" in text and "old meeting" in text
    assert temps(tmp_path) == [] and temps(real.parent) == []


def test_export_to_a_directory_or_fifo_is_one_clear_error(tmp_path: Path, sessions_dir: Path, fixtures_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "import", fixtures_dir / "archives" / "collab-cafe-2024.md")
    sid = out.split()[0]
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    rc, out, err = run_cli("--sessions", sessions_dir, "export", sid, "-o", fifo)
    assert rc == 1
    assert err.startswith("facilitator: error: ") and str(fifo) in err and "named pipe" in err
    assert ".tmp" not in err
