"""Past sessions in the core: search, time review, people, the next meeting, broken files."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import history_cli, index, nextmeeting, people, search, stats
from facilitator.markdown import parse_document
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.store import SessionStore

SEED = Path(__file__).parent / "fixtures" / "000_bdb6fac8645dbeec.txt"


def import_seed(store: SessionStore) -> list[Session]:
    doc = parse_document(SEED.read_text(encoding="utf-8"), source="000.md")
    for s in doc.sessions:
        s.id = store.make_id(s.date)
        store.save(s)
    return doc.sessions


@pytest.fixture
def seeded(sessions_dir: Path) -> tuple[SessionStore, list[Session]]:
    store = SessionStore(sessions_dir)
    return store, import_seed(store)


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys, facilitator.search, facilitator.stats, facilitator.people, "
        "facilitator.nextmeeting, facilitator.history_cli; assert 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- search ---------------------------------------------------------------------------


def test_search_finds_word_in_a_note_and_lands_on_its_item(seeded) -> None:
    store, sessions = seeded
    hits = search.search(store, "traefik")
    in_items = [h for h in hits if h.item_id]
    assert len(in_items) == 1
    hit = in_items[0]
    session = store.load(hit.session_id)
    assert session.date == "2024-09-17"
    item = session.find_item(hit.item_id)
    assert item is not None
    assert "traefik" in item.notes.lower()
    assert item.title.startswith("Configurable HTTP proxy")
    assert hit.line.startswith("Proposal to try switching to traefik again")
    # The other mention is a celebration, found as a section-level hit.
    assert any(h.section.startswith("Celebrations") and h.date == "2024-08-20" for h in hits)


def test_search_all_words_prefix_case_insensitive(seeded) -> None:
    store, _ = seeded
    assert {h.date for h in search.search(store, "TRAE simon")} == {"2024-08-20"}
    assert search.search(store, "traefik nosuchword") == []
    # handles and names are searchable
    assert any(h.section == "Check-in" for h in search.search(store, "@minrk"))
    # newest meeting first
    dates = [h.date for h in search.search(store, "min")]
    assert dates == sorted(dates, reverse=True)


def test_search_index_follows_file_changes(seeded) -> None:
    store, _ = seeded
    assert search.search(store, "zebrafish") == []
    s = store.load("2024-11-19")
    s.agenda_items[0].notes += "\n- zebrafish sighting"
    store.save(s)
    hits = search.search(store, "zebrafish")
    assert [(h.session_id, h.item_id) for h in hits] == [("2024-11-19", s.agenda_items[0].id)]
    # a fresh process (no open index) reads the index file and still sees it
    index.forget(store.root)
    assert len(search.search(store, "zebrafish")) == 1
    index.forget(store.root)
    store.index_path.unlink()
    assert len(search.search(store, "zebrafish")) == 1  # the index is never the only copy


# -- stats ----------------------------------------------------------------------------


def timed_session(store: SessionStore, sid: str = "2025-01-21", date: str = "2025-01-21") -> Session:
    s = Session(
        id=sid, date=date, template="collab-cafe", title="Collaboration Cafe", heading=date,
        status="finished", slot_minutes=60,
        sections=[
            Section(kind="checkin", heading="Check-in", attendees=[Attendee("Min / @minrk / Simula")]),
            Section(kind="agenda", heading="Agenda", items=[
                AgendaItem(text="**Min (10m):** Release", status="done", actual_seconds=900, id="a1"),
                AgendaItem(text="**Yuvi (5m):** Policy", status="done", actual_seconds=240, extra_seconds=60, id="a2"),
                AgendaItem(text="**Erik (15m):** Ports", status="deferred", id="a3"),
                AgendaItem(text="**Sarah (20m):** Binder", status="pending", id="a4"),
                AgendaItem(text="Open floor", status="running", actual_seconds=125, id="a5"),
            ]),
        ],
    )
    store.save(s)
    return s


def test_stats_planned_vs_actual(sessions_dir: Path) -> None:
    store = SessionStore(sessions_dir)
    t = stats.session_times(timed_session(store))
    by = {i.item_id: i for i in t.items}
    assert by["a1"].planned_seconds == 600 and by["a1"].actual_seconds == 900
    assert by["a1"].overrun and by["a1"].overrun_seconds == 300
    assert by["a2"].planned_seconds == 360 and not by["a2"].overrun  # extension counts as planned
    assert not by["a5"].overrun  # no timebox: never an overrun
    assert t.planned_seconds == 600 + 360 + 1200  # the deferred item is not planned for today
    assert t.actual_seconds == 900 + 240 + 125
    assert t.overruns == 1 and t.timed
    lines = stats.table_lines(t)
    assert any("Release" in ln and "OVERRUN +5m" in ln for ln in lines)
    assert lines[-1].startswith("TOTAL")
    # planned as written, the extension and the actual time apart: a2 was given +1m
    assert by["a2"].timebox_seconds == 300 and by["a2"].extra_seconds == 60
    a2 = next(ln for ln in lines if ln.startswith(_title(t, "a2")))
    assert a2.split()[-3:] == ["5m", "+1m", "4m"]


def _title(t, item_id: str) -> str:
    return next(i.title for i in t.items if i.item_id == item_id)


def test_an_overrun_stays_visible_after_an_extension() -> None:
    i = stats.ItemTime("x", "T", "", "done", planned_seconds=900, actual_seconds=800, extra_seconds=300)
    assert not i.overrun and i.timebox_seconds == 600 and i.over_timebox_seconds == 200


def test_stats_untimed_import_shows_dash_and_range(seeded) -> None:
    store, _ = seeded
    t = stats.session_times(store.load("2024-11-19"))
    assert not t.timed
    assert stats.minutes_text(t.actual_seconds, t.timed) == stats.DASH
    assert all(stats.DASH in ln.split("  ")[-1] or "slot" in ln for ln in stats.table_lines(t)[1:])
    got = [x.date for x in stats.summary(store, "2024-05", "2024-08-20")]
    assert got == ["2024-08-20", "2024-07-17", "2024-06", "2024-05-22"]


# -- people ---------------------------------------------------------------------------


def seed_checkins() -> list[tuple[str, str]]:
    """(date, line) of every bullet under a "### Check-in" heading of the seed, read directly."""
    out, date, in_checkin = [], None, False
    for ln in SEED.read_text(encoding="utf-8").split("\n"):
        if ln.startswith("## 20"):
            date, in_checkin = ln[3:].strip(), False
        elif ln.startswith("#"):
            in_checkin = "check-in" in ln.lower()
        elif in_checkin and ln.startswith("- ") and date:
            out.append((date, ln[2:].strip()))
    return out


def test_people_counts_and_first_last_seen(seeded) -> None:
    store, sessions = seeded
    # Independent count straight from the seed text: check-in bullets whose second field
    # is minrk (with or without the @: "Min RK / minrk / Simula" is him too).
    text = SEED.read_text(encoding="utf-8")
    expected_dates = []
    date = None
    for ln in text.split("\n"):
        if ln.startswith("## 20"):
            date = ln[3:].strip()
        elif ln.startswith("- ") and "/" in ln and ln.split("/")[1].strip().lstrip("@").lower() == "minrk" and date:
            if date not in expected_dates:
                expected_dates.append(date)
    folks = {p.key: p for p in people.attendance(store)}
    min_ = folks["@minrk"]
    assert min_.count == len(expected_dates) == 8
    assert min_.first_seen == min(expected_dates) == "2024-01-16"
    assert min_.last_seen == max(expected_dates) == "2024-11-19"
    assert min_.dates == sorted(expected_dates)
    # "Erik / @consideRatio" and "Erik Sundell / @consideratio" are one person
    erik = folks["@consideratio"]
    assert "2024-09-17" in erik.dates and "2024-11-19" in erik.dates
    assert people.attendance(store)[0] is not None and people.attendance(store)[0].key == "@minrk"
    # "Sarah Gibson / / 2i2c" (no handle, 2024-08-20) is the Sarah Gibson of @sgibson91
    sarah = folks["@sgibson91"]
    assert "2024-08-20" in sarah.dates and "sarah gibson" not in folks
    expected_sarah = {d for d, ln in seed_checkins() if "sgibson91" in ln or ln.startswith("Sarah Gibson /")}
    assert set(sarah.dates) == expected_sarah and sarah.count == 7
    dates = people.meeting_dates([s for _, s in store.load_all()])
    chart = people.chart(min_, dates)
    assert len(chart) == len(dates) and chart.count(people.BLOCK_ON) == 8


def test_completions_most_recent_line_most_frequent_first(seeded) -> None:
    store, _ = seeded
    comp = people.completions(store)
    assert comp[0] == "Min / @minrk / Simula"
    # Samuel's most recent line, not his first one
    samuel = [c for c in comp if "@sgaist" in c]
    assert samuel == ["Samuel / @sgaist / Idiap Research Institute (might be a couple minutes late)"]
    assert len(comp) == len(set(comp))


def test_completions_from_the_kept_people_are_those_of_every_person(seeded) -> None:
    """``completions`` reads each person's last line from what the index keeps, without
    building the people: the same lines, in the same order, as from :func:`attendance`."""
    store, _ = seeded
    for notes in (True, False):
        assert people.completions(store, notes) == people._completions(people.attendance(store), notes)


# -- next meeting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "date,rule,expected",
    [
        ("2024-11-19", "monthly-nth-weekday", "2024-12-17"),  # third Tuesday -> third Tuesday
        ("2024-12-17", "monthly-nth-weekday", "2025-01-21"),  # across the year
        ("2024-01-30", "monthly-nth-weekday", "2024-02-27"),  # fifth Tuesday -> last one
        ("2024-11-19", "weeks:4", "2024-12-17"),
        ("2024-11-19", "weeks:2", "2024-12-03"),
    ],
)
def test_next_date(date: str, rule: str, expected: str) -> None:
    got = nextmeeting.next_date(date, rule)
    assert got == expected
    assert dt.date.fromisoformat(got).weekday() == dt.date.fromisoformat(date).weekday()


def test_next_date_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        nextmeeting.next_date("2024-06")
    with pytest.raises(ValueError):
        nextmeeting.next_date("2024-11-19", "fortnightly")


def test_next_meeting_carries_deferred_and_unfinished(sessions_dir: Path) -> None:
    store = SessionStore(sessions_dir)
    old = timed_session(store)
    old.agenda_items[2].notes = "- old notes stay behind"
    store.save(old)
    new = nextmeeting.create_next(store, old.id)
    assert new.date == "2025-02-04"  # the Cafe meets on the first and third Tuesday
    assert new.id == "2025-02-04" and store.exists(new.id)
    loaded = store.load(new.id)
    carried = [i for i in loaded.agenda_items if i.carried_from]
    assert [i.text for i in carried] == ["**Erik (15m):** Ports", "**Sarah (20m):** Binder", "Open floor"]
    assert [i.owner for i in carried] == ["Erik", "Sarah", ""]
    assert all(i.notes == "" and i.status == "pending" and i.carried_from == old.id for i in carried)
    assert {i.id for i in carried}.isdisjoint({i.id for i in old.agenda_items})
    assert loaded.template == old.template and loaded.status == "planned"
    assert loaded.attendees == []
    # an explicit date, and an id that does not clobber an existing session
    again = nextmeeting.create_next(store, old.id, date="2025-02-04")
    assert again.id == "2025-02-04-2"


def test_next_meeting_from_import_carries_nothing_untracked(seeded) -> None:
    store, _ = seeded
    new = nextmeeting.create_next(store, "2024-11-19")
    assert new.date == "2024-12-03"  # first Tuesday of December (the team's schedule)
    assert [i for i in new.agenda_items if i.carried_from] == []


# -- broken files -----------------------------------------------------------------------


def test_corrupt_file_listed_as_broken_and_left_untouched(seeded) -> None:
    store, sessions = seeded
    bad = store.root / "2024-12-17.toml"
    raw = b'format_version = 1\nid = "x"\ndate = "2024-12-17"\nsections = [ oops\n'
    bad.write_bytes(raw)
    scan = store.scan()
    assert [b.path.name for b in scan.broken] == ["2024-12-17.toml"]
    assert "invalid TOML" in scan.broken[0].reason
    assert len(scan.sessions) == len(sessions)
    # search, people, stats and next all work around it
    assert search.search(store, "traefik")
    assert people.attendance(store)
    assert stats.summary(store)
    new = nextmeeting.create_next(store, "2024-11-19", rule="monthly-nth-weekday")
    assert new.id == "2024-12-17-2"  # the broken file's name is not reused
    from facilitator.screens.browse import rows_of  # rows are plain data

    rows = rows_of(store.scan())
    assert any(r.broken and r.cells[5].startswith("unreadable: invalid TOML") for r in rows)
    assert bad.read_bytes() == raw


# -- CLI ------------------------------------------------------------------------------


def run_cli(store: SessionStore, *argv: str) -> tuple[int, str, str]:
    import argparse

    parser = argparse.ArgumentParser(prog="facilitator")
    sub = parser.add_subparsers(dest="command")
    history_cli.add_commands(sub)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    code = history_cli.run(args, store, out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_search_stats_people_next(seeded) -> None:
    store, _ = seeded
    code, out, _ = run_cli(store, "search", "traefik")
    assert code == 0
    assert (
        "2024-09-17  Collaboration Cafe  Agenda/Configurable HTTP proxy running out of ephemeral ports: "
        "Proposal to try switching to traefik again: <https://github.com/jupyterhub/zero-to-jupyterhub-k8s/issues/3497>"
    ) in out.splitlines()
    code, out, _ = run_cli(store, "stats", "2024-11-19")
    assert code == 0 and "Adopting JupyterHealth" in out and "—" in out
    code, out, _ = run_cli(store, "people", "--json")
    data = json.loads(out)
    assert data[0]["handle"] == "minrk" and data[0]["sessions"] == 8
    code, out, _ = run_cli(store, "next", "2024-11-19", "--date", "2024-12-10")
    assert code == 0 and out.strip() == "2024-12-10" and store.exists("2024-12-10")


@pytest.mark.parametrize(
    "argv,needle",
    [
        (("next", "no-such"), "no session 'no-such'"),
        (("next", "2024-11-19", "--date", "tomorrow"), "not a day"),
        (("stats", "--from", "soon"), "not a date"),
        (("search", "!!!"), "nothing to search for"),
    ],
)
def test_cli_errors_are_one_line(seeded, argv, needle) -> None:
    store, _ = seeded
    code, out, err = run_cli(store, *argv)
    assert code == 1
    assert err.startswith("facilitator: error: ") and needle in err
    assert err.count("\n") == 1


def test_cli_search_shows_the_best_hits_and_says_how_many_more(seeded) -> None:
    """A word said in many meetings: the best few, ranked, and a last line (stderr) on how
    to see the rest; ``--all`` prints every hit, the same ones ``search.search`` finds."""
    from tests.conftest import run_cli as run_facilitator

    store, _ = seeded
    every = search.search(store, "the", ranked=True, snippets=False)
    assert len(every) > 5
    rc, out, err = run_facilitator("--sessions", store.root, "search", "the", "--limit", "3")
    assert rc == 0 and len(out.splitlines()) == 3
    assert out.splitlines()[0].startswith(f"{every[0].date}  ")
    assert err.strip() == (f"{len(every) - 3:,} more hits (the best 3 of {len(every):,} shown): "
                           "--limit N shows N, --all shows every one")
    rc, out, err = run_facilitator("--sessions", store.root, "search", "the", "--all")
    assert rc == 0 and len(out.splitlines()) == len(every) and err == ""
    rc, out, err = run_facilitator("--sessions", store.root, "search", "the")
    assert len(out.splitlines()) == min(len(every), history_cli.SEARCH_LIMIT)
    rc, out, err = run_facilitator("--sessions", store.root, "search", "traefik", "--limit", "50")
    assert rc == 0 and err == "" and len(out.splitlines()) == len(search.search(store, "traefik"))
    rc, _, err = run_facilitator("--sessions", store.root, "search", "the", "--limit", "-2")
    assert rc == 1 and "--limit must be 0" in err
