"""Benchmarks (not tests): prints figures, each beside the floor measured in the same run.

    make bench        # or: .venv/bin/python benchmarks/run.py

(a) import of a ~2 MB archive with parse_document, beside markdown-it-py's own parse of
    the same text split per meeting (the floor);
(b) render_session of a 100-item session;
(c) one atomic autosave (SessionStore.save), beside tomli_w.dumps + write + fsync +
    os.replace of the same dict done inline;
(d) export: render + archive insert into the 2 MB archive.
Medians of time.perf_counter.
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

import tomli_w  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from facilitator import markdown  # noqa: E402
from facilitator.archive import insert_meeting  # noqa: E402
from facilitator.model import AgendaItem, Attendee  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402
from facilitator.templates import get_template, new_session  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "000_bdb6fac8645dbeec.txt"


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def big_archive(target_bytes: int = 2_000_000) -> str:
    seed = SEED.read_text(encoding="utf-8")
    h1, body = seed.split("\n", 1)
    parts, year = [h1 + "\n"], 2024
    while sum(map(len, parts)) < target_bytes:
        parts.append(body.replace("2024-", f"{year}-"))
        year -= 1
    return "\n".join(parts)


def meeting_chunks(text: str) -> list[str]:
    lines = text.split("\n")
    starts = [n for n, _lvl, _h in markdown._split_meetings(lines)]
    return ["\n".join(lines[s + 1 : e]) for s, e in zip(starts, starts[1:] + [len(lines)])]


def bench_import(text: str) -> dict[str, float]:
    chunks = meeting_chunks(text)
    floor_md = MarkdownIt("commonmark")

    def floor() -> None:
        for chunk in chunks:
            floor_md.parse(chunk)  # tokens dropped after each meeting

    def ours() -> None:
        markdown.parse_document(text, source="bench.md")

    block_only = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")

    def blocks_only() -> None:  # what parse_document needs: block tokens and their line maps
        for chunk in chunks:
            block_only.parse(chunk)

    ours()
    floor()
    # Interleaved, so that load from elsewhere on the machine hits both alike.
    times: dict[str, list[float]] = {"ours": [], "floor": [], "block_only": []}
    for _ in range(7):
        for key, fn in (("ours", ours), ("floor", floor), ("block_only", blocks_only)):
            times[key].append(median_time(fn, 1))
    return {
        "meetings": len(chunks),
        "mb": len(text.encode()) / 1e6,
        **{key: statistics.median(v) for key, v in times.items()},
    }


def hundred_item_session():
    tpl = get_template("collab-cafe")
    items = [
        AgendaItem(
            text=tpl.agenda_text(f"Person {n}", 5 + n % 10, f"Topic number {n} with a link https://example.org/{n}"),
            notes=f"first note {n}\n  a detail\n  another https://x.org/{n}\nsecond note",
        )
        for n in range(100)
    ]
    s = new_session(tpl, "2024-11-19", "2024-11-19", agenda=items)
    s.sections[0].attendees = [Attendee(f"Person {n} / @p{n} / Org {n % 7}") for n in range(12)]
    s.sections[1].entries = ["A release went out!", "Thanks to everyone who reviewed"]
    return s


def typical_session():
    text = SEED.read_text(encoding="utf-8")
    s = markdown.parse_document(text, source="000.txt").sessions[0]  # 9 people, 6 items
    s.id = "2024-11-19"
    s.status = "live"
    return s


def bench_save(s, repeat: int = 200) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        st = SessionStore(Path(tmp))
        st.save(s)
        ours = median_time(lambda: st.save(s), repeat)
        path = Path(tmp) / "floor.toml"

        def floor() -> None:
            data = s.to_dict()
            text = tomli_w.dumps(data, multiline_strings=True)
            tmp_path = path.with_suffix(".tmp")
            with open(tmp_path, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp_path, path)

        floor()
        fl = median_time(floor, repeat)
        size = st.path_for(s.id).stat().st_size
    return {"ours": ours, "floor": fl, "bytes": size}


def main() -> int:
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    text = big_archive()
    r = bench_import(text)
    ratio = r["ours"] / r["floor"]
    print(
        f"(a) import {r['mb']:.2f} MB, {r['meetings']} meetings: parse_document {r['ours'] * 1e3:.0f} ms "
        f"({r['mb'] / r['ours']:.2f} MB/s); floor markdown-it parse per meeting {r['floor'] * 1e3:.0f} ms "
        f"({r['mb'] / r['floor']:.2f} MB/s); ratio {ratio:.2f}x (target <= 1.5x)"
    )
    print(
        f"    for reference: markdown-it block rules only (inline disabled) {r['block_only'] * 1e3:.0f} ms "
        f"({r['mb'] / r['block_only']:.2f} MB/s)"
    )
    s = hundred_item_session()
    markdown.render_session(s)
    t = median_time(lambda: markdown.render_session(s), 20)
    t_raw = median_time(lambda: markdown.render_session(s, formatted=False), 20)
    print(f"(b) render_session, 100 items: {t * 1e3:.1f} ms (of which layout before mdformat {t_raw * 1e3:.2f} ms)")
    big = hundred_item_session()
    big.id = "big-session"
    for label, session in (("a typical session", typical_session()), ("a 100-item session", big)):
        sv = bench_save(session)
        print(
            f"(c) autosave of {label} ({sv['bytes'] / 1024:.1f} KB): store.save {sv['ours'] * 1e3:.2f} ms; "
            f"floor dumps+write+fsync+replace {sv['floor'] * 1e3:.2f} ms; ratio {sv['ours'] / sv['floor']:.2f}x "
            "(target < 5 ms)"
        )
    archive_text = markdown.mdformat_text(text)
    new = typical_session()
    new.date = new.heading = "2025-01-21"  # a new meeting on top of the 2 MB archive

    def export() -> None:
        insert_meeting(archive_text, new)

    export()
    te = median_time(export, 20)
    tr = median_time(lambda: markdown.render_session(new), 20)
    print(f"(d) export into the {len(archive_text.encode()) / 1e6:.2f} MB archive: {te * 1e3:.1f} ms (render alone {tr * 1e3:.1f} ms)")
    if ratio > 1.5:
        print("import is over 1.5x the floor: profile with  python -m cProfile -s cumtime benchmarks/run.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
