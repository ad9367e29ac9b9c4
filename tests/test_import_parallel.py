"""A big archive is read by two processes (a fork parses the second half): the same
sessions, problems, progress and files as when read by one, and the same when the fork
cannot start or its child fails."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from facilitator import importer, markdown
from facilitator.store import SessionStore, dumps_session

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is Linux-only")

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"


def archive_text() -> str:
    """The fixtures' yearly archives, twice (years moved on)."""
    parts = []
    for k in range(2):
        for path in sorted(ARCHIVES.glob("collab-cafe-*.md")):
            text = path.read_text(encoding="utf-8")
            parts.append(re.sub(r"\b20(2\d)\b", lambda m: str(2010 + int(m.group(1)) + 4 * k), text))
    return "\n\n".join(parts)


def _item_ids_aside(text: str) -> str:  # agenda items get random ids on every parse
    return re.sub(r'id = "[0-9a-f]{10}"', "", text)


def parsed(monkeypatch, fork: bool) -> tuple[list[str], dict[int, str], list[tuple[int, int]]]:
    monkeypatch.setattr(markdown, "_can_fork", lambda: fork)
    monkeypatch.setattr(markdown, "PARALLEL_MEETINGS", 2)
    monkeypatch.setattr(markdown, "PARALLEL_LINES", 10)
    progress: list[tuple[int, int]] = []
    doc = markdown.parse_document(archive_text(), source="big.md", on_meeting=lambda d, t: progress.append((d, t)))
    for n, s in enumerate(doc.sessions):
        s.id = f"s{n}"
    return [_item_ids_aside(dumps_session(s)) for s in doc.sessions], doc.date_problems, progress


def test_two_processes_read_an_archive_as_one_does(monkeypatch) -> None:
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    alone = parsed(monkeypatch, fork=False)
    monkeypatch.setattr(os, "fork", counted_fork)
    together = parsed(monkeypatch, fork=True)
    assert len(forks) == 1  # it did fork
    assert together == alone
    sessions, problems, progress = alone
    assert len(sessions) > 50 and not problems
    assert progress == [(k + 1, len(sessions)) for k in range(len(sessions))]


def test_a_failed_child_or_fork_leaves_the_parse_to_this_process(monkeypatch) -> None:
    alone = parsed(monkeypatch, fork=False)
    parent = os.getpid()
    real_meeting = markdown._meeting

    def dies_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real_meeting(*args, **kwargs)

    monkeypatch.setattr(markdown, "_meeting", dies_in_the_child)
    assert parsed(monkeypatch, fork=True) == alone

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parsed(monkeypatch, fork=True) == alone


def test_the_parent_never_forks_with_threads_running() -> None:
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not markdown._can_fork()
    finally:
        stop.set()
        t.join()


def test_an_import_read_by_two_processes_writes_the_same_files(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "big.md"
    source.write_text(archive_text(), encoding="utf-8")
    monkeypatch.setattr(markdown, "PARALLEL_MEETINGS", 2)
    monkeypatch.setattr(markdown, "PARALLEL_LINES", 10)
    out = {}
    for fork in (False, True):
        monkeypatch.setattr(markdown, "_can_fork", lambda fork=fork: fork)
        root = tmp_path / f"fork-{fork}"
        result = importer.import_file(SessionStore(root), source)
        out[fork] = (result.ids, {p.name: _item_ids_aside(p.read_text(encoding="utf-8")) for p in root.glob("*.toml")})
    assert out[True] == out[False] and len(out[True][0]) > 50
