"""The meeting's typing forms under fast typing, and moving between a form and its list.

``pilot.press`` waits for the app to go idle after every key, which hides the bug a
fast typist (or ``tmux send-keys``) hit: the keys of one burst all went to the field
focused when they were read. ``burst`` sends them the way a terminal does, all at once.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from textual import events
from textual.widgets import Input, OptionList

from facilitator.store import SessionStore
from tests.conftest import FakeClock
from tests.test_app_meeting import go_to_item, open_with_item, shown

CHARS = {"space": " "}
NAMED = re.compile(r"^(f\d+|(ctrl|alt|shift)\+.+)$")  # keys with no character


async def burst(pilot, *keys: str) -> None:
    """Send keys with no pause between them (one terminal read), then let the app catch up."""
    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else CHARS.get(key)
        if char is None and key not in ("tab", "shift+tab", "enter", "up", "down", "left", "right", "backspace") and not NAMED.match(key):
            char = unicodedata.lookup(key.upper().replace("_", " "))
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(4):
        await pilot.pause()


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def to_agenda(pilot):
    await pilot.pause()
    m = pilot.app.screen
    while m.stage.kind != "agenda":
        await pilot.press("f3")
    assert m.query_one("#agenda-owner", Input).has_focus
    return m


async def test_fast_typing_fills_owner_minutes_and_title(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_item(sessions_dir, tmp_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        m = await to_agenda(pilot)
        await burst(pilot, "M", "i", "n", "tab", "1", "0", "tab", *typed("Adopting JupyterHealth"), "enter")
        assert [i.text for i in m.session.agenda_items] == [
            "**Min (10m):** Federation",
            "**Min (10m):** Adopting JupyterHealth",
        ]
        owner, minutes, title = (m.query_one(f"#agenda-{n}", Input) for n in ("owner", "min", "text"))
        assert owner.has_focus and owner.value == minutes.value == title.value == ""
        # and straight on into the next item, still in one burst
        await burst(pilot, "Y", "u", "v", "i", "tab", "5", "tab", "H", "u", "b", "enter", "S", "a", "m")
        assert m.session.agenda_items[-1].text == "**Yuvi (5m):** Hub"
        assert owner.has_focus and owner.value == "Sam"
        assert "Min: Adopting JupyterHealth" in await shown(pilot)


async def test_pressed_keys_fill_the_form(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_item(sessions_dir, tmp_path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        m = await to_agenda(pilot)
        await pilot.press("M", "i", "n", "tab", "1", "0", "tab", *typed("Adopting JupyterHealth"), "enter")
        assert m.session.agenda_items[-1].text == "**Min (10m):** Adopting JupyterHealth"
        assert m.query_one("#agenda-owner", Input).has_focus


async def test_a_whole_agenda_line_in_the_title_box_is_split(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_item(sessions_dir, tmp_path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        m = await to_agenda(pilot)
        for line in ("**Sarah (5m):** Roadmap", "Erik (15 min): Docs sprint", "- **Yuvi (10m):** Hub dash", "Python 3 support"):
            await burst(pilot, "tab", "tab", *typed(line), "enter")
        items = m.session.agenda_items[1:]
        assert [(i.owner, i.minutes, i.title) for i in items] == [
            ("Sarah", 5, "Roadmap"),
            ("Erik", 15, "Docs sprint"),
            ("Yuvi", 10, "Hub dash"),
            ("", None, "Python 3 support"),
        ]
        assert items[1].text == "**Erik (15 min):** Docs sprint"  # the timebox as written
        # with the owner box filled, the title is taken as it is
        await burst(pilot, "A", "n", "n", "tab", "tab", *typed("Sam (5m): x"), "enter")
        assert m.session.agenda_items[-1].title == "Sam (5m): x"
        # a whole line typed into the owner box (where Enter leaves the cursor) is split too
        await burst(pilot, *typed("Jo (5m): Paste"), "enter", *typed("Binder federation"), "enter")
        # ... and a plain line there alone is the item's title, not an owner with no topic
        assert [(i.owner, i.minutes, i.title) for i in m.session.agenda_items[-2:]] == [
            ("Jo", 5, "Paste"),
            ("", None, "Binder federation"),
        ]
        assert m.session.agenda_items[-1].text == "Binder federation"


async def test_down_goes_to_the_list_and_up_comes_back(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_item(sessions_dir, tmp_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        m = await to_agenda(pilot)
        lst = m.query_one("#agenda-list", OptionList)
        await pilot.press("down")
        assert lst.has_focus and lst.highlighted == 0
        await pilot.press("e")  # a list key, not text
        title = m.query_one("#agenda-text", Input)
        assert title.has_focus and title.value == "Federation"
        await pilot.press("escape", "down", "up")
        assert m.query_one("#agenda-owner", Input).has_focus
        # from the title box too, in one burst with a list key after it
        await burst(pilot, "tab", "tab", "down", "delete")
        assert m.session.agenda_items == []
        # check-in: ↓ to the list, ↑ back to the input
        await pilot.press("f2", "f2")
        assert m.stage.kind == "checkin"
        inp = m.query_one("#entry-input", Input)
        await burst(pilot, *typed("Ann / @ann"), "enter", *typed("Bob"), "enter", "down")
        entries = m.query_one("#entry-list", OptionList)
        assert [a.text for a in m.session.attendees] == ["Ann / @ann", "Bob"]
        assert entries.has_focus
        await pilot.press("up")
        assert entries.highlighted == 0 and entries.has_focus
        await pilot.press("up")
        assert inp.has_focus
        # a burst of arrows: down the list, up past its top into the input, then typing
        await burst(pilot, "down", "down", "up", "up", "up", "up", "C", "y")
        assert inp.has_focus and inp.value == "Cy"


async def test_deferred_items_look_deferred_and_do_not_count(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_item(sessions_dir, tmp_path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        m = await to_agenda(pilot)
        await burst(pilot, "tab", "tab", *typed("Sarah (20m): Roadmap"), "enter", "tab", "tab", *typed("Erik (15m): Docs"), "enter")
        assert m.session.planned_minutes == 45
        lst = m.query_one("#agenda-list", OptionList)
        await pilot.press("down")  # to the list, on the item just added
        assert lst.has_focus and lst.highlighted == 2
        await pilot.press("up")
        assert lst.has_focus and lst.highlighted == 1
        await pilot.press("f9")  # defer Sarah's item
        sarah = m.session.agenda_items[1]
        assert sarah.status == "deferred"
        text = await shown(pilot)
        assert "25 of 60 min · 1 deferred" in text  # the agenda header
        assert "Agenda 25/60′" in text  # the sidebar agrees
        assert "25 of 60 min planned" in text  # and the meeting bar
        label = lst.get_option_at_index(1).prompt
        assert "(deferred)" in label.plain
        assert any("strike" in str(span.style) for span in label.spans)
        stage = next(n for n, st in enumerate(m.stages) if st.item is sarah)
        side = m.query_one("#stages", OptionList).get_option_at_index(stage).prompt
        assert "↷" in side.plain and "strike" in str(side.style) + "".join(str(s.style) for s in side.spans)
        # F6 skips it: from Min's item to Erik's, then nothing is left
        await go_to_item(pilot)
        await pilot.press("f5")
        assert m.state.current is m.session.agenda_items[0]
        await pilot.press("f6")
        assert m.state.current is m.session.agenda_items[2]
        await pilot.press("f6")
        assert m.state.current is None and sarah.status == "deferred"


async def open_with_two_items(sessions_dir: Path, tmp_path: Path):
    from facilitator.model import AgendaItem
    from facilitator.templates import get_template, new_session
    from tests.test_app_meeting import make_app

    tpl = get_template("collab-cafe")
    agenda = [AgendaItem(tpl.agenda_text("Min", 10, "Federation")), AgendaItem(tpl.agenda_text("Erik", 5, "Docs"))]
    SessionStore(sessions_dir).save(new_session(tpl, "2025-01-21", date="2025-01-21", agenda=agenda))
    return make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")


async def test_notes_typed_before_f6_in_one_burst_stay_with_their_item(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_two_items(sessions_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        first, second = m.session.agenda_items
        assert m.stage.item is first and m.query_one("#notes").has_focus
        await pilot.press("f5")
        await burst(pilot, *typed("- bids joins the federation"), "f6")
        assert first.notes == "- bids joins the federation"
        assert second.notes == ""
        assert m.stage.item is second and m.state.current is second
        # and what comes after F6 in the same burst belongs to the next item
        await burst(pilot, *typed("- docs"), "f6", *typed("- all done"))
        assert (first.notes, second.notes) == ("- bids joins the federation", "- docs- all done")


async def test_notes_typed_after_f6_in_one_burst_go_to_the_next_item(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_two_items(sessions_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        first, second = m.session.agenda_items
        await pilot.press("f5")
        await burst(pilot, *typed("one"), "ctrl+n", *typed("two"))
        assert (first.notes, second.notes) == ("one", "two")
        await burst(pilot, *typed(" more"), "f9")
        assert second.notes == "two more" and second.status == "deferred" and first.status == "done"
        # a stage key moves the focus to a form: the letters after it follow the focus
        await burst(pilot, "f2", *typed(" and"), "f2", *typed("Sam"))
        assert m.stage.kind == "agenda" and first.notes == "one and"
        assert m.query_one("#agenda-owner", Input).value == "Sam"
        # and from the form back into the notes
        await burst(pilot, "f3", *typed("!"), "ctrl+s", "ctrl+o")
        assert type(app.screen).__name__ == "HomeScreen"
    saved = SessionStore(sessions_dir).load("2025-01-21")
    assert [i.notes for i in saved.agenda_items] == ["one and!", "two more"]


async def test_burst_ending_in_f9_defers_the_item_it_was_typed_in(sessions_dir: Path, tmp_path: Path) -> None:
    app = await open_with_two_items(sessions_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        first, second = m.session.agenda_items
        await pilot.press("f5")
        await burst(pilot, *typed("x"), "f6", *typed("y"), "f9")
        assert (first.notes, second.notes) == ("x", "y")
        assert first.status == "done" and second.status == "deferred"
