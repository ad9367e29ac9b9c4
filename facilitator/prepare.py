"""Before the call: the meeting issue, the pad skeleton and the reminders, as text to paste.

Everything comes from the session (date, sections, carried items) and its template's
team settings (time, zone, links), so the facilitator never retypes a date or a link.
The texts are plain: an Etherpad shows them as they are, HackMD renders them as the
team's own pads look (seed 001's header block).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.icebreaker import icebreaker_section
from facilitator.model import Session
from facilitator.team import TeamError, TeamSettings
from facilitator.templates import Template



REMINDERS = {"1w": "one week", "1d": "one day"}
ICEBREAKER_PLACEHOLDER = "(the ice-breaker question goes here)"


def local_zone() -> dt.tzinfo:
    """The user's zone: $TZ when it names one, else the system's."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.timezone.utc


def meeting_day(session: Session) -> dt.date:
    try:
        return dt.date.fromisoformat(session.date)
    except ValueError:
        raise TeamError(f"session {session.id!r} has no day ({session.date!r}); give it a YYYY-MM-DD date") from None


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class When:
    """A meeting's start, in the team's zone, in UTC and in the user's zone."""

    team: dt.datetime
    utc: dt.datetime
    local: dt.datetime

    def line(self, with_local: bool = True) -> str:
        zone = self.team.tzinfo.key if isinstance(self.team.tzinfo, ZoneInfo) else str(self.team.tzinfo)
        text = f"{self.team:%H:%M} {zone}"
        if zone != "UTC":
            text += f" ({self.utc:%H:%M} UTC)"
        shown = {self.team.utcoffset(), dt.timedelta(0) if zone != "UTC" else None}
        if with_local and self.local.utcoffset() not in shown:
            text += f", {self.local:%H:%M} your time ({self.local:%Z})"
        return text


def when(team: TeamSettings, day: dt.date, user_zone: dt.tzinfo | None = None) -> When:
    start = team.starts_at(day)
    return When(start, start.astimezone(dt.timezone.utc), start.astimezone(user_zone or local_zone()))


def arewemeetingyet_url(team: TeamSettings, day: dt.date, name: str = "") -> str:
    """``https://arewemeetingyet.com/<Zone>/<YYYY-MM-DD>/<HH:MM>/<Name>``."""
    label = name or team.name or "Meeting"
    zone = "/".join(quote(part, safe="") for part in team.arewemeetingyet_zone().split("/"))
    return f"https://arewemeetingyet.com/{zone}/{day.isoformat()}/{team.time or team._need('time')}/{quote(label, safe='')}"


def issue_url(team: TeamSettings, number: str) -> str:
    return f"https://github.com/{team.repo}/issues/{number}" if number else ""


def issue_title(session: Session, template: Template) -> str:
    pattern = template.team.issue_title or f"{template.meeting_title} | {{date}}"
    try:
        return pattern.format(date=session.date, title=template.meeting_title)
    except (KeyError, IndexError, ValueError):
        return f"{template.meeting_title} | {session.date}"


def issue_text(session: Session, template: Template, user_zone: dt.tzinfo | None = None) -> str:
    """The meeting issue: its title line, a blank line, its body (the community's shape)."""
    team = template.team
    day = meeting_day(session)
    w = when(team, day, user_zone)
    out = [issue_title(session, template), "", f"Here are the details for our next {template.meeting_title}!", ""]
    out.append(f"- Date: {long_date(day)}")
    out.append(f"- Time: {w.line(with_local=False)}")
    out.append(f"  - Your timezone: {arewemeetingyet_url(team, day)}")
    if team.pad_url:
        out.append(f"- Collaborative notes link: {team.pad_url}")
    if team.video_url:
        out.append(f"- Video link: {team.video_url}")
    more = [u for u in (team.docs_url, team.calendar_url, team.coc_url and f"{team.coc_name}: {team.coc_url}") if u]
    if more:
        out.append("- More info:")
        out.extend(f"  - {u}" for u in more)
    if team.what_to_bring:
        out += ["", "Please collect in this thread :point_down:", ""]
        out.extend(f"* {thing}" for thing in team.what_to_bring)
    carried = [i.text for i in session.agenda_items if i.carried_from]
    if carried:
        out += ["", "Carried over from the last meeting:", ""]
        out.extend(f"* {t}" for t in carried)
    out += ["", "We might not get to everything, but the earlier you add it, the more likely we can line up the right people."]
    return "\n".join(out) + "\n"


def remind_text(session: Session, template: Template, before: str, user_zone: dt.tzinfo | None = None) -> str:
    """The reminder comment posted on the issue a week (``1w``) or a day (``1d``) before."""
    if before not in REMINDERS:
        raise TeamError(f"--before must be 1w or 1d (got {before!r})")
    team = template.team
    day = meeting_day(session)
    w = when(team, day, user_zone)
    away = "is one week away" if before == "1w" else "is tomorrow"
    out = [
        f"Reminder: the {template.meeting_title} {away}, {long_date(day)} at {w.line(with_local=False)}.",
        f"Your timezone: {arewemeetingyet_url(team, day)}",
        "",
    ]
    if before == "1w":
        out.append("Please add the breakout topics and celebrations you would like to this thread, "
                   "and say if you could lead a breakout room.")
    else:
        out.append("Last call for breakout topics and celebrations: add them here or in the notes.")
    links = [f"Notes: {team.pad_url}" if team.pad_url else "", f"Video: {team.video_url}" if team.video_url else ""]
    links = [x for x in links if x]
    if links:
        out += [""] + links
    return "\n".join(out) + "\n"


def _bold(text: str, hackmd: bool) -> str:
    return f"**{text}:**" if hackmd else f"{text}:"


def _link(url: str, hackmd: bool) -> str:
    return f"<{url}>" if hackmd else url


def pad_text(session: Session, template: Template, icebreaker: str = "", user_zone: dt.tzinfo | None = None) -> str:
    """The pad skeleton: header block, welcome and Code of Conduct, ice breaker, sections.

    HackMD pads get seed 001's bold labels and ``<links>``; an Etherpad gets the same
    lines without the Markdown marks, since it shows text as typed.
    """
    team = template.team
    hackmd = team.pad_is_hackmd
    day = meeting_day(session)
    w = when(team, day, user_zone)
    title = template.meeting_title
    out = [f"# {title}" if hackmd else title, ""]
    out.append(f"- {_bold('Date', hackmd)} {long_date(day)}")
    out.append(f"- {_bold('Time', hackmd)} {w.line(with_local=False)}")
    out.append(f"  - {_bold('Your timezone', hackmd)} {_link(arewemeetingyet_url(team, day), hackmd)}")
    if team.video_url:
        out.append(f"- {_bold('Video conference link', hackmd)} {_link(team.video_url, hackmd)}")
    if team.pad_url:
        out.append(f"- {_bold('This pad', hackmd)} {_link(team.pad_url, hackmd)}")
    if session.issue and team.issue_repo:
        out.append(f"- {_bold('GitHub issue', hackmd)} {_link(issue_url(team, session.issue), hackmd)}")
    if team.calendar_url:
        out.append(f"- {_bold('Calendar for future meetings', hackmd)} {_link(team.calendar_url, hackmd)}")
    out.append("")
    welcome = "Welcome! Please sign in below and answer the ice-breaker question."
    if team.coc_url:
        welcome += f" This meeting is held under {team.coc_name}: {_link(team.coc_url, hackmd)}"
    out += [welcome, ""]
    ice = icebreaker_section(session)
    question = icebreaker or (ice.intro.strip() if ice else "") or team.icebreaker or ICEBREAKER_PLACEHOLDER
    placed = False
    for sec in session.sections:
        heading = sec.heading.strip()
        if heading:
            out += [("#" * max(sec.level, 1) + " " if hackmd else "") + heading, ""]
        body: list[str] = []
        if sec.intro.strip() and sec is not ice:  # the ice breaker's intro is its question
            body += [sec.intro.strip(), ""]
        if sec.kind == "checkin":
            body += [f"- {a.text}" for a in sec.attendees] or [f"- {checkin_hint(template)}"]
        elif sec.kind in ("list", "celebrations", "roles"):
            if not placed and (sec is ice or "ice" in heading.lower()):
                body.append(f"{question}")
                placed = True
                body += [f"- {e}" for e in sec.entries] or ["- "]
            else:
                body += [f"- {e}" for e in sec.entries] or ["- "]
        elif sec.kind in ("agenda", "topic"):
            if sec.kind == "topic":
                body += [f"{i.text}" for i in sec.items]
            else:
                body += [f"- {i.text}" for i in sec.items] or ["- "]
        elif sec.kind == "raw" and sec.body.strip():
            body.append(sec.body.strip())
        out += body + [""]
        if sec.kind == "checkin" and not placed and not any("ice" in s.heading.lower() for s in session.sections):
            out += [("### " if hackmd else "") + "Ice breaker", "", question, "", "- ", ""]
            placed = True
    if not placed:
        out += [("### " if hackmd else "") + "Ice breaker", "", question, "", "- ", ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def checkin_hint(template: Template) -> str:
    try:
        return template.checkin_line.format(
            name="Name", handle="github", affiliation="Institution", pronouns="pronouns", location="location"
        )
    except (KeyError, IndexError, ValueError):
        return "Name / @github / Institution"
