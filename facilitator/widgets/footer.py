"""The footer of every screen: compact below 100 columns, so the first keys fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works). A
screen with more keys than fit names, through ``drop``, the actions that leave the footer
first when the keys would not fit whole (the keys still work; F1 help lists them), so
no key is cut at the edge and the last ones (Rooms, F1 Help) stay in view.

Textual's footer rebuilds its ~15 key widgets on every focus change, each styled anew
(~100 ms on a loaded 2-core machine: the first key typed into the history filter moved
the focus and echoed that late); this one rebuilds only when the keys it shows change.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

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
    _shown: tuple | None = None  # what the keys showed when last built
    _composed: int | None = None  # the width the keys were last fitted to

    def __init__(self, drop: Callable[[], tuple[str, ...]] | None = None) -> None:
        """``drop``: the screen's actions in the order they leave the footer when the keys
        would not fit (asked at each recompose: the order may follow what is on screen)."""
        super().__init__()
        self.drop = drop
        self._width = 0

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
        if self.drop is not None and width != self._width:
            self._width = width
            if self._composed not in (None, width):  # built for another width: fit again
                self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
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
