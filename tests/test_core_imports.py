"""The core must import without Textual, so the CLI starts fast and the logic stays testable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import facilitator

# Every top-level module of the package is core except the Textual layer (app.py,
# screens/, widgets/) and __main__ (which runs the program when imported).
PACKAGE = Path(facilitator.__file__).parent
NOT_CORE = {"app", "__main__"}
CORE_MODULES = sorted(
    f"facilitator.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem not in NOT_CORE and p.stem != "__init__"
)


def test_the_core_is_what_we_think() -> None:
    """A guard against the glob silently finding nothing (and so testing nothing)."""
    for mod in ("facilitator.model", "facilitator.store", "facilitator.index", "facilitator.markdown", "facilitator.cli"):
        assert mod in CORE_MODULES


@pytest.mark.parametrize("mod", ["facilitator", *CORE_MODULES])
def test_core_module_does_not_import_textual(mod: str) -> None:
    code = (
        f"import sys, {mod}; "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('textual'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_app_and_home_import_without_the_data_layer() -> None:
    """The first frame comes before the store, model and TOML writer are imported (app.py
    makes the store on first use); a screen module importing them at the top undoes that."""
    code = (
        "import sys, facilitator.app, facilitator.screens.home; "
        "bad = [m for m in ('facilitator.store', 'facilitator.model', 'tomli_w') if m in sys.modules]; "
        "assert not bad, bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
