"""The parsed stylesheets kept between runs (facilitator.css_cache): used when they fit,
never trusted when they don't, and the private Textual parts they lean on still there."""

from __future__ import annotations

import inspect
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.cache import LRUCache
from textual.css import stylesheet as stylesheet_module
from textual.css.stylesheet import Stylesheet
from textual.widgets import Input, OptionList

from facilitator.app import FacilitatorApp
from facilitator.css_cache import FILE_NAME, ParsedCss
from facilitator.paths import cache_dir
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app

SOURCES = {("input.py", "Input.DEFAULT_CSS"): Input.DEFAULT_CSS, ("option_list.py", "OptionList.DEFAULT_CSS"): OptionList.DEFAULT_CSS}


def variables() -> dict[str, str]:
    return App().get_css_variables()


def sheet(sources: dict = SOURCES, variables_: dict[str, str] | None = None) -> Stylesheet:
    s = Stylesheet(variables=variables_ if variables_ is not None else variables())
    for read_from, css in sources.items():
        s.add_source(css, read_from=read_from, is_default_css=True)
    return s


def parsed(sources: dict = SOURCES) -> Stylesheet:
    s = sheet(sources)
    s.parse()
    return s


def no_parser(monkeypatch) -> None:
    """From here on, Textual parsing any CSS fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("CSS was parsed although the cache held it")

    monkeypatch.setattr(stylesheet_module, "parse", refuse)


# -- the private parts of Textual used -----------------------------------------------


def test_textual_still_keeps_parsed_sources_where_the_cache_puts_them() -> None:
    """If this fails after a Textual upgrade, facilitator.css_cache needs another look:
    it fills ``Stylesheet._parse_cache`` (keyed as ``_parse_rules`` keys it) and reads
    ``Stylesheet._variables``."""
    params = list(inspect.signature(Stylesheet._parse_rules).parameters)
    assert params == ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"], params
    s = parsed()
    assert isinstance(s._parse_cache, LRUCache)
    assert isinstance(s._variables, dict) and "primary" in s._variables
    keys = set(s._parse_cache.keys())
    for read_from, css in SOURCES.items():
        assert (css, read_from, True, 0, "") in keys


def test_the_app_stylesheet_is_the_one_the_cache_fills() -> None:
    app = FacilitatorApp(Path("."))
    assert isinstance(app.stylesheet, Stylesheet) and isinstance(app.stylesheet._parse_cache, LRUCache)


# -- the file -------------------------------------------------------------------------


def test_a_second_start_parses_nothing_and_gets_the_same_rules(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "cache" / FILE_NAME
    assert ParsedCss(path).save(parsed())
    assert path.stat().st_mode & 0o777 == 0o600
    fresh = [r for r in parsed().rules]
    later = sheet()
    assert ParsedCss(path).preload(later) == len(SOURCES)
    no_parser(monkeypatch)
    later.parse()
    assert later.rules == fresh and len(fresh) > 10


def test_nothing_new_means_no_write(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    assert ParsedCss(path).save(parsed())
    again = sheet()
    cache = ParsedCss(path)
    cache.preload(again)
    again.parse()
    assert cache.collect(again) is None


def test_a_changed_source_replaces_its_entry(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / FILE_NAME
    assert ParsedCss(path).save(parsed())
    edited = dict(SOURCES)
    place = ("input.py", "Input.DEFAULT_CSS")
    edited[place] = Input.DEFAULT_CSS + "\nInput { width: 7; }\n"
    s = sheet(edited)
    cache = ParsedCss(path)
    assert cache.preload(s) == 2  # both loaded; the edited text's key is not among them
    s.parse()
    assert cache.save(s)
    s2 = sheet(edited)
    cache2 = ParsedCss(path)
    assert cache2.preload(s2) == 2  # still one entry per place, the old text gone
    no_parser(monkeypatch)
    s2.parse()
    assert any(r.styles.width is not None and r.styles.width.value == 7 for r in s2.rules)


def test_other_variables_a_theme_change_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    assert ParsedCss(path).save(parsed())
    other = dict(variables(), primary="#ff0000")
    assert ParsedCss(path).preload(sheet(variables_=other)) == 0


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_damaged_file_is_an_ordinary_parse_then_written_again(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(damage)
    path.chmod(0o600)
    s = sheet()
    cache = ParsedCss(path)
    assert cache.preload(s) == 0
    s.parse()
    assert cache.save(s)
    assert ParsedCss(path).preload(sheet()) == len(SOURCES)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_file_others_can_write_is_never_unpickled(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    assert ParsedCss(path).save(parsed())
    path.chmod(0o666)
    assert ParsedCss(path).preload(sheet()) == 0
    path.chmod(0o620)
    assert ParsedCss(path).preload(sheet()) == 0
    path.chmod(0o644)  # readable by others is fine: nothing secret in it
    assert ParsedCss(path).preload(sheet()) == len(SOURCES)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_or_directory_in_its_place_is_no_wait_and_no_error(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe" / FILE_NAME
    pipe.parent.mkdir()
    os.mkfifo(pipe, 0o600)
    loaded: list[int] = []
    reader = threading.Thread(target=lambda: loaded.append(ParsedCss(pipe).preload(sheet())), daemon=True)
    reader.start()
    reader.join(10)  # a blocking open would wait for a writer forever
    if reader.is_alive():
        with open(pipe, "wb"):  # let it go, so the test fails rather than hangs
            pass
        reader.join(10)
        pytest.fail("reading the cache waited on a named pipe")
    assert loaded == [0]
    assert ParsedCss(pipe).save(parsed()) is False and pipe.is_fifo()
    folder = tmp_path / "dir" / FILE_NAME
    folder.mkdir(parents=True)
    assert ParsedCss(folder).preload(sheet()) == 0
    assert ParsedCss(folder).save(parsed()) is False and folder.is_dir()


def test_a_missing_file_or_unwritable_dir_is_no_error(tmp_path: Path) -> None:
    assert ParsedCss(tmp_path / "none" / FILE_NAME).preload(sheet()) == 0
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the directory should be", encoding="utf-8")
    assert ParsedCss(blocker / FILE_NAME).save(parsed()) is False


def test_no_home_directory_means_no_cache_not_a_failed_start(monkeypatch) -> None:
    import facilitator.app as app_module

    made = []

    class Recorder(FacilitatorApp):
        def __init__(self, *args, **kwargs) -> None:
            made.append(kwargs.get("css_cache", "absent"))
            super().__init__(*args, **kwargs)

        def run(self, *args, **kwargs):
            return 0

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setattr(app_module, "FacilitatorApp", Recorder)
    assert app_module.run_app(Path(".")) == 0
    assert made == [None]


def test_cache_dir_follows_xdg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "facilitator"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # XDG: a relative value is invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "facilitator"


# -- the app --------------------------------------------------------------------------


async def test_the_app_keeps_its_stylesheets_and_the_next_one_draws_the_same(sessions_dir: Path, tmp_path: Path,
                                                                            monkeypatch) -> None:
    import facilitator.app as app_module

    # The keeping a second after start is called here, when this test needs it: on a slow
    # run the timer fired in the second app before its exit and left the exit nothing new.
    monkeypatch.setattr(app_module, "CSS_SAVE_AFTER", 3600.0)
    path = tmp_path / "c" / FILE_NAME
    first = make_app(sessions_dir, FakeClock(), tmp_path, css_cache=path)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = first.export_screenshot()
        first._keep_parsed_css()  # what the timer does a second after start
        await pilot.pause()
    for thread in threading.enumerate():
        if thread.name == "css-cache":
            thread.join(10)
    assert path.is_file()
    second = make_app(sessions_dir, FakeClock(), tmp_path, css_cache=path)
    assert second._parsed_css is not None and len(second._parsed_css._entries) >= 10
    no_parser(monkeypatch)  # home's first frame from the file alone
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert second.export_screenshot() == shown
        assert second._parsed_css.collect(second.stylesheet) is None  # nothing new yet
        monkeypatch.undo()
        await pilot.press("f1")  # the help: a modal screen and a scroll container, not parsed before
        await pilot.pause()
        assert "keys" in str(second.screen.query_one("#help-title").render())
    before = len(second._parsed_css._entries)
    assert second.save_parsed_css() is True  # at exit: what the help brought
    after = len(second._parsed_css._entries)
    assert after > before
    assert ParsedCss(path).preload(Stylesheet(variables=second.stylesheet._variables)) == after


def test_the_program_writes_the_cache_soon_after_start_and_reuses_it(tmp_path: Path) -> None:
    """``facilitator`` on a real terminal: the file comes a moment after the first frame
    (a run killed later still leaves it), and a second start finds nothing to add."""
    cache = tmp_path / "xdg"
    path = cache / "facilitator" / FILE_NAME
    sessions = tmp_path / "sessions"
    sessions.mkdir()

    def run_once(quit_after: bool) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30", "XDG_CACHE_HOME": str(cache)}
        env.pop("TEXTUAL", None)
        proc = subprocess.Popen([sys.executable, "-m", "facilitator", "--sessions", str(sessions)],
                                stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        seen, deadline = b"", time.monotonic() + 60
        try:
            while time.monotonic() < deadline and not (b"New meeting" in seen and (quit_after or path.is_file())):
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    seen += os.read(master, 65536)
            assert b"New meeting" in seen, seen[-500:]
            if quit_after:  # a quit: what this run parsed is kept at exit, if anything is new
                os.write(master, b"\x11")  # ctrl+q
                while proc.poll() is None and time.monotonic() < deadline:  # read on: a full pty would block its exit
                    ready, _, _ = select.select([master], [], [], 0.2)
                    if ready:
                        try:
                            os.read(master, 65536)
                        except OSError:  # the child closed its end
                            break
                assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(master)

    run_once(quit_after=False)  # killed once the file is there: it came without a quit
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    written = path.stat().st_mtime_ns
    run_once(quit_after=True)
    assert path.stat().st_mtime_ns == written
