"""The SQLite index: incremental refresh, rebuilds, two processes, full-text search."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import index, people, search, stats
from facilitator import store as store_mod
from facilitator.model import FORMAT_VERSION
from facilitator.store import SessionStore
from tests.conftest import run_cli
from tests.many_sessions import write_sessions
from tests.test_store import make_session


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The names of the session files parsed, in order."""
    parsed: list[str] = []
    real = store_mod.read_session_file

    def counting(path, session_id=None):
        parsed.append(Path(path).name)
        return real(path, session_id)

    monkeypatch.setattr(store_mod, "read_session_file", counting)
    return parsed


def fresh_process(store: SessionStore) -> None:
    """Forget the open index, as a new process would start without one."""
    index.forget(store.root)


def test_indexed_format_is_the_models() -> None:
    assert index.INDEXED_FORMAT_VERSION == FORMAT_VERSION  # bump the index with the format


def test_incremental_add_change_remove_break_rename(sessions_dir: Path, counted: list[str]) -> None:
    s = SessionStore(sessions_dir)
    for i in range(1, 4):
        s.save(make_session(f"2024-0{i}-01", f"2024-0{i}-01"))
    assert [x.id for x in s.scan().sessions] == ["2024-03-01", "2024-02-01", "2024-01-01"]
    assert sorted(counted) == ["2024-01-01.toml", "2024-02-01.toml", "2024-03-01.toml"]

    counted.clear()  # added
    s.save(make_session("2024-04-01", "2024-04-01"))
    assert s.scan().sessions[0].id == "2024-04-01"
    assert counted == ["2024-04-01.toml"]

    counted.clear()  # changed
    s.save(make_session("2024-02-01", "2024-02-01", n_items=6))
    assert {x.id: x.agenda_items for x in s.scan().sessions}["2024-02-01"] == 6
    assert counted == ["2024-02-01.toml"]

    counted.clear()  # removed
    (sessions_dir / "2024-03-01.toml").unlink()
    assert [x.id for x in s.scan().sessions] == ["2024-04-01", "2024-02-01", "2024-01-01"]
    assert counted == []
    assert search.search(s, "shipped") and all(h.session_id != "2024-03-01" for h in search.search(s, "shipped"))

    counted.clear()  # broken, then fixed
    (sessions_dir / "2024-01-01.toml").write_text("= not toml", encoding="utf-8")
    result = s.scan()
    assert [b.path.name for b in result.broken] == ["2024-01-01.toml"]
    assert "invalid TOML" in result.broken[0].reason
    assert counted == ["2024-01-01.toml"]
    counted.clear()
    assert s.scan().broken == result.broken and counted == []  # a broken file is not re-read either
    s.save(make_session("2024-01-01", "2024-01-01"))
    assert not s.scan().broken

    counted.clear()  # renamed: the file name is the id
    os.rename(sessions_dir / "2024-04-01.toml", sessions_dir / "2024-04-01-b.toml")
    ids = [x.id for x in s.scan().sessions]
    assert "2024-04-01-b" in ids and "2024-04-01" not in ids
    assert counted == ["2024-04-01-b.toml"]
    assert {h.session_id for h in search.search(s, "shipped")} == {"2024-04-01-b", "2024-02-01", "2024-01-01"}


def test_cold_start_parses_each_file_once(sessions_dir: Path, counted: list[str]) -> None:
    write_sessions(sessions_dir, 30, seeds=1)
    s = SessionStore(sessions_dir)
    s.scan()
    search.search(s, "binder")
    people.attendance(s)
    stats.summary(s)
    people.completions(s)
    assert len(counted) == 30 and len(set(counted)) == 30
    counted.clear()
    fresh_process(s)  # a second process: everything from the index file
    assert len(s.scan().sessions) == 30
    assert search.search(s, "binder") and people.attendance(s)
    assert counted == []


def test_index_matches_reading_the_files(sessions_dir: Path) -> None:
    """What the index serves equals what parsing every file gives (the old code paths)."""
    write_sessions(sessions_dir, 26, seeds=2)
    s = SessionStore(sessions_dir)
    sessions = [session for _, session in s.load_all()]
    assert len(sessions) == 26
    assert people.as_json(people.attendance(s)) == people.as_json(people.attendance_of(sessions))
    assert people.store_meeting_dates(s) == people.meeting_dates(sessions)
    assert people.completions(s, notes=False) == people.completions_of(sessions, notes=False)
    assert stats.summary(s) == stats.summarise(sessions)
    assert stats.summary(s, "2029-01", "2029-06-30") == stats.summarise(
        x for x in sessions if stats.in_range(x.date, "2029-01", "2029-06-30"))


@pytest.fixture
def table_reads(monkeypatch) -> list[int]:
    """One entry per full read of the index's ``files`` table (a file-by-file comparison)."""
    reads: list[int] = []
    real = index.SessionIndex._known

    def counting(conn):
        reads.append(1)
        return real(conn)

    monkeypatch.setattr(index.SessionIndex, "_known", staticmethod(counting))
    return reads


def _edit_in_place(path: Path, old: str, new: str, mtime_step_ns: int = 2_000_000_000) -> None:
    """What an editor that does not rename does: same inode, new bytes, a later mtime."""
    ino, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    with open(path, "r+", encoding="utf-8") as f:
        text = f.read().replace(old, new)
        f.seek(0)
        f.write(text)
        f.truncate()
    os.utime(path, ns=(mtime + mtime_step_ns, mtime + mtime_step_ns))
    assert path.stat().st_ino == ino


def test_unchanged_directory_is_trusted_without_comparing_each_file(sessions_dir: Path, table_reads: list[int],
                                                                    counted: list[str]) -> None:
    write_sessions(sessions_dir, 20, seeds=1)
    s = SessionStore(sessions_dir)
    assert len(s.scan().sessions) == 20
    fresh_process(s)
    table_reads.clear()
    counted.clear()
    assert len(s.scan().sessions) == 20 and search.search(s, "binder")
    assert table_reads == [] and counted == []  # the listing key matched


def test_hand_edit_in_place_deletion_and_addition_are_seen(sessions_dir: Path, counted: list[str]) -> None:
    """The directory's own mtime does not change when a file is rewritten in place; the
    index must see the edit anyway (same size too), and removals and additions."""
    s = SessionStore(sessions_dir)
    for i in range(1, 4):
        s.save(make_session(f"2024-0{i}-01", f"2024-0{i}-01"))
    assert not search.search(s, "quokka")
    fresh_process(s)
    target = sessions_dir / "2024-02-01.toml"
    dir_mtime = sessions_dir.stat().st_mtime_ns
    size = target.stat().st_size
    _edit_in_place(target, "shipped", "quokkas")  # same length: same size
    assert target.stat().st_size == size and sessions_dir.stat().st_mtime_ns == dir_mtime
    counted.clear()
    assert [h.session_id for h in search.search(s, "quokka")] == ["2024-02-01"]
    assert counted == ["2024-02-01.toml"]

    fresh_process(s)  # a later mtime with the same bytes count is enough; so is a new size
    _edit_in_place(target, "quokkas", "quokkas and wombats")
    assert {h.session_id for h in search.search(s, "wombats")} == {"2024-02-01"}

    fresh_process(s)
    (sessions_dir / "2024-03-01.toml").unlink()
    assert [x.id for x in s.scan().sessions] == ["2024-02-01", "2024-01-01"]
    assert all(h.session_id != "2024-03-01" for h in search.search(s, "shipped"))

    fresh_process(s)
    write_sessions(sessions_dir / "more", 1, seeds=1)
    added = next((sessions_dir / "more").glob("*.toml"))
    os.replace(added, sessions_dir / added.name)
    assert added.stem in {x.id for x in s.scan().sessions}


def test_listing_entry_by_entry_still_sees_edits_and_skips_what_is_no_file(
        sessions_dir: Path, table_reads: list[int], counted: list[str]) -> None:
    """A name that cannot be stat-ed (a dangling symlink) sends the listing entry by entry;
    a directory named like a session is no session. Edits are still seen, and an
    unchanged directory is still trusted on its key."""
    s = SessionStore(sessions_dir)
    for i in range(1, 3):
        s.save(make_session(f"2024-0{i}-01", f"2024-0{i}-01"))
    (sessions_dir / "ghost.toml").symlink_to(sessions_dir / "nowhere")
    (sessions_dir / "folder.toml").mkdir()
    assert [x.id for x in s.scan().sessions] == ["2024-02-01", "2024-01-01"]
    fresh_process(s)
    table_reads.clear()
    assert search.search(s, "shipped") and table_reads == []
    fresh_process(s)
    _edit_in_place(sessions_dir / "2024-01-01.toml", "shipped", "quokkas")
    counted.clear()
    assert [h.session_id for h in search.search(s, "quokkas")] == ["2024-01-01"]
    assert counted == ["2024-01-01.toml"]
    (sessions_dir / "ghost.toml").unlink()  # now every name stats at once: one comparison, same tables
    fresh_process(s)
    counted.clear()
    assert [h.session_id for h in search.search(s, "quokkas")] == ["2024-01-01"] and counted == []
    fresh_process(s)
    table_reads.clear()
    assert search.search(s, "quokkas") and table_reads == []


def test_unreadable_file_is_tried_again_every_time(sessions_dir: Path, monkeypatch, counted: list[str]) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    s.save(make_session("2024-02-01", "2024-02-01"))
    fresh_process(s)
    real = store_mod.read_session_file

    def denied(path, session_id=None):
        if Path(path).name == "2024-02-01.toml":
            raise store_mod.StoreError(f"{path}: cannot read: Permission denied")
        return real(path, session_id)

    monkeypatch.setattr(store_mod, "read_session_file", denied)
    s.scan()
    s.scan()
    assert [b.path.name for b in s.scan().broken] == ["2024-02-01.toml"]
    monkeypatch.setattr(store_mod, "read_session_file", real)  # permissions fixed: no mtime change
    assert [x.id for x in s.scan().sessions] == ["2024-02-01", "2024-01-01"]


def test_derived_result_is_kept_until_a_file_or_the_code_changes(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    idx = s.index()
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return str(idx.count())

    assert idx.derived("n", "v1", compute) == "1" and idx.derived("n", "v1", compute) == "1"
    assert len(calls) == 1
    assert index.SessionIndex(sessions_dir).derived("n", "v1", compute) == "1"  # another process
    assert len(calls) == 1
    assert idx.derived("n", "v2", compute) == "1" and len(calls) == 2  # other code: computed again
    s.save(make_session("2024-02-01", "2024-02-01"))
    idx = s.index()
    assert idx.derived("n", "v2", compute) == "2" and len(calls) == 3


def test_people_from_the_index_follow_a_hand_edit(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 12, seeds=1)
    s = SessionStore(sessions_dir)
    first = people.attendance(s)
    fresh_process(s)
    assert people.attendance(s) == first  # read back from the index: the same people
    assert people.attendance_table(s) == [(p.name, p.handle, p.count, p.first_seen, p.last_seen) for p in first]
    target = sorted(sessions_dir.glob("*.toml"))[-1]
    text = target.read_text(encoding="utf-8")
    assert "attendees = [\n" in text
    _edit_in_place(target, "attendees = [\n", 'attendees = [\n    { text = "Quentin Quokka / @qquokka / Zoo" },\n')
    fresh_process(s)
    folks = {p.key: p for p in people.attendance(s)}
    assert folks["@qquokka"].count == 1 and folks["@qquokka"].session_ids == [target.stem]
    sessions = [x for _, x in s.load_all()]
    assert people.as_json(people.attendance(s)) == people.as_json(people.attendance_of(sessions))


def test_stats_from_the_index_keep_extensions_and_follow_changes(sessions_dir: Path) -> None:
    s = SessionStore(sessions_dir)
    a = make_session("2024-01-01", "2024-01-01")
    a.agenda_items[0].extra_seconds = 300  # +5 given live
    a.agenda_items[0].actual_seconds = 900.0
    s.save(a)
    s.save(make_session("2024-02-01", "2024-02-01"))
    sessions = [x for _, x in s.load_all()]
    assert stats.summary(s) == stats.summarise(sessions)
    assert stats.summary(s)[1].items[0].extra_seconds == 300
    code, first, _ = run_cli("--sessions", sessions_dir, "stats")
    assert code == 0 and "+5m" in first
    fresh_process(s)
    assert run_cli("--sessions", sessions_dir, "stats")[1] == first  # kept by the index
    b = make_session("2024-02-01", "2024-02-01")
    b.agenda_items[0].text = "A brand new title"
    s.save(b)
    fresh_process(s)
    code, second, _ = run_cli("--sessions", sessions_dir, "stats")
    assert "A brand new title" in second and second != first


@pytest.mark.parametrize("garbage", [b"not a database at all", b"\x00" * 4096, b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_index_is_rebuilt(sessions_dir: Path, garbage: bytes) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    expected = s.scan()
    fresh_process(s)
    s.index_path.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        Path(f"{s.index_path}{suffix}").unlink(missing_ok=True)
    assert s.scan() == expected
    assert search.search(s, "shipped")
    with sqlite3.connect(s.index_path) as conn:  # rewritten, valid again
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index.SCHEMA_VERSION


def test_other_version_is_rebuilt(sessions_dir: Path, counted: list[str]) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    expected = s.scan()
    fresh_process(s)
    with sqlite3.connect(s.index_path) as conn:
        conn.execute("UPDATE sessions SET title = 'stale'")
        conn.execute("PRAGMA user_version = 0")
    counted.clear()
    assert s.scan() == expected
    assert counted == ["2024-01-01.toml"]


def test_an_index_of_this_version_without_a_later_index_gets_it_without_a_rebuild(
        sessions_dir: Path, counted: list[str]) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    (sessions_dir / "broken.toml").write_text("not = [toml", encoding="utf-8")
    expected = s.scan()
    fresh_process(s)
    with sqlite3.connect(s.index_path) as conn:  # as an index file written before files_broken
        conn.execute("DROP INDEX files_broken")
    counted.clear()
    assert s.scan() == expected and [b.path.name for b in expected.broken] == ["broken.toml"]
    assert counted == []  # nothing parsed again: no rebuild
    with sqlite3.connect(s.index_path) as conn:
        plan = " ".join(str(r) for r in conn.execute(f"EXPLAIN QUERY PLAN {index._BROKEN_SQL}"))
    assert "files_broken" in plan


def test_read_only_directory_still_lists_and_searches(sessions_dir: Path, monkeypatch) -> None:
    s = SessionStore(sessions_dir)
    s.save(make_session("2024-01-01", "2024-01-01"))
    fresh_process(s)
    real_access = os.access
    monkeypatch.setattr(index.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    assert [x.id for x in s.scan().sessions] == ["2024-01-01"]
    assert search.search(s, "shipped")
    assert not s.index_path.exists()  # nothing written beside the sessions
    fresh_process(s)


def test_missing_directory_creates_nothing(tmp_path: Path) -> None:
    s = SessionStore(tmp_path / "nope")
    assert s.scan().sessions == [] and search.search(s, "x") == []
    assert not (tmp_path / "nope").exists()


_REFRESH = """
import sys, json
from facilitator.store import SessionStore
r = SessionStore(sys.argv[1]).scan()
print(json.dumps([len(r.sessions), len(r.broken)]))
"""


def test_two_processes_refresh_at_once(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 150, seeds=1)
    procs = [
        subprocess.Popen([sys.executable, "-c", _REFRESH, str(sessions_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert [json.loads(o[0]) for o in outs] == [[150, 0], [150, 0]]
    with sqlite3.connect(sessions_dir / index.INDEX_NAME) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM sessions").fetchone() == (150, 150)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        units = conn.execute("SELECT count(*) FROM units").fetchone()[0]
    fresh_process(SessionStore(sessions_dir))
    s = SessionStore(sessions_dir)
    assert len(s.scan().sessions) == 150
    with sqlite3.connect(sessions_dir / index.INDEX_NAME) as conn:
        assert conn.execute("SELECT count(*) FROM units").fetchone()[0] == units  # nothing doubled


# -- full-text search -------------------------------------------------------------


def _searchable(sessions_dir: Path) -> SessionStore:
    s = SessionStore(sessions_dir)
    a = make_session("2024-01-01", "2024-01-01")
    a.agenda_items[0].notes = "- the Binder federation needs a new member\n- federation of hubs"
    b = make_session("2024-02-01", "2024-02-01")
    b.agenda_items[0].notes = "- federation federation federation, binder federation"
    c = make_session("2024-03-01", "2024-03-01")
    c.agenda_items[0].notes = "- a member of the federation uses Binder"
    for x in (a, b, c):
        s.save(x)
    return s


def test_prefix_and_phrase_queries(sessions_dir: Path) -> None:
    s = _searchable(sessions_dir)
    assert {h.session_id for h in search.search(s, "feder")} == {"2024-01-01", "2024-02-01", "2024-03-01"}
    assert {h.session_id for h in search.search(s, "FEDER memb")} == {"2024-01-01", "2024-03-01"}
    phrase = search.search(s, '"binder federation"')
    assert {h.session_id for h in phrase} == {"2024-01-01", "2024-02-01"}
    assert phrase[0].line == "federation federation federation, binder federation"  # newest first
    assert search.search(s, '"member binder"') == []
    assert {h.session_id for h in search.search(s, '"uses binder"')} == {"2024-03-01"}
    assert search.search(s, "federat nosuchword") == []
    # FTS5 syntax in a query is just words
    assert search.search(s, "binder OR NOT (x*") == []
    assert {h.session_id for h in search.search(s, 'feder* "NEAR"')} == set()


def test_ranked_search_and_snippets(sessions_dir: Path) -> None:
    s = _searchable(sessions_dir)
    ranked = search.search(s, "federation", ranked=True)
    assert ranked[0].session_id == "2024-02-01"  # the unit saying it most
    hit = next(h for h in search.search(s, "member") if h.session_id == "2024-03-01")
    assert f"{search.SNIPPET_OPEN}member{search.SNIPPET_CLOSE}" in hit.snippet
    assert "member" in hit.snippet_text and search.SNIPPET_OPEN not in hit.snippet_text
    assert search.search(s, "feder", limit=2) == search.search(s, "feder")[:2]


# -- the CLI on the index -----------------------------------------------------------


def test_cli_list_json_is_what_the_files_say(sessions_dir: Path) -> None:
    """``list --json`` from the index equals the summaries made by parsing every file."""
    from tests.test_cli import run_cli

    write_sessions(sessions_dir, 20, seeds=3)
    (sessions_dir / "bad.toml").write_text("= nope", encoding="utf-8")
    expected = []
    for path in sorted(sessions_dir.glob("*.toml"), key=lambda p: p.stem, reverse=True):
        try:
            s = store_mod.read_session_file(path)
        except store_mod.StoreError:
            continue
        expected.append({"id": s.id, "date": s.date, "heading": s.heading, "title": s.title,
                         "template": s.template, "status": s.status, "attendees": len(s.attendees),
                         "agenda_items": len(s.agenda_items), "breakout_rooms": len(s.rooms),
                         "archived_in": s.archived_in, "path": str(path)})
    expected.sort(key=lambda d: (d["date"], d["id"]), reverse=True)
    for _ in range(2):  # cold (builds the index), then warm (reads it)
        index.forget(sessions_dir)
        code, out, err = run_cli("--sessions", sessions_dir, "list", "--json")
        assert code == 0
        assert json.loads(out) == expected
        assert err.count("warning") == 1 and "bad.toml" in err
    code, text, _ = run_cli("--sessions", sessions_dir, "list")
    first = text.splitlines()[0].split()
    assert first[:3] == [expected[0]["id"], expected[0]["date"], "finished"]


# One child process runs these in turn and checks, after each, what it has imported so far.
_WARM_CHILD = """
import json as _j, sys
from facilitator.cli import main
heavy = ['facilitator.store', 'facilitator.model', 'tomli_w', 'tomllib', 'textual', 'markdown_it', 'dateutil',
         'argparse', 'gettext', 'facilitator.share_cli', 'facilitator.follow_cli']
served = ['facilitator.people', 'facilitator.stats', 'dataclasses']
for argv in _j.loads(sys.argv[1]):
    sys.modules.pop('json', None)  # a kept value is served without the json module (list --json escapes its path)
    rc = main(['--sessions', sys.argv[2], *argv])
    sys.stdout.write('\\0\\n')
    sys.stdout.flush()
    bad = [m for m in heavy + (served if argv[0] != 'search' else []) + (['json'] if argv != ['list', '--json'] else [])
           if m in sys.modules]
    assert rc == 0 and not bad, (argv, bad)
"""


def test_cli_commands_read_the_index_without_the_store(sessions_dir: Path) -> None:
    """A warm ``list``/``search``/``people``/``stats`` never imports the store, the model, the
    TOML reader or writer, nor Textual, markdown-it, dateutil or a parser (argparse); a kept
    result is written as it is (not grouped, formatted or encoded again)."""
    write_sessions(sessions_dir, 5, seeds=1)
    kept = (["people"], ["people", "--json"], ["stats"], ["list"], ["list", "--json"])
    printed = []
    for argv in kept:  # computed once; the index keeps the text
        rc, out, _ = run_cli("--sessions", sessions_dir, *argv)
        assert rc == 0 and out.strip()
        printed.append(out)
    proc = subprocess.run([sys.executable, "-c", _WARM_CHILD, json.dumps([*kept, ["search", "collaboration"]]),
                           str(sessions_dir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    outs = proc.stdout.split("\0\n")
    # Served as bytes to a UTF-8 stdout: what the text path (a StringIO) prints.
    assert outs[: len(kept)] == printed
    assert "Collaboration" in outs[len(kept)]


def test_list_kept_by_the_index_names_the_directory_as_given(tmp_path: Path) -> None:
    d = tmp_path / 'we"ird \\ dïr'
    write_sessions(d, 3, seeds=1)
    outs = []
    for given in (d, d, Path(os.path.relpath(d)), d):  # computed, then kept, then other spellings
        index.forget(d)
        code, out, _ = run_cli("--sessions", given, "list", "--json")
        assert code == 0
        assert [r["path"] for r in json.loads(out)] == [os.path.join(str(given), f"{r['id']}.toml") for r in json.loads(out)]
        outs.append(out)
    assert outs[0] == outs[1] == outs[3]
    plain = [run_cli("--sessions", d, "list")[1] for _ in range(2)]
    assert plain[0] == plain[1] and len(plain[0].splitlines()) == 3


def test_list_json_text_is_json_dumps_exactly(sessions_dir: Path) -> None:
    from facilitator.cli import _JSON_KEYS, _summaries_json

    rows = [("a.toml", "a", "2024-01-01", "## 2024", 'Caf\u00e9 "quoted" \\ \u2028\x01', "t", "finished", 3, 0, "", "", 0, 2),
            ("b.toml", "b", "", "", "", "", "planned", 0, 12, "docs/2024.md", "", 0, 0)]
    # the row's columns: name, id..agenda_items, archived_in, cancelled, mtime_ns, breakout_rooms
    want = [dict(zip(_JSON_KEYS, (*r[1:9], r[12], r[9], os.path.join(str(sessions_dir), r[0])))) for r in rows]
    assert _summaries_json(rows, str(sessions_dir)) == json.dumps(want, indent=2, ensure_ascii=False) + "\n"
    assert _summaries_json([], "x") == json.dumps([], indent=2) + "\n"


def test_directory_created_later_gets_its_index_file(tmp_path: Path) -> None:
    s = SessionStore(tmp_path / "later")
    assert search.search(s, "shipped") == []  # no directory: nothing written, in memory
    assert not (tmp_path / "later").exists()
    s.save(make_session("2024-01-01", "2024-01-01"))
    assert [h.session_id for h in search.search(s, "shipped")] == ["2024-01-01"]
    assert s.index_path.exists()
    fresh_process(s)


def test_best_line_is_the_first_line_matching_most_words() -> None:
    """The one-search-per-body shortcut picks what scoring every line would (folding that
    changes a line's length, like ß -> ss or İ -> i̇, included)."""
    import re

    def by_every_line(body: str, patterns: list) -> str:
        best, best_score = "", -1
        for ln in body.split("\n"):
            score = sum(1 for p in patterns if p.search(ln.casefold()))
            if score > best_score:
                best, best_score = ln, score
        return best

    body = "İstanbul STRASSE\nGroße Straße binder\n\nthe Binder hub\nhub binder Federation\nbinderhub"
    for query in ("binder", "strasse", "hub binder", "federation hub binder", "nothing", "i̇stanbul", "binderh"):
        words = search.query_words(query)
        patterns = [re.compile(r"(?<!\w)" + re.escape(w)) for w in words]
        assert search._best_line(body, words) == by_every_line(body, patterns), query
    assert search._best_line("", ["x"]) == ""


def _tables(root: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(root / index.INDEX_NAME)
    try:
        out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
               for t in ("files", "sessions", "attendees", "items")}
        out["units"] = conn.execute("SELECT rowid, * FROM units ORDER BY rowid").fetchall()
        out["meta"] = conn.execute("SELECT * FROM meta ORDER BY key").fetchall()
        return out
    finally:
        conn.close()


def test_build_in_worker_processes_gives_the_serial_build_tables(tmp_path: Path) -> None:
    """Parsing in worker processes (a lowered threshold) or in-process when they die or
    cannot take the parser: the same rows, broken files reported the same way, progress."""
    import functools

    from tests.worker_parse import parse_in_one_kind_of_process as parse_in

    root = tmp_path / "s"
    write_sessions(root, 7, seeds=1)
    (root / "2020-01-01.toml").write_text("= not toml", encoding="utf-8")
    (root / "Not An Id.toml").write_text('format_version = 1\n', encoding="utf-8")
    (root / "2020-01-02.toml").write_bytes(b"")
    names = sorted(p.name for p in root.glob("*.toml"))
    seen: dict[str, list] = {}

    def build(how: str, parse, **kw) -> dict[str, list[tuple]]:
        index.forget(root)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{root / index.INDEX_NAME}{suffix}").unlink(missing_ok=True)
        progress: list[tuple[int, int]] = []
        index.index_for(root).refresh(parse, lambda done, total: progress.append((done, total)), **kw)
        seen[how] = progress
        index.forget(root)
        return _tables(root)

    original = index.PARSE_CHUNK
    index.PARSE_CHUNK = 2  # several chunks per worker
    try:
        serial = build("serial", store_mod.parse_for_index, workers=1)
        workers = build("workers", functools.partial(parse_in, os.getpid(), False), workers=2, parallel_from=2)
        died = build("died", functools.partial(parse_in, os.getpid(), True), workers=2, parallel_from=2)
    finally:
        index.PARSE_CHUNK = original
    unpicklable = build("lambda", lambda path, stem: store_mod.parse_for_index(path, stem), workers=2, parallel_from=2)
    assert [r[1] for r in serial["files"]] == names and len(serial["sessions"]) == 7 and serial["units"]
    assert {r[1]: r[5] for r in serial["files"] if r[5]} == {
        "2020-01-01.toml": "invalid TOML: Invalid statement (at line 1, column 1)",
        "2020-01-02.toml": "empty file",
        "Not An Id.toml": "file name is not a session id (use lowercase letters, digits and '-')",
    }
    for how, tables in (("workers", workers), ("died", died), ("lambda", unpicklable)):
        for table, rows in serial.items():
            assert tables[table] == rows, (how, table)
        assert seen[how][-1] == (len(names), len(names)) == seen["serial"][-1], how
