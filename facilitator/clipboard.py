"""Copying notes to the system clipboard, honestly reporting when it did not work.

The Textual layer adds OSC 52 (terminal clipboard) itself; this module only drives
pyperclip, which shells out to xclip/xsel/wl-copy/pbcopy.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

METHOD_SYSTEM = "system clipboard"
METHOD_OSC52 = "OSC 52"
NO_TOOL = "no clipboard tool found (install xclip, xsel or wl-clipboard)"
NO_DISPLAY = "no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)"


@dataclass(frozen=True)
class CopyResult:
    ok: bool
    method: str
    message: str


def _same(pasted: object, text: str) -> bool:
    """Whether the clipboard holds ``text``, forgiving line-ending and final-newline changes some tools make."""
    if not isinstance(pasted, str):
        return False
    if pasted == text:
        return True

    def norm(s: str) -> str:
        return s.replace("\r\n", "\n").removesuffix("\n")

    return norm(pasted) == norm(text)


class _QuietStdio:
    """Point fds 1 and 2 at /dev/null while xclip/xsel start.

    Their forked server process inherits stdout/stderr and lives until the clipboard is
    taken over, so ``facilitator export --copy | cat`` would never see EOF. Only done
    when those fds are not a terminal, so a full-screen app's output is never touched.
    """

    def __enter__(self) -> _QuietStdio:
        self.saved: list[tuple[int, int]] = []
        fds = [fd for fd in (1, 2) if _is_pipe_or_file(fd)]
        if not fds:
            return self
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return self
        try:
            for fd in fds:
                self.saved.append((fd, os.dup(fd)))
                os.dup2(devnull, fd)
        except OSError:
            self.__exit__()
        finally:
            os.close(devnull)
        return self

    def __exit__(self, *exc: object) -> None:
        for fd, copy in reversed(self.saved):
            try:
                os.dup2(copy, fd)
            finally:
                os.close(copy)
        self.saved = []


def _is_pipe_or_file(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False  # closed
    return not os.isatty(fd)


def copy_text(text: str) -> CopyResult:
    """Copy ``text`` with pyperclip and read it back, since pyperclip can fail silently."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")
    ):
        # pyperclip would raise or block here; there is no system clipboard to reach.
        return CopyResult(False, "", NO_DISPLAY)
    try:
        import pyperclip
    except ImportError:
        return CopyResult(False, "", "pyperclip is not installed")
    try:
        with _QuietStdio():
            pyperclip.copy(text)
    except pyperclip.PyperclipException as e:
        if "could not find a copy/paste mechanism" in str(e).lower():
            return CopyResult(False, "", NO_TOOL)
        return CopyResult(False, "", f"clipboard error: {_first_line(e)}")
    except Exception as e:
        return CopyResult(False, "", f"clipboard error: {type(e).__name__}: {_first_line(e)}")
    try:
        pasted = pyperclip.paste()
    except Exception as e:
        return CopyResult(False, "", f"could not read the clipboard back ({_first_line(e)})")
    if not _same(pasted, text):
        return CopyResult(
            False, "", "the clipboard did not keep the text (is the display reachable?)"
        )
    return CopyResult(True, METHOD_SYSTEM, "copied")


def _first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(e).__name__


def describe(result: CopyResult, fallback_path: Path | None = None) -> str:
    """One sentence for the user: where the notes went."""
    where = f"the notes are in {fallback_path}" if fallback_path else ""
    if result.ok and result.method == METHOD_OSC52:
        tail = f"; if your terminal does not support it, {where}" if where else ""
        return f"Sent to the terminal clipboard (OSC 52){tail}."
    if result.ok:
        return "Copied to the system clipboard."
    reason = result.message or "unknown reason"
    if where:
        return f"Could not copy: {reason}. {where[0].upper()}{where[1:]}."
    return f"Could not copy: {reason}."


def paste_text() -> tuple[str | None, str]:
    """The clipboard's text, or None and the reason it could not be read (for pasting a pad back)."""
    if sys.platform.startswith("linux") and not (os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")):
        return None, NO_DISPLAY
    try:
        import pyperclip
    except ImportError:
        return None, "pyperclip is not installed"
    try:
        with _QuietStdio():
            text = pyperclip.paste()
    except pyperclip.PyperclipException as e:
        if "could not find a copy/paste mechanism" in str(e).lower():
            return None, NO_TOOL
        return None, f"clipboard error: {_first_line(e)}"
    except Exception as e:
        return None, f"clipboard error: {type(e).__name__}: {_first_line(e)}"
    if not isinstance(text, str) or not text.strip():
        return None, "the clipboard is empty"
    return text, ""
