"""People: who came, how often, first and last seen, and a row of blocks per meeting."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from facilitator.widgets.footer import KeysFooter
from textual.widgets import DataTable, Input, Static

from facilitator import people
from facilitator.paths import styles_dir
from facilitator.screens.styled_once import StyledOnce
from facilitator.widgets.inputs import LineInput
from facilitator.store import SessionStore

CSS = str(styles_dir() / "history.tcss")
CHART_MAX = 36  # the most recent meetings shown as blocks
NAME_MAX = 24
HANDLE_MAX = 20


class PeopleScreen(StyledOnce, Screen):
    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back", id="people.back"),
        Binding("f", "focus_filter", "Filter", show=False, id="people.focus_filter"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.people: list[people.Person] = []
        self.dates: list[str] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("People", id="people-title")
        yield LineInput(select_on_focus=True, placeholder="Filter by name, handle or affiliation", id="people-filter")
        yield DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="people-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._set_columns([])
        table = self.query_one("#people-table", DataTable)
        self.query_one("#people-filter", Input).cursor_blink = False
        table.focus()
        self.query_one("#people-status", Static).update("Reading sessions…")
        self.load()

    @work(thread=True, exclusive=True, group="people")
    def load(self) -> None:
        folks = people.attendance(self.store)
        dates = people.store_meeting_dates(self.store)
        self.app.call_from_thread(self._loaded, folks, dates)

    def _set_columns(self, folks: list[people.Person]) -> None:
        """The columns, sized from the data up front.

        DataTable sizes auto-width columns when it next idles, but lines painted before
        that are cached at the old widths and can stay on screen (a table of "Sar…",
        "@sgibs"); fixed widths make the first paint the right one.
        """
        table = self.query_one("#people-table", DataTable)
        table.clear(columns=True)
        name_w = min(NAME_MAX, max([4] + [cell_len(p.name) for p in folks]))
        handle_w = min(HANDLE_MAX, max([6] + [cell_len(p.handle) + 1 for p in folks if p.handle]))
        chart_w = max(10, min(CHART_MAX, len(self.dates)))
        for name, width in (("Name", name_w), ("Handle", handle_w), ("Sessions", 8),
                            ("First seen", 10), ("Last seen", 10), ("Attendance", chart_w)):
            table.add_column(name, key=name.lower(), width=width)

    def _loaded(self, folks: list[people.Person], dates: list[str]) -> None:
        self.people = folks
        self.dates = dates
        self._set_columns(folks)
        self.loaded = True
        self._fill()

    def _fill(self) -> None:
        words = self.query_one("#people-filter", Input).value.casefold().split()
        table = self.query_one("#people-table", DataTable)
        table.clear()
        dates = self.dates[-CHART_MAX:]
        shown = 0
        for p in self.people:
            hay = f"{p.name} {p.handle} {p.affiliation}".casefold()
            if words and not all(w in hay for w in words):
                continue
            shown += 1
            table.add_row(
                Text(p.name, no_wrap=True, overflow="ellipsis"),
                Text(f"@{p.handle}" if p.handle else ""),
                Text(str(p.count), justify="right"),
                Text(p.first_seen),
                Text(p.last_seen),
                Text(people.chart(p, dates), style="green"),
                key=p.key,
            )
        span = f"{dates[0]} … {dates[-1]}" if dates else "no meetings with a check-in"
        self.query_one("#people-status", Static).update(
            Text(f"{shown} of {len(self.people)} people · {len(self.dates)} meetings with a check-in · chart: {span}, one block per meeting (▇ came, ▁ not)")
        )

    @on(Input.Changed, "#people-filter")
    def _filter(self, event: Input.Changed) -> None:
        if self.loaded:
            self._fill()

    def action_focus_filter(self) -> None:
        self.query_one("#people-filter", Input).focus()

    def action_back(self) -> None:
        self.dismiss()
