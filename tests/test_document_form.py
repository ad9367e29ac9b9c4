"""A one-meeting document round-trips as that document: front matter byte for byte, H1, lead-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.archive import archive_markdown
from facilitator.importer import import_file
from facilitator.markdown import render_session
from facilitator.model import Session
from facilitator.store import SessionStore

YAML_DOC = """---
title: "Steering council: sync"
date: 2024-02-06
authors:
  - ana
  - ben
description: >
  A line with --- inside, and *stars*
---

# Steering council sync

Notes by **Ana**; the recording is on the wiki.

## Attendees

- Ana
- Ben

## Discussion

- Budget for the sprint
"""

TOML_DOC = """+++
title = "Maintainers sync"
date = 2024-02-07
[extra]
chair = "Ben"
+++

# Maintainers sync

## Notes

- Release next week
"""


@pytest.mark.parametrize("text", [YAML_DOC, TOML_DOC], ids=["yaml", "toml"])
def test_front_matter_round_trips_byte_for_byte(tmp_path: Path, text: str) -> None:
    f = tmp_path / "sync.md"
    f.write_text(text, encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    (sid,) = import_file(st, f).ids
    s = st.load(sid)  # through the TOML session file
    assert s.front_matter == text[: text.index("# ")]
    assert render_session(s) == text
    assert "______" not in render_session(s)


def test_archive_section_of_a_document_leaves_its_front_matter_out(tmp_path: Path) -> None:
    f = tmp_path / "sync.md"
    f.write_text(YAML_DOC, encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    (sid,) = import_file(st, f).ids
    section = archive_markdown(st.load(sid))
    assert section.startswith("## 2024-02-06\n\nNotes by **Ana**")
    assert "title:" not in section and "---" not in section


def test_h1_and_lead_in_kept_without_front_matter(tmp_path: Path) -> None:
    text = "# Release team call, 2 May 2023\n\nLead-in paragraph.\n\n## Notes\n\n- shipped\n"
    f = tmp_path / "call.md"
    f.write_text(text, encoding="utf-8")
    st = SessionStore(tmp_path / "s")
    (sid,) = import_file(st, f).ids
    s = st.load(sid)
    assert s.date == "2023-05-02" and s.front_matter == ""
    assert render_session(s) == text


def test_unclosed_front_matter_is_body_text() -> None:
    s = Session(id="x", date="2024-01-01", template="collab-cafe", front_matter="")
    assert s.to_dict().get("front_matter") is None
    back = Session.from_dict({**s.to_dict(), "front_matter": "---\na: 1\n---\n\n"})
    assert back.front_matter == "---\na: 1\n---\n\n"


# -- text as typed: a template whose team does not run mdformat -------------------------

TYPED = (
    "# Sync\n\nDate: 2024-01-02\n\n## Notes\n\n3. first\n7. second\n\n"
    "See [the RFC][rfc] and *this* and __that__.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    "[rfc]: https://example.org/rfc\n[unused]: https://example.org/x\n"
)


def test_template_without_mdformat_keeps_text_as_typed() -> None:
    from dataclasses import replace

    from facilitator.markdown import parse_document, template_for

    (s,) = parse_document(TYPED, source="sync.md").sessions
    typed = replace(template_for(s.template), mdformat=False)
    assert render_session(s, typed) == TYPED
    formatted = render_session(s, replace(typed, mdformat=True))
    assert formatted != TYPED and "[unused]" not in formatted  # what mdformat would have done


def test_mdformat_key_is_read_and_checked(tmp_path: Path) -> None:
    from facilitator.templates import TemplateError, builtin_templates, load_template_file

    assert builtin_templates()["collab-cafe"].mdformat is True
    assert builtin_templates()["collab-cafe-2025"].mdformat is True
    good = tmp_path / "ours.toml"
    good.write_text('name = "ours"\nmdformat = false\n', encoding="utf-8")
    assert load_template_file(good).mdformat is False
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nmdformat = "no"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match="'mdformat' must be true or false"):
        load_template_file(bad)
