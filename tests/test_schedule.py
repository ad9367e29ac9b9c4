"""Team settings and schedules: the words teams use, real dates, time zones across DST."""

from __future__ import annotations

import datetime as dt

import pytest

from facilitator import nextmeeting
from facilitator.schedule import ScheduleError, parse_schedule
from facilitator.team import TeamError, team_from_dict
from facilitator.templates import get_template, template_from_dict

D = dt.date


@pytest.mark.parametrize(
    "phrase,after,expected",
    [
        ("first and third Tuesday", D(2026, 6, 2), [D(2026, 6, 16), D(2026, 7, 7), D(2026, 7, 21)]),
        ("first and third Tuesday", D(2026, 6, 16), [D(2026, 7, 7)]),
        ("First and Third Tuesday of each month", D(2026, 12, 15), [D(2027, 1, 5)]),
        ("third Tuesday monthly", D(2026, 6, 16), [D(2026, 7, 21), D(2026, 8, 18)]),
        ("2nd and 4th Thursday of the month", D(2026, 6, 1), [D(2026, 6, 11), D(2026, 6, 25), D(2026, 7, 9)]),
        ("last Friday of each month", D(2026, 6, 1), [D(2026, 6, 26), D(2026, 7, 31)]),
        ("weekly on Thursday", D(2026, 6, 4), [D(2026, 6, 11), D(2026, 6, 18)]),
        ("every Thursday", D(2026, 6, 1), [D(2026, 6, 4)]),
        ("every other Tuesday", D(2026, 6, 2), [D(2026, 6, 16), D(2026, 6, 30)]),
        ("every second Wednesday", D(2026, 6, 3), [D(2026, 6, 17), D(2026, 7, 1)]),
        ("every second Wednesday of the month", D(2026, 6, 1), [D(2026, 6, 10), D(2026, 7, 8)]),
        ("fortnightly on Friday", D(2026, 6, 5), [D(2026, 6, 19)]),
        ("every 3 weeks on Monday", D(2026, 6, 1), [D(2026, 6, 22), D(2026, 7, 13)]),
        ("Mondays and Wednesdays weekly", D(2026, 6, 1), [D(2026, 6, 3), D(2026, 6, 8)]),
    ],
)
def test_schedule_phrases(phrase: str, after: dt.date, expected: list[dt.date]) -> None:
    assert parse_schedule(phrase).occurrences(after, len(expected)) == expected


@pytest.mark.parametrize(
    "phrase,needle",
    [
        ("sometimes", "cannot read 'sometimes'"),
        ("", "empty schedule"),
        ("first Tuesday weekly", "either weekly or on nth weekdays"),
        ("monthly on Tuesday", "which week of the month"),
        ("every other week", "no weekday"),
    ],
)
def test_bad_schedules_say_why_in_one_line(phrase: str, needle: str) -> None:
    with pytest.raises(ScheduleError) as exc:
        parse_schedule(phrase)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_the_cafe_template_carries_its_published_settings() -> None:
    team = get_template("collab-cafe").team
    assert team.problems == ()
    assert (team.time, team.timezone, team.schedule) == ("11:00", "America/Los_Angeles", "first and third Tuesday")
    assert team.issue_repo == "jupyterhub/team-compass"
    assert team.coc_url.startswith("https://jupyter.org/")
    assert get_template("collab-cafe-2025").team.schedule == "first and third Tuesday"


def test_next_follows_the_cafe_schedule() -> None:
    tpl = get_template("collab-cafe")
    assert nextmeeting.scheduled_date("2026-06-02", tpl) == "2026-06-16"
    assert nextmeeting.scheduled_date("2026-06-16", tpl) == "2026-07-07"
    # an explicit rule still wins; a phrase works as a rule too
    assert nextmeeting.scheduled_date("2026-06-16", tpl, "monthly-nth-weekday") == "2026-07-21"
    assert nextmeeting.next_date("2026-06-02", "every other Tuesday") == "2026-06-16"
    with pytest.raises(ValueError, match="unknown date rule"):
        nextmeeting.next_date("2026-06-02", "whenever")


def test_meeting_time_in_utc_across_dst() -> None:
    team = get_template("collab-cafe").team
    utc = dt.timezone.utc
    # Pacific daylight time (UTC-7) in June, standard time (UTC-8) in December
    assert team.starts_at(D(2026, 6, 2)).astimezone(utc).strftime("%H:%M") == "18:00"
    assert team.starts_at(D(2026, 12, 1)).astimezone(utc).strftime("%H:%M") == "19:00"
    # the US changes clocks on the second Sunday of March, Europe on the last one:
    berlin = __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    assert team.starts_at(D(2026, 3, 3)).astimezone(berlin).strftime("%H:%M") == "20:00"  # PST, CET
    assert team.starts_at(D(2026, 3, 17)).astimezone(berlin).strftime("%H:%M") == "19:00"  # PDT, CET
    assert team.starts_at(D(2026, 4, 7)).astimezone(berlin).strftime("%H:%M") == "20:00"  # PDT, CEST


@pytest.mark.parametrize(
    "table,needle",
    [
        ({"timezone": "Mars/Olympus"}, "team.timezone 'Mars/Olympus' is not a known time zone"),
        ({"schedule": "now and then"}, "team.schedule 'now and then': cannot read"),
        ({"issue_repo": "team-compass"}, "team.issue_repo 'team-compass' is not a GitHub repository"),
        ({"time": "11am"}, "team.time '11am' is not a time of day"),
        ({"colour": "blue"}, "team.colour is not a team setting"),
        ({"what_to_bring": 3}, "team.what_to_bring must be a list of strings"),
    ],
)
def test_bad_team_settings_get_one_line_each(table, needle) -> None:
    tpl = template_from_dict({"name": "t", "team": table}, "my.toml")  # the template still loads
    assert len(tpl.team.problems) == 1 and needle in tpl.team.problems[0]
    key = needle.split()[0].removeprefix("team.")
    if hasattr(tpl.team, key) and key in ("timezone", "schedule", "issue_repo", "time"):
        with pytest.raises(TeamError) as exc:
            tpl.team._need(key)
        assert str(exc.value).startswith("my.toml: ") and needle in str(exc.value)


def test_missing_setting_names_the_table() -> None:
    team = team_from_dict({}, "x.toml")
    with pytest.raises(TeamError, match=r"x.toml: no team.issue_repo set \(\[team\] table\)"):
        team.repo


def test_next_command_follows_the_schedule_and_reports_a_bad_one(tmp_path, monkeypatch) -> None:
    from facilitator.store import SessionStore
    from tests.test_cli import assert_one_error, run_cli

    monkeypatch.delenv("FACILITATOR_SESSIONS", raising=False)
    sessions = tmp_path / "sessions"
    user = tmp_path / "tpl"
    user.mkdir()
    (user / "ours.toml").write_text('name = "ours"\n[team]\nschedule = "now and then"\n', encoding="utf-8")
    base = ("--sessions", sessions, "--templates", user)
    assert run_cli(*base, "new", "--date", "2026-06-02")[1].strip() == "2026-06-02"
    rc, out, err = run_cli(*base, "next", "2026-06-02")
    assert rc == 0, err
    assert out.strip() == "2026-06-16" and SessionStore(sessions).load("2026-06-16").status == "planned"
    rc, out, err = run_cli(*base, "next", "2026-06-16", "--rule", "weekly on Thursday")
    assert out.strip() == "2026-06-18"
    run_cli(*base, "new", "--template", "ours", "--date", "2026-06-03")
    rc, _, err = run_cli(*base, "next", "2026-06-03")
    assert_one_error(rc, err, "ours.toml", "team.schedule 'now and then': cannot read")
    rc, out, _ = run_cli(*base, "next", "2026-06-03", "--rule", "weeks:2")  # a rule still works
    assert out.strip() == "2026-06-17"
