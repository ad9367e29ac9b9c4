"""A section the app does not model (kept as Markdown), edited as plain text."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from facilitator.model import Section
from facilitator.widgets.inputs import focus_now
from facilitator.widgets.notes import NotesArea


class RawPane(Vertical):
    """A section kept as Markdown: edit it as text."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("", id="raw-title", classes="pane-title", markup=False)
        yield NotesArea("", id="raw-text")

    def on_mount(self) -> None:
        self.query_one(NotesArea).cursor_blink = self.app.blink

    def load(self, section: Section) -> None:
        self.section = section
        self.query_one("#raw-title", Static).update(Text(section.title))
        area = self.query_one(NotesArea)
        if area.text != section.body:
            self._loading = True
            area.load_text(section.body)

    @on(TextArea.Changed, "#raw-text")
    def changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.section is not None and event.text_area.text != self.section.body:
            self.section.body = event.text_area.text
            self.screen.changed()  # type: ignore[attr-defined]

    def flush(self) -> None:
        """Copy the text into the section now (TextArea.Changed may still be on its way)."""
        text = self.query_one(NotesArea).text
        if self.section is not None and text != self.section.body:
            self.section.body = text
            self.screen.changed()  # type: ignore[attr-defined]

    def focus_main(self) -> None:
        focus_now(self.query_one(NotesArea))  # before the next key of a burst
