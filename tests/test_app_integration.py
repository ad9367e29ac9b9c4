"""History inside the live app: ctrl+f search everywhere, palette commands, check-in
completions from ``people.completions``, the home list's cancelled and unreadable rows,
and the time review over the browse list's filter."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from facilitator import people
from facilitator.model import Attendee
from facilitator.screens.browse import BrokenFileScreen, BrowseScreen
from facilitator.widgets.session_table import SessionTable
from facilitator.screens.review import ReviewScreen
from facilitator.screens.search import SearchScreen
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_app_history import HostApp, add_timed, import_seed, settle, until
from tests.conftest import FakeClock
from tests.test_app_meeting import go_to_item, make_app, open_with_item, shown, type_text


def option_texts(lst: OptionList) -> list[str]:
    return [str(lst.get_option_at_index(n).prompt) for n in range(lst.option_count)]


# -- 1. search from everywhere -----------------------------------------------------------


async def test_ctrl_f_searches_from_the_notes_and_slash_types_a_slash(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        notes = m.query_one("#notes")
        assert notes.has_focus
        await type_text(pilot, "a/b")
        await pilot.pause()
        assert m.stage.item.notes == "a/b"  # "/" is text here, not a command
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-query", Input).has_focus
        assert m.session.status != "finished"  # ctrl+f no longer finishes the meeting
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is m
        await pilot.press("f10")  # F10 still finishes
        await settle(pilot)
        assert type(app.screen).__name__ == "FinishScreen"
        assert m.session.status == "finished"


async def test_slash_and_ctrl_f_on_home(sessions_dir: Path, tmp_path: Path) -> None:
    import_seed(SessionStore(sessions_dir))
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        home.query_one("#date", Input).focus()
        await pilot.press("end", "slash")
        assert home.query_one("#date", Input).value.endswith("/")  # typing, not searching
        assert app.screen is home
        home.query_one("#sessions", OptionList).focus()
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, "traefik")
        await until(pilot, lambda: search.searched == "traefik")
        assert {h.date for h in search.hits} == {"2024-09-17", "2024-08-20"}
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+f")  # from the date box too
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_palette_has_history_commands(sessions_dir: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    app = await open_with_item(sessions_dir, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        m = await go_to_item(pilot)
        titles = [c.title for c in app.get_system_commands(m)]
        for want in ("Search all sessions", "Browse history", "People",
                     "Time review of this session", "Next meeting from this session", "Finish"):
            assert want in titles, want
        assert len(titles) == len(set(titles))
        home_titles = [c.title for c in app.get_system_commands(app.screen_stack[-2])]
        assert home_titles.count("Browse history") == 1 and "Search all sessions" in home_titles

        await m.run_action("review")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.session_id == m.session.id
        await until(pilot, lambda: review.loaded)
        await pilot.press("escape")
        await settle(pilot)
        before = {s.id for s in app.store.scan().sessions}
        await m.run_action("next_meeting")
        await until(pilot, lambda: len(app.store.scan().sessions) == len(before) + 1)
        new = [s for s in app.store.scan().sessions if s.id not in before][0]
        assert new.date > m.session.date and new.status == "planned"
        assert app.screen is m  # the live meeting stays in front


# -- 2. check-in completions -------------------------------------------------------------


def seed_people(sessions_dir: Path) -> SessionStore:
    store = SessionStore(sessions_dir)
    tpl = get_template("collab-cafe")
    for date, lines in (
        ("2024-10-15", ["Zoe / @zoe / Old Place", "Min / @minrk / Simula"]),
        ("2024-11-19", ["Zoe / @zoe / New Place (might be late)"]),
        ("2024-12-17", ["Min / @minrk / Simula", "Ann / @ann / Somewhere"]),
    ):
        s = new_session(tpl, date, date=date)
        s.sections[0].attendees = [Attendee(t) for t in lines]
        s.status = "finished"
        store.save(s)
    return store


async def test_checkin_completions_come_from_people(sessions_dir: Path, tmp_path: Path) -> None:
    store = seed_people(sessions_dir)
    tpl = get_template("collab-cafe")
    store.save(new_session(tpl, "2025-01-21", date="2025-01-21"))
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2025-01-21")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app._past_loaded)
        # most frequent first; Zoe's newest line, without that day's note
        assert app.past_attendees == people.completions(store, notes=False)
        assert app.past_attendees == ["Min / @minrk / Simula", "Zoe / @zoe / New Place", "Ann / @ann / Somewhere"]
        m = app.screen
        assert m.stage.kind == "checkin"
        inp = m.query_one("#entry-input", Input)
        await type_text(pilot, "zo")
        await pilot.pause()
        await pilot.press("right")
        assert inp.value == "Zoe / @zoe / New Place"


def test_completions_with_and_without_notes(sessions_dir: Path) -> None:
    store = seed_people(sessions_dir)
    assert "Zoe / @zoe / New Place (might be late)" in people.completions(store)
    assert "Zoe / @zoe / New Place" in people.completions(store, notes=False)
    assert people.without_note("Ann (she/her) / @ann") == "Ann (she/her) / @ann"


# -- 4. the home list: cancelled and unreadable ------------------------------------------


async def test_home_lists_cancelled_and_unreadable(sessions_dir: Path, tmp_path: Path) -> None:
    store = SessionStore(sessions_dir)
    import_seed(store)
    bad = sessions_dir / "2024-12-01.toml"
    raw = b"this is = = not toml\n"
    bad.write_bytes(raw)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        lst = home.query_one("#sessions", OptionList)
        texts = option_texts(lst)
        cancelled = [t for t in texts if t.startswith("2024-10-15")]
        assert cancelled and "cancelled: No meeting due to lack of attendees." in cancelled[0]
        assert "0 people" not in cancelled[0]
        assert any("2024-11-19" in t and "people" in t for t in texts)  # the others are still there
        assert texts[-1].startswith("2024-12-01.toml") and "unreadable: " in texts[-1]
        text = await shown(pilot)
        assert "unreadable" in text
        lst.focus()
        lst.highlighted = lst.option_count - 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrokenFileScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
    assert bad.read_bytes() == raw


# -- 5. time review over the list's filter -------------------------------------------------


async def test_review_all_sessions_in_the_filter(sessions_dir: Path) -> None:
    store = SessionStore(sessions_dir)
    import_seed(store)
    add_timed(store)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        browse = app.screen
        browse.query_one("#browse-filter", Input).value = "2025"
        await settle(pilot)
        assert [r.key for r in browse.shown] == ["2025-01-21"]
        browse.query_one("#browse-filter", Input).value = "finished"
        await settle(pilot)
        wanted = [r.key for r in browse.shown]
        assert "2025-01-21" in wanted and "2024-10-15" not in wanted  # the cancelled one is filtered out
        browse.query_one(SessionTable).focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await until(pilot, lambda: review.loaded)
        assert str(review.query_one(DataTable).get_row_at(0)[0]) == "Release plans"
        await pilot.press("a")
        await until(pilot, lambda: review.loaded and review.showing_all)
        table = review.query_one(DataTable)
        ids = [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]
        assert sorted(ids) == sorted(wanted)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "2025-01-21" and first[2] == "30m" and first[3] == "15m" and first[6] == "1"
        total = str(review.query_one("#review-total").render())
        assert "1 timed" in total and "1 item over time" in total
        assert "“finished”" in str(review.query_one("#review-title").render())
        await pilot.press("a")  # back to the one session
        await until(pilot, lambda: review.loaded and not review.showing_all)
        assert str(review.query_one(DataTable).get_row_at(0)[0]) == "Release plans"


# -- 6. a cancelled meeting is read, not run ----------------------------------------------


async def test_cancelled_meeting_opens_read_only_from_home(sessions_dir: Path, tmp_path: Path) -> None:
    from facilitator.screens.meeting import MeetingScreen
    from facilitator.screens.session_view import SessionView

    store = SessionStore(sessions_dir)
    import_seed(store)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        lst = home.query_one("#sessions", OptionList)
        lst.focus()
        lst.highlighted = next(n for n, t in enumerate(option_texts(lst)) if t.startswith("2024-10-15"))
        await pilot.press("enter")
        view = app.screen
        assert isinstance(view, SessionView)
        await until(pilot, lambda: view.rendered)
        assert not any(isinstance(s, MeetingScreen) for s in app.screen_stack)
        assert "cancelled" in str(view.query_one("#view-title").render())
        banner = view.query_one("#view-banner")
        assert banner.display and "No meeting due to lack of attendees." in str(banner.render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
        # a finished one still opens in the meeting screen, as before
        lst.highlighted = next(n for n, t in enumerate(option_texts(lst)) if t.startswith("2024-11-19"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
    assert store.load("2024-10-15").status == "cancelled"


async def test_browse_shows_cancelled_with_its_note_and_opens_it_read_only(sessions_dir: Path) -> None:
    from facilitator.screens.session_view import SessionView

    store = SessionStore(sessions_dir)
    import_seed(store)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        browse = app.screen
        row = next(r for r in browse.rows if r.key == "2024-10-15")
        people, items, status = row.cells[3:6]
        assert people == items == ""
        assert status.startswith("cancelled: No meeting due to") and status.endswith("…") and len(status) <= 43
        june = next(r for r in browse.rows if r.key == "2024-06")
        assert june.cells[5].startswith("cancelled: Meeting cancelled")
        browse.query_one("#browse-filter", Input).value = "attendees"  # the note's last word, cut from the cell
        await settle(pilot)
        assert [r.key for r in browse.shown] == ["2024-10-15"]
        browse.query_one(SessionTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionView)
    assert store.load("2024-10-15").status == "cancelled"


async def test_cancelled_meeting_opens_read_only_with_open_id_and_from_history(sessions_dir: Path, tmp_path: Path) -> None:
    """``facilitator open ID`` (and anything else calling ``open_session``) shows a cancelled
    meeting read-only; a finished one still opens in the meeting screen."""
    from facilitator.screens.home import HomeScreen
    from facilitator.screens.meeting import MeetingScreen
    from facilitator.screens.session_view import SessionView

    store = SessionStore(sessions_dir)
    import_seed(store)
    before = store.path_for("2024-10-15").read_bytes()
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-10-15")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionView)
        await until(pilot, lambda: view.rendered)
        assert not any(isinstance(s, MeetingScreen) for s in app.screen_stack)
        assert "cancelled" in str(view.query_one("#view-title").render())
        await pilot.press("r")  # resume: refused, it did not happen
        await settle(pilot)
        assert app.screen is view
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        # open_session itself, as the history browser calls it
        assert app.open_session("2024-10-15")
        await settle(pilot)
        assert isinstance(app.screen, SessionView)
        await pilot.press("escape")
        await settle(pilot)
        assert app.open_session("2024-11-19")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
    assert store.path_for("2024-10-15").read_bytes() == before  # not touched, not made live
    assert store.load("2024-10-15").status == "cancelled"
    assert not list(sessions_dir.glob("*.lock"))
