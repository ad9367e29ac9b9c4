"""Prepare: before the call, the meeting issue, the pad skeleton and the reminders, each one key to copy."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from facilitator.widgets.footer import KeysFooter
from textual.widgets import Static, TabbedContent, TabPane, TextArea

# (tab id, tab title, what it is) in the order of the keys 1-4
TEXTS = (
    ("issue", "Issue", "the meeting issue"),
    ("pad", "Pad", "the pad skeleton"),
    ("remind-1w", "Reminder: 1 week", "the reminder a week before"),
    ("remind-1d", "Reminder: 1 day", "the reminder a day before"),
)


def prepared_texts(session, template) -> dict[str, str]:
    """Each text, or the one line saying which team setting it lacks."""
    from facilitator import prepare
    from facilitator.sanitize import clean
    from facilitator.team import TeamError

    makers = {
        "issue": lambda: prepare.issue_text(session, template),
        "pad": lambda: prepare.pad_text(session, template),
        "remind-1w": lambda: prepare.remind_text(session, template, "1w"),
        "remind-1d": lambda: prepare.remind_text(session, template, "1d"),
    }
    out = {}
    for key, make in makers.items():
        try:
            out[key] = clean(make())
        except (TeamError, ValueError) as exc:
            out[key] = f"Cannot write this yet: {exc}"
    return out


class PrepareScreen(Screen):
    """Read-only previews (literal text, never markup); keys copy them with the app's copy chain."""

    BINDINGS = [
        Binding("1", "copy('issue')", "Issue", tooltip="Copy issue", priority=True, id="prepare.copy_issue"),
        Binding("2", "copy('pad')", "Pad", tooltip="Copy pad", priority=True, id="prepare.copy_pad"),
        Binding("3", "copy('remind-1w')", "1w reminder", tooltip="Copy 1w reminder", priority=True, id="prepare.copy_remind_week"),
        Binding("4", "copy('remind-1d')", "1d reminder", tooltip="Copy 1d reminder", priority=True, id="prepare.copy_remind_day"),
        Binding("m", "merge_pad", "Merge pad", tooltip="Merge the pad back", priority=True, id="prepare.merge_pad"),
        Binding("escape", "back", "Back", priority=True, id="prepare.back"),
    ]
    ACTION_HELP = {
        "copy": "copy this text to the clipboard",
        "merge_pad": "after the call: read the shared pad back into the session (preview first)",
        "back": "back to where you came from",
    }

    def __init__(self, session, template) -> None:
        super().__init__()
        self.session = session
        self.template = template
        self.texts = prepared_texts(session, template)
        self.copied: list[str] = []  # what was copied, in order (for the status line and tests)

    def compose(self) -> ComposeResult:
        team = self.template.team
        with Vertical(id="prepare"):
            title = Text(f"Prepare: {self.template.meeting_title} on {self.session.date}", style="bold")
            if self.session.issue:
                title.append(f"  (issue #{self.session.issue})", style="dim")
            yield Static(title, id="prepare-title")
            yield Static(Text(self._when_line(team)), id="prepare-when")
            with TabbedContent(id="prepare-tabs"):
                for n, (key, label, _what) in enumerate(TEXTS, 1):
                    with TabPane(f"{n} {label}", id=f"tab-{key}"):
                        yield TextArea(self.texts[key], read_only=True, soft_wrap=True, id=f"text-{key}")
            yield Static(Text("1-4 copy a text · m merge the pad back after the call · Esc back", style="dim"), id="prepare-status")
        yield KeysFooter()

    def _when_line(self, team) -> str:
        from facilitator import prepare
        from facilitator.team import TeamError

        try:
            day = prepare.meeting_day(self.session)
            return f"{prepare.long_date(day)}, {prepare.when(team, day).line()}"
        except (TeamError, ValueError) as exc:
            return str(exc)

    def action_copy(self, key: str) -> None:
        text = self.texts.get(key, "")
        what = next((w for k, _l, w in TEXTS if k == key), key)
        self.query_one("#prepare-tabs", TabbedContent).active = f"tab-{key}"
        if text.startswith("Cannot write this yet:"):
            self._status(text, "error")
            return
        from facilitator.clipboard import copy_text

        copy = self.app.copy_function or copy_text
        result = copy(text)
        self.copied.append(key)
        if getattr(result, "ok", False):
            self._status(f"Copied {what} to the system clipboard.")
            return
        self.app.copy_to_clipboard(text)
        reason = getattr(result, "message", "") or "no system clipboard"
        self._status(f"Sent {what} via OSC 52 (terminal clipboard). (System clipboard: {reason}.)")

    def _status(self, message: str, severity: str = "information") -> None:
        self.query_one("#prepare-status", Static).update(Text(message))
        self.app.notify(message, severity=severity, timeout=5, markup=False)

    def action_merge_pad(self) -> None:
        from facilitator.screens.merge_pad import MergePadScreen

        self.app.push_screen(MergePadScreen(self.session.id))

    def action_back(self) -> None:
        self.app.pop_screen()
