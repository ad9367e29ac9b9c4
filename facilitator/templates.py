"""Agenda templates: how a team's meeting runs and how its notes are written.

Built-in templates live as TOML files in ``facilitator/templates/``; a user adds their
own (same format) in their templates directory. A template that cannot be read is
reported with its file, line and reason and does not stop the others.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator import lines
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.paths import DEFAULT_TEMPLATE

BUILTIN_DIR = Path(__file__).parent / "templates"
LIST_KINDS = ("checkin", "celebrations", "list", "agenda", "roles", "raw")


class TemplateError(Exception):
    """A template file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class SectionSpec:
    kind: str
    heading: str
    level: int = 3
    intro: str = ""
    items: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """What a meeting of this kind holds and how its Markdown is written."""

    name: str
    label: str
    description: str = ""
    meeting_title: str = "Meeting"
    archive_title: str = "{year} Meeting Notes"
    archive_path: str = "meetings/{year}.md"
    slot_minutes: int = 60
    document: bool = False
    meeting_level: int = 2
    agenda_style: str = "bullets"  # or "headings": one heading per item (2i2c)
    topic_level: int = 3
    checkin_line: str = "{name} / @{handle} / {affiliation}"
    agenda_line: str = "**{owner} ({timebox}):** {title}"
    autolink: bool = True
    # The team runs mdformat (+gfm) on its notes (the Cafe does): rendered text is then
    # mdformat's fixed point. Without it, imported text stays exactly as typed.
    mdformat: bool = True
    roles: tuple[str, ...] = ()
    role_line: str = "**Meeting {role}**: {person}"
    cancelled_note: str = "No meeting due to lack of attendees."
    detect: tuple[str, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    path: str = ""

    def archive_title_for(self, year: str) -> str:
        return self.archive_title.format(year=year)

    def archive_path_for(self, year: str) -> str:
        return self.archive_path.format(year=year)

    def agenda_text(self, owner: str, minutes: int | None, title: str, timebox: str = "") -> str:
        """An agenda item's lead line in this template's shape."""
        timebox = timebox or lines.timebox_text(minutes)
        return lines.format_agenda(self.agenda_line, owner, timebox, title)

    def role_text(self, role: str, person: str) -> str:
        return self.role_line.format(role=role, person=person)

    def spec_for(self, kind: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.kind == kind), None)


_STR_FIELDS = (
    "name", "label", "description", "meeting_title", "archive_title", "archive_path",
    "checkin_line", "agenda_line", "role_line", "cancelled_note", "agenda_style",
)


def _fail(path: str, msg: str) -> TemplateError:
    err = TemplateError(f"template {path}: {msg}")
    err.key = msg.split("'")[1] if msg.count("'") >= 2 else ""  # type: ignore[attr-defined]
    return err


def _line_of(text: str, key: str, section: int | None) -> int | None:
    """The line where ``key =`` is set (in the n-th [[sections]] table when given)."""
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[[sections]]"):
            seen += 1
        if (section is None or seen == section) and stripped.split("=")[0].strip() == key:
            return n
    return None


def template_from_dict(data: dict[str, Any], path: str = "<template>") -> Template:
    """Check a parsed template and build it; every problem names the key at fault."""
    kwargs: dict[str, Any] = {"path": path}
    for key in _STR_FIELDS:
        if key in data:
            if not isinstance(data[key], str):
                raise _fail(path, f"'{key}' must be a string")
            kwargs[key] = data[key]
    if "name" not in kwargs or not kwargs["name"].strip():
        raise _fail(path, "'name' is missing")
    kwargs.setdefault("label", kwargs["name"])
    for key in ("slot_minutes", "meeting_level", "topic_level"):
        if key in data:
            if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 1:
                raise _fail(path, f"'{key}' must be a positive whole number")
            kwargs[key] = data[key]
    for key in ("document", "autolink", "mdformat"):
        if key in data:
            if not isinstance(data[key], bool):
                raise _fail(path, f"'{key}' must be true or false")
            kwargs[key] = data[key]
    for key in ("roles", "detect"):
        if key in data:
            if not isinstance(data[key], list) or not all(isinstance(x, str) for x in data[key]):
                raise _fail(path, f"'{key}' must be a list of strings")
            kwargs[key] = tuple(data[key])
    if kwargs.get("agenda_style", "bullets") not in ("bullets", "headings"):
        raise _fail(path, "'agenda_style' must be \"bullets\" or \"headings\"")
    for key, needed in (("agenda_line", ("{title}",)), ("archive_title", ("{year}",))):
        value = kwargs.get(key)
        if value is not None:
            for placeholder in needed:
                if placeholder not in value:
                    raise _fail(path, f"'{key}' must contain {placeholder}")
            try:
                value.format(owner="o", timebox="t", title="x", year="2024")
            except (KeyError, IndexError, ValueError) as exc:
                raise _fail(path, f"'{key}' has an unknown placeholder: {exc}") from None
    specs = []
    raw_sections = data.get("sections", [])
    if not isinstance(raw_sections, list):
        raise _fail(path, "'sections' must be an array of tables ([[sections]])")
    for n, sec in enumerate(raw_sections, 1):
        if not isinstance(sec, dict):
            raise _fail(path, f"section {n} must be a table")
        kind = sec.get("kind")
        if kind not in LIST_KINDS:
            raise _fail(path, f"section {n}: 'kind' must be one of {', '.join(LIST_KINDS)} (got {kind!r})")
        heading = sec.get("heading", "")
        if not isinstance(heading, str):
            raise _fail(path, f"section {n}: 'heading' must be a string")
        level = sec.get("level", 3)
        if not isinstance(level, int) or not 0 <= level <= 6:
            raise _fail(path, f"section {n}: 'level' must be 0 to 6")
        items = sec.get("items", [])
        aliases = sec.get("aliases", [])
        intro = sec.get("intro", "")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _fail(path, f"section {n}: 'items' must be a list of strings")
        if not isinstance(aliases, list) or not all(isinstance(i, str) for i in aliases):
            raise _fail(path, f"section {n}: 'aliases' must be a list of strings")
        if not isinstance(intro, str):
            raise _fail(path, f"section {n}: 'intro' must be a string")
        specs.append(SectionSpec(kind, heading, level, intro, tuple(items), tuple(aliases)))
    kwargs["sections"] = tuple(specs)
    return Template(**kwargs)


def load_template_file(path: Path) -> Template:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(str(path), f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(str(path), "is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path), f"is not valid TOML: {exc}") from None
    try:
        return template_from_dict(data, str(path))
    except TemplateError as exc:
        msg = str(exc)
        m = re.search(r"section (\d+):", msg)
        line = _line_of(text, getattr(exc, "key", ""), int(m.group(1)) if m else None)
        if line is None and m:
            line = _line_of(text, "[[sections]]", None)
        if line is not None:
            msg = msg.replace(f"template {path}:", f"template {path}, line {line}:", 1)
        raise TemplateError(msg) from None


@dataclass
class TemplateSet:
    """The templates found, by name, and the files that could not be used."""

    templates: dict[str, Template] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def resolve(self, name: str) -> Template:
        """The template a session names (a user's own wins), else the default one.

        For rendering what exists: a session written with a template this machine does
        not have still renders, in the default layout.
        """
        return self.templates.get(name) or self.templates.get(DEFAULT_TEMPLATE) or get_template(DEFAULT_TEMPLATE)

    def get(self, name: str | None) -> Template:
        name = name or DEFAULT_TEMPLATE
        if name not in self.templates:
            known = ", ".join(sorted(self.templates))
            raise TemplateError(f"unknown template '{name}' (known: {known})")
        return self.templates[name]


_BUILTINS: dict[str, Template] | None = None


def builtin_templates() -> dict[str, Template]:
    global _BUILTINS
    if _BUILTINS is None:
        found = {}
        for path in sorted(BUILTIN_DIR.glob("*.toml")):
            t = load_template_file(path)
            found[t.name] = t
        _BUILTINS = found
    return dict(_BUILTINS)


def load_templates(user_dir: Path | None = None) -> TemplateSet:
    """Built-in templates plus the user's own (which may override a built-in by name)."""
    result = TemplateSet(templates=builtin_templates())
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            try:
                t = load_template_file(path)
            except TemplateError as exc:
                result.errors.append(str(exc))
                continue
            result.templates[t.name] = t
    return result


def get_template(name: str | None) -> Template:
    """A built-in template by name (the default when None)."""
    return TemplateSet(templates=builtin_templates()).get(name)


def today() -> str:
    return _dt.date.today().isoformat()


def new_session(
    template: Template,
    session_id: str,
    date: str | None = None,
    agenda: list[AgendaItem] | None = None,
) -> Session:
    """A planned session laid out as the template says, ready for the meeting."""
    date = date or today()
    sections: list[Section] = []
    for spec in template.sections:
        sec = Section(kind=spec.kind, heading=spec.heading, level=spec.level, intro=spec.intro)
        if spec.kind in ("agenda",):
            sec.items = [AgendaItem(text=t) for t in spec.items]
            if template.agenda_style == "bullets" and agenda:
                sec.items.extend(agenda)
        elif spec.kind in ("list", "celebrations", "raw"):
            sec.entries = list(spec.items) if spec.kind != "raw" else []
            if spec.kind == "raw":
                sec.body = "\n".join(spec.items)
        elif spec.kind == "checkin":
            sec.attendees = [Attendee(text=t) for t in spec.items]
        elif spec.kind == "roles":
            sec.entries = [template.role_text(r, "").rstrip() for r in template.roles]
        sections.append(sec)
    if template.agenda_style == "headings" and agenda:
        for item in agenda:
            sections.append(
                Section(kind="topic", heading="", level=template.topic_level, items=[item])
            )
    if template.agenda_style == "bullets" and agenda and not any(s.kind == "agenda" for s in sections):
        sections.append(Section(kind="agenda", heading="Agenda", level=template.meeting_level + 1, items=list(agenda)))
    heading = template.meeting_title if template.document else date
    return Session(
        id=session_id,
        date=date,
        template=template.name,
        title=template.meeting_title,
        heading=heading,
        level=1 if template.document else template.meeting_level,
        sections=sections,
        slot_minutes=template.slot_minutes,
    )
