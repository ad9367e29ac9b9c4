"""The agenda overview: a form (owner, minutes, title) that adds items, the items below it."""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator import lines
from facilitator.engine import Meeting, Stage
from facilitator.model import AgendaItem
from facilitator.widgets.inputs import FormInput, FormList, focus_now
from facilitator.widgets.stage_list import DEFERRED, MARKS


class AgendaPane(Vertical):
    """The agenda as a whole: items with owner, timebox and title, the sum against the slot.

    It reads the meeting and tells its screen what the user did with messages.
    """

    BINDINGS = [
        Binding("e", "edit", "Edit", show=True, id="agenda.edit"),
        Binding("delete,backspace", "remove", "Remove", show=True, id="agenda.remove"),
        Binding("escape", "cancel", "Cancel edit", show=False, id="agenda.cancel"),
    ]

    class Submitted(Message):
        """An item typed: new (``editing`` None) or the new lead line of ``editing``."""

        def __init__(self, editing: AgendaItem | None, text: str) -> None:
            super().__init__()
            self.editing = editing
            self.text = text

    class Pasted(Message):
        """Several agenda lines pasted into the form: the screen adds them all."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class RemoveRequested(Message):
        def __init__(self, item: AgendaItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage: Stage | None = None
        self.engine: Meeting | None = None
        self.editing: AgendaItem | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="agenda-title", classes="pane-title", markup=False)
        yield Static("", id="agenda-sum", markup=False)
        with Horizontal(id="agenda-form"):
            yield FormInput(placeholder="Owner", id="agenda-owner")
            yield FormInput(placeholder="Min", id="agenda-min", restrict=r"[0-9]*")
            yield FormInput(placeholder="Title — Enter adds", id="agenda-text")
        yield FormList(id="agenda-list")
        yield Static(
            "Enter: add · ↓ then e/Enter: edit · Del: remove · F9: defer · alt+↑/↓: move · ctrl+r: rooms",
            classes="hint",
            markup=False,
        )

    def on_mount(self) -> None:
        for field in self._form():
            field.takes_lines = True  # a pasted agenda is read whole, every line placed

    @on(FormInput.LinesPasted)
    def lines_pasted(self, event: FormInput.LinesPasted) -> None:
        event.stop()
        if self.editing is not None:
            self.app.notify("Several lines pasted while editing one item: added as new items.", timeout=4)
            self.action_cancel()
        self.post_message(self.Pasted(event.text))

    def load(self, stage: Stage, engine: Meeting) -> None:
        self.stage = stage
        self.engine = engine
        self.editing = None
        self.refresh_list()

    def items(self) -> list[AgendaItem]:
        return self.engine.session.agenda_items if self.engine is not None else []

    def highlighted_item(self) -> AgendaItem | None:
        lst = self.query_one("#agenda-list", OptionList)
        items = self.items()
        if lst.highlighted is None or not items:
            return None
        return items[min(lst.highlighted, len(items) - 1)]

    def refresh_list(self, highlight: AgendaItem | None = None) -> None:
        m = self.engine
        if m is None:
            return
        lst = self.query_one("#agenda-list", OptionList)
        old = self.highlighted_item() if highlight is None else highlight
        items = self.items()
        options = []
        for item in items:
            state = m.item_state(item)
            mark, style = MARKS.get(state, ("", ""))
            deferred = state == "deferred"  # struck through: its minutes are not in the sum
            label = Text(f"{mark} ", style="dim" if deferred else style)
            if deferred:
                label.append(f"{item.timebox or '—':>5}", style=DEFERRED)
                label.append("  ")
            else:
                label.append(f"{item.timebox or '—':>5}  ", style="bold")
            if item.owner:
                label.append(item.owner, style=DEFERRED if deferred else "italic")
                label.append(": ", style=DEFERRED if deferred else "")
            label.append(item.title or item.text, style=style)
            if deferred:
                label.append("  (deferred)", style="dim")
            options.append(Option(label))
        lst.set_options(options)
        if items:
            lst.highlighted = items.index(old) if old in items else 0
        sec = self.stage.section if self.stage else None
        self.query_one("#agenda-title", Static).update(Text(sec.title if sec else "Agenda"))
        planned, slot = m.session.planned_minutes, m.session.slot_minutes
        deferred = sum(1 for i in items if i.status == "deferred")
        summary = f"{planned} of {slot} min"
        if deferred:
            summary += f" · {deferred} deferred"
        if planned > slot:
            summary += f" — {planned - slot} min too many for the slot"
        nxt = m.next_pending()
        if nxt is not None and not m.controls_meeting:  # a joiner: the host starts items
            label = f"{nxt.owner}: {nxt.title or nxt.text}" if nxt.owner else (nxt.title or nxt.text)
            summary += f" · {'now' if nxt is m.current else 'next'}: “{label}”"
        elif nxt is not None:  # what the start key does here, said where it is done
            verb = "pauses" if nxt is m.current and m.running else "resumes" if nxt is m.current else "starts"
            label = f"{nxt.owner}: {nxt.title or nxt.text}" if nxt.owner else (nxt.title or nxt.text)
            summary += f" · F5 {verb} “{label}”"
        s = self.query_one("#agenda-sum", Static)
        s.update(Text(summary))
        s.set_class(planned > slot, "-over")

    def _form(self) -> tuple[Input, Input, Input]:
        return (
            self.query_one("#agenda-owner", Input),
            self.query_one("#agenda-min", Input),
            self.query_one("#agenda-text", Input),
        )

    def form_key(self, field: Widget, key: str) -> bool:
        """Enter adds (or saves) the item, ↓ goes to the list; at once, so fast typing holds."""
        if key == "enter":
            self.submit_form()
            return True
        if key == "down":
            return self.focus_list()
        if key == "up" and isinstance(field, FormList):  # from the list's first line
            focus_now(self._form()[0])
            return True
        return False

    def focus_list(self) -> bool:
        lst = self.query_one("#agenda-list", OptionList)
        if not lst.option_count:
            return False
        if lst.highlighted is None:
            lst.highlighted = 0
        focus_now(lst)
        return True

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_form()

    def submit_form(self) -> None:
        """Add the item in the form (or save the one being edited), then clear the form.

        A whole agenda line typed or pasted into one box, the others empty
        (``**Min (10m):** Title``, ``Min (10m): Title``), is split into its parts.
        """
        owner, minutes, title = (i.value.strip() for i in self._form())
        if not title and not owner:
            self.app.notify("Type a title (and owner, minutes) first.", timeout=3)
            return
        timebox = ""
        if not minutes and bool(owner) != bool(title):
            typed = lines.parse_typed_agenda(owner or title)
            if typed.owner or typed.timebox:
                owner, timebox, title = typed.owner, typed.timebox, typed.title
            elif owner and not title:
                # One box filled with a plain line: that is what the item is about.
                owner, title = "", owner
        mins = int(minutes) if minutes.isdigit() else None
        text = self.engine.template.agenda_text(owner, mins, title, timebox=timebox)
        self.post_message(self.Submitted(self.editing, text))
        self.editing = None
        for i in self._form():
            i.value = ""
        focus_now(self._form()[0])

    @on(OptionList.OptionSelected, "#agenda-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        self.editing = item
        o, mn, t = self._form()
        o.value = item.owner
        mn.value = str(item.minutes) if item.minutes is not None else ""
        t.value = item.title or item.text
        for i in (o, mn, t):
            i.cursor_position = len(i.value)
        t.focus()

    def action_cancel(self) -> None:
        self.editing = None
        for i in self._form():
            i.value = ""

    def action_remove(self) -> None:
        item = self.highlighted_item()
        if item is None or not self.query_one("#agenda-list", OptionList).has_focus:
            return
        self.post_message(self.RemoveRequested(item))

    def focus_main(self) -> None:
        focus_now(self._form()[0])  # before the next key of a burst
