"""Session values out of range: refused as "unreadable: <field> ..." or clamped; stats never negative.

Agenda timeboxes are read exactly as written or not at all, never rounded or clamped.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import tomli_w
import tomllib

from facilitator import lines
from facilitator.model import AgendaItem, Section, Session
from facilitator.store import SessionStore, StoreError, read_session_file
from tests.test_cli import run_cli



def saved(sessions_dir: Path, sid: str = "2024-05-07", **changes) -> Path:
    """A valid session file, then ``changes`` applied to its TOML data (dotted keys reach in)."""
    items = [AgendaItem(text="**Min (10m):** Plan"), AgendaItem(text="**Ada (5m):** Review")]
    session = Session(id=sid, date=sid, template="collab-cafe", sections=[Section(kind="agenda", heading="Agenda", items=items)])
    path = SessionStore(sessions_dir).save(session)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = data
        *head, last = key.split(".")
        for part in head:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "2024-00-10", "2024-13"])
def test_a_date_that_is_no_day_makes_the_file_unreadable(sessions_dir: Path, date: str) -> None:
    path = saved(sessions_dir, date=date)
    with pytest.raises(StoreError) as info:
        read_session_file(path)
    assert str(info.value).startswith(f"{path}: unreadable: date '{date}'")


@pytest.mark.parametrize("field", ["run_started_at", "meeting_started_at", "meeting_ended_at"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1.0, 1e300])
def test_a_clock_value_that_is_no_time_makes_the_file_unreadable(sessions_dir: Path, field: str, value: float) -> None:
    path = saved(sessions_dir, **{f"clock.{field}": value})
    with pytest.raises(StoreError, match=f"unreadable: clock.{field}"):
        read_session_file(path)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_timed_seconds_are_unreadable(sessions_dir: Path, value: float) -> None:
    path = saved(sessions_dir, **{"sections.0.items.0.actual_seconds": value})
    with pytest.raises(StoreError, match="unreadable: actual_seconds"):
        read_session_file(path)


@pytest.mark.parametrize("slot, expected", [(-5, 60), (0, 60), (10**9, 24 * 60), (90, 90)])
def test_slots_are_clamped(sessions_dir: Path, slot: int, expected: int) -> None:
    assert read_session_file(saved(sessions_dir, slot_minutes=slot)).slot_minutes == expected


def test_an_infinite_slot_is_one_clear_error_not_a_traceback(sessions_dir: Path) -> None:
    path = saved(sessions_dir, slot_minutes=math.inf)
    with pytest.raises(StoreError, match=str(path)):
        read_session_file(path)


def test_negative_and_absurd_seconds_are_clamped_and_stats_never_negative(sessions_dir: Path) -> None:
    saved(
        sessions_dir,
        **{
            "sections.0.items.0.actual_seconds": -500.0,
            "sections.0.items.0.extra_seconds": -10**6,
            "sections.0.items.1.actual_seconds": 1e12,
            "sections.0.items.1.extra_seconds": 10**15,
        },
    )
    s = read_session_file(sessions_dir / "2024-05-07.toml")
    first, second = s.agenda_items
    assert first.actual_seconds == 0 and first.planned_seconds == 0
    assert 0 < second.actual_seconds <= 7 * 24 * 3600 and 0 < second.planned_seconds <= 7 * 24 * 3600 + 300
    for args in (("stats", "2024-05-07"), ("stats",)):
        rc, out, err = run_cli("--sessions", sessions_dir, *args)
        assert rc == 0, err
        assert not re.search(r"(?<![\w-])-\d", out), out  # no negative number anywhere


def test_the_cli_lists_the_good_sessions_and_names_the_unreadable_one(sessions_dir: Path) -> None:
    saved(sessions_dir, "2024-05-07")
    bad = saved(sessions_dir, "2024-06-04", date="2024-13-45")
    rc, out, err = run_cli("--sessions", sessions_dir, "list")
    assert rc == 0 and "2024-05-07" in out and "2024-06-04" not in out
    assert f"{bad}: unreadable: date '2024-13-45'" in err
    rc, out, err = run_cli("--sessions", sessions_dir, "show", "2024-06-04")
    assert rc == 1 and "unreadable: date" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("timebox", ["-5m", "1.5m", "99999999999999999999m", "-1h", "1441m", "0.33h"])
def test_odd_timeboxes_are_not_changed_into_other_minutes(timebox: str) -> None:
    assert lines.timebox_minutes(timebox) is None
    parsed = lines.parse_agenda(f"**Min ({timebox}):** Plan")
    assert parsed.timebox == timebox and parsed.minutes is None


@pytest.mark.parametrize("timebox, minutes", [("10m", 10), ("1.5 hours", 90), ("0.1h", 6), ("10-15 mins", 15), ("24h", 1440)])
def test_exact_timeboxes_still_read(timebox: str, minutes: int) -> None:
    assert lines.timebox_minutes(timebox) == minutes


def test_odd_timeboxes_round_trip_as_written(tmp_path: Path, sessions_dir: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text(
        "# 2024 Notes\n\n## 2024-05-07\n\n## Agenda\n\n- **Min (-5m):** Back\n- **Ada (1.5m):** Quick\n"
        "- **Bo (99999999999999999999m):** Long\n",
        encoding="utf-8",
    )
    rc, out, err = run_cli("--sessions", sessions_dir, "import", src)
    assert rc == 0, err
    sid = out.split()[0]
    rc, out, err = run_cli("--sessions", sessions_dir, "show", sid)
    assert "**Min (-5m):** Back" in out and "**Ada (1.5m):** Quick" in out and "(99999999999999999999m)" in out
    rc, out, err = run_cli("--sessions", sessions_dir, "stats", sid)
    assert rc == 0 and not re.search(r"(?<![\w-])-\d", out) and "99999" not in out.split("TOTAL")[-1]


def test_import_refuses_a_meeting_the_reader_would_refuse_and_writes_nothing(tmp_path: Path, sessions_dir: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text("# 2024 Notes\n\n## 2024-05-07\n\nok\n\n## 2024-13-45\n\ntypo\n", encoding="utf-8")
    rc, out, err = run_cli("--sessions", sessions_dir, "import", src)
    assert rc == 1 and out == ""
    assert "'2024-13-45'" in err and "nothing imported" in err and len(err.splitlines()) == 1
    assert list(sessions_dir.glob("*.toml")) == []
