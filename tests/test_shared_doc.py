"""A session as a shared pycrdt document: peers exchanging updates converge, no network."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pycrdt import Array, Doc, Map, Text

from facilitator import shared_doc as sd
from facilitator.model import AgendaItem, Attendee, ItemStatus, Section, SectionKind, Session, SessionStatus
from facilitator.store import dumps_session, read_session_file
from facilitator.text_offsets import TextOffsets

DEMO = Path(__file__).parent.parent / "facilitator" / "demo"


def make_session() -> Session:
    return Session(
        id="2024-11-19",
        date="2024-11-19",
        template="cafe",
        heading="2024-11-19",
        status=SessionStatus.LIVE,
        sections=[
            Section(SectionKind.CHECKIN, heading="Check-in", attendees=[
                Attendee("Min / @minrk / Simula"), Attendee("Sarah / @sgibson91 / 2i2c"),
            ]),
            Section(SectionKind.CELEBRATIONS, heading=":tada: Celebrations", entries=["Release 5.0!"]),
            Section(SectionKind.AGENDA, heading="Agenda", items=[
                AgendaItem("**Min (10m):** Binder federation", notes="- started\n", id="item-a"),
                AgendaItem("**Sarah (5m):** 会议 🎉", id="item-b"),
            ]),
        ],
    )


def sync(*docs: Doc) -> None:
    """Every doc sends every other what it is missing (as a provider does, minus the wire)."""
    for src in docs:
        for dst in docs:
            if src is not dst:
                dst.apply_update(src.get_update(dst.get_state()))


def join(host: Doc) -> Doc:
    """A joiner starts empty and takes the host's document; it never builds a skeleton."""
    doc = Doc()
    doc.apply_update(host.get_update())
    return doc


# -- the mapping -----------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.toml")), ids=lambda p: p.name)
def test_every_demo_session_round_trips_through_the_doc(path: Path) -> None:
    session = read_session_file(path)
    back = sd.doc_to_session(sd.session_to_doc(session))
    assert dumps_session(back) == dumps_session(session)


def test_a_document_typed_by_another_team_round_trips_through_the_doc() -> None:
    from facilitator.markdown import parse_document, render_session

    typed = "---\ntitle: sync\n---\n\n# Sync, 2 May 2023\n\nLead-in.\n\n## Attendees\n\n* Ana\n* Ben\n\n## Notes\n\n3. a\n7. b\n"
    (session,) = parse_document(typed, source="sync.md").sessions
    session.id = "sync"
    assert any(sec.typed_items for sec in session.sections)
    back = sd.doc_to_session(sd.session_to_doc(session))
    assert dumps_session(back) == dumps_session(session)
    assert back.form == "document" and render_session(back) == typed  # front matter and typed text travel


def test_entries_and_attendees_get_stable_ids_and_items_keep_theirs() -> None:
    doc = sd.session_to_doc(make_session())
    sections = doc.get(sd.SECTIONS, type=Array).to_py()
    ids = [s["id"] for s in sections]
    ids += [a["id"] for s in sections for a in s["attendees"]]
    ids += [e["id"] for s in sections for e in s["entries"]]
    assert len(ids) == len(set(ids)) == 3 + 2 + 1
    assert [i["id"] for i in sections[2]["items"]] == ["item-a", "item-b"]
    # A joiner sees the same ids: they travel with the document.
    assert join(doc).get(sd.SECTIONS, type=Array).to_py() == sections


def test_notes_are_shared_text_and_carriage_returns_are_normalised() -> None:
    session = make_session()
    session.agenda_items[0].notes = "pasted\r\nfrom windows\rand mac"
    doc = sd.session_to_doc(session)
    notes = sd.item_notes(doc, "item-a")
    assert isinstance(notes, Text)
    assert str(notes) == "pasted\nfrom windows\nand mac"
    sd.insert_at(notes, (2, 3), "\r\nX")
    assert str(notes) == "pasted\nfrom windows\nand\nX mac"
    with pytest.raises(KeyError):
        sd.item_notes(doc, "no-such-item")


def test_the_facilitator_state_is_its_own_map_and_the_current_item_is_an_id() -> None:
    session = make_session()
    session.clock.current_item = "item-b"
    session.clock.running = True
    session.clock.run_started_at = 1_700_000_000.5
    session.clock.rooms_open = True
    session.agenda_items[0].status = ItemStatus.DONE
    session.agenda_items[0].actual_seconds = 612.0
    doc = sd.session_to_doc(session)
    host = doc.get(sd.HOST, type=Map).to_py()
    assert host["status"] == "live"
    assert host["clock"]["current_item"] == "item-b"
    assert host["clock"]["rooms_open"] is True
    assert host["items"]["item-a"] == {"status": "done", "actual_seconds": 612.0, "extra_seconds": 0}
    # Nothing of the facilitator's state lives in the sections others edit.
    flat = repr(doc.get(sd.SECTIONS, type=Array).to_py())
    assert "'actual_seconds'" not in flat and "612.0" not in flat and "'status'" not in flat

    # The host moves on; a joiner reads the new current item without any notes changing.
    other = join(doc)
    session.clock.current_item = "item-a"
    session.agenda_items[1].status = ItemStatus.RUNNING
    sd.write_host_state(doc, session)
    sync(doc, other)
    joined = sd.doc_to_session(other)
    assert joined.clock.current_item == "item-a"
    assert joined.find_item("item-b").status == ItemStatus.RUNNING
    assert joined.clock.run_started_at == 1_700_000_000.5


def test_a_doc_without_a_meeting_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no meeting"):
        sd.doc_to_session(Doc())


# -- several notetakers at once ----------------------------------------------------------


class Notetaker:
    """A peer typing into one item's notes at a cursor that remote edits move, as a pane would."""

    def __init__(self, doc: Doc, item_id: str, location: tuple[int, int]) -> None:
        self.doc = doc
        self.notes = sd.item_notes(doc, item_id)
        self.cursor = TextOffsets(str(self.notes)).location_to_byte(location)
        self.typed = ""
        self._remote = False
        self.notes.observe(self._on_change)

    def _on_change(self, event) -> None:
        if self._remote:
            self.cursor = sd.shift_offset(self.cursor, event.delta)

    def receive(self, *others: Doc) -> None:
        self._remote = True
        try:
            for other in others:
                self.doc.apply_update(other.get_update(self.doc.get_state()))
        finally:
            self._remote = False

    def type(self, ch: str) -> None:
        # Through the pane's own coordinates: byte cursor -> (row, col) -> insert.
        location = TextOffsets(str(self.notes)).byte_to_location(self.cursor)
        sd.insert_at(self.notes, location, ch)
        self.cursor += len(ch.encode("utf-8"))
        self.typed += ch


WORDS = ["Min: deploy 🚀 on Friday\n", "会议记录：下周发布 🎉\n", "Sarah 👩🏽‍💻 reviews\n"]


@pytest.mark.parametrize("peers", [2, 3])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_notetakers_typing_into_the_same_notes_converge(peers: int, seed: int) -> None:
    rng = random.Random(seed)
    host = sd.session_to_doc(make_session())
    docs = [host] + [join(host) for _ in range(peers - 1)]
    start = str(sd.item_notes(host, "item-a"))
    takers = [Notetaker(d, "item-a", (0, rng.randint(0, 3))) for d in docs]
    queues = [list(WORDS[i]) for i in range(peers)]
    while any(queues):
        i = rng.randrange(peers)
        if queues[i]:
            takers[i].type(queues[i].pop(0))
        if rng.random() < 0.3:  # now and then a peer hears from the others
            j = rng.randrange(peers)
            takers[j].receive(*[d for d in docs if d is not docs[j]])
    for t in takers:
        t.receive(*[d for d in docs if d is not t.doc])

    texts = {str(sd.item_notes(d, "item-a")) for d in docs}
    assert len(texts) == 1
    (text,) = texts
    assert Counter(text) == Counter(start) + sum((Counter(w) for w in WORDS[:peers]), Counter())
    # Each notetaker's words arrive whole, in order: their cursor followed the remote edits.
    for i in range(peers):
        assert WORDS[i] in text
    sessions = {dumps_session(sd.doc_to_session(d)) for d in docs}
    assert len(sessions) == 1


def test_concurrent_edits_to_different_parts_all_survive() -> None:
    host = sd.session_to_doc(make_session())
    a, b = join(host), join(host)
    sd.insert_at(sd.item_notes(a, "item-b"), (0, 0), "日本語 ✅")
    item = sd.find_item_map(b, "item-b")
    sd.replace_all(item["text"], "**Sarah (5m):** 会议 🎉 (moved)")
    sd.replace_all(sd.item_notes(host, "item-a"), "- started\n- done 🎉\n")
    sync(host, a, b)
    sessions = [sd.doc_to_session(d) for d in (host, a, b)]
    assert len({dumps_session(s) for s in sessions}) == 1
    s = sessions[0]
    assert s.find_item("item-b").notes == "日本語 ✅"
    assert s.find_item("item-b").text == "**Sarah (5m):** 会议 🎉 (moved)"
    assert s.find_item("item-a").notes == "- started\n- done 🎉\n"


def test_replace_all_changes_only_the_middle_so_concurrent_typing_at_the_ends_survives() -> None:
    host = sd.session_to_doc(make_session())
    other = join(host)
    notes_h, notes_o = sd.item_notes(host, "item-a"), sd.item_notes(other, "item-a")
    sd.replace_all(notes_h, "- started 😀\n")  # the host's pane: an emoji typed before the newline
    notes_o += "- 会议\n"  # meanwhile another notetaker appends
    sync(host, other)
    assert str(notes_h) == str(notes_o) == "- started 😀\n- 会议\n"


def test_shift_offset_follows_inserts_and_deletes_counted_in_bytes() -> None:
    text = "a😀b日c"
    cursor = len("a😀b".encode())  # before 日
    assert sd.shift_offset(cursor, [{"insert": "🎉"}]) == cursor + 4
    assert sd.shift_offset(cursor, [{"retain": cursor}, {"insert": "X"}]) == cursor  # at the cursor: after it
    assert sd.shift_offset(cursor, [{"retain": 1}, {"delete": 4}]) == cursor - 4
    assert sd.shift_offset(cursor, [{"retain": 5}, {"delete": 4}]) == 5  # deleting across the cursor
    assert sd.shift_offset(cursor, [{"retain": cursor + 3}, {"insert": "Z"}]) == cursor
    assert text  # the offsets above are bytes of this text


# -- the host's snapshot -------------------------------------------------------------------


def test_a_restarted_host_resumes_from_its_snapshot_without_duplicating_the_skeleton(tmp_path: Path) -> None:
    session_path = tmp_path / "2024-11-19.toml"
    session = make_session()
    session_path.write_text(dumps_session(session), encoding="utf-8")
    host = sd.open_host_doc(session, session_path)
    joiner = join(host)
    sd.insert_at(sd.item_notes(joiner, "item-a"), (1, 0), "- from a joiner 🧑‍🤝‍🧑\n")
    sync(host, joiner)
    snap = sd.snapshot_path(session_path)
    assert snap == tmp_path / "2024-11-19.ydoc"
    sd.write_snapshot(host, snap)
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temp file

    # The host restarts with the (older) TOML: the snapshot wins and nothing is added twice.
    restarted = sd.open_host_doc(read_session_file(session_path), session_path)
    assert restarted.get_update() and sd.doc_to_session(restarted).to_dict() == sd.doc_to_session(host).to_dict()
    assert len(restarted.get(sd.SECTIONS, type=Array)) == len(session.sections)
    assert [i.id for i in sd.doc_to_session(restarted).agenda_items] == ["item-a", "item-b"]
    assert sd.item_notes(restarted, "item-a").to_py() == "- started\n- from a joiner 🧑‍🤝‍🧑\n"

    # The joiner reconnects to the restarted host with an offline edit: both merge, no duplicates.
    sd.insert_at(sd.item_notes(joiner, "item-b"), (0, 0), "offline 会议")
    sync(restarted, joiner)
    assert sd.doc_to_session(restarted).to_dict() == sd.doc_to_session(joiner).to_dict()
    assert len(restarted.get(sd.SECTIONS, type=Array)) == len(session.sections)
    assert sd.doc_to_session(restarted).find_item("item-b").notes == "offline 会议"


def test_calling_session_to_doc_again_adds_nothing() -> None:
    doc = sd.session_to_doc(make_session())
    before = doc.get_update()
    sd.session_to_doc(make_session(), doc)
    assert doc.get_update() == before


@pytest.mark.parametrize("content", [
    "", "not a snapshot\nAAAA\n", "facilitator-ydoc 1\n***\n", "facilitator-ydoc 1\nAAECAwQF\n",
    "facilitator-ydoc 1\n\n",
])
def test_a_bad_snapshot_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.ydoc"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(sd.SnapshotError):
        sd.read_snapshot(path)


def test_a_missing_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(sd.SnapshotError, match="cannot read"):
        sd.read_snapshot(tmp_path / "none.ydoc")


def test_the_app_draws_its_first_frame_without_loading_pycrdt(tmp_path: Path) -> None:
    """Sharing is loaded only by code that shares, so the first frame does not pay for it."""
    code = (
        "import asyncio, sys\n"
        "from facilitator.app import FacilitatorApp\n"
        "import facilitator.cli\n"
        "async def main():\n"
        f"    app = FacilitatorApp({str(tmp_path)!r})\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert app.screen is not None\n"
        "asyncio.run(main())\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pycrdt', 'websockets', 'anyio'))\n"
        "assert not bad, bad\n"
        "print('first frame ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "first frame ok" in proc.stdout
