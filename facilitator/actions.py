"""Actions and decisions in meeting notes, written the way the archives already write them.

The archives mark them in the text (``- Action: define and write down these roles``,
``* ACTION: Arielle & Min to …``, ``- **Decision** - one more week …``), so that is where
they stay: one key turns the line under the cursor into ``- Action: …`` or
``- Decision: …``; the owner is the first ``@handle`` on the line. Nothing is added that the
docs site would show oddly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from facilitator.model import Session


class Mark(StrEnum):
    ACTION = "action"
    DECISION = "decision"


_LINE = re.compile(r"^(?P<indent>\s*)(?P<bullet>(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?(?P<rest>.*)$")
_MARKED = re.compile(
    r"^(?P<mark>(?:\*\*)?(?:action(?: items?)?|todo|decision)s?(?:\*\*)?)\s*(?::|-|–)\s*(?P<text>.*)$", re.I
)
_HANDLE = re.compile(r"(?<![\w/])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))")
_DONE = re.compile(r"^(?:[-*+]\s+)?\[[xX]\]")


def mark_line(line: str, mark: Mark) -> str:
    """The line marked as an action or a decision (again: the mark is taken off)."""
    m = _LINE.match(line)
    assert m is not None  # the pattern matches any line
    indent, bullet, rest = m.group("indent"), m.group("bullet") or "- ", m.group("rest")
    found = _MARKED.match(rest)
    label = "Action" if mark == Mark.ACTION else "Decision"
    if found:
        kind = _kind(found.group("mark"))
        text = found.group("text")
        if kind == mark:
            return f"{indent}{bullet}{text}".rstrip() if text else f"{indent}{bullet}".rstrip()
        rest = text
    return f"{indent}{bullet}{label}: {rest}" if rest else f"{indent}{bullet}{label}: "


def _kind(mark: str) -> Mark:
    return Mark.DECISION if "decision" in mark.lower() else Mark.ACTION


@dataclass(frozen=True)
class Marked:
    """One action or decision found in the notes."""

    kind: Mark
    text: str  # what follows the mark
    owner: str  # the first @handle on the line, without the @
    done: bool
    where: str  # the item or room it was written under


def find_marked(text: str, where: str = "") -> list[Marked]:
    out: list[Marked] = []
    for ln in text.split("\n"):
        m = _LINE.match(ln)
        if not m:
            continue
        found = _MARKED.match(m.group("rest").strip())
        if not found or not found.group("text").strip():
            continue
        body = found.group("text").strip()
        handle = _HANDLE.search(body)
        done = bool(_DONE.match(ln.strip())) or body.startswith("~~")
        out.append(Marked(_kind(found.group("mark")), body, handle.group(1) if handle else "", done, where))
    return out


def session_marked(session: Session) -> list[Marked]:
    """Every action and decision in a meeting's notes: items, rooms and other sections."""
    out: list[Marked] = []
    for sec in session.sections:
        for item in sec.items:
            out.extend(find_marked(item.notes, item.title or item.text))
        if sec.body:
            out.extend(find_marked(sec.body, sec.title))
        for entry in sec.entries:
            out.extend(find_marked(entry, sec.title))
    return out


def open_actions(session: Session) -> list[Marked]:
    return [m for m in session_marked(session) if m.kind == Mark.ACTION and not m.done]


def summary_lines(session: Session) -> list[str]:
    """For the export preview: ``Action (@minrk): …`` / ``Decision: …``, one a line."""
    lines = []
    for m in session_marked(session):
        who = f" (@{m.owner})" if m.owner else ""
        label = "Action" if m.kind == Mark.ACTION else "Decision"
        lines.append(f"{label}{who}: {m.text}" + (" [done]" if m.done else ""))
    return lines
