"""A paste into the app's text fields never carries control characters to the terminal."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from facilitator.widgets.inputs import LineInput
from facilitator.widgets.notes import NotesArea
from tests.test_controls import CONTROLS, forbidden

HOSTILE = "a" + "".join(f"{ch}b" for ch in CONTROLS if ch not in "\r") + " \x1b]52;c;ZXZpbA==\x07 end"


class Fields(App):
    def compose(self) -> ComposeResult:
        yield NotesArea(id="notes")
        yield LineInput(id="line")


def painted(app: App) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def paste_into(pilot, widget, text: str) -> None:
    """Focus ``widget`` and paste ``text`` as a terminal does, then let it land."""
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def test_paste_into_notes_and_line_fields_is_cleaned() -> None:
    app = Fields()
    async with app.run_test(size=(200, 30)) as pilot:
        notes = app.query_one("#notes", NotesArea)
        line = app.query_one("#line", LineInput)
        await paste_into(pilot, notes, "first\n" + HOSTILE + "\nlast")
        assert notes.text.startswith("first\na") and notes.text.endswith(" end\nlast")
        assert forbidden(notes.text) == [] and "\u241b" in notes.text
        await paste_into(pilot, line, HOSTILE)
        assert line.value.startswith("a") and line.value.endswith(" end")
        assert forbidden(line.value) == [] and "\u241b" in line.value
        # a plain paste is unchanged (and CRLF line ends come in as lines)
        notes.load_text("")
        await paste_into(pilot, notes, "one\r\ntwo\tthree")
        assert notes.text == "one\ntwo\tthree"
        assert forbidden(painted(app)) == []


async def test_a_terminal_paste_keeps_its_lines() -> None:
    """Terminals send a paste's line breaks as CR (xterm, VTE, tmux's paste-buffer): each
    is a new line in the notes (never a visible ␍ in one long line), the first line's end
    in a one-line field; the other controls still show as stand-ins."""
    app = Fields()
    async with app.run_test(size=(120, 20)) as pilot:
        notes = app.query_one("#notes", NotesArea)
        line = app.query_one("#line", LineInput)
        await paste_into(pilot, notes, "**Min (5m):** one\rtwo\r\rthree\x1b[2J\r\n- four")
        assert notes.text == "**Min (5m):** one\ntwo\n\nthree\u241b[2J\n- four"
        assert notes.cursor_location == (4, 6)
        await paste_into(pilot, line, "Ada / @ada\rBob / @bob")
        assert line.value == "Ada / @ada"
        assert forbidden(notes.text + line.value) == [] and forbidden(painted(app)) == []


async def test_load_text_is_cleaned() -> None:
    app = Fields()
    async with app.run_test(size=(120, 20)):
        notes = app.query_one("#notes", NotesArea)
        notes.load_text("x\x1b[2Jy\x9bz")
        assert notes.text == "x\u241b[2Jy\ufffdz"


def test_the_paste_handlers_we_run_before_exist() -> None:
    """``_on_paste`` is private: a public ``on_paste`` would run after Textual's own handler
    had inserted the raw text. If a Textual upgrade renames it, this fails loudly."""
    from textual.widgets import Input, TextArea

    for cls in (Input, TextArea):
        assert callable(cls.__dict__.get("_on_paste")), f"{cls.__name__}._on_paste changed"


async def test_home_paste_says_why_in_one_line_and_cleans_what_it_pastes(sessions_dir, tmp_path, monkeypatch) -> None:
    from facilitator import clipboard
    from tests.conftest import FakeClock
    from tests.test_app_meeting import make_app

    board: dict[str, object] = {"value": (None, clipboard.NO_TOOL)}
    monkeypatch.setattr(clipboard, "paste_text", lambda: board["value"])
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(clipboard.NO_TOOL in m for m in messages), messages
        assert not any("http" in m or "\n" in m for m in messages)
        board["value"] = ("**Min (10m):** Plan\x1b]52;c;ZXZpbA==\x07\n", "")
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        area = app.screen.query_one("#agenda-input", NotesArea)
        assert area.text.startswith("**Min (10m):** Plan\u241b]52") and forbidden(area.text) == []


# Every control character the policy replaces, each after a letter (a CR not before a LF).
EVERY_CONTROL = "a" + "".join(f"{ch}b" for ch in CONTROLS)
# What a paste can hold in one line: in a paste, a CR is a line break (terminals send them so).
EVERY_CONTROL_IN_A_LINE = "a" + "".join(f"{ch}b" for ch in CONTROLS if ch != "\r")


def _textual_layer_sources():
    from pathlib import Path

    import facilitator

    root = Path(facilitator.__file__).parent
    return [root / "app.py", *sorted((root / "screens").rglob("*.py")), *sorted((root / "widgets").rglob("*.py"))]


def test_every_text_field_of_the_app_is_a_line_input() -> None:
    """The root of the policy: no screen builds a plain ``Input`` (or its own subclass of one)."""
    import ast

    from textual.widgets import Input

    plain = []
    sources = _textual_layer_sources()
    assert len(sources) > 20
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name == "Input":
                    plain.append(f"{path.name}:{node.lineno}")
    assert plain == []
    from facilitator.app import binding_ids

    binding_ids()  # imports every screen and widget module
    todo, ours = [Input], []
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("facilitator"):
            ours.append(cls)
    assert LineInput in ours
    assert [c.__name__ for c in ours if not issubclass(c, LineInput)] == []


def _screens(store):
    from facilitator.screens.browse import BrowseScreen
    from facilitator.screens.dialogs import TextPrompt
    from facilitator.screens.import_archive import ImportArchiveScreen
    from facilitator.screens.people import PeopleScreen
    from facilitator.screens.search import SearchScreen
    from facilitator.screens.session_view import ExportScreen

    return {
        "browse": lambda st: BrowseScreen(st),
        "search": lambda st: SearchScreen(st),
        "people": lambda st: PeopleScreen(st),
        "export": lambda st: ExportScreen("meeting.md"),
        "prompt": lambda st: TextPrompt("New id?", "2024-12-17-2"),
        "import": lambda st: ImportArchiveScreen(st),
    }


async def test_a_paste_of_every_control_into_every_filter_and_search_field_shows_none(sessions_dir) -> None:
    from textual.widgets import Input

    from facilitator.store import SessionStore
    from tests.test_app_history import HostApp, settle

    store = SessionStore(sessions_dir)
    checked = []
    for name, make in _screens(store).items():
        app = HostApp(store, make)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            fields = list(app.screen.query(Input))
            assert fields, name
            for field in fields:
                assert isinstance(field, LineInput), (name, field.id)
                field.value = ""
                field.focus()
                await pilot.pause()
                app.post_message(events.Paste(EVERY_CONTROL_IN_A_LINE + "\nsecond line"))
                await settle(pilot)
                value = field.value
                assert value.startswith("a") and value.endswith("b"), (name, field.id, value)
                assert forbidden(value) == [], (name, field.id)
                assert len(value) == len(EVERY_CONTROL_IN_A_LINE) and "\u241b" in value and "\ufffd" in value
                # set by the program (a saved query, a file's name): the same policy
                field.value = "x\x1b]0;title\x07y\x9b"
                assert field.value == "x\u241b]0;title\u2407y\ufffd"
                await pilot.pause()
                assert forbidden(painted(app)) == [], (name, field.id)
                checked.append(f"{name}#{field.id}")
    assert {"browse#browse-filter", "search#search-query", "people#people-filter", "export#export-path"} <= set(checked)


async def test_a_paste_into_the_home_fields_shows_no_control(sessions_dir, tmp_path) -> None:
    from textual.widgets import Input

    from tests.conftest import FakeClock
    from tests.test_app_meeting import make_app

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        fields = list(app.screen.query(Input))
        assert {f.id for f in fields} >= {"date", "import-path"}
        for field in fields:
            field.value = ""
            field.focus()
            await pilot.pause()
            app.post_message(events.Paste(EVERY_CONTROL_IN_A_LINE))
            await pilot.pause()
            assert forbidden(field.value) == [] and len(field.value) == len(EVERY_CONTROL_IN_A_LINE), field.id
            field.value = ""
            app.post_message(events.Paste(EVERY_CONTROL))  # its CR ends the first line
            await pilot.pause()
            before_cr = EVERY_CONTROL.split("\r")[0]
            assert forbidden(field.value) == [] and len(field.value) == len(before_cr) and "\r" not in before_cr
        assert forbidden(painted(app)) == []


async def test_a_block_pasted_into_a_meeting_list_or_the_agenda_form_shows_no_control(sessions_dir, tmp_path) -> None:
    """Several lines pasted into the check-in box or the agenda form go to the meeting
    whole (one entry or item a line): each control character becomes its stand-in there,
    as in a field, so none is saved or reaches the terminal (an OSC 52 in a pasted agenda
    went to the screen as it was)."""
    from tests.conftest import FakeClock
    from tests.test_app_meeting import create_meeting, make_app

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await create_meeting(pilot, [])
        screen = app.screen
        app.post_message(events.Paste("Ada " + HOSTILE + " / @ada\rBob\x9b / @bob"))
        await pilot.pause()
        await pilot.pause()
        people = screen.engine.entries(screen.stage.section)
        assert len(people) == 2 and people[0].startswith("Ada a") and "\u241b" in people[0]
        assert forbidden("".join(people)) == [] and forbidden(painted(app)) == []
        screen.show_stage(next(i for i, st in enumerate(screen.stages) if st.kind == "agenda"))
        await pilot.pause()
        await pilot.pause()
        app.post_message(events.Paste("**Min (5m):** Plan " + HOSTILE + "\r**Ada (5m):** B\x9b"))
        await pilot.pause()
        await pilot.pause()
        items = [item.text for item in screen.session.agenda_items]
        assert len(items) == 2 and items[0].startswith("**Min (5m):** Plan a") and "\u241b" in items[0]
        assert forbidden("".join(items)) == [] and forbidden(painted(app)) == []
