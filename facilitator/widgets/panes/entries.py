"""Check-in, celebrations, other lists and roles: one line typed, Enter adds it to the list below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator import lines
from facilitator.model import Attendee
from facilitator.stages import Stage
from facilitator.widgets.inputs import FormInput, FormList, focus_now

if TYPE_CHECKING:
    from facilitator.screens.meeting import MeetingScreen


class EntryPane(Vertical):
    """Check-in, celebrations, other lists and roles: an input line above the list."""

    BINDINGS = [
        Binding("e", "edit", "Edit", show=True),
        Binding("delete,backspace", "remove", "Remove", show=True),
        Binding("l", "late", "Late", show=True),
        Binding("escape", "cancel", "Cancel edit", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage: Stage | None = None
        self.editing: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="entry-title", classes="pane-title", markup=False)
        yield FormInput(placeholder="", id="entry-input")
        yield FormList(id="entry-list")
        yield Static("", id="entry-hint", classes="hint", markup=False)

    @property
    def meeting(self) -> MeetingScreen:
        return self.screen  # type: ignore[return-value]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "late":
            return self.stage is not None and self.stage.kind == "checkin"
        return True

    # -- data --------------------------------------------------------------------
    def texts(self) -> list[str]:
        sec = self.stage.section if self.stage else None
        if sec is None:
            return []
        if self.stage.kind == "checkin":
            return [a.text for a in sec.attendees]
        return list(sec.entries)

    def set_texts(self, texts: list[str]) -> None:
        sec = self.stage.section
        if self.stage.kind == "checkin":
            sec.attendees = [Attendee(text=t) for t in texts]
        else:
            sec.entries = texts

    def load(self, stage: Stage) -> None:
        self.stage = stage
        self.editing = None
        inp = self.query_one("#entry-input", Input)
        inp.value = ""
        if stage.kind == "checkin":
            inp.placeholder = "Name / @github / Institution (note) — Enter adds, → accepts a suggestion"
            inp.suggester = SuggestFromList(self.meeting.suggestions(), case_sensitive=False)
            hint = "Enter: add · ↓ then e/Enter: edit · Del: remove · l: late · alt+↑/↓: move"
        elif stage.kind == "roles":
            inp.placeholder = "Pick a role below (Enter), then type who takes it"
            inp.suggester = SuggestFromList(self.meeting.people(), case_sensitive=False)
            hint = "↓ then Enter: set the person for a role · Enter in the box with no role picked: add a line"
        else:
            inp.placeholder = "Type and press Enter to add"
            inp.suggester = None
            hint = "Enter: add · ↓ then e/Enter: edit · Del: remove · alt+↑/↓: move"
        self.query_one("#entry-hint", Static).update(hint)
        self.refresh_list()

    def refresh_list(self, highlight: int | None = None) -> None:
        if self.stage is None:
            return
        sec = self.stage.section
        lst = self.query_one("#entry-list", OptionList)
        old = lst.highlighted
        texts = self.texts()
        options = []
        for n, t in enumerate(texts, 1):
            label = Text(f"{n:>2}. ", style="dim")
            label.append(t.replace("\n", " ⏎ "))
            options.append(Option(label))
        lst.set_options(options)
        if texts:
            target = highlight if highlight is not None else old
            if target is not None:
                lst.highlighted = max(0, min(target, len(texts) - 1))
        title = Text(sec.title if sec else "")
        if self.stage.kind == "checkin":
            count = len([a for a in sec.attendees if not a.is_placeholder])
            title.append(f"  ·  {count} checked in", style="bold")
        else:
            title.append(f"  ·  {len(texts)}", style="dim")
        self.query_one("#entry-title", Static).update(title)

    # -- events ------------------------------------------------------------------
    @on(Input.Submitted, "#entry-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_line()

    def form_key(self, field: Widget, key: str) -> bool:
        """Enter adds (or saves) the line, ↓ goes to the list; at once, so fast typing holds."""
        if key == "enter":
            self.submit_line()
            return True
        if key == "down":
            return self.focus_list()
        if key == "up" and isinstance(field, FormList):  # from the list's first line
            focus_now(self.query_one("#entry-input", Input))
            return True
        return False

    def focus_list(self) -> bool:
        lst = self.query_one("#entry-list", OptionList)
        if not lst.option_count:
            return False
        if lst.highlighted is None:
            lst.highlighted = 0
        focus_now(lst)
        return True

    def submit_line(self) -> None:
        """Add the typed line (or save the one being edited, or set a role's person)."""
        inp = self.query_one("#entry-input", Input)
        value = inp.value.strip()
        if self.stage is None:
            return
        texts = self.texts()
        if self.stage.kind == "roles" and self.editing is not None:
            role = lines.parse_role(texts[self.editing])
            if role:
                value = self.meeting.template.role_text(role[0], value).rstrip()
            elif not value:
                return
            texts[self.editing] = value
            idx = self.editing
        elif self.editing is not None:
            if not value:
                return
            texts[self.editing] = value
            idx = self.editing
        else:
            if not value:
                return
            texts.append(value)
            idx = len(texts) - 1
            if self.stage.kind == "checkin":
                self.meeting.meeting_begins()
        self.set_texts(texts)
        self.editing = None
        inp.value = ""
        self.refresh_list(idx)
        self.meeting.changed(structure=True)

    @on(OptionList.OptionSelected, "#entry-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        if lst.highlighted is None or self.stage is None:
            return
        texts = self.texts()
        if not texts:
            return
        self.editing = lst.highlighted
        inp = self.query_one("#entry-input", Input)
        text = texts[self.editing]
        if self.stage.kind == "roles":
            role = lines.parse_role(text)
            inp.value = role[1] if role else text
        else:
            inp.value = text
        inp.focus()
        inp.cursor_position = len(inp.value)

    def action_cancel(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#entry-input", Input).value = ""

    def action_remove(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if lst.highlighted is None or not texts or not lst.has_focus:
            return
        idx = lst.highlighted
        removed = texts.pop(idx)
        self.set_texts(texts)
        self.editing = None
        self.refresh_list(idx)
        self.meeting.changed(structure=True)
        self.app.notify(Text(f"Removed: {removed}").plain, timeout=3, markup=False)

    def action_late(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if self.stage is None or self.stage.kind != "checkin" or lst.highlighted is None or not texts:
            return
        idx = lst.highlighted
        text = texts[idx]
        parsed = lines.parse_checkin(text)
        if parsed.note == "late":
            texts[idx] = text[: text.rfind("(")].rstrip()
        elif not parsed.note:
            texts[idx] = text.rstrip() + " (late)"
        else:
            self.app.notify("That line already has a note; edit it instead.", timeout=3)
            return
        self.set_texts(texts)
        self.refresh_list(idx)
        self.meeting.changed(structure=True)

    def move(self, delta: int) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if lst.highlighted is None or not texts:
            return
        i = lst.highlighted
        j = i + delta
        if not 0 <= j < len(texts):
            return
        texts[i], texts[j] = texts[j], texts[i]
        self.set_texts(texts)
        self.refresh_list(j)
        self.meeting.changed(structure=True)

    def focus_main(self) -> None:
        focus_now(self.query_one("#entry-input", Input))  # before the next key of a burst
