"""Bad and odd input: one clear error line and exit 1, never a traceback, never a stray file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator.markdown import mdformat_text
from facilitator.store import SessionStore
from tests.test_cli import assert_one_error, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "000_bdb6fac8645dbeec.txt"



def _imported(sessions_dir: Path, path: Path) -> list[str]:
    rc, out, err = run_cli("--sessions", sessions_dir, "import", path)
    assert rc == 0, err
    assert "Traceback" not in err
    return out.split()


def _shows(sessions_dir: Path, ids: list[str]) -> list[str]:
    return [run_cli("--sessions", sessions_dir, "show", i)[1] for i in ids]


# -- files to import --------------------------------------------------------------------


def test_missing_file(sessions_dir: Path, tmp_path: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "import", tmp_path / "nope.md")
    assert_one_error(rc, err, "nope.md", "No such file")
    assert out == "" and list(sessions_dir.iterdir()) == []


def test_directory_instead_of_file(sessions_dir: Path, tmp_path: Path) -> None:
    rc, _, err = run_cli("--sessions", sessions_dir, "import", tmp_path)
    assert_one_error(rc, err, "directory")


def test_binary_file(sessions_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "photo.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    rc, _, err = run_cli("--sessions", sessions_dir, "import", f)
    assert_one_error(rc, err, "photo.png", "binary")
    assert list(sessions_dir.iterdir()) == []


def test_non_utf8_file(sessions_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "latin1.md"
    f.write_bytes("## 2024-01-16\n\n- Caf\u00e9 / @x / Z\u00fcrich\n".encode("latin-1"))
    rc, _, err = run_cli("--sessions", sessions_dir, "import", f)
    assert_one_error(rc, err, "latin1.md", "UTF-8")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(sessions_dir: Path, tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "empty.md"
    f.write_bytes(content)
    rc, out, err = run_cli("--sessions", sessions_dir, "import", f)
    assert_one_error(rc, err, f"{f} is empty: no meetings to import")
    assert out == ""


def test_crlf_file_imports_like_lf(sessions_dir: Path, tmp_path: Path) -> None:
    lf_ids = _imported(sessions_dir / "lf", SEED)
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    crlf_ids = _imported(sessions_dir / "crlf", crlf)
    assert crlf_ids == lf_ids
    assert _shows(sessions_dir / "crlf", crlf_ids) == _shows(sessions_dir / "lf", lf_ids)


def test_no_final_newline(sessions_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "cut.md"
    f.write_bytes(SEED.read_bytes().rstrip(b"\n"))
    ids = _imported(sessions_dir, f)
    assert len(ids) == 11
    assert _shows(sessions_dir, ids)[-1] == _shows(sessions_dir, _imported(sessions_dir / "ref", SEED))[-1]


def test_tabs_in_list_indentation(sessions_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "tabs.md"
    f.write_text(
        "# 2023 Collaboration Cafe Notes Archive\n\n## 2023-05-16\n\n### Check-in\n\n"
        "- Min / @minrk / Simula\n\n### Agenda\n\n"
        "- **Min (10m):** Tabs\n\t- first note\n\t\t- deeper note\n- **Sarah (5m):** Next\n",
        encoding="utf-8",
    )
    (sid,) = _imported(sessions_dir, f)
    s = SessionStore(sessions_dir).load(sid)
    assert [i.title for i in s.agenda_items] == ["Tabs", "Next"]
    notes = s.agenda_items[0].notes
    assert "first note" in notes and "deeper note" in notes
    shown = _shows(sessions_dir, [sid])[0]
    assert "  - first note\n    - deeper note\n" in shown


def test_file_without_dated_heading_is_one_document(sessions_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "call.md"
    f.write_text("# Our call\n\n## Agenda\n\n- **Ana (5m):** Hello\n", encoding="utf-8")
    stamp = 1_700_000_000  # the file's mtime is never taken for the meeting's day
    os.utime(f, (stamp, stamp))
    rc, out, err = run_cli("--sessions", sessions_dir, "import", f)
    assert_one_error(rc, err, "call.md", "no date found")
    assert "--date YYYY-MM-DD" in err and out == ""
    rc, out, err = run_cli("--sessions", sessions_dir, "import", f, "--date", "2023-11-14")
    assert rc == 0, err
    (sid,) = out.split()
    s = SessionStore(sessions_dir).load(sid)
    assert s.date == "2023-11-14" == sid
    assert [i.title for i in s.agenda_items] == ["Hello"]


def test_ten_megabyte_archive(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """All 5,126 meetings of a 10 MB archive become sessions, each written durably.

    fsync is counted, not done: the disk's flush of 5,127 files is most of this test's
    time and proves nothing here (test_store checks the writes themselves); the count
    proves each session file is flushed and the directory once, after the last.
    """
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    seed = SEED.read_text(encoding="utf-8")
    h1, body = seed.split("\n", 1)
    parts, year = [h1 + "\n"], 2024
    while sum(map(len, parts)) < 10_000_000:
        parts.append(body.replace("2024-", f"{year}-"))
        year -= 1
    big = tmp_path / "big.md"
    big.write_text("\n".join(parts), encoding="utf-8")
    copies = len(parts) - 1
    assert big.stat().st_size >= 10_000_000
    ids = _imported(sessions_dir, big)
    assert len(ids) == 11 * copies and len(set(ids)) == len(ids)
    assert ids[0] == "2024-11-19" and ids[-1] == f"{2024 - copies + 1}-01-16"
    assert len(synced) == len(ids) + 1  # every session file, then the directory once
    assert sorted(p.stem for p in sessions_dir.glob("*.toml")) == sorted(ids)
    # Its speed is a benchmark's business (benchmarks/run.py), not this test's.
    oldest = 2024 - copies + 1
    last_meeting = "## 2024-01-16" + seed.split("## 2024-01-16", 1)[1]
    rc, out, _ = run_cli("--sessions", sessions_dir, "show", ids[-1])
    assert rc == 0 and out == mdformat_text(last_meeting.replace("2024-", f"{oldest}-"))


# -- session files ------------------------------------------------------------------------


def test_corrupt_session_file(sessions_dir: Path) -> None:
    ids = _imported(sessions_dir, SEED)
    bad = sessions_dir / "2024-09-17.toml"
    text = bad.read_text(encoding="utf-8").split("\n")
    text[4] = 'template = "collab-cafe'  # an unterminated string on line 5
    bad.write_text("\n".join(text), encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert rc == 0
    assert [ln.split()[0] for ln in out.splitlines()] == [i for i in ids if i != "2024-09-17"]
    assert err.count("\n") == 1
    assert err.startswith(f"facilitator: warning: {bad}: ") and "line 5" in err
    rc, out, err = run_cli("--sessions", sessions_dir, "show", "2024-09-17")
    assert_one_error(rc, err, str(bad), "line 5")
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-09-17", "--into", sessions_dir.parent / "a.md")
    assert_one_error(rc, err, str(bad), "line 5")
    assert not (sessions_dir.parent / "a.md").exists()


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"\x00\x01\x02", "binary"),
        (b'format_version = 1\nid = "x"\n', "date"),
        (b'format_version = 99\nid = "x"\ndate = "2024-01-01"\ntemplate = "collab-cafe"\n', "version 99"),
        (b'title = "not ours"\n', "format_version"),
    ],
)
def test_other_bad_session_files(sessions_dir: Path, content: bytes, needle: str) -> None:
    (sessions_dir / "2024-01-01.toml").write_bytes(content)
    rc, _, err = run_cli("--sessions", sessions_dir, "show", "2024-01-01")
    assert_one_error(rc, err, needle)
    rc, out, err = run_cli("--sessions", sessions_dir, "list", "--json")
    assert rc == 0 and out.strip() == "[]" and "warning" in err


# -- templates -------------------------------------------------------------------------


def test_template_with_syntax_error(sessions_dir: Path, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "ours.toml").write_text('name = "ours"\nlabel = "Ours"\n[[sections]\nkind = "agenda"\n', encoding="utf-8")
    rc, _, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "new", "--template", "ours")
    assert_one_error(rc, err, "ours.toml", "line 3")
    assert list(sessions_dir.iterdir()) == []
    # The other templates still work.
    rc, out, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "new", "--date", "2024-01-02")
    assert rc == 0 and out == "2024-01-02\n" and err == ""


def test_template_with_bad_value(sessions_dir: Path, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "ours.toml").write_text('name = "ours"\nslot_minutes = "an hour"\n', encoding="utf-8")
    rc, _, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "new", "--template", "ours")
    assert_one_error(rc, err, "ours.toml", "slot_minutes")


def test_unknown_template(sessions_dir: Path) -> None:
    for args in (("new", "--template", "nope"), ("import", str(SEED), "--template", "nope")):
        rc, out, err = run_cli("--sessions", sessions_dir, *args)
        assert_one_error(rc, err, "unknown template 'nope'")
        assert out == ""
    assert list(sessions_dir.iterdir()) == []


def test_user_template_drives_import(sessions_dir: Path, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "ours.toml").write_text('name = "ours"\nmdformat = false\n', encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "import", SEED, "--template", "ours")
    assert rc == 0, err
    ids = out.split()
    assert ids and {SessionStore(sessions_dir).load(i).template for i in ids} == {"ours"}


def test_import_detects_a_user_template(sessions_dir: Path, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "sig.toml").write_text(
        'name = "sig-docs"\ndetect = ["SIG Docs meeting", "Moderator:"]\n', encoding="utf-8"
    )
    f = tmp_path / "sig.md"
    f.write_text("# SIG Docs meeting\n\nModerator: Ana\n\n## 2 May 2023\n\n- a\n\n## 9 May 2023\n\n- b\n")
    rc, out, err = run_cli("--sessions", sessions_dir, "--templates", tdir, "import", f)
    assert rc == 0, err
    assert [SessionStore(sessions_dir).load(i).template for i in out.split()] == ["sig-docs", "sig-docs"]


# -- ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["show", "export", "archive", "open"])
def test_unknown_session_id(sessions_dir: Path, command: str) -> None:
    _imported(sessions_dir, SEED)
    rc, out, err = run_cli("--sessions", sessions_dir, command, "2031-01-01")
    assert_one_error(rc, err, "2031-01-01")
    assert out == ""


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("bad", ["../../etc/passwd", "../outside", "/etc/passwd", "..", "a/b", "X"])
@pytest.mark.parametrize("command", ["show", "export", "archive", "open"])
def test_path_like_id_touches_nothing_outside(tmp_path: Path, command: str, bad: str) -> None:
    sessions = tmp_path / "deep" / "er" / "sessions"
    sessions.mkdir(parents=True)
    (tmp_path / "deep" / "outside.toml").write_text('format_version = 1\nid = "x"\ndate = "2024-01-01"\ntemplate = "collab-cafe"\n')
    before = _tree(tmp_path)
    rc, out, err = run_cli("--sessions", sessions, command, bad)
    assert_one_error(rc, err, "invalid session id")
    assert out == ""
    assert _tree(tmp_path) == before


def test_path_like_title_and_file_name_stay_inside(tmp_path: Path) -> None:
    sessions = tmp_path / "a" / "sessions"
    sessions.mkdir(parents=True)
    evil = tmp_path / "a" / "..%2f..%2fetc%2fpasswd.md"
    evil.write_text("# ../../etc/passwd\n\n## Agenda\n\n- ../../x (5m)\n", encoding="utf-8")
    before = _tree(tmp_path)
    rc, out, err = run_cli("--sessions", sessions, "import", evil, "--date", "2024-01-02")
    assert rc == 0, err
    (sid,) = out.split()
    assert "/" not in sid and ".." not in sid
    after = _tree(tmp_path)
    assert f"a/sessions/{sid}.toml" in after - before
    assert all(p.startswith("a/sessions/") for p in after - before)
