"""Templates are validated at load: format strings, names, unknown keys, shadowed built-ins.

One bad template never stops the app or the other commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from facilitator import templates
from facilitator.app import FacilitatorApp
from facilitator.clipboard import CopyResult
from facilitator.templates import PLACEHOLDERS, load_templates
from tests.test_cli import run_cli

BAD_PLACEHOLDERS = ["{year.x}", "{owner[x]}", "{owner[0]}", "{}", "{0}", "{nope}", "{title!r}", "{title:>10}"]


def write(dir_: Path, name: str, body: str) -> Path:
    dir_.mkdir(parents=True, exist_ok=True)
    p = dir_ / name
    p.write_text(body, encoding="utf-8")
    return p


def valid_value(key: str) -> str:
    return " ".join("{" + p + "}" for p in PLACEHOLDERS[key])


@pytest.mark.parametrize("key", sorted(PLACEHOLDERS))
@pytest.mark.parametrize("bad", BAD_PLACEHOLDERS)
def test_every_format_string_accepts_only_its_placeholders(tmp_path: Path, key: str, bad: str) -> None:
    value = valid_value(key) + " " + bad
    path = write(tmp_path, "bad.toml", f'name = "bad"\n{key} = "{value}"\n')
    write(tmp_path, "good.toml", 'name = "good"\n')
    tset = load_templates(tmp_path)
    assert "good" in tset.templates and "bad" not in tset.templates
    assert len(tset.errors) == 1, tset.errors
    err = tset.errors[0]
    assert str(path) in err and f"'{key}'" in err and "line 2" in err
    if "!" not in bad and ":" not in bad:
        assert bad in err


@pytest.mark.parametrize("key", sorted(PLACEHOLDERS))
@pytest.mark.parametrize("bad", ["{", "}", "a {b", "{year"])
def test_a_lone_brace_is_a_clear_error(tmp_path: Path, key: str, bad: str) -> None:
    write(tmp_path, "bad.toml", f'name = "bad"\n{key} = "{bad}"\n')
    tset = load_templates(tmp_path)
    assert len(tset.errors) == 1 and f"'{key}'" in tset.errors[0]


@pytest.mark.parametrize("key", sorted(PLACEHOLDERS))
def test_documented_placeholders_load_and_format(tmp_path: Path, key: str) -> None:
    write(tmp_path, "ok.toml", f'name = "ok"\n{key} = "x {valid_value(key)} {{{{literal}}}}"\n')
    tset = load_templates(tmp_path)
    assert tset.errors == [] and tset.warnings == []
    tpl = tset.get("ok")
    # every formatting use works on it
    assert tpl.archive_title_for("2024") and tpl.archive_path_for("2024")
    assert tpl.agenda_text("Min", 10, "Plan") and tpl.role_text("chair", "Ada") is not None


def test_required_placeholders(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'name = "a"\nagenda_line = "{owner}"\n')
    write(tmp_path, "b.toml", 'name = "b"\narchive_title = "Notes"\n')
    tset = load_templates(tmp_path)
    assert sorted(e.split(": ", 1)[1] for e in tset.errors) == [
        "'agenda_line' must contain {title}", "'archive_title' must contain {year}",
    ]


@pytest.mark.parametrize("name", ["../evil", "a/b", "a\\\\b", "..", "."])
def test_a_name_with_a_path_separator_is_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path, "x.toml", f'name = "{name}"\n')
    tset = load_templates(tmp_path)
    assert len(tset.errors) == 1 and "'name'" in tset.errors[0]
    assert set(tset.templates) == set(templates.builtin_templates())


def test_unknown_keys_warn_but_the_template_works(tmp_path: Path) -> None:
    path = write(tmp_path, "ours.toml", 'name = "ours"\ncheckin_lines = "typo"\nteam = "x"\nform = "document"\n[extra]\na = 1\n')
    tset = load_templates(tmp_path)
    assert tset.errors == []
    assert "ours" in tset.templates
    assert sorted(tset.warnings) == sorted(
        [f"template {path}: unknown key 'checkin_lines' (ignored)", f"template {path}: unknown key 'extra' (ignored)"]
    )
    assert all(not t.warnings for t in templates.builtin_templates().values())


def test_shadowing_a_builtin_warns_that_the_users_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "cafe.toml", 'name = "collab-cafe"\nlabel = "Ours"\n')
    write(tmp_path, "zz-cafe.toml", 'name = "collab-cafe"\nlabel = "Ours too"\n')
    tset = load_templates(tmp_path)
    assert tset.errors == []
    assert tset.get("collab-cafe").label == "Ours too"
    assert any(str(path) in w and "built-in" in w and "yours is used" in w for w in tset.warnings)
    assert any("zz-cafe.toml wins" in w for w in tset.warnings)


def test_a_fifo_in_the_templates_dir_never_blocks(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.toml")
    tset = load_templates(tmp_path)
    assert len(tset.errors) == 1 and "not a regular file" in tset.errors[0]


def bad_dir(tmp_path: Path) -> Path:
    d = tmp_path / "user-templates"
    write(d, "a-bad.toml", 'name = "collab-cafe"\nagenda_line = "{owner.x} {title}"\n')
    write(d, "mine.toml", 'name = "mine"\narchive_path = "{year[0]}/x.md"\n')
    write(d, "c-broken.toml", "name = \n")
    write(d, "d-good.toml", 'name = "good"\nlabel = "Good one"\nunknown_thing = 1\n')
    return d


def test_the_cli_keeps_working_with_bad_templates(tmp_path: Path, sessions_dir: Path, fixtures_dir: Path) -> None:
    d = bad_dir(tmp_path)
    base = ("--sessions", sessions_dir, "--templates", d)
    rc, out, err = run_cli(*base, "templates")
    assert rc == 0 and "good" in out and "collab-cafe" in out
    assert "Traceback" not in err
    assert err.count("facilitator: warning: ") == 4  # three errors, one unknown key
    rc, out, err = run_cli(*base, "import", fixtures_dir / "archives" / "collab-cafe-2024.md")
    assert rc == 0, err
    sid = out.split()[0]
    for args in (("show", sid), ("export", sid), ("list",), ("stats", sid), ("new", "--date", "2030-01-02")):
        rc, out, err = run_cli(*base, *args)
        assert rc == 0, (args, err)
        assert out.strip() and "Traceback" not in err
    rc, out, err = run_cli(*base, "archive", sid, "--into", tmp_path / "a.md")
    assert rc == 0, err
    rc, out, err = run_cli(*base, "new", "--template", "mine")
    assert rc == 1 and "archive_path" in err and len(err.splitlines()) == 1


async def test_the_app_starts_with_bad_templates_and_says_which(tmp_path: Path, sessions_dir: Path) -> None:
    d = bad_dir(tmp_path)
    app = FacilitatorApp(
        sessions_dir, d, today=lambda: "2025-01-21", archive_root=tmp_path, blink=False,
        copy=lambda text: CopyResult(False, "", "no clipboard in tests"),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        lst = app.screen.query_one("#templates", OptionList)
        labels = [str(lst.get_option_at_index(n).prompt) for n in range(lst.option_count)]
        assert any("Good one" in label for label in labels)
        assert len(labels) == len(templates.builtin_templates()) + 1
        notes = [n.message for n in app._notifications]
        assert sum("a-bad.toml" in n or "mine.toml" in n or "c-broken.toml" in n for n in notes) == 3
