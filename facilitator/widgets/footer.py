"""The footer of every screen: compact below 100 columns, so the first keys fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works).

Textual's footer rebuilds its ~15 key widgets on every focus change, each styled anew
(~100 ms on a loaded 2-core machine: the first key typed into the history filter moved
the focus and echoed that late); this one rebuilds only when the keys it shows change.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100  # columns: below this the footer is compact


class KeysFooter(Footer):
    _shown: tuple | None = None  # what the keys showed when last built

    def bindings_changed(self, screen) -> None:
        # As the footer shows them: each action once, by its first binding (a key the
        # focused widget takes for itself, like Delete in an input, changes nothing shown).
        first: dict[str, tuple] = {}
        for _node, b, enabled, tooltip in screen.active_bindings.values():
            if b.show:
                first.setdefault(b.action, (b.key, b.description, b.group, b.tooltip, enabled, tooltip))
        shown = tuple(first.items())
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
