"""Merge the pad back: paste (or name a file holding) the shared pad, see what it adds, apply."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from facilitator.widgets.footer import KeysFooter
from textual.widgets import Input, Static, TextArea

from facilitator.sanitize import clean
from facilitator.widgets.inputs import LineInput


class MergePadScreen(Screen):
    """Read the pad (clipboard or file), preview the changes as literal text, apply under the lock."""

    BINDINGS = [
        Binding("ctrl+l", "read_pad", "Read the pad", id="merge_pad.read"),
        Binding("ctrl+s", "apply", "Apply the changes", id="merge_pad.apply"),
        Binding("escape", "back", "Back", priority=True, id="merge_pad.back"),
    ]
    ACTION_HELP = {
        "read_pad": "read the pad from the file named in the box, or from the clipboard when it is empty",
        "apply": "add the previewed attendees, entries and notes to the session",
        "back": "back without changing anything",
    }

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.pad_text: str | None = None
        self.changes: list[str] = []
        self.applied = False

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-pad"):
            yield Static(Text(f"Merge the shared pad into {self.session_id}", style="bold"), id="merge-pad-title")
            with Horizontal(id="merge-pad-source"):
                yield LineInput(placeholder="the pad saved as a file (empty: the clipboard), then ctrl+l", id="pad-path")
            yield TextArea("", read_only=True, soft_wrap=True, id="merge-preview")
            yield Static(Text("ctrl+l read the pad · ctrl+s apply · Esc back", style="dim"), id="merge-pad-status")
        yield KeysFooter()

    def _status(self, message: str, severity: str = "information") -> None:
        self.query_one("#merge-pad-status", Static).update(Text(message))
        self.app.notify(message, severity=severity, timeout=5, markup=False)

    def _plan(self):
        from facilitator import padmerge

        session = self.app.store.load(self.session_id)
        return padmerge.plan_merge(session, self.pad_text or "", self.app.template_named(session.template))

    def action_read_pad(self) -> None:
        from facilitator import prepare
        from facilitator.clipboard import paste_text
        from facilitator.importer import read_text_file

        raw = self.query_one("#pad-path", Input).value.strip()
        try:
            if raw:
                text = read_text_file(Path(raw).expanduser(), "pad file")
            else:
                text, reason = paste_text()
                if text is None:
                    self._status(f"Cannot read the clipboard: {reason}. Save the pad to a file and name it above.", "error")
                    return
            self.pad_text = text
            plan = self._plan()
        except Exception as exc:  # a bad file or a broken session: say so, change nothing
            self._status(f"Cannot read the pad: {exc}", "error")
            return
        self.changes = plan.changes
        preview = "\n".join(plan.changes) if plan.changes else "The pad adds nothing new."
        self.query_one("#merge-preview", TextArea).load_text(clean(preview))
        self._status(f"{len(plan.changes)} change(s) to apply (ctrl+s)." if plan.changes else "Nothing new in the pad.")

    def action_apply(self) -> None:
        from facilitator.store import StoreError

        if not self.changes:
            self._status("Read the pad first (ctrl+l); there is nothing to apply.")
            return
        try:
            with self.app.store.lock(self.session_id):
                plan = self._plan()  # the newest saved state, under the lock
                if plan.merged is not None and plan.changes:
                    self.app.store.save(plan.merged)
        except (StoreError, OSError, ValueError) as exc:
            self._status(f"Not applied: {exc}", "error")
            return
        self.applied = True
        self.changes = []
        self._status(f"Merged {len(plan.changes)} change(s) into {self.session_id}.")

    def action_back(self) -> None:
        self.app.pop_screen()
