"""Real terminals: a host and two joiners in tmux typing into the same notes at once.

Each terminal runs ``facilitator`` as a person would (``host ID``, ``join URL``); keys go
in with ``tmux send-keys`` and the screens are read with ``capture-pane``. All traffic is
on 127.0.0.1 (the host binds port 0: a free one, remembered in ``.share/<id>.json``).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from facilitator.store import SessionStore
from tests.test_shared_doc import make_session

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")

DEADLINE = 15.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def wait_for(condition, what: str, show=lambda: ""):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}{show()}")


def notes_lines(name: str) -> list[str]:
    """The notes box's lines as the terminal shows them (between its side borders)."""
    out = []
    for line in tmux("capture-pane", "-p", "-t", name).splitlines():
        if "▕▊" in line and "▔" not in line and "▁" not in line:
            text = line.split("▕▊", 1)[1].rsplit("▎", 1)[0].strip()
            if text:
                out.append(text)
    return out


class Terminals:
    """tmux sessions with unique names, each running one facilitator; all ended at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.names: list[str] = []
        self.env = f"env HOME={shlex.quote(str(tmp_path))} XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))} TERM=xterm-256color"
        self.tag = uuid.uuid4().hex[:8]

    def start(self, role: str, *args: str) -> str:
        name = f"fac-share-{self.tag}-{role}"
        command = " ".join([self.env, shlex.quote(sys.executable), "-m", "facilitator", *map(shlex.quote, args)])
        tmux("new-session", "-d", "-s", name, "-x", "110", "-y", "30", command + "; sleep 60")
        self.names.append(name)
        return name

    def keys(self, name: str, *keys: str) -> None:
        tmux("send-keys", "-t", name, *keys)

    def type(self, name: str, text: str) -> None:
        tmux("send-keys", "-t", name, "-l", "--", text)

    def close(self) -> None:
        for name in self.names:
            subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], capture_output=True)
        time.sleep(0.5)
        for name in self.names:
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


@pytest.fixture
def terminals(tmp_path):
    t = Terminals(tmp_path)
    yield t
    t.close()


def shown(lines: list[str]) -> list[str]:
    """Notes as a terminal shows them: each line without its trailing blanks, blank lines out."""
    return [line.strip() for line in lines if line.strip()]


def test_two_then_three_terminals_type_into_the_same_notes_at_once_and_end_identical(terminals, sessions_dir) -> None:
    store = SessionStore(sessions_dir)
    store.save(make_session())
    host = terminals.start("host", "--sessions", str(sessions_dir), "host", "2024-11-19", "--port", "0", "--name", "Min")
    state = sessions_dir / ".share" / "2024-11-19.json"
    wait_for(state.exists, "the host to start serving")
    remembered = json.loads(state.read_text(encoding="utf-8"))
    url = f"ws://127.0.0.1:{remembered['port']}/2024-11-19?token={remembered['token']}"
    ana = terminals.start("ana", "join", url, "--name", "Ana")
    bo = terminals.start("bo", "join", url, "--name", "Bo")  # he only watches, at first
    wait_for(lambda: "2 joined" in tmux("capture-pane", "-p", "-t", host), "Ana and Bo to show on the host")
    # Both go to the first agenda item's notes (check-in, celebrations, agenda, item).
    for name in (host, ana):
        terminals.keys(name, "F3", "F3", "F3")
    wait_for(lambda: all(notes_lines(n) == ["- started"] for n in (host, ana)), "both on the item's notes",
             lambda: "".join(f"\n--- {n}\n" + tmux("capture-pane", "-p", "-t", n) for n in (host, ana)))

    def notes() -> str:
        return store.load("2024-11-19").find_item("item-a").notes

    def same_everywhere(names, *wanted: str):
        """The notes, once every terminal shows the host's record and it holds ``wanted``."""
        text = notes()
        lines = [notes_lines(n) for n in names]
        if all(w in text for w in wanted) and all(ln == shown(text.split("\n")) for ln in lines):
            return text
        return None

    # Min opens a line below (Ana's cursor stays above it), then both type at once, in
    # chunks: each one's keys go where their own cursor is, so each one's words stay
    # together whatever the others type meanwhile.
    terminals.keys(host, "Enter")
    terminals.type(host, "Min ")
    wait_for(lambda: notes_lines(ana) == ["- started", "Min"], "Ana to see Min's line")
    typed = {host: ["", "記録 ", "🎉 done"], ana: ["Ana ", "会議 ", "😀 ok"]}
    for chunk in range(3):
        for name, parts in typed.items():
            terminals.type(name, parts[chunk])
    two = wait_for(lambda: same_everywhere((host, ana), "Min 記録 🎉 done", "Ana 会議 😀 ok"), "two terminals to agree",
                   lambda: f": record {notes()!r}, screens {[notes_lines(n) for n in (host, ana)]}")
    assert two.startswith("- started\n") and len(two) == len("- started\n\n") + len("Min 記録 🎉 done") + len("Ana 会議 😀 ok")
    # The third notetaker comes to the notes and all three type at once.
    terminals.keys(bo, "F3", "F3", "F3")
    wait_for(lambda: notes_lines(bo) == notes_lines(host), "Bo to see the notes")
    terminals.keys(bo, "Enter")
    terminals.type(bo, "Bo ")
    wait_for(lambda: notes_lines(host)[-1:] == ["Bo"], "Min to see Bo's line")
    more = {host: ["!", " 最後"], ana: [" 👍", "🏽"], bo: ["文字", " ✅"]}
    for chunk in range(2):
        for name, parts in more.items():
            terminals.type(name, parts[chunk])
    three = wait_for(
        lambda: same_everywhere((host, ana, bo), "Min 記録 🎉 done! 最後", "Ana 会議 😀 ok 👍🏽", "Bo 文字 ✅"),
        "three terminals to agree",
        lambda: f": record {notes()!r}, screens {[notes_lines(n) for n in (host, ana, bo)]}",
    )
    assert sorted(three) == sorted(two + "! 最後" + " 👍🏽" + "\nBo 文字 ✅")
