"""The core must import without Textual, so the CLI starts fast and the logic stays testable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import facilitator

# Every top-level module of the package is core except the Textual layer (app.py,
# screens/, widgets/, and css_cache, which fills Textual's stylesheet cache) and __main__
# (which runs the program when imported).
PACKAGE = Path(facilitator.__file__).parent
NOT_CORE = {"app", "__main__", "css_cache"}
CORE_MODULES = sorted(
    f"facilitator.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem not in NOT_CORE and p.stem != "__init__"
)


def loads_none_of(setup: str, modules: tuple[str, ...]) -> subprocess.CompletedProcess:
    """Run ``setup`` in a fresh interpreter and fail if it loaded any of ``modules``."""
    code = f"import sys\n{setup}\nbad = [m for m in {modules!r} if m in sys.modules]\nassert not bad, bad"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_the_core_is_what_we_think() -> None:
    """A guard against the glob silently finding nothing (and so testing nothing)."""
    for mod in ("facilitator.model", "facilitator.store", "facilitator.index", "facilitator.markdown", "facilitator.cli"):
        assert mod in CORE_MODULES


def _imports_textual(mods: list[str]) -> str:
    """The stderr of a fresh interpreter importing ``mods`` if it loaded Textual, else ""."""
    code = (
        f"import sys, {', '.join(mods)}; "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('textual'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return proc.stderr if proc.returncode else ""


def test_core_modules_do_not_import_textual() -> None:
    """All of them in one interpreter (what a module imports alone it imports with the
    others too, so none loading Textual together means none alone); one each only to
    name the culprit (a process per module was ~15 s of the suite)."""
    mods = ["facilitator", *CORE_MODULES]
    if _imports_textual(mods):
        culprits = {m: err for m in mods if (err := _imports_textual([m]))}
        assert not culprits, culprits


def test_the_app_and_home_import_without_the_data_layer() -> None:
    """The first frame comes before the store, model and TOML writer are imported (app.py
    makes the store on first use); a screen module importing them at the top undoes that.
    Nor tomllib, nor the keymap's reader: the keymap's path is looked up at every start,
    its file rarely exists."""
    loads_none_of("import facilitator.app, facilitator.screens.home, facilitator.paths; facilitator.paths.keymap_path()",
                  ("facilitator.store", "facilitator.model", "tomli_w", "tomllib", "facilitator.keymap"))


def test_a_start_without_a_keymap_file_never_loads_its_reader(tmp_path) -> None:
    missing = tmp_path / "keymap.toml"
    loads_none_of(
        "import os, pathlib; from facilitator.app import FacilitatorApp; "
        f"os.environ['FACILITATOR_KEYMAP'] = {str(missing)!r}; "
        f"FacilitatorApp(pathlib.Path({str(tmp_path)!r})).apply_user_keymap()",
        ("facilitator.keymap",),
    )


def test_starting_the_app_builds_no_other_commands_parsers() -> None:
    """``facilitator [--sessions DIR]`` and ``open ID`` are read without argparse: it, the
    share and history commands' modules stay unimported before the first frame
    (here the run stops at the terminal check, after parsing, as a real start would not)."""
    proc = loads_none_of(
        "import tempfile; from facilitator import cli; d = tempfile.mkdtemp(); "
        "assert cli.main(['--sessions', d]) == 1; assert cli.main(['--sessions', d, 'open', 'x']) == 1",
        ("argparse", "facilitator.share_cli", "facilitator.history_cli", "facilitator.follow_cli"),
    )
    assert "needs a terminal" in proc.stderr


@pytest.mark.parametrize(
    "argv",
    [[], ["--demo"], ["--sessions", "d"], ["--sessions=d", "--templates", "t"], ["--sessions", "d", "open", "2024-12-17"],
     ["open", "x"], ["--templates=t", "--demo", "open", "x"]],
)
def test_the_app_forms_are_read_without_argparse_as_the_full_parser_reads_them(argv: list[str]) -> None:
    from facilitator import cli

    assert cli._app_only(argv)
    full = cli.build_parser(cli._history_module()).parse_args(argv)
    assert vars(cli._app_args(argv)) == vars(full)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["--sess", "d"], ["--sessions"], ["--sessions", "-x"], ["list"], ["open"],
     ["open", "-h"], ["open", "a", "b"], ["--demo", "search", "x"]],
)
def test_anything_else_gets_the_full_parser(argv: list[str]) -> None:
    from facilitator import cli

    assert not cli._app_only(argv)


@pytest.mark.parametrize(
    "argv",
    [["list"], ["list", "--json"], ["--sessions", "d", "people"], ["people", "--json"], ["stats"], ["stats", "2024-12-17"],
     ["--templates=t", "search", "a"], ["search", "a", "b", "--limit", "3"], ["search", "--limit=0", "a"],
     ["search", "--all", "a", "b"], ["search", "a", "--all"], ["--demo", "search", "x", "y"]],
)
def test_the_warm_read_commands_are_read_without_argparse_as_the_full_parser_reads_them(argv: list[str]) -> None:
    from facilitator import cli

    fast = cli._read_args(argv)
    assert fast is not None
    assert vars(fast) == vars(cli.build_parser(cli._history_module()).parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["list", "-h"], ["list", "--js"], ["list", "x"], ["people", "--json", "x"], ["stats", "a", "b"], ["stats", "--from", "2024"],
     ["search"], ["search", "-x"], ["search", "a", "--limit"], ["search", "a", "--limit", "-1"], ["search", "a", "--limit", "x"],
     ["search", "a", "--all", "b"], ["search", "a", "--all", "--limit", "2"], ["search", "--", "-a"], ["--sess", "d", "list"],
     ["search", "a", "--json"], ["next", "x"], ["--help"]],
)
def test_other_forms_of_the_read_commands_get_the_full_parser(argv: list[str]) -> None:
    from facilitator import cli

    assert cli._read_args(argv) is None


def test_opening_a_meeting_does_not_import_the_markdown_reader() -> None:
    """The engine reads a pasted agenda with agenda_input (markdown, hashlib) on first
    use; importing it at the top put ~5 ms on ``open ID``'s first frame."""
    loads_none_of("import facilitator.engine, facilitator.screens.meeting", ("facilitator.agenda_input", "facilitator.markdown", "hashlib"))


def test_the_meeting_screen_imports_its_overlays_on_first_use() -> None:
    """Presenter, finish and rooms screens are pushed by actions; importing them with the
    meeting screen only slowed ``open ID``'s first frame."""
    loads_none_of("import facilitator.screens.meeting", ("facilitator.screens.presenter", "facilitator.screens.finish", "facilitator.screens.rooms"))


def test_home_and_the_history_list_do_not_import_the_meeting_screen(tmp_path: Path) -> None:
    """Home and the history list never show a meeting: the app finds the open meetings
    (to save them, to give them the check-in suggestions) without importing the meeting
    screen's module, its engine and stage list (memory the history list held for nothing)."""
    from tests.many_sessions import write_sessions

    write_sessions(tmp_path / "s", 30)
    setup = f"""
import asyncio
from pathlib import Path
from facilitator.app import FacilitatorApp
from facilitator.screens.browse import BrowseScreen
from tests.test_app_history import settle, until

async def main():
    app = FacilitatorApp(Path({str(tmp_path / "s")!r}), today=lambda: "2026-11-23", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app._past_loaded)  # the check-in suggestions handed out
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.loaded)
        assert app.screen.query_one("#browse-table").row_count == 30
        app.save_all()

asyncio.run(main())
"""
    code = f"import sys\nsys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})\n{setup}"
    loads_none_of(code, ("facilitator.screens.meeting", "facilitator.engine", "facilitator.widgets.stage_list"))


def test_the_data_layer_loads_neither_uuid_nor_platform() -> None:
    """``open ID`` loads the store and the model before its first frame: uuid (which loads
    platform) was ~2 ms of it for the agenda items' ids, now ``os.urandom``'s."""
    loads_none_of("import facilitator.store, facilitator.templates, facilitator.engine", ("uuid", "platform"))
    from facilitator.model import new_id

    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) == 10 and int(i, 16) >= 0 and i == i.lower() for i in ids)
