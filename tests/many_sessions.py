"""Many sessions fast: the fixtures' meetings written as TOML straight to disk, dates shifted.

Each distinct meeting is rendered to TOML once; every copy is that text with its date
line changed, written without fsync (test and benchmark data, not user data). Used by
the tests' many-session fixtures and by ``benchmarks/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def meeting_texts(seeds: int = 5) -> list[tuple[str, str]]:
    """(TOML text, its date line) of every meeting with sections in the first ``seeds`` fixtures."""
    from facilitator.markdown import parse_document
    from facilitator.store import dumps_session

    out = []
    for path in sorted(FIXTURES.glob("00*_*.txt"))[:seeds]:
        for s in parse_document(path.read_text(encoding="utf-8"), source=path.name).sessions:
            if not s.sections:
                continue
            s.id = "x"
            text = dumps_session(s)
            line = next((ln for ln in text.splitlines() if ln.startswith("date = ")), None)
            if line is not None:
                out.append((text, line))
    return out


def write_sessions(root: Path, n: int, seeds: int = 5, start: dt.date = dt.date(2030, 1, 6)) -> list[str]:
    """Write ``n`` sessions into ``root`` (one a week back from ``start``); their ids, newest first."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    texts = meeting_texts(seeds)
    ids = []
    for k in range(n):
        text, line = texts[k % len(texts)]
        day = (start - dt.timedelta(days=7 * k)).isoformat()
        sid = day
        (root / f"{sid}.toml").write_text(text.replace(line, f'date = "{day}"', 1), encoding="utf-8")
        ids.append(sid)
    return ids
