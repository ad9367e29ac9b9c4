"""An Input that never selects all on focus (an edit must not wipe the line) and blinks only if the app says so."""

from __future__ import annotations

from textual.widgets import Input


class LineInput(Input):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)
