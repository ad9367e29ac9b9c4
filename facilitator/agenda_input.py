"""An agenda typed or pasted before the call, read so that no line is ever dropped silently.

Bulleted Markdown goes through ``markdown.parse_agenda_items``. Plain lines are one item
each; an indented line (``    **Yuvi (10 min):** A`` under an item) becomes a sub-bullet
of the item above, and one with no item above is kept as an item with a word about it.
Any line the reader did not place anywhere comes back as an item too, and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facilitator.markdown import normalize_text, parse_agenda_items
from facilitator.model import AgendaItem

_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")


@dataclass
class AgendaInput:
    items: list[AgendaItem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def read_agenda(text: str, template) -> AgendaInput:
    """The items of a typed agenda, and what the user should be told about how it was read."""
    text = normalize_text(text)
    rows = text.split("\n")
    first = next((ln for ln in rows if ln.strip()), "")
    if _MARKER.match(first) and not first.startswith((" ", "\t")):
        result = AgendaInput(parse_agenda_items(text, template))
    else:
        result = _plain_lines(rows)
    _keep_every_line(rows, result)
    return result


def _plain_lines(rows: list[str]) -> AgendaInput:
    out = AgendaInput()
    base: int | None = None  # the indentation of the sub-bullets under the current item
    for n, ln in enumerate(rows, 1):
        if not ln.strip():
            continue
        indent = len(ln) - len(ln.lstrip(" "))
        stripped = ln.strip()
        if indent == 0 or not out.items:
            if indent and not out.items:
                out.messages.append(f"line {n} is indented but has no item above it: added as an item")
            out.items.append(AgendaItem(text=_MARKER.sub("", stripped, count=1) if indent else stripped))
            base = None
            continue
        item = out.items[-1]
        if base is None:
            base = indent
        level = max(0, (indent - base) // 2)
        bullet = stripped if _MARKER.match(stripped) else f"- {stripped}"
        item.notes = (item.notes + "\n" if item.notes else "") + "  " * level + bullet
    subs = sum(1 for it in out.items if it.notes)
    if subs:
        out.messages.append(f"indented lines became sub-bullets of the item above ({subs} item{'s' if subs != 1 else ''})")
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _keep_every_line(rows: list[str], result: AgendaInput) -> None:
    """Any line whose words are in no item (title or notes) is added as an item and reported."""
    placed = set()
    for it in result.items:
        placed |= _words(it.text) | _words(it.notes)
    for n, ln in enumerate(rows, 1):
        words = _words(ln)
        if words and not words <= placed:
            result.items.append(AgendaItem(text=ln.strip()))
            placed |= words
            result.messages.append(f"line {n} was not understood as an agenda item: added as written")
