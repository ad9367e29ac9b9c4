"""``facilitator host ID`` and ``facilitator join URL``: a meeting shared between terminals.

``host`` opens the meeting as ``open`` does and serves it (``--bind`` 127.0.0.1 by
default, ``--port``); it prints the line others type to join (and edit) and the line to
follow it read-only, before the app takes the screen. The tokens and port are remembered
per meeting, so running ``host`` again (after a restart or a crash) serves the same URLs
and everyone comes back by themselves; ``--new-token`` shuts out everyone who had the old
lines. ``join`` opens the host's meeting in this terminal.

``prepare`` does the checking and binding and returns what the app needs; ``facilitator.cli``
starts the app (it owns the terminal checks), so this module never imports it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("host", "join")


def add_commands(sub: Any) -> None:
    p = sub.add_parser("host", help="run a meeting and share it: prints the line others join with")
    p.add_argument("id", metavar="ID")
    p.add_argument("--bind", metavar="ADDRESS", help="the address to serve on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", metavar="PORT", type=int, help="the port (default: the one used last time, else any free one)")
    p.add_argument("--name", metavar="NAME", help="your name as the others see it (default: your user name)")
    p.add_argument("--new-token", action="store_true", help="make new tokens: the old join and follow lines stop working")

    p = sub.add_parser("join", help="join a meeting someone hosts (the ws://… line they printed)")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", metavar="NAME", help="your name as the others see it (default: your user name)")


def default_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "someone"


def check(args: argparse.Namespace) -> None:
    """The arguments alone (no files, no network): ``ValueError`` saying what is wrong."""
    if args.command == "join":
        from facilitator.share_client import parse_join_url

        parse_join_url(args.url)
    elif args.port is not None and not 0 <= args.port <= 65535:
        raise ValueError(f"--port {args.port}: a port is 0 (any free one) to 65535")


def prepare(args: argparse.Namespace, sessions_dir: Path) -> dict[str, Any]:
    """Check the arguments, bind the host's port and print the join and follow lines; the app's options.

    Errors are ``ValueError`` or ``StoreError`` with a one-line message (the CLI shows it).
    """
    name = " ".join((args.name or default_name()).split())[:40]
    check(args)
    if args.command == "join":
        return {"join": (args.url.strip(), name)}
    from facilitator.share_session import ShareError, bind_socket, plan_hosting, snapshot_is_stale
    from facilitator.store import SessionStore

    store = SessionStore(sessions_dir)
    session = store.load(args.id)
    if session.status == "cancelled":
        raise ValueError(f"session {args.id!r} is a cancelled meeting: nothing to run or share")
    with store.lock(args.id):  # open in another app? say so now, before printing a URL
        pass
    # Edited without sharing since the last time: a fresh document, so a fresh token too.
    stale = snapshot_is_stale(store.path_for(args.id))
    plan = plan_hosting(sessions_dir, args.id, bind=args.bind, port=args.port, new=args.new_token or stale)
    try:
        sock, plan = bind_socket(plan)
    except ShareError as e:
        raise ValueError(str(e)) from None
    print(f"facilitator join {plan.url}", flush=True)
    print(f"facilitator follow {plan.follow_url}", flush=True)
    if plan.bind not in ("127.0.0.1", "::1", "localhost"):
        print(
            "facilitator: the join line lets anyone who has it edit the meeting (the follow line: watch it), "
            "over plain ws://; share them on a trusted network only (see README: Sharing a meeting)",
            file=sys.stderr,
            flush=True,
        )
    return {"open_id": args.id, "host": (plan, sock, name)}
