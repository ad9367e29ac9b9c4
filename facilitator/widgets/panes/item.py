"""One agenda item while it runs: who and what, the big countdown, the notes."""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea

from facilitator.engine import TimerView
from facilitator.model import AgendaItem, Section
from facilitator.widgets.inputs import focus_now
from facilitator.widgets.notes import NotesArea
from facilitator.widgets.timer import TimerDisplay


class NotesEdited(Message):
    """The notes of an item (or the text of a section: a room, a raw section) were edited."""

    def __init__(self, target: AgendaItem | Section, text: str) -> None:
        super().__init__()
        self.target = target
        self.text = text


class ItemPane(Vertical):
    """One agenda item: who, what, the countdown and the notes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item: AgendaItem | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("", id="item-title", classes="pane-title", markup=False)
        yield TimerDisplay(id="timer")
        yield NotesArea(
            "",
            id="notes",
            placeholder="Notes for this item — Tab indents, Enter continues a bullet, ctrl+a marks an action, ctrl+d a decision",
        )

    def on_mount(self) -> None:
        self.query_one(NotesArea).cursor_blink = self.app.blink

    def load(self, item: AgendaItem) -> None:
        self.item = item
        notes = self.query_one(NotesArea)
        if notes.text != item.notes:
            self._loading = True
            notes.load_text(item.notes)
            notes.move_cursor(notes.document.end)
        self.refresh_header()

    def show_timer(self, view: TimerView) -> None:
        self.query_one(TimerDisplay).show(view.text, view.info, view.state, view.running)

    def refresh_header(self) -> None:
        item = self.item
        if item is None:
            return
        t = Text()
        if item.owner:
            t.append(item.owner, style="bold")
            t.append(" · ")
        t.append(item.title or item.text)
        if item.timebox:
            t.append(f"  ({item.timebox}", style="dim")
            if item.extra_seconds:
                sign = "+" if item.extra_seconds > 0 else "−"
                t.append(f" {sign}{abs(item.extra_seconds) // 60} min", style="dim")
            t.append(")", style="dim")
        self.query_one("#item-title", Static).update(t)

    @on(TextArea.Changed, "#notes")
    def notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            if event.text_area.text == (self.item.notes if self.item else ""):
                return
        self.flush()

    def pending(self) -> tuple[AgendaItem, str] | None:
        """The notes typed that the item does not hold yet (TextArea.Changed comes later than keys)."""
        text = self.query_one(NotesArea).text
        if self.item is not None and text != self.item.notes:
            return self.item, text
        return None

    def flush(self) -> None:
        change = self.pending()
        if change is not None:
            self.post_message(NotesEdited(*change))

    def focus_main(self) -> None:
        focus_now(self.query_one(NotesArea))  # before the next key of a burst
