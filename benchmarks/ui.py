"""UI benchmarks (not tests): prints figures, each beside a bare Textual app measured in the same run.

    .venv/bin/python benchmarks/ui.py        # also run by `make bench`

Every figure comes from a real pseudo-terminal (120x40, TERM=xterm-256color): the
process is spawned on the slave side of a pty and the master side is read until the
bytes that only the wanted frame contains have arrived.

1. Process start to first frame (medians of ROUNDS runs, a/b/c interleaved):
   (a) a bare Textual app (one Static), the floor;
   (b) ``facilitator --sessions DIR`` on the 11 demo sessions (home screen);
   (c) ``facilitator --sessions DIR open ID`` straight into a meeting.
   Target: (b) within 1.3x of (a).
2. Keystroke to screen in the notes pane of an item holding 5,000 lines of notes: a
   byte is written to the pty and timed until the line it changes is repainted.
   Target: under one frame (16 ms) median and p95.

The child process is killed (SIGKILL) once the frame is seen, so Textual's teardown is
not counted. The venv's own python is used (the ``python3`` on PATH may be a slow shim).
"""

from __future__ import annotations

import fcntl
import os
import platform
import pty
import random
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator.model import AgendaItem  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402
from facilitator.templates import get_template, new_session  # noqa: E402

PYTHON = sys.executable  # run this script with the venv's python
DEMO = ROOT / "facilitator" / "demo"
COLS, ROWS = 120, 40
ROUNDS = 10
KEYSTROKES = 50
NOTE_LINES = 5_000
TIMEOUT = 20.0

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static


    class Bare(App):
        def compose(self):
            yield Static("Bare benchmark app ready")


    Bare().run()
    """
)
BARE_MARKER = b"Bare benchmark app ready"
# The keystroke floor: Textual's own TextArea (plain, soft wrap) holding the same notes,
# at the width the meeting screen gives the notes pane.
BARE_TEXTAREA_APP = textwrap.dedent(
    """
    import sys
    from textual.app import App
    from textual.widgets import Static, TextArea


    class Bare(App):
        CSS = "#side { width: 30; } #notes { width: 1fr; }"

        def compose(self):
            from textual.containers import Horizontal
            with Horizontal():
                yield Static("Bare TextArea ready", id="side")
                yield TextArea(open(sys.argv[1]).read(), id="notes", soft_wrap=True, show_line_numbers=False)

        def on_mount(self):
            area = self.query_one(TextArea)
            area.focus()
            area.move_cursor(area.document.end)


    Bare().run()
    """
)
BARE_TEXTAREA_MARKER = b"Bare TextArea ready"
HOME_MARKER = b"New meeting"  # the home screen's first pane title
MEETING_MARKER = b"Presenter"  # only the meeting screen's footer has it (F4 Presenter)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "FACILITATOR"))}
    env.update(TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("NO_COLOR", None)
    # Let the warm-up run write .pyc files, as a user's first run does: with
    # PYTHONDONTWRITEBYTECODE every run would recompile each changed module from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class PtyProcess:
    """A child on a fresh pty (its controlling terminal) sized COLS x ROWS."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        env = child_env()
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal before the program can ask
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.buffer = bytearray()

    def read_until(self, marker: bytes, start: int = 0, timeout: float = TIMEOUT) -> float:
        """Seconds since spawn when ``marker`` shows up in the output at or after ``start``."""
        deadline = time.perf_counter() + timeout
        while True:
            if self.buffer.find(marker, start) != -1:
                return time.perf_counter() - self.t0
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = bytes(self.buffer[-400:])
                raise TimeoutError(f"{marker!r} not seen within {timeout}s; output ends {tail!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except OSError:  # EIO: the child has gone
                    chunk = b""
                if not chunk:
                    raise RuntimeError(f"child exited before {marker!r}; output ends {bytes(self.buffer[-400:])!r}")
                self.buffer += chunk

    def drain(self, quiet: float, most: float = 1.0) -> None:
        """Read what arrives until nothing has come for ``quiet`` seconds (at most ``most`` seconds)."""
        end = time.perf_counter() + most
        while True:
            wait = min(quiet, end - time.perf_counter())
            if wait <= 0:
                return
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            self.buffer += chunk

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)  # pty.fork made the child a session leader
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


# A warm-up run stays up this long after its first frame, as a user's earlier session
# did: long enough for what the app keeps for the next start (its parsed stylesheets,
# facilitator.css_cache, written a second after start) to be written.
WARM_UP_LINGER = 1.6


def first_frame(argv: list[str], marker: bytes, cwd: Path, linger: float = 0.0) -> float:
    """Seconds to the frame holding ``marker``; the child is killed then, or ``linger`` later."""
    proc = PtyProcess(argv, cwd)
    try:
        t = proc.read_until(marker)
        if linger:
            proc.drain(linger, linger)
        return t
    finally:
        proc.kill()


def clear_locks(sessions: Path) -> None:
    for lock in sessions.glob("*.lock"):
        lock.unlink(missing_ok=True)


def bench_first_frame(tmp: Path) -> dict[str, list[float]]:
    bare = tmp / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    sessions = tmp / "sessions"
    sessions.mkdir()
    for f in sorted(DEMO.glob("*.toml")):
        shutil.copy(f, sessions / f.name)
    open_id = sorted(DEMO.glob("*.toml"))[-1].stem
    entry = str(Path(PYTHON).parent / "facilitator")
    runs = {
        "bare": ([PYTHON, str(bare)], BARE_MARKER),
        "home": ([entry, "--sessions", str(sessions)], HOME_MARKER),
        "open": ([entry, "--sessions", str(sessions), "open", open_id], MEETING_MARKER),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    for key, (argv, marker) in runs.items():  # warm the page cache, .pyc files and the app's own cache
        first_frame(argv, marker, tmp, linger=WARM_UP_LINGER)
        clear_locks(sessions)
    for _ in range(ROUNDS):
        for key, (argv, marker) in runs.items():
            times[key].append(first_frame(argv, marker, tmp))
            clear_locks(sessions)
    return times


def big_notes() -> str:
    return "\n".join(f"- note {n}: someone said something about topic {n % 37}" for n in range(1, NOTE_LINES + 1))


def big_notes_session(sessions: Path) -> str:
    tpl = get_template("collab-cafe")
    item = AgendaItem(text=tpl.agenda_text("Bench", 10, "A long discussion"), notes=big_notes())
    s = new_session(tpl, "bench-notes", "2024-11-19", agenda=[item])
    s.status = "live"
    s.clock.current_item = item.id
    SessionStore(sessions).save(s)
    return s.id


def type_keys(proc: PtyProcess, ready: bytes) -> list[float]:
    """Wait for ``ready`` and the end of the notes, press Enter, then time KEYSTROKES letters."""
    times: list[float] = []
    proc.read_until(ready)
    proc.read_until(f"topic {NOTE_LINES % 37}".encode())  # the notes are shown, cursor at their end
    proc.drain(0.5)
    # Enter starts a new line (a new "- " bullet in facilitator), short enough not to wrap
    # once typed into; the letters are ones nothing else on screen shows in a row.
    proc.write(b"\r")
    proc.drain(0.2)
    rng = random.Random(3)
    typed = "".join(rng.choice("qxzjvkwy") for _ in range(KEYSTROKES))
    for k in range(len(typed)):
        start = len(proc.buffer)
        expect = typed[max(0, k - 3) : k + 1].encode()  # the last letters of the line
        t = time.perf_counter()
        proc.write(typed[k].encode())
        proc.read_until(expect, start=start)
        times.append(time.perf_counter() - t)
        proc.drain(rng.uniform(0.03, 0.06), most=0.06)  # not in step with the frames
    return times


def bench_keystrokes(tmp: Path) -> dict[str, list[float]]:
    sessions = tmp / "big"
    sessions.mkdir()
    sid = big_notes_session(sessions)
    notes = tmp / "notes.md"
    notes.write_text(big_notes(), encoding="utf-8")
    bare = tmp / "bare_textarea.py"
    bare.write_text(BARE_TEXTAREA_APP, encoding="utf-8")
    entry = str(Path(PYTHON).parent / "facilitator")
    runs = {
        "bare": ([PYTHON, str(bare), str(notes)], BARE_TEXTAREA_MARKER),
        "notes": ([entry, "--sessions", str(sessions), "open", sid], MEETING_MARKER),
    }
    times: dict[str, list[float]] = {}
    for key, (argv, marker) in runs.items():
        proc = PtyProcess(argv, tmp)
        try:
            times[key] = type_keys(proc, marker)
        finally:
            proc.kill()
            clear_locks(sessions)
    return times


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def main() -> int:
    import textual

    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"textual {textual.__version__}, {time.strftime('%Y-%m-%d')}; pty {COLS}x{ROWS}"
    )
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")  # the app's cache, this run's own
        times = bench_first_frame(tmp)
        med = {k: statistics.median(v) for k, v in times.items()}
        spread = {k: (min(v), max(v)) for k, v in times.items()}
        print(f"1. process start to first frame, median of {ROUNDS} (min-max):")
        print(f"   (a) bare Textual app:            {med['bare'] * 1e3:6.0f} ms ({spread['bare'][0] * 1e3:.0f}-{spread['bare'][1] * 1e3:.0f})")
        r_home = med["home"] / med["bare"]
        r_open = med["open"] / med["bare"]
        print(
            f"   (b) facilitator, home screen:    {med['home'] * 1e3:6.0f} ms ({spread['home'][0] * 1e3:.0f}-{spread['home'][1] * 1e3:.0f})"
            f"  {r_home:.2f}x bare (target <= 1.3x)"
        )
        print(
            f"   (c) facilitator open ID:         {med['open'] * 1e3:6.0f} ms ({spread['open'][0] * 1e3:.0f}-{spread['open'][1] * 1e3:.0f})"
            f"  {r_open:.2f}x bare"
        )
        keys = bench_keystrokes(tmp)
        print(f"2. keystroke to screen, {NOTE_LINES:,} lines of notes, {KEYSTROKES} keys:")
        for key, label in (("bare", "(a) bare Textual TextArea:"), ("notes", "(b) facilitator notes pane:")):
            v = keys[key]
            print(
                f"   {label:32} median {statistics.median(v) * 1e3:5.1f} ms, p95 {p95(v) * 1e3:5.1f} ms, "
                f"max {max(v) * 1e3:5.1f} ms" + ("  (target < 16 ms)" if key == "notes" else "")
            )
        if r_home > 1.3:
            print("first frame is over 1.3x the bare app: look at  .venv/bin/python -X importtime -m facilitator")
    return 0


if __name__ == "__main__":
    sys.exit(main())
