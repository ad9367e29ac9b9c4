"""Snapshots of the facilitator's week: the prepare screen and the pad merge's preview.

At 120x40 and 80x24, with the injected clock and today of ``test_app_snapshots``. The pad
file is named relative to the working directory so the path in the box is the same on
every machine. Regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.model import AgendaItem, Attendee
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_app_snapshots import SIZES, make_app, settle, snapshot_clock, utc  # noqa: F401 - utc is autouse
from tests.test_padmerge import ETHERPAD

ROOMS = "\nNotes for Breakout room 1: Jupyter Hub\n\n- 5.0 release checklist\n\nNotes for Pangeo\n\n- cloud costs\n"


def seed(sessions_dir: Path) -> str:
    tpl = get_template("collab-cafe")
    s = new_session(tpl, "2026-06-16", "2026-06-16", agenda=[AgendaItem(tpl.agenda_text("Min", 10, "Release"), notes="- shipped 5.0")])
    s.sections[0].attendees.append(Attendee("[b]Bob[/] / @bob / Markup Inc"))
    s.issue = "812"
    SessionStore(sessions_dir).save(s)
    return s.id


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_prepare_screen(snap_compare, sessions_dir, size):
    seed(sessions_dir)
    app = make_app(sessions_dir, snapshot_clock())

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+t")  # the highlighted (only) session
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "PrepareScreen"

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_merge_pad_preview(snap_compare, sessions_dir, tmp_path, monkeypatch, size):
    seed(sessions_dir)
    (tmp_path / "pad.txt").write_text(ETHERPAD + ROOMS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    app = make_app(sessions_dir, snapshot_clock())

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "MergePadScreen"
        await pilot.press(*"pad.txt")
        await pilot.press("ctrl+l")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
