"""The directory listing the index trusts (facilitator.listing), its forked half, and the
warm reads' code that does without re and pathlib (each checked against what it replaces)."""

from __future__ import annotations

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


@pytest.fixture
def forking(monkeypatch) -> list[int]:
    """The fork path taken whatever the machine's load and this process's threads (pytest's
    own); the pids of the children forked."""
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(listing, "SHARE_FROM", 2)
    monkeypatch.setattr(listing, "_idle_core", lambda: True)
    monkeypatch.setattr(listing, "_fork_refused", lambda: False)
    monkeypatch.setattr(listing.os, "fork", fork)
    listing.share_stats()
    yield forked
    listing.share_stats(False)


def _serial(root: Path) -> listing.Listing:
    was = listing._sharing
    listing.share_stats(False)
    try:
        return listing.list_dir(str(root))
    finally:
        listing.share_stats(was)


def _same(a: listing.Listing, b: listing.Listing) -> None:
    assert (a.names, a.stats, a.key, a.unlisted) == (b.names, b.stats, b.key, b.unlisted)


def test_forked_listing_is_the_serial_one_and_sees_an_in_place_edit(sessions_dir: Path, forking: list[int]) -> None:
    write_sessions(sessions_dir, 9, seeds=1)
    (sessions_dir / "notes.txt").write_text("no session", encoding="utf-8")
    (sessions_dir / ".hidden.toml").write_text("", encoding="utf-8")
    first = listing.list_dir(str(sessions_dir))
    assert len(forking) == 1
    _same(first, _serial(sessions_dir))
    assert len(first.names) == 9 and first.key

    # Rewritten in place: same name, size and inode, same directory mtime; only the
    # file's own mtime moves. The half the child stats and the half the parent stats.
    for name in (first.names[0], first.names[-1]):
        target = sessions_dir / name
        before = target.stat()
        dir_mtime = sessions_dir.stat().st_mtime_ns
        with open(target, "r+b") as f:
            f.write(f.read(1))
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000))
        assert target.stat().st_size == before.st_size and sessions_dir.stat().st_mtime_ns == dir_mtime
        again = listing.list_dir(str(sessions_dir))
        assert again.key != first.key
        assert again.on_disk[name][0] == before.st_mtime_ns + 1_000
        _same(again, _serial(sessions_dir))
        first = again
    assert len(forking) == 3


def test_forked_listing_falls_back_to_the_serial_one(sessions_dir: Path, forking: list[int], monkeypatch) -> None:
    write_sessions(sessions_dir, 6, seeds=1)
    want = _serial(sessions_dir)
    parent = os.getpid()
    real_stats = listing._stats

    def stats_failing_in_the_child(names, fd):
        if os.getpid() != parent:
            raise FileNotFoundError("vanished meanwhile")
        return real_stats(names, fd)

    monkeypatch.setattr(listing, "_stats", stats_failing_in_the_child)
    _same(listing.list_dir(str(sessions_dir)), want)  # the child sent nothing: stat-ed here
    assert len(forking) == 1

    def no_fork() -> int:
        raise OSError("cannot fork")

    monkeypatch.setattr(listing, "_stats", real_stats)
    monkeypatch.setattr(listing.os, "fork", no_fork)
    _same(listing.list_dir(str(sessions_dir)), want)

    # A name that cannot be stat-ed (a dangling link, in the child's half) sends the
    # listing entry by entry, as without a child: the link is no session file.
    monkeypatch.undo()
    (sessions_dir / "zz-ghost.toml").symlink_to(sessions_dir / "nowhere")
    got = listing.list_dir(str(sessions_dir))
    _same(got, _serial(sessions_dir))
    assert got.names == want.names


def test_no_fork_when_it_cannot_pay(sessions_dir: Path, forking: list[int], monkeypatch) -> None:
    write_sessions(sessions_dir, 3, seeds=1)
    monkeypatch.setattr(listing, "SHARE_FROM", 4)  # too few names
    listing.list_dir(str(sessions_dir))
    monkeypatch.setattr(listing, "SHARE_FROM", 2)
    monkeypatch.setattr(listing, "_idle_core", lambda: False)  # a busy machine
    listing.list_dir(str(sessions_dir))
    monkeypatch.setattr(listing, "_idle_core", lambda: True)
    monkeypatch.setattr(listing, "_fork_refused", lambda: True)  # threads (the app)
    listing.list_dir(str(sessions_dir))
    listing.share_stats(False)
    monkeypatch.setattr(listing, "_fork_refused", lambda: False)
    listing.list_dir(str(sessions_dir))  # not asked for
    assert forking == []


def test_a_cli_read_shares_its_listing_and_still_sees_a_hand_edit(sessions_dir: Path, forking: list[int]) -> None:
    """Through the CLI (as a warm run does it): the edit is found, and sharing is turned
    off again when the command ends."""
    listing.share_stats(False)
    write_sessions(sessions_dir, 5, seeds=1)
    rc, out, _ = run_cli("--sessions", sessions_dir, "search", "governance")
    assert rc == 0 and "quokkas" not in out
    index.forget(sessions_dir)
    assert forking and not listing._sharing
    target = sessions_dir / "2030-01-06.toml"
    text = target.read_text(encoding="utf-8")
    assert "governance" in text
    before = target.stat()
    with open(target, "r+", encoding="utf-8") as f:  # in place, same size
        f.write(text.replace("governance", "quokkasxyz", 1))
    assert target.stat().st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000))
    n = len(forking)
    rc, out, _ = run_cli("--sessions", sessions_dir, "search", "quokkas")
    assert rc == 0 and "2030-01-06" in out
    assert len(forking) == n + 1
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
