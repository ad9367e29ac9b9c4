"""The directory listing the index trusts (facilitator.listing) and the
warm reads' code that does without re and pathlib (each checked against what it replaces)."""

from __future__ import annotations

import json
import json.encoder
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator import cli, index, listing, paths, sanitize, search
from tests.conftest import run_cli
from tests.many_sessions import write_sessions


def test_the_listing_sees_an_in_place_edit(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 9, seeds=1)
    (sessions_dir / "notes.txt").write_text("no session", encoding="utf-8")
    (sessions_dir / ".hidden.toml").write_text("", encoding="utf-8")
    first = listing.list_dir(str(sessions_dir))
    assert len(first.names) == 9 and first.key
    assert listing.list_dir(str(sessions_dir)).key == first.key

    # Rewritten in place: same name, size and inode, same directory mtime; only the
    # file's own mtime moves.
    for name in (first.names[0], first.names[-1]):
        target = sessions_dir / name
        before = target.stat()
        dir_mtime = sessions_dir.stat().st_mtime_ns
        with open(target, "r+b") as f:
            f.write(f.read(1))
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000))
        assert target.stat().st_size == before.st_size and sessions_dir.stat().st_mtime_ns == dir_mtime
        again = listing.list_dir(str(sessions_dir))
        assert again.key != first.key and again.names == first.names
        assert again.on_disk[name][0] == before.st_mtime_ns + 1_000
        first = again


def test_a_name_that_cannot_be_stated_lists_entry_by_entry(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 6, seeds=1)
    want = listing.list_dir(str(sessions_dir))
    # A dangling link: the one-stat-per-name pass fails, the entry-by-entry one skips it
    # (it is no session file) and keeps every other name and stat.
    (sessions_dir / "zz-ghost.toml").symlink_to(sessions_dir / "nowhere")
    got = listing.list_dir(str(sessions_dir))
    assert sorted(got.names) == sorted(want.names)
    assert dict(zip(got.names, got.stats)) == dict(zip(want.names, want.stats))


def _age(directory: Path, seconds: float = 3600) -> None:
    """Move the directory's mtime back: a stamp old enough to be kept."""
    st = directory.stat()
    os.utime(directory, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def _entry(root: Path, *argv: str) -> subprocess.CompletedProcess:
    """The ``facilitator`` command as installed (``cli.entry``), in a fresh interpreter."""
    code = f"import sys; sys.argv = ['facilitator', '--sessions', {str(root)!r}, *{list(argv)!r}]\n" \
           "from facilitator.cli import entry\nentry()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, stdin=subprocess.DEVNULL)


def test_an_unchanged_directory_reuses_the_kept_names(sessions_dir: Path, monkeypatch) -> None:
    write_sessions(sessions_dir, 6, seeds=1)
    _age(sessions_dir)
    first = listing.list_dir(str(sessions_dir))
    assert first.stamp
    kept = listing.known_names(first.names_row())
    assert kept == (first.stamp, first.names, listing.names_digest(first.names))

    def not_again(*args):
        raise AssertionError("listed or digested again")

    with monkeypatch.context() as m:
        m.setattr(listing, "_names", not_again)
        m.setattr(listing, "names_digest", not_again)  # the kept digest is used
        again = listing.list_dir(str(sessions_dir), kept)
    assert (again.names, again.stats, again.key) == (first.names, first.stats, first.key)
    # a row kept by an older version (no digest): the same key, the digest worked out
    old_row = f"{first.stamp}\n{'/'.join(first.names)}"
    assert listing.known_names(old_row) == (first.stamp, first.names, "")
    with monkeypatch.context() as m:
        m.setattr(listing, "_names", not_again)
        assert listing.list_dir(str(sessions_dir), listing.known_names(old_row)).key == first.key

    # A file added changes the directory's mtime: the kept names are not used.
    (sessions_dir / "2099-01-01.toml").write_bytes((sessions_dir / first.names[0]).read_bytes())
    added = listing.list_dir(str(sessions_dir), kept)
    assert "2099-01-01.toml" in added.names and added.key != first.key
    assert not added.stamp  # changed just now: too young to be kept


def test_a_kept_row_that_is_not_ours_is_ignored(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 3, seeds=1)
    for row in (None, b"", 42, "no newline", b"\nnames/without/a/stamp", "1:2:3 not-hex!\na.toml",
                "1:2:3 0123abc\na.toml", "1:2:3 0123ABCD\na.toml"):
        assert listing.known_names(row) is None
    assert listing.known_names("1:2:3\na.toml/b.toml") == ("1:2:3", ["a.toml", "b.toml"], "")
    assert listing.known_names("1:2:3 0123abcd\na.toml") == ("1:2:3", ["a.toml"], "0123abcd")
    # a damaged row in the index: the command lists the directory and answers
    assert _entry(sessions_dir, "list").returncode == 0
    import sqlite3

    db = sqlite3.connect(sessions_dir / index.INDEX_NAME)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('names', 12345)")
    db.commit()
    db.close()
    got = _entry(sessions_dir, "list")
    assert got.returncode == 0 and got.stdout.count(b"\n") == 3 and got.stderr == b""


def test_names_kept_without_a_digest_are_kept_again_with_one(sessions_dir: Path) -> None:
    """A row an older version kept (stamp and names, no digest) is written again with the
    names' digest at the next read, so later reads skip working it out."""
    write_sessions(sessions_dir, 4, seeds=1)
    try:
        assert run_cli("--sessions", sessions_dir, "list")[0] == 0  # built; the index stays open
        _age(sessions_dir)
        assert run_cli("--sessions", sessions_dir, "list")[0] == 0
        idx = index.index_for(sessions_dir)

        def kept_row() -> str:
            row = idx._run(lambda conn: conn.execute("SELECT value FROM meta WHERE key = 'names'").fetchone())
            return bytes(row[0]).decode()

        stamp, names, digest = listing.known_names(kept_row())
        assert digest == listing.names_digest(names)
        idx._run(lambda conn: conn.execute("UPDATE meta SET value = ? WHERE key = 'names'",
                                           (f"{stamp}\n{'/'.join(names)}".encode(),)))
        assert listing.known_names(kept_row())[2] == ""
        rc, out, err = run_cli("--sessions", sessions_dir, "list")
        assert rc == 0 and len(out.splitlines()) == 4 and err == ""
        assert listing.known_names(kept_row()) == (stamp, names, digest)
    finally:
        index.forget(sessions_dir)


def test_a_young_directory_stamp_is_not_kept(sessions_dir: Path) -> None:
    """A change later in the same timestamp tick would leave a young stamp as it is."""
    write_sessions(sessions_dir, 3, seeds=1)
    _age(sessions_dir, seconds=1)
    got = listing.list_dir(str(sessions_dir))
    assert got.stamp == ""
    # and a kept row whose stamp matches is not trusted either while the stamp is young
    st = sessions_dir.stat()
    forged = (f"{st.st_mtime_ns}:{st.st_ino}:{st.st_dev}", ["gone.toml"], "")
    assert listing.list_dir(str(sessions_dir), forged).names == got.names


def test_the_index_keeps_the_names_and_sees_a_new_file(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 5, seeds=1)
    assert _entry(sessions_dir, "list").returncode == 0
    _age(sessions_dir)
    assert _entry(sessions_dir, "list").returncode == 0
    import sqlite3

    db = sqlite3.connect(sessions_dir / index.INDEX_NAME)
    row = db.execute("SELECT value FROM meta WHERE key = 'names'").fetchone()
    db.close()
    stamp, names, digest = listing.known_names(row[0])
    assert stamp and sorted(names) == sorted(p.name for p in sessions_dir.glob("*.toml"))
    assert digest == listing.names_digest(names)
    # A session copied in: the directory changed, so it is listed and found.
    source = sessions_dir / names[0]
    text = source.read_text(encoding="utf-8")
    (sessions_dir / "2098-05-05.toml").write_text(text.replace(source.stem, "2098-05-05"), encoding="utf-8")
    got = _entry(sessions_dir, "list")
    assert got.returncode == 0 and b"2098-05-05" in got.stdout
    # and a file removed
    (sessions_dir / "2098-05-05.toml").unlink()
    got = _entry(sessions_dir, "list")
    assert got.returncode == 0 and b"2098-05-05" not in got.stdout


def test_a_read_command_exits_without_teardown_and_says_everything(sessions_dir: Path) -> None:
    """After a read, the command leaves without the interpreter's teardown: its whole
    output is there (more than a pipe holds), its exit status too, the index's log stays
    (the directory's mtime with it), and the next run reuses the names it kept."""
    write_sessions(sessions_dir, 200, seeds=2)
    assert _entry(sessions_dir, "list").returncode == 0  # the index built
    _age(sessions_dir)
    mtime = sessions_dir.stat().st_mtime_ns
    full = _entry(sessions_dir, "list", "--json")
    assert full.returncode == 0 and full.stderr == b""
    rows = json.loads(full.stdout)
    assert len(rows) == 200 and len(full.stdout) > 65536
    # the log stays, emptied: what the run wrote (the names it keeps) is in the index
    # file, and the next process has no log to read back
    assert (sessions_dir / (index.INDEX_NAME + "-wal")).stat().st_size == 0
    assert sessions_dir.stat().st_mtime_ns == mtime
    import sqlite3

    db = sqlite3.connect(sessions_dir / index.INDEX_NAME)
    row = db.execute("SELECT value FROM meta WHERE key = 'names'").fetchone()
    db.close()
    assert listing.known_names(row[0])[0].startswith(f"{mtime}:")
    # what the in-process command says, word for word
    rc, out, _ = run_cli("--sessions", sessions_dir, "list", "--json")
    index.forget(sessions_dir)
    assert rc == 0 and json.loads(out) == rows
    # a read that fails keeps its status and its message; a search with no hit too
    missing = _entry(sessions_dir, "stats", "1999-01-01")
    assert missing.returncode != 0 and b"1999-01-01" in missing.stderr
    rc, _, _ = run_cli("--sessions", sessions_dir, "search", "nosuchwordanywhere")
    index.forget(sessions_dir)
    assert _entry(sessions_dir, "search", "nosuchwordanywhere").returncode == rc


def test_a_read_into_a_closed_pipe_ends_quietly(sessions_dir: Path) -> None:
    write_sessions(sessions_dir, 40, seeds=2)
    code = f"import sys; sys.argv = ['facilitator', '--sessions', {str(sessions_dir)!r}, 'list', '--json']\n" \
           "from facilitator.cli import entry\nentry()\n"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # `facilitator list --json | head -c 10`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_a_cli_read_sees_a_hand_edit(sessions_dir: Path) -> None:
    """Through the CLI, as a warm run does it: an edit in place is found."""
    write_sessions(sessions_dir, 5, seeds=1)
    rc, out, _ = run_cli("--sessions", sessions_dir, "search", "governance")
    assert rc == 0 and "quokkas" not in out
    index.forget(sessions_dir)
    target = sessions_dir / "2030-01-06.toml"
    text = target.read_text(encoding="utf-8")
    assert "governance" in text
    before = target.stat()
    with open(target, "r+", encoding="utf-8") as f:  # in place, same size
        f.write(text.replace("governance", "quokkasxyz", 1))
    assert target.stat().st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000))
    rc, out, _ = run_cli("--sessions", sessions_dir, "search", "quokkas")
    assert rc == 0 and "2030-01-06" in out
    index.forget(sessions_dir)


def test_warm_reads_import_neither_re_nor_pathlib(tmp_path: Path) -> None:
    """What the warm ``search``, ``people``, ``list --json`` and ``stats`` import (a fresh
    interpreter, the index built and its kept values computed first): not re (with enum),
    not pathlib (with urllib.parse, ipaddress), not threading: ~8 ms of a ~60 ms run."""
    root = tmp_path / "s"
    write_sessions(root, 3, seeds=1)
    commands = [["search", "governance"], ["people"], ["list", "--json"], ["list"], ["stats"]]
    for argv in commands:
        assert run_cli("--sessions", root, *argv)[0] == 0
    index.forget(root)
    for argv in commands:
        code = (
            "import sys, os\n"
            "from facilitator import cli\n"
            "sys.stdout = open(os.devnull, 'w')\n"
            f"rc = cli.main(['--sessions', {str(root)!r}, *{argv!r}])\n"
            "bad = [m for m in ('re', 'pathlib', 'threading', 'json', 'enum', 'facilitator.paths') if m in sys.modules]\n"
            "assert rc == 0 and not bad, (rc, bad)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, (argv, proc.stderr)


# -- the code without re or pathlib, against what it replaces ---------------------------

TEXT = st.text(alphabet=st.sampled_from('ab_ "é1٣\u00a0\u2028-*\n\t.İß'), max_size=30)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_query_parsing_is_the_regular_expressions(query: str) -> None:
    def fts_by_re(q: str) -> str:
        parts = []
        for m in re.finditer(r'"([^"]*)"?|(\w+)', q):
            if m.group(1) is not None:
                words = re.findall(r"\w+", m.group(1))
                if len(words) == 1:
                    parts.append(f'"{words[0]}"*')
                elif words:
                    parts.append('"' + " ".join(words) + '"')
            elif m.group(2):
                parts.append(f'"{m.group(2)}"*')
        return " AND ".join(parts)

    assert index.fts_query(query) == fts_by_re(query)
    assert index.words_of(query) == re.findall(r"\w+", query)
    assert search.query_words(query) == [w.casefold() for w in re.findall(r"\w+", query)]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.text(alphabet=st.sampled_from("ab_é1"), min_size=1, max_size=3))
def test_a_words_start_is_the_regular_expressions(text: str, word: str) -> None:
    m = re.search(r"(?<!\w)" + re.escape(word), text)
    assert search.word_start(text, word) == (m.start() if m else -1)


def test_every_character_is_a_word_character_as_re_says() -> None:
    word = re.compile(r"\w")
    assert all(index.is_word_char(chr(c)) == (word.match(chr(c)) is not None) for c in range(sys.maxunicode + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab/.~é"), min_size=1, max_size=12))
def test_the_sessions_dir_as_text_is_the_paths(text: str) -> None:
    fast = cli._path_text(text)
    if fast is not None:
        assert fast == str(Path(text).expanduser())
    parts = [p for p in text.split("/") if p and p != "."]
    assert (fast is None) == (not text.startswith("/") and bool(parts) and parts[0].startswith("~"))  # Path's own then


def test_the_sessions_dir_is_resolved_as_paths_resolves_it(monkeypatch, tmp_path: Path) -> None:
    assert cli._SESSIONS_ENV == paths.SESSIONS_ENV
    for arg, env in (("a//b/./", None), (None, "./x/"), (None, None), ("~/s", None), ("", "/e")):
        if env is None:
            monkeypatch.delenv(paths.SESSIONS_ENV, raising=False)
        else:
            monkeypatch.setenv(paths.SESSIONS_ENV, env)
        assert str(cli._read_root(arg)) == str(paths.resolve_sessions_dir(arg)), (arg, env)


@pytest.mark.parametrize("text", ["/tmp/s/x", "/tmp/dé jà/x", 'a"b/x', "a\\b/x", "a\nb/x", "a\x7fb/x", "a\udc80/x", "\u2028/x"])
def test_the_directorys_json_text_is_the_encoders(text: str) -> None:
    assert cli._json_text(text) == json.encoder.encode_basestring(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "\r", "\n", "\t", "\x1b", "\x7f", "\x85", "é", "\u2028", " "]), max_size=40),
       st.sampled_from(["", "é" * 1100, "a" * 1100]))
def test_the_fast_check_is_the_policys_pattern(text: str, pad: str) -> None:
    """``has_controls`` (bytes for ASCII, a set for short text, one regex for long) and
    ``clean`` agree with the policy's own pattern, on short texts and long ones."""
    for t in (text, pad + text, text + pad):
        has = sanitize.CONTROL_RE.search(t) is not None
        assert sanitize.has_controls(t) == has, repr(t[-12:])
        assert sanitize.clean(t) == sanitize.CONTROL_RE.sub(sanitize._replace, t)
