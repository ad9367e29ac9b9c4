"""The one place that converts between the three ways a position in notes is counted.

A notes pane (Textual's TextArea) speaks (row, column) with columns in characters (code
points); Python strings speak character offsets; pycrdt 0.14's ``Text`` speaks **UTF-8
byte** offsets (``len(text)``, ``insert``, ``del text[a:b]`` and its events alike). An
emoji is one character but four bytes, a CJK character three: mixing the counts up puts
a remote notetaker's keystrokes in the wrong place. Every conversion goes through
``TextOffsets`` so there is one rule, tested once.

Newlines are ``\\n`` only: ``normalise_newlines`` turns the ``\\r\\n`` and lone ``\\r`` a
paste can bring into ``\\n`` before text enters the shared document, so rows mean the
same thing on every machine.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` (from pastes, Windows or old Mac text) become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf8_len(text: str) -> int:
    """How many bytes ``text`` takes in UTF-8 (what pycrdt counts)."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class TextOffsets:
    """Position conversions for one snapshot of a text (rebuild it when the text changes).

    Out-of-range positions are clamped to the text, the way a TextArea clamps a cursor;
    a byte offset inside a multi-byte character is moved to the start of that character,
    so a converted offset always falls on a character boundary.
    """

    text: str
    _line_starts: tuple[int, ...] = field(init=False, repr=False)
    _byte_prefix: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                starts.append(i + 1)
        prefix = [0]
        total = 0
        for ch in self.text:
            total += _char_bytes(ch)
            prefix.append(total)
        object.__setattr__(self, "_line_starts", tuple(starts))
        object.__setattr__(self, "_byte_prefix", tuple(prefix))

    # -- characters <-> (row, column) ----------------------------------------------
    def location_to_char(self, location: tuple[int, int]) -> int:
        """TextArea ``(row, column)`` to a character offset."""
        row, col = location
        row = min(max(row, 0), len(self._line_starts) - 1)
        start = self._line_starts[row]
        end = self._line_starts[row + 1] - 1 if row + 1 < len(self._line_starts) else len(self.text)
        return start + min(max(col, 0), end - start)

    def char_to_location(self, index: int) -> tuple[int, int]:
        """A character offset to TextArea ``(row, column)``."""
        index = self._clamp_char(index)
        row = bisect_right(self._line_starts, index) - 1
        return row, index - self._line_starts[row]

    # -- characters <-> UTF-8 bytes ------------------------------------------------
    def char_to_byte(self, index: int) -> int:
        return self._byte_prefix[self._clamp_char(index)]

    def byte_to_char(self, offset: int) -> int:
        """A UTF-8 byte offset to a character offset (inside a character: its start)."""
        offset = min(max(offset, 0), self._byte_prefix[-1])
        return bisect_right(self._byte_prefix, offset) - 1

    # -- (row, column) <-> UTF-8 bytes ---------------------------------------------
    def location_to_byte(self, location: tuple[int, int]) -> int:
        return self.char_to_byte(self.location_to_char(location))

    def byte_to_location(self, offset: int) -> tuple[int, int]:
        return self.char_to_location(self.byte_to_char(offset))

    @property
    def byte_length(self) -> int:
        return self._byte_prefix[-1]

    def _clamp_char(self, index: int) -> int:
        return min(max(index, 0), len(self.text))


def _char_bytes(ch: str) -> int:
    code = ord(ch)
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4
