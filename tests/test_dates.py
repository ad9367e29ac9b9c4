"""Dates as other teams write them: splitting yearly files and dating one-meeting documents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from facilitator import dates, splitting
from facilitator.markdown import parse_document, render_session, template_for
from facilitator.store import SessionStore


def _dates(text: str, path: str = "") -> list[str]:
    return [s.date for s in parse_document(text, path=path).sessions]


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("## 2 May 2023", "## 16 May 2023", ["2023-05-02", "2023-05-16"]),
        ("## 2025 December 16", "## 2025 December 2", ["2025-12-16", "2025-12-02"]),
        ("## Dec 1st 2021", "## Nov 17th 2021", ["2021-12-01", "2021-11-17"]),
        ("## March 23 2023", "## March 9 2023", ["2023-03-23", "2023-03-09"]),
        ("# September 14, 2021", "# August 31, 2021", ["2021-09-14", "2021-08-31"]),
        ("## 12.30.20 Meeting Minutes", "## 12.16.20 Meeting Minutes", ["2020-12-30", "2020-12-16"]),
        ("## 6, 13, & 26 March 2025", "## 20 February 2025", ["2025-03-06", "2025-02-20"]),
    ],
)
def test_multi_meeting_files_split_at_dated_headings(first: str, second: str, expected: list[str]) -> None:
    text = f"# Team meeting notes\n\n{first}\n\n- one thing\n\n{second}\n\n- another thing\n"
    doc = parse_document(text)
    assert [s.date for s in doc.sessions] == expected
    assert [s.heading for s in doc.sessions] == [first.lstrip("# "), second.lstrip("# ")]


def test_month_headings_take_the_year_heading_above() -> None:
    text = "# 2022\n\n## April\n\n- spring\n\n## March\n\n- thaw\n\n# 2021\n\n## December\n\n- snow\n"
    assert _dates(text) == ["2022-04", "2022-03", "2021-12"]


def test_dated_sub_headings_do_not_split_a_meeting() -> None:
    text = (
        "# Notes\n\n## 2 May 2023\n\n### Follow-up from 18 April 2023\n\n- x\n\n"
        "## 16 May 2023\n\n- y\n\n## 30 May 2023\n\n- z\n"
    )
    assert _dates(text) == ["2023-05-02", "2023-05-16", "2023-05-30"]


def test_labelled_dates_in_headings_are_not_meetings() -> None:
    text = "# Report\n\n#### Opening Date: 01 Jan 2018\n\n#### Next meeting: February 8, 2018\n\n- x\n"
    doc = parse_document(text)
    assert len(doc.sessions) == 1
    assert doc.sessions[0].date == "2018-01-01"


@pytest.mark.parametrize(
    "text, path, expected",
    [
        ("# Community call\n\nDate: 2023-09-29\n\n## Notes\n\n- x\n", "notes.md", "2023-09-29"),
        ("# Community call, March 23 2023\n\n## Notes\n\n- x\n", "notes.md", "2023-03-23"),
        ("---\ntitle: Sync\ndate: 2024-02-06\n---\n\n# Sync\n\n- x\n", "sync.md", "2024-02-06"),
        ("+++\ntitle = \"Sync\"\ndate = 2024-02-07\n+++\n\n# Sync\n\n- x\n", "sync.md", "2024-02-07"),
        ("# Sync\n\n- x\n", "meetings/2023-11-21.md", "2023-11-21"),
        ("# Sync\n\n- x\n", "notes/2021/01-26.md", "2021-01-26"),
        ("# Sync\n\n- x\n", "20250114-community/index.md", "2025-01-14"),
    ],
)
def test_one_meeting_document_date(text: str, path: str, expected: str) -> None:
    assert _dates(text, path) == [expected]


def test_dateutil_never_invents_dates_from_bare_numbers() -> None:
    assert dates.find_date("Item 3 of 12, 45 minutes") is None
    assert dates.find_date("Release 1.26 is out") is None
    assert _dates("# Sync\n\n- 3 items, 12 people\n", "notes/sync.md") == [""]


@pytest.mark.parametrize(
    ("text", "heading", "expected"),
    [
        ("April", True, (None, 4, None)),
        ("**Sept.**", True, (None, 9, None)),
        ("April", False, None),  # in prose a month name is a word
        ("Mayday planning", True, None),
        ("Agenda and notes", True, None),
        ("Thursday, August 15", False, (None, 8, 15)),
    ],
)
def test_lines_without_digits_skip_dateutil_but_read_the_same(
    text: str, heading: bool, expected: tuple[int | None, ...] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dates.find_date.cache_clear()
    dates._month_number.cache_clear()
    calls: list[str] = []
    real = dates._dateutil_day
    monkeypatch.setattr(dates, "_dateutil_day", lambda span, year: calls.append(span) or real(span, year))
    found = dates.find_date(text, heading=heading)
    got = (found.year, found.month, found.day) if found else None
    assert got == expected
    if not any(ch.isdigit() for ch in text) and expected is None:
        assert calls == []  # the pre-filter answered without dateutil
    assert dates.find_date(text, heading=heading) is found  # asked again: the same answer, not re-read
    dates.find_date.cache_clear()


def test_ambiguous_numeric_date_decided_by_the_other_dates_of_the_file() -> None:
    # 13.04.21 can only be day-first, so 03.04.21 is 3 April too
    text = "# Minutes\n\n## 13.04.21\n\n- a\n\n## 03.04.21\n\n- b\n"
    assert _dates(text) == ["2021-04-13", "2021-04-03"]
    text = "# Minutes\n\n## 04.13.21\n\n- a\n\n## 03.04.21\n\n- b\n"
    assert _dates(text) == ["2021-04-13", "2021-03-04"]


def test_ambiguous_numeric_date_alone_is_reported() -> None:
    doc = parse_document("# Minutes\n\n## 03.04.21\n\n- a\n\n## 03.05.21\n\n- b\n")
    assert [s.date for s in doc.sessions] == ["", ""]
    assert "ambiguous" in doc.date_problems[0]
    assert "2021-03-04" in doc.date_problems[0] and "2021-04-03" in doc.date_problems[0]


def test_front_matter_split_is_byte_exact() -> None:
    text = "---\ntitle: x\ndate: 2024-01-01\n---\n\n# T\n"
    front, rest = splitting.split_front_matter(text)
    assert front + rest == text
    assert front == "---\ntitle: x\ndate: 2024-01-01\n---\n\n"
    assert splitting.split_front_matter("---\nno end\n") == ("", "---\nno end\n")


# -- the importer: no date from today or mtime, --date supplies it ---------------------


def test_import_refuses_a_dateless_meeting_and_saves_nothing(tmp_path: Path) -> None:
    from facilitator.importer import ImportFailed, import_file

    f = tmp_path / "sync.md"
    f.write_text("# Sync\n\n- talk\n", encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    with pytest.raises(ImportFailed) as err:
        import_file(st, f)
    assert "meeting 1 of 1 ('Sync'): no date found" in str(err.value)
    assert "--date" in str(err.value)
    assert list(st.load_all()) == []
    result = import_file(st, f, date="2024-03-05")
    assert [st.load(i).date for i in result.ids] == ["2024-03-05"]


def test_import_date_from_the_path(tmp_path: Path) -> None:
    from facilitator.importer import import_file

    d = tmp_path / "20250114-community"
    d.mkdir()
    f = d / "index.md"
    f.write_text("# Community call\n\n- talk\n", encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    result = import_file(st, f)
    assert [st.load(i).date for i in result.ids] == ["2025-01-14"]


def test_cli_import_date_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from facilitator.cli import main

    f = tmp_path / "sync.md"
    f.write_text("# Sync\n\n- talk\n", encoding="utf-8")
    sessions = str(tmp_path / "s")
    assert main(["--sessions", sessions, "import", str(f)]) != 0
    err = capsys.readouterr().err
    assert "no date found" in err and "--date YYYY-MM-DD" in err
    assert main(["--sessions", sessions, "import", str(f), "--date", "31-12-2024"]) != 0
    assert "not a day" in capsys.readouterr().err
    assert main(["--sessions", sessions, "import", str(f), "--date", "2024-12-31"]) == 0
    assert capsys.readouterr().out.strip().startswith("2024-12-31")


# -- shapes the corpus (tests/fixtures/corpus) showed ------------------------------------


def test_setext_dated_headings_split_a_yearly_file() -> None:
    text = "Team notes\n==========\n\nOct 8, 2019\n-----------\n\n- a\n\nAug 27, 2019\n------------\n\n- b\n"
    doc = parse_document(text)
    assert [s.date for s in doc.sessions] == ["2019-10-08", "2019-08-27"]
    typed = replace(template_for(doc.sessions[0].template), mdformat=False)
    # The underline is the heading's, not a rule: the meeting's head is the two lines, and
    # a team without mdformat gets them back as typed.
    assert doc.sessions[0].heading == "Oct 8, 2019"
    assert doc.sessions[0].head_as_typed == "Oct 8, 2019\n-----------\n\n"
    assert render_session(doc.sessions[0], typed) == "Oct 8, 2019\n-----------\n\n- a\n"
    # text right above the line is a paragraph's: not a heading of its own
    assert len(parse_document("# N\n\nNotes\nOct 8, 2019\n---\n\n- a\n", path="n.md").sessions) == 1


def test_a_small_dated_heading_over_bigger_sections_is_the_documents_date() -> None:
    text = "## Teleconference\n##### 22 March 2021\n\n### Agenda\n\n- a\n\n### Notes\n\n- b\n"
    doc = parse_document(text)
    assert [s.date for s in doc.sessions] == ["2021-03-22"]
    assert "Teleconference" in doc.sessions[0].sections[0].heading + doc.sessions[0].sections[0].body


def test_a_dated_h1_is_a_documents_title_even_written_twice() -> None:
    text = "---\ntags: triage\n---\n\n# 2020-12-16 Triage\n\n## Agenda\n\n# 2020-12-16 Triage\n\n- a\n"
    (s,) = parse_document(text).sessions
    assert s.date == "2020-12-16" and s.front_matter == "---\ntags: triage\n---\n\n"
    two = "# 2020-12-16 Triage\n\n- a\n\n# 2020-12-02 Triage\n\n- b\n"
    assert _dates(two) == ["2020-12-16", "2020-12-02"]  # two different H1s: two meetings


@pytest.mark.parametrize(
    "path, expected, problem",
    [
        ("minutes/24-04-2017-minutes.md", "2017-04-24", ""),
        ("docs/docs-06-20-2022.md", "2022-06-20", ""),
        ("docs/docs-07-05-2021.md", "", "'07-05-2021' is ambiguous (2021-07-05 or 2021-05-07)"),
        ("w3c/2021/05-Arakeen/agenda.md", "", "no day found (only the year 2021)"),
    ],
)
def test_day_and_month_in_a_file_name(path: str, expected: str, problem: str) -> None:
    doc = parse_document("# Sync\n\n- x\n", path=path)
    assert [s.date for s in doc.sessions] == [expected]
    assert doc.date_problems.get(0, "") == problem
    # the file's own words decide an ambiguous name
    assert _dates("# Sync, July 5, 2021\n\n- x\n", "docs/docs-07-05-2021.md") == ["2021-07-05"]


def test_date_order_given_by_the_user_reads_ambiguous_dates(tmp_path: Path) -> None:
    from facilitator.importer import ImportFailed, import_file

    text = "# Minutes\n\n## 03.04.21\n\n- a\n\n## 03.05.21\n\n- b\n"
    assert [s.date for s in parse_document(text, date_order="dmy").sessions] == ["2021-04-03", "2021-05-03"]
    assert [s.date for s in parse_document(text, date_order="mdy").sessions] == ["2021-03-04", "2021-03-05"]
    # the file's own unambiguous dates win over the order given
    decided = "# Minutes\n\n## 13.04.21\n\n- a\n\n## 03.04.21\n\n- b\n"
    assert [s.date for s in parse_document(decided, date_order="mdy").sessions] == ["2021-04-13", "2021-04-03"]
    assert _dates_with_order("# Sync\n\n- x\n", "docs/docs-07-05-2021.md", "dmy") == ["2021-05-07"]
    f = tmp_path / "minutes.md"
    f.write_text(text, encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    with pytest.raises(ImportFailed, match="--date-order dmy"):
        import_file(st, f)
    with pytest.raises(ImportFailed, match="date order 'ymd' is not one of: dmy, mdy"):
        import_file(st, f, date_order="ymd")
    assert [st.load(i).date for i in import_file(st, f, date_order="dmy").ids] == ["2021-04-03", "2021-05-03"]


def _dates_with_order(text: str, path: str, order: str) -> list[str]:
    return [s.date for s in parse_document(text, path=path, date_order=order).sessions]


def test_cli_date_order_option(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    f = tmp_path / "minutes.md"
    f.write_text("# Minutes\n\n## 03.04.21\n\n- a\n", encoding="utf-8")
    rc, out, err = run_cli("--sessions", tmp_path / "s", "import", f)
    assert rc != 0 and "ambiguous (2021-03-04 or 2021-04-03)" in err and "--date-order" in err
    rc, out, err = run_cli("--sessions", tmp_path / "s", "import", f, "--date-order", "mdy")
    assert rc == 0 and out.split() == ["2021-03-04"]
