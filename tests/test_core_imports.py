"""The core must import without Textual, so the CLI starts fast and the logic stays testable."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

CORE_MODULES = [
    "facilitator.model",
    "facilitator.lines",
    "facilitator.store",
    "facilitator.paths",
    "facilitator.clipboard",
    "facilitator.clock",
    "facilitator.templates",
    "facilitator.markdown",
    "facilitator.archive",
    "facilitator.cli",
]


@pytest.mark.parametrize("mod", CORE_MODULES)
def test_core_module_does_not_import_textual(mod: str) -> None:
    if importlib.util.find_spec(mod) is None:
        pytest.skip(f"{mod} does not exist yet")
    code = (
        f"import sys, {mod}; "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('textual'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
