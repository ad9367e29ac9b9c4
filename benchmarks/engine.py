"""The meeting engine without Textual: a whole 2026 Cafe (check-in to Markdown) per run.

Prints the median of the engine run (stages, timers, rooms, list changes) and of the same
run's Markdown step alone (mdformat), which is its floor.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.archive import archive_markdown  # noqa: E402
from facilitator.engine import Meeting  # noqa: E402
from facilitator.model import SectionKind  # noqa: E402
from facilitator.rooms import RoomPlan  # noqa: E402
from facilitator.templates import get_template, new_session  # noqa: E402

RUNS = 30


def run_meeting() -> tuple[float, float]:
    t = [1000.0]
    tpl = get_template("collab-cafe-2025")
    m = Meeting(new_session(tpl, "2026-06-16", date="2026-06-16"), tpl, lambda: t[0], lambda: 1.78e9 + t[0])
    start = time.perf_counter()
    checkin = next(m.session.sections_of(SectionKind.CHECKIN))
    for n in range(12):
        m.add_entry(checkin, f"Person {n} (they/them) / @p{n} / Org {n} / City")
    ice = next(s for s in m.session.sections if "Ice" in s.heading)
    for n in range(8):
        m.add_entry(ice, f"Person {n}: a book")
    items = [m.add_item(f"Topic {n}", notes="- +1 from Person 1") for n in range(4)]
    rooms = m.open_rooms([RoomPlan(i.text, host="Person 0") for i in items], 30)
    for r in rooms:
        for n in range(20):
            m.set_body(r, r.body + f"- note {n} https://example.org/{n}\n")
    t[0] += 25 * 60
    m.extend_rooms(300)
    m.bring_back()
    for i in items:
        m.start(i)
        t[0] += 300
    m.finish()
    engine = time.perf_counter() - start
    md_start = time.perf_counter()
    archive_markdown(m.session, tpl)
    return engine, time.perf_counter() - md_start


def main() -> None:
    run_meeting()  # warm imports and caches
    engine, md = zip(*(run_meeting() for _ in range(RUNS)))
    print(f"engine: whole meeting without Markdown  {statistics.median(engine) * 1000:.2f} ms (median of {RUNS})")
    print(f"floor:  its Markdown (mdformat)          {statistics.median(md) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
