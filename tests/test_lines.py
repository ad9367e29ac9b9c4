"""The one-line shapes people type, in the variants the seeds and real archives hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import lines
from facilitator.lines import format_agenda, format_checkin, parse_agenda, parse_checkin, parse_role

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    "text, owner, timebox, minutes, title",
    [
        ("**Min (10m):** Adopting JupyterHealth", "Min", "10m", 10, "Adopting JupyterHealth"),
        ("**Min (10m)**: spreading facilitation", "Min", "10m", 10, "spreading facilitation"),
        ("**Min** (10 min): Title", "Min", "10 min", 10, "Title"),
        ("**Kirstie** (15mins): Title", "Kirstie", "15mins", 15, "Title"),
        ("**Min** (~5min) JupyterHub 3.0 <https://x.org>", "Min", "~5min", 5, "JupyterHub 3.0 <https://x.org>"),
        ("**Dan Sholler (5 minutes)**: Voices of Jupyter", "Dan Sholler", "5 minutes", 5, "Voices of Jupyter"),
        ("**Shane (no idea how much time)**: CHP ports", "Shane", "no idea how much time", None, "CHP ports"),
        ("**Arnim c/o Min (10m)**: GESIS", "Arnim c/o Min", "10m", 10, "GESIS"),
        ("**Simon/Shaun (5min)**: Title", "Simon/Shaun", "5min", 5, "Title"),
        ("**Yuvi (5min):** 2i2c & Structured", "Yuvi", "5min", 5, "2i2c & Structured"),
        # ranges count as their upper end
        ("**Dan (10-15 mins)**: Voices", "Dan", "10-15 mins", 15, "Voices"),
        ("**Samuel (5 - 10 mins)**: Renku", "Samuel", "5 - 10 mins", 10, "Renku"),
        ("**Min (5–10m)**: en dash", "Min", "5–10m", 10, "en dash"),
        ("**Erik (1h)**: hours", "Erik", "1h", 60, "hours"),
        ("**Erik (1.5 hours)**: hours", "Erik", "1.5 hours", 90, "hours"),
        # no owner / no timebox
        ("CodeSpell PRs:", "", "", None, "CodeSpell PRs:"),
        ("What's the state of this meeting?", "", "", None, "What's the state of this meeting?"),
        ("Does needing a datacenter (10m)", "", "10m", 10, "Does needing a datacenter"),
        ("A remark (about something) in passing", "", "", None, "A remark (about something) in passing"),
        ("**Session Chair** (2m): Assigning a notetaker", "Session Chair", "2m", 2, "Assigning a notetaker"),
        # HackMD attributions
        ("Report from the workshop [name=Tim]", "Tim", "", None, "Report from the workshop"),
        ("Item [name=Min, 10 min]", "Min", "10 min", 10, "Item"),
        ("Topic [time=5 minutes]", "", "5 minutes", 5, "Topic"),
    ],
)
def test_agenda_variants(text: str, owner: str, timebox: str, minutes: int | None, title: str) -> None:
    p = parse_agenda(text)
    assert (p.owner, p.timebox, p.minutes, p.title) == (owner, timebox, minutes, title)


def test_agenda_bare_timebox_after_owner() -> None:
    """The 2025 archive writes the timebox after the bold owner without parentheses."""
    p = parse_agenda("**Dan** 10-15 mins: Voices of JupyterHub update")
    assert (p.owner, p.minutes, p.title) == ("Dan", 15, "Voices of JupyterHub update")


def test_every_seed_000_agenda_line_keeps_its_text() -> None:
    """Parsing never loses words: owner + timebox + title hold every word of the lead line."""
    from facilitator.markdown import parse_document

    doc = parse_document((FIXTURES / "000_bdb6fac8645dbeec.txt").read_text(encoding="utf-8"))
    items = [i for s in doc.sessions for i in s.agenda_items]
    assert len(items) >= 30
    for item in items:
        p = item.parsed
        stripped = item.text.replace("*", "").replace("(", " ").replace(")", " ").replace(":", " ")
        assert sorted(stripped.split()) == sorted(
            f"{p.owner} {p.timebox} {p.title}".replace("*", "").replace("(", " ").replace(")", " ").replace(":", " ").split()
        ), item.text


@pytest.mark.parametrize(
    "text, name, handle, affiliation, note, pronouns, extra",
    [
        ("Min / @minrk / Simula", "Min", "minrk", "Simula", "", "", ()),
        ("Sarah Gibson / sgibson91 / 2i2c", "Sarah Gibson", "sgibson91", "2i2c", "", "", ()),
        ("Sarah Gibson / / 2i2c", "Sarah Gibson", "", "2i2c", "", "", ()),
        ("Arnim Bleier /@arnim / GESIS", "Arnim Bleier", "arnim", "GESIS", "", "", ()),
        ("Min / @minrk /  Simula", "Min", "minrk", "Simula", "", "", ()),
        ("Blessing / @bl-aire", "Blessing", "bl-aire", "", "", "", ()),
        ("Samuel / @sgaist / Idiap Research Institute (might be a couple minutes late)",
         "Samuel", "sgaist", "Idiap Research Institute", "might be a couple minutes late", "", ()),
        ("Min (he/him) / @minrk / UC Berkeley / California", "Min", "minrk", "UC Berkeley", "", "he/him", ("California",)),
        ("Tim | Binder | @betatim", "Tim", "betatim", "Binder", "", "", ()),
        ("Sarah Gibson / 2i2c / @sgibson91", "Sarah Gibson", "sgibson91", "2i2c", "", "", ()),
        ("Yuvi", "Yuvi", "", "", "", "", ()),
        # Rich-markup-looking names are names, kept literally (the UI must escape them)
        ("[b]Bob[/] / @bob / [i]Org[/i]", "[b]Bob[/]", "bob", "[i]Org[/i]", "", "", ()),
        ("[b]Bob[/]", "[b]Bob[/]", "", "", "", "", ()),
        ("[red]Eve[/red] / @eve", "[red]Eve[/red]", "eve", "", "", "", ()),
    ],
)
def test_checkin_variants(text, name, handle, affiliation, note, pronouns, extra) -> None:
    p = parse_checkin(text)
    assert (p.name, p.handle, p.affiliation, p.note, p.pronouns, p.extra, p.placeholder) == (
        name, handle, affiliation, note, pronouns, extra, False,
    )


@pytest.mark.parametrize(
    "text",
    [
        "name / institution / GitHub handle",
        "name | institution | GitHub handle",
        "*Name (and pronouns if you'd like) / GitHub handle / affiliation / geographic location*",
    ],
)
def test_placeholder_lines_are_not_people(text: str) -> None:
    assert parse_checkin(text).placeholder


def test_checkin_format_parse_round_trip() -> None:
    for args in [("Min", "minrk", "Simula", ""), ("Sarah Gibson", "", "2i2c", ""), ("[b]Bob[/]", "bob", "", "late"),
                 ("Ana", "ana", "Org", "might be late")]:
        text = format_checkin(*args)
        p = parse_checkin(text)
        assert (p.name, p.handle, p.affiliation, p.note) == args, text
    assert format_checkin("Min", "@minrk", "Simula", "late") == "Min / @minrk / Simula (late)"
    assert format_checkin("Sarah", "", "2i2c") == "Sarah / / 2i2c"


def test_agenda_format_shapes() -> None:
    shape = "**{owner} ({timebox}):** {title}"
    assert format_agenda(shape, "Min", "10m", "JupyterHub 5") == "**Min (10m):** JupyterHub 5"
    assert format_agenda(shape, "Min", "", "No time") == "**Min:** No time"
    assert format_agenda(shape, "", "5m", "No owner") == "No owner (5m)"
    assert format_agenda(shape, "", "", "Bare") == "Bare"
    for owner, tb, title in [("Min", "10m", "A"), ("", "5m", "B"), ("Simon/Shaun", "5-10 min", "C d e")]:
        p = parse_agenda(format_agenda(shape, owner, tb, title))
        assert (p.owner, p.timebox, p.title) == (owner, tb, title)


def test_timebox_helpers() -> None:
    assert lines.timebox_minutes("10-15 mins") == 15
    assert lines.timebox_minutes("no idea") is None
    assert lines.is_timebox("~5min") and lines.is_timebox("no idea how much time")
    assert not lines.is_timebox("c/o Min") and not lines.is_timebox("she/her")
    assert lines.timebox_text(10) == "10m" and lines.timebox_text(None) == ""


def test_roles_and_headings() -> None:
    assert parse_role("**Meeting facilitator**: @choldgraf") == ("facilitator", "@choldgraf")
    assert parse_role("**Recorder**: Sarah") == ("recorder", "Sarah")
    assert parse_role("Not a role") is None
    assert lines.plain_heading("Celebrations and Shout-Outs :tada:") == "Celebrations and Shout-Outs"
    assert lines.plain_heading("Ice breaker 🧊⛏️") == "Ice breaker"
    assert lines.plain_heading("Check-in 💁") == "Check-in"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("**Min (10m):** Adopting JupyterHealth", ("Min", "10m", "Adopting JupyterHealth")),
        ("Min (10m): Adopting JupyterHealth", ("Min", "10m", "Adopting JupyterHealth")),
        ("- **Dan (10-15 mins):** Voices", ("Dan", "10-15 mins", "Voices")),
        ("1. Sarah (5 min): Roadmap", ("Sarah", "5 min", "Roadmap")),
        ("Docs sprint (15m)", ("", "15m", "Docs sprint")),
        ("[name=Min, 10m] Binder", ("Min", "10m", "Binder")),
        # not split: no timebox in the parentheses, no parentheses, or nothing after the bold
        ("Erik (she/her): Docs", ("", "", "Erik (she/her): Docs")),
        ("Min 10 Title", ("", "", "Min 10 Title")),
        ("Python 3 support", ("", "", "Python 3 support")),
        ("Binder federation: next steps", ("", "", "Binder federation: next steps")),
        ("**Bold title**", ("", "", "**Bold title**")),
    ],
)
def test_parse_typed_agenda(typed: str, expected: tuple[str, str, str]) -> None:
    got = lines.parse_typed_agenda(typed)
    assert (got.owner, got.timebox, got.title) == expected


def test_a_pasted_block_is_one_entry_a_line() -> None:
    """A pad's check-in pasted whole (a terminal's CR line breaks, CRLF, list markers,
    a task box, blank lines, the section's heading, the prompt in every form): the people,
    in order."""
    block = ("### Check-in\r\r- Ada Lovelace / @ada / Uni\r- Bob / @bob\r\n\r\n  1. Cy / @cy / Org\n- [ ] Dee\n"
             "*Name / @github / Institution*\nName / GitHub handle / Institution\n"
             "Name / @github / Institution (note)\n- Niels / Institution\n")
    assert lines.pasted_lines(block) == ["Ada Lovelace / @ada / Uni", "Bob / @bob", "Cy / @cy / Org", "Dee",
                                         "Niels / Institution"]
    assert lines.pasted_lines("\r\n \n") == []
