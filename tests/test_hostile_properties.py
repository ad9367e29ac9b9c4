"""Property tests: random bytes and random structure never crash the importer, the template
loader or the session reader: a clear message or a result, never a traceback.

Also: whatever comes out of an import or a session read holds no control character.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator import importer, templates
from facilitator.store import SessionStore, StoreError, read_session_file
from tests.test_controls import forbidden

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Markdown-ish lines: headings, bullets, timeboxes, check-ins, control characters.
md_piece = st.sampled_from(
    ["# ", "## ", "### ", "- ", "  - ", "**", "(10m)", "(-5m)", "(1.5m)", ":** ", " / @", "2024-11-19", "2024-13-45",
     "Agenda", "Check-in", "\n", "\r\n", "\x1b[31m", "\x1b]52;c;eA==\x07", "\x9b", "\x0b", "\x85", "---\n", "|", "[", "]"]
) | st.text(max_size=8)
markdown_text = st.lists(md_piece, max_size=60).map("".join)

toml_scalar = st.one_of(
    st.text(max_size=20), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True), st.booleans()
)
toml_value = st.recursive(
    toml_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
SESSION_KEYS = ["format_version", "id", "date", "template", "title", "heading", "level", "sections", "status",
                "slot_minutes", "clock", "archived_in", "source", "front", "cancelled"]
TEMPLATE_KEYS = ["name", "label", "agenda_line", "archive_title", "archive_path", "role_line", "checkin_line",
                 "room_heading", "slot_minutes", "meeting_level", "sections", "roles", "detect", "team", "document"]


def _dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fac-prop-"))


@SETTINGS
@given(st.binary(max_size=400) | markdown_text.map(lambda t: t.encode("utf-8")))
def test_importer_gives_a_result_or_a_clear_message(raw: bytes) -> None:
    root = _dir()
    src = root / "notes.md"
    src.write_bytes(raw)
    st_ = SessionStore(root / "sessions")
    try:
        result = importer.import_file(st_, src)
    except (importer.ImportFailed, StoreError) as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    for sid in result.ids:
        session = st_.load(sid)
        assert forbidden(str(session.to_dict())) == []


@SETTINGS
@given(st.dictionaries(st.sampled_from(SESSION_KEYS) | st.text(max_size=6), toml_value, max_size=10))
def test_session_reader_gives_a_session_or_a_clear_message(data: dict) -> None:
    root = _dir()
    path = root / "2024-01-01.toml"
    try:
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    except (TypeError, ValueError):
        return  # not expressible as TOML
    try:
        session = read_session_file(path)
    except StoreError as exc:
        assert str(exc).startswith(str(path))
        return
    assert forbidden(str(session.to_dict())) == []
    assert session.slot_minutes > 0
    assert all(i.actual_seconds >= 0 and math.isfinite(i.actual_seconds) for i in session.agenda_items)


@SETTINGS
@given(st.binary(max_size=300))
def test_session_reader_on_random_bytes(raw: bytes) -> None:
    path = _dir() / "x.toml"
    path.write_bytes(raw)
    try:
        read_session_file(path)
    except StoreError:
        pass


@SETTINGS
@given(
    st.dictionaries(st.sampled_from(TEMPLATE_KEYS) | st.text(max_size=6), toml_value | st.text(alphabet="{}[].!:0xyearowntil", max_size=12), max_size=8)
    | st.binary(max_size=200)
)
def test_template_loader_gives_a_template_or_an_error_line(data) -> None:
    root = _dir()
    path = root / "t.toml"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        try:
            path.write_text(tomli_w.dumps(data), encoding="utf-8")
        except (TypeError, ValueError):
            return
    tset = templates.load_templates(root)
    assert len(tset.errors) + sum(1 for t in tset.templates.values() if t.path == str(path)) == 1
    for t in tset.templates.values():  # every usable template formats without error
        t.archive_title_for("2024")
        t.archive_path_for("2024")
        t.agenda_text("Min", 10, "Plan")
        t.role_text("chair", "Ada")
