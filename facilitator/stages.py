"""The stages of a meeting, in the template's order: check-in, lists, roles, the agenda, each item.

The meeting screen's sidebar lists them and F2/F3 walk them; they are rebuilt from the
session whenever the agenda changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.model import AgendaItem, Section, Session


@dataclass
class Stage:
    kind: str  # checkin, list, roles, agenda (overview), item, raw
    section: Section | None = None
    item: AgendaItem | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, id(self.section), id(self.item))


def build_stages(session: Session) -> list[Stage]:
    stages: list[Stage] = []
    overview_added = False
    for sec in session.sections:
        if sec.kind == "checkin":
            stages.append(Stage("checkin", sec))
        elif sec.kind in ("celebrations", "list"):
            stages.append(Stage("list", sec))
        elif sec.kind == "roles":
            stages.append(Stage("roles", sec))
        elif sec.kind == "agenda":
            stages.append(Stage("agenda", sec))
            overview_added = True
            stages.extend(Stage("item", sec, item) for item in sec.items)
        elif sec.kind == "topic":
            if not overview_added:
                stages.append(Stage("agenda", None))
                overview_added = True
            stages.extend(Stage("item", sec, item) for item in sec.items)
        elif sec.kind == "raw":
            if sec.heading or sec.body.strip():
                stages.append(Stage("raw", sec))
    if not overview_added:
        stages.append(Stage("agenda", None))
    return stages


def item_label(item: AgendaItem) -> str:
    title = item.title or item.text
    who = f"{item.owner}: " if item.owner else ""
    return f"{who}{title}"
