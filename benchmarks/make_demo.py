"""Regenerate the demo sessions: seed 000 (the 2024 Collaboration Cafe archive) imported.

Writes ``facilitator/demo/*.toml`` (package data, seeded by ``facilitator --demo``) and the
same files into the repo's ``sessions/``. Agenda item ids are made deterministic so that
rerunning this script changes nothing.

    .venv/bin/python benchmarks/make_demo.py
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator.cli import main  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "000_bdb6fac8645dbeec.txt"
TARGETS = [ROOT / "facilitator" / "demo", ROOT / "sessions"]


def build(out: Path) -> list[str]:
    rc = main(["--sessions", str(out), "import", str(SEED)])
    if rc:
        raise SystemExit(f"import failed ({rc})")
    st = SessionStore(out)
    ids = []
    for summary, session in list(st.load_all()):
        for n, item in enumerate(session.agenda_items):
            item.id = hashlib.sha1(f"{session.id}/{n}".encode()).hexdigest()[:10]
        st.save(session)
        ids.append(session.id)
    return sorted(ids)


def main_() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ids = build(Path(tmp))
        for target in TARGETS:
            target.mkdir(parents=True, exist_ok=True)
            for old in target.glob("*.toml"):
                old.unlink()
            for sid in ids:
                shutil.copyfile(Path(tmp) / f"{sid}.toml", target / f"{sid}.toml")
            print(f"{len(ids)} sessions -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
