"""The trash: the deleted sessions, the most recent first; Enter restores one.

Opened from a list of sessions (``SessionOps.action_trash``, F9), which restores what it
picks. Its own module: home's first frame comes without it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from facilitator.store import SessionStore
    from facilitator.summaries import TrashedSession

TRASH_SHOWN = 200  # the most recently deleted sessions the trash list shows


class TrashScreen(ModalScreen[str | None]):
    """The deleted sessions, the most recent first; Enter restores the highlighted one."""

    BINDINGS = [Binding("escape", "close", "Close", id="trash.close")]
    DEFAULT_CSS = """
    TrashScreen { align: center middle; }
    TrashScreen > Vertical { width: 90%; max-width: 100; height: 80%; border: thick $primary; background: $surface; padding: 0 1; }
    TrashScreen OptionList { height: 1fr; }
    TrashScreen .trash-hint { color: $text-muted; height: auto; }
    """

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.items: list[TrashedSession] = store.trashed()[:TRASH_SHOWN]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Trash — {self.store.root / self.store.TRASH}", style="bold"))
            yield OptionList(*(Option(self._label(t)) for t in self.items), id="trash-list")
            hint = "Enter restores the highlighted session · Escape closes"
            if not self.items:
                hint = "The trash is empty · Escape closes"
            yield Static(Text(hint), classes="trash-hint")

    @staticmethod
    def _label(item: TrashedSession) -> Text:
        from facilitator.store import StoreError, read_session_file

        label = Text(item.session_id, style="bold")
        when = _dt.datetime.fromtimestamp(item.deleted).strftime("%Y-%m-%d %H:%M")
        label.append(f"  deleted {when}", style="dim")
        try:
            session = read_session_file(item.path, item.session_id)
            label.append(f"\n  {session.date} · {session.title or session.heading}")
        except StoreError as e:
            label.append(f"\n  unreadable: {e}", style="red")
        return label

    def on_mount(self) -> None:
        lst = self.query_one("#trash-list", OptionList)
        if self.items:
            lst.highlighted = 0
        lst.focus()

    @on(OptionList.OptionSelected, "#trash-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.items[event.option_index].session_id)

    def action_close(self) -> None:
        self.dismiss(None)
