"""The TOML session store: round trips, atomic writes, broken files, the index cache, locks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import store as store_mod
from facilitator.model import FORMAT_VERSION, AgendaItem, Attendee, Clock, Section, Session
from facilitator.store import (
    SessionLocked,
    SessionStore,
    StoreError,
    atomic_write_text,
    safe_id,
    validate_id,
)


def make_session(sid: str = "2024-11-19", date: str = "2024-11-19", n_items: int = 3) -> Session:
    return Session(
        id=sid,
        date=date,
        template="collab-cafe",
        title="Collaboration Café",
        heading=f"## {date}",
        status="finished",
        slot_minutes=60,
        clock=Clock(current_item="b", running=True, run_started_at=1732024800.5),
        sections=[
            Section(
                kind="checkin",
                heading="### Check-in",
                attendees=[
                    Attendee("*Name / @handle / affiliation*"),
                    Attendee("Min / @minrk / Simula (late)"),
                    Attendee("Sarah | @choldgraf | 2i2c"),
                ],
            ),
            Section(kind="celebrations", heading="### :tada: Celebrations", entries=["shipped 1.0"]),
            Section(
                kind="agenda",
                heading="### Agenda",
                intro="Add items below.\n",
                items=[
                    AgendaItem(
                        text=f"**Person{i}** (10m): topic {i}",
                        notes=f"- note one for {i}\n- note \"two\" with \\ backslash\n\n```py\nx = 1\n```\n",
                        status="done",
                        actual_seconds=612.25,
                        extra_seconds=60,
                        id=f"item{i}",
                    )
                    for i in range(n_items)
                ],
            ),
        ],
    )


# -- ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "..", ".", "a/b", "", "A", "-x", ".hidden", "a b", "x" * 82, "a\nb", "abc\n"]
)
def test_validate_id_rejects(bad: str) -> None:
    with pytest.raises(StoreError, match="invalid session id"):
        validate_id(bad)


def test_load_with_traversal_id_never_touches_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.toml").write_text('format_version = 1\nid = "x"\ndate = "2024"\ntemplate = "t"\n')
    s = SessionStore(tmp_path / "sessions")
    with pytest.raises(StoreError, match="invalid session id"):
        s.load("../secret")
    assert not s.exists("../secret")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-11-19", "2024-11-19"),
        ("Collaboration Café!", "collaboration-cafe"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", ""),
        ("  --Hello   World--  ", "hello-world"),
        ("x" * 100, "x" * 60),
    ],
)
def test_safe_id(text: str, expected: str) -> None:
    assert safe_id(text) == expected


def test_safe_id_never_ends_with_dash_after_truncation() -> None:
    s = safe_id("a" * 59 + " b")
    assert len(s) <= 60 and not s.endswith("-")


def test_make_id_collisions(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    assert s.make_id("2024-11-19", "Cafe") == "2024-11-19"
    s.save(make_session("2024-11-19"))
    assert s.make_id("2024-11-19", "Cafe") == "2024-11-19-2"
    s.save(make_session("2024-11-19-2"))
    assert s.make_id("2024-11-19", "Cafe") == "2024-11-19-3"
    assert s.make_id("2024-11", "") == "2024-11"
    assert s.make_id("", "Team Meeting") == "team-meeting"
    assert s.make_id("", "") == "session"


# -- round trip and atomic writes -----------------------------------------------------


def test_save_load_round_trip(tmp_path: Path) -> None:
    root = tmp_path / "not-yet"
    s = SessionStore(root)
    assert not root.exists()  # created lazily
    session = make_session()
    path = s.save(session)
    assert path == root / "2024-11-19.toml"
    loaded = s.load("2024-11-19")
    assert loaded == session
    assert loaded.to_dict() == session.to_dict()
    assert len(loaded.attendees) == 2  # placeholder excluded
    # Notes are written as readable multi-line strings.
    assert '"""' in path.read_text(encoding="utf-8")
    assert [p.name for p in root.iterdir()] == ["2024-11-19.toml"]


def test_round_trip_keeps_crlf(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    session = make_session()
    session.sections[2].items[0].notes = "windows\r\nline\r\n"
    s.save(session)
    assert s.load(session.id).sections[2].items[0].notes == "windows\r\nline\r\n"


def test_load_missing(sessions_dir: Path) -> None:
    with pytest.raises(StoreError, match=r"no session '2099-01-01' in "):
        SessionStore(sessions_dir).load("2099-01-01")


def test_load_adopts_file_name_as_id(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-11-19"))
    (sessions_dir / "copy.toml").write_bytes((sessions_dir / "2024-11-19.toml").read_bytes())
    assert s.load("copy").id == "copy"


def test_atomic_write_failure_keeps_original_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.toml"
    target.write_text("original\n", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk on fire"):
        atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_save_failure_is_store_error_and_keeps_file(sessions_dir: Path, monkeypatch) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session())
    before = (sessions_dir / "2024-11-19.toml").read_bytes()

    def boom(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", boom)
    changed = make_session()
    changed.title = "changed"
    with pytest.raises(StoreError, match="cannot save"):
        s.save(changed)
    assert (sessions_dir / "2024-11-19.toml").read_bytes() == before
    assert sorted(p.name for p in sessions_dir.iterdir()) == ["2024-11-19.toml"]


def test_atomic_write_success_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_write_text(target, "new ✓\n")
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_atomic_write_many_syncs_every_file_before_any_rename_and_the_directory_once(tmp_path: Path, monkeypatch) -> None:
    """Two batches: within each, every temp file is on disk before the first rename; one
    directory fsync after the last rename; a symlink written through, modes kept."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "linked.toml").write_text("old")
    os.chmod(real / "linked.toml", 0o640)
    (tmp_path / "c.toml").symlink_to(real / "linked.toml")
    events: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def logged_fsync(fd: int) -> None:
        fsync(fd)
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else str(fd)))

    def logged_replace(src, dst) -> None:
        replace(src, dst)
        events.append(("replace", str(dst)))

    monkeypatch.setattr(os, "fsync", logged_fsync)
    monkeypatch.setattr(os, "replace", logged_replace)
    monkeypatch.setattr(store_mod, "WRITE_BATCH", 2)
    store_mod.atomic_write_many((tmp_path / name, f"{name} ✓\n") for name in ("a.toml", "b.toml", "c.toml"))
    assert (tmp_path / "a.toml").read_text(encoding="utf-8") == "a.toml ✓\n"
    assert (tmp_path / "c.toml").is_symlink() and (real / "linked.toml").read_text(encoding="utf-8") == "c.toml ✓\n"
    assert (real / "linked.toml").stat().st_mode & 0o777 == 0o640
    kinds = [k for k, _ in events]
    assert kinds == ["fsync", "fsync", "replace", "replace", "fsync", "replace", "fsync", "fsync"]
    assert sorted(e[1] for e in events[-2:]) == sorted([str(tmp_path), str(real)])  # each directory once, last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml", "c.toml", "real"]


def test_atomic_write_many_failure_leaves_no_temp_and_whole_files(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "b.toml").write_text("original b\n")
    replace = os.replace

    def boom_on_b(src, dst):
        if str(dst).endswith("b.toml"):
            raise OSError(28, "No space left on device")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", boom_on_b)
    with pytest.raises(OSError, match="No space") as err:
        store_mod.atomic_write_many((tmp_path / n, f"new {n}\n") for n in ("a.toml", "b.toml", "c.toml"))
    assert err.value.filename == str(tmp_path / "b.toml")  # the user's file, never a temp file
    assert (tmp_path / "a.toml").read_text() == "new a.toml\n" and (tmp_path / "b.toml").read_text() == "original b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml"]


# -- broken files -----------------------------------------------------------------------

GOOD_HEAD = f'format_version = {FORMAT_VERSION}\nid = "x"\ndate = "2024-01-02"\ntemplate = "t"\n'


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("corrupt", b'format_version = 1\nid = "x\n', r"invalid TOML: .*line 2, column"),
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1", b'title = "caf\xe9"\n', "not UTF-8"),
        ("empty", b"", "empty file"),
        ("foreign", b'[tool.poetry]\nname = "x"\n', "not a facilitator session"),
        ("future", GOOD_HEAD.replace(f"= {FORMAT_VERSION}", "= 999", 1).encode(), "format version 999"),
        ("badstatus", GOOD_HEAD.encode() + b'status = "exploded"\n', "unknown session status"),
        ("badsections", GOOD_HEAD.encode() + b"sections = 5\n", "not iterable"),
        ("noid", b'format_version = 1\ndate = "2024"\n', "missing or empty 'id'"),
    ],
)
def test_broken_file_reported_and_untouched(
    sessions_dir: Path, name: str, content: bytes, reason: str
) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-11-19"))
    path = sessions_dir / f"{name}.toml"
    path.write_bytes(content)
    mtime = path.stat().st_mtime_ns

    with pytest.raises(StoreError, match=reason) as info:
        s.load(name)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)

    result = s.scan()
    assert [x.id for x in result.sessions] == ["2024-11-19"]
    assert [b.path.name for b in result.broken] == [f"{name}.toml"]
    assert result.broken[0].reason
    # Scanning twice (from the index) gives the same report.
    again = s.scan()
    assert again.broken == result.broken
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == mtime


def test_scan_ignores_dotfiles_temp_and_other_files(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-11-19"))
    (sessions_dir / ".2024-11-19.toml.abc.tmp").write_text("garbage")
    (sessions_dir / ".hidden.toml").write_text("garbage")
    (sessions_dir / "README.md").write_text("hi")
    (sessions_dir / "2024-11-19.lock").write_text("{}")
    (sessions_dir / "dir.toml").mkdir()
    result = s.scan()
    assert [x.id for x in result.sessions] == ["2024-11-19"]
    assert result.broken == []


def test_scan_reports_bad_file_names(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-11-19"))
    (sessions_dir / "My Notes.toml").write_bytes((sessions_dir / "2024-11-19.toml").read_bytes())
    result = s.scan()
    assert [x.id for x in result.sessions] == ["2024-11-19"]
    assert [b.path.name for b in result.broken] == ["My Notes.toml"]
    assert "not a session id" in result.broken[0].reason


def test_scan_missing_dir_creates_nothing(tmp_path: Path) -> None:
    result = SessionStore(tmp_path / "nope").scan()
    assert result.sessions == [] and result.broken == []
    assert not (tmp_path / "nope").exists()


def test_scan_summary_and_order(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-02-01", "2024-02-01", n_items=1))
    s.save(make_session("2024-11-19", "2024-11-19", n_items=4))
    s.save(make_session("2024-11-19-2", "2024-11-19", n_items=2))
    s.save(make_session("2023-12", "2023-12", n_items=0))
    result = s.scan()
    assert [x.id for x in result.sessions] == ["2024-11-19-2", "2024-11-19", "2024-02-01", "2023-12"]
    top = result.sessions[1]
    assert (top.attendees, top.agenda_items, top.status, top.template) == (2, 4, "finished", "collab-cafe")
    assert top.title == "Collaboration Café" and top.heading == "## 2024-11-19"
    assert top.path == sessions_dir / "2024-11-19.toml"
    assert top.mtime == pytest.approx(top.path.stat().st_mtime)


# -- the index cache --------------------------------------------------------------------


def test_index_reused_and_invalidated(sessions_dir: Path, monkeypatch) -> None:
    s = SessionStore(sessions_dir)
    for i in range(1, 4):
        s.save(make_session(f"2024-0{i}-01", f"2024-0{i}-01"))
    parsed: list[str] = []
    real = store_mod.read_session_file

    def counting(path, session_id=None):
        parsed.append(Path(path).name)
        return real(path, session_id)

    monkeypatch.setattr(store_mod, "read_session_file", counting)

    first = s.scan()
    assert sorted(parsed) == ["2024-01-01.toml", "2024-02-01.toml", "2024-03-01.toml"]
    assert s.index_path.exists()

    parsed.clear()
    assert s.scan() == first
    assert parsed == []  # nothing changed: nothing parsed

    changed = make_session("2024-02-01", "2024-02-01", n_items=7)
    s.save(changed)
    parsed.clear()
    result = s.scan()
    assert parsed == ["2024-02-01.toml"]
    assert {x.id: x.agenda_items for x in result.sessions}["2024-02-01"] == 7

    (sessions_dir / "2024-03-01.toml").unlink()
    parsed.clear()
    result = s.scan()
    assert parsed == []
    assert [x.id for x in result.sessions] == ["2024-02-01", "2024-01-01"]
    import sqlite3

    with sqlite3.connect(s.index_path) as conn:
        names = sorted(r[0] for r in conn.execute("SELECT name FROM files"))
    assert names == ["2024-01-01.toml", "2024-02-01.toml"]


def test_load_all(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    s.save(make_session("2024-02-01", "2024-02-01"))
    (sessions_dir / "broken.toml").write_text("= nope")
    pairs = list(s.load_all())
    assert [(summary.id, session.id) for summary, session in pairs] == [
        ("2024-02-01", "2024-02-01"),
        ("2024-01-01", "2024-01-01"),
    ]


# -- locks ------------------------------------------------------------------------------


def test_lock_refuses_live_holder_and_releases(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    lock_path = sessions_dir / "2024-11-19.lock"
    with s.lock("2024-11-19") as held:
        assert held.held
        info = json.loads(lock_path.read_text())
        assert info["pid"] == os.getpid() and info["host"] and info["started"]
        with pytest.raises(SessionLocked, match=rf"open in another facilitator \(pid {os.getpid()} since \d\d:\d\d\)"):
            s.lock("2024-11-19")
        assert lock_path.exists()  # the refused attempt left it alone
    assert not lock_path.exists()


def test_session_locked_is_store_error() -> None:
    assert issubclass(SessionLocked, StoreError)


def test_stale_lock_of_exited_process_is_taken_over(sessions_dir: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    import socket

    lock_path = sessions_dir / "2024-11-19.lock"
    lock_path.write_text(json.dumps({"pid": proc.pid, "host": socket.gethostname(), "started": 1.0}))
    lock = SessionStore(sessions_dir).lock("2024-11-19")
    assert json.loads(lock_path.read_text())["pid"] == os.getpid()
    lock.release()
    assert not lock_path.exists()


def test_unreadable_lock_is_stale(sessions_dir: Path) -> None:
    lock_path = sessions_dir / "2024-11-19.lock"
    lock_path.write_bytes(b"\x00garbage")
    old = lock_path.stat().st_mtime - 60
    os.utime(lock_path, (old, old))
    with SessionStore(sessions_dir).lock("2024-11-19"):
        assert json.loads(lock_path.read_text())["pid"] == os.getpid()
    assert not lock_path.exists()


def test_release_leaves_someone_elses_lock(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    lock = s.lock("2024-11-19")
    lock_path = sessions_dir / "2024-11-19.lock"
    lock_path.write_text(json.dumps({"pid": 1, "host": "elsewhere", "started": 0}))
    lock.release()
    assert lock_path.exists()


def test_lock_from_other_host_refused(sessions_dir: Path) -> None:
    lock_path = sessions_dir / "2024-11-19.lock"
    lock_path.write_text(json.dumps({"pid": 4242, "host": "some-other-laptop", "started": 0}))
    with pytest.raises(SessionLocked, match="some-other-laptop"):
        SessionStore(sessions_dir).lock("2024-11-19")


def test_lock_rejects_bad_id(sessions_dir: Path) -> None:
    with pytest.raises(StoreError, match="invalid session id"):
        SessionStore(sessions_dir).lock("../x")


# -- where things live (facilitator.paths) ---------------------------------------------


def test_resolve_sessions_dir_order(tmp_path: Path, monkeypatch) -> None:
    from facilitator.paths import resolve_sessions_dir

    import platformdirs

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACILITATOR_SESSIONS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # the user data directory, not ./sessions of wherever it runs
    assert resolve_sessions_dir(None) == Path(platformdirs.user_data_dir("facilitator", appauthor=False)) / "sessions"
    if sys.platform.startswith("linux"):
        assert resolve_sessions_dir(None) == tmp_path / "data" / "facilitator" / "sessions"
    monkeypatch.setenv("FACILITATOR_SESSIONS", "/env/dir")
    assert resolve_sessions_dir(None) == Path("/env/dir")
    assert resolve_sessions_dir("cli/dir") == Path("cli/dir")


def test_user_templates_dir(tmp_path: Path, monkeypatch) -> None:
    from facilitator.paths import user_templates_dir

    monkeypatch.setenv("FACILITATOR_TEMPLATES", str(tmp_path / "t"))
    assert user_templates_dir() == tmp_path / "t"
    monkeypatch.delenv("FACILITATOR_TEMPLATES")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert user_templates_dir() == tmp_path / "cfg" / "facilitator" / "templates"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_templates_dir() == tmp_path / "home" / ".config" / "facilitator" / "templates"


def test_styles_dir_has_app_css() -> None:
    from facilitator.paths import styles_dir

    assert (styles_dir() / "app.tcss").is_file()



_LONG_NOTES = {
    "plain": "\n".join(f"- note {n}: plain text, tabs\tand unicode \u2713 {n}" for n in range(400)),
    "quotes-backslashes": "\n".join(f'- note {n} with a "quote" and a back\\slash' for n in range(400)),
    "trailing-newline": "\n".join(f"- note {n}" for n in range(400)) + "\n",
    "leading-newline-ends-with-quote": "\n" + "\n".join(f'- line {n} ends with a quote: "' for n in range(400)),
    "one-long-line": "x" * 5000,
    "short": "short\nnotes",
}


@pytest.mark.parametrize("kind", sorted(_LONG_NOTES))
def test_dumps_session_matches_tomli_w(kind: str) -> None:
    """Long notes skip tomli_w's escaping loop (autosave speed) but the text is byte for byte the same."""
    import tomli_w

    notes = _LONG_NOTES[kind]
    session = make_session()
    items = session.sections[2].items
    items[0].notes = notes
    items.append(AgendaItem(text="**Sam (5m):** two", notes=notes[:3000]))
    expected = tomli_w.dumps(session.to_dict(), multiline_strings=True)
    assert store_mod.dumps_session(session) == expected
