"""Other teams' meeting notes (tests/fixtures/corpus): every file imports, with the meetings
and dates its MANIFEST.toml gives by hand, and no word of it is lost on the way out.

The files are our own text in the shapes of real public archives (the manifest names each
source). They are parsed in-process; only the few undated ones go through the importer.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from facilitator.archive import archive_markdown, insert_meeting
from facilitator.importer import ImportFailed, import_file
from facilitator.markdown import ParsedDocument, parse_document, render_session
from facilitator.model import Session
from facilitator.store import SessionStore, dumps_session
from facilitator.templates import Template, builtin_templates, load_template_file

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
MANIFEST = tomllib.loads((CORPUS / "MANIFEST.toml").read_text(encoding="utf-8"))
ENTRIES = {e["path"]: e for e in MANIFEST["file"]}
TEAM = load_template_file(CORPUS / "other-team.toml")
TEMPLATES: dict[str, Template] = {**builtin_templates(), TEAM.name: TEAM}
WORD = re.compile(r"[^\W_]+")  # letters and digits: markup characters are not words


def _notes_files() -> list[str]:
    return sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.suffix in (".md", ".qmd") and p.name != "README.md")


@lru_cache(maxsize=None)
def _parsed(rel: str, template: str | None = TEAM.name) -> ParsedDocument:
    path = CORPUS / rel
    return parse_document(path.read_text(encoding="utf-8"), template=template, source=path.name, path=rel, templates=TEMPLATES)


def _words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def test_manifest_lists_every_file_with_its_source() -> None:
    assert sorted(ENTRIES) == _notes_files()
    assert len(ENTRIES) >= 60
    assert len({e["community"].split(" ")[0] for e in ENTRIES.values()}) >= 5
    for rel, e in ENTRIES.items():
        src = e["source"]
        assert src["repo"].count("/") == 1 and src["path"], rel
        assert re.fullmatch(r"[0-9a-f]{40}", src["commit"]), rel
        assert e["meetings"], rel
        undated = [m for m in e["meetings"] if not m]
        assert len(e.get("problems", [])) == len(undated), rel
        assert bool(undated) == ("date" in e), rel
    assert "jupyter" not in " ".join(e["source"]["repo"].lower() for e in ENTRIES.values())


@pytest.mark.parametrize("rel", sorted(ENTRIES))
def test_meetings_and_dates_as_written_by_hand(rel: str) -> None:
    entry = ENTRIES[rel]
    doc = _parsed(rel)
    assert [s.date for s in doc.sessions] == entry["meetings"]
    problems = iter(entry.get("problems", []))
    for n, s in enumerate(doc.sessions):
        if not s.date:
            assert next(problems) in doc.date_problems[n]
    # The date never depends on the template: detected (the Cafe's default) gives the same.
    assert [s.date for s in _parsed(rel, None).sessions] == entry["meetings"]


def _header(doc: ParsedDocument) -> str:
    """An archive's own title and lead-in, above its first meeting (they belong to the file)."""
    return f"{doc.title}\n{doc.preamble}" if len(doc.sessions) > 1 or doc.title else ""


@pytest.mark.parametrize("rel", sorted(ENTRIES))
def test_no_word_lost_on_export(rel: str) -> None:
    """Every word (and every number: list numbers too) of the file is in its sessions'
    export, as typed, for a team that does not run mdformat."""
    doc = _parsed(rel)
    # through the session file's TOML, as import saves it and export reads it back
    day = ENTRIES[rel].get("date", "")  # what --date gives the undated ones
    kept = [Session.from_dict(tomllib.loads(dumps_session(replace(s, id="x", date=s.date or day)))) for s in doc.sessions]
    exported = "\n".join(render_session(s, TEAM) for s in kept)
    assert _words(exported + "\n" + _header(doc)) == _words((CORPUS / rel).read_text(encoding="utf-8"))


def _document_head(s: Session) -> str:
    """What the archive form replaces with its ``## date`` heading: a one-meeting
    document's front matter, the text above its H1, and the H1 itself."""
    return s.front_matter + s.front + ("\n" + s.heading if s.level == 1 else "")


@pytest.mark.parametrize("rel", sorted(ENTRIES))
def test_show_keeps_every_word_of_the_meetings(rel: str) -> None:
    """``show`` prints the archive form: each dated meeting's words, under its date."""
    for s in _parsed(rel).sessions:
        shown = archive_markdown(s, TEAM)
        if s.date and s.level != 2:
            assert shown.startswith(f"## {s.date}\n")
            expected = _words(render_session(s, TEAM)) - _words(_document_head(s)) + _words(s.date)
        else:
            expected = _words(render_session(s, TEAM))
        assert _words(shown) == expected


@pytest.mark.parametrize("rel", sorted(ENTRIES))
def test_every_file_comes_back_unchanged(rel: str) -> None:
    """A yearly file's meetings archived into that same file leave it byte for byte as it
    was (headings, their level, spacing, dates only its path or the user settles); a
    one-meeting document exported is the file again. No file of the corpus is an exception."""
    text = (CORPUS / rel).read_text(encoding="utf-8")
    sessions = _parsed(rel).sessions
    day = ENTRIES[rel].get("date", "")
    if all(s.form == "yearly" for s in sessions):
        for s in sessions:
            got = insert_meeting(text, replace(s, date=s.date or day), TEAM, rel)
            assert (got.action, got.text) == ("unchanged", text), s.heading
    else:
        assert [s.form for s in sessions] == ["document"]
        assert render_session(sessions[0], TEAM) == text


@pytest.mark.parametrize("rel", sorted(r for r, e in ENTRIES.items() if "date" in e))
def test_undated_meetings_are_reported_and_take_date(rel: str, tmp_path: Path) -> None:
    entry = ENTRIES[rel]
    st = SessionStore(tmp_path / "s")
    with pytest.raises(ImportFailed) as err:
        import_file(st, CORPUS / rel, template=TEAM.name, templates=TEMPLATES)
    for words in entry["problems"]:
        assert words in str(err.value)
    assert "--date YYYY-MM-DD" in str(err.value)
    assert list(st.load_all()) == []  # nothing saved
    result = import_file(st, CORPUS / rel, template=TEAM.name, templates=TEMPLATES, date=entry["date"])
    got = sorted(st.load(i).date for i in result.ids)
    assert got == sorted(m or entry["date"] for m in entry["meetings"])


@pytest.mark.parametrize("rel", sorted(r for r, e in ENTRIES.items() if "date_order" in e))
def test_ambiguous_dates_read_in_the_order_the_user_gives(rel: str, tmp_path: Path) -> None:
    given = ENTRIES[rel]["date_order"]
    st = SessionStore(tmp_path / "s")
    result = import_file(st, CORPUS / rel, template=TEAM.name, templates=TEMPLATES, date_order=given["order"])
    assert [st.load(i).date for i in result.ids] == given["meetings"]


def test_yearly_files_import_into_one_sessions_directory(tmp_path: Path) -> None:
    """Through the importer and the session files: every meeting of every multi-meeting
    file saved, with its date (two meetings on one day stay two)."""
    st = SessionStore(tmp_path / "s")
    expected: Counter[tuple[str, str]] = Counter()
    for rel, entry in ENTRIES.items():
        if len(entry["meetings"]) < 2:
            continue
        import_file(st, CORPUS / rel, template=TEAM.name, templates=TEMPLATES, date=entry.get("date"))
        expected.update((Path(rel).name, m or entry["date"]) for m in entry["meetings"])
    saved = Counter((s.source, s.date) for _, s in st.load_all())
    assert saved == expected


def test_front_matter_of_a_dated_h1_document_is_kept() -> None:
    """``---`` front matter over ``# 2020-12-16 Triage``: one document, its header kept."""
    (s,) = _parsed("numpy/triage_meetings/2020/triage-2020-12-16.md").sessions
    assert s.front_matter == "---\ntags: NumPy, triage\n---\n\n"
    assert s.heading.startswith("2020-12-16 NumPy Development Meeting")
    assert render_session(s, TEAM).startswith("---\ntags: NumPy, triage\n---\n\n# 2020-12-16 NumPy Development Meeting")
    assert not render_session(replace(s, front_matter=""), TEAM).startswith("---")
