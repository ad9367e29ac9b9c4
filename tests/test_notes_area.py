"""NotesArea keeps TextArea's wrapped height between edits; it must always match a recount."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument

from facilitator.widgets.notes import NotesArea


class NotesApp(App):
    def compose(self) -> ComposeResult:
        yield NotesArea("\n".join(f"- note {n} " + "word " * (n % 30) for n in range(300)), id="notes")


def recount(area: NotesArea) -> int:
    return WrappedDocument.height.fget(area.wrapped_document)


async def test_cached_height_follows_edits_wraps_and_reloads() -> None:
    app = NotesApp()
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        await pilot.pause()
        assert area.wrapped_document.height == recount(area) > 300
        area.move_cursor(area.document.end)
        for key in ["enter", "a", "b", "enter", "enter", "backspace", "tab", *"long words " * 12]:
            await pilot.press(key)
            assert area.wrapped_document.height == recount(area)
        area.move_cursor((10, 0))
        area.delete((10, 0), (40, 0))
        assert area.wrapped_document.height == recount(area)
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert area.wrapped_document.height == recount(area)
        area.load_text("one\ntwo")
        await pilot.pause()
        assert area.wrapped_document.height == recount(area) == 2
        assert area.virtual_size.height == 2
