"""Two meetings on one day: warned about, renamed or deleted (to a trash folder, undoable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.store import SessionStore, StoreError
from tests.test_cli import run_cli



def test_a_second_meeting_on_one_day_is_warned_about_then_renamed_deleted_restored(sessions_dir: Path) -> None:
    base = ("--sessions", sessions_dir)
    rc, out, err = run_cli(*base, "new", "--date", "2024-11-19")
    assert rc == 0 and out == "2024-11-19\n" and err == ""
    rc, out, err = run_cli(*base, "new", "--date", "2024-11-19")
    assert rc == 0 and out == "2024-11-19-2\n"
    assert "warning: a session on 2024-11-19 exists already" in err and "rename" in err
    rc, out, err = run_cli(*base, "rename", "2024-11-19-2", "2024-11-19-breakout")
    assert rc == 0, err
    assert sorted(p.stem for p in sessions_dir.glob("*.toml")) == ["2024-11-19", "2024-11-19-breakout"]
    rc, out, err = run_cli(*base, "list")
    assert "2024-11-19-breakout" in out and "2024-11-19-2" not in out
    # never replaces another session
    rc, out, err = run_cli(*base, "rename", "2024-11-19-breakout", "2024-11-19")
    assert rc == 1 and "exists already" in err
    rc, out, err = run_cli(*base, "rename", "2024-11-19", "../evil")
    assert rc == 1 and "invalid session id" in err
    # delete moves to the trash inside the sessions directory; restore undoes it
    before = (sessions_dir / "2024-11-19-breakout.toml").read_bytes()
    rc, out, err = run_cli(*base, "delete", "2024-11-19-breakout")
    assert rc == 0 and "restore 2024-11-19-breakout" in err
    assert (sessions_dir / ".trash" / "2024-11-19-breakout.toml").read_bytes() == before
    rc, out, err = run_cli(*base, "list")
    assert "breakout" not in out and "2024-11-19" in out
    rc, out, err = run_cli(*base, "restore", "2024-11-19-breakout")
    assert rc == 0, err
    assert (sessions_dir / "2024-11-19-breakout.toml").read_bytes() == before
    rc, out, err = run_cli(*base, "list")
    assert "2024-11-19-breakout" in out


def test_deleting_twice_keeps_every_copy_and_restore_takes_the_newest(sessions_dir: Path) -> None:
    st = SessionStore(sessions_dir)
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2024-01-02")
    first = st.delete("2024-01-02")
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2024-01-02")
    second = st.delete("2024-01-02")
    assert first != second and first.exists() and second.exists()
    import os

    os.utime(first, (1_000_000, 1_000_000))
    st.restore("2024-01-02")
    assert not second.exists() and first.exists()
    with pytest.raises(StoreError, match="exists again"):
        st.restore("2024-01-02")
    with pytest.raises(StoreError, match="no deleted session"):
        st.restore("2099-01-01")


def test_a_session_open_in_an_app_cannot_be_renamed_or_deleted(sessions_dir: Path) -> None:
    run_cli("--sessions", sessions_dir, "new", "--date", "2024-01-02")
    import subprocess
    import sys

    # the session lock is held by another process, as a running app would

    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from facilitator.store import SessionStore; "
         "l = SessionStore(sys.argv[1]).lock('2024-01-02'); print('held', flush=True); time.sleep(30)",
         str(sessions_dir)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "held"
        rc, out, err = run_cli("--sessions", sessions_dir, "delete", "2024-01-02")
        assert rc == 1 and "open in another facilitator" in err
        rc, out, err = run_cli("--sessions", sessions_dir, "rename", "2024-01-02", "x")
        assert rc == 1 and "open in another facilitator" in err
        assert (sessions_dir / "2024-01-02.toml").exists()
    finally:
        child.kill()
        child.wait()
