"""Turning a team's Markdown files (yearly archives, meeting documents) into sessions.

Shared by ``facilitator import`` and the app's import screen, so both read files the same
way, refuse the same bad input with the same words, and replace rather than duplicate the
sessions of a file imported twice.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from facilitator.sanitize import clean_counted
from facilitator.store import NotARegularFile, SessionLock, SessionStore, check_session_values, file_lock, read_regular_bytes
from facilitator.templates import Template

Progress = Callable[[str, int, int], None]  # (phase, done, total)
DATE_ORDERS = ("dmy", "mdy")  # how a team writes 03.04.21: day first, or month first


class ImportFailed(ValueError):
    """A file that cannot be imported; the message says which and why.

    ``undated`` lists, one line per meeting, those whose date the file does not give (the
    message then ends with how to give it on the command line); ``ambiguous`` says that some
    of them are numeric dates a date order would read. The app asks with its own words.
    """

    def __init__(self, message: str, undated: list[str] | None = None, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.undated = undated or []
        self.ambiguous = ambiguous


def read_text_file(path: Path, what: str = "file") -> str:
    """A user's text file as str; a directory, binary or non-UTF-8 content is a clear error."""
    if path.is_dir():
        raise ImportFailed(f"{path} is a directory, not a {what}")
    try:
        raw = read_regular_bytes(path)  # a FIFO or device is refused, never waited on
    except NotARegularFile as exc:
        raise ImportFailed(f"{path} {exc.strerror}") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise ImportFailed(f"{path} is a binary file, not Markdown text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path} is not UTF-8 text (bad byte at offset {exc.start})") from None


def read_date_answer(answer: str) -> tuple[str | None, str | None]:
    """(day, date order) from what a user typed when asked for an undated file's day:
    ``2024-03-05``, or ``dmy`` / ``mdy`` for dates such as 03.04.21; ValueError if neither."""
    answer = answer.strip()
    if not answer:
        return None, None
    if answer.lower() in DATE_ORDERS:
        return None, answer.lower()
    try:
        return _dt.date.fromisoformat(answer).isoformat(), None
    except ValueError:
        raise ValueError(f"{answer!r} is not a day (YYYY-MM-DD), nor dmy / mdy") from None


@dataclass(frozen=True)
class ImportResult:
    ids: list[str]
    replaced: int
    controls: int = 0  # control characters replaced by visible stand-ins (sanitize)


def import_file(
    st: SessionStore,
    path: Path,
    template: str | None = None,
    progress: Progress | None = None,
    date: str | None = None,
    templates: dict[str, Template] | None = None,
    date_order: str | None = None,
) -> ImportResult:
    """Parse ``path`` and save one session per meeting; returns their ids, newest first.

    A session with the same date already imported from a file of the same name is
    replaced (same id), so importing again updates instead of duplicating. Every session
    is written under its lock, so a running app editing one refuses the write. The whole
    import holds the sessions directory's import lock, so two imports of one file at once
    give one set of sessions, as they would one after the other.

    A meeting's date comes from the file (headings, date lines, front matter, its path),
    never from today or the file's modification time. ``date`` (``YYYY-MM-DD``) is given to
    the meetings that have none; without it, such a file is refused, naming each meeting
    and why its date could not be read, and nothing is saved. ``templates`` (the
    built-ins and the user's own) are what ``template`` names and detection chooses from.
    ``date_order`` (``"dmy"`` or ``"mdy"``) reads numeric dates such as ``03.04.21`` that
    the file itself leaves ambiguous; without it they are reported like missing ones.
    """
    if date_order not in (None, *DATE_ORDERS):
        raise ImportFailed(f"date order {date_order!r} is not one of: {', '.join(DATE_ORDERS)}")
    text = read_text_file(path)
    if not text.lstrip("\ufeff").strip():
        raise ImportFailed(f"{path} is empty: no meetings to import")
    st._ensure_root()
    # A long import may hold it a while: wait longer than for an archive insert.
    with file_lock(st.root / "import", timeout=60, what=f"the sessions directory {st.root}"):
        return _import_text(st, path, text, template, progress, date, templates, date_order)


def _import_text(
    st: SessionStore,
    path: Path,
    text: str,
    template: str | None,
    progress: Progress | None,
    date: str | None = None,
    templates: dict[str, Template] | None = None,
    date_order: str | None = None,
) -> ImportResult:
    from facilitator import markdown

    # Pasted notes may carry ESC/OSC/C1 sequences: replaced visibly before parsing (also
    # because str.splitlines would split lines at \x0b, \x0c, \x1c-\x1e and \x85).
    text, controls = clean_counted(text)
    report = progress or (lambda phase, done, total: None)
    report("reading", 0, 1)
    doc = markdown.parse_document(
        text,
        template=template,
        source=path.name,
        path=str(path),
        templates=templates,
        on_meeting=lambda done, total: report("reading", done, total),
        date_order=date_order,
    )
    missing = [n for n, s in enumerate(doc.sessions) if not s.date]
    if missing and date is None:
        lines = []
        for n in missing:
            s = doc.sessions[n]
            what = f"meeting {n + 1} of {len(doc.sessions)}" + (f" ('{s.heading}')" if s.heading else "")
            lines.append(f"{what}: {doc.date_problems.get(n, 'no date found')}")
        hint = "give the meeting's day with --date YYYY-MM-DD"
        ambiguous = any("ambiguous" in doc.date_problems.get(n, "") for n in missing)
        if ambiguous:
            hint = "say how the file writes dates with --date-order dmy (day first) or mdy (month first), or " + hint
        raise ImportFailed("; ".join(f"{path}: {line}" for line in lines) + "; " + hint, undated=lines, ambiguous=ambiguous)
    for n in missing:
        doc.sessions[n].date = date or ""
    for session in doc.sessions:
        try:  # what the reader would refuse is refused here, before anything is written
            check_session_values(session)
        except ValueError as exc:
            where = session.heading or session.date
            raise ImportFailed(f"{path}: meeting '{where}': {exc}; nothing imported") from None
    # The sessions this file gave before, from the index (not by parsing every session).
    previous: dict[str, list[tuple[str, str]]] = {}
    for sid, day, archived_in in st.index().imported_from(path.name):
        previous.setdefault(day, []).append((sid, archived_in))
    ids: list[str] = []
    replaced = 0
    total = len(doc.sessions)
    last_lock: SessionLock | None = None
    with contextlib.ExitStack() as locks:
        # Every session's lock before anything is written (a running app editing one
        # refuses the whole import); a new id's lock also keeps the next make_id off it.
        for session in doc.sessions:
            olds = previous.get(session.date)
            if olds:
                session.id, session.archived_in = olds.pop(0)
                replaced += 1
            else:
                session.id = st.make_id(session.date, session.title or path.stem)
            # One lock file, linked under each id: what a lock says is the same for all.
            last_lock = locks.enter_context(st.lock(session.id, like=last_lock))
            ids.append(session.id)
        # All written, then all renamed, one directory fsync (see store.atomic_write_many).
        st.save_all(doc.sessions, saved=lambda n: report("saving", n, total))
    return ImportResult(ids=ids, replaced=replaced, controls=controls)
