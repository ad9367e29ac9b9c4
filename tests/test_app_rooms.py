"""The 2026 Cafe in the app: breakout rooms from the suggestions, one shared countdown,
notes per room, actions and decisions, the presenter view; and the small fixes (F5 on the
overview, → then Enter in check-in, leaving the meeting)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from facilitator.model import AgendaItem
from facilitator.rooms import room_info
from facilitator.screens.presenter import PresenterScreen
from facilitator.screens.rooms import OpenRoomsScreen
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_app_forms import burst
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app, shown, type_text


def cafe_2026(sessions_dir: Path) -> None:
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-06-16", date="2026-06-16", agenda=[
        AgendaItem(text="JupyterHub PR review", notes="- +1 from Sarah"),
        AgendaItem(text="Jupyter Book"),
    ])
    checkin = s.sections[0]
    from facilitator.model import Attendee

    checkin.attendees = [Attendee("Min (he/him) / @minrk / UC Berkeley / California"), Attendee("Sarah / @sgibson91 / 2i2c")]
    SessionStore(sessions_dir).save(s)


async def to_stage(pilot, kind: str, word: str = ""):
    m = pilot.app.screen
    for _ in range(len(m.stages) + 1):
        st = m.stage
        if st.kind == kind and (not word or word.lower() in (st.section.heading if st.section else "").lower()):
            return m
        await pilot.press("f3")
    raise AssertionError(f"no {kind} stage")


async def test_rooms_from_suggestions_shared_timer_notes_and_presenter(sessions_dir: Path, tmp_path: Path) -> None:
    cafe_2026(sessions_dir)
    clock = FakeClock()
    app = make_app(sessions_dir, clock, tmp_path, open_id="2026-06-16")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = await to_stage(pilot, "agenda", "breakout")
        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenRoomsScreen)
        assert dialog.query_one("#room-members-0", Input).value == "Sarah"  # signed up under it
        dialog.query_one("#room-host-0", Input).value = "Min"
        dialog.query_one("#rooms-minutes", Input).value = "25"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is m and m.stage.kind == "room"
        rooms = m.session.rooms
        assert [room_info(r).topic for r in rooms] == ["JupyterHub PR review", "Jupyter Book"]
        assert "host Min" in await shown(pilot)
        assert m.engine.rooms_view().text == "25:00"
        await type_text(pilot, "@minrk to merge")
        await pilot.press("ctrl+a")
        assert rooms[0].body.endswith("- Action: @minrk to merge")
        await pilot.press("ctrl+g")  # the next room, its own notes
        assert m.stage.section is rooms[1]
        await type_text(pilot, "release friday")
        await pilot.press("ctrl+d")
        assert rooms[1].body.rstrip().endswith("- Decision: release friday")
        clock.advance(21 * 60)
        await pilot.pause(0.3)
        assert m.engine.rooms_view().state == "warning"
        await pilot.press("f8")  # +5 for every room
        assert m.session.clock.rooms_extra_seconds == 300
        clock.advance(10 * 60)
        await pilot.pause(0.4)
        assert app.bells == 1 and m.engine.rooms_view().state == "overtime"
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PresenterScreen)
        text = await shown(pilot)
        assert "Room 1: JupyterHub PR review" in text and "Room 2: Jupyter Book" in text and "over time by" in text
        await pilot.press("escape")
        await pilot.press("ctrl+e")  # bring everyone back
        await pilot.pause()
        assert not m.engine.rooms_open and round(m.session.clock.rooms_elapsed) == 31 * 60
        await pilot.press("f10")
        await pilot.pause(0.5)
        finish = app.screen
        for _ in range(20):
            if finish.markdown is not None:
                break
            await pilot.pause(0.1)
        assert "#### Notes for Breakout room 1: JupyterHub PR review\n\n- Host: Min\n- Members: Sarah\n- Action: @minrk to merge" in finish.markdown
        marked = str(finish.query_one("#finish-marked").render())
        assert "Action (@minrk): @minrk to merge" in marked and "Decision: release friday" in marked
    saved = SessionStore(sessions_dir).load("2026-06-16")
    assert len(saved.rooms) == 2 and "Decision: release friday" in saved.rooms[1].body


async def test_f5_on_the_overview_starts_the_next_pending_item(sessions_dir: Path, tmp_path: Path) -> None:
    tpl = get_template("collab-cafe")
    s = new_session(tpl, "2025-01-21", date="2025-01-21", agenda=[
        AgendaItem(tpl.agenda_text("Min", 10, "A")), AgendaItem(tpl.agenda_text("Yuvi", 5, "B"))])
    SessionStore(sessions_dir).save(s)
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = await to_stage(pilot, "agenda")
        assert "F5 starts “Min: A”" in await shown(pilot)
        await pilot.press("down", "down")  # highlight the second row: F5 still takes the next pending
        await pilot.press("f5")
        assert m.engine.current is m.session.agenda_items[0] and m.engine.running
        await pilot.press("f5")  # pause
        assert not m.engine.running
        await pilot.press("f5")  # resume, not a new item
        assert m.engine.current is m.session.agenda_items[0] and m.engine.running


async def test_right_then_enter_at_once_adds_the_suggestion(sessions_dir: Path, tmp_path: Path) -> None:
    tpl = get_template("collab-cafe")
    SessionStore(sessions_dir).save(new_session(tpl, "2025-01-21", date="2025-01-21"))
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.screen
        m.query_one("#pane-entries").suggestions = ["Sarah Gibson / @sgibson91 / 2i2c"]
        # one burst: no time for the suggester's worker to answer
        await burst(pilot, "S", "a", "right", "enter")
        assert [a.text for a in m.session.attendees] == ["Sarah Gibson / @sgibson91 / 2i2c"]


async def test_leaving_is_in_the_footer_and_says_the_timer_runs(sessions_dir: Path, tmp_path: Path) -> None:
    tpl = get_template("collab-cafe")
    s = new_session(tpl, "2025-01-21", date="2025-01-21", agenda=[AgendaItem(tpl.agenda_text("Min", 10, "A"))])
    SessionStore(sessions_dir).save(s)
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        m = await to_stage(pilot, "item")
        assert "^o Leave" in await shown(pilot)
        await pilot.press("f5", "ctrl+o")
        await pilot.pause()
        assert app.screen is not m
    assert SessionStore(sessions_dir).load("2025-01-21").clock.running


async def test_members_complete_from_the_check_in() -> None:
    from facilitator.screens.rooms import MembersSuggester

    s = MembersSuggester(["Sarah Gibson", "Min RK", "Simon Li"])
    assert await s.get_suggestion("Sa") == "Sarah Gibson"
    assert await s.get_suggestion("Sarah Gibson, si") == "Sarah Gibson, Simon Li"
    assert await s.get_suggestion("Sarah Gibson, sa") is None  # already in the room
    assert await s.get_suggestion("Sarah Gibson, ") is None


async def test_pasted_agenda_lines_all_become_items_with_notes(sessions_dir: Path, tmp_path: Path) -> None:
    from textual import events

    cafe_2026(sessions_dir)
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2026-06-16")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = await to_stage(pilot, "agenda")
        field = m.query_one("#agenda-text", Input)
        field.focus()
        await pilot.pause()
        before = list(m.session.agenda_items)
        field.post_message(events.Paste("**Min (10m):** A\n    notes under A\n**Yuvi (5m):** B"))
        await pilot.pause()
        new = [i for i in m.session.agenda_items if i not in before]
        assert [(i.owner, i.title, i.notes) for i in new] == [("Min", "A", "- notes under A"), ("Yuvi", "B", "")]
        assert field.value == ""  # not the first line cut off and left in the box
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Added 2 items" in said and "sub-bullets" in said
        assert "Yuvi" in await shown(pilot)
        field.post_message(events.Paste("one line"))  # a single line is typed into the box
        await pilot.pause()
        assert field.value == "one line"


def footer_keys(screen) -> dict[str, bool]:
    """The keys the footer shows (bindings with ``show``): description -> enabled."""
    return {b.binding.description: b.enabled for b in screen.active_bindings.values() if b.binding.show}


async def test_every_footer_key_shown_applies_on_every_stage_kind(sessions_dir: Path, tmp_path: Path) -> None:
    cafe_2026(sessions_dir)
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2026-06-16")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.screen
        seen: dict[str, dict[str, bool]] = {}

        async def walk() -> None:
            await pilot.press("f2")
            for n in range(len(m.stages)):
                await pilot.pause()
                keys = footer_keys(m)
                assert keys and all(keys.values()), (m.stage.kind, keys)
                seen.setdefault(str(m.stage.kind), keys)
                if n < len(m.stages) - 1:
                    await pilot.press("f3")

        m.show_stage(0)
        await walk()
        assert "Timer" not in seen["checkin"]  # nothing to start or pause there yet
        assert "◀" not in seen["checkin"]  # the first stage
        assert "▶" in seen["checkin"] and "Timer" in seen["agenda"]
        assert "Defer" in seen["item"] and "Defer" in seen["agenda"] and "Defer" not in seen["list"]
        m.show_stage(0)
        await to_stage(pilot, "agenda", "breakout")
        await pilot.press("ctrl+r")
        await pilot.pause()
        app.screen.query_one("#rooms-minutes", Input).value = "20"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert m.stage.kind == "room"
        keys = footer_keys(m)
        assert all(keys.values()) and "Defer" not in keys and "Timer" in keys
        running = m.engine.rooms_view().state
        await pilot.press("f5")  # the shown key acts: the rooms' shared countdown pauses
        assert m.engine.rooms_view().state != running
        seen.clear()
        m.show_stage(0)
        await walk()
        assert {"checkin", "list", "agenda", "item", "room"} <= set(seen)
        assert "Defer" not in seen["room"]


async def test_checkin_prompt_shows_over_the_list_not_as_entry_one(sessions_dir: Path, tmp_path: Path) -> None:
    from textual.widgets import OptionList, Static

    tpl = get_template("collab-cafe-2025")
    SessionStore(sessions_dir).save(new_session(tpl, "2026-06-16", date="2026-06-16"))
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2026-06-16")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        m = app.screen
        assert m.stage.kind == "checkin"
        lst = m.query_one("#entry-list", OptionList)
        assert lst.option_count == 0  # the prompt is not entry 1
        title = str(m.query_one("#entry-title", Static).render())
        assert "0 checked in" in title and "Name (and pronouns" in title
        await type_text(pilot, "Min / @minrk / BIDS")
        await pilot.press("enter")
        await pilot.pause()
        assert lst.option_count == 1 and "Min" in str(lst.get_option_at_index(0).prompt)
        assert [a.name for a in m.session.attendees] == ["Min"]
