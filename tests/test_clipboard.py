"""Clipboard copy through pyperclip, with the real clipboard never touched."""

from __future__ import annotations

import sys
from pathlib import Path

import pyperclip
import pytest

from facilitator import clipboard
from facilitator.clipboard import METHOD_OSC52, METHOD_SYSTEM, CopyResult, copy_text, describe


@pytest.fixture
def fake_board(monkeypatch):
    """pyperclip.copy/paste backed by a variable; a display is 'present'."""
    board = {"text": "", "copies": 0}

    def copy(text):
        board["copies"] += 1
        board["text"] = text

    monkeypatch.setattr(pyperclip, "copy", copy)
    monkeypatch.setattr(pyperclip, "paste", lambda: board["text"])
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return board


def test_success(fake_board) -> None:
    result = copy_text("## Notes\n- one\n")
    assert result == CopyResult(True, METHOD_SYSTEM, "copied")
    assert fake_board["text"] == "## Notes\n- one\n"
    assert describe(result, Path("out.md")) == "Copied to the system clipboard."


def test_trailing_newline_dropped_by_tool_still_counts(fake_board, monkeypatch) -> None:
    monkeypatch.setattr(pyperclip, "paste", lambda: fake_board["text"].rstrip("\n"))
    assert copy_text("notes\n").ok


def test_no_tool(fake_board, monkeypatch) -> None:
    def copy(text):
        raise pyperclip.PyperclipException(
            "Pyperclip could not find a copy/paste mechanism for your system.\nMore info..."
        )

    monkeypatch.setattr(pyperclip, "copy", copy)
    result = copy_text("x")
    assert not result.ok and result.method == ""
    assert result.message == "no clipboard tool found (install xclip, xsel or wl-clipboard)"
    assert describe(result, Path("/tmp/n.md")) == (
        "Could not copy: no clipboard tool found (install xclip, xsel or wl-clipboard). "
        "The notes are in /tmp/n.md."
    )


def test_other_pyperclip_error(fake_board, monkeypatch) -> None:
    def copy(text):
        raise pyperclip.PyperclipException("Error calling OpenClipboard")

    monkeypatch.setattr(pyperclip, "copy", copy)
    result = copy_text("x")
    assert not result.ok and "OpenClipboard" in result.message


def test_unexpected_exception(fake_board, monkeypatch) -> None:
    def copy(text):
        raise FileNotFoundError(2, "No such file or directory: 'xclip'")

    monkeypatch.setattr(pyperclip, "copy", copy)
    result = copy_text("x")
    assert not result.ok and "FileNotFoundError" in result.message


def test_silent_failure_detected(fake_board, monkeypatch) -> None:
    """DISPLAY set but no X server: copy 'works', the clipboard stays empty."""
    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    result = copy_text("hello")
    assert not result.ok
    assert "did not keep" in result.message
    assert describe(result, None).startswith("Could not copy: the clipboard did not keep")


def test_paste_raises(fake_board, monkeypatch) -> None:
    def paste():
        raise pyperclip.PyperclipException("no")

    monkeypatch.setattr(pyperclip, "paste", paste)
    assert not copy_text("hello").ok


def test_no_display_on_linux_never_calls_pyperclip(fake_board, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    def forbidden(*a):
        raise AssertionError("pyperclip must not be called without a display")

    monkeypatch.setattr(pyperclip, "copy", forbidden)
    monkeypatch.setattr(pyperclip, "paste", forbidden)
    result = copy_text("x")
    assert not result.ok and result.message == clipboard.NO_DISPLAY
    assert fake_board["copies"] == 0


def test_wayland_only_is_enough(fake_board, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert copy_text("x").ok and fake_board["copies"] == 1


def test_describe_osc52() -> None:
    result = CopyResult(True, METHOD_OSC52, "")
    assert describe(result, Path("notes.md")) == (
        "Sent to the terminal clipboard (OSC 52); if your terminal does not support it, "
        "the notes are in notes.md."
    )
    assert describe(result, None) == "Sent to the terminal clipboard (OSC 52)."


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")
def test_piped_output_is_not_held_open_by_the_copy_helper() -> None:
    """xclip/xsel leave a child that inherits stdout; `export --copy | cat` must still end."""
    import subprocess
    import time

    script = """
import os, subprocess, sys
import pyperclip
from facilitator import clipboard
board = {}
def copy(text):
    # Like xclip: a child that outlives the copy, holding whatever stdout/stderr it inherited.
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(6)"])
    board["t"] = text
pyperclip.copy = copy
pyperclip.paste = lambda: board.get("t", "")
os.environ["DISPLAY"] = ":0"
print("before", flush=True)
result = clipboard.copy_text("x")
print("after", result.ok)
"""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    took = time.monotonic() - started
    assert proc.stdout.split() == ["before", "after", "True"], proc.stderr
    assert took < 4, f"output pipe held open for {took:.1f}s"
