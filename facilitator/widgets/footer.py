"""The footer of every screen: compact below 100 columns, so the first keys fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works). A
screen with more keys than fit names, through ``drop``, the actions that leave the footer
first when the keys would not fit whole (the keys still work; F1 help lists them), so
no key is cut at the edge and the last ones (Rooms, F1 Help) stay in view.

Textual's footer rebuilds its keys after the next refresh each time the screen's
bindings change; a screen that opens changes them several times in a row (focus, the
stage shown, ``refresh_bindings``), and each rebuild before the first paint delayed it.
(Rebuilding ~15 key widgets on every focus change cost ~100 ms on a loaded 2-core
machine: the first key typed into the history filter echoed that late.) Here a rebuild already waiting takes the later changes along (it reads the bindings when
it runs), so one rebuild shows them all; and a rebuild that would show the same keys as
shown (focus moved between widgets with no keys of their own in the footer) is skipped.

A screen opened while the app runs (the history list, search, people) asks for its keys
with its first frame (``eager``): built after it, they were the next frame's work (a
layout and a repaint of the whole screen) and the first key typed echoed behind them.
Each key is built in the footer's own compact state: a Textual footer key starts compact
and is then bound to the footer's state, each switch a restyle of the key (two per key
at 120 columns, ~2 ms each on a loaded machine).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.reactive import Reactive
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

NARROW = 100  # columns: below this the footer is compact
PALETTE_WIDTH = 13  # "▏^p palette " at the right of a wide footer


def _action(widget: Widget) -> str | None:
    """The action of a footer key (Textual's FooterKey keeps it public), else None."""
    return getattr(widget, "action", None)


def _key_width(key: Widget, compact: bool) -> int:
    """Columns a footer key takes: compact "F5 Timer" and a margin, else " F5 Timer " padded."""
    display, description = getattr(key, "key_display", ""), getattr(key, "description", "")
    if compact:
        return cell_len(display) + (cell_len(description) + 1 if description else 0) + 1
    return cell_len(display) + 2 + (cell_len(description) + 1 if description else 0)


class KeysFooter(Footer):
    _rebuild_waiting = False
    _shown_keys: tuple | None = None  # what the keys shown were built from (None: none yet)
    _composed: int | None = None  # the width the keys were last fitted to
    _rebuilding = False  # a rebuild is under way (its keys not all mounted yet)

    def __init__(self, drop: Callable[[], tuple[str, ...]] | None = None, *, eager: bool = False) -> None:
        """``drop``: the screen's actions in the order they leave the footer when the keys
        would not fit (asked at each recompose: the order may follow what is on screen).
        ``eager``: the keys are in the screen's first frame, not built after it."""
        super().__init__()
        self.drop = drop
        self._width = 0
        # Footer composes no keys until its bindings are "ready" (a flag it sets when the
        # screen's bindings first change, after the first frame): ready from the start.
        ready = getattr(Footer, "_bindings_ready", None)
        if eager and isinstance(ready, Reactive):
            self.set_reactive(ready, True)

    def _keys_now(self) -> tuple:
        """What compose builds the keys from: each action's first shown binding (Textual's
        footer shows one key per action), its state, the palette key, and the width and
        drop order they are fitted to (when keys leave a narrow footer). A binding hidden by
        the focused widget's own key (the filter's Delete over the list's f8,delete) leaves
        the keys shown as they were: no rebuild."""
        first: dict[str, tuple] = {}
        for (_, b, enabled, tooltip) in self.screen.active_bindings.values():
            if b.show and b.action not in first:
                first[b.action] = (b.key, self.app.get_key_display(b), b.action, b.description, b.group, enabled, tooltip)
        bindings = tuple(first.values())
        fit = ((self._width or self.app.size.width), tuple(self.drop())) if self.drop is not None else None
        return bindings, bool(self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE), fit

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_waiting and screen is self.screen:
            return  # the rebuild already asked for reads the bindings when it runs
        super().bindings_changed(screen)
        self._rebuild_waiting = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._rebuild_waiting = False
        if self._shown_keys is not None and self.is_attached and self._keys_now() == self._shown_keys:
            return  # the same keys as shown: nothing to rebuild
        self._rebuilding = True
        try:
            await super().recompose()
        finally:
            self._rebuilding = False

    def settled(self) -> bool:
        """The keys shown are those of the screen's bindings now, none waiting to be built
        or mounted (what a test waits for, rather than a number of frames)."""
        return (not self._rebuild_waiting and not self._rebuilding and self.is_attached
                and self._shown_keys is not None and self._shown_keys == self._keys_now())

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
        if self.drop is not None and width != self._width:
            self._width = width
            if self._composed not in (None, width):  # built for another width: fit again
                self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        if self._composed is None:  # fitted to the width before the first keys are built
            self._fit(self.app.size.width)
        keys = list(super().compose())
        for key in keys:  # each key in its final state from the start: no restyle
            compact = getattr(type(key), "compact", None)
            if isinstance(compact, Reactive) and not key.is_attached:
                # The palette key is not bound to the footer: Textual leaves it compact.
                state = True if key.has_class("-command-palette") else self.compact
                key.set_reactive(compact, state)
                key.set_class(state, "-compact", update=False)
        self._shown_keys = self._keys_now() if keys else None
        width = self._width or self.app.size.width
        self._composed = width
        if self.drop is not None:
            compact = width < NARROW
            shown = [k for k in keys if _action(k) is not None and not k.has_class("-command-palette")]
            if len(shown) < len(keys):  # the command-palette key, docked right with its border
                width -= PALETTE_WIDTH
            used = sum(_key_width(k, compact) for k in shown) - compact
            for action in self.drop():
                if used <= width:
                    break
                for k in [k for k in keys if _action(k) == action]:
                    keys.remove(k)
                    used -= _key_width(k, compact)
        yield from keys
