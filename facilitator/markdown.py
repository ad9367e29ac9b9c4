"""Markdown out and in: sessions as their archive writes them, and archives as sessions.

Rendering lays the session out as its template says, then runs mdformat with the GFM
plugin (the community's own formatter), so the output is already what their pull request
would hold. Parsing uses markdown-it-py's block tokens and their line maps to find
headings and lists, and keeps the source lines themselves: anything that fits no
structure stays as a raw block in place, so nothing a person wrote is dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from facilitator import collector, lines, rooms
from facilitator.model import AgendaItem, Attendee, Section, Session
from facilitator.templates import Template, TemplateSet, builtin_templates, get_template

# -- helpers shared by render and parse ---------------------------------------------

_MARKER = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)")
_FENCE = lines.FENCE
_BARE_URL = re.compile(r"(?<![<\[(=/\w\"'`])https?://[^\s<>`]+")
_TRAILING = ".,;:!?'\"*_"


def _link_url(m: re.Match[str]) -> str:
    """``<url>`` for a bare URL, leaving sentence punctuation and unmatched closers outside."""
    url = m.group(0)
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        ):
            url = url[:-1]
            continue
        break
    if len(url) <= len("https://"):
        return m.group(0)
    return f"<{url}>{m.group(0)[len(url):]}"
_HEADING_LINE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_DATE_HEADING = re.compile(r"^(\d{4}-\d{1,2}(?:-\d{1,2})?)(?![\d-])")


def autolink(text: str) -> str:
    """Bare URLs become ``<autolinks>`` (outside code spans and existing links)."""
    if "http" not in text:
        return text
    out = []
    for n, part in enumerate(text.split("`")):
        out.append(part if n % 2 else _BARE_URL.sub(_link_url, part))
    return "`".join(out)


def bulletize(notes: str) -> str:
    """Notes typed as indented lines become nested bullets; Markdown stays as it is.

    A line with no list marker becomes a bullet at its indentation, unless it continues
    a bullet written with a marker (indented under it, no blank line between).
    """
    out: list[str] = []
    in_fence = ""
    cont_col: int | None = None  # set while a bullet written with a marker continues
    for line in notes.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        fence = _FENCE.match(line)
        if in_fence:
            out.append(line)
            if fence and fence.group(1)[0] == in_fence[0] and len(fence.group(1)) >= len(in_fence):
                in_fence = ""
            continue
        if fence:
            in_fence = fence.group(1)
            out.append(line)
            continue
        if not stripped:
            out.append(line)
            cont_col = None
            continue
        m = _MARKER.match(line)
        if m:
            out.append(line)
            cont_col = indent + len(m.group("marker")) + max(1, len(m.group("space")))
            continue
        if cont_col is not None:  # Markdown's lazy continuation of the bullet above
            out.append(line)
            continue
        level = indent // 2
        out.append("  " * level + "- " + stripped)
        cont_col = None
    return "\n".join(out)


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + ln if ln.strip() else "" for ln in text.split("\n"))


def _bullet(first: str, rest: str = "") -> str:
    head = f"- {first}" if first else "-"
    if rest.strip():
        return head + "\n" + _indent(rest.strip("\n"))
    return head


@lru_cache(maxsize=1)
def _mdformat():
    import mdformat

    return mdformat


def mdformat_text(text: str) -> str:
    """The community's formatter: mdformat with the GFM plugin."""
    return _mdformat().text(text, extensions={"gfm"})


# -- render --------------------------------------------------------------------------


def _bullets(sec: Section, prose: Callable[[str], str], typed: bool) -> list[str]:
    """A list section's bullets as rendered from its value, one string each."""
    if sec.kind == "checkin":
        return [_bullet(a.text) for a in sec.attendees]
    if sec.kind == "agenda":
        return [_bullet(i.text, prose(bulletize(i.notes) if typed else i.notes)) for i in sec.items]
    if sec.kind in ("celebrations", "list", "roles"):
        out = []
        for entry in sec.entries:
            first, _, rest = entry.partition("\n")
            out.append(_bullet(prose(first), prose(rest)))
        return out
    return []


def _render_section(sec: Section, tpl: Template, out: list[str], typed: bool, keep_typed: bool = False) -> None:
    def prose(text: str) -> str:
        return autolink(text) if typed and tpl.autolink else text

    if sec.kind == "topic":
        item = sec.items[0] if sec.items else AgendaItem(text=sec.heading)
        out.append("#" * max(1, sec.level) + " " + item.text)
        if item.notes.strip():
            notes = bulletize(item.notes) if typed else item.notes
            out.append(prose(notes.strip("\n")))
        if sec.body.strip():
            out.append(sec.body.strip("\n"))
        return
    if sec.kind == "room":  # a breakout room's notes, typed like an item's
        out.append(("#" * max(1, sec.level) + " " + sec.heading).rstrip())
        if sec.body.strip():
            out.append(prose((bulletize(sec.body) if typed else sec.body).strip("\n")))
        return
    if sec.level > 0:
        out.append(("#" * sec.level + " " + sec.heading).rstrip())
    if sec.intro.strip():
        out.append(sec.intro.strip("\n"))
    bullets = _bullets(sec, prose, typed)
    if keep_typed and sec.typed_items:  # untouched bullets of a changed section: as typed
        m = _MARKER.match(next(iter(sec.typed_items.values())))
        marker = m.group("marker") if m and m.group("marker") in "-*+" else "-"
        # A new bullet takes the list's marker: another one would start another list.
        bullets = [sec.typed_items.get(_digest(b)) or marker + b[1:] for b in bullets]
    if bullets:
        out.append(("\n\n" if sec.loose else "\n").join(bullets))
    if sec.outro.strip():
        out.append(sec.outro.strip("\n"))
    if sec.body.strip():
        out.append(sec.body.strip("\n"))


def _digest(text: str) -> str:
    """A short fingerprint of a part as rendered: equal digests, unchanged value."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _head_text(session: Session) -> str:
    """What a meeting renders above its first section: lines above the title, the
    title (or dated heading), a cancelled note."""
    out: list[str] = []
    if session.front.strip():
        out.append(session.front.strip("\n"))
    heading = session.heading or session.date or session.title
    if session.level > 0:
        out.append("#" * session.level + " " + heading)
    if session.cancelled.strip():
        out.append(session.cancelled.strip("\n"))
    return "\n\n".join(out)


def _section_text(sec: Section, tpl: Template, typed: bool, keep_typed: bool = False) -> str:
    out: list[str] = []
    _render_section(sec, tpl, out, typed, keep_typed)
    return "\n\n".join(out)


def _has_typed(session: Session) -> bool:
    return bool(session.head_as_typed) or any(sec.as_typed for sec in session.sections)


def _render_as_typed(session: Session, tpl: Template, typed: bool) -> str:
    """Each part whose value still renders to its digest as it was typed; the others
    (what the app changed or added) rendered fresh, a blank line around them."""
    chunks: list[tuple[str, bool]] = []  # (text ending in a newline, verbatim)

    def add(fresh: str, as_typed: str, digest: str) -> None:
        if as_typed and _digest(fresh) == digest:
            chunks.append((as_typed, True))
        elif fresh.strip():
            tail = as_typed[len(as_typed.rstrip("\n")) :] if as_typed else ""
            chunks.append((fresh.strip("\n") + (tail or "\n"), False))

    add(_head_text(session), session.head_as_typed, session.head_digest)
    for sec in session.sections:
        fresh = _section_text(sec, tpl, typed)
        if sec.as_typed and _digest(fresh) == sec.typed_digest:
            chunks.append((sec.as_typed, True))
        else:
            add(_section_text(sec, tpl, typed, keep_typed=True), sec.as_typed, "")
    text, prev_verbatim = "", True
    for chunk, verbatim in chunks:
        if text and not (verbatim and prev_verbatim):
            text = text.rstrip("\n") + "\n\n" if not text.endswith("\n\n") else text
        text += chunk
        prev_verbatim = verbatim
    if chunks and chunks[-1][1] and not text.endswith("\n"):
        return text  # the file's last line, typed without a newline after it
    return text.rstrip("\n") + "\n"


def render_session(session: Session, template: Template | None = None, *, formatted: bool = True) -> str:
    """The Markdown of one meeting exactly as its archive holds it.

    A team that runs mdformat gets mdformat's output. For any other, an imported
    meeting's parts are written back as typed (list numbers, reference links, emphasis
    markers, tables), and only the parts the app changed are rendered from their value.
    """
    tpl = template or template_for(session.template)
    typed = not session.source  # imported text is rendered as it was written
    # Front matter is the document's own bytes: mdformat would turn its ``---`` into a rule.
    if not (formatted and tpl.mdformat) and _has_typed(session):
        return session.front_matter + _render_as_typed(session, tpl, typed)
    out: list[str] = []
    head = _head_text(session)
    if head:
        out.append(head)
    for sec in session.sections:
        _render_section(sec, tpl, out, typed)
    text = "\n\n".join(out) + "\n"
    return session.front_matter + (mdformat_text(text) if formatted and tpl.mdformat else text)


def template_for(name: str) -> Template:
    """The template a session names, or the default one if it is not known here."""
    return TemplateSet(templates=builtin_templates()).resolve(name)


# -- parse ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # Only block structure is used (headings, lists, their line maps), so inline
    # parsing, about half of markdown-it's time, is skipped.
    return MarkdownIt("commonmark").enable("table").disable("inline")


@dataclass
class Block:
    """A top-level Markdown block: its kind and its source lines [start, end)."""

    kind: str
    start: int
    end: int
    level: int = 0  # heading level
    items: list[tuple[int, int]] = field(default_factory=list)  # list item ranges
    loose: bool = False
    ordered: bool = False


def _blocks(text_lines: list[str]) -> list[Block]:
    source = "\n".join(text_lines)
    tokens = _parser().parse(source)
    blocks: list[Block] = []
    list_depth = 0
    current: Block | None = None
    for tok in tokens:
        t = tok.type
        if tok.level == 0 and tok.nesting >= 0 and tok.map is not None:
            if t == "heading_open":
                blocks.append(Block("heading", tok.map[0], tok.map[1], level=int(tok.tag[1])))
            elif t in ("bullet_list_open", "ordered_list_open"):
                current = Block("list", tok.map[0], tok.map[1], ordered=t == "ordered_list_open")
                blocks.append(current)
            else:
                blocks.append(Block(t.replace("_open", ""), tok.map[0], tok.map[1]))
        if current is not None:
            if t in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif t in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
                if list_depth == 0:
                    current = None
            elif t == "list_item_open" and list_depth == 1 and tok.map is not None:
                current.items.append((tok.map[0], tok.map[1]))
            elif t == "paragraph_open" and list_depth == 1 and tok.level == 2 and not tok.hidden:
                current.loose = True
    return blocks


def _strip_blank(text_lines: list[str]) -> str:
    start, end = 0, len(text_lines)
    while start < end and not text_lines[start].strip():
        start += 1
    while end > start and not text_lines[end - 1].strip():
        end -= 1
    return "\n".join(ln.rstrip() if not ln.strip() else ln for ln in text_lines[start:end])


def _item_text(text_lines: list[str], start: int, end: int) -> tuple[str, str]:
    """A list item's lead (first paragraph lines) and the rest, dedented."""
    first = text_lines[start]
    m = _MARKER.match(first)
    if not m:
        return first.strip(), _strip_blank(text_lines[start + 1 : end])
    space = len(m.group("space"))
    col = len(m.group("indent")) + len(m.group("marker")) + (space if 0 < space <= 4 else 1)
    lead = [first[col:] if len(first) > col else first[len(m.group(0)) :]]
    body: list[str] = []
    for ln in text_lines[start + 1 : end]:
        stripped = ln.lstrip(" ")
        ind = len(ln) - len(stripped)
        body.append(ln[min(ind, col) :] if stripped else "")
    n = 0
    while n < len(body) and body[n].strip() and not _MARKER.match(body[n]) and not _FENCE.match(body[n]):
        n += 1
    lead.extend(x.lstrip() for x in body[:n])
    return "\n".join(lead).strip(), _strip_blank(body[n:])


def _heading_text(line: str) -> str:
    m = _HEADING_LINE.match(line)
    return m.group(2).strip() if m else line.strip()


_KEYWORDS = (
    ("checkin", ("check-in", "checkin", "check in", "roll call", "attendees", "welcome to the", "sign in", "who's here")),
    ("celebrations", ("celebrat", "shout-out", "shout out", "reports and")),
    ("agenda", ("agenda",)),
    ("list", ("ice breaker", "icebreaker", "quick updates", "introduce yourself", "updates")),
)


def classify_heading(heading: str, tpl: Template) -> str:
    plain = lines.plain_heading(heading).lower()
    for spec in tpl.sections:
        names = (spec.heading, *spec.aliases)
        if any(lines.plain_heading(n).lower() == plain for n in names if n):
            return spec.kind
    for kind, words in _KEYWORDS:
        if any(w in plain for w in words):
            return kind
    return "raw"


def _fill_list_section(
    sec: Section, text_lines: list[str], blocks: list[Block], start: int, end: int,
    items_out: list[tuple[int, int]] | None = None,
) -> Section:
    """Intro, one bullet list, outro; anything else keeps the section raw.

    ``items_out`` receives the line ranges of the list's bullets, in order.
    """
    lists = [b for b in blocks if b.kind == "list"]
    if len(lists) > 1 or (lists and lists[0].ordered):
        sec.kind = "raw"
        sec.body = _strip_blank(text_lines[start:end])
        return sec
    if not lists:
        sec.intro = _strip_blank(text_lines[start:end])
        return sec
    lst = lists[0]
    sec.intro = _strip_blank(text_lines[start : lst.start])
    sec.outro = _strip_blank(text_lines[lst.end : end])
    sec.loose = lst.loose
    for s, e in lst.items:
        lead, rest = _item_text(text_lines, s, e)
        if sec.kind == "checkin":
            if rest:  # sub-bullets under a name: not a plain roll call, keep it whole
                sec.kind = "list"
                return _fill_list_section(sec, text_lines, blocks, start, end, items_out)
            sec.attendees.append(Attendee(text=lead))
        elif sec.kind == "agenda":
            sec.items.append(AgendaItem(text=lead, notes=rest))
        else:
            sec.entries.append(lead + ("\n" + rest if rest else ""))
    if sec.kind == "roles" and not all(lines.parse_role(e) for e in sec.entries):
        sec.kind = "list"
    if items_out is not None:
        items_out[:] = lst.items
    return sec


Span = tuple[int, list[tuple[int, int]]]  # a section's first line, its bullets' line ranges


def _sections(
    text_lines: list[str], blocks: list[Block], tpl: Template, end_line: int, spans: list[Span] | None = None
) -> tuple[list[Section], str]:
    """The sections of one meeting (blocks after its heading) and its cancelled note.

    ``spans`` receives, per section, where it starts and its bullets' line ranges (the
    sections are contiguous: each runs to the next one's start, the last to ``end_line``).
    """
    sections: list[Section] = []
    spans = [] if spans is None else spans
    headings = [b for b in blocks if b.kind == "heading"]
    first = headings[0].start if headings else end_line
    pre_blocks = [b for b in blocks if b.end <= first]
    cancelled = ""
    if pre_blocks:
        start = pre_blocks[0].start
        if not headings and len(pre_blocks) == 1 and pre_blocks[0].kind == "paragraph":
            cancelled = _strip_blank(text_lines[start:first])
        else:
            sec = Section(kind="roles", heading="", level=0)
            bullets: list[tuple[int, int]] = []
            _fill_list_section(sec, text_lines, pre_blocks, start, first, bullets)
            if sec.kind == "roles" and not sec.entries:
                sec.kind = "raw"
                sec.body, sec.intro = sec.intro, ""
            sections.append(sec)
            spans.append((start, bullets if sec.kind != "raw" else []))
    i = 0
    while i < len(headings):
        h = headings[i]
        heading = _heading_text(text_lines[h.start]) if h.end - h.start == 1 else " ".join(
            ln.strip() for ln in text_lines[h.start : h.end - 1]
        )
        kind = classify_heading(heading, tpl)
        if (kind == "raw" or rooms.parse_room_heading(heading)) and rooms.room_kind(heading, h.level, sections):
            kind = "room"  # breakout room notes (facilitator.rooms)
        if kind == "raw" and tpl.agenda_style == "headings" and h.level == tpl.topic_level:
            kind = "topic"
        j = i + 1
        if kind == "topic":
            while j < len(headings) and headings[j].level > h.level:
                j += 1
        sec_end = headings[j].start if j < len(headings) else end_line
        body_blocks = [b for b in blocks if b.start >= h.end and b.end <= sec_end]
        sec = Section(kind=kind, heading=heading, level=h.level)
        bullets = []
        if kind == "topic":
            sec.heading = ""
            sec.items = [AgendaItem(text=heading, notes=_strip_blank(text_lines[h.end : sec_end]))]
        elif kind in ("raw", "room"):
            sec.body = _strip_blank(text_lines[h.end : sec_end])
        else:
            _fill_list_section(sec, text_lines, body_blocks, h.end, sec_end, bullets)
        sections.append(sec)
        spans.append((h.start, bullets if sec.kind != "raw" else []))
        i = j
    return sections, cancelled


def _keep_as_typed(
    session: Session, raw: list[str], base: int, head_start: int, end: int, spans: list[Span], tpl: Template,
    final_newline: bool = True,
) -> None:
    """Give the session its parts as typed: ``raw`` are the file's lines, ``base`` where
    the meeting's section lines (the ``spans``, relative to it) start, ``head_start`` the
    first line of its head, ``end`` the line after its last; ``final_newline`` is false
    when the file's last line has no newline after it."""

    def text(a: int, b: int) -> str:
        out = "".join(ln + "\n" for ln in raw[a:b])
        return out[:-1] if out and b >= len(raw) and not final_newline else out

    typed = not session.source
    first = base + spans[0][0] if spans else end
    session.head_as_typed = text(head_start, first)
    session.head_digest = _digest(_head_text(session))
    for k, (sec, (start, bullets)) in enumerate(zip(session.sections, spans)):
        stop = base + spans[k + 1][0] if k + 1 < len(spans) else end
        sec.as_typed = text(base + start, stop)
        sec.typed_digest = _digest(_section_text(sec, tpl, typed))
        if bullets:
            rendered = _bullets(sec, lambda t: t, typed)
            if len(rendered) == len(bullets):
                for b, (s, e) in zip(rendered, bullets):
                    sec.typed_items.setdefault(_digest(b), text(base + s, base + e).rstrip("\n"))


@dataclass
class ParsedDocument:
    """What an imported file holds: its title line, its meetings, and the words before them."""

    template: str
    title: str = ""
    preamble: str = ""
    sessions: list[Session] = field(default_factory=list)
    date_problems: dict[int, str] = field(default_factory=dict)  # session index -> why it has no date


def _newlines(text: str) -> str:
    """CRLF and CR to LF, a BOM dropped: the text as typed, in lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_text(text: str) -> str:
    """CRLF to LF, a BOM dropped, tabs in indentation as spaces (4 columns)."""
    text = _newlines(text)
    if "\t" in text:
        text = re.sub(r"(?m)^[ \t]+", lambda m: m.group(0).expandtabs(4), text)
    return text


FALLBACK_TEMPLATE = "plain-notes"  # notes that match no team's template: kept as typed


def detect_template(text: str, templates: dict[str, Template] | None = None) -> str:
    """The template whose marks the text carries most (``plain-notes`` if none); the
    built-ins unless ``templates`` (built-ins and the user's own) is given."""
    best, best_score = FALLBACK_TEMPLATE, 0
    for name, tpl in (templates or builtin_templates()).items():
        score = sum(min(3, text.count(mark)) for mark in tpl.detect)
        if score > best_score:
            best, best_score = name, score
    return best


def _split_meetings(text_lines: list[str]) -> list[tuple[int, int, str]]:
    """Line ranges of dated meeting headings (outside fences), with the heading text."""
    found: list[tuple[int, int, str]] = []
    fence = ""
    for n, ln in enumerate(text_lines):
        fence, fenced = lines.fence_after(fence, ln)
        if fenced:
            continue
        if ln.startswith("#") or ln.startswith(" #"):
            m = _HEADING_LINE.match(ln)
            if m and _DATE_HEADING.match(m.group(2).strip()):
                found.append((n, len(m.group(1)), m.group(2).strip()))
    # Meetings are the headings at the shallowest level that carries dates.
    if not found:
        return []
    top = min(level for _, level, _ in found)
    starts = [(n, heading) for n, level, heading in found if level == top]
    return [(n, top, heading) for n, heading in starts]


_DATE_LINE = re.compile(r"\*\*Date:?\*\*:?\s*(?P<d>.+)", re.I)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}


def guess_date(text: str) -> str:
    """An ISO date from a document's ``**Date:** Tuesday 19th July 2022`` line, if any."""
    m = _DATE_LINE.search(text)
    line = m.group("d") if m else ""
    if not line:
        m2 = re.search(r"Opening Date:?\s*(.+)", text)
        line = m2.group(1) if m2 else ""
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", line)
    if iso:
        return iso.group(0)
    year = re.search(r"\b(19|20)\d{2}\b", line) or re.search(r"\b(19|20)\d{2}\b", text[:2000])
    month = next((v for k, v in _MONTHS.items() if k[:3] in line.lower()), None)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", re.sub(r"\b(19|20)\d{2}\b", "", line))
    if year and month and day:
        return f"{year.group(0)}-{month:02d}-{int(day.group(1)):02d}"
    return ""


def parse_document(
    text: str,
    template: str | None = None,
    source: str = "import",
    on_meeting: Callable[[int, int], None] | None = None,
    path: str = "",
    templates: dict[str, Template] | None = None,
    date_order: str | None = None,
) -> ParsedDocument:
    """Every meeting in a yearly archive, or the one meeting of a single document.

    ``source`` (the file name) is recorded on each session, so that it renders as written.
    ``on_meeting(done, total)`` is called after each meeting, for a progress bar.
    ``path`` (the file's path as given) is where a date is read last, when the text has none.
    A meeting whose date cannot be decided has ``date == ""`` and says why in ``date_problem``.
    ``date_order`` (``"dmy"`` or ``"mdy"``, the user's word) reads numeric dates such as
    ``03.04.21`` that the file's own dates leave ambiguous.
    """
    as_typed = _newlines(text)
    text = normalize_text(as_typed)
    name = template or detect_template(text, templates)
    tpl = templates[name] if templates and name in templates else get_template(name)
    front_matter, text = _front_matter_of_document(text)
    text_lines = text.split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    raw: list[str] | None = None  # the lines as typed (tabs kept), for a team without mdformat
    final_newline = as_typed.endswith("\n")
    if not tpl.mdformat:
        raw = as_typed.split("\n")[front_matter.count("\n") :][: len(text_lines)]
        if len(raw) != len(text_lines):
            raw = text_lines
    doc = ParsedDocument(template=name)
    meetings = _split_meetings(text_lines)
    problems: dict[int, str] = {}
    if not meetings:
        meetings, problems = _dated_meetings(text_lines, path, date_order)
    if _one_titled_meeting(meetings):
        meetings = []  # ``# 2020-12-16 Triage`` alone: the document's own title
    with collector.paused():  # token trees are short-lived; collecting mid-parse only costs time
        if not meetings:
            single = _parse_single(text_lines, tpl, name, source, path, front_matter, date_order, raw, final_newline)
            if not single.date:
                doc.date_problems[0] = _document_date(text_lines, single.heading, 0, path, front_matter, date_order)[1]
            doc.sessions.append(single)
            return doc
        head_end = meetings[0][0]
        for n in range(head_end):
            m = _HEADING_LINE.match(text_lines[n])
            if m and len(m.group(1)) == 1 and not doc.title:
                doc.title = m.group(2).strip()
                doc.preamble = _strip_blank(text_lines[:n] + text_lines[n + 1 : head_end])
                break
        else:
            doc.preamble = _strip_blank(text_lines[:head_end])
        def meeting(k: int) -> Session:
            return _meeting(text_lines, meetings, k, problems, tpl, name, source, raw, final_newline)

        half = None
        if len(meetings) >= PARALLEL_MEETINGS and len(text_lines) >= PARALLEL_LINES and _can_fork():
            half = _ForkedHalf(meeting, [m[0] for m in meetings], len(text_lines))
        forked: dict[int, Session] = {}
        try:
            for k, (start, _level, _heading) in enumerate(meetings):
                if half is not None and k == half.split:
                    forked = half.sessions()
                session = forked.pop(k) if k in forked else meeting(k)
                doc.sessions.append(session)
                if not session.date:
                    doc.date_problems[len(doc.sessions) - 1] = problems.get(-start - 1, "no date found")
                if on_meeting is not None:
                    on_meeting(k + 1, len(meetings))
        finally:
            if half is not None:
                half.close()
        if tpl.document and len(doc.sessions) == 1 and any(ln.strip() for ln in text_lines[:head_end]):
            _as_document(doc.sessions[0], text_lines, raw, head_end, tpl)
    return doc


def _meeting(
    text_lines: list[str], meetings: list[tuple[int, int, str]], k: int, problems: dict[int, str], tpl: Template,
    name: str, source: str, raw: list[str] | None, final_newline: bool,
) -> Session:
    """The session of meeting ``k`` of an archive (its lines up to the next meeting's)."""
    start, level, heading = meetings[k]
    end = meetings[k + 1][0] if k + 1 < len(meetings) else len(text_lines)
    body = start + 1
    if body < end and not text_lines[start].lstrip().startswith("#") and _SETEXT_UNDERLINE.match(text_lines[body]):
        body += 1  # ``Aug 27, 2019`` over ``------------``: the underline is the heading's
    chunk = text_lines[body:end]
    blocks = _blocks(chunk)
    spans: list[Span] = []
    sections, cancelled = _sections(chunk, blocks, tpl, len(chunk), spans)
    iso = _DATE_HEADING.match(heading)
    date = iso.group(1) if iso and start not in problems else problems.get(start, "")
    session = Session(
        id="",
        date=date,
        template=name,
        title=tpl.meeting_title,
        heading=heading,
        level=level,
        sections=sections,
        cancelled=cancelled,
        status="cancelled" if cancelled and not sections else "finished",
        slot_minutes=tpl.slot_minutes,
        source=source,
        form="yearly",
    )
    if raw is not None:
        _keep_as_typed(session, raw, body, start, end, spans, tpl, final_newline)
    return session


# An archive of at least this many meetings and lines is read by two processes: a fork of
# this one parses the meetings of the second half (by lines) while this one parses the
# first. Below it, the fork and the sessions' trip back cost more than half the parse.
PARALLEL_MEETINGS = 64
PARALLEL_LINES = 8000


def _can_fork() -> bool:
    """Whether the second half may be parsed in a fork (see :func:`facilitator.cores.fork_safe`)."""
    from facilitator import cores

    return cores.fork_safe()


class _ForkedHalf:
    """The meetings from ``split`` on, parsed in a forked child while this process parses
    the ones before; ``sessions()`` gives them by meeting number, or ``{}`` when the child
    failed in any way (those meetings are then parsed here, the same sessions: a
    meeting's session depends on its lines alone). ``close()`` ends the child if still
    running (an error in the parent) and reaps it."""

    def __init__(self, meeting: Callable[[int], Session], starts: list[int], n_lines: int) -> None:
        import os

        self.pid = 0
        self.fd = -1
        # The second half by lines, not by meetings: the parse costs by the line.
        half = n_lines // 2
        self.split = next((k for k, line in enumerate(starts) if line >= half), len(starts))
        if not 0 < self.split < len(starts):
            return
        try:
            r, w = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: parse, send the sessions, never return into the caller
            code = 1
            try:
                os.close(r)
                import pickle

                data = pickle.dumps([meeting(k) for k in range(self.split, len(starts))], pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view):]
                code = 0
            except BaseException:  # noqa: BLE001 - whatever it is, the parent parses these itself
                pass
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd, self.count = pid, r, len(starts)

    def sessions(self) -> dict[int, Session]:
        import os
        import pickle

        if not self.pid:
            return {}
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
            read_all = True
        except OSError:
            read_all = False
        status = self.close(read_all)
        try:
            got = pickle.loads(b"".join(chunks)) if status == 0 and read_all else None
        except Exception:  # noqa: BLE001 - a torn message: parsed here instead
            got = None
        if not isinstance(got, list) or len(got) != self.count - self.split:
            return {}
        return {self.split + n: session for n, session in enumerate(got)}

    def close(self, read_all: bool = False) -> int | None:
        """Reap the child (ended first unless its sessions were read to the end: it is
        exiting then); its exit status, or None."""
        import os
        import signal

        if not self.pid:
            return None
        pid, self.pid = self.pid, 0
        os.close(self.fd)
        if not read_all:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        except (OSError, ValueError):
            return None


def _as_document(session: Session, text_lines: list[str], raw: list[str] | None, head_end: int, tpl: Template) -> None:
    """One dated meeting under a file's own title, for a team that writes a file per
    meeting: the file is that meeting's document, so what is above the dated heading
    (front matter, title, lead-in) is the session's own and goes back out with it."""
    from facilitator import splitting

    front_matter, rest = splitting.split_front_matter("".join(ln + "\n" for ln in text_lines[:head_end]))
    skip = front_matter.count("\n")
    session.front_matter = front_matter
    session.front = _strip_blank(rest.split("\n"))
    session.form = "document"
    if raw is not None:
        session.head_as_typed = "".join(ln + "\n" for ln in raw[skip:head_end]) + session.head_as_typed
        session.head_digest = _digest(_head_text(session))


def _dated_meetings(text_lines: list[str], path: str, date_order: str | None = None) -> tuple[list[tuple[int, int, str]], dict[int, str]]:
    """Meetings at dated headings in the shapes people write (``## 2 May 2023``...).

    Returns the starts and, per start line, its ISO date; an undecided date is stored
    under ``-line - 1`` as the words saying why, and its ISO entry is "".
    """
    from facilitator import splitting

    starts = splitting.meeting_starts(text_lines, path, date_order)
    info: dict[int, str] = {}
    for s in starts:
        info[s.line] = s.iso
        if not s.iso:
            info[-s.line - 1] = s.problem  # the importer names the meeting by its heading
    return [(s.line, s.level, s.heading) for s in starts], info


def _front_matter_of_document(text: str) -> tuple[str, str]:
    """(front matter, the rest) of a one-meeting document; ("", text) for an archive."""
    from facilitator import splitting

    front, rest = splitting.split_front_matter(text)
    if not front:
        return "", text
    rest_lines = rest.split("\n")
    meetings = _split_meetings(rest_lines) or [(s.line, s.level, s.heading) for s in splitting.meeting_starts(rest_lines)]
    if meetings and not _one_titled_meeting(meetings):
        return "", text  # an archive with front matter: kept as its preamble, as before
    return front, rest


def _one_titled_meeting(meetings: list[tuple[int, int, str]]) -> bool:
    """A single dated H1 is a one-meeting document's title, not a yearly archive; so is
    one H1 written twice (``# 2023-11-10`` over the agenda, again over the notes)."""
    return bool(meetings) and all(level == 1 for _, level, _ in meetings) and len({h for _, _, h in meetings}) == 1


def _parse_single(
    text_lines: list[str], tpl: Template, name: str, source: str, path: str = "", front_matter: str = "",
    date_order: str | None = None, raw: list[str] | None = None, final_newline: bool = True,
) -> Session:
    """A whole document as one meeting: its H1 is the meeting's heading."""
    blocks = _blocks(text_lines)
    title, level, skip = "", 1, 0
    h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
    leading_raw = ""
    if h1 is not None and all(b.kind in ("hr", "heading", "paragraph") for b in blocks if b.end <= h1.start):
        title = _heading_text(text_lines[h1.start])
        leading_raw = _strip_blank(text_lines[: h1.start])
        skip = h1.end
    chunk = text_lines[skip:]
    body_blocks = [Block(b.kind, b.start - skip, b.end - skip, b.level, [(s - skip, e - skip) for s, e in b.items], b.loose, b.ordered) for b in blocks if b.start >= skip]
    spans: list[Span] = []
    sections, cancelled = _sections(chunk, body_blocks, tpl, len(chunk), spans)
    session = Session(
        id="",
        date=guess_date("\n".join(text_lines)) or _document_date(text_lines, title, skip, path, front_matter, date_order)[0],
        template=name,
        title=title or tpl.meeting_title,
        heading=title,
        level=level if title else 0,
        sections=sections,
        cancelled=cancelled,
        status="finished",
        slot_minutes=tpl.slot_minutes,
        front=leading_raw,
        front_matter=front_matter,
        source=source,
        form="document",
    )
    if raw is not None:
        _keep_as_typed(session, raw, skip, 0, len(text_lines), spans, tpl, final_newline)
    return session


def _document_date(
    text_lines: list[str], title: str, skip: int, path: str, front: str = "", date_order: str | None = None
) -> tuple[str, str]:
    """A one-meeting document's date from its title, date line, front matter or path, and
    why there is none ("", words) when none is found."""
    from facilitator import splitting

    return splitting.document_date(text_lines[skip:], title, front, path, date_order)


def parse_agenda_items(text: str, template: Template) -> list[AgendaItem]:
    """Agenda items as people write them before a call: bullets, or one per line."""
    text = normalize_text(text)
    text_lines = text.split("\n")
    blocks = _blocks(text_lines)
    items: list[AgendaItem] = []
    for b in blocks:
        if b.kind == "list":
            for s, e in b.items:
                lead, rest = _item_text(text_lines, s, e)
                if lead:
                    items.append(AgendaItem(text=lead, notes=rest))
        elif b.kind in ("paragraph",):
            for ln in text_lines[b.start : b.end]:
                if ln.strip():
                    items.append(AgendaItem(text=ln.strip()))
        elif b.kind == "heading" and template.agenda_style == "headings":
            items.append(AgendaItem(text=_heading_text(text_lines[b.start])))
    return items
