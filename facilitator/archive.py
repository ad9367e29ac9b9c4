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


def archive_markdown(session: Session, template: Template | None = None) -> str:
    """The Markdown a yearly archive holds for this meeting (a dated H2 section)."""
    if session.level != 2 and session.date:
        # A single-meeting document goes into a yearly archive under its date. Its front
        # matter (``---\ntitle: ...\n---``) is document metadata: above a dated heading it
        # would become a rule and a stray heading inside the previous meeting.
        session = replace(session, level=2, heading=session.date, front="", front_matter="")
    elif session.front or session.front_matter:  # a document whose meeting has a dated heading
        session = replace(session, front="", front_matter="")
    text = render_session(session, template)
    return text if text.endswith("\n") else text + "\n"  # a file's last line typed without one


def _meetings_of(plain: list[str]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, int]]]:
    """The archive's meetings (line, level, heading) and each one's date key: ISO dated
    headings, else the dated headings other teams write (``## 2 May 2023``)."""
    from facilitator import splitting

    meetings = _split_meetings(plain)
    if meetings:
        return meetings, [date_key(h) for _, _, h in meetings]
    starts = [s for s in splitting.meeting_starts(plain) if s.iso]
    return [(s.line, s.level, s.heading) for s in starts], [date_key(s.iso) for s in starts]


def insert_meeting(existing: str | None, session: Session, template: Template | None = None) -> ArchiveResult:
    """The archive text with this meeting in its place (see the module docstring)."""
    tpl = template or template_for(session.template)
    section = archive_markdown(session, tpl)
    if not existing or not existing.strip():
        title = tpl.archive_title_for(session.year or session.date[:4])
        return ArchiveResult(f"# {title}\n\n{section}", "created")
    newline = "\r\n" if "\r\n" in existing else "\n"
    if newline != "\n":
        section = section.replace("\n", newline)
    raw_lines = existing.splitlines(keepends=True)
    plain = [ln.rstrip("\r\n") for ln in raw_lines]
    meetings, keys = _meetings_of(plain)
    offsets = [0]
    for ln in raw_lines:
        offsets.append(offsets[-1] + len(ln))
    key = date_key(session.date)
    for k, (start, _level, heading) in enumerate(meetings):
        if keys[k] == key:
            end = meetings[k + 1][0] if k + 1 < len(meetings) else len(raw_lines)
            tail = newline if k + 1 < len(meetings) else ""
            new = existing[: offsets[start]] + section + tail + existing[offsets[end] :]
            if k + 1 == len(meetings) and not existing.endswith(("\n", "\r")):
                new = existing[: offsets[start]] + section
            return ArchiveResult(new, "unchanged" if new == existing else "replaced")
    for (start, _level, _heading), when in zip(meetings, keys):
        if when < key:
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
            result = insert_meeting(read_archive(path), session, template)
            if result.action != "unchanged":
                try:
                    atomic_write_text(path, result.text)
                except OSError as exc:
                    raise ArchiveError(f"cannot write {path}: {exc.strerror or exc}") from None
    except StoreError as exc:
        raise ArchiveError(str(exc)) from None
    return result
