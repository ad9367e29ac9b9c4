"""Putting a meeting into a team's yearly archive file.

The newest meeting goes at the top, under the file's H1; a meeting with the same date is
replaced in place; every other byte of the file stays as it was (line endings included).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, replace
from pathlib import Path

from facilitator.markdown import _split_meetings, render_session, template_for
from facilitator.model import Session, date_key
from facilitator.templates import Template


class ArchiveError(Exception):
    """An archive file that cannot be read or written; the message says which and why."""


@dataclass(frozen=True)
class ArchiveResult:
    text: str
    action: str  # "created", "inserted", "replaced" or "unchanged"


def _archive_form(session: Session, level: int = 2) -> Session:
    """The session as an archive's section: under its own heading when it is a section of
    a yearly file whose meetings sit at ``level`` (``# September 14, 2021`` stays so in its
    own file), else under a ``## date`` heading."""
    if session.form == "yearly" and session.level == level and session.heading:
        return session
    if session.level != 2 and session.date:
        # A single-meeting document goes into a yearly archive under its date. Its front
        # matter (``---\ntitle: ...\n---``) is document metadata: above a dated heading it
        # would become a rule and a stray heading inside the previous meeting.
        return replace(session, level=2, heading=session.date, front="", front_matter="")
    if session.front or session.front_matter:  # a document whose meeting has a dated heading
        return replace(session, front="", front_matter="")
    return session


def archive_markdown(session: Session, template: Template | None = None, level: int = 2) -> str:
    """The Markdown a yearly archive holds for this meeting: a dated H2 section, or its own
    heading in a file whose meetings are at its level (``level``)."""
    text = render_session(_archive_form(session, level), template)
    return text if text.endswith("\n") else text + "\n"  # a file's last line typed without one


def _meetings_of(plain: list[str], path: str = "") -> tuple[list[tuple[int, int, str]], list[tuple[int, int, int] | None]]:
    """The archive's meetings (line, level, heading) and each one's date key: ISO dated
    headings, else the dated headings other teams write (``## 2 May 2023``), their dates
    read with the file's path (``2021/minutes.md`` gives ``## Monday, 10 May`` its year).
    A heading whose date the file cannot settle (``03.04.21``) has the key None."""
    from facilitator import splitting

    meetings = _split_meetings(plain)
    if meetings:
        return meetings, [date_key(h) for _, _, h in meetings]
    starts = splitting.meeting_starts(plain, path)
    return [(s.line, s.level, s.heading) for s in starts], [date_key(s.iso) if s.iso else None for s in starts]


def _same_meeting(meetings: list[tuple[int, int, str]], keys: list, key: tuple[int, int, int], heading: str) -> int | None:
    """Which of the file's meetings this one replaces: the one with its date and heading
    (two meetings on one day stay two), else one whose date the file leaves undecided under
    the same heading, else the first with its date."""
    same_day = [k for k, when in enumerate(keys) if when == key]
    for k in same_day + [k for k, when in enumerate(keys) if when is None]:
        if meetings[k][2] == heading.strip():
            return k
    return same_day[0] if same_day else None


def _trailing_blank(raw_lines: list[str], start: int, end: int) -> str:
    """The blank lines a meeting's region ends with (its spacing before the next one)."""
    j = end
    while j > start + 1 and not raw_lines[j - 1].strip():
        j -= 1
    return "".join(raw_lines[j:end])


def insert_meeting(existing: str | None, session: Session, template: Template | None = None, path: str = "") -> ArchiveResult:
    """The archive text with this meeting in its place (see the module docstring).
    ``path`` is the archive file's, for the dates its headings leave to it."""
    tpl = template or template_for(session.template)
    if not existing or not existing.strip():
        title = tpl.archive_title_for(session.year or session.date[:4])
        return ArchiveResult(f"# {title}\n\n{archive_markdown(session, tpl)}", "created")
    newline = "\r\n" if "\r\n" in existing else "\n"
    raw_lines = existing.splitlines(keepends=True)
    plain = [ln.rstrip("\r\n") for ln in raw_lines]
    meetings, keys = _meetings_of(plain, path)
    level = meetings[0][1] if meetings else 2
    form = _archive_form(session, level)
    section = archive_markdown(session, tpl, level)
    if newline != "\n":
        section = section.replace("\n", newline)
    offsets = [0]
    for ln in raw_lines:
        offsets.append(offsets[-1] + len(ln))
    key = date_key(session.date)
    k = _same_meeting(meetings, keys, key, form.heading)
    if k is not None:
        start = meetings[k][0]
        end = meetings[k + 1][0] if k + 1 < len(meetings) else len(raw_lines)
        if k + 1 == len(meetings) and not existing.endswith(("\n", "\r")):
            new = existing[: offsets[start]] + section
        else:
            tail = _trailing_blank(raw_lines, start, end)
            if k + 1 < len(meetings) and not tail:
                tail = newline
            new = existing[: offsets[start]] + section.rstrip("\r\n") + newline + tail + existing[offsets[end] :]
        return ArchiveResult(new, "unchanged" if new == existing else "replaced")
    for (start, _level, _heading), when in zip(meetings, keys):
        if when is not None and when < key:
            pos = offsets[start]
            return ArchiveResult(existing[:pos] + section + newline + existing[pos:], "inserted")
    if meetings:  # older than every meeting in the file: goes last
        sep = "" if existing.endswith(newline + newline) else (newline if existing.endswith(("\n", "\r")) else newline * 2)
        return ArchiveResult(existing + sep + section, "inserted")
    # No meeting yet: after the H1 (and anything under it), else at the very top.
    sep = "" if existing.endswith(newline + newline) else (newline if existing.endswith(("\n", "\r")) else newline * 2)
    return ArchiveResult(existing + sep + section, "inserted")


def read_archive(path: Path) -> str | None:
    """An archive file's text, None if it does not exist yet (a FIFO or device is refused, never read)."""
    from facilitator.store import NotARegularFile, read_regular_bytes

    try:
        raw = read_regular_bytes(path)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ArchiveError(f"{path} is a directory, not an archive file") from None
    except NotARegularFile as exc:
        if exc.errno == errno.EISDIR:
            raise ArchiveError(f"{path} is a directory, not an archive file") from None
        raise ArchiveError(f"{path} {exc.strerror}") from None
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise ArchiveError(f"{path} is not a text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"{path} is not UTF-8 text (byte {exc.start})") from None


def archive_session(session: Session, path: Path, template: Template | None = None) -> ArchiveResult:
    """Insert (or replace) the meeting in the archive file at ``path``, atomically.

    The read-modify-write holds the file's lock (``store.file_lock``), so concurrent
    archive commands into one file each keep the others' meetings.
    """
    from facilitator.store import StoreError, atomic_write_text, file_lock

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with file_lock(path):
            result = insert_meeting(read_archive(path), session, template, str(path))
            if result.action != "unchanged":
                try:
                    atomic_write_text(path, result.text)
                except OSError as exc:
                    raise ArchiveError(f"cannot write {path}: {exc.strerror or exc}") from None
    except StoreError as exc:
        raise ArchiveError(str(exc)) from None
    return result
