"""Dates as other teams write them: splitting yearly files and dating one-meeting documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import dates, splitting
from facilitator.markdown import parse_document
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
