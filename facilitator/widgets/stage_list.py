"""The meeting's sidebar: every stage, with each agenda item's state, timebox and owner.

The labels are rebuilt on every clock tick (a running item turns to overrun), so the
list is only reset when what it shows has changed.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitator.engine import Meeting, Stage, StageKind, item_label
from facilitator.widgets.inputs import follow_focus, screen_key_now

# An agenda item's state (Meeting.item_state) as a mark and a style.
MARKS = {
    "pending": ("○", ""),
    "current": ("▶", "bold"),
    "running": ("▶", "bold"),
    "done": ("✓", "dim"),
    "overrun": ("!", "bold red"),
    "deferred": ("↷", "dim strike"),
    "list": ("•", ""),
}
DEFERRED = MARKS["deferred"][1]  # a deferred item's text: struck, as it is out of the sum


def stage_label(st: Stage, state: Meeting) -> Text:
    """One sidebar line: an item with its mark and minutes, or a section with its count."""
    session = state.session
    if st.kind == "item" and st.item is not None:
        item_state = state.item_state(st.item)
        mark, style = MARKS[item_state]
        deferred = item_state == "deferred"
        t = Text(f" {mark} ", style="dim" if deferred else style, no_wrap=True, overflow="ellipsis")
        if st.item.minutes and deferred:
            t.append(f"{st.item.minutes}′", style=DEFERRED)
            t.append(" ", style="dim")
        elif st.item.minutes:
            t.append(f"{st.item.minutes}′ ", style="dim")
        t.append(item_label(st.item), style=style)
        return t
    sec = st.section
    if st.kind == StageKind.ROOM and sec is not None:
        from facilitator.rooms import room_label  # only a meeting with rooms needs it

        t = Text("  ⇉ ", style="bold" if state.rooms_open else "dim", no_wrap=True, overflow="ellipsis")
        t.append(room_label(sec))
        return t
    if st.kind == "agenda":
        t = Text(sec.title if sec is not None and sec.heading else "Agenda", style="bold", no_wrap=True, overflow="ellipsis")
        t.append(f" {session.planned_minutes}/{session.slot_minutes}′", style="bold red" if session.planned_minutes > session.slot_minutes else "dim")
        return t
    title = sec.title if sec is not None else st.kind
    t = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
    if st.kind == "checkin":
        t.append(f" ({len(session.attendees)})", style="dim")
    elif st.kind in ("list",):
        t.append(f" ({len(sec.entries)})", style="dim")
    return t


class StageList(OptionList):
    """The stages of a meeting, one line each, the current one highlighted."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._last_labels: list = []

    async def _on_key(self, event: events.Key) -> None:
        # the meeting's keys in typing order, as in the notes and the forms
        if not follow_focus(self, event):
            await screen_key_now(self, event)

    def forget_labels(self) -> None:
        """Set the options again on the next ``show`` (after a resize or a new stage list)."""
        self._last_labels = []

    def show(self, stages: list[Stage], state: Meeting, index: int) -> None:
        width = self.scrollable_content_region.width
        labels = [stage_label(st, state) for st in stages]
        if width > 4:
            for label in labels:
                label.truncate(width, overflow="ellipsis")
        plain = [(l.plain, str(l.style), [str(s.style) for s in l.spans]) for l in labels]
        if plain != self._last_labels:
            self._last_labels = plain
            self.set_options([Option(l) for l in labels])
        if self.highlighted != index:
            self.highlighted = index
