"""Opening breakout rooms: the suggestions with who signed up, a topic, host and members each."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList, Suggester
from textual.widgets import Button, Checkbox, Input, Static

from facilitator.model import AgendaItem
from facilitator.rooms import RoomPlan
from facilitator.widgets.inputs import LineInput

DEFAULT_MINUTES = 30


class MembersSuggester(Suggester):
    """Completes the last name of a comma-separated list from the people checked in."""

    def __init__(self, people: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.people = people

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        taken = {p.strip().lower() for p in head.split(",")}
        for name in self.people:
            if name.lower().startswith(typed.lower()) and name.lower() not in taken:
                return f"{head}{sep}{last[: len(last) - len(typed)]}{name}"
        return None


class OpenRoomsScreen(ModalScreen[tuple[list[RoomPlan], int] | None]):
    """One row a suggestion: open it or not, its host, its members; the shared minutes."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # below 100 columns the topics get the room
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="rooms.cancel"),
        Binding("ctrl+r,ctrl+s", "open", "Open rooms", id="rooms.open", priority=True),
    ]

    def __init__(self, suggestions: list[tuple[AgendaItem, list[str]]], people: list[str]) -> None:
        super().__init__()
        self.suggestions = suggestions
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="rooms-box"):
            yield Static(Text("Open breakout rooms — one shared timebox", style="bold"), id="rooms-title")
            with Horizontal(id="rooms-time"):
                yield Static("Minutes:", classes="rooms-label")
                yield LineInput(str(DEFAULT_MINUTES), id="rooms-minutes", restrict=r"[0-9]*")
                yield Checkbox("Main room too", id="rooms-main")
            with VerticalScroll(id="rooms-list"):
                for n, (item, names) in enumerate(self.suggestions):
                    with Horizontal(classes="rooms-row"):
                        yield Checkbox("", value=bool(names) or len(self.suggestions) <= 4, id=f"room-on-{n}")
                        yield LineInput(item.title or item.text, id=f"room-topic-{n}", classes="room-topic")
                        yield LineInput("", placeholder="host", id=f"room-host-{n}", classes="room-host",
                                        suggester=SuggestFromList(self.people, case_sensitive=False))
                        yield LineInput(", ".join(names), placeholder="members, comma-separated", id=f"room-members-{n}",
                                        classes="room-members", suggester=MembersSuggester(self.people))
                if not self.suggestions:
                    yield Static("No suggestions yet: type a topic below.", classes="hint")
                with Horizontal(classes="rooms-row"):
                    yield Checkbox("", value=False, id="room-on-new")
                    yield LineInput("", placeholder="another topic", id="room-topic-new", classes="room-topic")
                    yield LineInput("", placeholder="host", id="room-host-new", classes="room-host",
                                    suggester=SuggestFromList(self.people, case_sensitive=False))
                    yield LineInput("", placeholder="members", id="room-members-new", classes="room-members",
                                    suggester=MembersSuggester(self.people))
            with Horizontal(id="rooms-buttons"):
                yield Button("Open rooms (ctrl+r)", id="rooms-open", variant="primary")
                yield Button("Cancel (Esc)", id="rooms-cancel")

    def on_mount(self) -> None:
        self.query_one("#rooms-minutes", Input).focus()

    @on(Input.Changed, "#room-topic-new")
    def new_topic(self, event: Input.Changed) -> None:
        self.query_one("#room-on-new", Checkbox).value = bool(event.value.strip())

    def plans(self) -> list[RoomPlan]:
        out: list[RoomPlan] = []
        keys = [str(n) for n in range(len(self.suggestions))] + ["new"]
        for k in keys:
            if not self.query_one(f"#room-on-{k}", Checkbox).value:
                continue
            topic = self.query_one(f"#room-topic-{k}", Input).value.strip()
            if not topic:
                continue
            host = self.query_one(f"#room-host-{k}", Input).value.strip()
            members = [m.strip() for m in self.query_one(f"#room-members-{k}", Input).value.split(",") if m.strip()]
            out.append(RoomPlan(topic, host, members))
        if self.query_one("#rooms-main", Checkbox).value and out:
            main = out.pop(0)
            out.insert(0, RoomPlan(main.topic, main.host, main.members, main=True))
        return out

    def action_open(self) -> None:
        plans = self.plans()
        if not plans:
            self.app.notify("Tick at least one room with a topic.", timeout=3)
            return
        raw = self.query_one("#rooms-minutes", Input).value
        minutes = int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MINUTES
        self.dismiss((plans, minutes))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "rooms-open":
            self.action_open()
        else:
            self.action_cancel()
