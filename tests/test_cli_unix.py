"""The CLI behaves like a well-kept Unix tool: --version, exit codes, no app without a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import facilitator
from tests.test_cli import run_cli

ROOT = Path(__file__).parent.parent
BASE = [sys.executable, "-m", "facilitator"]



def test_version_prints_the_packages_version() -> None:
    r = subprocess.run([*BASE, "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == ""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert r.stdout == f"facilitator {version}\n"
    assert facilitator.__version__ == version


@pytest.mark.parametrize("args", [[], ["open", "2024-11-19"]])
def test_the_app_without_a_terminal_says_so_and_exits_1(tmp_path: Path, args: list[str]) -> None:
    sessions = tmp_path / "s"
    subprocess.run([*BASE, "--sessions", str(sessions), "--demo", "list"], capture_output=True, timeout=60, check=True)
    r = subprocess.run(
        [*BASE, "--sessions", str(sessions), *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=60
    )
    assert r.returncode == 1
    assert r.stdout == b""  # no escape codes into the pipe
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitator: error: the app needs a terminal"), r.stderr
    assert b"\x1b" not in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_a_terminal_on_stdin_only_is_not_enough(tmp_path: Path) -> None:
    import pty

    master, slave = pty.openpty()
    try:
        r = subprocess.run(
            [*BASE, "--sessions", str(tmp_path / "s")], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert r.returncode == 1 and r.stdout == b""
    assert b"needs a terminal" in r.stderr


def test_exit_codes_usage_2_other_errors_1(sessions_dir: Path) -> None:
    for args in (["bogus"], ["show"], ["list", "--nope"], ["--sessions"]):
        rc, out, err = run_cli(*args)
        assert rc == 2, args
        # argparse's convention: "facilitator[ COMMAND]: error: ..." on one line
        assert err.startswith("facilitator") and ": error: " in err and len(err.splitlines()) == 1, err
    rc, out, err = run_cli("--sessions", sessions_dir, "show", "2031-01-01")
    assert rc == 1 and err.startswith("facilitator: error: ") and len(err.splitlines()) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is the Linux rule")
def test_default_sessions_dir_is_the_user_data_dir_not_the_cwd(tmp_path: Path, fixtures_dir: Path) -> None:
    work = tmp_path / "anywhere"
    (work / "sessions").mkdir(parents=True)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("FACILITATOR_SESSIONS", None)
    r = subprocess.run(
        [*BASE, "import", str(fixtures_dir / "archives" / "collab-cafe-2024.md")],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    data_sessions = tmp_path / "data" / "facilitator" / "sessions"
    assert sorted(p.stem for p in data_sessions.glob("*.toml")) == sorted(r.stdout.split())
    assert list((work / "sessions").iterdir()) == []
    env["FACILITATOR_SESSIONS"] = str(work / "sessions")  # the variable still wins
    r = subprocess.run([*BASE, "list"], cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "" and "no sessions in" in r.stderr
