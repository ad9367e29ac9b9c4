"""Time review of one session: each item's planned and actual minutes, overruns, the slot.

``[`` and ``]`` step to the older / newer session.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from facilitator import stats
from facilitator.paths import styles_dir
from facilitator.store import SessionStore, StoreError

CSS = str(styles_dir() / "history.tcss")
BAR_WIDTH = 24


class ReviewScreen(Screen):
    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("left_square_bracket", "step(1)", "Older"),
        Binding("right_square_bracket", "step(-1)", "Newer"),
    ]

    def __init__(self, store: SessionStore, session_id: str) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.times: stats.SessionTimes | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Time review · {self.session_id}"), id="review-title")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="review-total")
        yield Static(
            Text("█ actual  ░ planned (bar scale: the slot or the longest item)"),
            id="review-legend",
        )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        widths = {"Item": 46, "Owner": 16}
        for name in ("Item", "Owner", "Planned", "Actual", "Over", "Time"):
            table.add_column(name, key=name.lower(), width=widths.get(name))
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        try:
            session = self.store.load(self.session_id)
        except StoreError as e:
            self.app.call_from_thread(self._error, str(e))
            return
        self.app.call_from_thread(self._show, stats.session_times(session))

    def _error(self, message: str) -> None:
        self.query_one("#review-total", Static).update(Text(f"cannot review: {message}", style="bold red"))
        self.loaded = True

    def _show(self, t: stats.SessionTimes) -> None:
        self.times = t
        self.query_one("#review-title", Static).update(
            Text(f"Time review · {t.date} · {t.title} · {t.status} · slot {t.slot_minutes}m")
        )
        table = self.query_one("#review-table", DataTable)
        table.clear()
        longest = max([t.slot_seconds / max(1, len(t.items))] + [max(i.planned_seconds, i.actual_seconds) for i in t.items])
        for n, i in enumerate(t.items):
            over = f"+{stats.minutes_text(i.overrun_seconds)}" if i.overrun else ""
            style = "bold red" if i.overrun else ("dim" if i.status == "deferred" else "")
            title = " ".join(i.title.split())
            if i.status == "deferred":
                title += " (deferred)"
            table.add_row(
                Text(title, style=style, no_wrap=True, overflow="ellipsis"),
                Text(" ".join(i.owner.split()), no_wrap=True, overflow="ellipsis"),
                Text(stats.planned_text(i.planned_seconds)),
                Text(stats.minutes_text(i.actual_seconds, i.timed), style=style),
                Text(over, style="bold red"),
                self._bar(i, longest),
                key=str(n),
            )
        total = Text()
        total.append(f"Total: planned {stats.planned_text(t.planned_seconds)}, ")
        total.append(f"actual {stats.minutes_text(t.actual_seconds, t.timed)}", style="bold red" if t.over_slot_seconds >= 1 else "")
        total.append(f" of a {t.slot_minutes}m slot")
        if t.over_slot_seconds >= 1:
            total.append(f" — over by {stats.minutes_text(t.over_slot_seconds)}", style="bold red")
        if t.overruns:
            total.append(f" · {t.overruns} item{'s' if t.overruns != 1 else ''} over time", style="red")
        if not t.timed:
            total.append("\nNot timed (imported, or never run with the clock): actual times show —.", style="dim")
        if not t.items:
            total.append("\nThis session has no agenda items.", style="dim")
        total.append("\n")
        total.append(stats.bar(t.actual_seconds, max(t.slot_seconds, t.actual_seconds), 40), style="red" if t.over_slot_seconds >= 1 else "green")
        total.append(stats.bar(max(0, t.slot_seconds - t.actual_seconds), max(t.slot_seconds, t.actual_seconds), 40).replace("█", "░"))
        self.query_one("#review-total", Static).update(total)
        self.loaded = True

    @staticmethod
    def _bar(i: stats.ItemTime, scale: float) -> Text:
        out = Text(no_wrap=True)
        actual = stats.bar(i.actual_seconds, scale, BAR_WIDTH)
        planned = stats.bar(i.planned_seconds, scale, BAR_WIDTH)
        if i.overrun:
            within = stats.bar(i.planned_seconds, scale, BAR_WIDTH)
            out.append(within, style="green")
            out.append(actual[len(within):], style="bold red")
        elif i.timed:
            out.append(actual, style="green")
            out.append("░" * max(0, len(planned) - len(actual)), style="dim")
        else:
            out.append("░" * len(planned), style="dim")
        return out

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, delta: int) -> None:
        self._step(delta)

    @work(thread=True, exclusive=True, group="review-step")
    def _step(self, delta: int) -> None:
        try:
            ids = [s.id for s in self.store.scan().sessions]
        except StoreError:
            return
        if self.session_id not in ids:
            return
        n = ids.index(self.session_id) + delta
        if 0 <= n < len(ids):
            self.session_id = ids[n]
            self.load()
        else:
            self.app.call_from_thread(self.notify, "No older session." if delta > 0 else "No newer session.")
