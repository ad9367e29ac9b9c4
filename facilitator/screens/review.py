"""Time review of one session: each item's planned and actual minutes, overruns, the slot.

``[`` and ``]`` step to the older / newer session. ``a`` switches to every session in
the list the review was opened from (the browse screen's current filter): one row per
session with planned against actual total and its overruns.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from facilitator import stats
from facilitator.model import Session
from facilitator.paths import styles_dir
from facilitator.screens.styled_once import StyledOnce
from facilitator.store import SessionStore, StoreError
from facilitator.widgets.footer import KeysFooter

CSS = str(styles_dir() / "history.tcss")
BAR_WIDTH = 24


class ReviewScreen(StyledOnce, Screen):
    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back"),
        Binding("left_square_bracket", "step(1)", "Older", id="review.step_1"),
        Binding("right_square_bracket", "step(-1)", "Newer", id="review.step_1_2"),
        Binding("a", "toggle_scope", "All in list", id="review.toggle_scope"),
    ]

    def __init__(
        self,
        store: SessionStore,
        session_id: str,
        scope: list[str] | None = None,
        scope_label: str = "",
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        # A joiner of a shared meeting has no file of it (the host keeps the record): it
        # reviews the meeting as it is, alone (no other sessions to step to or sum).
        self.session = session
        self.session_id = session_id
        self.scope = scope  # session ids for the "all" view; None: every session
        self.scope_label = scope_label  # the filter those ids came from, for the title
        self.times: stats.SessionTimes | None = None
        self.all_times: list[stats.SessionTimes] = []
        self.showing_all = False
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Time review · {self.session_id}"), id="review-title")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="review-total")
        yield Static(
            Text("█ actual  ░ planned (bar scale: the slot or the longest item)"),
            id="review-legend",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#review-table", DataTable).focus()
        self.load()

    def _columns(self) -> None:
        table = self.query_one("#review-table", DataTable)
        table.clear(columns=True)
        if self.showing_all:
            widths = {"Date": 10, "Meeting": 40, "Items": 5, "Overruns": 8}
            names = ("Date", "Meeting", "Planned", "Actual", "Slot", "Over slot", "Overruns", "Items")
        else:
            # Planned (as written), extensions and actual apart; the item column gives way
            # on a narrow terminal so the numbers are never cut.
            width = self.app.size.width
            widths = {"Item": max(14, min(46, width - 62)), "Owner": 16 if width >= 100 else 10, "Ext": 5}
            names = ("Item", "Owner", "Planned", "Ext", "Actual", "Over", "Time")
        for name in names:
            table.add_column(name, key=name.lower(), width=widths.get(name))

    def action_toggle_scope(self) -> None:
        self.showing_all = not self.showing_all
        self.loaded = False
        self._columns()
        self.query_one("#review-legend", Static).display = not self.showing_all
        if self.showing_all:
            self.query_one("#review-title", Static).update(Text("Time review · loading the sessions…"))
            self.load_all()
        else:
            self.load()

    @work(thread=True, exclusive=True, group="review")
    def load_all(self) -> None:
        try:
            rows = stats.summary(self.store, ids=self.scope)
        except StoreError as e:
            self.app.call_from_thread(self._error, str(e))
            return
        self.app.call_from_thread(self._show_all, rows)

    def _show_all(self, rows: list[stats.SessionTimes]) -> None:
        if not self.showing_all:
            return
        self.all_times = rows
        scope = f"the {len(rows)} sessions matching “{self.scope_label}”" if self.scope_label else f"all {len(rows)} sessions"
        self.query_one("#review-title", Static).update(Text(f"Time review · {scope} · a: this session only"))
        table = self.query_one("#review-table", DataTable)
        table.clear()
        timed = [t for t in rows if t.timed]
        for n, t in enumerate(rows):
            over = t.over_slot_seconds >= 1
            table.add_row(
                Text(t.date),
                Text(" ".join(t.title.split()) + ("" if t.status != "cancelled" else " (cancelled)"),
                     no_wrap=True, overflow="ellipsis", style="dim" if t.status == "cancelled" else ""),
                Text(stats.planned_text(t.planned_seconds)),
                Text(stats.minutes_text(t.actual_seconds, t.timed), style="bold red" if over else ""),
                Text(f"{t.slot_minutes}m"),
                Text(f"+{stats.minutes_text(t.over_slot_seconds)}" if over else "", style="bold red"),
                Text(str(t.overruns) if t.timed else stats.DASH, style="red" if t.overruns else "", justify="right"),
                Text(str(len(t.items)), justify="right"),
                key=t.session_id,
            )
        total = Text()
        if timed:
            planned = sum(t.planned_seconds for t in timed)
            actual = sum(t.actual_seconds for t in timed)
            total.append(f"{len(timed)} timed: planned {stats.minutes_text(planned)}, actual {stats.minutes_text(actual)}")
            over_slot = sum(1 for t in timed if t.over_slot_seconds >= 1)
            total.append(f" · {over_slot} over the slot", style="bold red" if over_slot else "")
            items_over = sum(t.overruns for t in timed)
            total.append(f" · {items_over} item{'s' if items_over != 1 else ''} over time", style="red" if items_over else "")
        else:
            total.append("None of these sessions was timed (imported ones never are): actual times show —.", style="dim")
        untimed = len(rows) - len(timed)
        if timed and untimed:
            total.append(f"\n{untimed} not timed (imported or cancelled): actual shows —.", style="dim")
        self.query_one("#review-total", Static).update(total)
        self.loaded = True

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        if self.session is not None:
            self.app.call_from_thread(self._show, stats.session_times(self.session))
            return
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
        if self.showing_all:
            return
        self.times = t
        self.query_one("#review-title", Static).update(
            Text(f"Time review · {t.date} · {t.title} · {t.status} · slot {t.slot_minutes}m")
        )
        table = self.query_one("#review-table", DataTable)
        table.clear()
        longest = max([t.slot_seconds / max(1, len(t.items))] + [max(i.planned_seconds, i.actual_seconds) for i in t.items])
        for n, i in enumerate(t.items):
            if i.overrun:
                over = f"+{stats.minutes_text(i.overrun_seconds)}"
            elif i.over_timebox_seconds >= 1:  # within its extension: still shown, not red
                over = f"({stats.minutes_text(i.over_timebox_seconds)})"
            else:
                over = ""
            style = "bold red" if i.overrun else ("dim" if i.status == "deferred" else "")
            title = " ".join(i.title.split())
            if i.status == "deferred":
                title += " (deferred)"
            table.add_row(
                Text(title, style=style, no_wrap=True, overflow="ellipsis"),
                Text(" ".join(i.owner.split()), no_wrap=True, overflow="ellipsis"),
                Text(stats.planned_text(i.timebox_seconds)),
                Text(stats.extension_text(i.extra_seconds), style="yellow"),
                Text(stats.minutes_text(i.actual_seconds, i.timed), style=style),
                Text(over, style="bold red" if i.overrun else "yellow"),
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

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """A meeting reviewed as it is (a joiner's) has no other sessions: no stepping, no sum."""
        if self.session is not None and action in ("step", "toggle_scope"):
            return False
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, delta: int) -> None:
        if self.showing_all:
            return
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
