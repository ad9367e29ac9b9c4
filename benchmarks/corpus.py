"""Benchmark (not a test): import throughput on a directory of other teams' notes, as a
ratio to markdown-it-py's own parse of the same text.

    make bench                                   # part of it
    .venv/bin/python benchmarks/corpus.py [DIR ...]

DIR defaults to tests/fixtures/corpus (the hand-checked corpus of other communities'
notes), or, where that is missing, the seeds and archives in tests/fixtures. Every
``*.md``/``*.txt`` file under DIR is read once; the timed parts are:

- parse: ``markdown.parse_document`` of every file (the import's reading: template
  detection, date reading, splitting, sections, and the typed text kept for teams
  without mdformat);
- floor: ``MarkdownIt("commonmark").parse`` of the same texts (block and inline rules);
- import: ``importer.import_file`` of every file into a fresh sessions directory
  (parse plus writing one TOML file per meeting, fsynced): end to end, for scale.

The date cache (``dates.find_date``) is emptied before each parse round, so a round costs
what one import of those files costs, not a re-read of text already seen. Rounds are interleaved so load elsewhere on the machine hits each alike; prints n and
min/median per part.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402

from facilitator import dates, importer, markdown  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402

ROUNDS = 9


def default_paths() -> list[Path]:
    corpus = ROOT / "tests" / "fixtures" / "corpus"
    if corpus.is_dir():
        return [corpus]
    return [ROOT / "tests" / "fixtures"]


def collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_file():
            files.append(p)
        else:
            files.extend(f for f in sorted(p.rglob("*")) if f.suffix in (".md", ".txt") and f.name != "README.md")
    return files


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or default_paths()
    files = collect(paths)
    if not files:
        print(f"no .md/.txt files under {', '.join(map(str, paths))}")
        return 1
    texts = [(f, f.read_text(encoding="utf-8")) for f in files]
    size = sum(len(t.encode()) for _, t in texts)
    floor_md = MarkdownIt("commonmark")

    def parse() -> int:
        dates.find_date.cache_clear()  # each round reads every heading afresh, as a first import does
        meetings = 0
        for f, t in texts:
            meetings += len(markdown.parse_document(t, source=f.name, path=str(f)).sessions)
        return meetings

    def floor() -> None:
        for _, t in texts:
            floor_md.parse(t)

    def full_import() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            st = SessionStore(Path(tmp))
            for f, _ in texts:
                importer.import_file(st, f, date="2000-01-01")  # the day of meetings that give none

    meetings = parse()
    floor()
    times: dict[str, list[float]] = {"parse": [], "floor": [], "import": []}
    for n in range(ROUNDS):
        for key, fn in (("parse", parse), ("floor", floor), ("import", full_import)):
            if key == "import" and n >= 3:
                continue  # disk-bound: three rounds are enough
            t = time.perf_counter()
            fn()
            times[key].append(time.perf_counter() - t)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    where = ", ".join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in paths)
    print(f"corpus {where}: {len(files)} files, {size / 1e3:.1f} KB, {meetings} meetings")
    for key, label in (
        ("parse", "parse_document"),
        ("floor", 'MarkdownIt("commonmark").parse'),
        ("import", "import_file (parse + save, fsync)"),
    ):
        v = times[key]
        med = statistics.median(v)
        print(
            f"  {label:<36} n={len(v)}  min {min(v) * 1e3:7.1f} ms  median {med * 1e3:7.1f} ms  "
            f"({size / 1e6 / med:.2f} MB/s)"
        )
    p, f = times["parse"], times["floor"]
    print(
        f"  ratio parse_document / markdown-it parse: median {statistics.median(p) / statistics.median(f):.2f}x, "
        f"min {min(p) / min(f):.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
