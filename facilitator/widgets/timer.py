"""The big countdown: Digits plus one line saying what the timer is doing."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

STATE_CLASSES = ("-idle", "-running", "-paused", "-warning", "-overtime")


class TimerDisplay(Vertical):
    """Shows ``MM:SS`` left (``+MM:SS`` over time) with a state class for colour."""

    def compose(self) -> ComposeResult:
        yield Digits("--:--", id="countdown")
        yield Static("", id="timer-info", markup=False)

    def show(self, clock_text: str, info: str, state: str, running: bool) -> None:
        digits = self.query_one(Digits)
        if digits.value != clock_text:
            digits.update(clock_text)
        cls = f"-{state}"
        for c in STATE_CLASSES:
            self.set_class(c == cls, c)
        if state in ("warning", "overtime"):
            self.set_class(not running, "-paused")
        self.query_one("#timer-info", Static).update(Text(info))
