"""The sessions list: every past and planned session, newest first, filtered as you type.

The store is scanned once in a thread (``SessionStore.scan`` reads its ``.index.json``
cache, so 1,000 sessions list in milliseconds once cached); typing in the filter only
narrows the rows already in memory. Files that cannot be read are listed as
"unreadable: REASON" rows; opening one shows the reason and touches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from facilitator.paths import styles_dir
from facilitator.store import BrokenFile, ScanResult, SessionStore, SessionSummary, StoreError

CSS = str(styles_dir() / "history.tcss")
TABLE_KEYS = set("tpnef/ ")
CANCELLED_NOTE_WIDTH = 32  # the Status column holds "cancelled: <note>", cut to this
COLUMNS = ("Date", "Title", "Template", "People", "Items", "Status", "Archived")


@dataclass(frozen=True)
class Row:
    key: str  # the session id, or "!<file name>" for an unreadable file
    cells: tuple[str, ...]
    haystack: str
    summary: SessionSummary | None = None
    broken: BrokenFile | None = None


def rows_of(scan: ScanResult) -> list[Row]:
    """Table rows: sessions newest first, then the unreadable files."""
    rows = []
    for s in scan.sessions:
        title = s.title or s.heading or ""
        people, items, status = str(s.attendees), str(s.agenda_items), s.status
        if s.status == "cancelled":  # not "0 people, 0 items": say why there were none
            people = items = ""
            status = "cancelled" + (f": {shorten(s.cancelled)}" if s.cancelled else "")
        cells = (s.date or "?", title, s.template, people, items, status, "yes" if s.archived_in else "no")
        haystack = " ".join((s.id,) + cells + (s.cancelled,)).casefold()
        rows.append(Row(s.id, cells, haystack, summary=s))
    for b in scan.broken:
        cells = ("?", b.path.name, "", "", "", f"unreadable: {b.reason}", "")
        rows.append(Row("!" + b.path.name, cells, " ".join(cells).casefold(), broken=b))
    return rows


def shorten(text: str, width: int = CANCELLED_NOTE_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def filter_rows(rows: list[Row], query: str) -> list[Row]:
    words = query.casefold().split()
    if not words:
        return rows
    return [r for r in rows if all(w in r.haystack for w in words)]


class BrokenFileScreen(ModalScreen[None]):
    """Why a session file cannot be opened; the file is not touched."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, broken: BrokenFile) -> None:
        super().__init__()
        self.broken = broken

    def compose(self) -> ComposeResult:
        with Vertical(classes="history-dialog", id="broken-box"):
            yield Label(Text(f"{self.broken.path.name} cannot be opened"), classes="dialog-title")
            yield Static(Text(f"unreadable: {self.broken.reason}"), id="broken-reason")
            yield Static(Text(f"The file {self.broken.path} is left exactly as it is. Fix or move it by hand."))
            yield Label("Escape closes.", classes="dim")

    def action_close(self) -> None:
        self.dismiss(None)


class BrowseScreen(Screen):
    """All sessions. Keys: type to filter, ↓/Enter to the list, Enter opens."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+f", "search", "Search", priority=True),
        Binding("slash", "search", "Search", show=False),
        Binding("t", "review", "Time review"),
        Binding("p", "people", "People"),
        Binding("n", "next_meeting", "Next meeting"),
        Binding("e", "edit", "Edit"),
        Binding("f", "focus_filter", "Filter", show=False),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.rows: list[Row] = []
        self.shown: list[Row] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Sessions", id="browse-title")
        yield Input(placeholder="Filter: words in date, title, template, status… (↓ to the list)", id="browse-filter", select_on_focus=False)
        table = DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="browse-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name.lower())
        self.query_one("#browse-filter", Input).cursor_blink = False
        self.query_one("#browse-status", Static).update("Loading sessions…")
        table.focus()
        self.refresh_sessions()

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="browse-scan")
    def refresh_sessions(self, select: str | None = None) -> None:
        try:
            scan = self.store.scan()
        except StoreError as e:
            self.app.call_from_thread(self._scan_failed, str(e))
            return
        rows = rows_of(scan)
        self.app.call_from_thread(self._loaded, rows, select)

    def _scan_failed(self, message: str) -> None:
        self.query_one("#browse-status", Static).update(Text(f"cannot list sessions: {message}"))
        self.loaded = True

    def _loaded(self, rows: list[Row], select: str | None) -> None:
        self.rows = rows
        self.loaded = True
        self.apply_filter(select=select)

    def apply_filter(self, select: str | None = None) -> None:
        table = self.query_one("#browse-table", DataTable)
        query = self.query_one("#browse-filter", Input).value
        current = select or self.current_key()
        self.shown = filter_rows(self.rows, query)
        table.clear()
        for row in self.shown:
            cells = [Text(c) for c in row.cells]
            if row.broken is not None:
                cells = [Text(c, style="bold red") for c in row.cells]
            table.add_row(*cells, key=row.key)
        keys = [r.key for r in self.shown]
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        n_sessions = sum(1 for r in self.rows if r.broken is None)
        n_broken = len(self.rows) - n_sessions
        status = f"{len(self.shown)} of {n_sessions} sessions" if query.strip() else f"{n_sessions} sessions"
        if n_broken:
            status += f" · {n_broken} unreadable file{'s' if n_broken != 1 else ''} (listed in red, left untouched)"
        self.query_one("#browse-status", Static).update(Text(status))

    @on(Input.Changed, "#browse-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self.apply_filter()

    @on(Input.Submitted, "#browse-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one("#browse-table", DataTable)
        table.focus()
        if len(self.shown) == 1:
            self.open_row(self.shown[0])

    def on_key(self, event) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "browse-filter" and event.key in ("down", "tab"):
            self.query_one("#browse-table", DataTable).focus()
            event.stop()
            event.prevent_default()
        elif isinstance(focused, DataTable) and event.key == "up" and focused.cursor_row == 0:
            self.query_one("#browse-filter", Input).focus()
            event.stop()
            event.prevent_default()
        elif (
            isinstance(focused, DataTable)
            and event.is_printable
            and event.character
            and event.character not in TABLE_KEYS
        ):
            # Type-ahead: a key that is not a command starts (or extends) the filter.
            filt = self.query_one("#browse-filter", Input)
            filt.focus()
            filt.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    # -- the selected row -------------------------------------------------------------
    def current_key(self) -> str | None:
        table = self.query_one("#browse-table", DataTable)
        if not self.shown or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(self.shown) - 1)
        return self.shown[row].key

    def current_row(self) -> Row | None:
        key = self.current_key()
        return next((r for r in self.shown if r.key == key), None)

    def current_session(self) -> str | None:
        row = self.current_row()
        if row is None or row.broken is not None:
            if row is not None:
                self.app.push_screen(BrokenFileScreen(row.broken))
            else:
                self.notify("No session selected.")
            return None
        return row.key

    @on(DataTable.RowSelected, "#browse-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        row = next((r for r in self.shown if r.key == event.row_key.value), None)
        if row is not None:
            self.open_row(row)

    def open_row(self, row: Row, edit: bool = False) -> None:
        if row.broken is not None:
            self.app.push_screen(BrokenFileScreen(row.broken))
            return
        from facilitator.screens.session_view import SessionView

        self.app.push_screen(SessionView(self.store, row.key, edit=edit), lambda _=None: self.refresh_sessions())

    # -- actions ----------------------------------------------------------------------
    def action_back(self) -> None:
        filt = self.query_one("#browse-filter", Input)
        if filt.value:
            filt.value = ""
            return
        if len(self.app.screen_stack) > 1:
            self.dismiss()

    def action_focus_filter(self) -> None:
        self.query_one("#browse-filter", Input).focus()

    def action_search(self) -> None:
        from facilitator.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.store))

    def action_review(self) -> None:
        from facilitator.screens.review import ReviewScreen

        sid = self.current_session()
        if sid:
            scope = [r.key for r in self.shown if r.broken is None]
            label = self.query_one("#browse-filter", Input).value.strip()
            self.app.push_screen(ReviewScreen(self.store, sid, scope=scope, scope_label=label))

    def action_people(self) -> None:
        from facilitator.screens.people import PeopleScreen

        self.app.push_screen(PeopleScreen(self.store))

    def action_edit(self) -> None:
        row = self.current_row()
        if row is None:
            self.notify("No session selected.")
            return
        self.open_row(row, edit=True)

    def action_next_meeting(self) -> None:
        sid = self.current_session()
        if sid:
            self._create_next(sid)

    @work(thread=True, exclusive=True, group="browse-next")
    def _create_next(self, session_id: str) -> None:
        from facilitator.nextmeeting import create_next

        try:
            new = create_next(self.store, session_id, templates=getattr(self.app, "templates", None))
        except (StoreError, ValueError) as e:
            self.app.call_from_thread(self.notify, f"Cannot create the next meeting: {e}", severity="error", timeout=8)
            return
        carried = sum(1 for i in new.agenda_items if i.carried_from)
        self.app.call_from_thread(
            self.notify,
            f"Created {new.id} ({new.date}) with {carried} item{'s' if carried != 1 else ''} carried over from {session_id}.",
        )
        self.app.call_from_thread(self._after_next, new.id)

    def _after_next(self, new_id: str) -> None:
        self.refresh_sessions(select=new_id)
