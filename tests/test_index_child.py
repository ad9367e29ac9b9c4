"""A big index build in a child process (``facilitator.index_child``): the hand-off, the
progress the screens show meanwhile, the lists filled once it is done, the fallback."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import OptionList, ProgressBar

from facilitator.index import index_for
from facilitator.index_child import ChildBuild
from facilitator.screens.browse import BrowseScreen
from facilitator.store import SessionStore
from facilitator.widgets.session_table import SessionTable
from tests.many_sessions import write_sessions
from tests.test_app_history import HostApp, settle, until

N = 60


@pytest.fixture
def many(tmp_path: Path) -> SessionStore:
    """N sessions and no index yet: the first refresh parses every file."""
    root = tmp_path / "sessions"
    write_sessions(root, N, seeds=1)
    return SessionStore(root)


class Counting:
    """The store's parser, counting the files parsed in this process."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self.calls = 0

    def __call__(self, path: Path, stem: str):
        self.calls += 1
        return self.store._parse_for_index(path, stem)


class SlowChild:
    """A stand-in child: reports progress, waits for the test, then builds the index
    (in this process, through a store of its own) and ends with ``status``."""

    def __init__(self, root: Path, status: int = 0, said: str = "") -> None:
        self.root = root
        self.status = status
        self.said = said
        self.release = threading.Event()
        self.reported = threading.Event()
        self.argv: list[list[str]] = []
        self.ended = False

    def __call__(self, argv: list[str]) -> SlowChild:
        self.argv.append(argv)
        return self

    @property
    def stdout(self):
        yield f"0 {N}\n"
        yield f"{N // 2} {N}\n"
        self.reported.set()
        assert self.release.wait(30), "the test never released the child"
        if self.status == 0:
            SessionStore(self.root).index()
        elif self.said:
            yield "Traceback (most recent call last):\n"
            yield self.said + "\n"
        self.ended = True

    def wait(self) -> int:
        return self.status

    def poll(self) -> int | None:
        return self.status if self.ended else None

    def kill(self) -> None:
        self.ended = True


def test_a_big_refresh_is_parsed_by_the_child_process(many: SessionStore) -> None:
    parse = Counting(many)
    build = ChildBuild(threshold=10)  # the real ``python -m facilitator.index_child``
    assert build.refresh(index_for(many.root), parse) == []
    assert parse.calls == 0 and build.failed is None  # not one file parsed here
    assert index_for(many.root).count() == N
    assert index_for(many.root).progress is None


def test_a_small_refresh_stays_in_the_process(many: SessionStore) -> None:
    def never(argv):
        raise AssertionError("no child for a few files")

    parse = Counting(many)
    ChildBuild(threshold=N + 1, start=never).refresh(index_for(many.root), parse)
    assert parse.calls == N and index_for(many.root).count() == N


@pytest.mark.parametrize("command, reason", [
    ([sys.executable, "-c", "import sys; print('boom: the disk caught fire'); sys.exit(3)"], "boom: the disk caught fire"),
    (["/nonexistent/python3"], "cannot start /nonexistent/python3"),
])
def test_a_child_that_fails_falls_back_to_building_here(many: SessionStore, command, reason) -> None:
    said: list[str] = []
    parse = Counting(many)
    build = ChildBuild(threshold=10, command=command, on_fallback=said.append)
    build.refresh(index_for(many.root), parse)
    assert parse.calls == N and index_for(many.root).count() == N  # built here instead
    assert len(said) == 1 and reason in said[0] and "building it in the app instead" in said[0]
    assert "Traceback" not in said[0]
    (many.root / "2099-01-01.toml").write_bytes(next(many.root.glob("*.toml")).read_bytes())
    build.refresh(index_for(many.root), parse)  # after a failure no child is tried again
    assert len(said) == 1 and index_for(many.root).count() == N + 1


async def test_history_shows_the_childs_progress_then_fills(many: SessionStore) -> None:
    child = SlowChild(many.root)
    many.index_builder = ChildBuild(threshold=10, start=child)
    app = HostApp(many, BrowseScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        browse = app.screen
        assert await asyncio.to_thread(child.reported.wait, 30)  # not ``until``: it waits for the workers
        browse._poll_progress()  # what the screen's timer does
        await pilot.pause()
        bar = browse.query_one("#browse-progress", ProgressBar)
        assert bar.display
        assert (bar.progress, bar.total) == (N // 2, N)
        assert f"Indexing sessions: {N // 2:,} of {N:,}" in str(browse.query_one("#browse-status").render())
        assert not browse.loaded and browse.query_one(SessionTable).row_count == 0  # nothing pretends to be there
        child.release.set()
        await until(pilot, lambda: browse.loaded)
        await settle(pilot)
        assert browse.query_one(SessionTable).row_count == N
        assert not bar.display and f"{N} sessions" in str(browse.query_one("#browse-status").render())
    assert child.argv and child.argv[0][-1] == str(many.root)


async def test_home_shows_the_childs_progress_then_fills(many: SessionStore, tmp_path: Path) -> None:
    from facilitator.app import FacilitatorApp

    app = FacilitatorApp(many.root, today=lambda: "2026-11-23", blink=False)
    child = SlowChild(many.root)
    app.store.index_builder = ChildBuild(threshold=10, start=child)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await asyncio.to_thread(child.reported.wait, 30)
        await pilot.pause()
        home = app.screen
        home._poll_progress()  # what the screen's timer does
        await pilot.pause()
        assert home.query("#sessions-progress")
        assert f"Indexing sessions: {N // 2:,} of {N:,}" in str(home.query_one("#sessions-hint").render())
        assert home.query_one("#sessions", OptionList).option_count == 0
        child.release.set()
        await until(pilot, lambda: home.query_one("#sessions", OptionList).option_count == N)
        await until(pilot, lambda: not home.query("#sessions-progress"))


async def test_the_app_says_so_when_the_child_fails(many: SessionStore) -> None:
    from facilitator.app import FacilitatorApp

    class Recording(FacilitatorApp):
        said: list[str] = []

        def notify(self, message, **kw):
            self.said.append(str(message))
            return super().notify(message, **kw)

    app = Recording(many.root, today=lambda: "2026-11-23", blink=False)
    child = SlowChild(many.root, status=1, said="sqlite3.OperationalError: disk I/O error")
    app.store.index_builder.threshold = 10  # the app's own builder, its own message
    app.store.index_builder.start = child
    child.release.set()
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        await until(pilot, lambda: home.query_one("#sessions", OptionList).option_count == N)
        assert any("disk I/O error" in m and "building it in the app instead" in m for m in app.said)
