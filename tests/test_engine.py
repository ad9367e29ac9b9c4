"""The meeting engine on its own: a whole Collaboration Cafe run with an injected clock, no Textual."""

from __future__ import annotations

from facilitator import actions
from facilitator.archive import archive_markdown
from facilitator.engine import Change, Meeting, StageKind
from facilitator.model import ItemStatus, SectionKind, Session, SessionStatus
from facilitator.rooms import RoomPlan, room_host, room_info
from facilitator.templates import get_template, new_session
from tests.conftest import FakeClock


def cafe(template: str = "collab-cafe-2025") -> tuple[Meeting, FakeClock, list[Change], list[Session]]:
    tpl = get_template(template)
    session = new_session(tpl, "2026-06-16", date="2026-06-16")
    clock = FakeClock(wall0=1_780_000_000.0)  # 2026-05-28, before the 2026 cafe's date
    saved: list[Session] = []
    m = Meeting(session, tpl, clock.now, clock.wall, saver=saved.append)
    changes: list[Change] = []
    m.subscribe(changes.append)
    return m, clock, changes, saved


def section(m: Meeting, kind: str, word: str = ""):
    return next(s for s in m.session.sections if s.kind == kind and word.lower() in s.heading.lower())


def test_the_2026_cafe_from_check_in_to_markdown() -> None:
    m, clock, changes, saved = cafe()
    checkin = section(m, SectionKind.CHECKIN)
    checkin.attendees.clear()  # the template's prompt line
    m.add_entry(checkin, "Min (he/him) / @minrk / UC Berkeley / California")
    m.add_entry(checkin, "Sarah / @sgibson91 / 2i2c / UK")
    assert m.session.status == SessionStatus.LIVE and m.session.clock.meeting_started_at
    m.add_entry(checkin, "Yuvi / @yuvipanda / 2i2c")
    assert m.toggle_late(checkin, 2) and checkin.attendees[2].text.endswith("(late)")
    ice = section(m, SectionKind.LIST, "ice")
    ice.intro = "What are you reading?"
    m.add_entry(ice, "Min: latest Murderbot")
    m.add_entry(section(m, SectionKind.CELEBRATIONS), "Welcome Serena!")
    sugg = section(m, SectionKind.AGENDA, "breakout")
    a = m.add_item("JupyterHub PR review", notes="- +1 from Sarah")
    b = m.add_item("Jupyter Book")
    assert a in sugg.items and m.dirty and Change.STRUCTURE in changes
    assert [s.kind for s in m.stages][:5] == [StageKind.CHECKIN, StageKind.LIST, StageKind.LIST, StageKind.AGENDA, StageKind.ITEM]
    # who signed up under each suggestion comes from the check-in names
    assert [(i.title or i.text, names) for i, names in m.suggestions()] == [("JupyterHub PR review", ["Sarah"]), ("Jupyter Book", [])]

    made = m.open_rooms([RoomPlan("JupyterHub PR review", host="Min", members=["Sarah"]), RoomPlan("Jupyter Book")], 25)
    assert [room_info(r).number for r in made] == [1, 2] and room_host(made[0]) == "Min"
    assert [s.kind for s in m.stages].count(StageKind.ROOM) == 2
    clock.advance(20 * 60)
    assert m.rooms_view().state == "warning"
    m.extend_rooms(300)  # +5 for every room: kept apart from the 25 planned
    assert (m.session.clock.rooms_planned_seconds, m.session.clock.rooms_extra_seconds) == (1500, 300)
    clock.advance(11 * 60)
    assert m.rooms_view().state == "overtime" and m.should_bell() and not m.should_bell()
    m.set_body(made[0], made[0].body + "- security advisor script: https://gist.github.com/x\n- Action: @minrk to merge #5192\n")
    m.set_body(made[1], "- Decision: release on Friday\n")
    assert m.bring_back() == 31 * 60 and not m.rooms_open

    # an agenda with timers: defer, next, extend
    c = m.add_item("**Min (10m):** Security")
    m.defer(a)
    m.defer(b)
    m.start(c)
    clock.advance(9 * 60)
    m.extend(60, c)
    clock.advance(3 * 60)
    assert c.extra_seconds == 60 and c.minutes == 10  # the timebox as written stays
    assert m.next_item() is None and c.status == ItemStatus.DONE and c.actual_seconds == 12 * 60
    m.finish()
    assert m.session.status == SessionStatus.FINISHED
    m.save()
    assert saved and not m.dirty

    md = archive_markdown(m.session, m.template)
    assert "#### Notes for Breakout room 1: JupyterHub PR review\n\n- Host: Min\n- Members: Sarah\n" in md
    assert "- security advisor script: <https://gist.github.com/x>" in md
    assert "### Ice breaker 🧊⛏️\n\nWhat are you reading?\n\n- Min: latest Murderbot\n" in md
    assert "Yuvi / @yuvipanda / 2i2c (late)" in md
    assert [(x.kind, x.owner) for x in actions.session_marked(m.session)] == [("action", "minrk"), ("decision", "")]


def test_reopened_meeting_keeps_running_rooms_and_item() -> None:
    m, clock, _, _ = cafe()
    item = m.add_item("**Min (10m):** Roadmap")
    m.start(item)
    m.open_rooms([RoomPlan("A")], 10)
    clock.advance(120)
    m.sync()
    data = m.session.to_dict()
    clock.advance(60)  # closed for a minute
    again = Meeting(Session.from_dict(data), m.template, clock.now, clock.wall)
    assert again.current is not None and round(again.timer.elapsed_seconds()) == 180
    assert again.rooms_open and round(again.rooms_timer.elapsed_seconds()) == 180


def test_entries_move_edit_remove_and_notify() -> None:
    m, _, changes, _ = cafe()
    cel = section(m, SectionKind.CELEBRATIONS)
    for t in ("a", "b", "c"):
        m.add_entry(cel, t)
    assert m.move_entry(cel, 0, 1) == 1 and cel.entries == ["b", "a", "c"]
    assert m.move_entry(cel, 0, -1) is None
    m.edit_entry(cel, 2, "C")
    assert m.remove_entry(cel, 0) == "b" and cel.entries == ["a", "C"]
    assert changes.count(Change.STRUCTURE) >= 5


def test_overview_start_key_takes_the_next_pending_item() -> None:
    m, _, _, _ = cafe("collab-cafe")
    a, b = m.add_item("A"), m.add_item("B")
    m.defer(a)
    assert m.next_pending() is b
    m.start(b)
    m.pause()
    assert m.next_pending() is b  # resumes the paused one


def test_mark_line_as_action_or_decision() -> None:
    mark = actions.mark_line
    assert mark("- @minrk to merge #5192", actions.Mark.ACTION) == "- Action: @minrk to merge #5192"
    assert mark("  * release Friday", actions.Mark.DECISION) == "  * Decision: release Friday"
    assert mark("- Action: x", actions.Mark.ACTION) == "- x"  # again takes it off
    assert mark("- Action: x", actions.Mark.DECISION) == "- Decision: x"
    assert mark("", actions.Mark.ACTION) == "- Action: "
    found = actions.find_marked("- ACTION: Arielle & @arielle to work up a template\n        - **Decision** - one more week\n- [x] Action: done @a")
    assert [(f.kind, f.owner, f.done) for f in found] == [("action", "arielle", False), ("decision", "", False), ("action", "a", True)]



def test_pasted_agenda_adds_every_item_with_indented_lines_as_notes() -> None:
    from facilitator.engine import Meeting
    from facilitator.templates import get_template, new_session

    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-06-16", date="2026-06-16")
    m = Meeting(s, template=tpl)
    before = len(s.agenda_items)
    added, messages = m.add_agenda_text("**Min (10m):** A\n    notes under A\n**Yuvi (5m):** B\n")
    assert [(i.owner, i.minutes, i.title) for i in added] == [("Min", 10, "A"), ("Yuvi", 5, "B")]
    assert added[0].notes == "- notes under A" and added[1].notes == ""
    assert len(s.agenda_items) == before + 2
    assert any("sub-bullets" in msg for msg in messages)
    added, messages = m.add_agenda_text("    orphan line\nC")
    assert [i.text for i in added] == ["orphan line", "C"]
    assert any("no item above" in msg for msg in messages)


def test_checkin_prompt_line_is_the_lists_prompt_not_an_attendee(fixtures_dir) -> None:
    from facilitator.engine import Meeting
    from facilitator.markdown import parse_document, render_session
    from facilitator.templates import get_template, new_session

    prompt = "*Name (and pronouns if you'd like) / GitHub handle / affiliation / geographic location*"
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-06-16", date="2026-06-16")
    checkin = s.sections[0]
    m = Meeting(s, template=tpl)
    assert m.entries(checkin) == [] and s.attendees == []
    assert m.list_prompt(checkin).startswith("Name (and pronouns")
    m.add_entry(checkin, "Min / @minrk / BIDS")
    out = render_session(s, tpl)
    assert prompt not in out and "Name (and pronouns" not in out  # 2026 meetings drop it
    assert "* Min / @minrk / BIDS" in out or "- Min / @minrk / BIDS" in out
    assert type(s).from_dict(s.to_dict()).sections[0].prompt == checkin.prompt

    # An imported 2025 meeting that kept the line: written back as it was, yet not an entry.
    text = (fixtures_dir / "archives" / "collab-cafe-2025.md").read_text(encoding="utf-8")
    old = next(x for x in parse_document(text, "collab-cafe-2025").sessions if x.date == "2025-12-16")
    sec = old.sections[0]
    im = Meeting(old, template=tpl)
    first = im.entries(sec)[0]
    assert first.startswith("Kirstie Whitaker") and im.list_prompt(sec).startswith("Name (and pronouns")
    im.edit_entry(sec, 0, first + " (late)")
    im.move_entry(sec, 1, -1)
    assert sec.attendees[0].text == prompt  # still the top line, as the archive writes it
    assert prompt in render_session(old, tpl)
    assert len(old.attendees) == len(im.entries(sec))


def test_a_pasted_block_is_one_change() -> None:
    """add_entries: the lines at the end in order, as one change of the list, the clock
    started by the check-in; an empty block adds and changes nothing."""
    m, clock, changes, saved = cafe()
    checkin = section(m, SectionKind.CHECKIN)
    before = m.entries(checkin)
    assert m.add_entries(checkin, []) == len(before) - 1 and changes == [] and m.entries(checkin) == before
    assert m.add_entries(checkin, ["Bob / @bob", "Cy / @cy"]) == len(before) + 1
    assert m.entries(checkin) == before + ["Bob / @bob", "Cy / @cy"]
    assert changes.count(Change.STRUCTURE) == 1 and m.session.clock.meeting_started_at == clock.wall()
    assert m.session.status == SessionStatus.LIVE


def test_every_line_of_text_the_engine_takes_is_cleaned() -> None:
    """Whatever a screen sends (a paste, a form, a future path), an entry, an item or a
    question never holds a control character: each shows as its stand-in, one for one."""
    from tests.test_controls import CONTROLS, forbidden

    hostile = "x" + "".join(CONTROLS) + " \x1b]52;c;ZXZpbA==\x07 zq"
    m, clock, changes, saved = cafe()
    checkin = section(m, SectionKind.CHECKIN)
    celebrations = section(m, SectionKind.CELEBRATIONS)
    m.add_entry(checkin, "Ada " + hostile)
    m.add_entries(checkin, ["Bob " + hostile, "Cy"])
    m.edit_entry(celebrations, m.add_entry(celebrations, "first"), "Shipped " + hostile)
    m.set_intro(celebrations, "Question " + hostile)
    item = m.add_item("**Min (5m):** " + hostile, notes="- " + hostile)
    m.edit_item(m.add_item("later"), "**Ada (5m):** " + hostile)
    added, _ = m.add_agenda_text("**Sam (5m):** " + hostile + "\n  - a note " + hostile)
    texts = [*m.entries(checkin), *m.entries(celebrations), celebrations.intro, item.notes,
             *(i.text for i in m.session.agenda_items), *(i.notes for i in added)]
    assert forbidden("".join(texts)) == []
    marked = [t for t in texts if "zq" in t]
    assert len(marked) == 9 and all("\u241b" in t for t in marked)
    assert m.entries(checkin)[-1] == "Cy" and "x" in m.entries(checkin)[0]
