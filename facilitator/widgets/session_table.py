"""A table that draws only the rows on screen: 10,000 sessions cost what 50 do.

``DataTable`` builds a row object (and measures every cell) per row added, so filling it
with 10,000 sessions took seconds and every filter keystroke refilled it. This table
holds the rows as plain tuples of strings and renders each visible line on demand
(Textual's line API), so setting new rows costs nothing beyond the list itself.
"""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

LINE_CACHE = 512  # row texts kept (~10 screens); all dropped when full

# Terminal control characters (C0, DEL, C1) never reach the screen from user text.
_CONTROL = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}


def clean(text: str) -> str:
    """``text`` on one line with every control character made a space."""
    return text.translate(_CONTROL)


class SessionTable(ScrollView, can_focus=True):
    """Columns of fixed width (one flexible), a header line, a row cursor."""

    COMPONENT_CLASSES = {
        "session-table--header",
        "session-table--cursor",
        "session-table--even",
        "session-table--alert",
    }
    DEFAULT_CSS = """
    SessionTable { background: $surface; }
    SessionTable > .session-table--header { text-style: bold; background: $panel; }
    SessionTable > .session-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    SessionTable:blur > .session-table--cursor { background: $block-cursor-blurred-background; text-style: none; }
    SessionTable > .session-table--even { background: $surface-lighten-1; }
    SessionTable > .session-table--alert { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="session_table.cursor_1"),
        Binding("down", "cursor(1)", "Down", show=False, id="session_table.cursor_1_2"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="session_table.page_1"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="session_table.page_1_2"),
        Binding("home", "to(0)", "First", show=False, id="session_table.to_0"),
        Binding("end", "to(-1)", "Last", show=False, id="session_table.to_1"),
        Binding("enter", "select", "Open", show=False, id="session_table.select"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowSelected(Message):
        """Enter (or a click on the cursor row) on row ``index``."""

        def __init__(self, table: SessionTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> SessionTable:
            return self.table

    def __init__(self, columns: Sequence[tuple[str, int]], flex: int = 1, *,
                 shrink: Sequence[tuple[int, int]] = (), id: str | None = None) -> None:
        """``columns``: (name, width) pairs; column ``flex`` takes the width left over.

        In a narrow terminal the ``shrink`` columns, (index, least width) pairs in that
        order, give up width before the table scrolls sideways.
        """
        super().__init__(id=id)
        self.columns = list(columns)
        self.flex = flex
        self.shrink = list(shrink)
        self.rows: Sequence[tuple[str, ...]] = []
        self.alerts: set[int] = set()  # rows drawn in the alert style (unreadable files)
        self._styles: tuple[Style, Style, Style, Style, Style] | None = None
        self._texts: dict[tuple, str] = {}  # (widths, cells) -> the line's text

    # -- data -----------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self.rows[index]

    def set_rows(self, rows: Sequence[tuple[str, ...]], alerts: set[int] | None = None, cursor: int = 0) -> None:
        self.rows = rows
        self.alerts = alerts or set()
        self.virtual_size = Size(self._total_width(), len(rows) + 1)
        self.move_cursor(row=cursor)
        self.refresh()

    def move_cursor(self, row: int, animate: bool = False) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self, row: int) -> None:
        body = max(1, self.scrollable_content_region.height - 1)  # less the header line
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + body:
            self.scroll_to(y=row - body + 1, animate=False)
        self.refresh()

    # -- drawing --------------------------------------------------------------------
    def _widths(self, width: int | None = None) -> list[int]:
        """Each column's width in ``width`` cells (the table's own width by default)."""
        widths = [w for _, w in self.columns]
        gaps = len(widths) + 1
        room = (self.scrollable_content_region.width if width is None else width) - gaps - sum(widths)
        if room > 0:
            widths[self.flex] += room
        for index, least in self.shrink:
            if room >= 0:
                break
            give = min(widths[index] - least, -room)
            widths[index] -= give
            room += give
        return widths

    def _total_width(self) -> int:
        return sum(self._widths()) + len(self.columns) + 1

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self._total_width(), len(self.rows) + 1)
        self.refresh()

    def _line(self, cells: Sequence[str], widths: list[int]) -> str:
        """A row's text at these widths; the rows drawn lately are kept (a filter keystroke
        mostly shows rows the keystroke before showed: each was cut to width once)."""
        key = (tuple(widths), cells)
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= LINE_CACHE:
                self._texts.clear()
            text = self._texts[key] = self._cut(cells, widths)
        return text

    @staticmethod
    def _cut(cells: Sequence[str], widths: list[int]) -> str:
        out = [" "]
        for text, w in zip(cells, widths):
            text = clean(text)
            if cell_len(text) > w:
                text = set_cell_size(text, max(w - 1, 0)) + "…"
            out.append(set_cell_size(text, w))
            out.append(" ")
        return "".join(out)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _line_styles(self) -> tuple[Style, Style, Style, Style, Style]:
        """The widget's style and its parts', computed once until the CSS changes: each
        ``rich_style`` walks the ancestors (~0.5 ms), per line that was most of a frame."""
        if self._styles is None:
            part = self.get_component_rich_style
            self._styles = (self.rich_style, part("session-table--header"), part("session-table--even"),
                            part("session-table--alert"), part("session-table--cursor"))
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        base, header, even, alert, cursor = self._line_styles()
        if y == 0:
            style = base + header
            text = self._line(tuple(name for name, _ in self.columns), widths)
        else:
            index = round(self.scroll_y) + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            style = base
            if index % 2:
                style += even
            if index in self.alerts:
                style += alert
            if index == self.cursor_row:
                style += cursor
            text = self._line(self.rows[index], widths)
        x = round(self.scroll_x)
        strip = Strip([Segment(text, style)]).crop(x, x + width)
        return strip.extend_cell_length(width, style if y else base + Style())

    # -- keys and mouse -------------------------------------------------------------
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta * self._page())

    def action_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.rows):
            again = index == self.cursor_row
            self.move_cursor(index)
            if again or event.chain > 1:
                self.action_select()
