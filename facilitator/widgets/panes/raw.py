"""A section the app does not model (kept as Markdown), edited as plain text; and a breakout room."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from facilitator.engine import TimerView
from facilitator.model import Section
from facilitator.rooms import room_host, room_label, room_members
from facilitator.widgets.inputs import focus_now
from facilitator.widgets.notes import NotesArea
from facilitator.widgets.panes.item import NotesEdited
from facilitator.widgets.timer import TimerDisplay


class RawPane(Vertical):
    """A section kept as Markdown: edit it as text."""

    AREA_ID = "raw-text"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("", id="raw-title", classes="pane-title", markup=False)
        yield NotesArea("", id=self.AREA_ID)

    def on_mount(self) -> None:
        self.query_one(NotesArea).cursor_blink = self.app.blink

    def title_of(self, section: Section) -> Text:
        return Text(section.title)

    def load(self, section: Section) -> None:
        self.section = section
        self.query_one(".pane-title", Static).update(self.title_of(section))
        area = self.query_one(NotesArea)
        if area.text != section.body:
            self._loading = True
            area.load_text(section.body)
            area.move_cursor(area.document.end)  # go on writing below what is there

    @on(TextArea.Changed)
    def changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.flush()

    def pending(self) -> tuple[Section, str] | None:
        text = self.query_one(NotesArea).text
        if self.section is not None and text != self.section.body:
            return self.section, text
        return None

    def flush(self) -> None:
        change = self.pending()
        if change is not None:
            self.post_message(NotesEdited(*change))

    def focus_main(self) -> None:
        focus_now(self.query_one(NotesArea))  # before the next key of a burst


class RoomPane(RawPane):
    """One breakout room: its topic, host and members, the shared countdown, its notes."""

    AREA_ID = "room-notes"

    def compose(self) -> ComposeResult:
        yield Static("", id="room-title", classes="pane-title", markup=False)
        yield TimerDisplay(id="room-timer")
        yield NotesArea(
            "",
            id=self.AREA_ID,
            placeholder="This room's notes — ctrl+g: next room · F7/F8: +1/+5 for every room · ctrl+e: bring everyone back",
        )

    def title_of(self, section: Section) -> Text:
        t = Text(room_label(section), style="bold")
        host, members = room_host(section), room_members(section)
        if host:
            t.append(f"  · host {host}", style="")
        if members:
            t.append(f"  · {len(members)} in the room", style="dim")
        return t

    def show_timer(self, view: TimerView) -> None:
        self.query_one(TimerDisplay).show(view.text, view.info, view.state, view.running)
