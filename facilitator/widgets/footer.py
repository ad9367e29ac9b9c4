"""The footer of every screen: compact below 100 columns, so the first keys fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works).

Textual's footer rebuilds its keys after the next refresh each time the screen's
bindings change; a screen that opens changes them several times in a row (focus, the
stage shown, ``refresh_bindings``), and each rebuild before the first paint delayed it.
(Rebuilding ~15 key widgets on every focus change cost ~100 ms on a loaded 2-core
machine: the first key typed into the history filter echoed that late.) Here a rebuild already waiting takes the later changes along (it reads the bindings when
it runs), so one rebuild shows them all; and a rebuild that would show the same keys as
shown (focus moved between widgets with no keys of their own in the footer) is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

NARROW = 100  # columns: below this the footer is compact


class KeysFooter(Footer):
    _rebuild_waiting = False
    _shown_keys: tuple | None = None  # what the keys shown were built from (None: none yet)

    def _keys_now(self) -> tuple:
        """What compose builds the keys from: the shown bindings, their state, the palette key."""
        bindings = tuple(
            (b.key, self.app.get_key_display(b), b.action, b.description, b.group, enabled, tooltip)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show
        )
        return bindings, bool(self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE)

    def compose(self):
        built = False
        for widget in super().compose():
            built = True
            yield widget
        self._shown_keys = self._keys_now() if built else None

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_waiting and screen is self.screen:
            return  # the rebuild already asked for reads the bindings when it runs
        super().bindings_changed(screen)
        self._rebuild_waiting = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._rebuild_waiting = False
        if self._shown_keys is not None and self.is_attached and self._keys_now() == self._shown_keys:
            return  # the same keys as shown: nothing to rebuild
        await super().recompose()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
