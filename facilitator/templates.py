"""Agenda templates: how a team's meeting runs and how its notes are written.

Built-in templates live as TOML files in ``facilitator/templates/``; a user adds their
own (same format) in their templates directory. A template that cannot be read is
reported with its file, line and reason and does not stop the others.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import string
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator import lines
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.paths import DEFAULT_TEMPLATE

if TYPE_CHECKING:
    from facilitator.team import TeamSettings

BUILTIN_DIR = Path(__file__).parent / "templates"
LIST_KINDS = ("checkin", "celebrations", "list", "agenda", "roles", "raw")
FORMS = ("yearly", "document")


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
    # How the team keeps its notes: "yearly" (one archive file a year, a ``## date``
    # section per meeting) or "document" (one file per meeting: front matter, H1,
    # lead-in, sections). ``document = true`` in older template files means "document".
    form: str = "yearly"
    # Where a "document" team keeps each meeting's file (``{date}``, ``{year}``): what
    # ``new -o`` / ``export -o`` write to when no file is named.
    document_path: str = "meetings/{date}.md"
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
    # Breakout rooms opened live: their heading's shape and level (2026: the default;
    # late 2025: room_heading = "Notes for {topic}", room_level = 3).
    room_heading: str = "Notes for Breakout room {number}: {topic}"
    main_room_heading: str = "Notes for Main Room discussion: {topic}"
    room_level: int = 4
    # Whether the check-in's prompt line (``*Name (and pronouns...) / ...*``) goes into the
    # export. Either way the app shows it over the list, never as an attendee. The 2026
    # archive drops it (16 of 17 meetings), so the 2025-26 Cafe template says false.
    checkin_prompt_exported: bool = True

    # The ``[team]`` table as the file has it (None: none); ``team`` reads and checks it.
    team_table: Any = field(default=None, compare=False, repr=False)
    # Problems that do not stop the template (an unknown key): shown by ``templates``.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @functools.cached_property
    def team(self) -> TeamSettings:
        """The team's settings (``facilitator.team``), read from ``team_table`` on first use.

        Checking them (the time zone, the schedule's words) imports zoneinfo and dateutil,
        which a meeting opened with ``open ID`` does not need before its first frame; what
        is found is the same whenever it is read (``problems``: the settings left out).
        """
        from facilitator.team import team_from_dict

        return team_from_dict(self.team_table, self.path)

    @property
    def document(self) -> bool:
        """True when the team writes one file per meeting (``form = "document"``)."""
        return self.form == "document"

    def document_path_for(self, date: str) -> str:
        return self.document_path.format(date=date, year=date[:4])

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
    "room_heading", "main_room_heading", "form", "document_path",
)


# Every format string a template may hold, and the only placeholders each may use
# (bare names: ``{year.x}`` or ``{owner[0]}`` would read attributes or items of user text).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "agenda_line": ("owner", "timebox", "title"),
    "archive_title": ("year",),
    "archive_path": ("year",),
    "document_path": ("date", "year"),
    "role_line": ("role", "person"),
    "checkin_line": ("name", "handle", "affiliation", "pronouns", "location", "note"),
    "room_heading": ("number", "topic"),
    "main_room_heading": ("number", "topic"),
}
REQUIRED_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "agenda_line": ("title",),
    "archive_title": ("year",),
    "document_path": ("date",),
    "room_heading": ("topic",),
    "main_room_heading": ("topic",),
}

# Top-level keys a template file may hold beyond the Template fields: the team's settings
# table, and ``document = true``, the older spelling of ``form = "document"``.
OTHER_KEYS = frozenset({"team", "document"})


def known_keys() -> frozenset[str]:
    """Top-level keys a template file may hold; any other is warned about and ignored."""
    return frozenset(f.name for f in fields(Template)) - {"path", "warnings", "team_table"} | OTHER_KEYS


def check_format(key: str, value: str) -> str | None:
    """Why the format string ``value`` of template key ``key`` is unusable, or None if it is fine."""
    allowed = PLACEHOLDERS[key]
    shown = ", ".join("{" + a + "}" for a in allowed)
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:  # a lone "{" or "}"
        return f"'{key}' is not a valid format ({exc}; write {{{{ or }}}} for a literal brace)"
    used = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            what = "{" + name + "}" if name else "{}"
            return f"'{key}' has an unknown placeholder {what} (use {shown})"
        if conversion or spec:
            return f"'{key}' has a placeholder with a conversion or format spec; write it plain, as {{{name}}}"
        used.add(name)
    for name in REQUIRED_PLACEHOLDERS.get(key, ()):
        if name not in used:
            return f"'{key}' must contain {{{name}}}"
    return None


def check_name(name: str) -> str | None:
    """Why a template name is unusable, or None (it names a template, never a path)."""
    if not name.strip():
        return "'name' is missing"
    if any(sep in name for sep in ("/", "\\", os.sep, os.altsep or "/")) or name in (".", ".."):
        return f"'name' {name!r} must not contain a path separator"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name):
        return f"'name' {name!r} must not contain control characters"
    return None


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
    problem = check_name(kwargs.get("name", ""))
    if problem:
        raise _fail(path, problem)
    kwargs.setdefault("label", kwargs["name"])
    for key in ("slot_minutes", "meeting_level", "topic_level", "room_level"):
        if key in data:
            if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 1:
                raise _fail(path, f"'{key}' must be a positive whole number")
            kwargs[key] = data[key]
    for key in ("document", "autolink", "checkin_prompt_exported", "mdformat"):
        if key in data:
            if not isinstance(data[key], bool):
                raise _fail(path, f"'{key}' must be true or false")
            kwargs[key] = data[key]
    if kwargs.get("form", "yearly") not in FORMS:
        raise _fail(path, "'form' must be \"yearly\" or \"document\"")
    if "document" in kwargs:
        old = "document" if kwargs.pop("document") else "yearly"
        if "form" in kwargs and kwargs["form"] != old:
            raise _fail(path, f"'document' says {old!r} but 'form' says {kwargs['form']!r}; keep 'form' only")
        kwargs["form"] = old
    for key in ("roles", "detect"):
        if key in data:
            if not isinstance(data[key], list) or not all(isinstance(x, str) for x in data[key]):
                raise _fail(path, f"'{key}' must be a list of strings")
            kwargs[key] = tuple(data[key])
    if kwargs.get("agenda_style", "bullets") not in ("bullets", "headings"):
        raise _fail(path, "'agenda_style' must be \"bullets\" or \"headings\"")
    for key in PLACEHOLDERS:
        value = kwargs.get(key)
        if value is not None:
            problem = check_format(key, value)
            if problem:
                raise _fail(path, problem)
    known = known_keys()
    kwargs["warnings"] = tuple(
        f"template {path}: unknown key '{key}' (ignored)" for key in data if key not in known
    )
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
    kwargs["team_table"] = data.get("team")  # the [team] table, read on first use (Template.team)
    return Template(**kwargs)


def load_template_file(path: Path) -> Template:
    import stat

    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # a FIFO would block the app's start
            raise _fail(str(path), "is not a regular file")
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
    warnings: list[str] = field(default_factory=list)  # usable, but not as the file says

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
# Built-ins parsed one at a time (builtin_template), by file name; reused by the full set.
_BUILTIN_FILES: dict[str, Template] = {}


def _builtin_file(path: Path) -> Template:
    if path.stem not in _BUILTIN_FILES:
        _BUILTIN_FILES[path.stem] = load_template_file(path)
    return _BUILTIN_FILES[path.stem]


def builtin_templates() -> dict[str, Template]:
    global _BUILTINS
    if _BUILTINS is None:
        found = {}
        for path in sorted(BUILTIN_DIR.glob("*.toml")):
            t = _builtin_file(path)
            found[t.name] = t
        _BUILTINS = found
    return dict(_BUILTINS)


def builtin_template(name: str) -> Template | None:
    """The built-in template of this name, parsing only its file (each built-in's file is
    named after it, as tests/test_templates.py checks); None if there is none."""
    if _BUILTINS is not None:
        return _BUILTINS.get(name)
    # Only a name the directory lists: a session's template name is its file's data and
    # must never become a path of its own.
    if name not in {p.stem for p in BUILTIN_DIR.glob("*.toml")}:
        return None
    t = _builtin_file(BUILTIN_DIR / f"{name}.toml")
    return t if t.name == name else builtin_templates().get(name)


def resolve_template(name: str, user_dir: Path | None = None) -> Template:
    """``load_templates(user_dir).resolve(name)``, reading the user's templates but only the
    one built-in it needs: opening a meeting straight from the command line parses one
    built-in file, not all of them."""
    user = _user_templates(user_dir, TemplateSet(), {}) if user_dir is not None and user_dir.is_dir() else {}
    found = user.get(name) or builtin_template(name) or user.get(DEFAULT_TEMPLATE) or builtin_template(DEFAULT_TEMPLATE)
    return found or get_template(DEFAULT_TEMPLATE)


def load_templates(user_dir: Path | None = None) -> TemplateSet:
    """Built-in templates plus the user's own (which may override a built-in by name)."""
    builtins = builtin_templates()
    result = TemplateSet(templates=dict(builtins))
    if user_dir is not None and user_dir.is_dir():
        result.templates.update(_user_templates(user_dir, result, builtins))
    return result


def _user_templates(user_dir: Path, result: TemplateSet, builtins: dict[str, Template]) -> dict[str, Template]:
    """The usable templates of the user's directory by name (a later file of the same name
    wins); what cannot be used, or overrides a built-in, is told in ``result``."""
    from_user: dict[str, Template] = {}
    for path in sorted(user_dir.glob("*.toml")):
        try:
            t = load_template_file(path)
        except TemplateError as exc:
            result.errors.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
            result.errors.append(f"template {path}: cannot be used ({type(exc).__name__}: {exc})")
            continue
        result.warnings.extend(t.warnings)
        if t.name in from_user:
            result.warnings.append(
                f"template {path}: '{t.name}' is also defined in {from_user[t.name].path}; {path.name} wins"
            )
        elif t.name in builtins:
            result.warnings.append(
                f"template {path}: '{t.name}' has the name of a built-in template; yours is used"
            )
        from_user[t.name] = t
    return from_user


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
            if not template.checkin_prompt_exported:
                # The template's prompt line is the list's prompt only, not in the export.
                sec.prompt = "\n".join(a.text for a in sec.attendees if a.is_placeholder)
                sec.attendees = [a for a in sec.attendees if not a.is_placeholder]
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
        form=template.form,
    )
