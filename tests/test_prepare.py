"""Before the call: the meeting issue, the pad skeleton and the reminders (core and CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facilitator import prepare
from facilitator.model import AgendaItem
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_cli import assert_one_error, run_cli

BERLIN = ZoneInfo("Europe/Berlin")



def cafe(date: str = "2026-06-16", **kw):
    tpl = get_template("collab-cafe")
    s = new_session(tpl, date, date, agenda=[AgendaItem("**Min (10m):** Release", carried_from="2026-06-02")])
    for k, v in kw.items():
        setattr(s, k, v)
    return s, tpl


def test_issue_text_has_title_line_blank_line_and_real_links() -> None:
    s, tpl = cafe()
    text = prepare.issue_text(s, tpl, BERLIN)
    lines = text.splitlines()
    assert lines[0] == "JupyterHub and JupyterBook Collab Cafe | 2026-06-16" and lines[1] == ""
    assert "- Date: Tuesday 16 June 2026" in lines
    assert "- Time: 11:00 America/Los_Angeles (18:00 UTC)" in lines
    assert (
        "  - Your timezone: https://arewemeetingyet.com/Los_Angeles/2026-06-16/11:00/JupyterHub-JupyterBook-CollabCafe"
        in lines
    )
    assert any(ln.startswith("- Collaborative notes link: https://mypads2.framapad.org/") for ln in lines)
    assert any(ln.startswith("- Video link: https://zoom.us/") for ln in lines)
    assert "* Breakout rooms you'd find useful" in lines
    assert "* **Min (10m):** Release" in lines  # carried over items are listed


def test_link_name_is_url_encoded_and_winter_time_shifts_utc() -> None:
    s, tpl = cafe("2026-12-01")
    team = tpl.team
    from dataclasses import replace

    team = replace(team, name="Collab Café & friends")
    assert prepare.arewemeetingyet_url(team, dt.date(2026, 12, 1)) == (
        "https://arewemeetingyet.com/Los_Angeles/2026-12-01/11:00/Collab%20Caf%C3%A9%20%26%20friends"
    )
    w = prepare.when(tpl.team, dt.date(2026, 12, 1), BERLIN)
    assert w.line() == "11:00 America/Los_Angeles (19:00 UTC), 20:00 your time (CET)"


def test_pad_skeleton_in_seed_001_shape_for_hackmd() -> None:
    tpl = get_template("hackmd-team-meeting")
    s = new_session(tpl, "2026-07-21", "2026-07-21")
    s.issue = "535"
    text = prepare.pad_text(s, tpl, icebreaker="Tea or coffee?", user_zone=BERLIN)
    lines = text.splitlines()
    assert lines[0] == "# JupyterHub and BinderHub Team Meeting"
    assert lines[2:9] == [
        "- **Date:** Tuesday 21 July 2026",
        "- **Time:** 17:00 UTC",
        "  - **Your timezone:** <https://arewemeetingyet.com/UTC/2026-07-21/17:00/Hubs-Team-Meeting>",
        "- **Video conference link:** <https://meet.jit.si/HubsTeamMeeting>",
        "- **This pad:** <https://hackmd.io/@sgibson91/hubs-team-meeting>",
        "- **GitHub issue:** <https://github.com/jupyterhub/team-compass/issues/535>",
        "- **Calendar for future meetings:** <https://jupyterhub-team-compass.readthedocs.io/en/latest/meetings/index.html#meeting-calendar>",
    ]
    assert any("Code of Conduct" in ln and "https://jupyter.org/" in ln for ln in lines)
    assert "## Welcome to the Team Meeting" in lines and "- name / institution / GitHub handle" in lines
    assert lines.index("Tea or coffee?") > lines.index("## Welcome to the Team Meeting")
    assert "## Agenda items" in lines


def test_etherpad_skeleton_is_plain_text() -> None:
    s, tpl = cafe()
    text = prepare.pad_text(s, tpl, user_zone=BERLIN)
    assert "**" not in text.split("Agenda")[0] and "<http" not in text and "# " not in text
    lines = text.splitlines()
    assert lines[0] == "Collaboration Cafe"
    assert "Check-in" in lines and "Ice breaker" in lines and prepare.ICEBREAKER_PLACEHOLDER in lines
    assert lines.index("Check-in") < lines.index("Ice breaker") < lines.index("Agenda")
    assert "- **Min (10m):** Release" in lines


def test_cafe_2025_puts_the_question_under_its_own_ice_breaker_heading() -> None:
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-06-16", "2026-06-16")
    lines = prepare.pad_text(s, tpl, icebreaker="Best bug this month?").splitlines()
    assert lines.count("Best bug this month?") == 1
    assert lines[lines.index("Ice breaker 🧊⛏️") + 2] == "Best bug this month?"
    assert "Ice breaker" not in lines  # no second ice-breaker section


def test_reminders_week_and_day() -> None:
    s, tpl = cafe()
    week = prepare.remind_text(s, tpl, "1w")
    day = prepare.remind_text(s, tpl, "1d")
    assert week.startswith("Reminder: the Collaboration Cafe is one week away, Tuesday 16 June 2026 at 11:00")
    assert day.startswith("Reminder: the Collaboration Cafe is tomorrow, Tuesday 16 June 2026")
    assert "arewemeetingyet.com/Los_Angeles/2026-06-16/11:00/" in week
    with pytest.raises(ValueError, match="1w or 1d"):
        prepare.remind_text(s, tpl, "2w")


def test_cli_issue_records_number_and_pad_uses_it(sessions_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    rc, out, _ = run_cli("--sessions", sessions_dir, "new", "--date", "2026-06-16")
    sid = out.strip()
    rc, out, err = run_cli("--sessions", sessions_dir, "issue", sid, "--number", "#812")
    assert rc == 0, err
    assert out.splitlines()[0] == "JupyterHub and JupyterBook Collab Cafe | 2026-06-16"
    assert "meeting issue #812" in err and "20:00 your time (CEST)" in err
    assert SessionStore(sessions_dir).load(sid).issue == "812"
    rc, out, _ = run_cli("--sessions", sessions_dir, "pad", sid, "--icebreaker", "Favourite \x1b]0;x\x07tea?")
    assert rc == 0 and "GitHub issue: https://github.com/jupyterhub/team-compass/issues/812" in out
    assert "\x1b" not in out and "\x07" not in out and "Favourite ␛]0;x␇tea?" in out  # replaced visibly (sanitize)
    rc, out, _ = run_cli("--sessions", sessions_dir, "remind", sid, "--before", "1d")
    assert rc == 0 and "is tomorrow" in out


def test_cli_bad_settings_are_one_line(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    user = tmp_path / "tpl"
    user.mkdir()
    (user / "ours.toml").write_text(
        'name = "ours"\nmeeting_title = "Ours"\n[team]\ntime = "10:00"\ntimezone = "Mars/Olympus"\n', encoding="utf-8"
    )
    rc, out, _ = run_cli("--sessions", sessions_dir, "--templates", user, "new", "--template", "ours", "--date", "2026-06-16")
    sid = out.strip()
    rc, _, err = run_cli("--sessions", sessions_dir, "--templates", user, "issue", sid)
    assert_one_error(rc, err, "team.timezone 'Mars/Olympus' is not a known time zone", "ours.toml")
    rc, _, err = run_cli("--sessions", sessions_dir, "--templates", user, "issue", sid, "--number", "abc")
    assert_one_error(rc, err, "--number must be an issue number")


def test_templates_command_warns_about_each_bad_team_setting(sessions_dir: Path, tmp_path: Path) -> None:
    user = tmp_path / "tpl"
    user.mkdir()
    (user / "ours.toml").write_text(
        'name = "ours"\n[team]\ntimezone = "Mars/Olympus"\nschedule = "whenever"\n', encoding="utf-8"
    )
    rc, out, err = run_cli("--sessions", sessions_dir, "--templates", user, "templates")
    assert rc == 0 and "ours" in out
    warnings = err.splitlines()
    assert len(warnings) == 2
    assert "team.timezone 'Mars/Olympus'" in warnings[0] and "team.schedule 'whenever'" in warnings[1]
