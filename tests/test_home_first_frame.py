"""Home's first frame: the index's newest rows are in it, read without the data layer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from facilitator.app import FacilitatorApp
from facilitator.index import INDEX_NAME, peek_newest
from facilitator.screens.home import HOME_SESSIONS, HomeScreen
from facilitator.store import SessionStore
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app
from tests.test_app_rename_delete import home_options, on_home, two_on_a_day  # noqa: F401 (fixture)
from tests.test_core_imports import loads_none_of


def test_peek_reads_what_the_store_would_show_as_indexed(two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    assert peek_newest(sessions_dir, 10) is None  # no index file yet
    two_on_a_day.newest(10)
    rows, total, broken = peek_newest(sessions_dir, 2)
    indexed, indexed_total = two_on_a_day.newest_as_indexed(2)
    assert total == indexed_total == 3 and broken == []
    assert [r[1] for r in rows] == [s.id for s in indexed.sessions] == ["2024-12-17-2", "2024-12-17"]


def test_peek_never_writes_and_leaves_another_version_alone(two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    two_on_a_day.newest(10)
    index = sessions_dir / INDEX_NAME
    with sqlite3.connect(index) as conn:
        conn.execute("PRAGMA user_version = 999")  # as an older or newer release left it
    before = index.read_bytes()
    assert peek_newest(sessions_dir, 10) is None
    assert index.read_bytes() == before  # not migrated: the store's refresh does that
    index.write_bytes(b"garbage, not a database")
    assert peek_newest(sessions_dir, 10) is None


async def test_home_shows_the_indexed_rows_when_mounted(two_on_a_day: SessionStore, sessions_dir: Path,  # noqa: F811
                                                        tmp_path: Path, monkeypatch) -> None:
    """The rows are set before the first refresh (on mount, before the lists load), so
    the first frame holds them; the fresh look at the files then finds them unchanged."""
    two_on_a_day.newest(10)
    seen: list[tuple[bool, bool, list[str]]] = []
    original = HomeScreen._show_sessions

    def spy(self, result, total, final=True):
        seen.append((self._lists_loaded, final, [s.id for s in result.sessions]))
        original(self, result, total, final=final)

    monkeypatch.setattr(HomeScreen, "_show_sessions", spy)
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        await pilot.pause()
        assert seen[0] == (False, False, ["2024-12-17-2", "2024-12-17", "2024-11-19"])
        assert len(seen) == 1  # unchanged files: the rows stay, nothing drawn again
        assert home._sessions_shown
        assert type(home.session_rows[0]).__name__ == "SessionSummary"  # the store's rows from then on
        assert "2024-12-17-2 ·" in home_options(app)[0]


def test_home_rows_need_no_data_layer(two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    two_on_a_day.newest(10)
    loads_none_of(
        "from pathlib import Path; from facilitator.index import peek_newest; import facilitator.screens.home as h; "
        f"assert peek_newest(Path({str(sessions_dir)!r}), h.HOME_SESSIONS)[1] == 3",
        ("facilitator.store", "facilitator.model", "tomli_w", "tomllib"),
    )
    assert HOME_SESSIONS >= 3
