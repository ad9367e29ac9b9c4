"""Inserting a meeting into a yearly archive: its place, replacement, bytes kept, atomic write."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import archive
from facilitator.archive import archive_session, insert_meeting
from facilitator.markdown import mdformat_text, parse_document
from facilitator.model import Session
from facilitator.templates import get_template, new_session

FIXTURES = Path(__file__).parent / "fixtures"
SEED = (FIXTURES / "000_bdb6fac8645dbeec.txt").read_text(encoding="utf-8")
CAFE = get_template("collab-cafe")


def meeting(date: str, note: str = "") -> Session:
    s = new_session(CAFE, date, date)
    s.cancelled = note or f"Notes of {date}."
    s.sections = []
    return s


def section(date: str, note: str = "") -> str:
    return f"## {date}\n\n{note or f'Notes of {date}.'}\n"


def test_new_file_gets_h1() -> None:
    r = insert_meeting(None, meeting("2025-01-21"))
    assert r.action == "created"
    assert r.text == "# 2025 Collaboration Cafe Notes Archive\n\n" + section("2025-01-21")
    assert insert_meeting("  \n", meeting("2025-01-21")).action == "created"


def test_newest_first_with_month_only_headings() -> None:
    existing = "# 2024 Collaboration Cafe Notes Archive\n\n" + "\n".join(
        section(d) for d in ["2024-11-19", "2024-06", "2024-04", "2024-01-16"]
    )
    cases = {
        "2024-12-17": 0,  # newest: top
        "2024-07-16": 1,  # after 11-19, before the month-only June
        "2024-06-18": 1,  # a day in June sorts after the month-only "2024-06"
        "2024-05-21": 2,
        "2024-01-02": 4,  # oldest: last
    }
    for date, position in cases.items():
        r = insert_meeting(existing, meeting(date))
        assert r.action == "inserted", date
        dates = [ln[3:] for ln in r.text.split("\n") if ln.startswith("## ")]
        assert dates.index(date) == position, (date, dates)
        assert r.text.count(f"## {date}") == 1
        # Every other byte is unchanged: the old file with the section spliced in.
        following = [d for d in ["2024-11-19", "2024-06", "2024-04", "2024-01-16"]][position:]
        if following:
            pos = existing.index(f"## {following[0]}")
            assert r.text == existing[:pos] + section(date) + "\n" + existing[pos:], date
        else:
            assert r.text == existing + "\n" + section(date), date
        assert r.text == mdformat_text(r.text)


def test_replace_same_date_touches_only_that_section() -> None:
    existing = mdformat_text(SEED)
    s = parse_document(SEED).sessions[2]  # 2024-09-17
    s.sections[1].entries.append("A new shout-out")
    r = insert_meeting(existing, s)
    assert r.action == "replaced"
    head = existing.index("## 2024-09-17")
    tail = existing.index("## 2024-08-20")
    assert r.text[:head] == existing[:head]
    new_tail = r.text.index("## 2024-08-20")
    assert r.text[new_tail:] == existing[tail:]
    assert "- A new shout-out\n" in r.text[head:new_tail]
    assert r.text.count("## 2024-09-17") == 1


def test_same_meeting_again_is_unchanged() -> None:
    existing = mdformat_text(SEED)
    for s in parse_document(SEED).sessions:
        r = insert_meeting(existing, s)
        assert (r.action, r.text) == ("unchanged", existing), s.date


def test_crlf_archive_keeps_crlf() -> None:
    existing = mdformat_text(SEED).replace("\n", "\r\n")
    r = insert_meeting(existing, meeting("2024-12-17"))
    assert r.action == "inserted"
    assert "\n" not in r.text.replace("\r\n", "")
    assert r.text.endswith(existing[existing.index("## 2024-11-19") :])
    assert r.text.startswith(existing[: existing.index("## 2024-11-19")] + "## 2024-12-17\r\n\r\n")
    again = insert_meeting(r.text, meeting("2024-12-17"))
    assert again.action == "unchanged"


def test_last_meeting_without_final_newline() -> None:
    existing = "# 2024 Collaboration Cafe Notes Archive\n\n## 2024-01-16\n\nOld."
    r = insert_meeting(existing, meeting("2024-01-16", "New."))
    assert (r.action, r.text) == ("replaced", "# 2024 Collaboration Cafe Notes Archive\n\n## 2024-01-16\n\nNew.\n")
    r = insert_meeting(existing, meeting("2023-12-19"))
    assert r.text.startswith(existing + "\n\n## 2023-12-19")


def test_h1_only_file_and_fenced_dates() -> None:
    r = insert_meeting("# 2024 Collaboration Cafe Notes Archive\n", meeting("2024-03-19"))
    assert r.text == "# 2024 Collaboration Cafe Notes Archive\n\n" + section("2024-03-19")
    fenced = "# A\n\n## 2024-05-01\n\n```\n## 2024-09-01\n```\n"
    r = insert_meeting(fenced, meeting("2024-06-01"))
    assert r.text.index("## 2024-06-01") < r.text.index("## 2024-05-01")
    assert r.text.endswith("```\n## 2024-09-01\n```\n")


def test_document_session_goes_in_under_its_date() -> None:
    doc = parse_document((FIXTURES / "002_4721616f919f1076.txt").read_text(encoding="utf-8"))
    (s,) = doc.sessions
    md = archive.archive_markdown(s)
    assert md.startswith(f"## {s.date}\n\n## Meeting details")
    assert "title: September 2019" not in md  # front matter stays with the document
    r = insert_meeting(None, s, get_template("hackmd-2019"))
    assert r.text.startswith("# 2019 Team Meeting Notes\n\n## 2019-08-15\n")


def test_archive_session_writes_atomically(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "2024.md"
    r = archive_session(meeting("2024-02-20"), path)
    assert r.action == "created" and path.read_text(encoding="utf-8") == r.text
    r = archive_session(meeting("2024-03-19"), path)
    assert r.action == "inserted"
    before = path.stat().st_mtime_ns
    r = archive_session(meeting("2024-03-19"), path)
    assert r.action == "unchanged" and path.stat().st_mtime_ns == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["2024.md"]  # no temp files left


def test_archive_session_failure_keeps_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "2024.md"
    archive_session(meeting("2024-02-20"), path)
    before = path.read_bytes()

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    import os

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(archive.ArchiveError, match="No space left"):
        archive_session(meeting("2024-03-19"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["2024.md"]


@pytest.mark.parametrize("content, needle", [(b"\x00\x01", "not a text file"), (b"caf\xe9", "not UTF-8")])
def test_unreadable_archive(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "2024.md"
    path.write_bytes(content)
    with pytest.raises(archive.ArchiveError, match=needle):
        archive_session(meeting("2024-03-19"), path)
    assert path.read_bytes() == content


OTHER_TEAM = "# September 14, 2021\n\nHost: Ana\n\n\n\n# August 31, 2021\n\nHost: Ben\n"


def test_a_yearly_files_own_headings_stay_when_its_meetings_go_back_in() -> None:
    """``# September 14, 2021`` meetings (one H1 each) go back under their own heading, with
    the file's own spacing; a new meeting in the same file is written at its level only
    when it came from such a file, else under ``## date``."""
    first, second = parse_document(OTHER_TEAM, template="plain-notes").sessions
    assert (first.level, first.form, first.date) == (1, "yearly", "2021-09-14")
    for s in (first, second):
        r = insert_meeting(OTHER_TEAM, s, get_template("plain-notes"))
        assert (r.action, r.text) == ("unchanged", OTHER_TEAM)
    first.cancelled, first.sections = "No call: holiday.", []
    r = insert_meeting(OTHER_TEAM, first, get_template("plain-notes"))
    assert r.action == "replaced"
    assert r.text.startswith("# September 14, 2021\n") and r.text.endswith("holiday.\n\n\n\n# August 31, 2021\n\nHost: Ben\n")
    fresh = meeting("2021-10-05")
    r = insert_meeting(OTHER_TEAM, fresh)
    assert r.text.startswith("## 2021-10-05\n\nNotes of 2021-10-05.\n\n# September 14, 2021\n")
    assert archive.archive_markdown(first).startswith("## 2021-09-14\n")  # show: the archive form


def test_two_meetings_on_one_day_each_replace_their_own() -> None:
    text = "## November 6 - triage\n\nTriage notes.\n\n## November 6 - update\n\nUpdate notes.\n"
    doc = parse_document(text, template="plain-notes", path="notes/2019/meeting-notes.md")
    assert [s.date for s in doc.sessions] == ["2019-11-06", "2019-11-06"]
    for s in doc.sessions:
        assert insert_meeting(text, s, get_template("plain-notes"), "notes/2019/meeting-notes.md").action == "unchanged"


def test_the_archives_path_settles_its_headings_dates() -> None:
    """``## Monday, 10 May`` in ``2021/minutes.md``: a new meeting goes in date order, which
    it could not without the path's year; an ambiguous ``03.04.21`` is still found by its heading."""
    text = "# Minutes\n\n## Monday, 10 May\n\nTen.\n\n## Monday, 3 May\n\nThree.\n"
    r = insert_meeting(text, meeting("2021-05-05"), CAFE, "team/2021/minutes.md")
    assert r.text.index("## 2021-05-05") > r.text.index("## Monday, 10 May")
    assert r.text.index("## 2021-05-05") < r.text.index("## Monday, 3 May")
    assert insert_meeting(text, meeting("2021-05-05"), CAFE).text.endswith("## 2021-05-05\n\nNotes of 2021-05-05.\n")
    board = "## 03.04.21 Meeting Minutes\n\nOne.\n\n## 03.05.21 Meeting Minutes\n\nTwo.\n"
    for s in parse_document(board, template="plain-notes").sessions:
        s.date = "2021-03-04"  # what --date gives both
        assert insert_meeting(board, s, get_template("plain-notes"), "2021-board.md").action == "unchanged"
