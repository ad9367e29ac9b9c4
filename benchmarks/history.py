"""Past sessions at scale: 1,000 sessions made from seed 000's meetings, dates shifted.

Prints: writing them; the sessions list's scan cold (no index) and warm (the SQLite index);
building and filtering the list's rows; the sessions list screen in a headless app,
open to rows shown, and one filter keystroke; search from the index file (a fresh
connection) and again; people and stats over all. (benchmarks/scale.py: 10,000, as ratios.)

    .venv/bin/python benchmarks/history.py [N]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator import index, people, search, stats  # noqa: E402
from facilitator.markdown import parse_document  # noqa: E402
from facilitator.screens.browse import filter_rows, rows_of  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "000_bdb6fac8645dbeec.txt"


def timed(fn, repeat: int = 5):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def make_store(root: Path, n: int) -> SessionStore:
    store = SessionStore(root)
    meetings = [s for s in parse_document(SEED.read_text(encoding="utf-8"), source="000.md").sessions if s.sections]
    day = dt.date(2030, 1, 1)
    for k in range(n):
        s = meetings[k % len(meetings)]
        s.date = s.heading = (day - dt.timedelta(days=7 * k)).isoformat()
        s.id = s.date
        store.save(s)
    return store


async def app_list_open(store: SessionStore) -> tuple[float, float]:
    from textual.app import App
    from textual.widgets import Input

    from facilitator.screens.browse import BrowseScreen

    class Host(App):
        def __init__(self) -> None:
            super().__init__()
            self.store = store

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        screen = BrowseScreen(store)
        await app.push_screen(screen)
        while not screen.loaded:
            await asyncio.sleep(0.002)
        await pilot.pause()
        opened = time.perf_counter() - t0
        filt = screen.query_one("#browse-filter", Input)
        t0 = time.perf_counter()
        filt.value = "2029-0"
        await pilot.pause()
        keystroke = time.perf_counter() - t0
        assert screen.shown and all(r.cells[0].startswith("2029-0") for r in screen.shown)
    return opened, keystroke


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sessions"
        t0 = time.perf_counter()
        store = make_store(root, n)
        print(f"sessions: {n} written in {time.perf_counter() - t0:.2f} s "
              f"({sum(p.stat().st_size for p in root.glob('*.toml')) / 1e6:.1f} MB of TOML)")

        t0 = time.perf_counter()
        scan = store.scan()
        print(f"list: cold scan (no index)                {1000 * (time.perf_counter() - t0):8.1f} ms  ({len(scan.sessions)} sessions)")
        warm, scan = timed(store.scan)
        print(f"list: warm scan (from the index)          {1000 * warm:8.1f} ms")
        build, rows = timed(lambda: rows_of(scan))
        print(f"list: rows built                          {1000 * build:8.2f} ms")
        filt, shown = timed(lambda: filter_rows(rows, "2029 cafe"))
        print(f"list: filter '2029 cafe' ({len(shown)} rows)        {1000 * filt:8.2f} ms")
        opened, keystroke = asyncio.run(app_list_open(store))
        print(f"list screen (headless): open to rows shown {1000 * opened:8.1f} ms; one filter keystroke {1000 * keystroke:6.1f} ms")

        index.forget(store.root)
        t0 = time.perf_counter()
        hits = search.search(store, "traefik")
        print(f"search: from the index file (new conn.)   {1000 * (time.perf_counter() - t0):8.1f} ms  ({len(hits)} hits)")
        for q in ("traefik", '"jupyterhub release"', "min", "zzzz"):
            hot, hits = timed(lambda: search.search(store, q))
            print(f"search: again {q!r:26}  {1000 * hot:8.1f} ms  ({len(hits)} hits)")

        t0 = time.perf_counter()
        folks = people.attendance(store)
        print(f"people: over all sessions                 {1000 * (time.perf_counter() - t0):8.1f} ms  ({len(folks)} people)")
        t0 = time.perf_counter()
        summ = stats.summary(store)
        print(f"stats: summary over all sessions          {1000 * (time.perf_counter() - t0):8.1f} ms  ({len(summ)} sessions)")


if __name__ == "__main__":
    main()
