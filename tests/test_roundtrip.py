"""Import -> store -> show/archive gives back the notes exactly as the community writes them.

Counts and sections are taken from the fixture text with plain regexes here, not from the
code under test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from facilitator.markdown import mdformat_text, render_session
from facilitator.store import SessionStore
from tests.test_cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "000_bdb6fac8645dbeec.txt"
ARCHIVES = sorted((FIXTURES / "archives").glob("collab-cafe-*.md"))
DATED = re.compile(r"^(#{1,6}) (\d{4}-\d{1,2}(?:-\d{1,2})?)\b")
FENCE = re.compile(r"^ {0,3}(```|~~~)")



def dated_headings(text: str) -> list[tuple[int, int, str]]:
    """(line number, level, date) of dated headings outside code fences, shallowest level only."""
    found, fence = [], False
    for n, line in enumerate(text.split("\n")):
        if FENCE.match(line):
            fence = not fence
            continue
        m = None if fence else DATED.match(line)
        if m:
            found.append((n, len(m.group(1)), m.group(2)))
    top = min((lvl for _, lvl, _ in found), default=0)
    return [f for f in found if f[1] == top]


def meeting_chunks(text: str) -> list[tuple[str, str]]:
    """(date, the meeting's own text from its heading to the next one)."""
    lines = text.split("\n")
    heads = dated_headings(text)
    out = []
    for k, (n, _lvl, date) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        out.append((date, "\n".join(lines[n:end]).rstrip("\n") + "\n"))
    return out


def count_people_and_items(chunk: str) -> tuple[int, int]:
    """Bullets under the check-in heading; top-level bullets under an agenda heading."""
    people = items = 0
    where = ""
    for line in chunk.split("\n"):
        h = re.match(r"^#{2,6} (.*)", line)
        if h:
            title = h.group(1).lower()
            where = "checkin" if "check-in" in title else "agenda" if "agenda" in title else ""
            continue
        if where == "checkin" and re.match(r"^[-*] \S", line):
            people += 1
        elif where == "agenda" and re.match(r"^[-*] \S", line):
            items += 1
    return people, items


def import_file(sessions_dir: Path, path: Path, *extra: str) -> list[str]:
    rc, out, err = run_cli("--sessions", sessions_dir, "import", path, *extra)
    assert rc == 0, err
    assert "Traceback" not in err
    return out.split()


def show(sessions_dir: Path, sid: str) -> str:
    rc, out, err = run_cli("--sessions", sessions_dir, "show", sid)
    assert rc == 0, err
    return out


# -- seed 000: the 2024 Collaboration Cafe archive ----------------------------------


def test_seed_000_imports_eleven_meetings_with_their_counts(sessions_dir: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    chunks = meeting_chunks(text)
    assert len(chunks) == 11
    ids = import_file(sessions_dir, SEED)
    assert ids == [date for date, _ in chunks]  # ids are the dates, newest first as in the file
    st = SessionStore(sessions_dir)
    for sid, (date, chunk) in zip(ids, chunks):
        s = st.load(sid)
        people, items = count_people_and_items(chunk)
        assert (s.date, len(s.attendees), len(s.agenda_items)) == (date, people, items), sid
        assert s.template == "collab-cafe" and s.source == SEED.name
        if people == 0 and items == 0:
            assert s.status == "cancelled" and s.cancelled
    # Sanity of the independent count itself: the busiest meeting has 9 people.
    assert max(count_people_and_items(c)[0] for _, c in chunks) == 9


def test_seed_000_show_equals_each_section(sessions_dir: Path) -> None:
    ids = import_file(sessions_dir, SEED)
    chunks = meeting_chunks(SEED.read_text(encoding="utf-8"))
    for sid, (_date, chunk) in zip(ids, chunks):
        assert show(sessions_dir, sid) == mdformat_text(chunk), sid


def test_seed_000_archived_oldest_first_rebuilds_the_file(sessions_dir: Path, tmp_path: Path) -> None:
    ids = import_file(sessions_dir, SEED)
    into = tmp_path / "2024.md"
    actions = []
    for sid in reversed(ids):
        rc, out, err = run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)
        assert rc == 0, err
        actions.append(out.split()[0])
    assert actions == ["created"] + ["inserted"] * 10
    assert into.read_text(encoding="utf-8") == mdformat_text(SEED.read_text(encoding="utf-8"))


def test_archiving_twice_is_byte_identical(sessions_dir: Path, tmp_path: Path) -> None:
    ids = import_file(sessions_dir, SEED)
    into = tmp_path / "2024.md"
    for sid in reversed(ids):
        run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)
    before = into.read_bytes()
    for sid in ids:
        rc, out, _ = run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)
        assert (rc, out) == (0, f"unchanged {into}\n")
    assert into.read_bytes() == before


def test_reimport_replaces_instead_of_duplicating(sessions_dir: Path) -> None:
    first = import_file(sessions_dir, SEED)
    st = SessionStore(sessions_dir)
    s = st.load("2024-09-17")
    s.archived_in = "docs/meetings/collab-cafe/2024.md"
    st.save(s)
    second = import_file(sessions_dir, SEED)
    assert second == first
    assert sorted(p.stem for p in sessions_dir.glob("*.toml")) == sorted(first)
    assert st.load("2024-09-17").archived_in == "docs/meetings/collab-cafe/2024.md"
    # Another file with the same dates is another source: its own ids.
    other = sessions_dir.parent / "copy.md"
    other.write_bytes(SEED.read_bytes())
    third = import_file(sessions_dir, other)
    assert third == [f"{sid}-2" for sid in first]


# -- seeds 001-004 through their templates --------------------------------------------


@pytest.mark.parametrize(
    "name, template",
    [
        ("001_87ce458b057cddb2.txt", "hackmd-team-meeting"),
        ("002_4721616f919f1076.txt", "hackmd-2019"),
        ("003_4c7ff7206a3ab2ba.txt", "monthly-report"),
    ],
)
def test_document_seeds_round_trip(sessions_dir: Path, name: str, template: str) -> None:
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    assert dated_headings(text) == []
    ids = import_file(sessions_dir, path)
    assert len(ids) == 1
    s = SessionStore(sessions_dir).load(ids[0])
    assert s.template == template
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.date)
    assert ids[0] == s.date
    rc, exported, _ = run_cli("--sessions", sessions_dir, "export", ids[0])
    # These HackMD documents are not mdformat-formatted, and their templates say so: the
    # export is the file as typed, byte for byte (front matter (002), setext rules, `*`
    # bullets, spacing); mdformat would have changed each of them.
    front = re.match(r"\A(?:---\n.*?\n---\n\n*)?", text, flags=re.S).group(0)  # type: ignore[union-attr]
    assert s.front_matter == front
    assert exported == text == render_session(s)
    assert mdformat_text(text[len(front):]) != text[len(front):]
    # In a yearly archive the document goes under its date, its body unchanged; its front
    # matter (002) is document metadata and stays out of the archive.
    body = re.sub(r"\A---\n.*?\n---\n\n*", "", text, flags=re.S)
    body = re.sub(r"(?m)^# .*$", f"## {s.date}", body, count=1)
    assert show(sessions_dir, ids[0]) == body.rstrip("\n") + "\n"  # a section ends its line


def test_document_seed_dates_come_from_their_date_lines(sessions_dir: Path) -> None:
    got = {}
    for name in ("001_87ce458b057cddb2.txt", "002_4721616f919f1076.txt", "003_4c7ff7206a3ab2ba.txt"):
        (sid,) = import_file(sessions_dir, FIXTURES / name)
        got[name[:3]] = SessionStore(sessions_dir).load(sid).date
    # "**Date:** Tuesday 19th July 2022"; "**Date:** Thursday, August 15" (+ 2019 in the title);
    # "#### Opening Date: 01 Jan 2018".
    assert got == {"001": "2022-07-19", "002": "2019-08-15", "003": "2018-01-01"}


def test_seed_004_two_meetings_round_trip(sessions_dir: Path, tmp_path: Path) -> None:
    path = FIXTURES / "004_e7f4ffb5bf34f5b9.txt"
    text = path.read_text(encoding="utf-8")
    chunks = meeting_chunks(text)
    ids = import_file(sessions_dir, path)
    assert ids == [d for d, _ in chunks] == ["2022-02", "2022-01-04"]
    st = SessionStore(sessions_dir)
    assert st.load("2022-01-04").roles == {
        "facilitator": "@choldgraf", "timekeeper": "@choldgraf", "recorder": "@choldgraf",
    }
    for sid, (_d, chunk) in zip(ids, chunks):
        assert st.load(sid).template == "2i2c"
        assert show(sessions_dir, sid) == mdformat_text(chunk)
    into = tmp_path / "2022.md"
    for sid in reversed(ids):
        assert run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)[0] == 0
    assert into.read_text(encoding="utf-8") == mdformat_text(text)


# -- the community's real archives ------------------------------------------------------


def words(text: str) -> Counter:
    return Counter(text.split())


@pytest.mark.parametrize("path", ARCHIVES, ids=lambda p: p.name)
def test_real_archive_imports_every_meeting_and_loses_no_word(sessions_dir: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    heads = dated_headings(text)
    assert heads, "fixture has dated headings"
    ids = import_file(sessions_dir, path)
    assert len(ids) == len(heads)
    st = SessionStore(sessions_dir)
    assert [st.load(i).date for i in ids] == [d for _, _, d in heads]
    lines = text.split("\n")
    first = heads[0][0]
    h1 = next(ln for ln in lines[:first] if ln.startswith("# "))
    preamble = "\n".join(ln for ln in lines[:first] if ln != h1)
    rebuilt = "\n".join([h1, preamble] + [show(sessions_dir, i) for i in ids])
    missing = words(mdformat_text(text)) - words(rebuilt)
    assert not missing, missing.most_common(10)


@pytest.mark.parametrize("path", ARCHIVES, ids=lambda p: p.name)
def test_real_archive_rebuilds_exactly(sessions_dir: Path, tmp_path: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ids = import_file(sessions_dir, path)
    into = tmp_path / "archive.md"
    for sid in reversed(ids):
        assert run_cli("--sessions", sessions_dir, "archive", sid, "--into", into)[0] == 0
    # The file's own H1 and preamble come from the template; the meetings are all ours.
    rebuilt = into.read_text(encoding="utf-8")
    first_meeting = mdformat_text(text).index("\n## ") + 1
    assert rebuilt[rebuilt.index("\n## ") + 1 :] == mdformat_text(text)[first_meeting:]
