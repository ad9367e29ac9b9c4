"""F1: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = [
    ("F1 / ?", "this help"),
    ("ctrl+f", "search all sessions (also while typing notes; / on the home list)"),
    ("ctrl+p", "command palette: every action by name"),
    ("ctrl+q", "quit (everything is saved; nothing is asked)"),
    ("Tab / shift+Tab", "next / previous field (in notes: indent / dedent)"),
]
NOTES = [
    ("Tab / shift+Tab", "indent / dedent the line (or the selected lines) by two spaces"),
    ("Enter on a bullet", "continue the bullet at the same indent; Enter on an empty one ends the list"),
    ("ctrl+z / ctrl+y", "undo / redo"),
    ("ctrl+a / ctrl+d", "mark the line as an action (owner: its @handle) / a decision; again to unmark"),
    ("Home / End / Del", "line start / line end / delete (ctrl+a, ctrl+e, ctrl+d are meeting keys here)"),
]
LISTS = [
    ("Enter (in the box)", "add the line (or save the edit)"),
    ("→ (in the check-in box)", "accept the suggested person from past meetings"),
    ("↓ then Enter or e", "edit the selected line"),
    ("Del", "remove the selected line"),
    ("l", "mark the selected person late (again to undo)"),
    ("Esc", "cancel the edit"),
    ("ctrl+l (a list)", "the typed line becomes the question under the heading (the ice breaker's); empty: edit it"),
]

KEY_NAMES = {"question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]"}


def _keys_of(screen: Screen) -> list[tuple[str, str]]:
    out = []
    helps = getattr(screen, "ACTION_HELP", {})
    for b in getattr(screen, "BINDINGS", []):
        if not isinstance(b, Binding) or not b.description:
            continue
        keys = " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in b.key.split(","))
        out.append((keys, helps.get(b.action, b.description)))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help.dismiss")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        from facilitator.screens.meeting import MeetingScreen

        sections = [("This screen", _keys_of(self.under))]
        if isinstance(self.under, MeetingScreen):
            sections += [("Notes pane", NOTES), ("Check-in and lists", LISTS)]
        sections.append(("Everywhere", GENERAL))
        with VerticalScroll(id="help-box"):
            yield Static(Text("facilitator — keys", style="bold"), id="help-title")
            for title, rows in sections:
                table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
                table.add_column("key", style="bold", no_wrap=True, ratio=1)
                table.add_column("what", ratio=3)
                for k, what in rows:
                    table.add_row(Text(k), Text(what))
                yield Static(table)
            yield Static(Text("Esc closes this help.", style="dim"))

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
