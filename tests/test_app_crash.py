"""Kill -9 the real app in a pty while notes are being typed: nothing typed a second earlier is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from facilitator.model import AgendaItem
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

DRIVER = (
    "import sys; from pathlib import Path; from facilitator.app import run_app; "
    "sys.exit(run_app(Path(sys.argv[1]), None, open_id=sys.argv[2]))"
)


class PtyApp:
    """The app on the slave side of a pty; a thread drains its output."""

    def __init__(self, sessions: Path, session_id: str) -> None:
        import pty

        self.master, slave = pty.openpty()
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
        env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(sessions), session_id],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.output += data

    def wait_for(self, text: bytes, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if text in self.output:
                    return
            if self.proc.poll() is not None:
                raise AssertionError(f"app exited early: {bytes(self.output[-2000:])!r}")
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared: {bytes(self.output[-2000:])!r}")

    def type(self, text: str, per_key: float = 0.01) -> None:
        for ch in text:
            os.write(self.master, ch.encode())
            time.sleep(per_key)

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=5)
        try:
            os.close(self.master)
        except OSError:
            pass


def test_kill_9_loses_nothing_typed_a_second_before(sessions_dir: Path) -> None:
    tpl = get_template("collab-cafe")
    item = AgendaItem(tpl.agenda_text("Min", 10, "Crash federation"))
    s = new_session(tpl, "2025-01-21", date="2025-01-21", agenda=[item])
    s.clock.current_item = item.id  # opens on this item, the cursor in its notes
    store = SessionStore(sessions_dir)
    store.save(s)

    app = PtyApp(sessions_dir, s.id)
    try:
        app.wait_for(b"Crash federation", timeout=15)
        time.sleep(0.3)  # let the first frames settle (focus lands in the notes)
        app.type("- first point [x] typed")
        app.type("\r")  # Enter continues the bullet
        app.type("second point")
        app.type("\x1b[15~")  # F5: the timer starts; a save follows
        app.type(" / after F5")
        time.sleep(1.1)
        app.type(" maybe lost")  # less than a second before the kill: may or may not be there
        app.kill9()
    finally:
        if app.proc.poll() is None:
            app.kill9()

    notes = store.load(s.id).find_item(item.id).notes
    assert notes.startswith("- first point [x] typed\n- second point / after F5"), notes
    saved = store.load(s.id)
    assert saved.clock.current_item == item.id and saved.clock.running
    assert saved.clock.run_started_at > 0
    # The lock of the killed process is stale: the session opens again.
    store.lock(s.id).release()
