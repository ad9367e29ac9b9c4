"""Search every past session: type words, see the meeting, the item and the line.

The index is built (or refreshed from its cache) in a thread; each query runs in a
thread too, the latest one winning. Everything people wrote is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from facilitator.paths import styles_dir
from facilitator.screens.styled_once import StyledOnce
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.inputs import LineInput
from facilitator.search import Hit
from facilitator.store import SessionStore, StoreError

CSS = str(styles_dir() / "history.tcss")
MAX_HITS = 500


def _one_line(text: str) -> str:
    return " ".join(text.split())


class SearchScreen(StyledOnce, Screen):
    """Words → hits; Enter opens the meeting at the hit."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("ctrl+f", "focus_query", "Search box", show=False, priority=True, id="search.focus_query"),
    ]

    def __init__(self, store: SessionStore, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.initial = query
        self.hits: list[Hit] = []
        self.searched = ""  # the query the table shows (tests wait on it)
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Static("Search past sessions", id="search-title")
        yield LineInput(self.initial, select_on_focus=True, placeholder="Words to find (all must match; prefixes work) — Enter or ↓ to the results", id="search-query")
        yield DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#search-results", DataTable)
        table.add_column("Date", key="date")
        table.add_column("Where", key="where", width=40 if self.app.size.width >= 100 else 22)
        table.add_column("Line", key="line")
        q = self.query_one("#search-query", Input)
        q.cursor_blink = False
        q.focus()
        if self.initial.strip():
            self.run_search(self.initial)

    @on(Input.Changed, "#search-query")
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(0.15, lambda: self.run_search(value))

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        if event.value != self.searched:
            self.run_search(event.value)
        table = self.query_one("#search-results", DataTable)
        if table.row_count:
            table.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and isinstance(self.focused, Input):
            table = self.query_one("#search-results", DataTable)
            if table.row_count:
                table.focus()
                event.stop()
                event.prevent_default()
        elif event.key == "up" and isinstance(self.focused, DataTable) and self.focused.cursor_row == 0:
            self.query_one("#search-query", Input).focus()
            event.stop()
            event.prevent_default()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        from facilitator.search import count_sessions, query_words, search

        if not query_words(query):
            self.app.call_from_thread(self._show, query, [], "")
            return
        self.app.call_from_thread(self._status, "Searching…")
        try:
            hits = search(self.store, query, MAX_HITS + 1)
            sessions = count_sessions(self.store)
        except StoreError as e:
            self.app.call_from_thread(self._status, f"cannot search: {e}")
            return
        self.app.call_from_thread(self._show, query, hits, f"{sessions} sessions")

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Text(text))

    def _show(self, query: str, hits: list[Hit], scope: str) -> None:
        if query != self.query_one("#search-query", Input).value and query != self.initial:
            return  # a newer query is on its way
        more = len(hits) > MAX_HITS
        hits = hits[:MAX_HITS]
        self.hits = hits
        table = self.query_one("#search-results", DataTable)
        table.clear()
        for n, h in enumerate(hits):
            where = h.section + (f" / {_one_line(h.item_title)}" if h.item_id else "")
            table.add_row(Text(h.date), Text(where, no_wrap=True, overflow="ellipsis"), Text(_one_line(h.line)), key=str(n))
        self.searched = query
        if not query.strip():
            self._status("Type words to search every session's notes, names and items.")
        elif not hits:
            self._status(f"Nothing found for {query!r} in {scope}.")
        else:
            self._status(f"{len(hits)}{'+' if more else ''} hit{'s' if len(hits) != 1 else ''} in {scope} · Enter opens the meeting at that line")

    @on(DataTable.RowSelected, "#search-results")
    def _open(self, event: DataTable.RowSelected) -> None:
        n = int(event.row_key.value)
        if 0 <= n < len(self.hits):
            self.open_hit(self.hits[n])

    def open_hit(self, hit: Hit) -> None:
        from facilitator.screens.session_view import SessionView

        self.app.push_screen(SessionView(self.store, hit.session_id, focus_item=hit.item_id, focus_line=hit.line))

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()
