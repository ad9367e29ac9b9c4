"""The ``facilitator`` command: the app, plus scriptable commands over the sessions directory.

Every user error (a missing file, an unknown template or session, a corrupt session file,
a session open in a running app...) ends with exit status 1 and exactly one line
``facilitator: error: ...`` on stderr, never a traceback. The Textual app is imported only
when it is started, so the scriptable commands start fast.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from facilitator import collector

# typing, contextlib and importlib are not imported at run time: a warm command's
# imports are a third of its time (the annotations are strings, PEP 563). Nor are re,
# pathlib (with urllib.parse and ipaddress) and facilitator.paths: a warm read (list,
# search, people, stats) needs none of them (~8 ms of a ~60 ms run); the commands that
# use them import them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any, Callable, NoReturn, Sequence

    from facilitator import store
    from facilitator.model import Session
    from facilitator.store import SessionStore
    from facilitator.summaries import SessionSummary
    from facilitator.templates import Template, TemplateSet

# The data layer (store, templates, model, tomllib, tomli_w, json) is imported by the
# commands that use it, not here: the app's first frame needs none of it.

PROG = "facilitator"


def _demo_dir() -> Path:
    from pathlib import Path

    return Path(__file__).parent / "demo"


def __getattr__(name: str) -> Any:
    if name == "DEMO_DIR":  # the demo sessions (a Path, made on first use: see the imports)
        return _demo_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CliError(Exception):
    """A user error found by the command layer itself (message is shown as is)."""


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse, but a usage error is one line (exit 2) instead of usage + message.

    Made on first use: starting the app (see _app_only) does not import argparse.
    """
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.exit(2, f"{self.prog}: error: {message} (see '{PROG} --help')\n")

    return _Parser


# -- helpers ------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """One line, control characters shown as stand-ins (messages quote user paths and data)."""
    from facilitator.sanitize import clean

    return " ".join(clean(str(text)).split())


def _oserror_text(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason}"
    return reason


def _load_templates(args: argparse.Namespace) -> TemplateSet:
    from pathlib import Path

    from facilitator import paths, templates

    user_dir = Path(args.templates).expanduser() if args.templates else paths.user_templates_dir()
    return templates.load_templates(user_dir)


def _get_template(tset: TemplateSet, name: str | None) -> Template:
    """The template asked for; if a broken user file is what would have defined it, say why."""
    import re
    from pathlib import Path

    from facilitator import paths
    from facilitator.templates import TemplateError

    try:
        return tset.get(name)
    except TemplateError:
        wanted = name or paths.DEFAULT_TEMPLATE
        for err in tset.errors:
            # "template /path/NAME.toml[, line N]: reason"
            m = re.match(r"template (?P<path>.+?\.toml)(?:, line \d+)?: ", err)
            if m and Path(m.group("path")).stem == wanted:
                raise TemplateError(err) from None
        raise


def _read_text_file(path: Path, what: str = "file") -> str:
    from facilitator.importer import read_text_file

    return read_text_file(path, what)


def _write_stdout(text: str) -> None:
    from facilitator.sanitize import CleanStream, clean

    # Under ``_clean_output`` stdout cleans what it is given: once is enough.
    sys.stdout.write(text if isinstance(sys.stdout, CleanStream) else clean(text))
    sys.stdout.flush()


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {_one_line(message)}", file=sys.stderr)


def _valid_day(text: str) -> str:
    import datetime as _dt
    import re

    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        raise CliError(f"invalid date {text!r} (use YYYY-MM-DD)")
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"invalid date {text!r} (no such day)") from None
    return text


def _save_locked(st: SessionStore, session: Session) -> Path:
    """Save under the session's lock, so a running app editing it refuses the write."""
    with st.lock(session.id):
        return st.save(session)


def seed_demo(sessions_dir: Path) -> int:
    """Copy the demo sessions into ``sessions_dir`` if it holds no session yet; how many were copied."""
    from pathlib import Path

    sessions_dir = Path(sessions_dir)
    if sessions_dir.is_dir() and any(sessions_dir.glob("*.toml")):
        return 0
    sources = sorted(_demo_dir().glob("*.toml"))
    if not sources:
        return 0
    from facilitator import store

    sessions_dir.mkdir(parents=True, exist_ok=True)
    for src in sources:
        store.atomic_write_text(sessions_dir / src.name, src.read_text(encoding="utf-8"))
    return len(sources)


# -- commands -----------------------------------------------------------------------


def cmd_app(args: argparse.Namespace, st: SessionStore) -> int:
    """``open ID``: the app on one session (a bad or unknown id is reported here)."""
    open_id = getattr(args, "id", None)
    if open_id is not None:
        st.load(open_id)  # a bad or unknown id is reported here, before the screen opens
    return _run_app(args, st.root, open_id)


def _has_terminal() -> bool:
    """Whether stdin and stdout are a terminal: the app draws with escape codes and reads keys."""
    try:
        return sys.stdin is not None and sys.stdout is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def _require_terminal() -> None:
    if not _has_terminal():
        raise CliError(
            "the app needs a terminal (stdin and stdout must both be one); "
            f"in scripts use a command such as '{PROG} list' (see '{PROG} --help')"
        )


def _run_app(
    args: argparse.Namespace, sessions_dir: Path, open_id: str | None = None, **share: Any
) -> int:
    """Run the app on the sessions dir (home, or the meeting ``open_id``); its exit status.

    No command (home) comes here straight from ``_main``, without a ``SessionStore``: the
    first frame needs none of the data layer, which the app imports on first use.
    """
    # Start-up allocates a lot and frees little: without the cyclic garbage collector
    # (which would walk every object of Textual, Rich and their imports several times)
    # the first frame comes ~20% sooner. The app turns it back on shortly after it has
    # started (FacilitatorApp._enable_gc); so does leaving ``paused``, whatever happens.
    _require_terminal()
    with collector.paused():
        try:
            from facilitator.app import run_app
        except ImportError as exc:
            raise CliError(f"cannot start the app: {exc}") from None
        from pathlib import Path

        from facilitator import paths

        user_dir = Path(args.templates).expanduser() if args.templates else paths.user_templates_dir()
        if open_id is not None or share:
            rc = run_app(sessions_dir, user_dir, open_id=open_id, **share)
        else:
            rc = run_app(sessions_dir, user_dir)
    return int(rc or 0)


def cmd_templates(args: argparse.Namespace, st: SessionStore) -> int:
    tset = _load_templates(args)
    width = max((len(n) for n in tset.templates), default=0)
    for name in sorted(tset.templates):
        print(f"{name:<{width}}  {tset.templates[name].label}")
    for err in tset.errors:
        _warn(err)
    for note in tset.warnings:
        _warn(note)
    for name in sorted(tset.templates):  # a [team] setting that cannot be used: one line each
        for problem in tset.templates[name].team.problems:
            _warn(f"template {tset.templates[name].path}: {problem}")
    return 0


def cmd_new(args: argparse.Namespace, st: SessionStore) -> int:
    from pathlib import Path

    from facilitator import markdown, templates

    tset = _load_templates(args)
    tpl = _get_template(tset, args.template)
    date = _valid_day(args.date) if args.date else templates.today()
    agenda = []
    if args.agenda:
        if args.agenda == "-":
            text = sys.stdin.read()
        else:
            text = _read_text_file(Path(args.agenda), "agenda file")
        from facilitator.agenda_input import read_agenda

        read = read_agenda(text, tpl)
        agenda = read.items
        for message in read.messages:
            _warn(f"agenda: {message}")
    session_id = st.make_id(date, tpl.meeting_title)
    session = templates.new_session(tpl, session_id, date, agenda=agenda)
    if getattr(args, "icebreaker", None):
        from facilitator.icebreaker import set_question

        if not set_question(session, args.icebreaker):
            raise CliError(f"template '{tpl.name}' has no ice breaker section")
    out_path = _document_output(args, session, tpl)
    if out_path is not None and out_path.exists():
        raise CliError(f"{out_path} already exists: not overwritten (export -o writes over it)")
    _save_locked(st, session)
    if out_path is not None:
        _write_document(args, out_path, markdown.render_session(session, tpl))
    print(session.id)
    _warn_same_day(st, session.id, date)
    return 0


# ``-o`` given without a file: the team's own path for the meeting's document.
TEAM_PATH = object()


def _document_output(args: argparse.Namespace, session: Session, tpl: Template) -> Path | None:
    """Where ``-o`` writes: the file named, or for a bare ``-o`` the template's
    ``document_path`` (under the team's checkout when the template names one)."""
    from pathlib import Path

    out = getattr(args, "output", None)
    if out is None:
        return None
    if out is not TEAM_PATH:
        return Path(out)
    if (session.form or tpl.form) != "document":
        where = f"session {session.id} is a section of a yearly archive" if session.form else (
            f"template '{tpl.name}' keeps a yearly archive"
        )
        raise CliError(f"{where}, not a file per meeting: give the file with -o FILE, or use 'archive'")
    rel = Path(tpl.document_path_for(session.date))
    return Path(tpl.team.checkout).expanduser() / rel if tpl.team.checkout else rel


def _write_document(args: argparse.Namespace, path: Path, text: str) -> None:
    """Write ``-o``'s file atomically; the team's own folders are made, a named file's are not."""
    from facilitator import store

    if path.is_dir():
        raise CliError(f"{path} is a directory; give a file name with -o")
    try:
        if args.output is TEAM_PATH:
            path.parent.mkdir(parents=True, exist_ok=True)
        store.atomic_write_text(path, text)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}", file=sys.stderr)


def cmd_import(args: argparse.Namespace, st: SessionStore) -> int:
    import datetime as _dt
    from pathlib import Path

    from facilitator import importer

    name = None
    tset = _load_templates(args)  # the user's own templates read and detect too
    if args.template:
        _get_template(tset, args.template)  # unknown name: a clear error listing the known ones
        name = args.template
    date = None
    if getattr(args, "date", None):
        try:
            date = _dt.date.fromisoformat(args.date).isoformat()
        except ValueError:
            raise CliError(f"--date {args.date!r} is not a day (YYYY-MM-DD)") from None
    order = getattr(args, "date_order", None)
    result = importer.import_file(st, Path(args.file), template=name, date=date, templates=tset.templates, date_order=order)
    if result.controls:
        n = result.controls
        print(
            f"{PROG}: replaced {n} control character{'' if n == 1 else 's'} in {args.file} "
            "with visible stand-ins (such as \u241b for ESC)",
            file=sys.stderr,
        )
    # Print only once everything is saved: a reader that goes away early
    # (``facilitator import FILE | head -3``) must not cut the import short.
    _write_stdout("".join(f"{i}\n" for i in result.ids))
    return 0


def _summary_dict(s: SessionSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "date": s.date,
        "heading": s.heading,
        "title": s.title,
        "template": s.template,
        "status": s.status,
        "attendees": s.attendees,
        "agenda_items": s.agenda_items,
        "breakout_rooms": s.breakout_rooms,
        "archived_in": s.archived_in,
        "path": str(s.path),
    }


def cmd_list(args: argparse.Namespace, st: SessionStore) -> int:
    # Straight from the index's rows (no SessionSummary, no Path per row), and the text of
    # all of them is kept by the index (``SessionIndex.derived``) until a file changes.
    idx, unlisted = st.refreshed_index() if isinstance(st, IndexedDir) else (st.index(), [])
    root = st.dir if isinstance(st, IndexedDir) else str(st.root)
    exists = _kind(root) is not None
    broken = sorted(unlisted + (idx.broken() if exists else []))
    for name, reason in broken:
        _warn(f"{os.path.join(root, name)}: {reason}")
    version = _list_version()
    from facilitator.sanitize import clean

    if args.json:
        if not exists:
            _write_stdout("[]\n")
            return 0
        # Kept with a stand-in for the directory (how it was named on the command line
        # is this run's): JSON escapes each character on its own, so the escaped prefix
        # can be put in afterwards.
        # Cleaned once, when computed; the directory's JSON text is cleaned on its own (the
        # policy goes character by character, and JSON escapes every CR and newline).
        data = idx.derived_utf8("list --json", version, lambda: clean(_summaries_json(idx.summaries(), _ROOT_MARK)))
        prefix = clean(_json_text(os.path.join(root, "x"))[1:-2])
        try:
            _write_kept(data.replace((_ROOT_MARK + os.sep).encode("utf-8"), prefix.encode("utf-8")))
        except UnicodeEncodeError:  # a directory name that is no text (undecodable bytes)
            _write_stdout(data.decode("utf-8").replace(_ROOT_MARK + os.sep, prefix))
        return 0
    data = idx.derived_utf8("list", version, lambda: clean(_list_text(idx.summaries()))) if exists else b""
    if not data:
        print(f"no sessions in {st.root}", file=sys.stderr)
        return 0
    _write_kept(data)
    return 0


def _json_text(text: str) -> str:
    """``json.encoder.encode_basestring(text)``; a text it leaves as it is (no quote,
    backslash or control character) without importing json (and with it re)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    from json.encoder import encode_basestring

    return encode_basestring(text)


def _write_kept(data: bytes) -> None:
    """Write a result the index keeps (UTF-8), cleaned when it was computed, as it is."""
    from facilitator.sanitize import CleanStream, write_cleaned_utf8

    if isinstance(sys.stdout, CleanStream):
        write_cleaned_utf8(sys.stdout, data)
    else:
        _write_stdout(data.decode("utf-8"))


# Private use: never in a session's file name (ids are lowercase letters, digits and '-').
_ROOT_MARK = "\ue002"


def _list_version() -> str:
    from facilitator.index import code_version

    return code_version(__file__)


def _list_text(rows: list[tuple]) -> str:
    if not rows:
        return ""
    idw = max(len(r[1]) for r in rows)
    out = []
    for _name, sid, date, _heading, title, _tpl, status, attendees, agenda_items, archived_in, _c, _m, _rooms in rows:
        people = f"{attendees} {'person' if attendees == 1 else 'people'}"
        items = f"{agenda_items} {'item' if agenda_items == 1 else 'items'}"
        line = f"{sid:<{idw}}  {date:<10}  {status:<9}  {people:>10}  {items:>9}  {title}"
        if archived_in:
            line += f"  [archived: {archived_in}]"
        out.append(line)
    return "\n".join(out) + "\n"


_JSON_KEYS = ("id", "date", "heading", "title", "template", "status", "attendees", "agenda_items", "breakout_rooms", "archived_in", "path")


def _summaries_json(rows: list[tuple], root: str) -> str:
    """``json.dumps(summaries, indent=2, ensure_ascii=False) + "\\n"``, byte for byte, ~4x sooner.

    With ``indent`` the json module falls back to its pure-Python encoder; here only the
    strings go through the C encoder and the fixed layout is written directly.
    """
    from json.encoder import encode_basestring as enc

    if not rows:
        return "[]\n"
    heads = [f'    "{k}": ' for k in _JSON_KEYS]
    objs = []
    for name, sid, date, heading, title, template, status, attendees, agenda_items, archived_in, _c, _m, rooms in rows:
        values = (enc(sid), enc(date), enc(heading), enc(title), enc(template), enc(status),
                  str(int(attendees)), str(int(agenda_items)), str(int(rooms)), enc(archived_in),
                  enc(os.path.join(root, name)))
        objs.append("  {\n" + ",\n".join(h + v for h, v in zip(heads, values)) + "\n  }")
    return "[\n" + ",\n".join(objs) + "\n]\n"


class IndexedDir:
    """The sessions directory for a command: reads go to the SQLite index, the store loads late.

    ``list``, ``search``, ``people`` and ``stats`` only read the index; importing the
    store (and with it the model and the TOML writer) would be most of a warm run's
    time, so it is imported only when a file must be parsed or a command needs more
    than the index (``next``, ``stats ID``): any other attribute is the store's.
    """

    def __init__(self, root: str | Path) -> None:
        # The directory as text for the reads (no pathlib on a warm run: see the
        # imports); ``root`` is the Path the store and the other commands use.
        self.dir = os.fspath(root)
        self._root = None if isinstance(root, str) else root
        self._store: SessionStore | None = None

    @property
    def root(self) -> Path:
        if self._root is None:
            from pathlib import Path

            self._root = Path(self.dir)
        return self._root

    @property
    def store(self) -> SessionStore:
        if self._store is None:
            from facilitator.store import SessionStore

            self._store = SessionStore(self.root)
        return self._store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    @staticmethod
    def _parse(path: Path, stem: str) -> Any:  # a plain function: the index's workers unpickle it
        from facilitator.store import parse_for_index

        return parse_for_index(path, stem)

    def refreshed_index(self, progress: Callable[[int, int], None] | None = None) -> tuple[Any, list[tuple[str, str]]]:
        """The index brought up to date, and the files that could not even be listed."""
        from facilitator.index import index_for

        kind = _kind(self.dir)
        if kind == "other":
            return self.store.index(progress), []  # the store's error
        idx = index_for(self.dir)
        if kind is None:
            return idx, []
        try:
            return idx, idx.refresh(self._parse, progress)
        except OSError as e:
            from facilitator.store import StoreError

            raise StoreError(f"cannot list {self.root}: {e.strerror or e}") from None

    def index(self, progress: Callable[[int, int], None] | None = None) -> Any:
        return self.refreshed_index(progress)[0]


def _kind(path: str) -> str | None:
    """"dir", "other" (a file...) or None (nothing there), as ``Path.exists`` and
    ``Path.is_dir`` say (one stat; the errors they raise, raised)."""
    import errno
    from stat import S_ISDIR

    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP) or getattr(e, "winerror", 0) in (21, 123, 1921):
            return None
        raise
    except ValueError:  # not representable as a path (a NUL in it)
        return None
    return "dir" if S_ISDIR(st.st_mode) else "other"


def cmd_show(args: argparse.Namespace, st: SessionStore) -> int:
    from facilitator import archive

    session = st.load(args.id)
    tset = _load_templates(args)
    _write_stdout(archive.archive_markdown(session, tset.resolve(session.template)))
    return 0


def _export_id(args: argparse.Namespace, st: SessionStore) -> str:
    """The session ``export`` is about. ``-o`` takes an optional file, so in ``export -o ID``
    argparse hands the id to ``-o``; with no other id that word can only be the session
    (export always names one), so it is read as ``export ID -o``. Said so when it is not
    a session, rather than writing a file named like an id."""
    if args.id is not None:
        return args.id
    word = args.output
    if isinstance(word, str):
        if st.exists(word):  # False for anything not shaped like an id, too
            args.output = TEAM_PATH
            return word
        raise CliError(f"export needs a session ID: no session {word!r} (give 'export ID -o FILE')")
    raise CliError("export needs a session ID: 'export ID [-o [FILE]]'")


def cmd_export(args: argparse.Namespace, st: SessionStore) -> int:
    from facilitator import clipboard, markdown

    args.id = _export_id(args, st)
    session = st.load(args.id)
    tset = _load_templates(args)
    tpl = tset.resolve(session.template)
    text = markdown.render_session(session, tpl)
    out_path = _document_output(args, session, tpl)
    if out_path is not None:
        _write_document(args, out_path, text)
    else:
        _write_stdout(text)
    if args.copy:
        result = clipboard.copy_text(text)
        if not result.ok:  # nothing took the text: a script must be able to tell
            return _fail(clipboard.describe(result, out_path))
        print(clipboard.describe(result, out_path), file=sys.stderr)
    return 0


def cmd_archive(args: argparse.Namespace, st: SessionStore) -> int:
    from pathlib import Path

    from facilitator import archive, store

    session_id = store.validate_id(args.id)
    if not st.exists(session_id):
        st.load(session_id)  # raises the usual "no session" error
    with st.lock(session_id):
        session = st.load(session_id)  # read under the lock: the newest saved state
        tset = _load_templates(args)
        tpl = tset.resolve(session.template)
        where = None
        if args.into:
            if args.commit:
                raise CliError("--commit writes into the team's checkout: use --repo DIR instead of --into")
            target = Path(args.into)
        else:
            where = _archive_target(args, session, tpl)  # the team's checkout (issue 8)
            target = where.path
        if args.commit and where is not None:
            _check_can_commit(where, session, tpl)
        try:
            result = archive.archive_session(session, target, tpl)
        except archive.ArchiveError as exc:
            raise CliError(str(exc)) from None
        if session.archived_in != str(target):
            session.archived_in = str(target)
            st.save(session)
    print(f"{result.action} {target}")
    if args.commit and where is not None:
        _commit_archive(where, session, tpl, result.action)
    return 0


def _archive_target(args: argparse.Namespace, session: Session, tpl: Template) -> Any:
    from pathlib import Path

    from facilitator import repo

    try:
        return repo.archive_target(session, tpl, args.repo, args.create, Path.cwd())
    except repo.RepoError as exc:
        raise CliError(str(exc)) from None


def _check_can_commit(where: Any, session: Session, tpl: Template) -> None:
    from facilitator import repo

    try:
        repo.check_can_commit(where, repo.branch_name(session, tpl))
    except repo.RepoError as exc:
        raise CliError(str(exc)) from None


def _commit_archive(where: Any, session: Session, tpl: Template, action: str) -> None:
    """``archive --commit``: a branch and a commit in the checkout, then the PR's title and body."""
    from facilitator import prepare, repo

    if action == "unchanged":
        raise CliError(f"nothing to commit: {where.relative} already holds this meeting as it is")
    try:
        done = repo.commit_archive(where, session, tpl)
    except repo.RepoError as exc:
        raise CliError(str(exc)) from None
    print(f"committed {done.commit} on branch {done.branch} (not pushed: git push -u origin {done.branch})", file=sys.stderr)
    _write_stdout(f"\n{done.title}\n\n{done.body}")


# -- before the call (issue 8): meeting issue, pad skeleton, reminders -----------------


def _session_and_template(args: argparse.Namespace, st: SessionStore) -> tuple[Session, Template]:
    session = st.load(args.id)
    return session, _load_templates(args).resolve(session.template)


def cmd_issue(args: argparse.Namespace, st: SessionStore) -> int:
    """``issue ID [--number N]``: the meeting issue's text; ``--number`` records the issue."""
    from facilitator import prepare

    session, tpl = _session_and_template(args, st)
    if args.number is not None:
        number = args.number.strip().lstrip("#")
        if not number.isdigit():
            raise CliError(f"--number must be an issue number (got {args.number!r})")
        with st.lock(session.id):
            session = st.load(session.id)
            session.issue = number
            st.save(session)
        print(f"{session.id}: meeting issue #{number}", file=sys.stderr)
    day = prepare.meeting_day(session)
    print(f"meets {prepare.long_date(day)}, {prepare.when(tpl.team, day).line()}", file=sys.stderr)
    _write_stdout(prepare.issue_text(session, tpl))
    return 0


def cmd_pad(args: argparse.Namespace, st: SessionStore) -> int:
    from facilitator import prepare

    session, tpl = _session_and_template(args, st)
    _write_stdout(prepare.pad_text(session, tpl, icebreaker=args.icebreaker or ""))
    return 0


def cmd_remind(args: argparse.Namespace, st: SessionStore) -> int:
    from facilitator import prepare

    session, tpl = _session_and_template(args, st)
    _write_stdout(prepare.remind_text(session, tpl, args.before))
    return 0


def cmd_merge_pad(args: argparse.Namespace, st: SessionStore) -> int:
    """``merge-pad ID FILE|- [--apply]``: what the pad would add to the session; --apply adds it."""
    from pathlib import Path

    from facilitator import clipboard, padmerge, prepare

    if args.file is None:
        text, reason = clipboard.paste_text()
        if text is None:
            raise CliError(f"cannot read the pad from the clipboard: {reason} (give the pad as FILE, or '-' for stdin)")
    elif args.file == "-":
        text = sys.stdin.read()
    else:
        text = _read_text_file(Path(args.file), "pad file")
    session, tpl = _session_and_template(args, st)
    plan = padmerge.plan_merge(session, text, tpl)
    if plan.empty:
        print(f"{session.id}: the pad adds nothing new", file=sys.stderr)
        return 0
    _write_stdout("".join(f"{_one_line(c)}\n" for c in plan.changes))
    if not args.apply:
        print(f"{len(plan.changes)} change(s) not applied: run again with --apply", file=sys.stderr)
        return 0
    with st.lock(session.id):
        fresh = st.load(session.id)  # merge into the newest saved state, under the lock
        plan = padmerge.plan_merge(fresh, text, tpl)
        assert plan.merged is not None
        st.save(plan.merged)
    print(f"{session.id}: merged {len(plan.changes)} change(s) from the pad", file=sys.stderr)
    return 0


def cmd_rename(args: argparse.Namespace, st: SessionStore) -> int:
    path = st.rename(args.id, args.new_id)
    print(f"renamed {args.id} to {path.stem}", file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace, st: SessionStore) -> int:
    where = st.delete(args.id)
    print(f"moved {args.id} to {where} (undo: {PROG} restore {args.id})", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace, st: SessionStore) -> int:
    path = st.restore(args.id)
    print(f"restored {path.stem}", file=sys.stderr)
    return 0


def _warn_same_day(st: SessionStore, session_id: str, date: str) -> None:
    """A second meeting on one day gets ``-2``: say so, since lists show them alike."""
    from facilitator.store import same_day_as

    base = same_day_as(session_id, date)
    if base:
        _warn(f"a session on {date} exists already ({base}); this one is {session_id} "
              f"(rename it with '{PROG} rename {session_id} NEW-ID', delete with '{PROG} delete ID')")


# -- the parser ---------------------------------------------------------------------

COMMANDS: dict[str, Callable[[argparse.Namespace, SessionStore], int]] = {
    "open": cmd_app,
    "templates": cmd_templates,
    "new": cmd_new,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "export": cmd_export,
    "archive": cmd_archive,
    "issue": cmd_issue,
    "pad": cmd_pad,
    "remind": cmd_remind,
    "merge-pad": cmd_merge_pad,
    "rename": cmd_rename,
    "delete": cmd_delete,
    "restore": cmd_restore,
}


def _history_module() -> Any:
    """The history commands (search, stats, people, next), if that module is installed."""
    try:
        __import__("facilitator.history_cli")
        history_cli = sys.modules["facilitator.history_cli"]
    except ImportError:
        return None
    if callable(getattr(history_cli, "add_commands", None)) and callable(getattr(history_cli, "run", None)):
        return history_cli
    return None


def _leading_options(argv: Sequence[str]) -> tuple[dict[str, Any], list[str]] | None:
    """The global options at the front of ``argv`` as the full parser reads them, and the
    rest; None when one is not plain (an abbreviation, a value that looks like an option)."""
    opts: dict[str, Any] = {"sessions": None, "templates": None, "demo": False}
    rest = list(argv)
    while rest:
        token = rest[0]
        if token == "--demo":
            opts["demo"], rest = True, rest[1:]
        elif token in ("--sessions", "--templates"):
            if len(rest) < 2 or rest[1].startswith("-"):
                return None
            opts[token[2:]], rest = rest[1], rest[2:]
        elif token.startswith(("--sessions=", "--templates=")):
            name, _, value = token[2:].partition("=")
            opts[name], rest = value, rest[1:]
        else:
            break
    return opts, rest


def _app_only(argv: Sequence[str]) -> bool:
    """Whether ``argv`` only starts the app (no command, or ``open ID``) with plain options.

    Those two need no parser (argparse and ~30 commands' parsers, ~20 ms, and the share
    and history modules they come from) before the first frame: _app_args reads them. Anything else
    (help, version, an abbreviated option, a value that looks like an option) gets the
    full parser, so its errors and help are unchanged.
    """
    lead = _leading_options(argv)
    if lead is None:
        return False
    rest = lead[1]
    return not rest or (len(rest) == 2 and rest[0] == "open" and not rest[1].startswith("-"))


def _app_args(argv: Sequence[str]) -> Any:
    """What the full parser makes of an ``argv`` that _app_only accepts, without argparse."""
    lead = _leading_options(argv)
    assert lead is not None
    opts, rest = lead
    args = SimpleNamespace(command=None, **opts)
    if rest:
        args.command, args.id = rest
    return args


# The commands a warm run answers from the index, read without argparse (_read_args):
# each one's flags, and how many words it takes (min, max; None: any number).
_READ_COMMANDS: dict[str, tuple[tuple[str, ...], int, int | None]] = {
    "list": (("--json",), 0, 0),
    "people": (("--json",), 0, 0),
    "stats": ((), 0, 1),
    "search": (("--all",), 1, None),
}


def _read_args(argv: Sequence[str]) -> Any:
    """What the full parser makes of ``list [--json]``, ``people [--json]``, ``stats [ID]``
    and ``search WORD... [--limit N | --all]`` (after plain global options), or None for
    anything else: building ~30 commands' parsers (and importing argparse, gettext,
    shutil) was a quarter of a warm ``search``. Help, abbreviations, a word that starts
    with ``-`` and every error go to the full parser, so they read as before."""
    lead = _leading_options(argv)
    if lead is None or not lead[1] or lead[1][0] not in _READ_COMMANDS:
        return None
    opts, (command, *rest) = lead
    flags, least, most = _READ_COMMANDS[command]
    seen: set[str] = set()
    words: list[str] = []
    limit: int | None = None
    after_words = False  # argparse takes the words as one run (nargs='+')
    i = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if not token.startswith("-"):
            if after_words:
                return None
            words.append(token)
            continue
        after_words = bool(words)
        if token in flags:
            seen.add(token)
            continue
        if command != "search" or not (token == "--limit" or token.startswith("--limit=")):
            return None
        if token == "--limit":
            if i == len(rest):
                return None
            value, i = rest[i], i + 1
        else:
            value = token[len("--limit="):]
        if not (value.isascii() and value.isdigit()):
            return None
        limit = int(value)
    if len(words) < least or (most is not None and len(words) > most):
        return None
    args = SimpleNamespace(command=command, **opts)
    if command in ("list", "people"):
        args.json = "--json" in seen
    elif command == "stats":
        args.id, args.date_from, args.date_to = (words[0] if words else None), None, None
    else:
        if limit is not None and "--all" in seen:
            return None  # the full parser says they do not go together
        default = getattr(_history_module(), "SEARCH_LIMIT", None)  # the command's own default
        if not isinstance(default, int):
            return None
        args.words, args.all = words, "--all" in seen
        args.limit = default if limit is None else limit
    return args


def build_parser(history: Any = None) -> argparse.ArgumentParser:
    from facilitator import follow_cli, paths

    _Parser = _parser_class()
    parser = _Parser(
        prog=PROG,
        description="Facilitate a community call: run the meeting, keep its notes, archive them.",
        epilog="With no command, opens the app. Sessions dir: --sessions, else $FACILITATOR_SESSIONS, else the user data dir's sessions/.",
    )
    from facilitator import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--sessions", metavar="DIR", help="the sessions directory")
    parser.add_argument("--templates", metavar="DIR", help="your own templates (default: the user templates dir)")
    parser.add_argument("--demo", action="store_true", help="first copy the demo sessions into an empty sessions dir")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("open", help="open the app on one session")
    p.add_argument("id", metavar="ID")

    sub.add_parser("templates", help="list the agenda templates")

    p = sub.add_parser("new", help="create a planned session and print its id")
    p.add_argument("--template", metavar="NAME", help=f"template name (default: {paths.DEFAULT_TEMPLATE})")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting's day (default: today)")
    p.add_argument("--agenda", metavar="FILE", help="agenda items, one per line or bullet ('-' reads stdin)")
    p.add_argument("--icebreaker", metavar="TEXT", help="the ice-breaker question (default: the template's)")
    p.add_argument("-o", "--output", metavar="FILE", nargs="?", const=TEAM_PATH,
                   help="also write the meeting's document to FILE (bare -o: the template's document_path)")

    p = sub.add_parser("import", help="import the meetings of a Markdown file; prints one id per line")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--template", metavar="NAME", help="read it as this template, built-in or yours (default: detected)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day of meetings whose file gives none")
    p.add_argument(
        "--date-order",
        choices=("dmy", "mdy"),
        help="read numeric dates the file leaves ambiguous (03.04.21) day first (dmy) or month first (mdy)",
    )

    p = sub.add_parser("list", help="list the sessions, newest first")
    p.add_argument("--json", action="store_true", help="a JSON array instead of text")

    p = sub.add_parser("show", help="print the Markdown the archive would hold for a session")
    p.add_argument("id", metavar="ID")

    p = sub.add_parser("export", help="the session's notes as Markdown (stdout, a file, the clipboard)")
    p.add_argument("id", metavar="ID", nargs="?")  # missing: ``export -o ID`` (see _export_id)
    p.add_argument("-o", "--output", metavar="FILE", nargs="?", const=TEAM_PATH,
                   help="write to FILE (atomically) instead of stdout (bare -o: the template's document_path; "
                   "'export -o ID' is 'export ID -o')")
    p.add_argument("--copy", action="store_true", help="also copy the notes to the clipboard")

    p = sub.add_parser("archive", help="insert (or replace) the meeting in its yearly archive file")
    p.add_argument("id", metavar="ID")
    p.add_argument("--into", metavar="FILE", help="the archive file (default: the template's path in the team's checkout)")
    p.add_argument("--repo", metavar="DIR", help="the team's git checkout (default: the template's team.checkout)")
    p.add_argument("--create", action="store_true", help="start the year's file (or write outside a git checkout)")
    p.add_argument("--commit", action="store_true", help="commit the archive on a new branch (never pushes); prints the PR title and body")

    p = sub.add_parser("issue", help="print the meeting issue (title line, blank line, body)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--number", metavar="N", help="record the meeting issue's number (for the pad and 'Closes #N')")

    p = sub.add_parser("pad", help="print the pad skeleton to paste into HackMD or an Etherpad")
    p.add_argument("id", metavar="ID")
    p.add_argument("--icebreaker", metavar="QUESTION", help="the ice-breaker question (default: the team's)")

    p = sub.add_parser("remind", help="print the reminder comment for the meeting issue")
    p.add_argument("id", metavar="ID")
    p.add_argument("--before", choices=("1w", "1d"), default="1w", help="a week (1w, default) or a day (1d) before")

    p = sub.add_parser("merge-pad", help="merge the shared pad's notes into a session (preview; --apply to save)")
    p.add_argument("id", metavar="ID")
    p.add_argument("file", metavar="FILE", nargs="?", help="the pad's text ('-' reads stdin; default: the clipboard)")
    p.add_argument("--apply", action="store_true", help="save the changes shown")

    p = sub.add_parser("rename", help="give a session another id (its file name)")
    p.add_argument("id", metavar="ID")
    p.add_argument("new_id", metavar="NEW-ID")

    p = sub.add_parser("delete", help="move a session to the trash (.trash/ in the sessions dir); undo with restore")
    p.add_argument("id", metavar="ID")

    p = sub.add_parser("restore", help="bring a deleted session back from the trash")
    p.add_argument("id", metavar="ID")

    from facilitator import share_cli

    share_cli.add_commands(sub)
    if history is not None:
        history.add_commands(sub)
    follow_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


# Set when a read command (list, people, stats, search) has run to its end in this process.
_read_done = False


def entry() -> None:
    """The ``facilitator`` command: :func:`main`, and after a read command an exit that
    skips the interpreter's teardown.

    Tearing down after a warm read (freeing every module and the rows it held, closing
    the index, which checkpoints its write-ahead log and deletes it) was ~6 ms of a
    ~45 ms run at 10,000 sessions; deleting the log also changed the sessions directory's
    mtime, so the next run could not reuse the names it kept (``facilitator.listing``).
    Left open, the log file stays, as it does while the app runs; what this run wrote
    into it is first folded into the index and the log emptied in place
    (``index.settle_logs``), so the next open has no log to read back.
    """
    rc = main()
    if not _read_done:
        sys.exit(rc)
    index = sys.modules.get("facilitator.index")
    if index is not None:
        index.settle_logs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone: nothing more to say
            pass
    os._exit(rc & 0xFF)


def _main(argv: Sequence[str] | None) -> int:
    global _read_done
    _read_done = False
    argv = list(argv) if argv is not None else sys.argv[1:]
    args: Any = _app_args(argv) if _app_only(argv) else _read_args(argv)
    history = None
    if args is not None and args.command in ("search", "stats", "people"):
        history = _history_module()
        if history is None:
            args = None
    if args is None:
        history = _history_module()
        parser = build_parser(history)
        args = parser.parse_args(argv)
    try:
        command = args.command
        if command in _READ_COMMANDS and not args.demo:
            root: Any = _read_root(args.sessions)
        else:
            from facilitator import paths

            root = paths.resolve_sessions_dir(args.sessions)
            if args.demo:
                seed_demo(root)
        if command is None:
            return _run_app(args, root)
        if command == "open":
            return cmd_app(args, IndexedDir(root))
        if command not in COMMANDS and command not in getattr(history, "COMMANDS", ()):
            from facilitator import follow_cli

            if command in follow_cli.COMMANDS:  # a Textual app too: not under the output guard
                return follow_cli.run(args, root)
        if command in ("host", "join"):
            from facilitator import share_cli

            share_cli.check(args)
            _require_terminal()
            return _run_app(args, root, **share_cli.prepare(args, root))
        # A read keeps a tuple per file's stat and a row per session to its end: without the
        # collector walking them, a warm search or people at 10,000 was 4-7 ms quicker
        # (medians, n=30). A cold build parses at most index.PARALLEL_FROM files here, more
        # in child processes, whose collectors are their own.
        with _clean_output(), collector.paused(command in _READ_COMMANDS):
            st = IndexedDir(root)
            handler = COMMANDS.get(command)
            if handler is None and history is not None:
                rc = int(history.run(args, st) or 0)
            elif handler is None:  # pragma: no cover - argparse rejects unknown commands
                parser.error(f"unknown command {command!r}")
            else:
                rc = handler(args, st)
            _read_done = command in _READ_COMMANDS and not args.demo
            return rc
    except BrokenPipeError:
        # The reader went away (``facilitator list | head``): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except Exception as exc:
        if isinstance(exc, (CliError, UnicodeDecodeError, ValueError, *_data_errors())):
            return _fail(str(exc))
        if isinstance(exc, OSError):
            return _fail(_oserror_text(exc))
        raise


# ``paths.SESSIONS_ENV`` (facilitator.paths imports pathlib; a test keeps the two equal).
_SESSIONS_ENV = "FACILITATOR_SESSIONS"


def _read_root(arg: str | None) -> str | Path:
    """``paths.resolve_sessions_dir(arg)`` for a read command: as the text ``str()`` of that
    Path is, made without pathlib where that is plain (POSIX, ``--sessions`` or the
    environment naming the directory), else the Path itself."""
    text = arg or os.environ.get(_SESSIONS_ENV)
    fast = _path_text(text) if text else None
    if fast is not None:
        return fast
    from facilitator import paths

    return paths.resolve_sessions_dir(arg)


def _path_text(text: str) -> str | None:
    """``str(Path(text).expanduser())`` on POSIX, without pathlib: the parts without empty
    ones and ".", a root of one slash (two kept as two); None where that would need more
    (another OS, a leading "~", a NUL)."""
    if os.name != "posix" or "\0" in text:
        return None
    root = ""
    if text.startswith("/"):
        root = "//" if text.startswith("//") and not text.startswith("///") else "/"
    parts = [p for p in text.split("/") if p and p != "."]
    if not root and parts and parts[0].startswith("~"):
        return None
    return root + "/".join(parts) if root or parts else "."


class _clean_output:
    """The last guard: while a command runs, stdout and stderr pass through the control policy.

    Results and messages hold user data (titles, names, notes, file names); whatever
    reached them by another way than import or a session file still never reaches the
    terminal raw. The app is not run under it (Textual writes escape codes on purpose).
    (A class, not ``contextlib.contextmanager``: contextlib is not imported for it.)
    """

    def __enter__(self) -> None:
        from facilitator.sanitize import CleanStream

        self.old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = CleanStream(sys.stdout), CleanStream(sys.stderr)

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.old


def _data_errors() -> tuple[type[Exception], ...]:
    """StoreError and TemplateError, shown as one line like the CLI's own errors.

    Imported here, on the error path, so that the app's start does not import the data
    layer just to name these classes.
    """
    from facilitator.store import StoreError
    from facilitator.templates import TemplateError

    return (StoreError, TemplateError)


def _fail(message: str) -> int:
    print(f"{PROG}: error: {_one_line(message) or 'unknown error'}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
