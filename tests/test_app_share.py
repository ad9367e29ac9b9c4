"""Sharing in the app, driven with Pilot: a host app with a joiner on 127.0.0.1, and a joiner app."""

from __future__ import annotations

import anyio
from pycrdt import Doc
from textual.widgets import DataTable

from facilitator import shared_doc as sd
from facilitator.screens.meeting import MeetingScreen
from facilitator.screens.review import ReviewScreen
from facilitator.share_client import Backoff, ShareClient
from facilitator.share_server import host_meeting
from facilitator.share_session import HostPlan
from facilitator.store import SessionStore
from facilitator.widgets.notes import NotesArea
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app
from tests.test_shared_doc import make_session

DEADLINE = 10.0


async def until(pilot, condition) -> None:
    with anyio.fail_after(DEADLINE):
        while not condition():
            await pilot.pause(0.01)


def meeting(app) -> MeetingScreen:
    assert isinstance(app.screen, MeetingScreen)
    return app.screen


def stage_of(screen: MeetingScreen, item_id: str) -> int:
    return next(n for n, st in enumerate(screen.stages) if st.item is not None and st.item.id == item_id)


async def test_the_host_app_and_a_joiner_type_into_the_same_notes(sessions_dir, tmp_path) -> None:
    store = SessionStore(sessions_dir)
    store.save(make_session())
    plan = HostPlan("2024-11-19", "127.0.0.1", 0, "t0ken", "f0llow")
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-11-19", host=(plan, None, "Min"))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = meeting(app)
        await until(pilot, lambda: screen.share is not None and screen.share.hosted is not None)
        url = screen.share.url
        assert url.startswith("ws://127.0.0.1:") and url.endswith("/2024-11-19?token=t0ken")
        async with ShareClient(url, Doc(), name="Ana", backoff=Backoff(first=0.02, cap=0.1)) as ana:
            with anyio.fail_after(DEADLINE):
                await ana.wait_synced()
            screen.show_stage(stage_of(screen, "item-a"))
            await pilot.pause()
            area = screen.query_one("#notes", NotesArea)
            assert area.shared_link is not None
            await pilot.press("end", *"Min", "space")
            # Ana types at the top while Min's cursor is at the end.
            sd.insert_at(sd.item_notes(ana.doc, "item-a"), (0, 0), "会議 😀 ")
            await until(pilot, lambda: area.text.startswith("会議 😀 "))
            await pilot.press(*"ok")
            expected = "会議 😀 - started\nMin ok"
            await until(pilot, lambda: str(sd.item_notes(ana.doc, "item-a")) == area.text == expected)
            assert area.cursor_location == (1, 6)  # still where Min was typing
            # Presence: the host sees Ana, and where she is once she says.
            ana.set_where("item:item-a")
            await until(pilot, lambda: any(p.name == "Ana" and p.where == "item:item-a" for p in screen.share.peers()))
            await until(pilot, lambda: "Ana" in str(screen.query_one("#meeting-share").render()))
            # Undo takes back Min's typing only; Ana's stays. (Keys more than half a second
            # apart are undone one group at a time: a loaded machine may need two.)
            for _ in range(3):
                await pilot.press("ctrl+z")
                await pilot.pause(0.05)
                assert area.text.startswith("会議 😀 - started\n")
                if area.text == "会議 😀 - started\n":
                    break
            await until(pilot, lambda: area.text == str(sd.item_notes(ana.doc, "item-a")) == "会議 😀 - started\n")
            # The record: the TOML (on the usual save) and the snapshot beside it.
            screen.save_now()
            assert store.load("2024-11-19").find_item("item-a").notes == "会議 😀 - started\n"
            snapshot = sd.read_snapshot(sd.snapshot_path(store.path_for("2024-11-19")))
            assert str(sd.item_notes(snapshot, "item-a")) == "会議 😀 - started\n"


async def test_a_joiner_app_edits_lists_but_only_the_host_runs_the_clock(sessions_dir, tmp_path) -> None:
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19") as hosted:
        clock = FakeClock()
        app = make_app(sessions_dir, clock, tmp_path, join=(hosted.url, "Ana"))
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
            screen = meeting(app)
            assert not screen.engine.controls_meeting
            await pilot.press(*"Chen 陈", "enter")  # the check-in is the first stage
            await until(pilot, lambda: [str(a["text"]) for a in host_doc.get("sections", type=sd.Array)[0]["attendees"]][-1:] == ["Chen 陈"])
            await pilot.press("f5")  # not the joiner's key: nothing starts
            await pilot.pause()
            assert screen.engine.current is None and screen.check_action("toggle_timer", ()) is False
            # The host starts an item: the joiner shows it running, counted from the shared start.
            session = sd.doc_to_session(host_doc)
            session.clock.current_item = "item-b"
            session.clock.running = True
            session.clock.run_started_at = clock.wall() - 60
            session.find_item("item-b").status = "running"
            sd.write_host_state(host_doc, session)
            await until(pilot, lambda: screen.engine.current is not None and screen.engine.current.id == "item-b")
            assert screen.engine.timer_view(screen.engine.current).text == "04:00"
            assert "online" in str(screen.query_one("#meeting-share").render())


async def test_a_joiner_app_says_offline_keeps_typing_and_comes_back(sessions_dir, tmp_path) -> None:
    from tests.test_share_client import host_in_background

    host_doc = sd.session_to_doc(make_session())
    async with anyio.create_task_group() as tg:
        hosted, stop = await host_in_background(tg, host_doc)
        app = make_app(sessions_dir, FakeClock(), tmp_path, join=(hosted.url, "Ana"))
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
            screen = meeting(app)
            bar = screen.query_one("#meeting-share")
            screen.share.client.backoff = Backoff(first=0.02, cap=0.1, jitter=0)
            stop.set()  # the host goes away
            await until(pilot, lambda: "offline" in str(bar.render()) and bar.has_class("-offline"))
            await pilot.press(*"Offline Ana", "enter")  # Ana goes on with the check-in
            await pilot.pause()
            again, stop_again = await host_in_background(tg, host_doc, port=hosted.port, token=hosted.token)
            await until(pilot, lambda: "online" in str(bar.render()) and not bar.has_class("-offline"))
            names = lambda doc: [str(a["text"]) for a in doc.get("sections", type=sd.Array)[0]["attendees"]]  # noqa: E731
            assert "Offline Ana" in names(screen.share.doc), names(screen.share.doc)
            await until(pilot, lambda: "Offline Ana" in names(host_doc))
            stop_again.set()
        tg.cancel_scope.cancel()


async def test_f12_shares_a_meeting_opened_as_usual_and_pastes_lose_their_carriage_returns(sessions_dir, tmp_path) -> None:
    from textual import events

    SessionStore(sessions_dir).save(make_session())
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-11-19")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = meeting(app)
        assert screen.share is None and screen.query_one("#meeting-share").display is False
        await pilot.press("f12")
        await until(pilot, lambda: screen.share is not None and screen.share.hosted is not None)
        assert screen.query_one("#meeting-share").display is True
        assert (sessions_dir / ".share" / "2024-11-19.json").exists()
        async with ShareClient(screen.share.url, Doc(), name="Bo", backoff=Backoff(first=0.02, cap=0.1)) as bo:
            with anyio.fail_after(DEADLINE):
                await bo.wait_synced()
            screen.show_stage(stage_of(screen, "item-b"))
            await pilot.pause()
            area = screen.query_one("#notes", NotesArea)
            area.post_message(events.Paste("one\r\ntwo\rthree"))
            await until(pilot, lambda: str(sd.item_notes(bo.doc, "item-b")) == "one\ntwo\nthree")
            assert area.text == "one\ntwo\nthree" and area.cursor_location == (2, 5)


async def test_a_joiners_presenter_view_has_no_timer_keys(sessions_dir, tmp_path) -> None:
    from facilitator.screens.presenter import PresenterScreen

    async with host_meeting(sd.session_to_doc(make_session()), "2024-11-19") as hosted:
        app = make_app(sessions_dir, FakeClock(), tmp_path, join=(hosted.url, "Ana"))
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, PresenterScreen))
            assert app.screen.check_action("toggle", ()) is False
            assert app.screen.check_action("back", ()) is True
            await pilot.press("f5")
            await pilot.pause()
            assert app.screen.engine.current is None


HOST_ONLY_COMMANDS = (
    "Start/Pause the timer", "Next", "+1m", "+5m", "Defer", "Finish", "Rooms",
    "Save now", "Next meeting from this session",  # a joiner keeps no record: the host does
)
FOR_ALL_COMMANDS = ("Presenter", "Search all sessions", "Time review of this session", "Leave")


async def palette_titles(pilot, app) -> set[str]:
    """Open the command palette as a person would (ctrl+p) and read the commands it lists."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    palette = app.screen
    commands = palette.query_one(CommandList)
    await until(pilot, lambda: commands.option_count > 0)
    await pilot.pause()
    titles = {str(commands.get_option_at_index(i).prompt).split("\n")[0].strip() for i in range(commands.option_count)}
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
    return titles


async def test_a_joiners_command_palette_lists_none_of_the_hosts_commands(sessions_dir, tmp_path) -> None:
    SessionStore(sessions_dir).save(make_session())
    plan = HostPlan("2024-11-19", "127.0.0.1", 0, "t0ken", "f0llow")
    host_app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-11-19", host=(plan, None, "Min"))
    async with host_app.run_test(size=(120, 30)) as pilot:
        screen = meeting(host_app)
        await until(pilot, lambda: screen.share is not None and screen.share.hosted is not None)
        screen.show_stage(stage_of(screen, "item-a"))
        await pilot.pause()
        host_titles = await palette_titles(pilot, host_app)
    assert set(HOST_ONLY_COMMANDS) | set(FOR_ALL_COMMANDS) <= host_titles, host_titles

    async with host_meeting(sd.session_to_doc(make_session()), "2024-11-19") as hosted:
        joiner_app = make_app(sessions_dir, FakeClock(), tmp_path, join=(hosted.url, "Ana"))
        async with joiner_app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: isinstance(joiner_app.screen, MeetingScreen))
            joiner = meeting(joiner_app)
            await until(pilot, lambda: joiner.is_mounted)
            await pilot.pause()
            joiner.show_stage(stage_of(joiner, "item-a"))
            await pilot.pause()
            joiner_titles = await palette_titles(pilot, joiner_app)
            assert not set(HOST_ONLY_COMMANDS) & joiner_titles, joiner_titles & set(HOST_ONLY_COMMANDS)
            assert set(FOR_ALL_COMMANDS) <= joiner_titles  # the rest is still there
            # The joiner's time review is of the meeting as it is (it has no file of it).
            await pilot.press("ctrl+p")
            await pilot.press(*"Time review")
            await pilot.pause()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(joiner_app.screen, ReviewScreen))
            review = joiner_app.screen
            table = review.query_one("#review-table", DataTable)
            await until(pilot, lambda: table.row_count > 0)
            assert table.row_count == len(make_session().agenda_items)
            assert review.check_action("step", (1,)) is False  # no other sessions to step to
