"""serve-follow in headless chromium: time to the first frame per tab, memory per tab.

Serves a running meeting with ``facilitator serve-follow`` on 127.0.0.1, opens TABS tabs
one after the other, and prints for each the time from ``goto`` to the page's first byte
of terminal output and to the first frame that shows the running countdown, then the
resident memory of each tab's follower process and of the server. Needs chromium
(``/usr/bin/chromium``) and playwright; says so and stops without them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.engine import Meeting  # noqa: E402
from facilitator.model import AgendaItem  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402
from facilitator.templates import get_template, new_session  # noqa: E402

TABS = 4
SID = "2026-12-02"
_CSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def follower_pids(server: int) -> list[int]:
    pids = []
    for pid in descendants(server):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"follow" in cmd and b"-m" in cmd:
            pids.append(pid)
    return pids


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        print("no chromium: apt-get install chromium")
        return 0
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("no playwright: pip install -e '.[test]'")
        return 0
    tmp = Path(tempfile.mkdtemp())
    tpl = get_template("collab-cafe")
    session = new_session(tpl, SID, date=SID, agenda=[AgendaItem(tpl.agenda_text("Min", 10, "Federation"))])
    m = Meeting(session, tpl, saver=SessionStore(tmp).save)
    m.start(session.agenda_items[0])
    m.save()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--sessions", str(tmp), "serve-follow", SID, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        first_bytes, first_frames = [], []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True)
            pages = []
            for _ in range(TABS):
                page = browser.new_page(viewport={"width": 900, "height": 600})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
                frames: list[str] = []
                page.on("websocket", lambda ws, f=frames: ws.on(
                    "framereceived", lambda p, f=f: f.append(p.decode("utf-8", "replace") if isinstance(p, bytes) else p)))
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("body.-first-byte", timeout=20_000)
                first_bytes.append(time.perf_counter() - t0)
                while "running ·" not in _CSI.sub("", "".join(frames)):
                    page.wait_for_timeout(10)
                first_frames.append(time.perf_counter() - t0)
                pages.append(page)
            time.sleep(1.0)  # let every tab settle before reading memory
            tabs = [rss_mb(p) for p in follower_pids(server.pid)]
            browser.close()
        print(f"serve-follow, {TABS} tabs in headless chromium (one after the other):")
        print(f"  first byte on the page: median {statistics.median(first_bytes):.2f} s "
              f"(min {min(first_bytes):.2f}, max {max(first_bytes):.2f})")
        print(f"  first frame with the countdown: median {statistics.median(first_frames):.2f} s "
              f"(min {min(first_frames):.2f}, max {max(first_frames):.2f})")
        if tabs:
            print(f"  follower processes: {len(tabs)}, RSS median {statistics.median(tabs):.0f} MB "
                  f"(min {min(tabs):.0f}, max {max(tabs):.0f}); server RSS {rss_mb(server.pid):.0f} MB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
