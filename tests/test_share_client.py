"""Joiners over 127.0.0.1: converge, see each other, survive a host restart, get refused."""

from __future__ import annotations

import anyio
import pytest
from pycrdt import Doc

from facilitator import shared_doc as sd
from facilitator.share_client import Backoff, LinkState, ShareClient, parse_join_url, set_presence
from facilitator.share_server import host_meeting, join_url
from tests.test_share_server import DEADLINE, notes, until
from tests.test_shared_doc import make_session

FAST = Backoff(first=0.02, factor=2.0, cap=0.1, jitter=0.0)


async def host_in_background(tg, doc: Doc, **kwargs):
    """Serve ``doc`` from its own task (so it can stop while clients stay); (hosted, stop)."""
    stop = anyio.Event()

    async def serve(*, task_status=anyio.TASK_STATUS_IGNORED) -> None:
        async with host_meeting(doc, "2024-11-19", **kwargs) as hosted:
            task_status.started(hosted)
            await stop.wait()

    return await tg.start(serve), stop


def client(url: str, name: str) -> ShareClient:
    return ShareClient(url, Doc(), name=name, backoff=FAST)


async def test_three_joiners_type_at_once_and_end_identical_with_emoji_and_cjk() -> None:
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19") as hosted:
        set_presence(hosted.awareness, name="Facilitator", role="host", where="")
        clients = [client(hosted.url, n) for n in ("Ana", "Bo", "Chen")]
        async with clients[0] as a, clients[1] as b, clients[2] as c:
            with anyio.fail_after(DEADLINE):
                for cl in (a, b, c):
                    await cl.wait_synced()
            assert all(cl.state == LinkState.ONLINE for cl in (a, b, c))
            typed = {a: "Ana 😀 ok", b: "Bo 会議 🎉", c: "陈 notes 👍🏽"}
            for i in range(max(map(len, typed.values()))):
                for row, (cl, text) in enumerate(typed.items()):
                    if i < len(text):
                        sd.insert_at(sd.item_notes(cl.doc, "item-a"), (row, i), text[i])
                await anyio.sleep(0)
            docs = [a.doc, b.doc, c.doc, host_doc]
            expected = sorted("- started\n" + "".join(typed.values()))
            await until(lambda: all(sorted(notes(d)) == expected for d in docs))
            assert len({notes(d) for d in docs}) == 1
            # Presence: everyone sees everyone, the host too, with where they are typing.
            a.set_where("item:item-a")
            await until(lambda: {p.name for p in c.peers()} == {"Ana", "Bo", "Chen", "Facilitator"})
            await until(lambda: any(p.name == "Ana" and p.where == "item:item-a" for p in b.peers()))
            assert c.peers()[0].is_me and c.peers()[0].name == "Chen"
        # Leaving says goodbye: the host's list drops them without waiting for a timeout.
        await until(lambda: {s.get("name") for s in hosted.awareness.states.values()} == {"Facilitator"})


async def test_a_host_restart_loses_nothing_and_offline_edits_merge(tmp_path) -> None:
    session = make_session()
    path = tmp_path / "2024-11-19.toml"
    host_doc = sd.open_host_doc(session, path)
    async with anyio.create_task_group() as tg:
        await restart_scenario(tg, session, path, host_doc)


async def restart_scenario(tg, session, path, host_doc: Doc) -> None:
    hosted, stop = await host_in_background(tg, host_doc)
    port, token, url = hosted.port, hosted.token, hosted.url
    async with client(url, "Ana") as a, client(url, "Bo") as b:
        with anyio.fail_after(DEADLINE):
            await a.wait_synced()
            await b.wait_synced()
        sd.insert_at(sd.item_notes(a.doc, "item-a"), (1, 0), "before ")
        await until(lambda: "before" in notes(host_doc))
        sd.write_snapshot(host_doc, sd.snapshot_path(path))  # the host's usual save
        stop.set()  # the host goes away; nothing more is saved
        await until(lambda: a.state == b.state == LinkState.OFFLINE)
        assert "offline" in a.message and "retrying" in a.message
        # Both go on typing while the host is away.
        sd.insert_at(sd.item_notes(a.doc, "item-a"), (1, 7), "offline Ana 😀")
        sd.insert_at(sd.item_notes(b.doc, "item-b"), (0, 0), "offline Bo 会")
        restarted = sd.open_host_doc(session, path)
        assert notes(restarted) == "- started\nbefore "
        async with host_meeting(restarted, "2024-11-19", port=port, token=token):
            # They come back by themselves, and what they typed offline merges.
            await until(lambda: a.state == b.state == LinkState.ONLINE and a.connections == b.connections == 2)
            await until(lambda: notes(restarted) == notes(a.doc) == notes(b.doc) == "- started\nbefore offline Ana 😀")
            await until(lambda: notes(restarted, "item-b") == notes(a.doc, "item-b") == "offline Bo 会")
            # The restarted host built nothing twice.
            assert [i.id for i in sd.doc_to_session(restarted).agenda_items] == ["item-a", "item-b"]
            assert len(sd.doc_to_session(restarted).sections) == len(session.sections)


async def test_a_wrong_token_is_refused_for_good_and_said_so() -> None:
    async with host_meeting(sd.session_to_doc(make_session()), "2024-11-19") as hosted:
        for url, why in (
            (join_url("127.0.0.1", hosted.port, "2024-11-19", "wrong"), "token"),
            (join_url("127.0.0.1", hosted.port, "other", hosted.token), "no meeting"),
        ):
            cl = client(url, "Eve")
            with anyio.fail_after(DEADLINE):
                await cl.run()  # returns: no retrying a refusal
            assert cl.state == LinkState.REFUSED and why in cl.message
            assert cl.connections == 0 and not sd.has_skeleton(cl.doc)


async def test_nobody_there_yet_is_offline_and_retried_with_backoff() -> None:
    delays: list[float] = []
    cl = ShareClient("ws://127.0.0.1:9/m?token=t", Doc(), backoff=Backoff(first=0.1, factor=2, cap=0.5, jitter=0))

    async def sleep(d: float) -> None:
        delays.append(d)
        if len(delays) == 5:
            await cl.close()

    cl._sleep = sleep
    with anyio.fail_after(DEADLINE):
        await cl.run()
    assert delays == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert cl.state == LinkState.CLOSED


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    b = Backoff(first=0.25, factor=2, cap=5, jitter=0.2)
    assert [b.delay(n, rand=lambda: 0.0) for n in range(7)] == [0.25, 0.5, 1, 2, 4, 5, 5]
    assert b.delay(0, rand=lambda: 1.0) == pytest.approx(0.3)


@pytest.mark.parametrize(("url", "why"), [
    ("http://h:1/m?token=t", "not a join URL"),
    ("ws://h:1/?token=t", "names no meeting"),
    ("ws://h:1/m", "no token"),
    ("ws://h:x/m?token=t", "port"),
])
def test_bad_join_urls_say_what_is_wrong(url: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_join_url(url)


def test_a_join_url_comes_apart() -> None:
    t = parse_join_url(join_url("127.0.0.1", 8765, "2024 11-19", "a/b"))
    assert (t.host, t.port, t.session_id, t.room, t.token) == ("127.0.0.1", 8765, "2024 11-19", "/2024%2011-19", "a/b")


async def test_the_host_says_what_each_token_allows_and_a_joiner_with_the_follow_line_is_told() -> None:
    from facilitator.share_server import Access

    async with host_meeting(sd.session_to_doc(make_session()), "2024-11-19") as hosted:
        async with client(hosted.url, "Ana") as editor, client(hosted.follow_url, "Bo") as watcher:
            with anyio.fail_after(DEADLINE):
                await editor.wait_synced()
                await watcher.wait_synced()
            assert (editor.access, watcher.access) == (Access.EDIT, Access.FOLLOW)
        joiner = ShareClient(hosted.follow_url, Doc(), name="Chen", backoff=FAST, to_edit=True)
        async with joiner:
            await until(lambda: joiner.state == LinkState.REFUSED)
            assert "follow line" in joiner.message and joiner.connections == 0
        assert not sd.has_skeleton(joiner.doc)  # refused before the meeting was sent
