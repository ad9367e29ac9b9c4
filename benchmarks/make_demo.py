"""Regenerate the demo sessions: seed 000 (the 2024 Collaboration Cafe archive) imported,
plus the next meeting (2024-12-17) planned from the last one, ready to run.

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
from facilitator.model import AgendaItem  # noqa: E402
from facilitator.nextmeeting import plan_next  # noqa: E402
from facilitator.store import SessionStore  # noqa: E402
from facilitator.templates import get_template  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "000_bdb6fac8645dbeec.txt"
TARGETS = [ROOT / "facilitator" / "demo", ROOT / "sessions"]
PLANNED = "2024-12-17"
# The demo's next meeting: follow-ups of threads the 2024 archive left open.
PLANNED_AGENDA = [
    ("Min", 10, "JupyterHub images: follow-up on <https://github.com/jupyterhub/jupyterhub/issues/4954>"),
    ("Simon", 10, "Integrating jhsingle-native-proxy: status of the PRs"),
    ("Erik", 5, "Releases planned before the holidays"),
    ("Sarah", 10, "Spreading meeting facilitation: a rota for 2025"),
]


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
    tpl = get_template("collab-cafe")
    last = st.load(max(ids))
    planned = plan_next(st, last, date=PLANNED)
    agenda = next(sec for sec in planned.sections if sec.kind == "agenda")
    for n, (owner, minutes, title) in enumerate(PLANNED_AGENDA):
        item_text = tpl.agenda_text(owner, minutes, title)
        item_id = hashlib.sha1(f"{planned.id}/{n}".encode()).hexdigest()[:10]
        agenda.items.append(AgendaItem(text=item_text, id=item_id))
    st.save(planned)
    ids.append(planned.id)
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
