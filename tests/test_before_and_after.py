"""Before and after the call: the agenda as typed (no line dropped), the ice breaker, and
open actions carried into the next meeting with their owners."""

from __future__ import annotations

from pathlib import Path


from facilitator.agenda_input import read_agenda
from facilitator.icebreaker import icebreaker_section
from facilitator.markdown import render_session
from facilitator.model import AgendaItem
from facilitator.nextmeeting import plan_next
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_cli import run_cli



def test_indented_lines_become_sub_bullets_of_the_item_above() -> None:
    read = read_agenda("**Min (10m):** Alpha\n    **Yuvi (10 min):** A\n      deeper\nBeta\n", get_template("collab-cafe"))
    assert [(i.text, i.notes) for i in read.items] == [
        ("**Min (10m):** Alpha", "- **Yuvi (10 min):** A\n  - deeper"),
        ("Beta", ""),
    ]
    assert read.messages == ["indented lines became sub-bullets of the item above (1 item)"]


def test_an_indented_first_line_is_kept_with_a_word() -> None:
    read = read_agenda("    **Yuvi (10 min):** A\nB", get_template("collab-cafe"))
    assert [i.text for i in read.items] == ["**Yuvi (10 min):** A", "B"]
    assert "line 1 is indented" in read.messages[0]


def test_bullets_still_read_as_markdown_and_nothing_is_lost() -> None:
    read = read_agenda("- **Min (10m):** A\n  - note\n- B\n\n    code-looking line\n", get_template("collab-cafe"))
    texts = [i.text for i in read.items]
    assert texts[:2] == ["**Min (10m):** A", "B"] and read.items[0].notes == "- note"
    assert any("code-looking line" in (i.text + i.notes) for i in read.items)


def test_new_with_indented_agenda_on_stdin_warns_and_keeps_every_line(sessions_dir: Path) -> None:
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--date", "2026-06-16", "--agenda", "-",
                           stdin="**Min (10m):** Alpha\n    **Yuvi (10 min):** A\n")
    assert rc == 0, err
    assert "sub-bullets" in err
    s = SessionStore(sessions_dir).load(out.strip())
    assert [(i.text, i.notes) for i in s.agenda_items] == [("**Min (10m):** Alpha", "- **Yuvi (10 min):** A")]


def test_icebreaker_from_the_template_and_from_new(sessions_dir: Path) -> None:
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "x", date="2026-06-16")
    assert icebreaker_section(s).intro.endswith("?")
    rc, out, err = run_cli("--sessions", sessions_dir, "new", "--template", "collab-cafe-2025", "--date", "2026-06-16",
                           "--icebreaker", "What book are you enjoying?")
    assert rc == 0, err
    s = SessionStore(sessions_dir).load(out.strip())
    ice = icebreaker_section(s)
    ice.entries = ["Min: latest Murderbot"]
    md = render_session(s, tpl)
    assert "### Ice breaker 🧊⛏️\n\nWhat book are you enjoying?\n\n- Min: latest Murderbot\n" in md
    rc, _, err = run_cli("--sessions", sessions_dir, "new", "--template", "collab-cafe", "--icebreaker", "Q?")
    assert rc == 1 and "no ice breaker" in err


def test_next_meeting_carries_open_actions_with_their_owners(sessions_dir: Path) -> None:
    tpl = get_template("collab-cafe-2025")
    s = new_session(tpl, "2026-06-02", date="2026-06-02")
    s.sections[-1].items.append(AgendaItem(text="**Min (10m):** Hub", status="done",
                                           notes="- Action: @minrk to merge #5192\n- [x] Action: @yuvipanda blog post\n- Decision: ship"))
    store = SessionStore(sessions_dir)
    new = plan_next(store, s)
    carried = [i for i in new.agenda_items if i.title.startswith("Open actions")]
    assert len(carried) == 1 and carried[0].carried_from == "2026-06-02"
    assert carried[0].notes == "- Action: @minrk to merge #5192"  # the done one and the decision stay behind
