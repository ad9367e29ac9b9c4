"""Agenda templates: built-ins, detection of the seeds, user overrides, broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import templates
from facilitator.markdown import detect_template, render_session
from facilitator.model import AgendaItem
from facilitator.templates import TemplateError, load_templates, new_session

FIXTURES = Path(__file__).parent / "fixtures"
BUILTINS = {"collab-cafe", "collab-cafe-2025", "2i2c", "hackmd-team-meeting", "hackmd-2019", "monthly-report"}


def test_builtins_load() -> None:
    found = templates.builtin_templates()
    assert BUILTINS <= set(found)
    for name, tpl in found.items():
        assert tpl.name == name and tpl.label and tpl.path.endswith(".toml")
        assert "{year}" in tpl.archive_title and "{title}" in tpl.agenda_line
    assert templates.get_template(None).name == templates.DEFAULT_TEMPLATE == "collab-cafe"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("000_bdb6fac8645dbeec.txt", "collab-cafe"),
        ("001_87ce458b057cddb2.txt", "hackmd-team-meeting"),
        ("002_4721616f919f1076.txt", "hackmd-2019"),
        ("003_4c7ff7206a3ab2ba.txt", "monthly-report"),
        ("004_e7f4ffb5bf34f5b9.txt", "2i2c"),
        ("archives/collab-cafe-2023.md", "collab-cafe"),
        ("archives/collab-cafe-2025.md", "collab-cafe-2025"),
        ("archives/collab-cafe-2026.md", "collab-cafe-2025"),
    ],
)
def test_seed_detects_as_its_template(name: str, expected: str) -> None:
    assert detect_template((FIXTURES / name).read_text(encoding="utf-8")) == expected


def test_user_dir_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(
        'name = "ours"\nlabel = "Our weekly"\nagenda_line = "{title} [{owner}, {timebox}]"\n'
        '[[sections]]\nkind = "agenda"\nheading = "Plan"\nitems = ["Standing: wins"]\n',
        encoding="utf-8",
    )
    (tmp_path / "cafe.toml").write_text('name = "collab-cafe"\nlabel = "Our cafe"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    tset = load_templates(tmp_path)
    assert tset.errors == []
    assert tset.get("ours").label == "Our weekly"
    assert tset.get("collab-cafe").label == "Our cafe"
    assert BUILTINS - {"collab-cafe"} <= set(tset.templates)
    # the built-ins themselves are untouched
    assert templates.get_template("collab-cafe").label == "Collaboration Cafe (2024 archive)"
    assert tset.get("ours").agenda_text("Min", 10, "Plan") == "Plan [Min, 10m]"


def test_missing_user_dir_is_fine(tmp_path: Path) -> None:
    tset = load_templates(tmp_path / "nope")
    assert set(tset.templates) == set(templates.builtin_templates()) and tset.errors == []


@pytest.mark.parametrize(
    "body, needle",
    [
        ('name = "x"\nlabel = \n', "line 2"),
        ('label = "no name"\n', "'name' is missing"),
        ('name = "x"\nslot_minutes = "an hour"\n', "slot_minutes"),
        ('name = "x"\nagenda_line = "**{owner}**"\n', "{title}"),
        ('name = "x"\nagenda_line = "{title} {nope}"\n', "unknown placeholder"),
        ('name = "x"\n[[sections]]\nkind = "bogus"\n', "'kind' must be one of"),
        ('name = "x"\nagenda_style = "cards"\n', "agenda_style"),
    ],
)
def test_broken_user_template_reported_not_fatal(tmp_path: Path, body: str, needle: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(body, encoding="utf-8")
    (tmp_path / "good.toml").write_text('name = "good"\n', encoding="utf-8")
    tset = load_templates(tmp_path)
    assert "good" in tset.templates and BUILTINS <= set(tset.templates)
    assert len(tset.errors) == 1
    assert str(bad) in tset.errors[0] and needle in tset.errors[0]
    with pytest.raises(TemplateError, match="unknown template 'x'"):
        tset.get("x")


def test_not_utf8_template(tmp_path: Path) -> None:
    (tmp_path / "latin.toml").write_bytes('name = "caf\u00e9"\n'.encode("latin-1"))
    tset = load_templates(tmp_path)
    assert len(tset.errors) == 1 and "UTF-8" in tset.errors[0]


def test_new_session_lays_out_sections_in_order() -> None:
    tpl = templates.get_template("hackmd-team-meeting")
    agenda = [AgendaItem(text="**Min** (5m): JupyterHub 3.0"), AgendaItem(text="**Sarah** (10m): Roadmap")]
    s = new_session(tpl, "2022-07-19", "2022-07-19", agenda=agenda)
    assert [(sec.kind, sec.heading) for sec in s.sections] == [(spec.kind, spec.heading) for spec in tpl.sections]
    assert [sec.heading for sec in s.sections] == [
        "Welcome to the Team Meeting", "Quick updates", "Reports and celebrations", "Agenda items",
    ]
    # the standing item comes first, then the planned ones
    assert [i.text for i in s.agenda_items] == [
        "**Session Chair** (2m): Assigning a notetaker - volunteers welcome!",
        "**Min** (5m): JupyterHub 3.0",
        "**Sarah** (10m): Roadmap",
    ]
    assert s.planned_minutes == 17
    assert s.attendees == []  # the roll-call placeholder line is not a person
    assert s.sections[0].attendees[0].is_placeholder
    assert (s.status, s.level, s.heading, s.slot_minutes) == ("planned", 1, tpl.meeting_title, 60)


def test_new_session_collab_cafe_and_roles() -> None:
    s = new_session(templates.get_template("collab-cafe"), "x", "2024-12-17")
    assert [sec.kind for sec in s.sections] == ["checkin", "celebrations", "agenda"]
    assert (s.heading, s.level) == ("2024-12-17", 2)
    md = render_session(s)
    assert md.index("### Check-in") < md.index("### Celebrations") < md.index("### Agenda")
    r = new_session(templates.get_template("2i2c"), "y", "2025-01-07", agenda=[AgendaItem(text="Budget (10m)")])
    assert [sec.kind for sec in r.sections] == ["roles", "topic"]
    assert r.sections[0].entries == ["**Meeting facilitator**:", "**Meeting timekeeper**:", "**Meeting recorder**:"]
    assert "### Budget (10m)" in render_session(r)


def test_archive_paths() -> None:
    tpl = templates.get_template("collab-cafe")
    assert tpl.archive_path_for("2024") == "docs/meetings/collab-cafe/2024.md"
    assert tpl.archive_title_for("2024") == "2024 Collaboration Cafe Notes Archive"


def test_resolve_prefers_the_users_template_and_falls_back_to_the_default(tmp_path) -> None:
    from facilitator.templates import DEFAULT_TEMPLATE, load_templates

    (tmp_path / "mine.toml").write_text('name = "collab-cafe"\nlabel = "Our cafe"\n', encoding="utf-8")
    tset = load_templates(tmp_path)
    assert tset.resolve("collab-cafe").label == "Our cafe"  # the user's own wins
    assert tset.resolve("2i2c").name == "2i2c"
    assert tset.resolve("gone-from-this-machine").label == "Our cafe"  # the default name, as overridden
    assert load_templates(None).resolve("gone").name == DEFAULT_TEMPLATE


def test_each_builtin_file_is_named_after_its_template() -> None:
    # what lets resolve_template parse one built-in file by the name a session gives
    for path in templates.BUILTIN_DIR.glob("*.toml"):
        assert templates.load_template_file(path).name == path.stem


@pytest.mark.parametrize("user", [False, True])
def test_resolve_template_gives_what_the_full_set_resolves(tmp_path: Path, monkeypatch, user: bool) -> None:
    user_dir = tmp_path / "mine"
    if user:
        user_dir.mkdir()
        (user_dir / "cafe.toml").write_text('name = "collab-cafe"\nlabel = "Our cafe"\n', encoding="utf-8")
        (user_dir / "ours.toml").write_text('name = "ours"\nlabel = "Our weekly"\n', encoding="utf-8")
        (user_dir / "broken.toml").write_text("name = [", encoding="utf-8")
    (tmp_path / "stray.toml").write_text('name = "stray"\nlabel = "Not a built-in"\n', encoding="utf-8")
    full = load_templates(user_dir)
    names = [*templates.builtin_templates(), "ours", "", "gone", "../stray", str(tmp_path / "stray"), "stray"]
    for name in names:
        monkeypatch.setattr(templates, "_BUILTINS", None)
        monkeypatch.setattr(templates, "_BUILTIN_FILES", {})
        assert templates.resolve_template(name, user_dir) == full.resolve(name), name


def test_resolve_template_parses_only_the_builtin_it_needs(monkeypatch) -> None:
    monkeypatch.setattr(templates, "_BUILTINS", None)
    monkeypatch.setattr(templates, "_BUILTIN_FILES", {})
    read: list[str] = []
    real = templates.load_template_file
    monkeypatch.setattr(templates, "load_template_file", lambda path: read.append(path.stem) or real(path))
    assert templates.resolve_template("2i2c", None).name == "2i2c"
    assert read == ["2i2c"]
    # the full set later reuses that parse and reads each other file once
    assert set(templates.builtin_templates()) >= BUILTINS
    assert sorted(read) == sorted(p.stem for p in templates.BUILTIN_DIR.glob("*.toml"))
