"""The ``facilitator`` command: every subcommand, its output and its error handling."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from facilitator import cli, clipboard
from facilitator.markdown import mdformat_text
from facilitator.store import SessionStore

SEED = Path(__file__).parent / "fixtures" / "000_bdb6fac8645dbeec.txt"


def run_cli(*args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """cli.main in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = cli.main([str(a) for a in args])
            except SystemExit as exc:  # argparse usage errors
                rc = int(exc.code or 0)
    finally:
        sys.stdin = old_stdin
    return rc, out.getvalue(), err.getvalue()


def assert_one_error(rc: int, err: str, *needles: str) -> None:
    assert rc == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("facilitator: error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])



# -- templates ------------------------------------------------------------------------


def test_templates_lists_builtins(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "templates")
    assert rc == 0 and err == ""
    names = [ln.split()[0] for ln in out.splitlines()]
    assert names == sorted(names)
    assert {"collab-cafe", "collab-cafe-2025", "2i2c", "hackmd-team-meeting", "hackmd-2019", "monthly-report"} <= set(names)
    line = next(ln for ln in out.splitlines() if ln.split()[0] == "collab-cafe")
    assert "Collaboration Cafe (2024 archive)" in line


def test_templates_reports_broken_user_template_on_stderr(sessions_dir: Path, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "ours.toml").write_text('name = "ours"\nlabel = "Our call"\n', encoding="utf-8")
    (tdir / "broken.toml").write_text('name = "broken"\nlabel = \n', encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "templates")
    assert rc == 0
    assert any(ln.split()[0] == "ours" and "Our call" in ln for ln in out.splitlines())
    assert "broken" not in out
    assert err.startswith("facilitator: warning: ")
    assert "broken.toml" in err and "line 2" in err


# -- new ----------------------------------------------------------------------------


def test_new_creates_planned_session_and_prints_id(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2024-12-17")
    assert rc == 0, err
    assert out == "2024-12-17\n"
    s = SessionStore(sessions_dir).load("2024-12-17")
    assert s.status == "planned" and s.template == "collab-cafe" and s.date == "2024-12-17"
    assert [sec.kind for sec in s.sections] == ["checkin", "celebrations", "agenda"]
    assert not (sessions_dir / "2024-12-17.lock").exists()
    # The same day again gets its own id.
    rc, out, _ = run_cli("--sessions", sessions_dir, "new", "--date", "2024-12-17")
    assert rc == 0 and out == "2024-12-17-2\n"


def test_new_with_agenda_file_and_stdin(sessions_dir: Path, tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.md"
    agenda.write_text("- **Min (10m):** JupyterHub 5\n  - a note\n- **Sarah (5-10 min):** Outreach\n", encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2025-01-21", "--agenda", agenda)
    assert rc == 0, err
    s = SessionStore(sessions_dir).load(out.strip())
    assert [(i.owner, i.minutes, i.title, i.notes) for i in s.agenda_items] == [
        ("Min", 10, "JupyterHub 5", "- a note"),
        ("Sarah", 10, "Outreach", ""),
    ]
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2025-02-18", "--agenda", "-", stdin="One\nTwo (5m)\n")
    assert rc == 0, err
    s = SessionStore(sessions_dir).load(out.strip())
    assert [(i.title, i.minutes) for i in s.agenda_items] == [("One", None), ("Two", 5)]


def test_new_with_headings_template_puts_topics_as_sections(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--template", "2i2c", "--date", "2025-03-04",
                           "--agenda", "-", stdin="Budget (10m)\nHiring\n")
    assert rc == 0, err
    s = SessionStore(sessions_dir).load(out.strip())
    assert [sec.kind for sec in s.sections] == ["roles", "topic", "topic"]
    assert [i.title for i in s.agenda_items] == ["Budget", "Hiring"]


@pytest.mark.parametrize("date", ["2024-13-01", "2024-02-30", "yesterday", "20241119", "2024-1-5"])
def test_new_rejects_bad_date(sessions_dir: Path, date: str) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", date)
    assert_one_error(rc, err, "date")
    assert out == "" and not list(sessions_dir.iterdir())


def test_new_unknown_template(sessions_dir: Path) -> None:
    rc, _, err = run_cli("--sessions", sessions_dir, "new", "--template", "nope")
    assert_one_error(rc, err, "unknown template 'nope'", "collab-cafe")


def test_new_agenda_file_missing(sessions_dir: Path, tmp_path: Path) -> None:
    rc, _, err = run_cli("--sessions", sessions_dir, "new", "--agenda", tmp_path / "missing.md")
    assert_one_error(rc, err, "missing.md")


# -- list -----------------------------------------------------------------------------


def _import_seed(sessions_dir: Path) -> list[str]:
    rc, out, err = run_cli("--sessions", sessions_dir, "import", SEED)
    assert rc == 0, err
    return out.split()


def test_list_text_and_json(sessions_dir: Path) -> None:
    ids = _import_seed(sessions_dir)
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert rc == 0 and err == ""
    assert [ln.split()[0] for ln in out.splitlines()] == ids  # newest first, as in the archive
    rc, out, err = run_cli("--sessions", sessions_dir, "list", "--json")
    assert rc == 0 and err == ""
    data = json.loads(out)
    assert [d["id"] for d in data] == ids
    first = data[0]
    assert {"id", "date", "title", "template", "status", "attendees", "agenda_items", "archived_in"} <= set(first)
    assert (first["date"], first["template"], first["status"], first["attendees"], first["agenda_items"]) == (
        "2024-11-19", "collab-cafe", "finished", 9, 6,
    )
    month_only = next(d for d in data if d["id"] == "2024-06")
    assert month_only["date"] == "2024-06" and month_only["status"] == "cancelled"


def test_list_empty_and_missing_dir(tmp_path: Path) -> None:
    rc, out, err = run_cli("--sessions", tmp_path / "nowhere", "list", "--json")
    assert rc == 0 and json.loads(out) == []
    assert not (tmp_path / "nowhere").exists()


def test_read_commands_run_without_the_collector_and_give_it_back(sessions_dir: Path, monkeypatch) -> None:
    """A read command turns the cyclic collector off while it runs (collector.paused);
    after it, on or off, the collector is as it was, even when the command fails."""
    import gc

    _import_seed(sessions_dir)
    seen: dict[str, bool] = {}
    real_list = cli.COMMANDS["list"]

    def spying_list(args, st):
        seen["list"] = gc.isenabled()
        return real_list(args, st)

    def failing_list(args, st):
        seen["failing"] = gc.isenabled()
        raise OSError(5, "Input/output error")

    monkeypatch.setitem(cli.COMMANDS, "list", spying_list)
    was = gc.isenabled()
    try:
        gc.enable()
        rc, out, err = run_cli("--sessions", sessions_dir, "list")
        assert rc == 0 and out.split() and err == ""
        assert seen["list"] is False and gc.isenabled()
        monkeypatch.setitem(cli.COMMANDS, "list", failing_list)
        rc, out, err = run_cli("--sessions", sessions_dir, "list")
        assert rc == 1 and "Input/output error" in err
        assert seen["failing"] is False and gc.isenabled()
        gc.disable()  # off before: stays off
        monkeypatch.setitem(cli.COMMANDS, "list", spying_list)
        assert run_cli("--sessions", sessions_dir, "list")[0] == 0
        assert not gc.isenabled()
        gc.enable()  # a command that is not a read leaves the collector alone
        real_new = cli.COMMANDS["new"]

        def spying_new(args, st):
            seen["new"] = gc.isenabled()
            return real_new(args, st)

        monkeypatch.setitem(cli.COMMANDS, "new", spying_new)
        rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2031-01-07")
        assert rc == 0, err
        assert seen["new"] is True and gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_sessions_dir_from_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FACILITATOR_SESSIONS", str(tmp_path / "env-sessions"))
    rc, out, err = run_cli("new", "--date", "2024-05-01")
    assert rc == 0, err
    assert (tmp_path / "env-sessions" / "2024-05-01.toml").exists()


# -- show / export --------------------------------------------------------------------


def test_show_prints_archive_markdown(sessions_dir: Path) -> None:
    _import_seed(sessions_dir)
    rc, out, err = run_cli("--sessions", sessions_dir, "show", "2024-10-15")
    assert rc == 0 and err == ""
    assert out == "## 2024-10-15\n\nNo meeting due to lack of attendees.\n"


def test_show_unknown_id(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "show", "2030-01-01")
    assert_one_error(rc, err, "2030-01-01")
    assert out == ""


def test_export_stdout_and_file(sessions_dir: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    rc, shown, _ = run_cli("--sessions", sessions_dir, "show", "2024-11-19")
    rc, out, err = run_cli("--sessions", sessions_dir, "export", "2024-11-19")
    assert rc == 0 and out == shown
    target = tmp_path / "notes.md"
    target.write_text("old", encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "export", "2024-11-19", "-o", target)
    assert rc == 0 and out == ""
    assert target.read_text(encoding="utf-8") == shown
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".notes.md")] == []


def test_export_to_missing_directory_is_one_error(sessions_dir: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    rc, _, err = run_cli("--sessions", sessions_dir, "export", "2024-11-19", "-o", tmp_path / "no" / "x.md")
    assert_one_error(rc, err)


def test_export_copy_failure_is_reported_and_exits_1(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    copied = []

    def fake_copy(text: str) -> clipboard.CopyResult:
        copied.append(text)
        return clipboard.CopyResult(False, "", clipboard.NO_TOOL)

    monkeypatch.setattr(clipboard, "copy_text", fake_copy)
    target = tmp_path / "notes.md"
    rc, out, err = run_cli("--sessions", sessions_dir, "export", "2024-11-19", "-o", target, "--copy")
    assert rc == 1  # nothing took the text: a script can tell (the file is still written)
    assert copied == [target.read_text(encoding="utf-8")]
    assert "Could not copy" in err and str(target) in err and "xclip" in err
    assert err.count("facilitator: error: ") == 1


def test_export_copy_success(sessions_dir: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    monkeypatch.setattr(clipboard, "copy_text", lambda text: clipboard.CopyResult(True, clipboard.METHOD_SYSTEM, "copied"))
    rc, out, err = run_cli("--sessions", sessions_dir, "export", "2024-10-15", "--copy")
    assert rc == 0 and out.startswith("## 2024-10-15")
    assert err.strip() == "Copied to the system clipboard."


# -- archive --------------------------------------------------------------------------


def test_archive_default_path_and_records_it(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    work = tmp_path / "repo"
    work.mkdir()
    monkeypatch.chdir(work)
    # no checkout given and none around: nothing is written under the current directory
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19")
    assert_one_error(rc, err, "no archive checkout", "--repo DIR")
    assert list(work.iterdir()) == []
    # a plain directory is written to only with --create
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", work)
    assert_one_error(rc, err, "is not a git checkout", "--create")
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", work, "--create")
    assert rc == 0, err
    rel = work / "docs/meetings/collab-cafe/2024.md"
    assert out == f"created {rel}\n"
    text = rel.read_text(encoding="utf-8")
    assert text.startswith("# 2024 Collaboration Cafe Notes Archive\n\n## 2024-11-19\n")
    assert SessionStore(sessions_dir).load("2024-11-19").archived_in == str(rel)
    rc, out, _ = run_cli("--sessions", sessions_dir, "archive", "2024-10-15", "--repo", work, "--create")
    assert out == f"inserted {rel}\n"
    rc, out, _ = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", work, "--create")
    assert out == f"unchanged {rel}\n"
    rc, out, _ = run_cli("--sessions", sessions_dir, "list", "--json")
    assert {d["id"]: d["archived_in"] for d in json.loads(out)}["2024-10-15"] == str(rel)


def test_archive_replaces_edited_meeting(sessions_dir: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    into = tmp_path / "a.md"
    for sid in ("2024-10-15", "2024-11-19"):
        assert run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)[0] == 0
    st = SessionStore(sessions_dir)
    s = st.load("2024-10-15")
    s.cancelled = "No meeting: everyone was at the sprint."
    st.save(s)
    rc, out, _ = run_cli("--sessions", sessions_dir, "archive", "2024-10-15", "--into", into)
    assert out == f"replaced {into}\n"
    text = into.read_text(encoding="utf-8")
    assert "everyone was at the sprint" in text and "lack of attendees" not in text
    assert text.count("## 2024-10-15") == 1


def test_archive_refused_while_session_is_open(sessions_dir: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    st = SessionStore(sessions_dir)
    into = tmp_path / "a.md"
    with st.lock("2024-11-19"):  # what a running app holds
        rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--into", into)
        assert_one_error(rc, err, "2024-11-19", "open in another facilitator")
        assert not into.exists()
        rc, _, err = run_cli("--sessions", sessions_dir, "import", SEED)
        assert_one_error(rc, err, "open in another facilitator")
    assert st.load("2024-11-19").archived_in == ""


def test_archive_error_is_one_line(sessions_dir: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    into = tmp_path / "bin.md"
    into.write_bytes(b"# x\n\x00\x01")
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--into", into)
    assert_one_error(rc, err, "not a text file")
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--into", tmp_path)
    assert_one_error(rc, err, "directory")


# -- the app, history commands, entry points ----------------------------------------


def _fake_app(monkeypatch) -> list:
    calls: list = []
    mod = types.ModuleType("facilitator.app")

    def run_app(sessions_dir, templates_dir, **kw):
        calls.append((Path(sessions_dir), Path(templates_dir), kw))
        return 0

    mod.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "facilitator.app", mod)
    monkeypatch.setattr(cli, "_has_terminal", lambda: True)  # as if run in a terminal
    return calls


def test_no_command_opens_app(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    calls = _fake_app(monkeypatch)
    rc, _, err = run_cli("--sessions", sessions_dir, "--templates", tmp_path / "t")
    assert rc == 0, err
    assert calls == [(sessions_dir, tmp_path / "t", {})]


def test_open_id_opens_app_on_session(sessions_dir: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    calls = _fake_app(monkeypatch)
    rc, _, err = run_cli("--sessions", sessions_dir, "open", "2024-09-17")
    assert rc == 0, err
    assert calls[0][0] == sessions_dir and calls[0][2] == {"open_id": "2024-09-17"}
    rc, _, err = run_cli("--sessions", sessions_dir, "open", "2099-01-01")
    assert_one_error(rc, err, "2099-01-01")
    assert len(calls) == 1


def test_demo_seeds_empty_sessions_dir_only(tmp_path: Path, monkeypatch) -> None:
    calls = _fake_app(monkeypatch)
    target = tmp_path / "s"
    rc, _, err = run_cli("--sessions", target, "--demo")
    assert rc == 0, err
    assert len(calls) == 1
    demo = sorted(p.name for p in cli.DEMO_DIR.glob("*.toml"))
    assert sorted(p.name for p in target.glob("*.toml")) == demo and len(demo) == 12
    (target / "2024-11-19.toml").write_text("changed", encoding="utf-8")
    assert cli.seed_demo(target) == 0  # never overwrites
    assert (target / "2024-11-19.toml").read_text(encoding="utf-8") == "changed"


def test_demo_data_is_seed_000_imported(sessions_dir: Path) -> None:
    """facilitator/demo and sessions/ hold what `import` makes of seed 000 (item ids aside),
    and the next meeting planned from its last one, ready to run."""
    ids = _import_seed(sessions_dir)
    planned = SessionStore(cli.DEMO_DIR).load("2024-12-17")
    assert planned.status == "planned" and planned.template == "collab-cafe"
    assert [i.owner for i in planned.agenda_items] == ["Min", "Simon", "Erik", "Sarah"]
    assert planned.planned_minutes == 35 and not planned.source
    st = SessionStore(sessions_dir)
    # sessions/ in the repo ships the same files (the app may add and edit sessions there).
    repo_sessions = Path(__file__).parent.parent / "sessions"
    assert {p.name for p in cli.DEMO_DIR.glob("*.toml")} <= {p.name for p in repo_sessions.glob("*.toml")}
    for folder in (cli.DEMO_DIR,):
        demo = SessionStore(folder)
        assert sorted(p.stem for p in folder.glob("*.toml")) == sorted([*ids, "2024-12-17"])
        for sid in ids:
            a, b = st.load(sid).to_dict(), demo.load(sid).to_dict()
            for d in (a, b):
                for sec in d["sections"]:
                    for item in sec.get("items", []):
                        item.pop("id")
            assert a == b, sid


def test_history_commands_are_registered(sessions_dir: Path, monkeypatch) -> None:
    seen = []
    mod = types.ModuleType("facilitator.history_cli")

    def add_commands(sub):
        p = sub.add_parser("search")
        p.add_argument("query")

    def run(args, store):
        seen.append((args.command, args.query, store.root))
        return 3

    mod.add_commands, mod.run = add_commands, run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "facilitator.history_cli", mod)
    rc, _, _ = run_cli("--sessions", sessions_dir, "search", "binder")
    assert rc == 3 and seen == [("search", "binder", sessions_dir)]


def test_usage_error_is_one_line(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "frobnicate")
    assert rc == 2 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and err.startswith("facilitator: error:")


def test_keyboard_interrupt_exits_130_quietly(sessions_dir: Path, monkeypatch) -> None:
    def boom(args, st):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "list", boom)
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert (rc, out, err) == (130, "", "")


def test_python_dash_m_and_no_textual_import(sessions_dir: Path) -> None:
    code = (
        "import sys, runpy; sys.argv = ['facilitator', '--sessions', sys.argv[1], 'templates'];\n"
        "try:\n    runpy.run_module('facilitator', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert not any(m.startswith('textual') for m in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(sessions_dir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "collab-cafe" in proc.stdout


def test_console_script_import_round_trip(sessions_dir: Path) -> None:
    exe = Path(sys.executable).parent / "facilitator"
    if not exe.exists():
        pytest.skip("console script not installed")
    proc = subprocess.run([str(exe), "--sessions", str(sessions_dir), "import", str(SEED)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([str(exe), "--sessions", str(sessions_dir), "show", "2024-10-15"], capture_output=True, text=True)
    assert proc.stdout == mdformat_text("## 2024-10-15\n\nNo meeting due to lack of attendees.\n")
