"""``serve-follow`` in a real browser: Debian's chromium, headless, driven by playwright.

The page draws the terminal on a canvas, so the test reads two things: what the follower
process sends the page over its websocket (the countdown's line, moving), and the canvas
itself (its picture changes while the countdown runs). Everything stays on 127.0.0.1:
any other request the page makes (a web font) is aborted.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.engine import Meeting
from facilitator.model import AgendaItem
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium here (Debian: apt-get install chromium; .ci/run installs it when it runs as root)",
)
SID = "2025-01-21"
TIMEOUT_MS = 15_000
_CSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
_RUNNING = re.compile(r"running · (\d\d:\d\d) of 10:00")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def running_meeting(sessions_dir: Path) -> None:
    """A meeting whose first item runs on the real clocks (the served follower uses them)."""
    tpl = get_template("collab-cafe")
    session = new_session(tpl, SID, date=SID, agenda=[AgendaItem(tpl.agenda_text("Min", 10, "Federation"))])
    m = Meeting(session, tpl, saver=SessionStore(sessions_dir).save)
    m.start(session.agenda_items[0])
    m.save()


def wait_for_port(port: int, proc: subprocess.Popen, page_timeout: float) -> None:
    import time

    deadline = time.monotonic() + page_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve-follow exited: {proc.communicate()[1]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("serve-follow did not listen in time")


def test_a_browser_tab_shows_the_follower_with_the_countdown_running(sessions_dir: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    pytest.importorskip("textual_serve", reason="textual-serve is not installed")
    running_meeting(sessions_dir)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--sessions", str(sessions_dir), "--templates", str(tmp_path / "no-templates"),
         "serve-follow", SID, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    frames: list[str] = []
    outside: list[str] = []
    try:
        wait_for_port(port, proc, TIMEOUT_MS / 1000)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                page = browser.new_page(viewport={"width": 900, "height": 600})

                def only_loopback(route) -> None:
                    if route.request.url.startswith(f"http://127.0.0.1:{port}/"):
                        route.continue_()
                    else:
                        outside.append(route.request.url)
                        route.abort()

                page.route("**/*", only_loopback)
                page.on("websocket", lambda ws: ws.on(
                    "framereceived",
                    lambda payload: frames.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload),
                ))
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("body.-first-byte", timeout=TIMEOUT_MS)
                canvas = "document.querySelector('canvas.xterm-text-layer')"
                page.wait_for_function(f"() => {canvas} !== null", timeout=TIMEOUT_MS)
                # Wait until the follower has drawn the running countdown, then for the next second.
                seen = lambda: set(_RUNNING.findall(_CSI.sub("", "".join(frames))))  # noqa: E731
                first_pixels = None
                for _ in range(100):  # at most ~10 s: the countdown ticks once a second
                    if seen() and first_pixels is None:
                        first_pixels = page.evaluate(f"() => {canvas}.toDataURL()")
                    if len(seen()) >= 2:
                        break
                    page.wait_for_timeout(100)
                assert len(seen()) >= 2, f"the countdown did not move: {sorted(seen())}"
                text = _CSI.sub("", "".join(frames))
                assert "Federation" in text and "read-only" in text
                # What the page drew changed too (the canvas is the only picture there is).
                page.wait_for_function(f"(before) => {canvas}.toDataURL() !== before", arg=first_pixels, timeout=TIMEOUT_MS)
            finally:
                browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert all("127.0.0.1" not in u for u in outside)  # only outside requests were refused
