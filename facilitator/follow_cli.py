"""CLI commands of the read-only follower: ``follow ID|URL`` and ``serve-follow ID``.

``facilitator.cli`` registers them with :func:`add_commands` and hands them to
:func:`run` before its output guard (they run a Textual app, which writes escape codes on
purpose). This module imports only the standard library at load time: the CLI imports it
to build its parser, also when it starts the main app. textual-serve is imported by
``serve-follow`` alone.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

COMMANDS = {"follow", "serve-follow"}
URL_SCHEMES = ("ws://", "wss://")
DEFAULT_SERVE_PORT = 8765


class FollowError(ValueError):
    """A user error of these commands; the CLI shows it as its one ``error:`` line."""


def add_commands(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "follow",
        help="show a meeting's presenter view, read-only (a session id, or the host's follow URL)",
        description="The presenter view (current item, countdown, rooms) of a meeting someone else runs. "
        "With an ID it watches that session's file (no lock taken, nothing written); with a "
        "ws:// URL from 'facilitator host' (its follow line: read-only on the host's side) it follows the shared meeting. Nothing in it changes the meeting; q quits.",
    )
    p.add_argument("target", metavar="ID|URL", help="a session id in the sessions dir, or a ws://HOST:PORT/ID?token=... URL")

    p = subparsers.add_parser(
        "serve-follow",
        help="serve the follower view of a session to web browsers (textual-serve)",
        description="Serve 'facilitator follow ID' to browsers: each tab that opens the page runs its own "
        "follower process (read-only). Anyone who can reach the port sees the meeting: keep the default "
        "127.0.0.1 unless the network is trusted.",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_SERVE_PORT, help=f"port (default: {DEFAULT_SERVE_PORT})")
    p.add_argument(
        "--public-url", metavar="URL",
        help="the address browsers use, when it is not http://HOST:PORT (behind a proxy, or --host 0.0.0.0)",
    )


def run(args: argparse.Namespace, sessions_dir: Path) -> int:
    if args.command == "follow":
        if args.target.startswith(URL_SCHEMES):
            return _follow_url(args, args.target)
        return _follow_file(args, sessions_dir, args.target)
    if args.command == "serve-follow":
        return _serve(args, sessions_dir)
    raise FollowError(f"unknown command {args.command!r}")  # pragma: no cover - argparse rejects it


def _templates(args: argparse.Namespace) -> Any:
    from facilitator import paths, templates

    user_dir = Path(args.templates).expanduser() if args.templates else paths.user_templates_dir()
    return templates.load_templates(user_dir)


def _engine_maker(args: argparse.Namespace) -> Any:
    """Sessions to read-only engines, each with its template (the titles the presenter shows)."""
    from facilitator.follow import reader_engine

    tset = _templates(args)
    return lambda session: reader_engine(session, tset.resolve(session.template))


def first_watch(sessions_dir: Path, session_id: str) -> Any:
    """A watch on the session's file that has read it once, or a FollowError saying why not."""
    from facilitator.follow import SessionFileWatch
    from facilitator.store import SessionStore

    path = SessionStore(sessions_dir).path_for(session_id)  # a bad id is a StoreError here
    if not path.exists():
        raise FollowError(f"no session {session_id!r} in {sessions_dir}")
    watch = SessionFileWatch(path)
    state = watch.poll()
    if state is None or state.session is None:
        raise FollowError(state.problem if state is not None else f"cannot read {path}")
    return watch


def _can_draw() -> bool:
    """A terminal, or Textual's web driver (serve-follow runs us with pipes as stdin/stdout)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _run_view(source: Any, make_engine: Any, where: str) -> int:
    if not _can_draw():
        raise FollowError("follow needs a terminal (stdin and stdout must both be one); for browsers use 'serve-follow'")
    from facilitator.screens.follower import run_follower

    return run_follower(source, make_engine, where)


def _follow_file(args: argparse.Namespace, sessions_dir: Path, session_id: str) -> int:
    watch = first_watch(sessions_dir, session_id)
    return _run_view(watch, _engine_maker(args), session_id)


def _follow_url(args: argparse.Namespace, url: str) -> int:
    from facilitator.share_client import parse_join_url

    try:
        parse_join_url(url)  # a bad URL is reported before anything starts
    except ValueError as e:
        raise FollowError(str(e)) from None
    from facilitator.follow_shared import SharedDocFollow

    source = SharedDocFollow(url)
    return _run_view(source, _engine_maker(args), source.where)


def follow_command(sessions_dir: Path, session_id: str, templates_dir: str | None = None) -> list[str]:
    """The command each browser tab runs: this Python, this package, ``follow ID``."""
    cmd = [sys.executable, "-m", "facilitator", "--sessions", str(Path(sessions_dir).resolve())]
    if templates_dir:
        cmd += ["--templates", str(Path(templates_dir).expanduser().resolve())]
    return [*cmd, "follow", session_id]


def _serve(args: argparse.Namespace, sessions_dir: Path) -> int:
    first_watch(sessions_dir, args.id)  # a missing or broken session is reported now, not in each tab
    if not 0 < args.port < 65536:
        raise FollowError(f"--port {args.port} is not a port (1-65535)")
    import shlex

    try:
        from textual_serve.server import Server
    except ImportError as exc:
        raise FollowError(f"serve-follow needs textual-serve ({exc}); install it with: pip install textual-serve") from None
    command = shlex.join(follow_command(sessions_dir, args.id, args.templates))
    public_url = args.public_url or f"http://{_url_host(args.host)}:{args.port}"
    server = Server(command, host=args.host, port=args.port, title=f"facilitator follow {args.id}", public_url=public_url)
    print(f"following {args.id} read-only: open {public_url}/ in a browser (one process per tab; ctrl+c stops)", file=sys.stderr)
    if args.host in ("0.0.0.0", "::", "") and not args.public_url:
        print(f"facilitator: warning: the page connects back to {public_url}: for other machines give "
              f"--public-url http://THIS-MACHINE:{args.port}", file=sys.stderr)
    server.serve()
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
