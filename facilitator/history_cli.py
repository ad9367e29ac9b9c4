"""CLI commands over past sessions: search, stats, people, next.

``facilitator.cli`` registers them with :func:`add_commands` and calls :func:`run` when
``args.command`` is one of :data:`COMMANDS`. ``python -m facilitator.history_cli`` runs
them on their own (with ``--sessions DIR``).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is not imported at run time (PEP 563 annotations)
if TYPE_CHECKING:
    import argparse
    from typing import Any, TextIO

    from facilitator.store import SessionStore

# The data layer (store and the history modules) is imported by the commands, not here:
# ``facilitator.cli`` imports this module to build its parser, also when it starts the app.

COMMANDS = {"search", "stats", "people", "next"}
# ``search`` shows this many hits, best first, unless told otherwise (--limit N, --all).
SEARCH_LIMIT = 20


def add_commands(subparsers: Any) -> None:
    p = subparsers.add_parser("search", help="find words in past sessions", description="Find past sessions' lines holding all the words (prefixes match, case and accents ignored; \"quoted words\" match as a phrase), best match first.")
    p.add_argument("words", nargs="+", help="words to find (all must occur in one item or section)")
    many = p.add_mutually_exclusive_group()
    many.add_argument("--limit", type=int, default=SEARCH_LIMIT, metavar="N",
                      help=f"show the best N hits (default {SEARCH_LIMIT}; 0: all)")
    many.add_argument("--all", action="store_true", help="show every hit")

    p = subparsers.add_parser("stats", help="planned vs actual time per item", description="Time review: each item's planned and actual minutes; overruns marked.")
    p.add_argument("id", nargs="?", help="one session (default: every session in the range, newest first)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first date (YYYY-MM-DD or YYYY-MM)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last date (YYYY-MM-DD or YYYY-MM)")

    p = subparsers.add_parser("people", help="attendance per person", description="Who attended how many sessions, first and last seen.")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = subparsers.add_parser("next", help="create the next session from a past one", description="Create the next session: same template, next date, unfinished and deferred items carried over.")
    p.add_argument("id", help="the past session")
    p.add_argument("--date", help="the new session's date (YYYY-MM-DD; default: by --rule)")
    p.add_argument("--rule", default=None, help="the team's schedule (default), monthly-nth-weekday, weeks:N, or a phrase like \"every other Tuesday\"")


def _err(msg: str, err: TextIO) -> int:
    from facilitator.sanitize import clean

    print(f"facilitator: error: {' '.join(clean(str(msg)).split())}", file=err)
    return 1


def run(args: argparse.Namespace, store: SessionStore, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from facilitator.sanitize import CleanStream

    # Names, titles and notes are printed: the control policy guards every line written.
    raw_out = out or sys.stdout
    # Under ``facilitator.cli`` stdout and stderr already are (cleaning twice doubles the
    # cost of a long ``stats``: a search through every character).
    out = raw_out if isinstance(raw_out, CleanStream) else CleanStream(raw_out)
    err = err or sys.stderr
    err = err if isinstance(err, CleanStream) else CleanStream(err)
    try:
        if args.command == "search":
            return _search(args, store, out)
        if args.command == "stats":
            return _stats(args, store, out, err)
        if args.command == "people":
            return _people(args, store, out)
        if args.command == "next":
            return _next(args, store, out)
    except BrokenPipeError:
        # `facilitator search x | head`: the reader left; say nothing more (Python docs recipe).
        if raw_out is sys.stdout:
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (ValueError, OSError) as e:
        return _err(str(e), err)
    except Exception as e:
        from facilitator.store import StoreError

        if isinstance(e, StoreError):
            return _err(str(e), err)
        raise
    return _err(f"unknown command {args.command!r}", err)


def _write_lines(out: TextIO, lines: list[str]) -> None:
    """All the lines in one write: thousands of ``print`` calls, each cleaned and written
    on its own, were most of a long ``stats`` or ``search``."""
    if lines:
        out.write("\n".join(lines) + "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _search(args: argparse.Namespace, store: SessionStore, out: TextIO) -> int:
    """The best hits first (FTS5's bm25), ``--limit`` of them (a word said in every meeting
    has ~17,000: a person reads the first few); a last line on stderr says how many more."""
    from facilitator.search import count_hits, query_words, search

    query = " ".join(args.words)
    if not query_words(query):
        raise ValueError("nothing to search for (give at least one word)")
    if args.limit < 0:
        raise ValueError(f"--limit must be 0 (every hit) or more, not {args.limit}")
    limit = None if args.all or args.limit == 0 else args.limit
    hits = search(store, query, limit, ranked=True, snippets=False)
    lines = []
    for h in hits:
        where = h.section + (f"/{_one_line(h.item_title)}" if h.item_id else "")
        lines.append(f"{h.date}  {_one_line(h.title)}  {where}: {_one_line(h.line)}")
    _write_lines(out, lines)
    if not hits:
        from facilitator.sanitize import clean

        print(clean(f"no session mentions {query!r}"), file=sys.stderr)
        return 1
    if limit is not None and len(hits) == limit:
        total = count_hits(store, query)
        if total > limit:
            print(f"{total - limit:,} more hits (the best {limit:,} of {total:,} shown): "
                  f"--limit N shows N, --all shows every one", file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace, store: SessionStore, out: TextIO, err: TextIO) -> int:
    if args.id or args.date_from or args.date_to:
        from facilitator import stats

        for d in (args.date_from, args.date_to):
            if d:
                stats.check_date(d)
    if args.id:
        _write_lines(out, _stats_lines([stats.session_times(store.load(args.id))]))
        return 0
    if args.date_from or args.date_to:
        times = stats.summary(store, args.date_from, args.date_to)
        if not times:
            raise ValueError("no sessions in that range")
        _write_lines(out, _stats_lines(times))
        return 0
    # Every session: ~9,000 tables at 10,000 sessions, ~0.5 s to format; the index keeps
    # the text (cleaned once) until a session file (or this code) changes.
    idx = store.index()

    def compute() -> str:
        from facilitator.sanitize import clean
        from facilitator.stats import summary_of_index

        lines = _stats_lines(summary_of_index(idx))
        return clean("\n".join(lines) + "\n") if lines else ""

    text = idx.derived_utf8("stats", _code_version("history_cli.py", "stats.py", "model.py"), compute)
    if not text:
        raise ValueError("no sessions in that range")
    _write_kept(out, text)
    return 0


def _write_kept(out: TextIO, data: bytes) -> None:
    """A result the index keeps (UTF-8), cleaned when it was computed: written as it is."""
    from facilitator.sanitize import CleanStream, clean, write_cleaned_utf8

    if isinstance(out, CleanStream):
        write_cleaned_utf8(out, data)
    else:  # run() always gives a CleanStream; anything else is cleaned here
        out.write(clean(data.decode("utf-8")))


def _code_version(*names: str) -> str:
    import os

    from facilitator.index import code_version

    here = os.path.dirname(__file__)  # (not pathlib: a warm run does not import it)
    return code_version(*(os.path.join(here, n) for n in names))


def _stats_lines(times: list[Any]) -> list[str]:
    from facilitator import stats

    lines: list[str] = []
    for n, t in enumerate(times):
        if n:
            lines.append("")
        lines.append(f"{t.date}  {_one_line(t.title)}  ({t.session_id}, {t.status})")
        if not t.items:
            lines.append("  no agenda items")
            continue
        lines.extend("  " + line for line in stats.table_lines(t))
        if not t.timed:
            lines.append("  (not timed: imported or never run with the clock)")
    return lines


def _people(args: argparse.Namespace, store: SessionStore, out: TextIO) -> int:
    """The table (or ``--json``) over every session: kept by the index as the text printed,
    so a warm run reads it and writes it (no grouping, no JSON, not even the people module)."""
    idx = store.index()
    name, compute = ("people --json", _people_json) if args.json else ("people table", _people_table)
    text = idx.derived_utf8(name, _code_version("history_cli.py", "people.py", "model.py"), lambda: compute(idx))
    _write_kept(out, text)
    return 0


def _people_json(idx: Any) -> str:
    import json

    from facilitator import people
    from facilitator.sanitize import clean

    return clean(json.dumps(people.as_json(people.attendance_of_index(idx)), ensure_ascii=False, indent=2) + "\n")


def _people_table(idx: Any) -> str:
    from facilitator import people
    from facilitator.sanitize import clean

    rows = [("NAME", "HANDLE", "SESSIONS", "FIRST", "LAST")]
    rows += [(p.name, f"@{p.handle}" if p.handle else "", str(p.count), p.first_seen, p.last_seen)
             for p in people.attendance_of_index(idx)]
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    return clean("\n".join("  ".join(r[c].ljust(widths[c]) for c in range(5)).rstrip() for r in rows) + "\n")


def _templates(args: argparse.Namespace) -> Any:
    """The built-in and the user's templates (a user's team schedule decides the next date)."""
    from pathlib import Path

    from facilitator import paths, templates

    given = getattr(args, "templates", None)
    return templates.load_templates(Path(given).expanduser() if given else paths.user_templates_dir())


def _next(args: argparse.Namespace, store: SessionStore, out: TextIO) -> int:
    from facilitator.nextmeeting import create_next

    new = create_next(store, args.id, date=args.date, rule=args.rule, templates=_templates(args))
    print(new.id, file=out)
    from facilitator.store import same_day_as

    base = same_day_as(new.id, new.date)
    if base:  # a second meeting of that day: say which id it got (lists show them alike)
        print(f"facilitator: warning: a session on {new.date} exists already ({base}); this one is {new.id} "
              f"(rename it with 'facilitator rename {new.id} NEW-ID')", file=sys.stderr)
    carried = [i for i in new.agenda_items if i.carried_from]
    if carried:
        print(f"carried over {len(carried)} item(s) from {args.id}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    from facilitator.paths import resolve_sessions_dir
    from facilitator.store import SessionStore

    parser = argparse.ArgumentParser(prog="facilitator")
    parser.add_argument("--sessions", metavar="DIR", help="sessions directory")
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = parser.parse_args(argv)
    return run(args, SessionStore(resolve_sessions_dir(args.sessions)))


if __name__ == "__main__":
    sys.exit(main())
