"""A whole meeting played through the UI with Pilot, and the timer exact to the second."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from facilitator.app import FacilitatorApp
from facilitator.clipboard import CopyResult
from facilitator.engine import Meeting
from facilitator.model import Attendee
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.conftest import FakeClock


def make_app(sessions_dir: Path, clock: FakeClock, tmp_path: Path, **kw) -> FacilitatorApp:
    app = FacilitatorApp(
        sessions_dir,
        None,
        now=clock.now,
        wall=clock.wall,
        today=lambda: "2025-01-21",
        archive_root=tmp_path,
        blink=False,
        copy=lambda text: CopyResult(False, "", "no clipboard in tests"),
        **kw,
    )
    app.bells = 0

    def bell() -> None:
        app.bells += 1

    app.bell = bell  # type: ignore[method-assign]
    return app


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def shown(pilot) -> str:
    """The screen's text once pending refreshes have been painted."""
    await pilot.pause()
    await pilot.pause()
    return screen_text(pilot.app)


def seed_past(sessions_dir: Path) -> None:
    tpl = get_template("collab-cafe")
    past = new_session(tpl, "2024-12-17", date="2024-12-17")
    past.sections[0].attendees = [
        Attendee("Min / @minrk / Simula"),
        Attendee("Erik Sundell / @consideratio / Sundell Open Source"),
    ]
    past.status = "finished"
    SessionStore(sessions_dir).save(past)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def create_meeting(pilot, agenda: list[str]) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert type(app.screen).__name__ == "HomeScreen"
    # templates list (collab-cafe first) -> Enter -> date -> Enter -> agenda box
    await pilot.press("enter")
    assert app.screen.query_one("#date", Input).value == "2025-01-21"
    await pilot.press("enter")
    for line in agenda:
        await type_text(pilot, line)
        await pilot.press("enter")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert type(app.screen).__name__ == "MeetingScreen"


EXPECTED = """\
## 2025-01-21

### Check-in

- Min / @minrk / Simula
- [b]Bob[/] / @bob / Markup Inc
- Sarah Gibson / @sgibson91 / 2i2c (late)

### Celebrations and Shout-Outs :tada:

- Binder turned [8] years old

### Agenda

- **Min (10m):** Binder federation
  - bids.mybinder.org joins
    - needs DNS
    - see <https://mybinder.org/v2>
  - next: Docs
- **Sarah (5m):** Roadmap workshop
  - Dates
    - Feb 25 and 26
- **Erik (15m):** Docs sprint
"""


async def test_whole_meeting(sessions_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import git

    seed_past(sessions_dir)
    git(tmp_path, "init", "-q")  # the archive root is the team's checkout, holding the year's file
    (tmp_path / "docs/meetings/collab-cafe").mkdir(parents=True)
    (tmp_path / "docs/meetings/collab-cafe/2025.md").write_text("# 2025 Collaboration Cafe Notes Archive\n")
    clock = FakeClock()
    app = make_app(sessions_dir, clock, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await create_meeting(
            pilot,
            [
                "**Min (10m):** Binder federation",
                "**Sarah (5m):** Roadmap workshop",
                "**Erik (15m):** Docs sprint",
            ],
        )
        m = app.screen
        assert m.stage.kind == "checkin"
        assert app.past_attendees  # loaded from the seeded session
        inp = m.query_one("#entry-input", Input)
        assert inp.has_focus
        # completion from a past session: "mi" -> Min's whole line, accepted with →
        await type_text(pilot, "mi")
        await pilot.pause()
        await pilot.press("right")
        assert inp.value == "Min / @minrk / Simula"
        await pilot.press("enter")
        await type_text(pilot, "[b]Bob[/] / @bob / Markup Inc")
        await pilot.press("enter")
        await type_text(pilot, "Sarah Gibson / @sgibson91 / 2i2c")
        await pilot.press("enter")
        await pilot.pause()
        text = await shown(pilot)
        assert "[b]Bob[/] / @bob / Markup Inc" in text  # literally, not bold "Bob"
        assert "3 checked in" in text
        # mark Sarah late from the list (she is highlighted: the last line added)
        await pilot.press("tab")
        assert m.query_one("#entry-list", OptionList).has_focus
        await pilot.press("l")
        assert m.session.attendees[2].text == "Sarah Gibson / @sgibson91 / 2i2c (late)"

        # celebrations
        await pilot.press("f3")
        assert m.stage.section.kind == "celebrations"
        await type_text(pilot, "Binder turned [8] years old")
        await pilot.press("enter")
        assert m.session.celebrations == ["Binder turned [8] years old"]

        # agenda overview shows the sum against the slot
        await pilot.press("f3")
        assert m.stage.kind == "agenda"
        assert "30 of 60 min" in await shown(pilot)

        # first item: start, notes on two levels, overrun by two minutes
        await pilot.press("f3")
        assert m.stage.kind == "item"
        first = m.stage.item
        assert first.title == "Binder federation"
        await pilot.press("f5")
        assert m.state.current is first and m.state.running
        await type_text(pilot, "- bids.mybinder.org joins")
        await pilot.press("enter", "tab")  # "- " continued, then indented under it
        await type_text(pilot, "needs DNS")
        await pilot.press("enter")
        await type_text(pilot, "see https://mybinder.org/v2")
        await pilot.press("enter", "shift+tab")
        await type_text(pilot, "next: Docs")
        assert first.notes == "- bids.mybinder.org joins\n  - needs DNS\n  - see https://mybinder.org/v2\n- next: Docs"
        clock.advance(8 * 60)
        await pilot.pause(0.3)
        assert "warning" in m.state.timer.state()
        clock.advance(4 * 60)
        await pilot.pause(0.3)
        assert app.bells == 1
        assert m.query_one("#countdown").value == "+02:00"
        assert m.query_one("#timer").has_class("-overtime")
        await pilot.pause(0.3)
        assert app.bells == 1  # once, not on every refresh

        # next item starts at once; notes typed as indented lines without markers
        await pilot.press("f6")
        second = m.stage.item
        assert first.status == "done" and first.actual_seconds == pytest.approx(720)
        assert second.title == "Roadmap workshop" and m.state.current is second
        await type_text(pilot, "Dates")
        await pilot.press("enter", "tab")
        await type_text(pilot, "Feb 25 and 26")
        clock.advance(4 * 60)

        # defer the third item, then finish
        await pilot.press("f3")
        third = m.stage.item
        assert third.title == "Docs sprint"
        await pilot.press("f9")
        assert third.status == "deferred"
        assert m.state.current is second  # deferring another item leaves the timer alone
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        f = app.screen
        assert type(f).__name__ == "FinishScreen"
        assert f.markdown == EXPECTED
        assert f.query_one("#preview").text == EXPECTED
        assert second.status == "done" and second.actual_seconds == pytest.approx(240)

        # copy: no system clipboard here, so OSC 52 and an honest message with the file
        await pilot.press("ctrl+k")
        await pilot.pause()
        export = sessions_dir / "2025-01-21.md"
        assert export.read_text() == EXPECTED
        status = str(f.query_one("#finish-status").render())
        assert "OSC 52" in status and str(export) in status
        assert app.clipboard == EXPECTED

        # into the yearly archive (the checkout's file, as the CLI's archive finds it)
        await pilot.press("ctrl+r")
        await pilot.pause()
        archive = tmp_path / "docs/meetings/collab-cafe/2025.md"
        assert archive.read_text() == "# 2025 Collaboration Cafe Notes Archive\n\n" + EXPECTED
        assert str(archive) in str(f.query_one("#finish-status").render())

    saved = SessionStore(sessions_dir).load("2025-01-21")
    assert saved.status == "finished"
    assert [i.status for i in saved.agenda_items] == ["done", "done", "deferred"]
    assert [round(i.actual_seconds) for i in saved.agenda_items] == [720, 240, 0]
    assert saved.archived_in == str(archive)
    assert not (sessions_dir / "2025-01-21.lock").exists()


async def open_with_item(sessions_dir: Path, tmp_path: Path, clock: FakeClock, minutes: int = 10):
    tpl = get_template("collab-cafe")
    from facilitator.model import AgendaItem

    s = new_session(tpl, "2025-01-21", date="2025-01-21", agenda=[AgendaItem(tpl.agenda_text("Min", minutes, "Federation"))])
    SessionStore(sessions_dir).save(s)
    return make_app(sessions_dir, clock, tmp_path, open_id="2025-01-21")


async def go_to_item(pilot) -> object:
    app = pilot.app
    await pilot.pause()
    m = app.screen
    assert type(m).__name__ == "MeetingScreen"
    while m.stage.kind != "item":
        await pilot.press("f3")
    return m


async def tick(pilot, m) -> None:
    """What the screen's clock interval does, done now: the asserts below follow the fake
    clock, not whether a 0.25 s interval fired within a real pause (on a loaded machine
    it did not always; Textual skips the ticks it missed)."""
    await pilot.pause()  # the key pressed before is handled
    m.tick()
    await pilot.pause()


async def test_timer_pause_resume_extend_overtime(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        digits = m.query_one("#countdown")
        assert digits.value == "10:00"
        await pilot.press("f5")
        clock.advance(30)
        await tick(pilot, m)
        assert digits.value == "09:30"
        await pilot.press("f5")  # pause
        clock.advance(100)
        await tick(pilot, m)
        assert digits.value == "09:30"
        assert "paused" in str(m.query_one("#timer-info").render())
        await pilot.press("f5")  # resume
        clock.advance(30)
        await tick(pilot, m)
        assert digits.value == "09:00"
        await pilot.press("f7")
        await tick(pilot, m)
        assert digits.value == "10:00"
        await pilot.press("f8")
        await tick(pilot, m)
        assert digits.value == "15:00"
        item = m.stage.item
        assert item.extra_seconds == 360
        assert "+6 min" in await shown(pilot)
        clock.advance(15 * 60 + 83)
        await tick(pilot, m)
        assert digits.value == "+01:23"
        assert m.query_one("#timer").has_class("-overtime")
        assert "over time by 01:23" in str(m.query_one("#timer-info").render())
        assert app.bells == 1
        await pilot.press("f5")
        await pilot.pause()
        assert item.actual_seconds == pytest.approx(60 + 15 * 60 + 83)
    saved = SessionStore(sessions_dir).load("2025-01-21")
    assert saved.agenda_items[0].actual_seconds == pytest.approx(1043)
    assert saved.agenda_items[0].extra_seconds == 360


async def test_reopen_continues_the_running_timer(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        await pilot.press("f5")
        clock.advance(90)
        await pilot.pause(0.6)  # the running timer is written on every save
        await pilot.press(*"abc")
        await pilot.pause(0.6)
    # closed while running; 60 s later it is opened again and keeps counting
    clock.advance(60)
    app2 = make_app(sessions_dir, clock, tmp_path, open_id="2025-01-21")
    async with app2.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app2.screen
        assert m.stage.kind == "item" and m.state.running
        assert m.query_one("#countdown").value == "07:30"
        assert m.stage.item.notes == "abc"


async def test_locked_session_is_a_notification_not_a_crash(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock)
    lock = SessionStore(sessions_dir).lock("2025-01-21")  # held by "another facilitator" (us)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "HomeScreen"
            assert any("open in another facilitator" in str(n.message) for n in app._notifications)
    finally:
        lock.release()


async def test_markup_looking_text_shows_literally(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    tpl = get_template("collab-cafe")
    from facilitator.model import AgendaItem

    s = new_session(
        tpl,
        "2025-01-21",
        date="2025-01-21",
        agenda=[AgendaItem(tpl.agenda_text("[red]Eve[/]", 5, "[link=x]click[/link] [bold"), notes="[b]not bold[/b] [")],
    )
    s.sections[0].attendees = [Attendee("[b]Bob[/] / @bob / [i]Inc[/i]")]
    s.sections[1].entries = ["[blink]yay[/blink]"]
    SessionStore(sessions_dir).save(s)
    app = make_app(sessions_dir, clock, tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.screen
        assert "[b]Bob[/] / @bob / [i]Inc[/i]" in await shown(pilot)
        await pilot.press("f3")
        assert "[blink]yay[/blink]" in await shown(pilot)
        await pilot.press("f3")
        assert "[red]Eve[/]" in await shown(pilot)
        await pilot.press("f3")
        text = await shown(pilot)
        assert "[link=x]click[/link] [bold" in text
        assert "[b]not bold[/b] [" in text
        await pilot.press("f5", "f4")  # presenter view shows the same literally
        await pilot.pause()
        text = await shown(pilot)
        assert "[link=x]click[/link] [bold" in text and "[red]Eve[/]" in text
        await pilot.press("f4")
        await pilot.press(*"[/] [b]")
        await pilot.pause()
        assert m.stage.item.notes.endswith("[/] [b]")


async def test_agenda_edit_reorder_and_slot_warning(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock, minutes=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.screen
        while m.stage.kind != "agenda":
            await pilot.press("f3")
        await type_text(pilot, "Yuvi")
        await pilot.press("tab", "1", "5", "tab")
        await type_text(pilot, "Hub dash")
        await pilot.press("enter")
        await pilot.pause()
        items = m.session.agenda_items
        assert [i.text for i in items] == ["**Min (50m):** Federation", "**Yuvi (15m):** Hub dash"]
        assert "65 of 60 min" in await shown(pilot)
        assert m.query_one("#agenda-sum").has_class("-over")
        # reorder from the list: highlight the new item and move it up
        m.query_one("#agenda-list", OptionList).focus()
        assert m.query_one("#agenda-list", OptionList).highlighted == 1  # the item just added
        await pilot.press("alt+up")
        assert [i.owner for i in m.session.agenda_items] == ["Yuvi", "Min"]
        # the sidebar follows: the first item stage is Yuvi's now
        assert [st.item.owner for st in m.stages if st.kind == "item"] == ["Yuvi", "Min"]
        # edit: Enter on the item fills the form, Enter saves
        assert m.query_one("#agenda-list", OptionList).highlighted == 0  # it moved with the item
        await pilot.press("enter")
        assert m.query_one("#agenda-text", Input).has_focus
        await pilot.press(*" (all)", "enter")
        assert m.session.agenda_items[0].text == "**Yuvi (15m):** Hub dash (all)"


async def test_opening_a_meeting_at_start_parses_only_its_templates_file(sessions_dir: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    from facilitator import templates

    tpl = get_template("2i2c")
    SessionStore(sessions_dir).save(new_session(tpl, "2025-01-21", date="2025-01-21"))
    monkeypatch.setattr(templates, "_BUILTINS", None)
    monkeypatch.setattr(templates, "_BUILTIN_FILES", {})
    read: list[str] = []
    real = templates.load_template_file
    monkeypatch.setattr(templates, "load_template_file", lambda path: read.append(path.stem) or real(path))
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen"
        assert app.screen.template == tpl
        assert read == ["2i2c"]
        # the whole set when something lists it (home, the next meeting), each file once
        assert set(app.templates.templates) >= {"2i2c", "collab-cafe", "hackmd-2019"}
        assert sorted(read) == sorted(p.stem for p in templates.BUILTIN_DIR.glob("*.toml"))


async def test_a_block_pasted_at_check_in_adds_everyone(sessions_dir: Path, tmp_path: Path) -> None:
    """The pad's check-in pasted into the box (a terminal's CR line breaks, bullets, the
    prompt line): one person a line, in order, saved; a one-line paste is only typed."""
    from textual import events

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await create_meeting(pilot, [])
        screen = app.screen
        box = screen.query_one("#entry-input", Input)
        assert box.has_focus
        app.post_message(events.Paste("Name / @github / Institution\r- Ada / @ada / Uni\r- [b]Bob[/] / @bob\r"))
        await pilot.pause()
        await pilot.pause()
        checkin = screen.stage.section
        assert screen.engine.entries(checkin) == ["Ada / @ada / Uni", "[b]Bob[/] / @bob"]
        assert box.value == "" and "[b]Bob[/] / @bob" in await shown(pilot)
        app.post_message(events.Paste("Cy / @cy"))
        await pilot.pause()
        assert box.value == "Cy / @cy" and len(screen.engine.entries(checkin)) == 2
        box.value = ""
        app.post_message(events.Paste("### Check-in\r\r*Name / @github / Institution*\r"))
        await pilot.pause()
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said[-1].startswith("Nothing added:") and len(screen.engine.entries(checkin)) == 2
        assert screen.save_now()
        saved = SessionStore(sessions_dir).load(screen.session.id)
    assert Meeting.entries(next(s for s in saved.sections if s.kind == "checkin")) == ["Ada / @ada / Uni",
                                                                                        "[b]Bob[/] / @bob"]
