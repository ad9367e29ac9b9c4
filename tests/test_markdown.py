"""Markdown render and parse: the pieces the round trip depends on."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.markdown import (
    autolink,
    bulletize,
    guess_date,
    mdformat_text,
    normalize_text,
    parse_agenda_items,
    parse_document,
    render_session,
)
from facilitator.model import AgendaItem, Attendee
from facilitator.templates import get_template, new_session

FIXTURES = Path(__file__).parent / "fixtures"
CAFE = get_template("collab-cafe")


def test_autolink_outside_code_and_links() -> None:
    assert autolink("see https://x.org/a.") == "see <https://x.org/a>."
    assert autolink("`https://x.org` and [l](https://y.org) <https://z.org>") == "`https://x.org` and [l](https://y.org) <https://z.org>"


def test_bulletize_typed_notes() -> None:
    assert bulletize("first\n  second\n    third\nback") == "- first\n  - second\n    - third\n- back"
    assert bulletize("- kept\n  continued\n\n```\ncode\n```") == "- kept\n  continued\n\n```\ncode\n```"
    assert bulletize("1. one\n2. two") == "1. one\n2. two"


def test_typed_session_renders_archive_shape() -> None:
    s = new_session(CAFE, "x", "2024-12-17", agenda=[AgendaItem(text=CAFE.agenda_text("Min", 10, "Release"), notes="see https://x.org\n  detail")])
    s.sections[0].attendees = [Attendee("Min / @minrk / Simula")]
    s.sections[1].entries = ["Z2JH 4.0.0 is out!"]
    assert render_session(s) == (
        "## 2024-12-17\n\n### Check-in\n\n- Min / @minrk / Simula\n\n"
        "### Celebrations and Shout-Outs :tada:\n\n- Z2JH 4.0.0 is out!\n\n"
        "### Agenda\n\n- **Min (10m):** Release\n  - see <https://x.org>\n    - detail\n"
    )


def test_normalize_text() -> None:
    assert normalize_text("\ufeffa\r\nb\rc") == "a\nb\nc"
    assert normalize_text("- a\n\t- b\n") == "- a\n    - b\n"


def test_headings_in_fences_are_not_meetings() -> None:
    text = "# 2024 X\n\n## 2024-05-01\n\n```md\n## 2024-04-01\n```\n\n## 2024-03-01\n\nNo meeting.\n"
    doc = parse_document(text, template="collab-cafe")
    assert [s.date for s in doc.sessions] == ["2024-05-01", "2024-03-01"]
    # the fenced heading stays in the meeting above it, as text
    assert "## 2024-04-01" in render_session(doc.sessions[0])


def test_agenda_heading_at_meeting_level_stays_in_meeting() -> None:
    text = (FIXTURES / "000_bdb6fac8645dbeec.txt").read_text(encoding="utf-8")
    first = parse_document(text).sessions[0]
    assert [sec.kind for sec in first.sections] == ["checkin", "celebrations", "agenda"]
    assert first.sections[2].level == 2 and len(first.agenda_items) == 6


def test_unknown_sections_survive_as_raw() -> None:
    text = "## 2025-01-21\n\n### Introduce yourself! :wave:\n\n*Say hi*\n\n#### Notes for Breakout room 1: x\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    (s,) = parse_document(text, template="collab-cafe").sessions
    assert render_session(s) == mdformat_text(text)


def test_checkbox_bullets_under_items_survive() -> None:
    text = "## 2024-01-16\n\n### Agenda\n\n- **Min (5m):** Tasks\n  - [x] done\n  - [ ] open\n"
    (s,) = parse_document(text, template="collab-cafe").sessions
    assert s.agenda_items[0].notes == "- [x] done\n- [ ] open"
    assert render_session(s) == mdformat_text(text)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("- **Date:** Tuesday 19th July 2022", "2022-07-19"),
        ("**Date:** 2023-03-07", "2023-03-07"),
        ("#### Opening Date: 01 Jan 2018", "2018-01-01"),
        ("nothing here", ""),
    ],
)
def test_guess_date(line: str, expected: str) -> None:
    assert guess_date(line) == expected


def test_parse_agenda_items_bullets_lines_headings() -> None:
    items = parse_agenda_items("- **Min (10m):** A\n  - note\n- B\n", CAFE)
    assert [(i.text, i.notes) for i in items] == [("**Min (10m):** A", "- note"), ("B", "")]
    assert [i.text for i in parse_agenda_items("One\nTwo (5m)\n\nThree", CAFE)] == ["One", "Two (5m)", "Three"]
    assert [i.text for i in parse_agenda_items("### Budget (10m)\n", get_template("2i2c"))] == ["Budget (10m)"]
    assert parse_agenda_items("", CAFE) == []


def test_seed_000_is_nearly_an_mdformat_fixed_point() -> None:
    """FORMAT.md: seed 000 is already mdformat output except two lines with a double space."""
    text = (FIXTURES / "000_bdb6fac8645dbeec.txt").read_text(encoding="utf-8")
    a, b = text.split("\n"), mdformat_text(text).split("\n")
    assert len(a) == len(b)
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(diff) == 2 and all("  " in x and x.replace("  ", " ") == y for x, y in diff)


def test_autolink_keeps_brackets_and_leaves_punctuation_outside() -> None:
    from facilitator.markdown import autolink, mdformat_text

    assert autolink("see https://x.org/a?b=[c] now") == "see <https://x.org/a?b=[c]> now"
    assert autolink("end https://x.org/a.") == "end <https://x.org/a>."
    assert autolink("a https://x.y/z) b") == "a <https://x.y/z>) b"
    # Links already written as links, autolinks or code stay as they are.
    for kept in ("[https://a.b](https://a.b)", "<https://a.b>", "`https://a.b`"):
        assert autolink(kept) == kept
    # mdformat keeps it one autolink (it percent-encodes the brackets, as the
    # community's own formatting run would)
    assert mdformat_text("- <https://x.org/a?b=[c]>\n") == "- <https://x.org/a?b=%5Bc%5D>\n"
