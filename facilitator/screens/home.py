"""Home: start a new meeting from a template, or resume / open a session."""

from __future__ import annotations

import threading
from collections import namedtuple
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from facilitator.widgets.buttons import PlainButton
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.inputs import LineInput
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.ids import shown_id
from facilitator.screens.session_ops import SessionOps
from facilitator.screens.styled_once import StyledOnce

if TYPE_CHECKING:
    from facilitator.widgets.notes import NotesArea


HOME_SESSIONS = 100  # the newest sessions listed on home

# The rows of the first frame, read from the index file as it is (``index.peek_newest``)
# without the data layer: the fields of ``summaries.SessionSummary``, ``BrokenFile`` and
# ``ScanResult``, in their order, so the rows compare with the fresh ones that follow.
IndexedRow = namedtuple("IndexedRow", "id date heading title template status attendees agenda_items "
                                      "archived_in path mtime cancelled breakout_rooms")
IndexedBroken = namedtuple("IndexedBroken", "path reason")
IndexedScan = namedtuple("IndexedScan", "sessions broken")
_ROW_FIELDS = IndexedRow._fields


def first_frame_rows(height: int) -> int:
    """How many of the newest rows home's first frame holds at ``height`` lines: as many
    as the list can show (two lines each), not all HOME_SESSIONS. A hundred options were
    ~8 ms of that frame at 10,000 sessions; the others come with the fresh rows after it."""
    return max(1, min(HOME_SESSIONS, height // 2 + 1))


class HomeScreen(SessionOps, StyledOnce, Screen):
    BINDINGS = [
        Binding("ctrl+s", "create", "Create", tooltip="Create meeting", priority=True, id="home.create"),
        Binding("ctrl+o", "open_selected", "Open", tooltip="Open session", priority=True, id="home.open_selected"),
        Binding("ctrl+b", "browse", "History", tooltip="Browse history", priority=True, id="home.browse"),
        Binding("ctrl+l", "import_file", "Import", tooltip="Import agenda file", priority=True, id="home.import_file"),
        Binding("ctrl+g", "paste", "Paste", tooltip="Paste agenda", priority=True, id="home.paste"),
        Binding("slash", "app.search", "Search all sessions", show=False, id="home.app_search"),
        Binding("ctrl+t", "prepare", "Prepare (issue, pad, reminders)", show=False, priority=True, id="home.prepare"),
        # Not priority: typing in the agenda box keeps its own ctrl+z (undo typing).
        Binding("f2", "rename_session", "Rename session", show=False, id="home.rename"),
        Binding("f8", "delete_session", "Delete session (to the trash)", show=False, id="home.delete"),
        Binding("ctrl+z", "undo_delete", "Undo delete", show=False, id="home.undo_delete"),
        Binding("f9", "trash", "Trash (restore a session)", show=False, id="home.trash"),
    ]
    ACTION_HELP = {
        "create": "create the meeting from the template, date and agenda, and open it",
        "open_selected": "open the session selected on the right (Enter there does it too)",
        "browse": "past meetings: browse, search, stats",
        "import_file": "read the agenda from the Markdown file named in the path box",
        "paste": "read the agenda from the system clipboard",
        "app.search": "search every session's notes (ctrl+f anywhere; / here)",
        "prepare": "the selected session's meeting issue, pad skeleton and reminders, each copied with one key",
        "rename_session": "give the selected session another id (its file name); never replaces another",
        "delete_session": "move the selected session to the trash (.trash/ in the sessions directory), after asking",
        "undo_delete": "bring back the session deleted last (outside the agenda box)",
        "trash": "the deleted sessions; Enter restores one",
    }

    def __init__(self) -> None:
        super().__init__()
        self.template_names: list[str] = []
        self.session_ids: list[str] = []
        self.session_rows: list = []  # the SessionSummary of each id above
        # What to highlight once the list is read again: a session id, a row (int), or the first.
        self._select: str | int | None = None
        self._lists_loaded = False
        self.broken: list = []  # BrokenFile rows, listed after the sessions
        self._poll = None  # the timer showing an index build's progress
        self._sessions_shown = False
        self._hints: tuple[str, str] | None = None  # the sessions hint: wide and narrow forms
        self._early_rows = False  # the rows shown are the index's, before its look at the files
        self._indexed: tuple[IndexedScan, int] | None = None  # the first frame's rows (peek_newest)
        self._left = False  # another screen was pushed over home since it was last shown
        self._agenda_mounted = False  # the agenda editor has replaced the first frame's stand-in

    def compose(self) -> ComposeResult:
        # The size classes before any child is styled: set from on_mount each restyled
        # every widget of home again (~13 ms each at 80x24).
        narrow = self._fit_classes(self.app.size.width, self.app.size.height)
        with Horizontal(id="home"):
            with Vertical(id="home-new"):
                yield Static(Text("New meeting", style="bold"), classes="pane-title")
                yield OptionList(id="templates")
                with Horizontal(classes="field"):
                    yield Static("Date", classes="field-label")
                    yield LineInput(self.app.today(), id="date")
                yield Static(self._agenda_note(narrow), id="agenda-note", classes="field-note")
                # The agenda editor (a TextArea: ~12 ms of imports, its mount and paint) comes
                # right after the first frame, in place of a box drawn as it is when empty.
                with Vertical(id="agenda-stand-in"):
                    yield Static("", classes="cursor-line")
                with Horizontal(classes="field"):
                    yield LineInput(placeholder=self._import_placeholder(narrow), id="import-path")
                    yield PlainButton(self._paste_label(narrow), id="paste")
                yield PlainButton("Create meeting (ctrl+s)", id="create", variant="primary")
            with Vertical(id="home-sessions"):
                yield Static(Text("Sessions — newest first", style="bold"), classes="pane-title")
                yield OptionList(id="sessions")
                yield Static("", id="sessions-hint", markup=False, classes="hint")
        yield KeysFooter()

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)

    def on_mount(self) -> None:
        self._show_indexed()
        self.call_after_refresh(self._mount_agenda)
        self.call_after_refresh(self.load_lists)

    def _mount_agenda(self, text: str = "") -> NotesArea | None:
        """Put the agenda editor (holding ``text``) where the first frame's stand-in is;
        the editor, or None if it was there already (a flag, not a query: the stand-in's
        removal is only done at the next turn of the loop)."""
        if self._agenda_mounted:
            return None
        self._agenda_mounted = True
        from facilitator.widgets.notes import NotesArea

        stand_in = self.query_one("#agenda-stand-in")
        area = NotesArea(text, continue_bullets=False, id="agenda-input")
        area.cursor_blink = self.app.blink
        stand_in.parent.mount(area, after=stand_in)
        stand_in.remove()
        return area

    def _agenda_text(self) -> str:
        """What the agenda editor holds ("" before it replaced its stand-in: nothing typed)."""
        for area in self.query("#agenda-input"):
            return area.text
        return ""

    def _set_agenda_text(self, text: str) -> NotesArea:
        """The agenda editor, now holding ``text`` (mounted with it if still a stand-in)."""
        from facilitator.widgets.notes import NotesArea

        area = self._mount_agenda(text)
        if area is None:
            area = self.query_one("#agenda-input", NotesArea)
            area.load_text(text)
        return area

    def _show_indexed(self) -> None:
        """The newest rows as last seen, in the first frame: those home kept
        (``facilitator.first_rows``, well under a millisecond), else the index file's (a
        few ms of SQLite); no store, model or TOML import, no look at the files. The look
        at every file follows in a thread and replaces them only if a file changed."""
        from facilitator import first_rows

        root = self.app.sessions_dir
        limit = first_frame_rows(self.app.size.height)
        kept = first_rows.read(root, limit)
        if kept is not None:
            rows, total, broken = kept
        else:
            from facilitator.index import peek_newest

            peek = peek_newest(root, limit)
            if peek is None:  # no index yet (or not of this version): the thread reads the files
                return
            rows, total, broken = peek
            # In the kept rows' order: the mtime, in seconds as the store gives it, before the note.
            rows = [(*r[:10], r[11] / 1e9, r[10], r[12]) for r in rows]
        result = IndexedScan(
            [IndexedRow(sid, date, heading, title, template, status, attendees, agenda_items,
                        archived_in, root / name, mtime, cancelled, rooms)
             for (name, sid, date, heading, title, template, status, attendees, agenda_items,
                  archived_in, mtime, cancelled, rooms) in rows],
            [IndexedBroken(root / name, reason) for name, reason in broken],
        )
        self._indexed = (result, total)
        self._show_sessions(result, total, final=False)

    def _fit(self, width: int, height: int) -> None:
        """At 24 rows the template list gives way, so the Create button stays on screen;
        below 100 columns labels and hints take their short forms, so nothing is cut."""
        narrow = self._fit_classes(width, height)
        self.query_one("#import-path", Input).placeholder = self._import_placeholder(narrow)
        self.query_one("#paste", Button).label = self._paste_label(narrow)
        self.query_one("#agenda-note", Static).update(self._agenda_note(narrow))
        self._show_hint()

    def _fit_classes(self, width: int, height: int) -> bool:
        """Home's -short and -narrow classes for the size; True when narrow."""
        narrow = width < 100
        self.set_class(height < 30, "-short")
        self.set_class(narrow, "-narrow")
        return narrow

    @staticmethod
    def _import_placeholder(narrow: bool) -> str:
        return "…or a .md file (ctrl+l)" if narrow else "…or a Markdown file (ctrl+l)"

    @staticmethod
    def _agenda_note(narrow: bool) -> Text:
        """The line over the agenda box, short below 100 columns so it does not wrap."""
        if narrow:
            return Text("One item a line: **Min (10m):** Topic", style="dim")
        return Text("Agenda (optional): one item a line, e.g. **Min (10m):** Binder federation", style="dim")

    @staticmethod
    def _paste_label(narrow: bool) -> str:
        return "Paste ^g" if narrow else "Paste (ctrl+g)"

    def _show_hint(self) -> None:
        if self._hints is not None:
            wide, short = self._hints
            self.query_one("#sessions-hint", Static).update(Text(short if self.has_class("-narrow") else wide))

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Back from a meeting (or any screen over home): its file may have changed. Not on
        # the first show (load_lists does it): a second load would race the first.
        if self._lists_loaded and self._left:
            self._left = False
            self.load_sessions()

    def load_lists(self) -> None:
        # The sessions first: their thread reads the index while the templates load here.
        # With rows in the first frame (from the index file) the thread only looks at the files.
        self.load_sessions(as_indexed=self._indexed is None)
        ts = self.app.templates
        from facilitator.templates import DEFAULT_TEMPLATE

        names = sorted(ts.templates, key=lambda n: (n != DEFAULT_TEMPLATE, n))
        self.template_names = names
        self._lists_loaded = True
        lst = self.query_one("#templates", OptionList)
        options = []
        for n in names:
            t = ts.templates[n]
            label = Text(t.label, style="bold")
            if t.description:
                label.append("\n  " + t.description, style="dim")
            options.append(Option(label))
        lst.set_options(options)
        if names:
            lst.highlighted = 0
        for err in ts.errors:
            self.app.notify(err, title="Template skipped", severity="warning", timeout=8, markup=False)
        lst.focus()

    def load_sessions(self, select: str | int | None = None, as_indexed: bool = False) -> None:
        """Fill the sessions list from the index, in a thread (a first index build of
        thousands of sessions must not freeze the screen); ``select`` is highlighted.

        With ``as_indexed`` (the first load) the rows the index holds are shown at once and
        again once it has looked at every file, if a file changed meanwhile: listing
        10,000 files is most of the wait. Back from a meeting (whose file just changed)
        only the fresh rows are shown."""
        self._select = select
        self._sessions_shown = False
        if self._poll is None:
            self._poll = self.set_interval(0.2, self._poll_progress)
        shown, self._indexed = self._indexed, None  # the first frame's rows, compared once
        self._load_sessions_worker(as_indexed, shown)

    @work(thread=True, exclusive=True, group="home-sessions")
    def _load_sessions_worker(self, as_indexed: bool = False, shown: tuple | None = None) -> None:
        from facilitator.store import StoreError

        store = self.app.store
        try:
            early = store.newest_as_indexed(HOME_SESSIONS) if as_indexed else shown
            if early is not None and early is not shown:
                painted = threading.Event()
                self.app.call_from_thread(self._show_early, early, painted)
                # The look at every file waits for the rows' frame: both want the one core
                # Python gives the two threads (at most a second: a frame may never come).
                painted.wait(1.0)
            fresh = store.newest(HOME_SESSIONS)
        except StoreError as e:
            self.app.call_from_thread(self.query_one("#sessions-hint", Static).update, Text(str(e)))
            return
        if early is None or not _same_rows(fresh, early):
            self.app.call_from_thread(self._show_sessions, *fresh)
        else:
            self.app.call_from_thread(self._sessions_fresh, fresh)
        store.keep_first_rows(*fresh)  # for the next first frame (if they changed)

    def _show_early(self, early, painted) -> None:
        self._show_sessions(*early, final=False)
        self.call_after_refresh(painted.set)

    def _sessions_fresh(self, fresh) -> None:
        """The rows shown were up to date: the progress poll may stop."""
        self._sessions_shown = True
        self._select = None
        self._early_rows = False
        result, _total = fresh
        if [s.id for s in result.sessions] == self.session_ids:  # the store's own rows from now on
            self.session_rows = list(result.sessions)
            self.broken = list(result.broken)

    def _poll_progress(self) -> None:
        """An index build of many sessions (in whichever thread or process) shows as a bar
        and a count; a tick that changes nothing draws nothing, and no layout is redone
        for the count's one line (a whole-screen layout per tick slowed typing meanwhile).
        Nothing while another screen is on top (the history list, say): Textual passes a
        change to the screen below on to the one on top as a repaint, the whole screen's
        when a layout was redone, five times a second while typing there."""
        if not self.is_active:  # (``is_current`` is true below any screen: Textual counts it visible)
            return
        from facilitator.index import index_for

        state = index_for(self.app.store.root).progress
        bars = self.query("#sessions-progress")
        if state is not None and state[1] >= 50:
            done, total = state
            if bars and (bars.first().progress, bars.first().total) == (done, total):
                return
            hint = self.query_one("#sessions-hint", Static)
            text = f"Indexing sessions: {done:,} of {total:,}…"
            hint.update(Text(text), layout=not bars or len(text) > hint.content_region.width)
            if not bars:  # mounted only when needed: not a widget of the first frame
                from textual.widgets import ProgressBar

                bar = ProgressBar(id="sessions-progress", show_eta=False)
                self.query_one("#home-sessions").mount(bar, before=self.query_one("#sessions"))
            else:
                bar = bars.first()
            bar.update(total=total, progress=done)
        elif self._poll is not None and self._sessions_shown:
            bars.remove()
            self._poll.stop()
            self._poll = None

    def _show_sessions(self, result, total: int, final: bool = True) -> None:
        """The rows; ``final`` when the index had looked at every file first."""
        self._sessions_shown = final
        lst = self.query_one("#sessions", OptionList)
        options = []
        at = lst.highlighted
        on_row = self.session_ids[at] if self._early_rows and at is not None and at < len(self.session_ids) else None
        self._early_rows = not final
        self.session_ids = []
        self.session_rows = []
        # The newest few: an OptionList of 10,000 two-line options would cost seconds;
        # the history browser (ctrl+b) lists them all.
        for s in result.sessions:
            label = Text()
            # The mark on the first line, the word on the second: "○ planned " before the
            # date and title wrapped the first line at 80 columns.
            state = {"live": ("● ", "bold green"), "planned": ("○ ", "yellow")}.get(s.status)
            if state:
                label.append(*state)
            label.append(s.date, style="bold")
            label.append(f"  {s.title or s.heading}")
            # A second meeting of a day (or a renamed one) shows its id: never two rows alike.
            shown = shown_id(s.id, s.date)
            label.append(f"\n  {shown} · " if shown else "\n  ", style="dim")
            if state:  # "planned · collab-cafe · 3 items", "live · 4 people · 3 items": fits 80 columns
                label.append(s.status, style=state[1])
                label.append(f" · {s.attendees} people" if s.status == "live" else f" · {s.template}", style="dim")
                detail = f" · {s.agenda_items} items"
            elif s.status == "cancelled":
                detail = "cancelled" + (f": {s.cancelled}" if s.cancelled else "")
            else:
                detail = f"{s.template} · {s.attendees} people · {s.agenda_items} items"
            if s.archived_in:
                detail += " · archived"
            label.append(detail, style="dim")
            options.append(Option(label))
            self.session_ids.append(s.id)
            self.session_rows.append(s)
        self.broken = list(result.broken)
        for b in self.broken:
            label = Text(b.path.name, style="bold red")
            label.append(f"\n  unreadable: {b.reason}", style="red")
            options.append(Option(label))
        previous = lst.highlighted or 0
        lst.set_options(options)
        select = self._select if self._select is not None else on_row  # the fresh rows keep the row the user is on
        if final:
            self._select = None
        if options:
            if isinstance(select, int):  # after a delete: the row that took its place
                lst.highlighted = min(previous, len(options) - 1)
            else:
                lst.highlighted = self.session_ids.index(select) if select in self.session_ids else 0
        # The footer has no room for these at 80 columns (the short form drops what it shows).
        keys = (f"{self.key_of('rename_session')} rename · "
                f"{self.key_of('delete_session')} delete · {self.key_of('trash')} trash")
        hint = "Enter opens · ctrl+t prepare · " + keys
        short = "Enter opens · ^t prepare · " + keys
        # The first frame's rows may be only those on screen (first_frame_rows): the hint
        # says what the list holds a moment later.
        listed = len(self.session_ids) if final else max(len(self.session_ids), min(total, HOME_SESSIONS))
        if total > listed:
            hint = f"The newest {listed} of {total:,} · " + hint
            short = f"Newest {listed} of {total:,} · " + short
        hint += " · ctrl+b history · ctrl+f or / search"
        short += " · / search"
        if result.broken:
            hint += f" · {len(result.broken)} unreadable file(s) listed in red, left untouched"
            short += f" · {len(result.broken)} unreadable (red)"
        if not options:
            hint = short = "No sessions yet in " + str(self.app.store.root)
        self._hints = (hint, short)
        self._show_hint()

    # -- new meeting ---------------------------------------------------------------
    def selected_template(self):
        lst = self.query_one("#templates", OptionList)
        if not self.template_names:
            return self.app.template_named("")
        idx = lst.highlighted if lst.highlighted is not None else 0
        return self.app.templates.templates[self.template_names[idx]]

    @on(OptionList.OptionSelected, "#templates")
    def template_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#date", Input).focus()

    @on(Input.Submitted, "#date")
    def date_done(self, event: Input.Submitted) -> None:
        event.stop()
        area = self._mount_agenda()
        (area or self.query_one("#agenda-input")).focus()

    @on(Input.Submitted, "#import-path")
    def import_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_import_file()

    def action_create(self) -> None:
        from facilitator.model import date_key
        from facilitator.templates import new_session

        tpl = self.selected_template()
        date = self.query_one("#date", Input).value.strip()
        if date_key(date) == (0, 0, 0):
            self.app.notify("The date must look like 2025-01-21.", severity="error", timeout=5)
            self.query_one("#date", Input).focus()
            return
        text = self._agenda_text()
        items = []
        if text.strip():
            from facilitator.agenda_input import read_agenda

            read = read_agenda(text, tpl)
            items = read.items
            for message in read.messages:
                self.app.notify(f"Agenda: {message}", timeout=6, markup=False)
        store = self.app.store
        session = new_session(tpl, store.make_id(date), date=date, agenda=items)
        if self.app.open_new_session(session):
            if self._agenda_text():
                self._set_agenda_text("")
            warning = self.same_day_warning(session.id, date)
            if warning:
                self.app.notify(warning, title="Two meetings on one day", severity="warning", timeout=12, markup=False)

    def action_import_file(self) -> None:
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self.app.notify("Type the path of a Markdown file in the box first.", timeout=4)
            self.query_one("#import-path", Input).focus()
            return
        path = Path(raw).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.app.notify(f"Cannot read {path}: {e}", severity="error", timeout=6, markup=False)
            return
        self._set_agenda(text, f"Imported {path.name}")

    def _set_agenda(self, text: str, message: str) -> None:
        from facilitator.text_offsets import normalise_newlines

        self._set_agenda_text(normalise_newlines(text)).focus()
        self.app.notify(message, timeout=3, markup=False)

    def action_paste(self) -> None:
        self._paste_worker()

    @work(thread=True, exclusive=True, group="paste")
    def _paste_worker(self) -> None:
        from facilitator.clipboard import paste_text

        # The same reading (and the same one-line reasons, no library URL) as the pad merge.
        pasted, error = paste_text()
        text = pasted or ""
        if text:
            self.app.call_from_thread(self._set_agenda, text, "Pasted the agenda from the clipboard")
        else:
            why = f" ({error})" if error else ""
            self.app.call_from_thread(
                self.app.notify,
                f"Nothing to paste from the system clipboard{why}. Paste into the agenda box with your terminal instead (ctrl+shift+v).",
                severity="warning",
                timeout=6,
                markup=False,
            )

    @on(Button.Pressed, "#paste")
    def paste_pressed(self) -> None:
        self.action_paste()

    @on(Button.Pressed, "#create")
    def create_pressed(self) -> None:
        self.action_create()

    # -- existing sessions ---------------------------------------------------------
    @on(OptionList.OptionSelected, "#sessions")
    def session_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_row(event.option_index)

    def action_open_selected(self) -> None:
        lst = self.query_one("#sessions", OptionList)
        if lst.highlighted is not None:
            self._open_row(lst.highlighted)

    def action_prepare(self) -> None:
        """Open the prepare screen on the highlighted session (before its call)."""
        lst = self.query_one("#sessions", OptionList)
        index = lst.highlighted
        if index is None or not 0 <= index < len(self.session_ids):
            self.app.notify("Select a session on the right first.", timeout=4)
            return
        from facilitator.screens.prepare import PrepareScreen
        from facilitator.store import StoreError

        try:
            session = self.app.store.load(self.session_ids[index])
        except (StoreError, ValueError, OSError) as exc:
            self.app.notify(str(exc), severity="error", timeout=6, markup=False)
            return
        self.app.push_screen(PrepareScreen(session, self.app.template_named(session.template)))

    def _open_row(self, index: int) -> None:
        if 0 <= index < len(self.session_ids):
            # a cancelled one opens read-only (App.open_session decides)
            self.app.open_session(self.session_ids[index])
            return
        index -= len(self.session_ids)
        if 0 <= index < len(self.broken):
            from facilitator.screens.browse import BrokenFileScreen

            self.app.push_screen(BrokenFileScreen(self.broken[index]))

    def action_browse(self) -> None:
        from facilitator.screens.browse import BrowseScreen

        def opened(result) -> None:
            if isinstance(result, str) and result:
                self.app.open_session(result)

        self.app.push_screen(BrowseScreen(self.app.store), opened)

    # -- rename, delete, undo (SessionOps) -------------------------------------------
    def selected_session(self) -> tuple[str, str] | None:
        lst = self.query_one("#sessions", OptionList)
        index = lst.highlighted
        if index is not None and 0 <= index < len(self.session_ids):
            s = self.session_rows[index]
            return s.id, f"{s.id} ({s.date} · {s.title or s.heading})"
        if index is not None and 0 <= index - len(self.session_ids) < len(self.broken):
            self.app.notify("An unreadable file is left untouched: fix or move it by hand.", timeout=6)
        else:
            self.app.notify("Select a session on the right first.", timeout=4)
        return None

    def sessions_changed(self, select: str | None = None, gone: str | None = None) -> None:
        self.load_sessions(select if select is not None or gone is None else -1)


def _same_rows(a: tuple, b: tuple) -> bool:
    """Whether two (scan, total) show the same: every field of every row (a store's
    ``SessionSummary`` or an ``IndexedRow``), the unreadable files and the count."""
    (scan_a, total_a), (scan_b, total_b) = a, b
    if total_a != total_b or len(scan_a.sessions) != len(scan_b.sessions):
        return False
    if [(x.path, x.reason) for x in scan_a.broken] != [(x.path, x.reason) for x in scan_b.broken]:
        return False
    return all(getattr(x, f) == getattr(y, f) for x, y in zip(scan_a.sessions, scan_b.sessions) for f in _ROW_FIELDS)
