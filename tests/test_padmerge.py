"""After the call: the pad merged back into the session (Etherpad text and HackMD Markdown)."""

from __future__ import annotations

from pathlib import Path


from facilitator import padmerge, prepare
from facilitator.model import AgendaItem
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_cli import assert_one_error, run_cli

ETHERPAD = """Collaboration Cafe

- Date: Tuesday 16 June 2026
- Time: 11:00 America/Los_Angeles (18:00 UTC)

Welcome! Please sign in below. This meeting is held under Jupyter's Code of Conduct: https://jupyter.org/

Check-in

- Name / @github / Institution
- Min / @minrk / Simula
- Sarah Gibson / @sgibson91 / 2i2c

Ice breaker

What's your favourite tea?

- Min: green
- Sarah: earl grey

Celebrations and Shout-Outs :tada:

- z2jh 4.0 released!

Agenda

- **Min (10m):** Release
  - shipped 5.0
  - next: docs
- **Erik (5m):** Ports
"""



def planned(template: str = "collab-cafe"):
    tpl = get_template(template)
    s = new_session(tpl, "2026-06-16", "2026-06-16", agenda=[AgendaItem("**Min (10m):** Release", notes="- shipped 5.0")])
    return s, tpl


def test_etherpad_merges_attendees_entries_and_notes_once() -> None:
    s, tpl = planned()
    s.sections[0].attendees.append(__import__("facilitator.model", fromlist=["Attendee"]).Attendee("Min RK / @MinRK / Simula"))
    plan = padmerge.plan_merge(s, ETHERPAD, tpl)
    assert plan.changes == [
        "+ attendee: Sarah Gibson / @sgibson91 / 2i2c",  # Min is already in (same handle)
        "+ section: Ice breaker",
        "+ Ice breaker: Min: green",
        "+ Ice breaker: Sarah: earl grey",
        "+ Celebrations and Shout-Outs: z2jh 4.0 released!",
        "+ note under 'Release': - next: docs",
        "+ item: **Erik (5m):** Ports",
    ]
    merged = plan.merged
    assert [a.text for a in merged.attendees] == ["Min RK / @MinRK / Simula", "Sarah Gibson / @sgibson91 / 2i2c"]
    release = merged.agenda_items[0]
    assert release.notes == "- shipped 5.0\n- next: docs"
    assert [i.text for i in merged.agenda_items] == ["**Min (10m):** Release", "**Erik (5m):** Ports"]
    ice = next(sec for sec in merged.sections if sec.heading == "Ice breaker")
    assert ice.intro == "What's your favourite tea?"
    assert s.agenda_items[0].notes == "- shipped 5.0"  # planning does not touch the session
    assert padmerge.plan_merge(merged, ETHERPAD, tpl).changes == []  # pasted twice: nothing new


def test_hackmd_pad_from_our_own_skeleton_round_trips() -> None:
    tpl = get_template("hackmd-team-meeting")
    s = new_session(tpl, "2026-07-21", "2026-07-21")
    pad = prepare.pad_text(s, tpl, icebreaker="Tea?")
    # the empty skeleton adds only its ice-breaker question
    assert padmerge.plan_merge(s, pad, tpl).changes == ["+ section: Ice breaker"]
    filled = pad.replace("- name / institution / GitHub handle\n", "- name / institution / GitHub handle\n- Min RK / Simula / @minrk\n")
    filled += "- **Yuvi** (5m): Cost reports\n  - agreed to ship\n"
    plan = padmerge.plan_merge(s, filled, tpl)
    assert "+ attendee: Min RK / Simula / @minrk" in plan.changes
    assert "+ item: **Yuvi** (5m): Cost reports" in plan.changes
    item = plan.merged.find_item(plan.merged.agenda_items[-1].id)
    assert item.notes == "- agreed to ship"


def test_cli_preview_then_apply(sessions_dir: Path, tmp_path: Path) -> None:
    pad = tmp_path / "pad.txt"
    pad.write_text(ETHERPAD, encoding="utf-8")
    rc, out, _ = run_cli("--sessions", sessions_dir, "new", "--date", "2026-06-16")
    sid = out.strip()
    rc, out, err = run_cli("--sessions", sessions_dir, "merge-pad", sid, pad)
    assert rc == 0 and "+ attendee: Min / @minrk / Simula" in out and "--apply" in err
    st = SessionStore(sessions_dir)
    assert st.load(sid).attendees == []  # a preview changes nothing
    rc, out, err = run_cli("--sessions", sessions_dir, "merge-pad", sid, "-", "--apply", stdin=ETHERPAD)
    assert rc == 0, err
    assert [a.handle for a in st.load(sid).attendees] == ["minrk", "sgibson91"]
    rc, out, err = run_cli("--sessions", sessions_dir, "merge-pad", sid, pad, "--apply")
    assert rc == 0 and out == "" and "adds nothing new" in err
    rc, _, err = run_cli("--sessions", sessions_dir, "merge-pad", sid, tmp_path / "missing.txt")
    assert_one_error(rc, err, "missing.txt")


def test_cli_clipboard_unavailable_is_one_line(sessions_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    rc, out, _ = run_cli("--sessions", sessions_dir, "new", "--date", "2026-06-16")
    rc, _, err = run_cli("--sessions", sessions_dir, "merge-pad", out.strip())
    assert_one_error(rc, err, "cannot read the pad from the clipboard", "no graphical display")


def session_with_rooms():
    """A real session whose rooms were opened live by the engine (numbered, with topics)."""
    from facilitator import rooms
    from facilitator.engine import Meeting

    s, tpl = planned()
    eng = Meeting(s, template=tpl, now=lambda: 100.0, wall=lambda: 1_780_000_000.0)
    eng.open_rooms([rooms.RoomPlan("Jupyter Hub", host="Min"), rooms.RoomPlan("MyBinder")], 20)
    s.rooms[1].body = "- builds are slow\n"
    return s, tpl


HACKMD_ROOMS = """# Collaboration Cafe

### Agenda

#### Notes for Breakout room 1: Jupyter Hub

- Host: Min
- Discussed the 5.0 release

### Notes for mybinder

- builds are slow
- federation has a new member

#### Notes for Breakout room 3: Pangeo

- cloud costs
"""


def test_pad_room_notes_land_in_the_matching_rooms_once() -> None:
    s, tpl = session_with_rooms()
    assert [sec.heading for sec in s.rooms] == [
        "Notes for Breakout room 1: Jupyter Hub", "Notes for Breakout room 2: MyBinder"]
    plan = padmerge.plan_merge(s, HACKMD_ROOMS, tpl)
    assert plan.changes == [
        "+ note in room 'Room 1: Jupyter Hub': - Discussed the 5.0 release",  # by number
        "+ note in room 'Room 2: MyBinder': - federation has a new member",  # by topic, any case
        "+ room: Room 3: Pangeo",  # a room the session lacks
        "+ note in room 'Room 3: Pangeo': - cloud costs",
    ]
    merged = plan.merged
    hub, binder, pangeo = merged.rooms
    assert hub.body == "- Host: Min\n- Discussed the 5.0 release\n"
    assert binder.body == "- builds are slow\n- federation has a new member\n"
    assert pangeo.heading == "Notes for Breakout room 3: Pangeo" and pangeo.level == hub.level
    assert pangeo.body == "- cloud costs\n"
    assert merged.sections.index(pangeo) == merged.sections.index(binder) + 1
    assert len(s.rooms) == 2 and "Discussed" not in s.rooms[0].body  # planning leaves s alone
    assert padmerge.plan_merge(merged, HACKMD_ROOMS, tpl).changes == []  # pasted twice


def test_etherpad_room_lines_are_rooms_too() -> None:
    s, tpl = session_with_rooms()
    pad = ETHERPAD + "\nNotes for Breakout room 2: something else\n\n- binderhub 1.0 plan\n\nNotes for Outreachy\n\n- mentors needed\n"
    plan = padmerge.plan_merge(s, pad, tpl)
    assert "+ note in room 'Room 2: MyBinder': - binderhub 1.0 plan" in plan.changes  # number wins
    assert "+ room: Outreachy" in plan.changes
    assert "+ note in room 'Outreachy': - mentors needed" in plan.changes
    assert plan.merged.rooms[-1].heading == "Notes for Outreachy"
    assert plan.merged.rooms[-1].level == tpl.room_level
    assert padmerge.plan_merge(plan.merged, pad, tpl).changes == []


def test_an_older_templates_pad_loses_nothing_and_shows_what_it_adds() -> None:
    """A 2024-shaped pad pasted into a 2025 session: its sign-in hint is no attendee, and the
    preview shows every line a new item or section brings."""
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-12-01", "2026-12-01")
    pad = ETHERPAD.replace("Celebrations and Shout-Outs :tada:", "Shout-outs")
    plan = padmerge.plan_merge(s, pad, tpl)
    assert "+ attendee: Name / @github / Institution" not in plan.changes  # the 2024 hint
    assert "+ attendee: Min / @minrk / Simula" in plan.changes
    text = "\n".join(plan.changes)
    for line in ("z2jh 4.0 released!", "shipped 5.0", "next: docs"):
        assert line in text  # nothing goes in unseen
    assert padmerge.plan_merge(plan.merged, pad, tpl).changes == []
