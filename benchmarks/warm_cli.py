"""Warm CLI commands at N sessions, A/B between source trees (not a test; a quicker part of scale.py).

    .venv/bin/python benchmarks/warm_cli.py [--n N] [--rounds R] [TREE ...]

Each TREE is a checkout of this project (default: this one); its ``facilitator`` package is
run through the venv's ``facilitator`` script (as scale.py and a user run it) with the tree
first on ``PYTHONPATH``, on its own copy
of the same N sessions (a kept value in the index names the code that computed it, so two
trees sharing one directory would recompute it every run). Rounds alternate the floor
(``python -c "import sqlite3"``) and each tree's commands, so a loaded machine slows all
of them alike. Prints wall time (min/median) and the children's CPU time (user + sys).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import WARM_COMMANDS as COMMANDS, plant  # noqa: E402  (the same commands and planted word)
from tests.many_sessions import write_sessions  # noqa: E402

PYTHON = sys.executable
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}


ENTRY = str(Path(PYTHON).parent / "facilitator")
# facilitator.listing.RACY_NS in seconds (a constant here: an older tree compared may not have it)
RACY_S = 5.0


def timed(argv: list[str], tree: Path | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    env = CHILD_ENV if tree is None else {**CHILD_ENV, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", default="", help="comma-separated command names, as scale.WARM_COMMANDS names them")
    ap.add_argument("--data", default="", help="keep the sessions here (made once)")
    ap.add_argument("trees", nargs="*")
    a = ap.parse_args()
    trees = [Path(t).resolve() for t in a.trees] or [ROOT]
    cmds = {k: v for k, v in COMMANDS.items() if not a.only or k in a.only.split(",")}
    with tempfile.TemporaryDirectory() as d:
        base = Path(a.data) if a.data else Path(d)
        dirs = []
        for n, tree in enumerate(trees):
            many = base / f"many{n}"
            if not many.is_dir():
                write_sessions(many, a.n)
                plant(many)
            dirs.append(many)
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, n={a.rounds}")

        def argv(tree_n: int, cmd: list[str]) -> list[str]:
            return [ENTRY, "--sessions", str(dirs[tree_n]), *cmd]

        for t, tree in enumerate(trees):  # warm: index built, kept values computed, .pyc written
            for cmd in cmds.values():
                timed(argv(t, cmd), tree)
        # As a later run finds the directories: last changed more than the listing's racy
        # margin before (facilitator.listing.RACY_NS), so a tree that keeps the names uses them.
        newest = max(many.stat().st_mtime for many in dirs)
        time.sleep(max(0.0, RACY_S + 0.2 - (time.time() - newest)))
        for t, tree in enumerate(trees):
            for cmd in cmds.values():
                timed(argv(t, cmd), tree)
        floor: list[tuple[float, float]] = []
        res = {(t, k): [] for t in range(len(trees)) for k in cmds}
        for _ in range(a.rounds):
            floor.append(timed([PYTHON, "-c", "import sqlite3"]))
            for k, cmd in cmds.items():
                for t, tree in enumerate(trees):
                    res[(t, k)].append(timed(argv(t, cmd), tree))
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        def fmt(vals: list[tuple[float, float]]) -> str:
            w = [v[0] * 1e3 for v in vals]
            c = [v[1] * 1e3 for v in vals]
            return f"wall {min(w):4.0f}/{statistics.median(w):4.0f}  cpu {min(c):4.0f}/{statistics.median(c):4.0f}"

        fw = statistics.median(v[0] for v in floor)
        fc = statistics.median(v[1] for v in floor)
        print(f"{'floor import sqlite3':<24} {fmt(floor)}")
        for k in cmds:
            for t, tree in enumerate(trees):
                vals = res[(t, k)]
                rw = statistics.median(v[0] for v in vals) / fw
                rc = statistics.median(v[1] for v in vals) / fc
                print(f"{k:<16} {tree.name:<10} {fmt(vals)}  ratio wall {rw:5.2f}x cpu {rc:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
