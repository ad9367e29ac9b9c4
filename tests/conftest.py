import contextlib
import io
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_user_templates(tmp_path: Path, monkeypatch) -> None:
    """Every test sees only the built-in templates, no FACILITATOR_SESSIONS of the user's,
    and a cache directory of its own.

    A test that needs user templates or a sessions variable sets its own on top.
    """
    monkeypatch.setenv("FACILITATOR_TEMPLATES", str(tmp_path / "no-user-templates"))
    monkeypatch.delenv("FACILITATOR_SESSIONS", raising=False)
    # The app run as a program keeps its parsed stylesheets there (facilitator.css_cache).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def home_rows_shown(monkeypatch) -> list:
    """Every time home shows its sessions list, as (lists loaded, final, sessions, wide
    hint), recorded after the rows are set. The check-in suggestions' thread is kept off:
    it refreshes the index too (0.6 s in), and on a slow run could come first."""
    from facilitator.app import FacilitatorApp
    from facilitator.screens.home import HomeScreen

    shown: list = []
    original = HomeScreen._show_sessions

    def spy(self, result, total, final=True):
        loaded = self._lists_loaded
        original(self, result, total, final=final)
        shown.append((loaded, final, list(result.sessions), self._hints[0] if self._hints else ""))

    monkeypatch.setattr(HomeScreen, "_show_sessions", spy)
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    return shown


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"


@pytest.fixture
def sessions_dir(tmp_path: Path) -> Path:
    d = tmp_path / "sessions"
    d.mkdir()
    return d


@pytest.fixture
def git_env(monkeypatch, tmp_path: Path) -> dict[str, str]:
    """A git identity and config of our own, so tests never read the user's."""
    env = {
        "GIT_AUTHOR_NAME": "Test Facilitator", "GIT_AUTHOR_EMAIL": "facilitator@example.org",
        "GIT_COMMITTER_NAME": "Test Facilitator", "GIT_COMMITTER_EMAIL": "facilitator@example.org",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
    }
    (tmp_path / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (a real repository) and return its stdout."""
    import subprocess

    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def run_cli(*args: object) -> tuple[int, str, str]:
    """``facilitator`` in-process: (exit status, stdout, stderr); a usage error's exit is caught."""
    from facilitator import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main([str(a) for a in args])
        except SystemExit as exc:
            rc = int(exc.code or 0)
    return rc, out.getvalue(), err.getvalue()


class FakeClock:
    """Monotonic (``now``) and wall (``wall``) clocks that move only when told to (``advance``)."""

    WALL0 = 1_737_460_800.0  # 2025-01-21 12:00 UTC

    def __init__(self, start: float = 1000.0, wall0: float = WALL0) -> None:
        self.t = start
        self.wall0 = wall0  # the wall clock reads wall0 + t

    def now(self) -> float:
        return self.t

    def wall(self) -> float:
        return self.wall0 + self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


async def settled(pilot, limit: float = 20.0) -> None:
    """Pause until the screen shows what it is about to: the workers started done, a list
    loading after the first frame loaded (``loaded``), the footer's keys those of the
    bindings now (``KeysFooter.settled``), then one more frame for their layout.

    What is waited for is a state, not a number of frames: on a loaded machine each step
    takes more of them (two pauses were not always enough for a footer rebuild). ``limit``
    seconds only bounds a wait that would never end; the test's asserts then say why.
    """
    import time

    from facilitator.widgets.footer import KeysFooter

    end = time.monotonic() + limit
    await pilot.pause()  # what runs after the first frame has started (a list's worker)
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        footers = screen.query(KeysFooter)
        ready = getattr(screen, "loaded", True) and (not footers or footers.first().settled())
        if ready or time.monotonic() > end:
            break
    await pilot.pause()


def footer_shown(screen) -> dict[str, bool]:
    """The keys a screen's footer paints ("F5 Start/Pause") -> whether whole on screen.

    Read from what the footer painted (``KeysFooter.keys_shown``: each key's columns), so
    a key cut at the right edge at 80 columns counts as not shown; the columns are
    checked against the footer's width too.
    """
    from facilitator.widgets.footer import KeysFooter

    footer = screen.query_one(KeysFooter)
    return {k.label: k.whole and 0 <= k.start < k.end <= footer.size.width for k in footer.keys_shown()}


def screen_cells(app) -> list[list[tuple]]:
    """What the terminal shows, cell by cell: (character, colour, background, bold, dim,
    italic, underline, reverse, strike), the colour left out of a blank cell (no one sees
    it). Two screens that look the same compare equal, however Textual cut them into
    segments (an SVG screenshot differs then). Reads the screen's compositor, a private
    name (as test_app_meeting.screen_text does): if an upgrade moves it, these tests fail."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row = []
        for seg in strip:
            style = seg.style
            for ch in seg.text:
                if style is None:
                    row.append((ch,) + (None,) * 8)
                    continue
                marks = (style.underline, style.reverse, style.strike)
                colour = style.color.get_truecolor() if style.color and (ch.strip() or any(marks)) else None
                back = style.bgcolor.get_truecolor() if style.bgcolor else None
                row.append((ch, colour, back, style.bold, style.dim, style.italic, *marks))
        rows.append(row)
    return rows
