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


async def test_paste_into_notes_and_line_fields_is_cleaned() -> None:
    app = Fields()
    async with app.run_test(size=(200, 30)) as pilot:
        notes = app.query_one("#notes", NotesArea)
        line = app.query_one("#line", LineInput)
        notes.focus()
        await pilot.pause()
        app.post_message(events.Paste("first\n" + HOSTILE + "\nlast"))
        await pilot.pause()
        assert notes.text.startswith("first\na") and notes.text.endswith(" end\nlast")
        assert forbidden(notes.text) == [] and "\u241b" in notes.text
        line.focus()
        await pilot.pause()
        app.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        assert line.value.startswith("a") and line.value.endswith(" end")
        assert forbidden(line.value) == [] and "\u241b" in line.value
        # a plain paste is unchanged (and CRLF line ends come in as lines)
        notes.load_text("")
        notes.focus()
        await pilot.pause()
        app.post_message(events.Paste("one\r\ntwo\tthree"))
        await pilot.pause()
        assert notes.text == "one\ntwo\tthree"
        assert forbidden(painted(app)) == []


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
