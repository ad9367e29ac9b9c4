"""The sessions list: every past and planned session, newest first, filtered as you type.

The list loads after the screen's first frame, in a thread: the SQLite index is brought
up to date (a first build of thousands of sessions runs in a child process and shows a
progress bar, the app staying responsive: ``facilitator.index_child``), then read. The
table draws only the rows on screen (``SessionTable``), and a filter keystroke narrows
the rows of the keystroke before it in memory (``RowFilter``: no query waits on the
index's lock), so 10,000 sessions cost little more than 50. Every printable key types into the filter; the commands are ctrl keys, so typing
``nov`` or ``finished`` filters and never fires one. Files that cannot be read are
listed as "unreadable: REASON" rows; opening one shows the reason and touches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, ProgressBar, Static

from facilitator.paths import styles_dir
from facilitator.screens.session_ops import SessionOps
from facilitator.screens.styled_once import StyledOnce
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.inputs import LineInput
from facilitator.index import session_haystack
from facilitator.store import SessionStore, StoreError, id_suffix
from facilitator.summaries import BrokenFile, ScanResult
from facilitator.widgets.session_table import SessionTable

if TYPE_CHECKING:
    from facilitator.index import SessionIndex

CSS = str(styles_dir() / "history.tcss")
CANCELLED_NOTE_WIDTH = 32  # the Status column holds "cancelled: <note>", cut to this
COLUMNS = ("Date", "Title", "Template", "People", "Items", "Status", "Archived")
WIDTHS = (10, 24, 12, 6, 5, 22, 8)  # the Title column takes the room left over


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # the session id, or "!<file name>" for an unreadable file
    cells: tuple[str, ...]
    haystack: str  # what the filter matches (a session's: ``index.session_haystack``)
    broken: BrokenFile | None = None


def _session_row(sid: str, date: str, heading: str, title: str, template: str, status: str,
                 attendees: int, agenda_items: int, archived_in: str, cancelled: str,
                 seen: dict[str, str] | None = None) -> Row:
    title = title or heading or ""
    haystack = session_haystack(sid, date, title, template, status, cancelled, archived_in)
    shown = id_suffix(sid, date)
    if shown:  # a second meeting of a day (#2), or a renamed one: never two rows alike
        title = f"{shown} · {title}" if title else shown
    people, items = str(attendees), str(agenda_items)
    if status == "cancelled":  # not "0 people, 0 items": say why there were none
        people = items = ""
        status = "cancelled" + (f": {shorten(cancelled)}" if cancelled else "")
    date = date or "?"
    if seen is not None:  # the first string equal to each cell that rows share (see rows_of_index)
        one = seen.setdefault
        title, template, status = one(title, title), one(template, template), one(status, status)
        people, items = one(people, people), one(items, items)
        if sid == date:  # most ids are the date: one string for both
            sid = date
    return Row(sid, (date, title, template, people, items, status, "yes" if archived_in else "no"), haystack)


def _broken_rows(broken: list[BrokenFile]) -> list[Row]:
    rows = []
    for b in broken:
        cells = ("?", b.path.name, "", "", "", f"unreadable: {b.reason}", "")
        rows.append(Row("!" + b.path.name, cells, " ".join(cells).casefold(), broken=b))
    return rows


def rows_of(scan: ScanResult) -> list[Row]:
    """Table rows: sessions newest first, then the unreadable files."""
    seen: dict[str, str] = {}
    rows = [
        _session_row(s.id, s.date, s.heading, s.title, s.template, s.status, s.attendees,
                     s.agenda_items, s.archived_in, s.cancelled, seen)
        for s in scan.sessions
    ]
    return rows + _broken_rows(scan.broken)


def rows_of_index(index: SessionIndex, broken: list[BrokenFile]) -> list[Row]:
    """:func:`rows_of` straight from the index (no summary objects: 10,000 of them, each
    with its Path, would cost memory the list never needs), each row built as SQLite reads
    it (``SessionIndex.each_listed``: no list of every session's tuple beside the rows).
    The cells the rows share (a template, a status, a recurring meeting's title) are one
    string each, not one per row: SQLite hands out a new string per row and column."""
    seen: dict[str, str] = {}
    rows = index.each_listed(partial(_session_row, seen=seen))
    return rows + _broken_rows(broken)


def shorten(text: str, width: int = CANCELLED_NOTE_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def filter_rows(rows: list[Row], query: str) -> list[Row]:
    """The rows holding every word of ``query`` (substrings, case ignored), in order."""
    words = query.casefold().split()
    if not words:
        return rows
    return [r for r in rows if all(w in r.haystack for w in words)]


class RowFilter:
    """Filter-as-you-type: each query narrows the results of a recent one it implies.

    Typing adds to a word, so the rows matching ``collab n`` are among those matching
    ``collab``: only those are looked at again, one substring test per row and word
    (longest word first), and a backspace finds its query among the recent ones. The
    first letter scans every row once; each later one, what the one before left.
    """

    RECENT = 8

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self._recent: list[tuple[tuple[str, ...], list[Row]]] = []

    def __call__(self, query: str) -> list[Row]:
        words = tuple(sorted(set(query.casefold().split()), key=len, reverse=True))
        if not words:
            return self.rows
        base, done = self.rows, ()
        for seen, result in self._recent:
            if seen == words:
                return result
            # Every row matching ``words`` matches ``seen`` when each seen word is part of one of them.
            if len(result) < len(base) and all(any(s in w for w in words) for s in seen):
                base, done = result, seen
        for w in words:
            if w not in done:
                base = [r for r in base if w in r.haystack]
        self._recent = [(words, base)] + self._recent[: self.RECENT - 1]
        return base


class _Cells:
    """The cells of each row, for the table, without a list of 10,000 tuples per keystroke."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> tuple[str, ...]:
        return self.rows[index].cells


class BrokenFileScreen(ModalScreen[None]):
    """Why a session file cannot be opened; the file is not touched."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="browse.close")]

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


class BrowseScreen(SessionOps, StyledOnce, Screen):
    """All sessions. Keys: type to filter, ↓/Enter to the list, Enter opens."""

    CSS_PATH = CSS
    # Ctrl keys only: every printable key belongs to the filter.
    BINDINGS = [
        Binding("escape", "back", "Back", id="browse.back"),
        Binding("ctrl+f", "search", "Search", priority=True, id="browse.search"),
        Binding("ctrl+r", "review", "Review", tooltip="Time review", priority=True, id="browse.review"),
        Binding("ctrl+t", "people", "People", priority=True, id="browse.people"),
        Binding("ctrl+n", "next_meeting", "Next", tooltip="Next meeting", priority=True, id="browse.next"),
        Binding("ctrl+o", "edit", "Edit", priority=True, id="browse.edit"),
        # Not priority: in the filter, Delete and ctrl+z stay the field's own keys.
        Binding("f2", "rename_session", "Rename", id="browse.rename"),
        Binding("f8,delete", "delete_session", "Delete", id="browse.delete"),
        Binding("ctrl+z", "undo_delete", "Undo delete", show=False, id="browse.undo_delete"),
        Binding("f9", "trash", "Trash", show=False, id="browse.trash"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.rows: list[Row] = []
        self.shown: list[Row] = []
        self.loaded = False
        self._filter = RowFilter([])
        self._sessions = 0  # how many rows are sessions (the others: unreadable files, last)
        self._poll = None
        self._status = ""  # the status line's text

    def compose(self) -> ComposeResult:
        yield Static("Sessions", id="browse-title")
        yield LineInput(placeholder="Filter: type words in date, title, template, status… (↓ to the list)", id="browse-filter")
        yield ProgressBar(id="browse-progress", show_eta=False)
        # At 80 columns the Status column gives way first ("cancelled…"), then Template:
        # the Title is what a row is read by.
        yield SessionTable(list(zip(COLUMNS, WIDTHS)), flex=1, shrink=[(5, 10), (2, 11), (1, 14)], id="browse-table")
        yield Static("", id="browse-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#browse-filter", Input).cursor_blink = False
        self.query_one("#browse-progress", ProgressBar).display = False
        self._status = ""
        self.show_status("Loading sessions…")
        self.query_one("#browse-table", SessionTable).focus()
        self.call_after_refresh(self.refresh_sessions)  # after the first frame
        # A build already running (home started it) has its bar in the first frame: shown
        # by the first tick, it was a layout of the whole screen while the first keys typed.
        self._poll_progress()
        self._poll = self.set_interval(0.2, self._poll_progress)

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="browse-scan")
    def refresh_sessions(self, select: str | None = None) -> None:
        try:
            index = self.store.index()
            broken = self.store.newest(0)[0].broken
            rows = rows_of_index(index, broken) if self.store.root.exists() else _broken_rows(broken)
        except StoreError as e:
            self.app.call_from_thread(self._scan_failed, str(e))
            return
        self.app.call_from_thread(self._loaded, rows, select)

    def _poll_progress(self) -> None:
        """Show the index build's progress, whichever thread or process runs it (the app
        may have started it); nothing is drawn again while it has not moved."""
        from facilitator.index import index_for

        state = None if self.loaded else index_for(self.store.root).progress
        bar = self.query_one("#browse-progress", ProgressBar)
        if state is None or state[1] < 50:  # a few changed files need no bar
            if bar.display:
                bar.display = False
            if self.loaded and self._poll is not None:
                self._poll.stop()
                self._poll = None
            return
        done, total = state
        if not bar.display:
            bar.display = True
        if (bar.progress, bar.total) != (done, total):
            bar.update(total=total, progress=done)
        self.show_status(f"Indexing sessions: {done:,} of {total:,}…")

    def _scan_failed(self, message: str) -> None:
        self.show_status(f"cannot list sessions: {message}")
        self.loaded = True

    def _loaded(self, rows: list[Row], select: str | None) -> None:
        self.rows = rows
        self._filter = RowFilter(rows)
        self._sessions = sum(1 for r in rows if r.broken is None)
        self.loaded = True
        self.query_one("#browse-progress", ProgressBar).display = False
        self.apply_filter(select=select)

    def apply_filter(self, select: str | None = None) -> None:
        """Show the rows matching the filter; every step is as small as the rows shown
        (no pass over all 10,000 rows but the filter's own, see ``RowFilter``)."""
        table = self.query_one("#browse-table", SessionTable)
        query = self.query_one("#browse-filter", Input).value
        current = select or self.current_key()
        shown = self.shown = self._filter(query)
        cursor = next((n for n, r in enumerate(shown) if r.key == current), 0) if current is not None else 0
        broken = 0  # the unreadable files are the last rows
        while broken < len(shown) and shown[-1 - broken].broken is not None:
            broken += 1
        table.set_rows(_Cells(shown), set(range(len(shown) - broken, len(shown))), cursor=cursor)
        n_sessions = self._sessions
        n_broken = len(self.rows) - n_sessions
        status = f"{len(shown)} of {n_sessions} sessions" if query.strip() else f"{n_sessions} sessions"
        if n_broken:
            status += f" · {n_broken} unreadable file{'s' if n_broken != 1 else ''} (listed in red, left untouched)"
        elif n_sessions:  # the footer has no room for these at 80 columns
            status += (f" · {self.key_of('rename_session')} rename · {self.key_of('delete_session')} delete"
                       f" · {self.key_of('trash')} trash")
        self.show_status(status)

    def show_status(self, text: str) -> None:
        """The status line, laid out again only when its height may change: a layout of
        the whole screen per keystroke (or per progress tick) was most of its cost."""
        if text == self._status:
            return
        widget = self.query_one("#browse-status", Static)
        width = widget.content_region.width
        one_line = 0 < cell_len(text) <= width and 0 < cell_len(self._status) <= width
        self._status = text
        widget.update(Text(text), layout=not one_line)

    @on(Input.Changed, "#browse-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self.apply_filter()

    @on(Input.Submitted, "#browse-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one("#browse-table", SessionTable)
        table.focus()
        if len(self.shown) == 1:
            self.open_row(self.shown[0])

    def on_key(self, event) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "browse-filter" and event.key in ("down", "tab"):
            self.query_one("#browse-table", SessionTable).focus()
            event.stop()
            event.prevent_default()
        elif isinstance(focused, SessionTable) and event.key == "up" and focused.cursor_row == 0:
            self.query_one("#browse-filter", Input).focus()
            event.stop()
            event.prevent_default()
        elif isinstance(focused, SessionTable) and event.is_printable and event.character:
            # Type-ahead: every printable key starts (or extends) the filter; the
            # commands are ctrl keys, so no letter is ever taken for one.
            filt = self.query_one("#browse-filter", Input)
            filt.focus()
            filt.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
        elif isinstance(focused, SessionTable) and event.key == "backspace":
            filt = self.query_one("#browse-filter", Input)
            filt.focus()
            filt.action_delete_left()
            event.stop()
            event.prevent_default()

    # -- the selected row -------------------------------------------------------------
    def current_key(self) -> str | None:
        table = self.query_one("#browse-table", SessionTable)
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

    @on(SessionTable.RowSelected, "#browse-table")
    def _row_selected(self, event: SessionTable.RowSelected) -> None:
        if 0 <= event.index < len(self.shown):
            self.open_row(self.shown[event.index])

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
        self.app.call_from_thread(self._warn_same_day, new.id, new.date)
        self.app.call_from_thread(self._after_next, new.id)

    def _warn_same_day(self, session_id: str, date: str) -> None:
        warning = self.same_day_warning(session_id, date)
        if warning:
            self.notify(warning, title="Two meetings on one day", severity="warning", timeout=12, markup=False)

    def _after_next(self, new_id: str) -> None:
        self.refresh_sessions(select=new_id)

    # -- rename, delete, undo (SessionOps) ----------------------------------------------
    def selected_session(self) -> tuple[str, str] | None:
        row = self.current_row()
        if row is None:
            self.notify("No session selected.")
            return None
        if row.broken is not None:
            self.notify("An unreadable file is left untouched: fix or move it by hand.", timeout=6)
            return None
        shown = id_suffix(row.key, row.cells[0])
        title = row.cells[1].removeprefix(f"{shown} · ") if shown else row.cells[1]
        return row.key, f"{row.key} ({row.cells[0]} · {title})"

    def sessions_changed(self, select: str | None = None, gone: str | None = None) -> None:
        if select is None and gone is not None:  # the row below takes the deleted one's place
            keys = [r.key for r in self.shown]
            if gone in keys:
                at = keys.index(gone)
                rest = keys[at + 1:] + keys[:at][::-1]
                select = rest[0] if rest else None
        self.refresh_sessions(select=select)
