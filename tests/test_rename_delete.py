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


def test_which_ids_say_a_second_meeting_of_a_day_and_what_a_list_shows() -> None:
    from facilitator.store import id_suffix, same_day_as, shown_id

    assert same_day_as("2024-12-17-2", "2024-12-17") == "2024-12-17"
    assert same_day_as("2024-12-17-13", "2024-12-17") == "2024-12-17"
    for sid, date in (("2024-12-17", "2024-12-17"), ("2024-12-17-breakout", "2024-12-17"),
                      ("2024-12-17-2", "2024-12-18"), ("session-2", "")):
        assert same_day_as(sid, date) is None, sid
    assert shown_id("2024-12-17", "2024-12-17") == ""
    assert shown_id("2024-12-17-2", "2024-12-17") == "2024-12-17-2"
    assert id_suffix("2024-12-17-2", "2024-12-17") == "#2"
    assert id_suffix("2024-12-17-breakout", "2024-12-17") == "breakout"
    assert id_suffix("binder-sprint", "2024-12-17") == "binder-sprint"
    assert id_suffix("2024-12-17", "2024-12-17") == ""
    from facilitator.store import id_from

    assert id_from(" 2024-12-17-2 ") == "2024-12-17-2"
    assert id_from("2024-12-17 Breakout") == "2024-12-17-breakout"
    assert id_from("../evil") == "evil" and id_from("!!!") == ""


def test_the_trash_lists_the_newest_copy_of_each_id_most_recently_deleted_first(sessions_dir: Path) -> None:
    import os

    st = SessionStore(sessions_dir)
    assert st.trashed() == []  # no trash folder yet: nothing, and nothing created
    assert not (sessions_dir / ".trash").exists()
    for date in ("2024-01-02", "2024-02-03", "2024-01-02"):
        run_cli("--sessions", sessions_dir, "new", "--date", date)
        st.delete(date)
    trash = sessions_dir / ".trash"
    os.utime(trash / "2024-01-02.toml", (1_000, 1_000))
    os.utime(trash / "2024-02-03.toml", (2_000, 2_000))
    os.utime(trash / "2024-01-02~2.toml", (3_000, 3_000))
    (trash / "notes.txt").write_text("not a session")
    listed = st.trashed()
    assert [(t.session_id, t.path.name) for t in listed] == [("2024-01-02", "2024-01-02~2.toml"), ("2024-02-03", "2024-02-03.toml")]
    # ids this store deleted, the last one last: what an app's undo goes back through
    assert st.deleted_here == ["2024-01-02", "2024-02-03", "2024-01-02"]
    st.restore("2024-02-03")
    assert st.deleted_here == ["2024-01-02", "2024-01-02"]


def test_a_deleted_session_is_stamped_with_when_it_was_deleted(sessions_dir: Path) -> None:
    import os
    import time

    st = SessionStore(sessions_dir)
    run_cli("--sessions", sessions_dir, "new", "--date", "2024-01-02")
    os.utime(sessions_dir / "2024-01-02.toml", (1_000, 1_000))  # last edited long ago
    where = st.delete("2024-01-02")
    assert where.stat().st_mtime > time.time() - 3600


def test_next_onto_a_day_that_has_a_meeting_warns_with_the_id_it_got(sessions_dir: Path) -> None:
    base = ("--sessions", sessions_dir)
    run_cli(*base, "new", "--date", "2024-11-19")
    run_cli(*base, "new", "--date", "2024-12-17")
    rc, out, err = run_cli(*base, "next", "2024-11-19", "--date", "2024-12-17")
    assert rc == 0 and out == "2024-12-17-2\n"
    assert "warning: a session on 2024-12-17 exists already (2024-12-17); this one is 2024-12-17-2" in err
    rc, out, err = run_cli(*base, "next", "2024-12-17", "--date", "2025-01-07")
    assert rc == 0 and "warning" not in err
