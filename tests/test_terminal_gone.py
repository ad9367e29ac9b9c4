"""A terminal that goes away without a SIGHUP: the app saves and quits, never spins.

The app runs on a pty that is not its controlling terminal (as under ``make`` in a killed
tmux: nobody sends it SIGHUP); closing the pty's other end hangs its terminal up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from facilitator.terminal import terminal_gone

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="ptys are POSIX")


def test_terminal_gone_tells_a_hung_up_pty() -> None:
    master, slave = os.openpty()
    try:
        assert not terminal_gone(slave)
        os.close(master)
        assert terminal_gone(slave)
    finally:
        os.close(slave)
    r, w = os.pipe()  # not a terminal at all: cannot be asked, so "gone"
    try:
        assert terminal_gone(r)
    finally:
        os.close(r)
        os.close(w)


def _read_until(fd: int, marker: bytes, deadline: float) -> bytes:
    import select

    seen = b""
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            seen += os.read(fd, 65536)
    return seen


def test_app_quits_when_its_terminal_is_closed(tmp_path) -> None:
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("TEXTUAL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--sessions", str(tmp_path)],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True,
    )
    os.close(slave)
    try:
        seen = _read_until(master, b"New meeting", time.monotonic() + 60)
        assert b"New meeting" in seen, seen[-500:]
        os.close(master)
        master = -1
        proc.wait(timeout=30)  # the watch asks once a second
        assert proc.returncode is not None
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
