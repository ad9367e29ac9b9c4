"""Importing a team's yearly archive from inside the app, with progress.

A 2 MB archive takes a second or more to parse: the work runs in a thread worker and the
screen shows how far it got, so the app never freezes and the user sees it is working.
A file whose meetings have no date the importer can read is refused with the reason;
the screen then asks for the day (or, for dates like 03.04.21, the order the team writes
them in), as ``import --date`` / ``--date-order`` do on the command line.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from facilitator.widgets.inputs import LineInput

PHASES = {"reading": "Reading meetings", "saving": "Saving sessions"}


class ImportArchiveScreen(ModalScreen[list[str] | None]):
    """Ask for a Markdown file, import its meetings, dismiss with their ids (None if cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import_archive.cancel")]
    DEFAULT_CSS = """
    ImportArchiveScreen { align: center middle; }
    #import-box { width: 80%; max-width: 90; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    #import-status { height: auto; margin-top: 1; }
    #import-progress { margin-top: 1; }
    """

    asking_date: reactive[bool] = reactive(False)  # the file's meetings need a day from the user

    def __init__(self, store, path: str = "") -> None:
        super().__init__()
        self.store = store
        self.initial_path = path
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(Text("Import meetings from a Markdown file", style="bold"))
            yield Static(
                Text("A yearly archive (one session per dated heading) or one meeting's document.", style="dim")
            )
            yield LineInput(value=self.initial_path, placeholder="path/to/2024.md — Enter imports", id="import-path")
            yield LineInput(placeholder="the meetings' day YYYY-MM-DD, or dmy / mdy — Enter imports", id="import-date")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-date", Input).display = False
        self.query_one("#import-path", Input).focus()

    def watch_asking_date(self, asking: bool) -> None:
        box = self.query_one("#import-date", Input)
        box.display = asking
        if asking:
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = self.query_one("#import-path", Input).value.strip()
        if self.busy or not path:
            return
        from facilitator.importer import read_date_answer

        try:
            date, order = read_date_answer(self.query_one("#import-date", Input).value) if self.asking_date else (None, None)
        except ValueError as exc:
            self._status(str(exc))
            return
        self.busy = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status(f"Importing {path}…")
        self.run_import(Path(path).expanduser(), date, order)

    def _status(self, message: str) -> None:
        self.query_one("#import-status", Static).update(Text(message))

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self._status(f"{PHASES.get(phase, phase)}: {done} of {total}")

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path, date: str | None = None, order: str | None = None) -> None:
        from facilitator.importer import ImportFailed, import_file
        from facilitator.store import StoreError
        from facilitator.templates import TemplateError

        def progress(phase: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, phase, done, total)

        try:
            tset = getattr(self.app, "templates", None)  # the user's own templates read too
            result = import_file(
                self.store, path, progress=progress, templates=getattr(tset, "templates", None), date=date, date_order=order
            )
        except ImportFailed as exc:
            if exc.undated:
                self.app.call_from_thread(self._ask_date, path, exc.undated, exc.ambiguous)
            else:
                self.app.call_from_thread(self._failed, str(exc))
            return
        except (StoreError, TemplateError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, result.ids, result.replaced)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#import-progress", ProgressBar).display = False
        self._status(f"Could not import: {message}")
        self.query_one("#import-path", Input).focus()

    def _ask_date(self, path: Path, undated: list[str], ambiguous: bool) -> None:
        """Nothing was saved: say which meetings have no day, and ask for it."""
        self.busy = False
        self.query_one("#import-progress", ProgressBar).display = False
        ask = "type their day (YYYY-MM-DD)"
        if ambiguous:
            ask += ", or dmy / mdy to read dates like 03.04.21 day first or month first"
        self._status(f"Could not import {path.name}: {'; '.join(undated)}. Nothing was saved: {ask}, then Enter.")
        self.asking_date = True

    def _done(self, ids: list[str], replaced: int) -> None:
        self.busy = False
        new = len(ids) - replaced
        detail = f" ({replaced} updated)" if replaced else ""
        self.app.notify(f"Imported {len(ids)} meeting{'s' if len(ids) != 1 else ''}: {new} new{detail}.")
        self.dismiss(ids)

    def action_cancel(self) -> None:
        if not self.busy:  # an import under way finishes: half an import is worse than a wait
            self.dismiss(None)
