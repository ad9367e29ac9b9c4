"""The ice breaker: a question set before the meeting, answers as bullets under it.

The archives write it as the question line right under the heading, then one bullet per
answer; here the question is the list section's ``intro`` and the answers its entries.
"""

from __future__ import annotations

from facilitator import lines
from facilitator.model import Section, SectionKind, Session

WORDS = ("ice breaker", "icebreaker", "ice-breaker")


def is_icebreaker(section: Section) -> bool:
    plain = lines.plain_heading(section.heading).lower()
    return section.kind in (SectionKind.LIST, SectionKind.RAW) and any(w in plain for w in WORDS)


def icebreaker_section(session: Session) -> Section | None:
    return next((s for s in session.sections if is_icebreaker(s)), None)


def set_question(session: Session, question: str) -> bool:
    """Set the question (one line); False if the meeting has no ice-breaker section."""
    sec = icebreaker_section(session)
    if sec is None:
        return False
    sec.intro = " ".join(question.split())
    return True
