"""Past sessions in the app (Pilot): list, filter, open, copy, search, review, next, edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, TextArea

from facilitator import clipboard
from facilitator.markdown import parse_document
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.screens.browse import BrokenFileScreen, BrowseScreen
from facilitator.widgets.session_table import SessionTable
from facilitator.screens.review import ReviewScreen
from facilitator.screens.search import SearchScreen
from facilitator.screens.session_view import EditScreen, SessionView
from facilitator.store import SessionStore

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "000_bdb6fac8645dbeec.txt"


class HostApp(App):
    """A stand-in for the facilitator app: a store, an archive root, one screen pushed."""

    def __init__(self, store: SessionStore, make_screen, archive_root: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.make_screen = make_screen
        self.archive_root = archive_root
        self.opened: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(self.store))

    def open_session(self, session_id: str) -> bool:
        self.opened.append(session_id)
        return True


def import_seed(store: SessionStore) -> None:
    doc = parse_document(SEED.read_text(encoding="utf-8"), source="000.md")
    for s in doc.sessions:
        s.id = store.make_id(s.date)
        store.save(s)


def add_timed(store: SessionStore) -> Session:
    s = Session(
        id="2025-01-21", date="2025-01-21", template="collab-cafe", title="Collaboration Cafe",
        heading="2025-01-21", status="finished", slot_minutes=60,
        sections=[
            Section(kind="checkin", heading="Check-in", attendees=[Attendee("Min / @minrk / Simula")]),
            Section(kind="agenda", heading="Agenda", items=[
                AgendaItem(text="**Min (10m):** Release plans", status="done", actual_seconds=900, id="a1"),
                AgendaItem(text="**Erik (15m):** Ephemeral ports", status="deferred", id="a2"),
                AgendaItem(text="**Sarah (20m):** Binder federation", status="pending", id="a3"),
            ]),
        ],
    )
    store.save(s)
    return s


@pytest.fixture
def store(sessions_dir: Path) -> SessionStore:
    st = SessionStore(sessions_dir)
    import_seed(st)
    return st


async def settle(pilot, seconds: float = 0.0) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, predicate, tries: int = 50) -> None:
    for _ in range(tries):
        if predicate():
            return
        await settle(pilot, 0.05)
    assert predicate()


def table_dates(screen: Screen) -> list[str]:
    table = screen.query_one(SessionTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


async def test_list_filter_open_and_copy(store: SessionStore, monkeypatch) -> None:
    copied: list[str] = []

    def fake_copy(text: str) -> clipboard.CopyResult:
        copied.append(text)
        return clipboard.CopyResult(True, clipboard.METHOD_SYSTEM, "copied")

    monkeypatch.setattr(clipboard, "copy_text", fake_copy)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        dates = table_dates(browse)
        assert dates[0] == "2024-11-19" and len(dates) == 11  # newest first
        # typing a digit starts the filter (type-ahead); the list narrows in memory
        await pilot.press(*"2024-09")
        await settle(pilot)
        assert browse.query_one("#browse-filter", Input).value == "2024-09"
        assert table_dates(browse) == ["2024-09-17"]
        await pilot.press("enter")  # one row left: Enter opens it
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionView)
        await until(pilot, lambda: view.rendered)
        assert view.session is not None and view.session.date == "2024-09-17"
        assert view.query_one("#view-raw", TextArea).text.startswith("## 2024-09-17")
        await pilot.press("c")
        await settle(pilot)
        assert copied == [view.markdown_text]
        assert "traefik" in copied[0]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browse


async def test_copy_without_system_clipboard_falls_back_to_osc52(store: SessionStore, monkeypatch) -> None:
    monkeypatch.setattr(clipboard, "copy_text", lambda text: clipboard.CopyResult(False, "", clipboard.NO_TOOL))
    app = HostApp(store, lambda st: SessionView(st, "2024-11-19"))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "rendered", False))
        notes: list[str] = []
        monkeypatch.setattr(app.screen, "notify", lambda msg, **kw: notes.append(msg))
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == app.screen.markdown_text
        assert notes and "OSC 52" in notes[0] and "no clipboard tool" in notes[0]


async def test_broken_file_is_listed_and_never_touched(store: SessionStore) -> None:
    bad = store.root / "2024-12-17.toml"
    raw = b"format_version = 1\nthis is not toml =\n"
    bad.write_bytes(raw)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        browse = app.screen
        table = browse.query_one(SessionTable)
        statuses = [str(table.get_row_at(n)[5]) for n in range(table.row_count)]
        assert len(statuses) == 12
        assert statuses[-1].startswith("unreadable: invalid TOML")
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrokenFileScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+o")  # edit on a broken row shows the reason too
        await settle(pilot)
        assert isinstance(app.screen, BrokenFileScreen)
    assert bad.read_bytes() == raw


async def test_search_lands_on_the_item(store: SessionStore) -> None:
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"traefik")
        await until(pilot, lambda: search.searched == "traefik")
        assert [h.date for h in search.hits] == ["2024-09-17", "2024-08-20"]
        await pilot.press("enter", "enter")  # to the results, open the first
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionView)
        await until(pilot, lambda: view.rendered and view.highlight_line is not None)
        hit_line = view.markdown_text.split("\n")[view.highlight_line]
        assert "switching to traefik again" in hit_line
        raw = view.query_one("#view-raw", TextArea)
        assert raw.cursor_location[0] == view.highlight_line or raw.selection.start[0] == view.highlight_line
        await settle(pilot, 0.1)
        marked = list(view.query(".search-hit"))
        assert marked and "traefik" in (marked[-1].source or "")


async def test_time_review(store: SessionStore) -> None:
    add_timed(store)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert table_dates(app.screen)[0] == "2025-01-21"
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await until(pilot, lambda: review.loaded)
        table = review.query_one(DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "Release plans" and first[2] == "10m" and first[3] == "" and first[4] == "15m" and first[5] == "+5m"
        total = str(review.query_one("#review-total").render())
        assert "actual 15m" in total and "60m slot" in total and "1 item over time" in total
        await pilot.press("left_square_bracket")  # the older session: imported, untimed
        await until(pilot, lambda: review.times is not None and review.times.date == "2024-11-19")
        assert str(table.get_row_at(0)[4]) == "—"


async def test_next_meeting_from_the_list(store: SessionStore) -> None:
    add_timed(store)
    app = HostApp(store, BrowseScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: store.exists("2025-02-04") and "2025-02-04" in table_dates(app.screen))
        new = store.load("2025-02-04")
        carried = [i for i in new.agenda_items if i.carried_from == "2025-01-21"]
        assert [i.text for i in carried] == ["**Erik (15m):** Ephemeral ports", "**Sarah (20m):** Binder federation"]
        assert all(i.notes == "" for i in carried)
        browse = app.screen
        assert browse.current_key() == "2025-02-04"  # the cursor lands on the new session
        # opening a planned session offers to resume it in the meeting screen
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        await until(pilot, lambda: view.rendered)
        assert "resume" in str(view.query_one("#view-banner").render())
        await pilot.press("r")
        assert app.opened == ["2025-02-04"]


def meeting_span(text: str, date: str) -> tuple[int, int]:
    start = text.index(f"\n## {date}\n") + 1
    nxt = text.find("\n## 20", start + 3)  # the next dated meeting ("## Agenda" is inside)
    return start, (nxt + 1 if nxt != -1 else len(text))


async def test_edit_note_and_rearchive_replaces_only_that_meeting(store: SessionStore, tmp_path: Path) -> None:
    root = tmp_path / "team-compass"
    archive = root / "docs" / "meetings" / "collab-cafe" / "2024.md"
    archive.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "archives" / "collab-cafe-2024.md", archive)
    s = store.load("2024-09-17")
    s.archived_in = "docs/meetings/collab-cafe/2024.md"
    store.save(s)
    before = archive.read_bytes()
    app = HostApp(store, lambda st: SessionView(st, "2024-09-17"), archive_root=root)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "rendered", False))
        view = app.screen
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditScreen)
        notes = editor.query_one("#edit-notes-0", TextArea)
        notes.load_text(notes.text.rstrip("\n") + "\n- Follow-up: Min will write the facilitation guide")
        attendees = editor.query_one("#edit-attendees", TextArea)
        attendees.load_text(attendees.text + "\nAda / @ada / Analytical Engines")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        await until(pilot, lambda: view.rendered and "facilitation guide" in view.markdown_text)
        saved = store.load("2024-09-17")
        assert saved.agenda_items[0].notes.endswith("- Follow-up: Min will write the facilitation guide")
        assert saved.attendees[-1].text == "Ada / @ada / Analytical Engines"
        assert not (store.root / "2024-09-17.lock").exists()  # the lock was released
        await pilot.press("a")
        await settle(pilot)
    after = archive.read_bytes()
    b, a = before.decode(), after.decode()
    bs, be = meeting_span(b, "2024-09-17")
    as_, ae = meeting_span(a, "2024-09-17")
    assert a[:as_] == b[:bs]  # every byte before the meeting is unchanged
    assert a[ae:] == b[be:]  # and every byte after it
    section = a[as_:ae]
    assert "- Follow-up: Min will write the facilitation guide" in section
    assert "- Ada / @ada / Analytical Engines" in section
    assert a.count("## 2024-09-17") == 1


async def test_edit_cancel_asks_before_discarding(store: SessionStore) -> None:
    app = HostApp(store, lambda st: SessionView(st, "2024-11-19", edit=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EditScreen))
        editor = app.screen
        editor.query_one("#edit-notes-0", TextArea).load_text("changed")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is editor  # first escape warns
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SessionView)
    assert "changed" not in store.load("2024-11-19").agenda_items[0].notes


async def test_through_facilitator_app_if_present(store: SessionStore, tmp_path: Path) -> None:
    try:
        from facilitator.app import FacilitatorApp
    except Exception:  # the app is another engineer's module
        pytest.skip("facilitator.app is not importable")
    app = FacilitatorApp(store.root, archive_root=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(BrowseScreen(app.store))
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert table_dates(app.screen)[0] == "2024-11-19"
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
