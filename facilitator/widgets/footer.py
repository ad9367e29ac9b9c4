"""The footer of every screen: one line of keys, compact below 100 columns so the first fit in 80.

Screens list their bindings most important first; at 80 columns the footer drops its
padding and the command-palette key (F1 help lists every key, ctrl+p still works). A
screen with more keys than fit names, through ``drop``, the actions that leave the footer
first when the keys would not fit whole (the keys still work; F1 help lists them), so
no key is cut at the edge and the last ones (Rooms, F1 Help) stay in view.

It looks and acts as Textual's ``Footer`` does (its theme colours, a key lit under the
mouse with its tooltip, a click presses the key, a disabled key dim and a bell), but is
one widget that paints its keys as one line of text, read from the screen's bindings
each time it is painted. Textual's footer is a widget per key (each mounted, styled with
its two parts, laid out and painted): ~25 ms of a meeting's first frame for its nine
keys, and every change of keys (focus, the stage shown) rebuilt them all, ~100 ms on a
loaded 2-core machine. Here a change of keys is a repaint of one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

NARROW = 100  # columns: below this the footer is compact
PALETTE_ROOM = 13  # "▏^p palette " at the right of a wide footer, and a column to spare


class FooterEntry(NamedTuple):
    """One key as the footer shows it (the first shown binding of its action)."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class ShownKey(NamedTuple):
    """A key where it was painted: columns ``start`` to ``end`` of the footer."""

    key: FooterEntry
    start: int
    end: int
    whole: bool  # all of it on screen (not cut at the right edge)

    @property
    def label(self) -> str:
        """What it reads as, one space between its parts: "F5 Timer"."""
        return f"{self.key.display} {self.key.description}".strip()


def _key_width(key: FooterEntry, compact: bool) -> int:
    """Columns a key takes: compact "F5 Timer" and a margin, else " F5 Timer " padded."""
    display, description = cell_len(key.display), cell_len(key.description)
    if compact:
        return display + (description + 1 if description else 0) + 1
    return display + 2 + (description + 1 if description else 0)


class KeysFooter(Widget, can_focus=False):
    """The screen's keys on one line at the bottom (see the module docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--item",
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--divider",
    }

    # Where it sits and its colours go with the widget (as Textual's footer's do), so
    # every app and screen that shows it gets them: Textual's footer colour variables.
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--item { background: $footer-item-background; }
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--hover { background: $block-hover-background; }
        & > .keys-footer--divider { color: $foreground 20%; }
    }
    """

    compact = reactive(False, toggle_class="-compact")
    show_command_palette = reactive(True)
    hovered: reactive[int] = reactive(-1)  # the index of the key under the mouse, -1 none

    def __init__(self, drop: Callable[[], tuple[str, ...]] | None = None) -> None:
        """``drop``: the screen's actions in the order they leave the footer when the keys
        would not fit (asked at each paint: the order may follow what is on screen)."""
        super().__init__()
        self.drop = drop
        self._shown: list[ShownKey] = []
        self._painted: tuple | None = None  # what the keys painted were built from

    # -- what is shown ---------------------------------------------------------------
    def _footer_keys(self) -> tuple[list[FooterEntry], FooterEntry | None]:
        """The keys to show (each action's first shown binding, as Textual's footer shows
        one key per action) and the command-palette key (None: not shown)."""
        first: dict[str, FooterEntry] = {}
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        palette = None
        for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items():
            if key == palette_key:
                if self.show_command_palette:
                    palette = FooterEntry(b.key, app.get_key_display(b), b.description, b.action, enabled,
                                        b.tooltip or b.description)
                continue
            if b.show and b.action not in first:
                first[b.action] = FooterEntry(b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip)
        return list(first.values()), palette

    def _fitted(self, width: int) -> tuple[list[FooterEntry], FooterEntry | None]:
        """The keys that fit ``width`` whole, leaving out the screen's ``drop`` actions first."""
        keys, palette = self._footer_keys()
        if self.drop is not None:
            room = width - (PALETTE_ROOM if palette is not None else 0)
            used = sum(_key_width(k, self.compact) for k in keys) - self.compact
            for action in self.drop():
                if used <= room:
                    break
                for k in [k for k in keys if k.action == action]:
                    keys.remove(k)
                    used -= _key_width(k, self.compact)
        return keys, palette

    @staticmethod
    def _palette_width(palette: FooterEntry) -> int:
        """"▏", the key as Textual shows it (always compact: "^p palette") and a space."""
        return 1 + _key_width(palette, True)  # the compact key's margin is that space

    def keys_shown(self) -> list[ShownKey]:
        """The keys as last painted, where they are (what a test reads)."""
        return list(self._shown)

    def settled(self) -> bool:
        """The keys painted are those of the screen's bindings now (what a test waits for,
        rather than a number of frames)."""
        return self.is_attached and self._painted is not None and self._painted == self._state()

    def _state(self) -> tuple:
        return (self._fitted(self.size.width or self.app.size.width), self.compact, self.size.width)

    # -- painting --------------------------------------------------------------------
    def render(self) -> Text:
        width = self.size.width or self.app.size.width
        keys, palette = self._fitted(width)
        self._painted = ((keys, palette), self.compact, self.size.width)
        base = self.rich_style
        item = self.get_component_rich_style("keys-footer--item")
        key_style = self.get_component_rich_style("keys-footer--key")
        description_style = self.get_component_rich_style("keys-footer--description")
        hover = self.get_component_rich_style("keys-footer--hover")
        dim = Style(dim=True)

        def part(key: FooterEntry, compact: bool, index: int) -> Text:
            # As Textual's footer key: its parts' styles over the key's own (lit under the
            # mouse: only the background changes; disabled: dim).
            lit = Style(bgcolor=hover.bgcolor) if index == self.hovered else Style()
            pad = "" if compact else " "
            text = Text.assemble((f"{pad}{key.display}{pad}", item + lit + key_style + lit))
            if key.description:
                description = f" {key.description}" if compact else f"{key.description} "
                text.append(description, item + lit + description_style + lit)
            if not key.enabled:
                text.stylize(dim)
            return text

        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[ShownKey] = []
        room = width - (self._palette_width(palette) if palette is not None else 0)
        x = 0
        for i, key in enumerate(keys):
            if x >= room:
                break
            text = part(key, self.compact, i)
            end = x + text.cell_len
            whole = end <= room
            line.append_text(text if whole else text[: room - x])
            shown.append(ShownKey(key, x, min(end, room), whole))
            x = min(end, room)
            if self.compact and x < room:
                line.append(" ", base)
                x += 1
        if x < room:
            line.append(" " * (room - x), base)
        if palette is not None:
            divider = self.get_component_rich_style("keys-footer--divider")
            start = max(room, 0)
            line.append("▏", item + divider)
            text = part(palette, True, len(shown))  # its index among the keys painted
            line.append_text(text)
            line.append(" ", item)
            shown.append(ShownKey(palette, start, start + self._palette_width(palette), True))
        self._shown = shown
        return line

    def _index_at(self, x: int) -> int:
        """The index of the key painted at column ``x``, -1 if none."""
        for i, shown in enumerate(self._shown):
            if shown.start <= x < shown.end:
                return i
        return -1

    # -- events ------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        """The screen's keys may have changed: paint again if what would show did."""
        if self.is_attached and screen is self.screen and self._painted != self._state():
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow

    def watch_hovered(self) -> None:
        index = self.hovered
        over = 0 <= index < len(self._shown)
        self.tooltip = (self._shown[index].key.tooltip or None) if over else None
        self.styles.pointer = "pointer" if over else "default"  # as over a Textual footer key
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._index_at(event.x)

    def on_leave(self, event: events.Leave) -> None:
        self.hovered = -1

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._index_at(event.x)
        if index < 0:
            return
        key = self._shown[index].key
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
