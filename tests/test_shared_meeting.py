"""A meeting engine on the host and on joiners, kept in step through the shared document."""

from __future__ import annotations

import pytest
from pycrdt import Doc

from facilitator import shared_doc as sd
from facilitator.engine import Change, Meeting
from facilitator.shared_meeting import SharedMeeting, TextLink, delta_to_char_ops
from tests.test_shared_doc import join, make_session, sync


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def pair(tmp_path=None):
    """A host meeting and one joiner's, on two documents (synced by hand: no network)."""
    host_session = make_session()
    host_doc = sd.session_to_doc(host_session)
    mono, wall = Clock(), Clock()
    host = Meeting(host_session, now=mono, wall=wall)
    host_share = SharedMeeting(host_doc, host, is_host=True)
    joiner_doc = join(host_doc)
    joiner = Meeting(sd.doc_to_session(joiner_doc), now=mono, wall=wall)
    joiner_share = SharedMeeting(joiner_doc, joiner, is_host=False)
    return host, host_share, joiner, joiner_share, (mono, wall)


def test_a_joiner_adds_to_a_list_and_the_host_sees_it_and_is_told() -> None:
    host, hs, joiner, js, _ = pair()
    told: list[Change] = []
    host.subscribe(told.append)
    checkin = joiner.session.sections[0]
    joiner.add_entry(checkin, "Chen / @chen / 会議 🎉")
    host.add_entry(host.session.sections[0], "Dana")  # at the same time, on the host
    sync(hs.doc, js.doc)
    hs.deliver()
    js.deliver()
    names = [a.text for a in host.session.sections[0].attendees]
    assert names == [a.text for a in joiner.session.sections[0].attendees]
    assert set(names[2:]) == {"Chen / @chen / 会議 🎉", "Dana"}
    assert Change.STRUCTURE in told
    # The host's objects are the same ones (the screen holds them), updated in place.
    assert host.session.sections[0] is hs.session.sections[0]


def test_only_the_host_moves_the_meeting_and_the_joiner_counts_down_itself() -> None:
    host, hs, joiner, js, (mono, wall) = pair()
    item_b = host.session.find_item("item-b")
    host.start(item_b)
    sync(hs.doc, js.doc)
    js.deliver()
    assert joiner.current is joiner.session.find_item("item-b")
    assert joiner.timer_view(joiner.current).text == "05:00"
    mono.t += 90
    wall.t += 90  # no traffic: the joiner's countdown moves on its own
    assert joiner.timer_view(joiner.current).text == "03:30"
    # The joiner's clock says what happens, without the keys only the host has.
    assert joiner.timer_view(joiner.session.find_item("item-a")).info == "not started"
    assert "F5" in host.timer_view(host.session.find_item("item-a")).info
    # A joiner's engine never writes the host's state, even if asked to.
    joiner.pause()
    sync(hs.doc, js.doc)
    hs.deliver()
    assert host.running and host.current is item_b


def test_agenda_items_added_moved_and_retyped_keep_their_ids() -> None:
    host, hs, joiner, js, _ = pair()
    new = joiner.add_item("**Ana (5m):** 新しい 😀")
    sync(hs.doc, js.doc)
    hs.deliver()
    assert [i.id for i in host.session.agenda_items] == ["item-a", "item-b", new.id]
    host.move_item(host.session.find_item(new.id), -1)
    host.edit_item(host.session.find_item("item-a"), "**Min (15m):** Binder federation")
    sync(hs.doc, js.doc)
    js.deliver()
    assert [i.id for i in joiner.session.agenda_items] == ["item-a", new.id, "item-b"]
    assert joiner.session.find_item("item-a").minutes == 15
    assert joiner.session.find_item("item-a").notes == "- started\n"


def test_notes_typed_on_both_sides_converge_and_undo_takes_back_only_ones_own() -> None:
    host, hs, joiner, js, _ = pair()
    a = TextLink(hs.item_notes(host.session.find_item("item-a")))
    b_seen = []
    b = TextLink(js.item_notes(joiner.session.find_item("item-a")), on_remote=lambda ops, v: b_seen.append(ops))
    end = len(a.value)
    for n, ch in enumerate("Ana 😀"):
        a.local_edit(end + n, end + n, ch)
    for n, ch in enumerate("陈 👍🏽"):
        b.local_edit(n, n, ch)
    sync(hs.doc, js.doc)
    assert a.value == b.value == str(a.text) == str(b.text) == "陈 👍🏽- started\nAna 😀"
    assert b_seen  # the joiner's editor was told where the host's letters went
    js.deliver()
    assert joiner.session.find_item("item-a").notes == b.value
    # Undo on the joiner takes back the joiner's typing, never the host's.
    assert b.undo()
    sync(hs.doc, js.doc)
    assert a.value == b.value == "- started\nAna 😀"
    b.local_edit(0, 0, "x\r\ny")
    assert b.value.startswith("x\ny")


@pytest.mark.parametrize(("old", "delta", "ops", "new"), [
    ("a😀b", [{"retain": 5}, {"insert": "会"}], [(2, 2, "会")], "a😀会b"),
    ("a😀b会c", [{"retain": 1}, {"delete": 4}, {"retain": 1}, {"delete": 3}], [(1, 2, ""), (2, 3, "")], "abc"),
    ("", [{"insert": "👍🏽"}], [(0, 0, "👍🏽")], "👍🏽"),
])
def test_byte_deltas_become_character_operations(old, delta, ops, new) -> None:
    assert delta_to_char_ops(old, delta) == (ops, new)


def test_a_restarted_host_resumes_from_its_snapshot_without_duplicates(tmp_path) -> None:
    path = tmp_path / "2024-11-19.toml"
    session = make_session()
    doc = sd.open_host_doc(session, path)
    host = Meeting(session)
    share = SharedMeeting(doc, host, is_host=True)
    host.add_entry(host.session.sections[1], "Docs merged 🎉")
    TextLink(share.item_notes(session.find_item("item-b"))).local_edit(0, 0, "会議")
    sd.write_snapshot(doc, sd.snapshot_path(path))
    # Restart: the TOML as last saved (say, before the last keystrokes) and the snapshot.
    again = make_session()
    doc2 = sd.open_host_doc(again, path)
    host2 = Meeting(again)
    SharedMeeting(doc2, host2, is_host=True)
    assert again.find_item("item-b").notes == "会議"
    assert again.sections[1].entries == ["Release 5.0!", "Docs merged 🎉"]
    assert len(again.sections) == len(session.sections)
    assert len(sd.doc_to_session(doc2).agenda_items) == 2


def test_rooms_the_host_opens_reach_the_joiner_whose_room_notes_reach_the_host() -> None:
    from facilitator.rooms import RoomPlan

    host, hs, joiner, js, _ = pair()
    made = host.open_rooms([RoomPlan("Binder federation", host="Min"), RoomPlan("会議 🎉")], 20)
    sync(hs.doc, js.doc)
    js.deliver()
    assert [r.heading for r in joiner.session.rooms] == [r.heading for r in made]
    assert joiner.rooms_open and joiner.rooms_view().text == "20:00"
    room = joiner.session.rooms[1]
    link = js.link_section_body(room, on_remote=lambda ops, v: None)
    link.local_edit(len(link.value), len(link.value), "- 陈 notes 👍🏽\n")
    sync(hs.doc, js.doc)
    hs.deliver()
    assert host.session.rooms[1].body.endswith("- 陈 notes 👍🏽\n")
    assert hs.describe_where(js.where(room, None)) == room.title
    # Joiners cannot close them; the host can.
    assert joiner.bring_back() == 0.0 and joiner.rooms_open
    host.bring_back()
    sync(hs.doc, js.doc)
    js.deliver()
    assert not joiner.rooms_open


def test_a_topic_added_as_its_own_section_reaches_the_other_side() -> None:
    from facilitator.templates import get_template, new_session

    tpl = get_template("2i2c")
    session = new_session(tpl, "2025-01-21", date="2025-01-21")
    host_doc = sd.session_to_doc(session)
    host = Meeting(session, tpl)
    hs = SharedMeeting(host_doc, host, is_host=True)
    joiner_doc = join(host_doc)
    joiner = Meeting(sd.doc_to_session(joiner_doc), tpl)
    js = SharedMeeting(joiner_doc, joiner, is_host=False)
    item = joiner.add_item("Ana: 新しい話題 😀")
    sync(hs.doc, js.doc)
    hs.deliver()
    assert [s.heading for s in host.session.sections] == [s.heading for s in joiner.session.sections]
    assert host.session.find_item(item.id).text == "Ana: 新しい話題 😀"
    host.remove_item(host.session.find_item(item.id))
    sync(hs.doc, js.doc)
    js.deliver()
    assert joiner.session.find_item(item.id) is None
    assert len(joiner.session.sections) == len(host.session.sections) == len(session.sections)
