"""Breakout rooms: every room shape of the 2025 and 2026 archives read into rooms, shown back exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from facilitator.markdown import mdformat_text, parse_document, render_session
from facilitator.model import SectionKind, Session
from facilitator.rooms import RoomPlan, new_room, parse_room_heading, room_host, room_info, room_members
from tests.test_cli import run_cli
from tests.test_roundtrip import import_file, meeting_chunks, show

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"
NEW_STYLE = [ARCHIVES / "collab-cafe-2025.md", ARCHIVES / "collab-cafe-2026.md"]
NOTES_FOR = re.compile(r"(?m)^#{3,6} Notes for ")



@pytest.mark.parametrize("path", NEW_STYLE, ids=lambda p: p.name)
def test_every_meeting_shown_equals_its_section(sessions_dir: Path, path: Path) -> None:
    ids = import_file(sessions_dir, path)
    chunks = meeting_chunks(path.read_text(encoding="utf-8"))
    assert len(ids) == len(chunks)
    for sid, (_date, chunk) in zip(ids, chunks):
        assert show(sessions_dir, sid) == mdformat_text(chunk), sid


@pytest.mark.parametrize("path", NEW_STYLE, ids=lambda p: p.name)
def test_every_notes_for_heading_is_a_room(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = parse_document(text)
    for session, (date, chunk) in zip(doc.sessions, meeting_chunks(text)):
        headings = [s.heading for s in session.rooms]
        notes_for = len(NOTES_FOR.findall(chunk))
        assert sum(1 for h in headings if h.startswith("Notes for")) == notes_for, date
        for sec in session.rooms:  # notes kept in the room, not as raw text
            assert sec.kind == SectionKind.ROOM
    assert sum(len(s.rooms) for s in doc.sessions) >= len(NOTES_FOR.findall(text))


def test_the_2026_shapes() -> None:
    doc = parse_document((ARCHIVES / "collab-cafe-2026.md").read_text(encoding="utf-8"))
    by_date = {s.date: s for s in doc.sessions}
    first = by_date["2026-06-02"].rooms
    assert [(room_info(r).number, room_info(r).topic) for r in first] == [(1, "Jupyter Hub"), (2, "Jupyter Book")]
    assert first[0].body.startswith("*  JupyterHub!")
    may5 = [room_info(r) for r in by_date["2026-05-05"].rooms]
    assert [(i.number, i.topic) for i in may5] == [(2, "JupyterHub roadmap check-in"), (None, "Myst")]
    assert [(room_info(r).number, room_info(r).topic) for r in by_date["2026-05-19"].rooms][1:] == [(2, ""), (3, "")]
    feb = [room_info(r).topic for r in by_date["2026-02-03"].rooms]
    assert feb == ["JupyterHub Roadmapping workshop", "JupyterBook / MyST a11y", "JupyterBook / MyST AST"]


def test_the_2025_shapes() -> None:
    doc = parse_document((ARCHIVES / "collab-cafe-2025.md").read_text(encoding="utf-8"))
    by_date = {s.date: s for s in doc.sessions}
    main = room_info(by_date["2025-12-02"].rooms[0])
    assert main.main and main.topic == "Prioritization for Jupyter Book"
    assert [room_info(r).topic for r in by_date["2025-10-21"].rooms] == ["JupyterBook tutorial for JupyterCon", "MyBinder"]
    # rooms under a breakouts heading without "Notes for"; a "Topics" heading is not a room
    assert [room_info(r).topic for r in by_date["2025-09-16"].rooms] == ["Funding proposals", "Myst breakout"]
    sep2 = by_date["2025-09-02"]
    assert len(sep2.rooms) == 3
    assert not any("Topics" in r.heading for r in sep2.rooms)


def test_parse_room_heading_variants() -> None:
    assert parse_room_heading("Notes for Breakout room 1: Jupyter Hub ") .__dict__ == {"topic": "Jupyter Hub", "number": 1, "main": False}
    assert parse_room_heading("Notes for Breakout room: JupyterLite").topic == "JupyterLite"
    assert parse_room_heading("Notes for Breakout room JupyterBook / MyST AST").topic == "JupyterBook / MyST AST"
    assert parse_room_heading("Notes for MyBinder").topic == "MyBinder"
    assert parse_room_heading("Check-in 💁") is None


def test_new_rooms_in_each_templates_shape() -> None:
    r26 = new_room(RoomPlan("Jupyter Hub", host="Min", members=["Yuvi", "Sarah"]), 1,
                   "Notes for Breakout room {number}: {topic}", "Notes for Main Room discussion: {topic}", 4)
    assert (r26.level, r26.heading) == (4, "Notes for Breakout room 1: Jupyter Hub")
    assert room_host(r26) == "Min" and room_members(r26) == ["Yuvi", "Sarah"]
    r25 = new_room(RoomPlan("MyBinder"), 2, "Notes for {topic}", "Notes for Main Room discussion: {topic}", 3)
    assert (r25.level, r25.heading, r25.body) == (3, "Notes for MyBinder", "")
    main = new_room(RoomPlan("Prioritization", main=True), 3, "Notes for {topic}", "Notes for Main Room discussion: {topic}", 3)
    assert main.heading == "Notes for Main Room discussion: Prioritization"
    s = Session(id="x", date="2026-06-02", template="collab-cafe-2025", heading="2026-06-02", sections=[r26])
    r26.body += "- Restrict named servers: https://github.com/jupyterhub/jupyterhub/pull/5192\n"
    assert render_session(s) == (
        "## 2026-06-02\n\n#### Notes for Breakout room 1: Jupyter Hub\n\n- Host: Min\n- Members: Yuvi, Sarah\n"
        "- Restrict named servers: <https://github.com/jupyterhub/jupyterhub/pull/5192>\n"
    )


def test_list_json_counts_breakout_rooms(sessions_dir: Path) -> None:
    import_file(sessions_dir, ARCHIVES / "collab-cafe-2026.md")
    rc, out, err = run_cli("--sessions", sessions_dir, "list", "--json")
    assert rc == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["2026-06-02"]["breakout_rooms"] == 2
    assert rows["2026-04-07"]["breakout_rooms"] == 4


def test_the_template_chooses_the_room_shape() -> None:
    from facilitator.engine import Meeting
    from facilitator.templates import TemplateError, get_template, new_session, template_from_dict

    late_2025 = template_from_dict({"name": "cafe-late-2025", "room_heading": "Notes for {topic}", "room_level": 3,
                                    "sections": [{"kind": "agenda", "heading": "Breakout room and agenda item suggestions"}]})
    m = Meeting(new_session(late_2025, "x", date="2025-10-21"), late_2025, lambda: 0.0, lambda: 0.0)
    (room,) = m.open_rooms([RoomPlan("MyBinder")], 20)
    assert (room.level, room.heading) == (3, "Notes for MyBinder")
    assert "### Notes for MyBinder" in render_session(m.session, late_2025)
    tpl26 = get_template("collab-cafe-2025")
    m26 = Meeting(new_session(tpl26, "y", date="2026-06-02"), tpl26, lambda: 0.0, lambda: 0.0)
    assert m26.open_rooms([RoomPlan("Jupyter Hub")], 20)[0].heading == "Notes for Breakout room 1: Jupyter Hub"
    with pytest.raises(TemplateError, match="room_heading"):
        template_from_dict({"name": "bad", "room_heading": "Notes for room {number}"})
