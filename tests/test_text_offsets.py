"""Positions in notes: TextArea (row, column), characters and pycrdt's UTF-8 byte offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pycrdt import Doc, Text

from facilitator.text_offsets import TextOffsets, normalise_newlines, utf8_len

MIXED = "Min 😀 said\n会议记录 ok\n\nlast 🎉🎉"


def test_pycrdt_text_offsets_are_utf8_bytes() -> None:
    """The fact the whole module rests on; if a pycrdt release changes it, this fails first."""
    doc = Doc()
    text = doc.get("t", type=Text)
    text += "a😀b日"
    assert len(text) == utf8_len("a😀b日") == 1 + 4 + 1 + 3
    text.insert(5, "X")  # byte 5 is just after the emoji
    assert str(text) == "a😀Xb日"
    del text[1:5]  # the emoji's four bytes
    assert str(text) == "aXb日"


def test_rows_columns_characters_and_bytes_agree() -> None:
    o = TextOffsets(MIXED)
    # "会" is row 1, column 0: 14 characters in (the first line and its newline).
    assert o.location_to_char((1, 0)) == len("Min 😀 said\n")
    assert o.location_to_byte((1, 0)) == utf8_len("Min 😀 said\n")
    assert o.location_to_byte((1, 2)) == utf8_len("Min 😀 said\n会议")
    assert o.byte_to_location(utf8_len("Min 😀 said\n会议")) == (1, 2)
    assert o.char_to_location(len(MIXED)) == (3, len("last 🎉🎉"))
    assert o.location_to_char((2, 0)) == MIXED.index("\n\n") + 1  # the empty row
    assert o.location_to_char((3, 0)) == MIXED.index("last")
    assert o.byte_length == utf8_len(MIXED)


def test_out_of_range_positions_clamp_like_a_cursor() -> None:
    o = TextOffsets("ab\n日本")
    assert o.location_to_char((0, 99)) == 2  # end of row 0, not into row 1
    assert o.location_to_char((9, 0)) == 3  # past the last row: the last row
    assert o.char_to_byte(-5) == 0
    assert o.byte_to_char(10_000) == len("ab\n日本")


def test_a_byte_inside_a_character_moves_to_its_start() -> None:
    o = TextOffsets("a😀b")
    for inside in (2, 3, 4):
        assert o.byte_to_char(inside) == 1
    assert o.byte_to_char(5) == 2


def test_empty_text() -> None:
    o = TextOffsets("")
    assert o.location_to_byte((0, 0)) == 0
    assert o.char_to_location(0) == (0, 0)
    assert o.byte_length == 0


def test_carriage_returns_from_pastes_become_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalise_newlines("\r\r\n") == "\n\n"


line_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(line_text, st.data())
def test_every_round_trip_lands_where_it_started(text: str, data: st.DataObject) -> None:
    o = TextOffsets(text)
    i = data.draw(st.integers(0, len(text)))
    assert o.byte_to_char(o.char_to_byte(i)) == i
    assert o.location_to_char(o.char_to_location(i)) == i
    assert o.char_to_byte(i) == utf8_len(text[:i])
