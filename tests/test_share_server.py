"""A meeting served over WebSockets on 127.0.0.1: the token is checked, two clients converge."""

from __future__ import annotations

import json

import anyio
import pytest
from pycrdt import Doc
from websockets.exceptions import InvalidStatus

from facilitator import shared_doc as sd
from facilitator.share_server import FOLLOWER_NAME, host_meeting, join_url, joined, new_token
from tests.test_shared_doc import make_session

# Every wait here is bounded: a test that cannot converge fails instead of hanging.
DEADLINE = 10.0


async def until(condition) -> None:
    with anyio.fail_after(DEADLINE):
        while not condition():
            await anyio.sleep(0.01)


def notes(doc: Doc, item_id: str = "item-a") -> str:
    return str(sd.item_notes(doc, item_id))


async def test_two_clients_on_loopback_converge_and_see_the_host_state() -> None:
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", host="127.0.0.1") as hosted:
        assert hosted.url.startswith(f"ws://127.0.0.1:{hosted.port}/2024-11-19?token=")
        a, b = Doc(), Doc()
        async with joined(hosted.url, a) as pa, joined(hosted.url, b) as pb:
            with anyio.fail_after(DEADLINE):
                await pa.synced.wait()
                await pb.synced.wait()
            await until(lambda: sd.has_skeleton(a) and sd.has_skeleton(b))
            typed_a, typed_b = "Min 😀 会议", "Sarah 🎉 記録!"
            for i in range(max(len(typed_a), len(typed_b))):
                if i < len(typed_a):
                    sd.insert_at(sd.item_notes(a, "item-a"), (0, i), typed_a[i])
                if i < len(typed_b):
                    sd.insert_at(sd.item_notes(b, "item-a"), (1, i), typed_b[i])
                await anyio.sleep(0)  # let the providers send while the other types
            expected = sorted("- started\n" + typed_a + typed_b)
            await until(lambda: sorted(notes(a)) == sorted(notes(b)) == sorted(notes(host_doc)) == expected)
            assert notes(a) == notes(b) == notes(host_doc)
            # The host moves the meeting on; both joiners see the current item by its id.
            session = sd.doc_to_session(host_doc)
            session.clock.current_item = "item-b"
            sd.write_host_state(host_doc, session)
            await until(lambda: sd.doc_to_session(a).clock.current_item == sd.doc_to_session(b).clock.current_item == "item-b")
    assert sd.doc_to_session(a).to_dict() == sd.doc_to_session(b).to_dict() == sd.doc_to_session(host_doc).to_dict()


@pytest.mark.parametrize("token", [None, "", "wrong"])
async def test_a_connection_without_the_token_is_refused(token: str | None) -> None:
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", token=new_token()) as hosted:
        url = f"ws://127.0.0.1:{hosted.port}/2024-11-19"
        if token is not None:
            url += f"?token={token}"
        with anyio.fail_after(DEADLINE):
            with pytest.raises(InvalidStatus) as refused:
                async with joined(url, Doc()):
                    pass
        assert refused.value.response.status_code == 403
        # Another meeting's room is not served either, even with the right token.
        with anyio.fail_after(DEADLINE):
            with pytest.raises(InvalidStatus) as wrong_room:
                async with joined(join_url("127.0.0.1", hosted.port, "other", hosted.token), Doc()):
                    pass
        assert wrong_room.value.response.status_code == 404
    assert "item-a" in repr(sd.doc_to_session(host_doc).to_dict())  # the host's doc is untouched


def test_tokens_are_random_and_urls_quote_them() -> None:
    assert new_token() != new_token() and len(new_token()) >= 20
    assert join_url("::1", 9000, "2024 11", "a/b") == "ws://[::1]:9000/2024%2011?token=a%2Fb"


async def test_the_follow_token_watches_but_never_changes_the_meeting() -> None:
    """A follow-token client that writes into its copy changes nothing on the host or the
    other clients; a join-token client still can; the follower's presence says read-only."""
    from pycrdt import Awareness, create_awareness_message
    from websockets.asyncio.client import connect

    from facilitator.share_client import peers_of, set_presence
    from facilitator.share_server import FOLLOWER_NAME

    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", host="127.0.0.1") as hosted:
        assert hosted.follow_token and hosted.follow_token != hosted.token
        assert hosted.follow_url == hosted.url.replace(hosted.token, hosted.follow_token)
        editor, follower = Doc(), Doc()
        async with joined(hosted.url, editor) as pe, joined(hosted.follow_url, follower) as pf:
            with anyio.fail_after(DEADLINE):
                await pe.synced.wait()
                await pf.synced.wait()
            await until(lambda: sd.has_skeleton(follower) and sd.has_skeleton(editor))
            before = notes(host_doc)
            assert notes(follower) == before  # the follower sees the meeting
            # The follower types, and moves the meeting on in its own copy.
            sd.insert_at(sd.item_notes(follower, "item-a"), (0, 0), "vandal 😀 ")
            session = sd.doc_to_session(follower)
            session.clock.current_item = "item-b"
            sd.write_host_state(follower, session)
            # The editor types after it; once the editor's words are on the host (and back
            # at the follower, so the follower's own updates were sent long before), the
            # follower's are nowhere but in its own copy.
            sd.insert_at(sd.item_notes(editor, "item-a"), (1, 0), "Ana")
            await until(lambda: "Ana" in notes(host_doc) and "Ana" in notes(follower))
            assert "vandal" not in notes(host_doc) and "vandal" not in notes(editor)
            assert before == "- started\n" and notes(host_doc) == notes(editor) == "- started\nAna"
            assert sd.doc_to_session(host_doc).clock.current_item != "item-b"
            assert sd.doc_to_session(editor).clock.current_item != "item-b"
            # A follower's presence, whatever it claims, is shown as a read-only follower.
            fake = Awareness(Doc())
            set_presence(fake, name="the host", role="host", where="item:item-a")
            async with connect(hosted.follow_url) as raw:
                await raw.send(create_awareness_message(fake.encode_awareness_update([fake.client_id])))
                await until(lambda: fake.client_id in hosted.awareness.states)
                peer = next(p for p in peers_of(hosted.awareness) if p.client_id == fake.client_id)
                assert (peer.name, peer.role, peer.where) == (FOLLOWER_NAME, "follower", "")
    assert "vandal" not in notes(host_doc)


@pytest.mark.parametrize("which", ["join", "follow"])
async def test_each_token_alone_gets_in_and_a_near_miss_does_not(which: str) -> None:
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", token=new_token(), follow_token=new_token()) as hosted:
        good = hosted.token if which == "join" else hosted.follow_token
        async with joined(join_url("127.0.0.1", hosted.port, "2024-11-19", good), Doc()) as provider:
            with anyio.fail_after(DEADLINE):
                await provider.synced.wait()
        with anyio.fail_after(DEADLINE):
            with pytest.raises(InvalidStatus) as refused:
                async with joined(join_url("127.0.0.1", hosted.port, "2024-11-19", good[:-1]), Doc()):
                    pass
        assert refused.value.response.status_code == 403


async def test_the_two_tokens_must_differ() -> None:
    token = new_token()
    with pytest.raises(ValueError):
        async with host_meeting(Doc(), "x", token=token, follow_token=token):
            pass


def _presence_update(client_id: int, clock: int, state: str) -> bytes:
    """An awareness message saying ``state`` (JSON; ``null``: gone) for ``client_id``."""
    from pycrdt import Encoder, create_awareness_message

    encoder = Encoder()
    encoder.write_var_uint(1)
    encoder.write_var_uint(client_id)
    encoder.write_var_uint(clock)
    encoder.write_var_string(state)
    return create_awareness_message(encoder.to_bytes())


async def _all_read(raw) -> None:
    """Wait until the host has handled everything ``raw`` sent: it answers a sync step 1
    with a step 2 only after the messages before it (the room reads them in order)."""
    from pycrdt import Doc as _Doc, YMessageType, YSyncMessageType, create_sync_message

    await raw.send(create_sync_message(_Doc()))
    with anyio.fail_after(DEADLINE):
        while True:
            reply = await raw.recv()
            if reply[0] == YMessageType.SYNC and reply[1] == YSyncMessageType.SYNC_STEP2:
                return


async def test_a_follower_cannot_remove_or_overwrite_anyone_elses_presence() -> None:
    from pycrdt import Awareness
    from websockets.asyncio.client import connect

    from facilitator.share_client import peers_of, set_presence

    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", host="127.0.0.1") as hosted:
        set_presence(hosted.awareness, name="Host", role="host", where="")
        ana = Awareness(Doc())
        set_presence(ana, name="Ana", role="editor", where="item:item-a")
        async with connect(hosted.url) as editor:
            await editor.send(_presence_update(ana.client_id, 1, json.dumps(ana.get_local_state())))
            await until(lambda: ana.client_id in hosted.awareness.states)
            host_id = hosted.awareness.client_id
            async with connect(hosted.follow_url) as follower:
                # Its first message names Ana and the host as gone: neither is its to claim.
                await follower.send(_presence_update(ana.client_id, 99, "null"))
                await follower.send(_presence_update(host_id, 99, "null"))
                await follower.send(_presence_update(ana.client_id, 100, '{"name": "x"}'))
                # Then it says who it is, and names Ana as gone again.
                await follower.send(_presence_update(4242, 1, '{"name": "me"}'))
                await follower.send(_presence_update(ana.client_id, 101, "null"))
                await _all_read(follower)
                names = {p.client_id: p.name for p in peers_of(hosted.awareness)}
                assert names[ana.client_id] == "Ana" and names[host_id] == "Host"
                assert names[4242] == FOLLOWER_NAME
                # Its own presence it may take away.
                await follower.send(_presence_update(4242, 2, "null"))
                await until(lambda: 4242 not in hosted.awareness.states)
            # A follower leaving takes only its own presence with it.
            await _all_read(editor)
            assert ana.client_id in hosted.awareness.states


async def test_a_followers_flood_of_presence_is_cut() -> None:
    from websockets.asyncio.client import connect

    from facilitator.share_server import FOLLOWER_AWARENESS_PER_SECOND

    clock = [100.0]
    host_doc = sd.session_to_doc(make_session())
    async with host_meeting(host_doc, "2024-11-19", host="127.0.0.1", clock=lambda: clock[0]) as hosted:
        seen: list[int] = []
        hosted.awareness.observe(lambda topic, change: seen.append(1) if topic == "update" else None)
        async with connect(hosted.follow_url) as follower:
            for n in range(1, 5 * FOLLOWER_AWARENESS_PER_SECOND + 1):
                await follower.send(_presence_update(4242, n, "{}"))
            await _all_read(follower)
            assert len(seen) == FOLLOWER_AWARENESS_PER_SECOND
            clock[0] += 1.0  # a second later it may speak again
            await follower.send(_presence_update(4242, 1000, "{}"))
            await until(lambda: len(seen) == FOLLOWER_AWARENESS_PER_SECOND + 1)
