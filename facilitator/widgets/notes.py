"""The notetaker's pane: a plain TextArea that knows about bullets and indentation."""

from __future__ import annotations

import re
from dataclasses import replace

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

from facilitator.widgets.inputs import follow_focus, screen_key_now

try:  # a private Textual module: without it the pane is only slower on long notes
    from textual.document._wrapped_document import WrappedDocument
except ImportError:  # pragma: no cover - depends on the Textual release
    WrappedDocument = None  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from facilitator.shared_meeting import CharOp, TextLink

INDENT = "  "
MEETING_KEYS = ("f6", "f7", "ctrl+a", "ctrl+e", "ctrl+d")  # TextArea keys the meeting uses
_BULLET = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +)(?P<rest>.*)$")


class _CachedHeightWrappedDocument(WrappedDocument or object):  # type: ignore[misc]
    """Textual's WrappedDocument, with ``height`` kept between edits.

    TextArea reads ``height`` for every line it paints and Textual recomputes it over all
    lines each time: with 5,000 lines of notes that was most of a keystroke's cost. The
    wrap offsets only change in ``wrap`` and ``wrap_range``, which drop the cached value.
    """

    _cached_height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._cached_height = None
        super().wrap(width, tab_width)
        self._cached_height = None

    def wrap_range(self, start, old_end, new_end) -> None:
        self._cached_height = None
        super().wrap_range(start, old_end, new_end)
        self._cached_height = None

    @property
    def height(self) -> int:
        if self._cached_height is None:
            self._cached_height = super().height
        return self._cached_height


class NotesArea(TextArea, inherit_bindings=False):
    """Multi-line notes: Tab/shift+Tab indent and dedent by two spaces, Enter continues a bullet.

    No syntax highlighting (it slows down on long notes); soft wrap on. TextArea's own
    F6/F7 (select line/all) and ctrl+a/e/d are left out: those keys run the meeting.
    """

    # TextArea's own keys, with ids so a keymap file can move them too. Left out: F6/F7
    # and ctrl+a/ctrl+e/ctrl+d (Home, End and Delete do the same), which the meeting uses
    # (next item, breakout rooms, actions and decisions).
    BINDINGS = [
        replace(b, id=b.id or f"notes.{re.sub(r'[^a-z0-9]+', '_', b.action.lower()).strip('_')}")
        for b in (Binding.make_bindings(TextArea.BINDINGS))
        if b.key not in MEETING_KEYS
    ]

    def __init__(self, text: str = "", continue_bullets: bool = True, **kwargs) -> None:
        self.continue_bullets = continue_bullets
        self._link: TextLink | None = None
        self._applying_remote = False
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "indent")
        kwargs.setdefault("show_line_numbers", False)
        super().__init__(text, **kwargs)
        self.indent_width = 2

    @property
    def wrapped_document(self):  # noqa: ANN201 - Textual's WrappedDocument
        return self._notes_wrapped_document

    @wrapped_document.setter
    def wrapped_document(self, document) -> None:  # noqa: ANN001
        # TextArea makes a new WrappedDocument on init and on load_text: use the caching one.
        if WrappedDocument is not None and type(document) is WrappedDocument:
            document.__class__ = _CachedHeightWrappedDocument
        self._notes_wrapped_document = document

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    # -- a shared meeting: this pane edits a shared text ------------------------------
    def link_shared(self, link: TextLink | None) -> None:
        """Edit ``link``'s shared text (``facilitator.shared_meeting``), or stop (None).

        Every edit made here goes into the shared text at its place as it happens; edits
        from others come back as operations applied where they belong, so the cursor
        stays with what the person here was typing. Undo and redo go through the link's
        UndoManager: they take back only what was typed here.
        """
        if self._link is not None:
            self._link.close()
        self._link = link
        if link is None:
            return
        link.on_remote = self.apply_remote
        from facilitator.sanitize import clean

        if self.text != clean(link.value):
            location = self.cursor_location
            self.load_text(link.value)
            self.move_cursor(location)

    @property
    def shared_link(self) -> TextLink | None:
        return self._link

    def edit(self, edit: Edit) -> EditResult:
        link = self._link
        if link is None or self._applying_remote:
            return super().edit(edit)
        if "\r" in edit.text:  # a paste from Windows or an old Mac: rows mean the same everywhere
            edit.text = edit.text.replace("\r\n", "\n").replace("\r", "\n")
        document = self.document
        start = document.get_index_from_location(edit.top)
        end = document.get_index_from_location(edit.bottom)
        result = super().edit(edit)
        link.local_edit(start, end, edit.text)
        return result

    def apply_remote(self, ops: list[CharOp], value: str) -> None:
        """Someone else's edit (or an undo), as character operations on what is shown.

        Control characters show as their stand-ins, one for one, so positions still match.
        """
        from facilitator.sanitize import clean
        from facilitator.shared_meeting import shift_char

        value = clean(value)
        document = self.document
        anchor, cursor = (document.get_index_from_location(loc) for loc in self.selection)
        self._applying_remote = True
        try:
            for op in ops:
                start, end, insert = op
                length = len(document.text)
                top = document.get_location_from_index(min(start, length))
                bottom = document.get_location_from_index(min(end, length))
                super().edit(Edit(clean(insert), top, bottom, False))
                anchor, cursor = shift_char(anchor, op), shift_char(cursor, op)
            if self.text != value:  # never expected; the shared text wins
                super().load_text(value)
            length = len(self.document.text)
            self.selection = Selection(
                self.document.get_location_from_index(min(anchor, length)),
                self.document.get_location_from_index(min(cursor, length)),
            )
        finally:
            self._applying_remote = False
        self.history.clear()  # TextArea's own undo is not used while shared

    def action_undo(self) -> None:
        if self._link is not None:
            self._link.undo()
            return
        super().action_undo()

    def action_redo(self) -> None:
        if self._link is not None:
            self._link.redo()
            return
        super().action_redo()

    def _selected_rows(self) -> range:
        (r1, _c1), (r2, c2) = sorted(self.selection)
        if r2 > r1 and c2 == 0:
            r2 -= 1
        return range(r1, r2 + 1)

    def indent_lines(self) -> None:
        row, col = self.cursor_location
        rows = self._selected_rows()
        for r in rows:
            self.insert(INDENT, (r, 0))
        self.move_cursor((row, col + len(INDENT)))

    def dedent_lines(self) -> None:
        row, col = self.cursor_location
        removed_here = 0
        for r in self._selected_rows():
            line = self.document[r]
            n = min(len(INDENT), len(line) - len(line.lstrip(" ")))
            if n:
                self.delete((r, 0), (r, n))
                if r == row:
                    removed_here = n
        self.move_cursor((row, max(0, col - removed_here)))

    def newline(self) -> None:
        """Enter: continue a bullet at the same indent; on an empty bullet, end the list."""
        row, col = self.cursor_location
        line = self.document[row]
        m = _BULLET.match(line)
        if m is None or not self.continue_bullets or self.selection.start != self.selection.end:
            self.replace("\n", *self.selection)
            return
        if not m.group("rest").strip() and col >= len(line.rstrip()):
            # An empty bullet: Enter ends the list instead of adding another empty one.
            self.replace(m.group("indent"), (row, 0), (row, len(line)))
            self.move_cursor((row, len(m.group("indent"))))
            return
        marker = m.group("marker")
        if marker[0].isdigit():
            marker = f"{int(marker[:-1]) + 1}{marker[-1]}"
        self.replace("\n" + m.group("indent") + marker + " ", self.cursor_location, self.cursor_location)

    async def _on_paste(self, event: events.Paste) -> None:
        """A paste's line breaks are kept, its control characters (ESC, OSC, C1) become
        visible stand-ins (facilitator.sanitize).

        Terminals send a paste's line breaks as ``\r`` (xterm, VTE, tmux's paste-buffer):
        each lone ``\r``, and each ``\r\n``, is a new line here, not a ``␍`` in one long
        line. A paste that needs neither goes to TextArea's own handler.
        """
        from facilitator.sanitize import clean, has_controls
        from facilitator.text_offsets import normalise_newlines

        text = normalise_newlines(event.text)
        if text == event.text and not has_controls(text):
            return
        event.prevent_default()  # TextArea's handler would insert the raw text
        event.stop()
        if self.read_only:
            return
        result = self.replace(clean(text), *self.selection)
        self.move_cursor(result.end_location)
        self.focus()

    def load_text(self, text: str) -> None:
        """Load ``text``, its control characters shown as stand-ins (a clipboard read, a file)."""
        from facilitator.sanitize import clean

        super().load_text(clean(text))

    async def _on_key(self, event: events.Key) -> None:
        # In a burst, a key may come after one that moved the focus away (F3 to a form),
        # and the meeting's keys must act between the letters typed before and after them.
        if follow_focus(self, event) or await screen_key_now(self, event):
            return
        if self.read_only:
            return await super()._on_key(event)
        if event.key == "tab":
            event.stop()
            event.prevent_default()
            self.indent_lines()
            return
        if event.key == "shift+tab":
            event.stop()
            event.prevent_default()
            self.dedent_lines()
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.newline()
            return
        await super()._on_key(event)
