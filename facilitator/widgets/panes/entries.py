"""Check-in, celebrations, other lists and roles: one line typed, Enter adds it to the list below."""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator import lines
from facilitator.engine import Meeting, Stage, StageKind
from facilitator.model import Section
from facilitator.widgets.inputs import FormInput, FormList, focus_now


class EntryPane(Vertical):
    """Check-in, celebrations, other lists and roles: an input line above the list.

    It reads the meeting (``load``) and tells its screen what the user did with messages;
    the screen makes the change through the engine and refreshes the list.
    """

    BINDINGS = [
        Binding("e", "edit", "Edit", show=True, id="entry.edit"),
        Binding("delete,backspace", "remove", "Remove", show=True, id="entry.remove"),
        Binding("l", "late", "Late", show=True, id="entry.late"),
        Binding("escape", "cancel", "Cancel edit", show=False, id="entry.cancel"),
        Binding("ctrl+l", "question", "Set question", show=False, id="entry.question"),
    ]

    class Submitted(Message):
        """A line typed: a new one (``index`` None) or the edit of line ``index``."""

        def __init__(self, section: Section, index: int | None, text: str) -> None:
            super().__init__()
            self.section = section
            self.index = index
            self.text = text

    class Pasted(Message):
        """Several lines pasted into the input: each its own new line of the list."""

        def __init__(self, section: Section, text: str) -> None:
            super().__init__()
            self.section = section
            self.text = text

    class QuestionSet(Message):
        """The typed line is the list's question (the ice breaker's, under its heading)."""

        def __init__(self, section: Section, text: str) -> None:
            super().__init__()
            self.section = section
            self.text = text

    class Removed(Message):
        def __init__(self, section: Section, index: int) -> None:
            super().__init__()
            self.section = section
            self.index = index

    class LateToggled(Message):
        def __init__(self, section: Section, index: int) -> None:
            super().__init__()
            self.section = section
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage: Stage | None = None
        self.engine: Meeting | None = None
        self.editing: int | None = None
        self.suggestions: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="entry-title", classes="pane-title", markup=False)
        yield FormInput(placeholder="", id="entry-input")
        yield FormList(id="entry-list")
        yield Static("", id="entry-hint", classes="hint", markup=False)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "late":
            return self.stage is not None and self.stage.kind == "checkin"
        if action == "question":
            return self.stage is not None and self.stage.kind == StageKind.LIST
        return True

    def action_question(self) -> None:
        """ctrl+l: the typed line becomes the question; with nothing typed, the question is
        put in the line to edit."""
        inp = self.query_one("#entry-input", Input)
        if self.stage is None or self.stage.section is None:
            return
        if not inp.value.strip():
            inp.value = self.stage.section.intro
            inp.cursor_position = len(inp.value)
            return
        self.post_message(self.QuestionSet(self.stage.section, inp.value))
        inp.value = ""

    # -- data --------------------------------------------------------------------
    def texts(self) -> list[str]:
        sec = self.stage.section if self.stage else None
        if sec is None:
            return []
        return Meeting.entries(sec)

    def highlighted(self) -> int | None:
        lst = self.query_one("#entry-list", OptionList)
        return lst.highlighted if self.texts() else None

    def load(self, stage: Stage, engine: Meeting, suggestions: list[str]) -> None:
        self.stage = stage
        self.engine = engine
        self.suggestions = suggestions
        self.editing = None
        inp = self.query_one("#entry-input", FormInput)
        inp.value = ""
        # A pasted block (the pad's check-in, a chat's names) is read whole, a line each;
        # a role takes one person, so its box keeps a paste's first line.
        inp.takes_lines = stage.kind != "roles"
        if stage.kind == "checkin":
            # Short enough for the box at 80 columns; the keys are in the hint below it.
            inp.placeholder = "Name / @github / Institution (note)"
            inp.suggester = SuggestFromList(suggestions, case_sensitive=False)
            hint = "Enter: add · →: take the suggestion · ↓ then e/Enter: edit · Del: remove · l: late · alt+↑/↓: move"
        elif stage.kind == "roles":
            inp.placeholder = "Pick a role below (Enter), then type who takes it"
            inp.suggester = SuggestFromList(engine.people(), case_sensitive=False)
            hint = "↓ then Enter: set the person for a role · Enter in the box with no role picked: add a line"
        else:
            inp.placeholder = "Type and press Enter to add"
            inp.suggester = None
            hint = "Enter: add · ↓ then e/Enter: edit · Del: remove · alt+↑/↓: move · ctrl+l: the typed line is the question"
        self.query_one("#entry-hint", Static).update(hint)
        self.refresh_list()

    def refresh_list(self, highlight: int | None = None, texts: list[str] | None = None) -> None:
        """Show the section's lines (or ``texts``: the lines as they will be once the screen
        has handled a message on its way, so a key typed right after Enter finds them)."""
        if self.stage is None:
            return
        sec = self.stage.section
        lst = self.query_one("#entry-list", OptionList)
        old = lst.highlighted
        texts = self.texts() if texts is None else texts
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
        if sec is not None and self.stage.kind == StageKind.LIST and sec.intro.strip():
            title.append(f"  ·  {' '.join(sec.intro.split())}", style="italic")
        if self.stage.kind == "checkin":
            count = len([a for a in sec.attendees if not a.is_placeholder])
            title.append(f"  ·  {count} checked in", style="bold")
            prompt = Meeting.list_prompt(sec)
            if prompt:  # the template's prompt line: what to write, not an attendee
                title.append(f"\n{prompt}", style="italic dim")
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
        if key == "right" and isinstance(field, Input):
            return self.complete(field)
        return False

    def complete(self, inp: Input) -> bool:
        """→ at the end of the line takes the completion now, from the same list the
        suggester shows; the suggester's own answer comes later (a worker), so an Enter
        typed right after → would otherwise add only the typed prefix."""
        names = self.suggestions if self.stage is not None and self.stage.kind == StageKind.CHECKIN else (
            self.engine.people() if self.engine is not None and self.stage is not None and self.stage.kind == StageKind.ROLES else []
        )
        typed = inp.value
        if not typed or inp.cursor_position < len(typed):
            return False
        match = next((n for n in names if n.lower().startswith(typed.lower()) and len(n) > len(typed)), None)
        if match is None:
            return False
        inp.value = match
        inp.cursor_position = len(match)
        return True

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
        if self.stage is None:
            return
        value = inp.value.strip()
        texts = self.texts()
        if self.stage.kind == StageKind.ROLES and self.editing is not None:
            if not lines.parse_role(texts[self.editing]) and not value:
                return
        elif not value:
            return
        self.post_message(self.Submitted(self.stage.section, self.editing, value))
        if self.editing is None:
            self.refresh_list(len(texts), texts + [value])
        self.editing = None
        inp.value = ""

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

    @on(FormInput.LinesPasted)
    def lines_pasted(self, event: FormInput.LinesPasted) -> None:
        event.stop()
        if self.stage is None or self.stage.section is None:
            return
        if self.editing is not None:
            self.app.notify("Several lines pasted while editing one: added as new lines.", timeout=4)
            self.action_cancel()
        self.post_message(self.Pasted(self.stage.section, event.text))

    def action_cancel(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#entry-input", Input).value = ""

    def action_remove(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if lst.highlighted is None or not texts or not lst.has_focus or self.stage is None:
            return
        self.editing = None
        self.post_message(self.Removed(self.stage.section, lst.highlighted))

    def action_late(self) -> None:
        lst = self.query_one("#entry-list", OptionList)
        texts = self.texts()
        if self.stage is None or self.stage.kind != StageKind.CHECKIN or lst.highlighted is None or not texts:
            return
        self.post_message(self.LateToggled(self.stage.section, lst.highlighted))

    def focus_main(self) -> None:
        focus_now(self.query_one("#entry-input", Input))  # before the next key of a burst
