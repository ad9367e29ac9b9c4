"""A team's standing settings: when it meets, where, and where its notes and issues live.

A template's ``[team]`` table holds them::

    [team]
    name = "JupyterHub-JupyterBook-CollabCafe"   # the arewemeetingyet link's name
    time = "11:00"
    timezone = "America/Los_Angeles"
    schedule = "first and third Tuesday"
    video_url = "https://..."
    pad_url = "https://..."
    issue_repo = "jupyterhub/team-compass"
    coc_url = "https://..."
    archive_repo = "jupyterhub/team-compass"     # where the pull request goes
    checkout = "~/src/team-compass"              # the local git checkout to archive into
    what_to_bring = ["Activity you'd like to celebrate", "..."]

A setting that cannot be used (an unknown time zone, a schedule we cannot read, a
malformed repository name) does not stop the template from loading: it is kept out and
reported as one line in ``problems``; a command that needs it says so with that line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.schedule import Schedule, ScheduleError, parse_schedule

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$")

_STR_KEYS = (
    "name", "title", "issue_title", "time", "timezone", "link_zone", "schedule", "video_url",
    "pad_url", "pad_kind", "issue_repo", "coc_url", "coc_name", "archive_repo", "checkout",
    "calendar_url", "docs_url", "chat_url", "icebreaker",
)
_LIST_KEYS = ("what_to_bring",)
KNOWN_KEYS = _STR_KEYS + _LIST_KEYS


class TeamError(ValueError):
    """A team setting a command needs is missing or unusable; the message is one line."""


@dataclass(frozen=True)
class TeamSettings:
    """What a team's ``[team]`` table says (empty strings where it says nothing)."""

    name: str = ""
    title: str = ""
    issue_title: str = ""
    time: str = ""
    timezone: str = ""
    link_zone: str = ""
    schedule: str = ""
    video_url: str = ""
    pad_url: str = ""
    pad_kind: str = ""  # "hackmd" or "etherpad"; guessed from pad_url when empty
    issue_repo: str = ""
    coc_url: str = ""
    coc_name: str = "Code of Conduct"
    archive_repo: str = ""
    checkout: str = ""
    calendar_url: str = ""
    docs_url: str = ""
    chat_url: str = ""
    icebreaker: str = ""
    what_to_bring: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=(), compare=False)
    where: str = ""  # the template file, for messages

    # -- checked views: each raises TeamError with one clear line ----------------------
    def _need(self, key: str) -> str:
        value = getattr(self, key)
        if value:
            return value
        for p in self.problems:
            if p.startswith(f"team.{key} "):
                raise TeamError(f"{self.where}: {p}" if self.where else p)
        raise TeamError(f"{self.where}: no team.{key} set ([team] table)" if self.where else f"no team.{key} set")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self._need("timezone"))

    @property
    def clock_time(self) -> dt.time:
        h, m = _TIME.match(self._need("time")).groups()  # type: ignore[union-attr]
        return dt.time(int(h), int(m))

    @property
    def recurrence(self) -> Schedule:
        return parse_schedule(self._need("schedule"))

    @property
    def has_schedule(self) -> bool:
        return bool(self.schedule)

    @property
    def repo(self) -> str:
        return self._need("issue_repo")

    @property
    def pad_is_hackmd(self) -> bool:
        kind = self.pad_kind or ("hackmd" if "hackmd" in self.pad_url else "etherpad")
        return kind == "hackmd"

    def starts_at(self, day: dt.date) -> dt.datetime:
        """The meeting's start on ``day``, in the team's zone (DST as that day has it)."""
        return dt.datetime.combine(day, self.clock_time, tzinfo=self.zone)

    def arewemeetingyet_zone(self) -> str:
        """The zone as the link writes it: ``link_zone``, else the zone's city part."""
        return self.link_zone or self._need("timezone").rsplit("/", 1)[-1]


def _problem_free(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in data.items():
        if key in _STR_KEYS:
            if not isinstance(value, str):
                problems.append(f"team.{key} must be a string")
                continue
            kwargs[key] = value.strip()
        elif key in _LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                problems.append(f"team.{key} must be a list of strings")
                continue
            kwargs[key] = tuple(x.strip() for x in value if x.strip())
        else:
            problems.append(f"team.{key} is not a team setting (known: {', '.join(KNOWN_KEYS)})")
    return kwargs, problems


def team_from_dict(data: Any, where: str = "") -> TeamSettings:
    """Read a ``[team]`` table; unusable values are dropped and described in ``problems``."""
    if data is None:
        return TeamSettings(where=where)
    if not isinstance(data, dict):
        return TeamSettings(where=where, problems=("team must be a table ([team])",))
    kwargs, problems = _problem_free(data)
    if "time" in kwargs:
        m = _TIME.match(kwargs["time"])
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            problems.append(f"team.time {kwargs.pop('time')!r} is not a time of day (use HH:MM, e.g. \"11:00\")")
        else:
            kwargs["time"] = f"{int(m.group(1)):02d}:{m.group(2)}"
    if "timezone" in kwargs:
        try:
            ZoneInfo(kwargs["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"team.timezone {kwargs.pop('timezone')!r} is not a known time zone "
                "(use an IANA name such as \"America/Los_Angeles\" or \"UTC\")"
            )
    if "schedule" in kwargs:
        try:
            parse_schedule(kwargs["schedule"])
        except ScheduleError as exc:
            problems.append(f"team.schedule {kwargs.pop('schedule')!r}: {exc}")
    for key in ("issue_repo", "archive_repo"):
        if key in kwargs and kwargs[key] and not _REPO.match(kwargs[key]):
            problems.append(f"team.{key} {kwargs.pop(key)!r} is not a GitHub repository (use owner/name)")
    if "pad_kind" in kwargs and kwargs["pad_kind"] not in ("", "hackmd", "etherpad"):
        problems.append(f"team.pad_kind {kwargs.pop('pad_kind')!r} must be \"hackmd\" or \"etherpad\"")
    return TeamSettings(**kwargs, problems=tuple(problems), where=where)
