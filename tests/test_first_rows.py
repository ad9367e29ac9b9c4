"""Home's kept rows (facilitator.first_rows): read back as written, anything else ignored,
forgotten by every index refresh that changed something, and shown in the next first frame."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from facilitator import first_rows
from facilitator.model import Session
from facilitator.store import SessionStore
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app
from tests.test_app_rename_delete import on_home, two_on_a_day  # noqa: F401 (fixture)
from tests.test_core_imports import loads_none_of


def row(n: int, **changes) -> tuple:
    fields = dict(name=f"2024-01-{n:02d}.toml", id=f"2024-01-{n:02d}", date=f"2024-01-{n:02d}", heading="",
                  title=f"Meeting {n}", template="collab-cafe", status="finished", attendees=n, agenda_items=2,
                  archived_in="", mtime=1700000000.5 + n, cancelled="", rooms=0)
    fields.update(changes)
    return tuple(fields.values())


def keep(root: Path, data: bytes) -> None:
    (root / first_rows.FILE_NAME).write_bytes(data)


def test_rows_read_back_as_written_up_to_the_limit(tmp_path: Path) -> None:
    rows = [row(n) for n in range(1, 6)]
    keep(tmp_path, first_rows.encode(rows, 40, [("bad.toml", "not TOML: line 1")]))
    assert first_rows.read(tmp_path, 10) == (rows, 40, [("bad.toml", "not TOML: line 1")])
    assert first_rows.read(tmp_path, 2) == (rows[:2], 40, [("bad.toml", "not TOML: line 1")])


def test_at_most_max_rows_are_kept(tmp_path: Path) -> None:
    keep(tmp_path, first_rows.encode([row(n % 28 + 1) for n in range(first_rows.MAX_ROWS + 50)], 10_000, []))
    rows, total, _ = first_rows.read(tmp_path, 10_000)
    assert len(rows) == first_rows.MAX_ROWS and total == 10_000


@pytest.mark.parametrize("data", [
    b"",
    b"garbage, not marshal",
    marshal.dumps((first_rows.VERSION + 1, [row(1)], 1, [])),  # another release's
    marshal.dumps((first_rows.VERSION, [row(1)], 1)),  # a field short
    marshal.dumps((first_rows.VERSION, [row(1)[:-1]], 1, [])),  # a row a field short
    marshal.dumps((first_rows.VERSION, [row(1, attendees="9")], 1, [])),  # text where a count is
    marshal.dumps((first_rows.VERSION, [row(1, mtime=None)], 1, [])),
    marshal.dumps((first_rows.VERSION, [row(1, name="../../etc/passwd")], 1, [])),  # not a file of the directory
    marshal.dumps((first_rows.VERSION, [row(1, name="notes.md")], 1, [])),
    marshal.dumps((first_rows.VERSION, [row(1), row(2)], 1, [])),  # fewer sessions than rows
    marshal.dumps((first_rows.VERSION, [row(1)], 1, [("a/b.toml", "why")])),
    marshal.dumps((first_rows.VERSION, [], 0, [])),  # nothing to show: the index says what there is
    marshal.dumps([first_rows.VERSION, [row(1)], 1, []]),
])
def test_anything_else_is_ignored(tmp_path: Path, data: bytes) -> None:
    keep(tmp_path, data)
    assert first_rows.read(tmp_path, 10) is None


def test_a_file_too_big_to_be_ours_is_not_read(tmp_path: Path) -> None:
    keep(tmp_path, first_rows.encode([row(1)], 1, []) + b"\0" * first_rows.MAX_BYTES)
    assert first_rows.read(tmp_path, 10) is None
    assert first_rows.read(tmp_path / "missing", 10) is None


def test_text_read_back_holds_no_control_character(tmp_path: Path) -> None:
    """The file is in the sessions directory, where anyone may write: its text is cleaned
    again, as a session file's is, before home paints it."""
    keep(tmp_path, first_rows.encode([row(1, title="\x1b]52;c;aGk=\x07Cafe\x9b2J", cancelled="a\x1b[31mb")],
                                     1, [("bad.toml", "why\x1b[2J")]))
    (r,), _, ((_, reason),) = first_rows.read(tmp_path, 10)
    for text in (r[4], r[11], reason):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text), text
    assert "Cafe" in r[4]


def test_forget_removes_it_and_never_fails(tmp_path: Path) -> None:
    keep(tmp_path, first_rows.encode([row(1)], 1, []))
    first_rows.forget(tmp_path)
    assert not (tmp_path / first_rows.FILE_NAME).exists()
    first_rows.forget(tmp_path)  # nothing there: nothing to do
    first_rows.forget(tmp_path / "missing")


def test_reading_them_needs_neither_sqlite_nor_the_data_layer(tmp_path: Path) -> None:
    keep(tmp_path, first_rows.encode([row(1)], 1, []))
    loads_none_of(f"from facilitator import first_rows; assert first_rows.read({str(tmp_path)!r}, 5)[1] == 1",
                  ("sqlite3", "facilitator.index", "facilitator.store", "facilitator.model", "tomllib"))


def test_the_store_keeps_the_rows_it_listed_and_the_index_forgets_them_on_a_change(
        two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    scan, total = two_on_a_day.newest(10)
    two_on_a_day.keep_first_rows(scan, total)
    rows, kept_total, broken = first_rows.read(sessions_dir, 10)
    assert [r[1] for r in rows] == [s.id for s in scan.sessions] and kept_total == total == 3 and broken == []
    assert [r[10] for r in rows] == [s.mtime for s in scan.sessions]  # exactly: home compares them
    two_on_a_day.newest(10)  # nothing changed: kept
    assert first_rows.read(sessions_dir, 10) is not None
    two_on_a_day.save(Session(id="2025-01-21", date="2025-01-21", template="collab-cafe", title="New year"))
    two_on_a_day.newest(10)  # the index took the new file: the kept rows would hide it
    assert not (sessions_dir / first_rows.FILE_NAME).exists()


def test_a_session_removed_by_hand_makes_the_next_refresh_forget_them(
        two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    two_on_a_day.keep_first_rows(*two_on_a_day.newest(10))
    (sessions_dir / "2024-11-19.toml").unlink()
    two_on_a_day.newest(10)
    assert not (sessions_dir / first_rows.FILE_NAME).exists()


def test_a_directory_that_cannot_take_them_goes_without(tmp_path: Path, monkeypatch) -> None:
    store = SessionStore(tmp_path / "not-yet")
    store.keep_first_rows(*store.newest(10))  # nothing created, nothing raised
    assert not (tmp_path / "not-yet").exists()
    store = SessionStore(tmp_path)
    store.save(Session(id="2024-01-01", date="2024-01-01", template="collab-cafe", title="Cafe"))
    scan, total = store.newest(10)
    assert total == 1

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("facilitator.store.atomic_write_text", read_only)
    store.keep_first_rows(scan, total)  # the error is the file's loss only
    assert not (tmp_path / first_rows.FILE_NAME).exists()


def test_rows_kept_already_are_not_written_again(two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    scan, total = two_on_a_day.newest(10)
    two_on_a_day.keep_first_rows(scan, total)
    before = os.stat(sessions_dir / first_rows.FILE_NAME)
    again, again_total = two_on_a_day.newest(10)  # equal rows, new objects
    two_on_a_day.keep_first_rows(again, again_total)
    after = os.stat(sessions_dir / first_rows.FILE_NAME)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    two_on_a_day.keep_first_rows(again, again_total + 1)  # another count: written
    assert first_rows.read(sessions_dir, 10)[1] == 4


async def test_the_next_first_frame_shows_the_kept_rows_then_the_fresh_ones(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, home_rows_shown: list) -> None:  # noqa: F811
    """Home keeps what it listed; the next app's first frame shows those rows (here, one
    made to differ from the files), the look at the files replaces them and keeps anew."""
    from tests.test_app_history import until

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        await until(pilot, lambda: (sessions_dir / first_rows.FILE_NAME).exists())
    rows, total, broken = first_rows.read(sessions_dir, 100)
    assert [r[1] for r in rows] == ["2024-12-17-2", "2024-12-17", "2024-11-19"] and total == 3
    keep(sessions_dir, first_rows.encode([rows[0][:4] + ("Kept [b]title[/b]",) + rows[0][5:], *rows[1:]], total, broken))
    home_rows_shown.clear()
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        await until(pilot, lambda: len(home_rows_shown) == 2)
        (_, first_final, first, _), (_, final, fresh, _) = home_rows_shown
        assert not first_final and first[0].title == "Kept [b]title[/b]"  # the kept rows, not the index's
        assert final and fresh[0].title == "Collaboration Cafe"
        await until(pilot, lambda: first_rows.read(sessions_dir, 1)[0][0][4] == "Collaboration Cafe")


async def test_unchanged_kept_rows_are_not_drawn_or_written_again(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, home_rows_shown: list) -> None:  # noqa: F811
    two_on_a_day.keep_first_rows(*two_on_a_day.newest(100))
    before = os.stat(sessions_dir / first_rows.FILE_NAME)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        from tests.test_app_history import until

        await until(pilot, lambda: home._sessions_shown)
        assert len(home_rows_shown) == 1 and not home_rows_shown[0][1]  # the kept rows, never redrawn
    after = os.stat(sessions_dir / first_rows.FILE_NAME)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
