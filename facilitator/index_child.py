"""A big index build in a child process, so the app's event loop keeps the GIL to itself.

Parsing thousands of session files is pure Python (tomllib): in a thread of the app it
takes the GIL from the event loop every few milliseconds, and a keystroke echoes late.
So when a refresh from the app finds many files to parse (``CHILD_AT`` or more: a first
build, an index of another schema, a directory copied in), :class:`ChildBuild` hands the
work to ``python -m facilitator.index_child DIR``: the same ``SessionStore.index()`` in
its own process, printing ``done total`` lines, which become the index's ``progress``
(the screens poll it for their bar). Meanwhile the app reads the index as it was (WAL);
the child commits once, at the end, and the app's own refresh then finds nothing left.
If the child cannot start or fails, the app builds the index itself, as before, having
said why. The CLI never uses this: a command has no event loop to keep free.

Nothing here imports Textual; the store is imported only in the child.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

CHILD_AT = 200  # files to parse from which the app builds in a child (~0.5 s of parsing)
CHILD_NICE = 10  # the child's scheduling priority below the app's


class HandOff(Exception):
    """Raised from a refresh's progress callback: too many files for the app's process.

    The refresh rolls back (nothing was parsed yet: ``SessionIndex`` reports (0, total)
    before the first file) and the child does the work.
    """

    def __init__(self, total: int) -> None:
        super().__init__(total)
        self.total = total


class Child(Protocol):
    """What :class:`ChildBuild` needs of a started child (a ``subprocess.Popen``)."""

    stdout: Iterable[str]

    def wait(self) -> int: ...

    def poll(self) -> int | None: ...

    def kill(self) -> None: ...


def spawn(argv: list[str]) -> Child:
    """Start the child: no terminal (stdin closed), stdout and stderr one pipe of lines."""
    import subprocess

    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", errors="replace", close_fds=True)


class ChildBuild:
    """A store's refreshes in the app: small ones in-process, big ones in a child.

    ``on_fallback(message)`` is called (from the refreshing thread) when the child
    could not do it and the app builds in-process instead; after one failure every
    build stays in-process. Thread-safe: one refresh at a time, so a second thread
    waits for the child and then finds the index up to date.
    """

    def __init__(self, threshold: int = CHILD_AT, on_fallback: Callable[[str], None] | None = None,
                 command: list[str] | None = None, start: Callable[[list[str]], Child] = spawn) -> None:
        self.threshold = threshold
        self.on_fallback = on_fallback
        self.command = command if command is not None else [sys.executable, "-m", "facilitator.index_child"]
        self.start = start
        self.failed: str | None = None  # why the child could not build, once it could not
        self._lock = threading.Lock()

    def refresh(self, idx: Any, parse: Callable[[Path, str], Any],
                progress: Callable[[int, int], None] | None = None) -> list[tuple[str, str]]:
        """``idx.refresh(parse, progress)``, the parsing done by a child if there is much of it."""
        with self._lock:
            if self.failed is None:
                def hand_off(done: int, total: int) -> None:
                    if total >= self.threshold:
                        raise HandOff(total)
                    if progress is not None:
                        progress(done, total)

                try:
                    return idx.refresh(parse, hand_off)
                except HandOff as e:
                    # An index in memory (a read-only directory) is this process's own.
                    error = None if idx.in_memory else self._run_child(idx, e.total)
                if error is not None:
                    self.failed = error
                    if self.on_fallback is not None:
                        self.on_fallback(
                            f"Could not build the session index in a background process ({error}); "
                            "building it in the app instead: it may respond slowly until that is done.")
            return idx.refresh(parse, progress)  # nothing left to do if the child did it

    def _run_child(self, idx: Any, total: int) -> str | None:
        """Run the child to its end, its progress shown as ``idx.progress``; why it failed, or None."""
        from facilitator.sanitize import clean

        idx.progress = (0, total)
        try:
            child = self.start([*self.command, str(idx.root)])
        except OSError as e:
            idx.progress = None
            return f"cannot start {self.command[0]}: {e.strerror or e}"
        said: list[str] = []
        try:
            for line in child.stdout:
                parts = line.split()
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    idx.progress = (int(parts[0]), int(parts[1]))
                elif line.strip():
                    said = (said + [line.strip()])[-20:]  # the end of a traceback says what happened
            status = child.wait()
        finally:
            idx.progress = None
            if child.poll() is None:  # this thread was interrupted: leave no orphan writing
                child.kill()
                child.wait()
        if status == 0:
            return None
        return clean(said[-1][:200]) if said else f"it stopped with status {status}"


class _AppGone(Exception):
    """The child's stdout is closed: nobody waits for this build any more."""


def main(argv: list[str] | None = None) -> int:
    """``python -m facilitator.index_child DIR``: bring DIR's index up to date, printing progress."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m facilitator.index_child SESSIONS_DIR", file=sys.stderr)
        return 2
    import sqlite3

    from facilitator.store import SessionStore, StoreError

    try:  # background work: the app it builds for comes first when both want a core
        os.nice(CHILD_NICE)
    except (AttributeError, OSError):
        pass

    def report(done: int, total: int) -> None:
        try:
            print(done, total, flush=True)
        except BrokenPipeError:
            raise _AppGone from None  # not an OSError: the store would take it for the directory's

    try:
        idx = SessionStore(Path(args[0])).index(report)
    except _AppGone:  # the app is gone: the build rolled back, its next start does it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (StoreError, sqlite3.Error, OSError) as e:
        print(f"cannot build the index: {e}", flush=True)
        return 1
    if idx.in_memory:
        print("cannot write the index beside the sessions", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
