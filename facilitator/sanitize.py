"""Control characters in user text: the one policy for keeping them from a terminal.

Notes pasted from elsewhere (a terminal, a chat, a web page) can carry ESC, OSC and other
control sequences; printed raw they recolour the screen, set the window title or write
the clipboard (OSC 52). The policy, applied where text enters (import, typing and paste,
reading a session file) and again where the CLI writes:

* tab and newline are kept, and so is a carriage return right before a newline (a CRLF
  line ending, which archives written on Windows keep and re-render byte for byte);
* every other C0 control (U+0000-U+001F) becomes its Unicode control picture
  (U+2400 + code: ESC shows as ``␛``, a lone CR as ``␍``), DEL (U+007F) becomes ``␡``
  (U+2421), so the reader sees that something was there and which one;
* a C1 control (U+0080-U+009F, no picture exists) becomes U+FFFD ``�``.

The replacement is visible and counted (``clean_counted``) so an import can say how many.
Nothing here imports Textual.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (the CLI imports this)
if TYPE_CHECKING:
    import re
    from typing import Any

# The characters replaced: C0 less tab and newline, DEL, C1; and a CR unless it starts a
# CRLF. The regular expressions are compiled on first use (``CONTROL_RE`` below): a warm
# CLI command writes a few short lines and never imports ``re`` (~3 ms with enum).
_CONTROL_CLASS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL_PATTERN = _CONTROL_CLASS + "|\r(?!\n)"
# The same characters, CR not among them, as a set (a short text is checked without re)
# and, for ASCII text, the bytes that are no control (deleted, nothing may be left).
_CONTROLS_BUT_CR = frozenset(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))))
_ASCII_KEPT = bytes(range(0x20, 0x7F)) + b"\t\n"
_SHORT = 1024  # a longer non-ASCII text: one regex search beats a look-up per character
_compiled: dict[str, re.Pattern[str]] = {}


def _regex(pattern: str) -> re.Pattern[str]:
    rx = _compiled.get(pattern)
    if rx is None:
        import re

        rx = _compiled[pattern] = re.compile(pattern)
    return rx


def __getattr__(name: str) -> Any:
    if name == "CONTROL_RE":
        return _regex(_CONTROL_PATTERN)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DEL_PICTURE = "\u2421"
C1_MARK = "\ufffd"


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return DEL_PICTURE
    return C1_MARK


def _replace(match: re.Match[str]) -> str:
    return _picture(match.group())


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a character the policy replaces."""
    if text.isascii():
        left = text.encode("ascii").translate(None, _ASCII_KEPT)  # its controls, CR included
        if not left:
            return False
        if left.strip(b"\r"):
            return True
    elif len(text) <= _SHORT:
        if not _CONTROLS_BUT_CR.isdisjoint(text):
            return True
    elif _regex(_CONTROL_CLASS).search(text) is not None:
        # A class alone is searched ~3x faster than with the alternation; a CR (rare) is
        # looked for only in text that has one.
        return True
    # Only CRs are left to look at: one is replaced unless a newline follows it.
    return "\r" in text and text.count("\r") != text.count("\r\n")


def clean(text: str) -> str:
    """``text`` with each control character replaced by its visible stand-in."""
    if not has_controls(text):  # the usual case: no copy
        return text
    return _regex(_CONTROL_PATTERN).sub(_replace, text)


def clean_counted(text: str) -> tuple[str, int]:
    """``clean(text)`` and how many characters were replaced."""
    if not has_controls(text):
        return text, 0
    return _regex(_CONTROL_PATTERN).subn(_replace, text)


def clean_data(obj: Any) -> tuple[Any, int]:
    """Every string in nested dicts/lists (keys too) cleaned; the copy and the count."""
    if isinstance(obj, str):
        return clean_counted(obj)
    if isinstance(obj, dict):
        total, out = 0, {}
        for k, v in obj.items():
            ck, nk = clean_data(k)
            cv, nv = clean_data(v)
            out[ck] = cv
            total += nk + nv
        return out, total
    if isinstance(obj, list):
        total, items = 0, []
        for v in obj:
            cv, n = clean_data(v)
            items.append(cv)
            total += n
        return items, total
    return obj, 0


# The TOML escapes that can stand for a character the policy replaces: \b \f \r and
# \uXXXX \UXXXXXXXX (and TOML 1.1's \e and \xHH); \t and \n are kept anyway.
_TOML_CONTROL_ESCAPE = r"\\[bfruUex]"


def toml_may_hold_controls(text: str) -> bool:
    """Whether parsing the TOML ``text`` can give a string (or key) the policy changes.

    Without such an escape every string's characters are the text's own, so a text with
    no control character gives none either: reading a session file then skips walking
    every value with :func:`clean_data` (the usual case; a false yes only costs the walk).
    """
    return has_controls(text) or ("\\" in text and _regex(_TOML_CONTROL_ESCAPE).search(text) is not None)


def write_cleaned_utf8(stream: Any, data: bytes) -> None:
    """Write the UTF-8 ``data`` of a text that went through :func:`clean` already.

    To the stream's byte buffer when the stream writes UTF-8 with POSIX line ends (the
    same bytes, without decoding and encoding megabytes again), else as text.
    """
    import os

    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if buffer is not None and encoding in ("utf-8", "utf8") and os.linesep == "\n":
        stream.flush()
        buffer.write(data)
        buffer.flush()
        return
    text = data.decode("utf-8")
    (stream.write_cleaned if isinstance(stream, CleanStream) else stream.write)(text)


class CleanStream:
    """A text stream that applies the policy to everything written through it.

    The CLI's last guard: its results and messages hold user data (titles, names, notes),
    and whatever reached the data by another way must still not reach the terminal raw.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(clean(text))
        return len(text)

    def write_cleaned(self, text: str) -> int:
        """Write ``text`` that went through :func:`clean` already: a result the index keeps
        is cleaned once, when computed (checking 6 MB of ``stats`` again each time it is
        served cost more than reading it)."""
        self._stream.write(text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer...
        return getattr(self._stream, name)
