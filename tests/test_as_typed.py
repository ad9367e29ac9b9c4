"""Teams that do not run mdformat get back what they typed; only what the app changed is
rendered fresh. Documents of several shapes round-trip byte for byte through import, the
session file and export; a changed part is re-rendered while the untouched ones keep
their list numbers, markers, reference definitions and spacing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.markdown import detect_template, parse_document, render_session
from facilitator.model import Attendee, Session
from facilitator.store import SessionStore
from facilitator.templates import builtin_templates, get_template, load_template_file
from tests.conftest import run_cli

# A HackMD-style document: front matter, title, lead-in, `*` bullets, an ordered list
# numbered by hand, reference links (one unused), `__` emphasis, a table, two blank lines.
HACKMD = """---
title: Packaging sync
tags: [meeting]
---

# Packaging sync — 2 May 2023

Notes by __Ana__; recording on the wiki.
Second line of the lead-in.

## Attendees

* Ana
* Ben

## Agenda

* **Ana**: the build backend
    * keep  this   spacing
* *Ben*: release checklist

## Decisions

3. first
7. second


See [the RFC][rfc] and [PEP 517].

| who | what |
|-----|------|
| Ana | docs |

[rfc]: https://example.org/rfc
[PEP 517]: https://peps.python.org/pep-0517/
[unused]: https://example.org/unused
"""

# A setext title, a tab-indented sublist, `+` bullets, no newline at the end of the file.
SETEXT = "Release call\n============\n\nDate: 2023-09-29\n\nAgenda\n------\n\n+ wheels\n\t+ for arm64\n+ docs\n\n1) one\n2) two"

# A yearly file of another team: ISO dated sections, lead-in paragraphs, a cancelled day.
YEARLY = """# Infra team notes

Written during the call; newest first.

## 2024-03-12

Present: Ana, Ben

### Items

1. CI runners
   - budget *approved*
2. Mirrors

## 2024-02-27

No meeting (holiday).

## 2024-02-13

- Moved the wiki
- [Notes][n]

[n]: https://example.org/n
"""

# Only a title and prose: no sections at all.
PROSE = "# Notes, 14 Sept 2021\n\nWe talked about *everything*,\nin two lines.\n"


def _import(tmp_path: Path, name: str, text: str) -> tuple[SessionStore, list[str]]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    sessions = tmp_path / "sessions"
    rc, out, err = run_cli("--sessions", sessions, "import", f)
    assert rc == 0, err
    return SessionStore(sessions), out.split()


@pytest.mark.parametrize(
    "name, text, date",
    [("sync.md", HACKMD, "2023-05-02"), ("2023-09-29.md", SETEXT, "2023-09-29"), ("notes.md", PROSE, "2021-09-14")],
    ids=["front-matter-refs-table", "setext-tabs-no-final-newline", "prose-only"],
)
def test_an_unchanged_document_exports_byte_for_byte(tmp_path: Path, name: str, text: str, date: str) -> None:
    st, ids = _import(tmp_path, name, text)
    (sid,) = ids
    s = st.load(sid)  # through the TOML session file
    assert (s.date, s.template, s.form) == (date, "plain-notes", "document")
    rc, out, err = run_cli("--sessions", st.root, "export", sid)
    assert rc == 0, err
    assert out == text


def test_a_yearly_file_keeps_each_dated_section_as_typed(tmp_path: Path) -> None:
    st, ids = _import(tmp_path, "infra.md", YEARLY)
    assert ids == ["2024-03-12", "2024-02-27", "2024-02-13"]
    chunks = YEARLY.split("\n## ")[1:]
    for sid, chunk in zip(ids, chunks):
        rc, out, _ = run_cli("--sessions", st.root, "show", sid)
        assert out == "## " + chunk.rstrip("\n") + "\n"
    # Archived back into the file it came from, each meeting leaves the file as it was.
    into = tmp_path / "infra.md"
    for sid in ids:
        rc, out, err = run_cli("--sessions", st.root, "archive", sid, "--into", into)
        assert (rc, out) == (0, f"unchanged {into}\n"), err
    assert into.read_text(encoding="utf-8") == YEARLY
    # The session remembers it came as a section of a yearly file, not a file of its own
    # (plain-notes, the template detected, would write one file per meeting).
    assert {st.load(sid).form for sid in ids} == {"yearly"}
    rc, _, err = run_cli("--sessions", st.root, "export", ids[0], "-o")
    assert rc == 1 and "section of a yearly archive" in err


def test_a_changed_item_is_rendered_fresh_and_the_rest_stays_as_typed(tmp_path: Path) -> None:
    st, (sid,) = _import(tmp_path, "sync.md", HACKMD)
    s = st.load(sid)
    agenda = next(sec for sec in s.sections if sec.kind == "agenda")
    agenda.items[1].notes = "- checklist merged"
    next(sec for sec in s.sections if sec.kind == "checkin").attendees.append(Attendee("Cleo"))
    st.save(s)
    rc, out, err = run_cli("--sessions", st.root, "export", sid)
    assert rc == 0, err
    # The changed item and the new attendee, in the list's own `*` marker (a `-` would
    # start a second list); the untouched bullet keeps its typed spacing.
    assert "* Ana\n* Ben\n* Cleo\n" in out
    assert "* **Ana**: the build backend\n    * keep  this   spacing\n* *Ben*: release checklist\n  - checklist merged\n" in out
    # Everything the app did not touch is byte for byte as typed.
    untouched = HACKMD[HACKMD.index("## Decisions") :]
    assert out.startswith(HACKMD[: HACKMD.index("## Attendees")])
    assert out.endswith(untouched)
    assert "3. first\n7. second\n\n\nSee" in out and "[unused]: https://example.org/unused" in out


def test_a_changed_title_keeps_the_lead_in_and_front_matter(tmp_path: Path) -> None:
    (s,) = parse_document(HACKMD, source="sync.md").sessions
    s.heading = "Packaging sync"
    out = render_session(s)
    assert out.startswith("---\ntitle: Packaging sync\ntags: [meeting]\n---\n\n# Packaging sync\n\nNotes by __Ana__;")
    assert out.endswith(HACKMD[HACKMD.index("Notes by") :])


def test_a_new_section_gets_blank_lines_around_it() -> None:
    from facilitator.model import Section

    (s,) = parse_document(SETEXT, source="2023-09-29.md").sessions
    s.sections.append(Section(kind="list", heading="Actions", level=2, entries=["Ana: tag it"]))
    out = render_session(s)
    assert out == SETEXT + "\n\n## Actions\n\n- Ana: tag it\n"


def test_a_session_file_without_typed_parts_still_loads_and_renders() -> None:
    (s,) = parse_document(HACKMD, source="sync.md").sessions
    s.id = "2023-05-02"
    d = s.to_dict()
    assert "head_as_typed" in d and all("as_typed" in sec for sec in d["sections"])
    old = {k: v for k, v in d.items() if k not in ("head_as_typed", "head_digest")}
    old["sections"] = [
        {k: v for k, v in sec.items() if k not in ("as_typed", "typed_digest", "typed_items")} for sec in d["sections"]
    ]
    back = Session.from_dict(old)  # a session saved before this release
    assert back.head_as_typed == "" and all(not sec.as_typed for sec in back.sections)
    out = render_session(back)
    assert out.startswith("---\ntitle: Packaging sync") and "- Ana\n- Ben" in out  # rendered from its value
    assert Session.from_dict(d).sections == s.sections


def test_teams_with_mdformat_store_no_typed_text_and_keep_mdformat() -> None:
    text = "# 2024 Collaboration Cafe Notes Archive\n\n## 2024-01-02\n\n### Check-in\n\n* Min / @minrk / Simula\n"
    (s,) = parse_document(text, source="2024.md").sessions
    assert s.template == "collab-cafe" and s.head_as_typed == ""
    assert render_session(s) == "## 2024-01-02\n\n### Check-in\n\n- Min / @minrk / Simula\n"


def test_plain_notes_is_the_fallback_and_formats_nothing() -> None:
    assert detect_template("# Anything\n\nno team's marks here\n") == "plain-notes"
    tpl = get_template("plain-notes")
    assert (tpl.mdformat, tpl.form, tpl.document_path_for("2024-05-06")) == (False, "document", "meetings/2024-05-06.md")
    formatted = {name for name, t in builtin_templates().items() if t.mdformat}
    # The Cafe's and 2i2c's archives are mdformat's fixed point; the HackMD seeds are not.
    assert formatted == {"collab-cafe", "collab-cafe-2025", "2i2c"}


def test_form_and_document_path_keys(tmp_path: Path) -> None:
    from facilitator.templates import TemplateError

    def load(body: str):
        f = tmp_path / "t.toml"
        f.write_text('name = "ours"\n' + body, encoding="utf-8")
        return load_template_file(f)

    t = load('form = "document"\ndocument_path = "notes/{year}/{date}.md"\n')
    assert t.document and t.document_path_for("2024-05-06") == "notes/2024/2024-05-06.md" and not t.warnings
    assert load("document = true\n").form == "document"  # the older spelling
    assert load("").form == "yearly"
    for body, words in [
        ('form = "wiki"\n', "'form' must be"),
        ('form = "yearly"\ndocument = true\n', "keep 'form' only"),
        ('document_path = "notes.md"\n', "'document_path' must contain {date}"),
        ('document_path = "{who}.md"\n', "unknown placeholder {who}"),
    ]:
        with pytest.raises(TemplateError, match=words):
            load(body)


def test_new_and_export_write_the_document_at_the_team_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    sessions = tmp_path / "sessions"
    rc, out, err = run_cli("--sessions", sessions, "new", "--template", "plain-notes", "--date", "2025-03-04", "-o")
    assert rc == 0, err
    doc = tmp_path / "meetings" / "2025-03-04.md"
    assert doc.read_text(encoding="utf-8") == "# Meeting notes\n\n## Attendees\n\n## Agenda\n"
    rc, _, err = run_cli("--sessions", sessions, "new", "--template", "plain-notes", "--date", "2025-03-04", "-o")
    assert rc != 0 and "already exists" in err and len(list(sessions.glob("*.toml"))) == 1
    rc, _, err = run_cli("--sessions", sessions, "new", "--date", "2025-03-05", "-o")
    assert rc != 0 and "yearly archive" in err and len(list(sessions.glob("*.toml"))) == 1
    # An imported document goes back to its team's path, as it was typed.
    st, (sid,) = _import(tmp_path, "sync.md", HACKMD)
    rc, _, err = run_cli("--sessions", st.root, "export", sid, "-o")
    assert rc == 0, err
    assert (tmp_path / "meetings" / "2023-05-02.md").read_text(encoding="utf-8") == HACKMD
    # The flag before the id means the same: the id is not taken for a file name.
    (tmp_path / "meetings" / "2023-05-02.md").unlink()
    rc, out, err = run_cli("--sessions", st.root, "export", "-o", sid)
    assert (rc, out) == (0, ""), err
    assert (tmp_path / "meetings" / "2023-05-02.md").read_text(encoding="utf-8") == HACKMD
    assert not (tmp_path / sid).exists()
    # -o FILE before the id, and a word that is no session: a clear error, nothing written.
    rc, out, err = run_cli("--sessions", st.root, "export", "-o", tmp_path / "x.md", sid)
    assert (rc, out) == (0, ""), err
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == HACKMD
    rc, out, err = run_cli("--sessions", st.root, "export", "-o", "no-such-meeting")
    assert rc != 0 and "no session 'no-such-meeting'" in err and not (tmp_path / "no-such-meeting").exists()
    rc, out, err = run_cli("--sessions", st.root, "export")
    assert rc != 0 and "export needs a session ID" in err


def test_one_dated_meeting_under_a_title_is_that_files_document() -> None:
    from facilitator.archive import archive_markdown

    text = "---\nlayout: notes\n---\n\n# Docs team meeting\n\n## March 28, 2022\n\n**Present:** Mira, Leo\n\n1. intro\n1. triage\n"
    (s,) = parse_document(text, source="docs-2022-03-28.md").sessions
    assert (s.date, s.form, s.front_matter) == ("2022-03-28", "document", "---\nlayout: notes\n---\n\n")
    assert render_session(s) == text  # title and front matter go back out with the meeting
    assert archive_markdown(s) == text[text.index("## March") :]  # in a yearly archive: the section


def test_a_meeting_under_a_written_out_date_is_replaced_in_place() -> None:
    from facilitator.archive import insert_meeting

    text = "# Board minutes\n\n## 2 May 2023\n\n* budget\n\n## 4 April 2023\n\n* rota\n"
    doc = parse_document(text, source="2023.md")
    assert [s.date for s in doc.sessions] == ["2023-05-02", "2023-04-04"]
    for s in doc.sessions:
        assert insert_meeting(text, s).action == "unchanged"
    doc.sessions[1].sections[0].entries.append("minutes approved")
    out = insert_meeting(text, doc.sessions[1])
    assert (out.action, out.text) == ("replaced", text + "* minutes approved\n")
