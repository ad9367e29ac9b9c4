"""The footer of every screen: compact below 100 columns, so the first keys fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100  # columns: below this the footer is compact


class KeysFooter(Footer):
    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
