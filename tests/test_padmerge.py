"""After the call: the pad merged back into the session (Etherpad text and HackMD Markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(autouse=True)
def _no_user_templates(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FACILITATOR_TEMPLATES", str(tmp_path / "no-user-templates"))
    monkeypatch.delenv("FACILITATOR_SESSIONS", raising=False)


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
