"""``facilitator follow URL``: the follower fed by a joined shared meeting, on 127.0.0.1."""

from __future__ import annotations

import contextlib

import anyio
from pycrdt import Doc
from textual.widgets import Digits, Static

from facilitator import shared_doc as sd
from facilitator.engine import Meeting
from facilitator.follow import reader_engine
from facilitator.follow_shared import FOLLOWER_NAME, SharedDocFollow
from facilitator.model import AgendaItem
from facilitator.screens.follower import FollowerApp, FollowerScreen
from facilitator.share_client import Backoff
from facilitator.share_server import host_meeting
from facilitator.templates import get_template, new_session
from tests.conftest import FakeClock, run_cli

SID = "2025-01-21"
DEADLINE = 10.0
FAST = Backoff(first=0.02, factor=2.0, cap=0.1, jitter=0.0)


async def until(condition, step=None) -> None:
    with anyio.fail_after(DEADLINE):
        while True:
            if step is not None:
                step()
            if condition():
                return
            await anyio.sleep(0.01)


def shown(screen: FollowerScreen, widget_id: str) -> str:
    if widget_id == "countdown":
        return screen.query_one("#countdown", Digits).value
    return str(screen.query_one(f"#{widget_id}", Static).render())


async def test_follow_url_shows_the_hosts_meeting_counts_locally_and_writes_nothing() -> None:
    clock = FakeClock()
    tpl = get_template("collab-cafe")
    agenda = [AgendaItem(tpl.agenda_text("Min", 10, "Federation")), AgendaItem(tpl.agenda_text("Sarah", 5, "会议 🎉"))]
    session = new_session(tpl, SID, date=SID, agenda=agenda)
    m = Meeting(session, tpl, clock.now, clock.wall)
    m.start(session.agenda_items[0])
    m.sync()
    host_doc = sd.session_to_doc(session)
    sd.write_host_state(host_doc, session)
    async with contextlib.AsyncExitStack() as hosting:
        hosted = await hosting.enter_async_context(host_meeting(host_doc, SID))
        source = SharedDocFollow(hosted.follow_url, wall=clock.wall, backoff=FAST)  # the read-only token
        app = FollowerApp(source, lambda s: reader_engine(s, tpl, clock.now, clock.wall), source.where)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, FollowerScreen)
            await until(lambda: screen.engine is not None, screen.poll_source)
            assert shown(screen, "presenter-title") == "Federation" and shown(screen, "countdown") == "10:00"
            assert f"{SID} at 127.0.0.1:{hosted.port}" in shown(screen, "follow-status")
            clock.advance(30)  # no traffic: the follower counts on its own clock
            screen.refresh_timer()
            assert shown(screen, "countdown") == "09:30"
            # The host is told who follows, by name.
            await until(lambda: FOLLOWER_NAME in {s.get("name") for s in hosted.awareness.states.values()})
            # The facilitator moves on: the follower shows the next item from the shared state.
            m.next_item()
            m.sync()
            sd.write_host_state(host_doc, session)
            await until(lambda: shown(screen, "presenter-title") == "会议 🎉", screen.poll_source)
            assert shown(screen, "countdown") == "05:00"
            # Read-only: the follower holds nothing the host lacks (it never wrote).
            copy = Doc()
            copy.apply_update(host_doc.get_update())
            before = copy.get_state()
            copy.apply_update(source.doc.get_update(host_doc.get_state()))
            assert copy.get_state() == before
            # The host goes away: the last good state stays, the status line says so.
            await hosting.aclose()
            await until(lambda: "offline" in shown(screen, "follow-status"), screen.poll_source)
            assert shown(screen, "presenter-title") == "会议 🎉"
            assert screen.query_one("#follow-status").has_class("-problem")
            await pilot.press("q")


def test_follow_url_errors_are_one_line() -> None:
    rc, out, err = run_cli("follow", "ws://127.0.0.1:9/2025-01-21")
    assert rc == 1 and "no token" in err and err.count("\n") == 1
    rc, out, err = run_cli("follow", "ws://127.0.0.1:9/2025-01-21?token=x")  # no terminal here
    assert rc == 1 and "follow needs a terminal" in err
