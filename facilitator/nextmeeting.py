"""Carrying a meeting forward: the next session, with what was left over.

The next session uses the same template and gets the items the last one did not finish:
items marked deferred, and items still pending or running when the meeting was closed.
Their lead line (owner, timebox, title) is carried as written; their notes stay in the
old meeting; ``carried_from`` names the session they came from.

A session imported from an archive was never run with facilitator, so its items'
"pending" says nothing about whether they were discussed: from such a session only
deferred items are carried (there are none unless someone marked them since).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from facilitator.model import AgendaItem, Session
from facilitator.schedule import ScheduleError, parse_schedule
from facilitator.store import SessionStore
from facilitator.templates import Template, TemplateSet, builtin_templates, new_session

DEFAULT_RULE = "monthly-nth-weekday"
_WEEKS = re.compile(r"^weeks?:(\d{1,3})$")
UNFINISHED = ("pending", "running")


def check_rule(rule: str) -> str:
    rule = (rule or DEFAULT_RULE).strip().lower()
    if rule in (DEFAULT_RULE, "monthly"):
        return DEFAULT_RULE
    m = _WEEKS.match(rule)
    if m and int(m.group(1)) > 0:
        return f"weeks:{int(m.group(1))}"
    raise ValueError(f"unknown date rule {rule!r} (use {DEFAULT_RULE} or weeks:N)")


def parse_day(date: str) -> dt.date:
    try:
        return dt.date.fromisoformat(date.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"not a day: {date!r} (use YYYY-MM-DD)") from None


def next_date(date: str, rule: str = DEFAULT_RULE) -> str:
    """The next meeting's day after ``date`` (an ISO day) under ``rule``.

    ``monthly-nth-weekday``: the same nth weekday of the next month (the third Tuesday
    stays the third Tuesday); a fifth weekday the next month lacks becomes its last one.
    ``weeks:N``: N weeks later, so the same weekday. Any other rule is read as a
    schedule phrase ("first and third Tuesday", see ``facilitator.schedule``).
    """
    day = parse_day(date)
    try:
        rule = check_rule(rule)
    except ValueError:
        try:
            return parse_schedule(rule).next_after(day).isoformat()
        except ScheduleError as exc:
            raise ValueError(f"unknown date rule {rule!r}: {exc}; or use {DEFAULT_RULE} or weeks:N") from None
    if rule.startswith("weeks:"):
        return (day + dt.timedelta(weeks=int(rule.split(":")[1]))).isoformat()
    nth = (day.day - 1) // 7  # 0-based: 0 = first
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    first = dt.date(year, month, 1)
    offset = (day.weekday() - first.weekday()) % 7
    target = 1 + offset + 7 * nth
    last_day = calendar.monthrange(year, month)[1]
    while target > last_day:
        target -= 7
    return dt.date(year, month, target).isoformat()


def scheduled_date(date: str, template: Template, rule: str | None = None) -> str:
    """The next meeting's day: by ``rule`` when given, else the team's schedule, else monthly."""
    if rule:
        return next_date(date, rule)
    if template.team.has_schedule or any(p.startswith("team.schedule ") for p in template.team.problems):
        # a schedule the team wrote but we cannot read is an error (one line), not a silent "monthly"
        return template.team.recurrence.next_after(parse_day(date)).isoformat()
    return next_date(date, DEFAULT_RULE)


def carried_items(session: Session) -> list[AgendaItem]:
    """Copies (new ids, empty notes) of the items the next meeting should get."""
    imported = bool(session.source) and session.status == "finished"
    statuses = ("deferred",) if imported else ("deferred",) + UNFINISHED
    return [
        AgendaItem(text=item.text, status="pending", carried_from=session.id)
        for item in session.agenda_items
        if item.status in statuses and item.text.strip()
    ]


def carried_actions(session: Session, template) -> AgendaItem | None:
    """The open actions of a meeting as one item of the next, each with its owner's @handle."""
    from facilitator.actions import open_actions

    found = open_actions(session)
    if not found:
        return None
    notes = "\n".join(f"- Action: {a.text}" for a in found)
    text = template.agenda_text("", None, f"Open actions from {session.date}")
    return AgendaItem(text=text, notes=notes, status="pending", carried_from=session.id)


def plan_next(
    store: SessionStore,
    session: Session,
    date: str | None = None,
    rule: str | None = None,
    templates: TemplateSet | None = None,
) -> Session:
    """The next session (not saved): same template, next date, left-over items.

    With no ``date`` and no ``rule`` the date follows the template's team schedule.
    """
    tpl = (templates or TemplateSet(templates=builtin_templates())).resolve(session.template)
    if date is None:
        date = scheduled_date(session.date, tpl, rule)
    else:
        parse_day(date)
    fixed = {t.strip() for spec in tpl.sections for t in spec.items}
    items = [i for i in carried_items(session) if i.text.strip() not in fixed]
    carried = carried_actions(session, tpl)
    if carried is not None:
        items.append(carried)
    new = new_session(tpl, store.make_id(date), date=date, agenda=items)
    new.slot_minutes = session.slot_minutes or tpl.slot_minutes
    return new


def create_next(
    store: SessionStore,
    session_id: str,
    date: str | None = None,
    rule: str | None = None,
    templates: TemplateSet | None = None,
) -> Session:
    """Create and save the next session after ``session_id``; returns it (its id is new)."""
    old = store.load(session_id)
    new = plan_next(store, old, date, rule, templates)
    store.save(new)
    return new
