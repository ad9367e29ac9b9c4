"""Control characters from user data never reach a terminal (the sanitize policy).

Every C0 control but tab and newline, DEL and every C1 control is fed through an import
and every command that prints user data, via the real CLI; none may come out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from facilitator import sanitize
from facilitator.store import SessionStore, read_session_file
from tests.conftest import run_cli

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]


def forbidden(text: str) -> list[str]:
    """Every forbidden control character in ``text`` (CR only where no LF follows)."""
    bad = []
    for i, ch in enumerate(text):
        if ch in CONTROLS:
            if ch == "\r" and text[i + 1 : i + 2] == "\n":
                continue
            bad.append(ch)
    return bad


# NUL makes a file binary, which import refuses as a whole (tested in test_bad_input).
IN_TEXT = [ch for ch in CONTROLS if ch != "\x00"]


def hostile(word: str) -> str:
    """``word`` with every control character inside it (never at a line end)."""
    return word[0] + "".join(f"{ch}{word[1:]}" for ch in IN_TEXT)


def archive_text() -> str:
    title = "Roadmap " + hostile("plan")
    name = "Ada " + hostile("Lovelace")
    note = hostile("bold") + " \x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b31m"
    return (
        "# 2024 Notes Archive\n\n"
        "## 2024-11-19\n\n"
        "### Check-in\n\n"
        f"- {name} / @ada / Uni{chr(0x1b)}[31m\n"
        "- Bob / @bob / Lab\n\n"
        "## Agenda\n\n"
        f"- **Ada (10m):** {title} zebra\n"
        f"  - {note} zebra\n"
    )



def test_policy_replaces_every_control_visibly_and_counts() -> None:
    text = "".join(CONTROLS)
    cleaned, n = sanitize.clean_counted(text)
    assert n == len(CONTROLS)
    assert forbidden(cleaned) == []
    assert cleaned[CONTROLS.index("\x1b")] == "\u241b"
    assert cleaned[CONTROLS.index("\x7f")] == "\u2421"
    # tab, newline and a CRLF line ending are text, kept as they are
    assert sanitize.clean("a\tb\r\nc\n") == "a\tb\r\nc\n"
    assert sanitize.clean("a\rb") == "a\u240db"


def test_fast_check_finds_what_the_policy_replaces() -> None:
    """``has_controls`` (two cheaper searches) agrees with the policy's own pattern."""
    for code in range(0xA1):
        for text in (chr(code), f"ok {chr(code)} ok\n", f"a\r\nb{chr(code)}", f"{chr(code)}\n", "x" * 5000 + chr(code)):
            assert sanitize.has_controls(text) == (sanitize.CONTROL_RE.search(text) is not None), (code, text[-8:])
    assert not sanitize.has_controls("a\r\nb\r\n") and sanitize.has_controls("a\r\nb\rc")


def test_every_control_through_import_and_every_printing_command(tmp_path: Path, sessions_dir: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text(archive_text(), encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "import", src)
    assert rc == 0, err
    sid = out.split()[0]
    assert f"replaced {len(IN_TEXT) * 3 + 4 + 1} control characters" in err, err
    outputs = {"import": out + err}
    for args in (
        ("show", sid),
        ("export", sid),
        ("list",),
        ("list", "--json"),
        ("people",),
        ("people", "--json"),
        ("search", "zebra"),
        ("search", "roadmap"),
        ("stats",),
        ("stats", sid),
    ):
        rc, out, err = run_cli("--sessions", sessions_dir, *args)
        assert rc == 0, (args, err)
        assert out.strip(), args
        outputs[" ".join(args)] = out + err
    # the data is there, visibly marked, in what is printed
    assert "\u241b" in outputs[f"show {sid}"] and "Roadmap" in outputs[f"show {sid}"]
    assert "Ada" in outputs["people"]
    for what, text in outputs.items():
        assert forbidden(text) == [], what


def _write_raw_session(sessions_dir: Path, title: str) -> Path:
    """A session file holding ``title`` as is (the writer does not clean: tomli_w escapes)."""
    from facilitator.model import Session

    st = SessionStore(sessions_dir)
    return st.save(Session(id="2024-01-02", date="2024-01-02", template="collab-cafe", title=title))


def test_a_hand_edited_session_file_is_cleaned_when_read(sessions_dir: Path) -> None:
    path = _write_raw_session(sessions_dir, "T\x1b]0;pwned\x07 \x9b2J")
    assert "\\u001b" in path.read_text(encoding="utf-8")  # the file holds the raw control
    session = read_session_file(path)
    assert forbidden(session.title) == [] and "\u241b" in session.title
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert rc == 0, err
    assert "pwned" in out
    assert forbidden(out + err) == []


def test_the_cli_guard_cleans_what_reached_the_data_another_way(sessions_dir: Path, monkeypatch) -> None:
    """Even data that skipped both boundaries (here: a patched reader) is cleaned on output."""
    import facilitator.store as store_mod

    monkeypatch.setattr(store_mod, "clean_data", lambda data: (data, 0))
    path = _write_raw_session(sessions_dir, "T\x1b[2J")
    assert "\x1b" in read_session_file(path).title
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert "[2J" in out
    for args in (("show", "2024-01-02"), ("list",), ("stats", "2024-01-02"), ("show", "no\x1bsuch")):
        rc, out, err = run_cli("--sessions", sessions_dir, *args)
        assert forbidden(out + err) == [], args


def test_real_process_output_has_no_control_bytes(tmp_path: Path, sessions_dir: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text(archive_text(), encoding="utf-8")
    base = [sys.executable, "-m", "facilitator", "--sessions", str(sessions_dir)]
    imp = subprocess.run([*base, "import", str(src)], capture_output=True, timeout=60)
    assert imp.returncode == 0, imp.stderr
    sid = imp.stdout.decode().split()[0]
    for args in (["show", sid], ["list"], ["people"], ["search", "zebra"]):
        r = subprocess.run([*base, *args], capture_output=True, timeout=60)
        assert r.returncode == 0, (args, r.stderr)
        raw = r.stdout + r.stderr
        assert forbidden(raw.decode("utf-8")) == [], args
        assert b"\x1b" not in raw


def test_only_toml_that_may_hold_a_control_is_walked_and_every_way_to_write_one_is_seen() -> None:
    """``toml_may_hold_controls`` lets a read skip cleaning every value: it must say yes for
    every control, written raw, escaped by our writer, or by any TOML escape."""
    import tomllib

    import tomli_w

    for code in range(0xA1):
        ch = chr(code)
        written = [tomli_w.dumps({"k": f"a{ch}b", f"key{ch}": "v"}), f'k = "\\u{code:04x}"\n',
                   f'k = "\\U{code:08x}"\n', f'k = """\n\\u{code:04X}\n"""\n']
        for text in written:
            values = tomllib.loads(text)
            if any(sanitize.has_controls(s) for kv in values.items() for s in kv):
                assert sanitize.toml_may_hold_controls(text), (code, text)
    for esc in ("\\b", "\\f", "\\r", "\\u001b", "\\U0000009b"):
        assert sanitize.toml_may_hold_controls(f'k = "a{esc}b"\n'), esc
    assert not sanitize.toml_may_hold_controls('k = "a\\tb\\n\\"c\\\\"\nnotes = """\nline\r\nline\n"""\n')
