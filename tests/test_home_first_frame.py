"""Home's first frame: the index's newest rows are in it, read without the data layer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.app import FacilitatorApp
from facilitator.index import INDEX_NAME, peek_newest
from facilitator.screens.home import HOME_SESSIONS
from facilitator.store import SessionStore
from tests.conftest import FakeClock, screen_cells
from tests.test_app_meeting import make_app
from tests.test_app_rename_delete import home_options, on_home, two_on_a_day  # noqa: F401 (fixture)
from tests.test_app_history import until
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
                                                        tmp_path: Path, home_rows_shown: list) -> None:
    """The rows are set before the first refresh (on mount, before the lists load), so
    the first frame holds them; the fresh look at the files then finds them unchanged."""
    two_on_a_day.newest(10)
    seen = home_rows_shown
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        await pilot.pause()
        loaded, final, rows, _hint = seen[0]
        assert (loaded, final, [s.id for s in rows]) == (False, False, ["2024-12-17-2", "2024-12-17", "2024-11-19"])
        assert len(seen) == 1  # unchanged files: the rows stay, nothing drawn again
        assert home._sessions_shown
        assert type(home.session_rows[0]).__name__ == "SessionSummary"  # the store's rows from then on
        assert "2024-12-17-2 ·" in home_options(app)[0]


async def test_the_first_frame_holds_the_rows_on_screen_and_the_rest_follow(sessions_dir: Path, tmp_path: Path,
                                                                              home_rows_shown: list) -> None:
    """At 30 lines the list shows 13 rows (two lines each): the first frame has 16 of the
    index's, not 100; the fresh rows bring the hundred, and the hint says 100 throughout."""
    from tests.many_sessions import write_sessions

    ids = write_sessions(sessions_dir, 120)
    SessionStore(sessions_dir).newest(HOME_SESSIONS)  # the index, as an earlier run left it
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_home(pilot)
        await until(pilot, lambda: len(home_rows_shown) == 2)
        seen = [(final, [s.id for s in rows], hint) for _loaded, final, rows, hint in home_rows_shown]
        home = app.screen
        (early, early_ids, early_hint), (final, final_ids, final_hint) = seen
        assert not early and early_ids == ids[:16]
        assert final and final_ids == ids[:HOME_SESSIONS]
        assert early_hint.startswith("The newest 100 of 120 ·") and final_hint == early_hint
        assert len(home_options(app)) == HOME_SESSIONS and home.session_ids == ids[:HOME_SESSIONS]
        lst = home.query_one("#sessions")
        assert lst.size.height // 2 < 16  # the first frame's rows did fill the list


def test_home_rows_need_no_data_layer(two_on_a_day: SessionStore, sessions_dir: Path) -> None:  # noqa: F811
    two_on_a_day.newest(10)
    loads_none_of(
        "from pathlib import Path; from facilitator.index import peek_newest; import facilitator.screens.home as h; "
        f"assert peek_newest(Path({str(sessions_dir)!r}), h.HOME_SESSIONS)[1] == 3",
        ("facilitator.store", "facilitator.model", "tomli_w", "tomllib"),
    )
    assert HOME_SESSIONS >= 3


def test_home_needs_no_text_area_for_its_first_frame() -> None:
    """Textual's TextArea (~12 ms of imports) is loaded once the agenda editor replaces its
    stand-in, after the first frame: home's module and the app's do not load it."""
    loads_none_of("import facilitator.app, facilitator.screens.home",
                  ("textual.widgets._text_area", "textual.document._document", "facilitator.widgets.notes"))


STYLE_PROPS = ("color", "background", "border_top", "border_bottom", "border_left", "border_right", "text_style",
               "tint", "background_tint", "text_opacity", "width", "min_width", "height", "content_align_horizontal",
               "content_align_vertical", "text_align", "line_pad", "padding", "margin")


def _look(widget) -> dict[str, str]:
    return {p: str(getattr(widget.styles, p)) for p in STYLE_PROPS}


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_the_plain_button_looks_like_textuals_in_every_state(theme: str) -> None:
    """PlainButton's own rules give what Button's give, state by state (a Textual upgrade
    that restyles Button fails here, rather than making home's buttons look odd)."""
    from textual.app import App
    from textual.widgets import Button

    from facilitator.widgets.buttons import PlainButton

    class Both(App):
        AUTO_FOCUS = None

        def compose(self):
            for variant in ("default", "primary"):
                yield PlainButton("Label", variant, id=f"plain-{variant}")
                yield Button("Label", variant, id=f"textual-{variant}")

    app = Both()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        for variant in ("default", "primary"):
            ours, theirs = app.query_one(f"#plain-{variant}"), app.query_one(f"#textual-{variant}")
            states = [("plain", lambda w: None), ("focus", lambda w: w.focus()),
                      ("hover", lambda w: setattr(w, "mouse_hover", True)),
                      ("active", lambda w: w.add_class("-active")), ("disabled", lambda w: setattr(w, "disabled", True))]
            for state, make in states:
                looks = []
                for w in (ours, theirs):  # one at a time: only one can have the focus
                    make(w)
                    await pilot.pause()
                    looks.append(_look(w))
                    app.screen.set_focus(None)
                    w.mouse_hover = False
                    w.remove_class("-active")
                    w.disabled = False
                    await pilot.pause()
                assert looks[0] == looks[1], (theme, variant, state)


def _css_files(app) -> list[str]:
    return sorted(Path(p).name for p, _ in app.stylesheet.source if p.endswith(".tcss"))


async def test_the_other_screens_css_is_read_after_homes_first_frame_and_restyles_nothing_there(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    """Home's first frame parses app.tcss only; screens.tcss and history.tcss follow, and
    not one of their rules changes a widget of home (so reading them restyles nothing shown)."""
    read = FacilitatorApp.read_screens_css
    monkeypatch.setattr(FacilitatorApp, "read_screens_css", lambda self: None)
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        assert _css_files(app) == ["app.tcss"]
        looks = {id(n): n.styles.base.css for n in app.screen.walk_children(with_self=True)}
        read(app)
        assert _css_files(app) == ["app.tcss", "history.tcss", "screens.tcss"]
        app.stylesheet.update(app.screen)
        await pilot.pause()
        assert {id(n): n.styles.base.css for n in app.screen.walk_children(with_self=True)} == looks


async def test_a_screen_pushed_before_then_is_styled(two_on_a_day: SessionStore, sessions_dir: Path,  # noqa: F811
                                                    tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    monkeypatch.setattr(FacilitatorApp, "on_mount", lambda self: None)  # no read after the first frame
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _css_files(app) == ["app.tcss"]
        from facilitator.screens.help import HelpScreen

        app.push_screen(HelpScreen(app.screen))
        await pilot.pause()
        assert _css_files(app) == ["app.tcss", "history.tcss", "screens.tcss"]
        box = app.screen.query_one("#help-box")
        assert box.styles.border_top[0] == "thick"  # screens.tcss: #help-box { border: thick $primary; }


async def test_the_history_screens_first_show_parses_no_stylesheet_again(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    """history.tcss is read with the app's stylesheets, so the first ctrl+b does not make
    Textual re-parse every source and restyle the app (27-42 ms when it was the screen's)."""
    from textual.css.stylesheet import Stylesheet

    from facilitator.screens.browse import BrowseScreen

    reparses: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_home(pilot)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        assert reparses == []
        title = app.screen.query_one("#browse-title")
        assert title.styles.text_style.bold  # history.tcss: #browse-title { text-style: bold; height: 1 }
        assert title.styles.height.value == 1


async def test_opening_a_meeting_at_start_reads_every_stylesheet_first(sessions_dir: Path, tmp_path: Path) -> None:
    app = make_app(sessions_dir, FakeClock(), tmp_path, open_id="2024-12-17")
    assert [Path(p).name for p in app.css_path] == ["app.tcss", "screens.tcss", "history.tcss"]
    assert not app._screens_css


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_agenda_stand_in_draws_what_the_empty_editor_draws(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch,  # noqa: F811
        theme: str, size: tuple[int, int]) -> None:
    """The first frame's agenda box is a stand-in (the editor's imports and paint come
    right after it): the screen is the same cell for cell once the editor replaces it, so
    the swap is never seen (a Textual upgrade that restyles TextArea fails here)."""
    from facilitator.screens.home import HomeScreen

    mount_agenda = HomeScreen._mount_agenda
    monkeypatch.setattr(HomeScreen, "_mount_agenda", lambda self: None)
    monkeypatch.setattr(FacilitatorApp, "_start_past_worker", lambda self: None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=size) as pilot:
        home = await on_home(pilot)
        app.theme = theme
        await pilot.pause()
        stand_in = home.query_one("#agenda-stand-in")
        assert not home.query("#agenda-input") and stand_in.region.height >= 3
        before, region = screen_cells(app), stand_in.region
        mount_agenda(home)
        await pilot.pause()
        area = home.query_one("#agenda-input")
        assert not home.query("#agenda-stand-in") and area.region == region and not area.has_focus
        assert screen_cells(app) == before


async def test_the_agenda_editor_comes_after_the_first_frame_once(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    from facilitator.widgets.notes import NotesArea

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        area = home.query_one("#agenda-input", NotesArea)
        assert home._mount_agenda() is None  # a second call (a key that asked for it first) adds none
        await pilot.pause()
        assert list(home.query(NotesArea)) == [area]
        await pilot.click("#agenda-input")
        await pilot.press("x", "enter", "y")
        assert area.text == "x\ny" and area.has_focus and home._agenda_text() == "x\ny"


async def test_create_before_the_editor_is_mounted_makes_the_meeting(
        two_on_a_day: SessionStore, sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    """ctrl+s typed ahead, before the editor replaced its stand-in: the agenda is empty and
    the meeting is made; the editor, mounted late under the meeting, is there on home."""
    from facilitator.screens.home import HomeScreen
    from facilitator.widgets.notes import NotesArea

    mount_agenda = HomeScreen._mount_agenda
    monkeypatch.setattr(HomeScreen, "_mount_agenda", lambda self, text="": None)
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_home(pilot)
        assert home.query("#agenda-stand-in") and home._agenda_text() == ""
        assert not home.query("#agenda-input")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "MeetingScreen")
        assert app.screen.session.agenda_items == []
        # The call queued after the first frame, and at once a key's (before the removal is done).
        assert isinstance(mount_agenda(home), NotesArea) and mount_agenda(home) is None
        await pilot.pause()
        assert len(home.query(NotesArea)) == 1
        assert home.query_one("#agenda-input", NotesArea).text == "" and not home.query("#agenda-stand-in")
