"""The prepare screen (Pilot): from home and the palette, previews as literal text, one key copies."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TabbedContent, TextArea

from facilitator.clipboard import CopyResult
from facilitator.screens.prepare import PrepareScreen
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from tests.test_app_history import settle, until
from tests.conftest import FakeClock
from tests.test_app_meeting import make_app


def planned(sessions_dir: Path, checkin: str = "[b]Bob[/] / @bob / X") -> SessionStore:
    st = SessionStore(sessions_dir)
    tpl = get_template("collab-cafe")
    s = new_session(tpl, "2026-06-16", "2026-06-16")
    s.sections[0].attendees.append(__import__("facilitator.model", fromlist=["Attendee"]).Attendee(checkin))
    s.issue = "812"
    st.save(s)
    return st


async def test_prepare_from_home_copies_each_text_with_one_key(sessions_dir: Path, tmp_path: Path) -> None:
    planned(sessions_dir)
    copied: list[str] = []

    def copy(text: str) -> CopyResult:
        copied.append(text)
        return CopyResult(True, "system clipboard", "copied")

    app = make_app(sessions_dir, FakeClock(), tmp_path)
    app.copy_function = copy
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        await until(pilot, lambda: home.session_ids == ["2026-06-16"])
        home.query_one("#sessions", OptionList).highlighted = 0
        assert "Prepare (issue, pad, reminders)" in [c.title for c in app.get_system_commands(home)]
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PrepareScreen)
        issue = screen.query_one("#text-issue", TextArea).text
        assert issue.startswith("JupyterHub and JupyterBook Collab Cafe | 2026-06-16\n\n")
        pad = screen.query_one("#text-pad", TextArea).text
        assert "- [b]Bob[/] / @bob / X" in pad  # user text shown literally
        assert "GitHub issue: https://github.com/jupyterhub/team-compass/issues/812" in pad
        await pilot.press("2")
        await pilot.press("4")
        await settle(pilot)
        assert copied[0] == pad and copied[1].startswith("Reminder: the Collaboration Cafe is tomorrow")
        assert screen.query_one("#prepare-tabs", TabbedContent).active == "tab-remind-1d"
        assert "Copied the reminder a day before" in str(screen.query_one("#prepare-status").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home


async def test_prepare_without_team_settings_says_which_is_missing(sessions_dir: Path, tmp_path: Path) -> None:
    st = SessionStore(sessions_dir)
    tpl = get_template("2i2c")  # no [team] table
    st.save(new_session(tpl, "2026-06-16", "2026-06-16"))
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = PrepareScreen(st.load("2026-06-16"), tpl)
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.query_one("#text-issue", TextArea).text.startswith("Cannot write this yet:")
        await pilot.press("1")
        await settle(pilot)
        assert screen.copied == []
        assert "no team.time set" in str(screen.query_one("#prepare-status").render())


async def test_finish_archive_and_commit_then_the_next_meeting(sessions_dir: Path, tmp_path: Path, git_env) -> None:
    from facilitator.model import AgendaItem
    from facilitator.screens.archived import ArchivedScreen
    from tests.conftest import git
    from tests.test_app_meeting import go_to_item

    checkout = tmp_path / "team-compass"
    (checkout / "docs/meetings/collab-cafe").mkdir(parents=True)
    archive = checkout / "docs/meetings/collab-cafe/2025.md"
    archive.write_text("# 2025 Collaboration Cafe Notes Archive\n", encoding="utf-8")
    git(checkout, "init", "-q")
    git(checkout, "add", ".")
    git(checkout, "commit", "-q", "-m", "start")
    tpl = get_template("collab-cafe")
    s = new_session(tpl, "2025-01-21", "2025-01-21", agenda=[
        AgendaItem(tpl.agenda_text("Min", 10, "Federation")), AgendaItem(tpl.agenda_text("Erik", 5, "Ports")),
    ])
    s.issue = "900"
    SessionStore(sessions_dir).save(s)
    app = make_app(sessions_dir, FakeClock(), checkout, open_id="2025-01-21")
    async with app.run_test(size=(100, 30)) as pilot:
        m = await go_to_item(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "FinishScreen"
        await until(pilot, lambda: app.screen.markdown is not None)
        await pilot.press("ctrl+g")
        await settle(pilot)
        done = app.screen
        assert isinstance(done, ArchivedScreen), str(app.screen)
        assert git(checkout, "branch", "--show-current").strip() == "collaboration-cafe-notes-2025-01-21"
        assert git(checkout, "log", "-1", "--format=%s").strip() == "Collaboration Cafe notes: 2025-01-21"
        assert "## 2025-01-21" in archive.read_text(encoding="utf-8")
        pr = done.query_one("#archived-pr", TextArea).text
        assert pr.startswith("Collaboration Cafe notes: 2025-01-21\n\n") and "Closes #900" in pr
        await pilot.press("n")
        await settle(pilot)
        nxt = app.screen
        assert isinstance(nxt, PrepareScreen)
        assert nxt.session.date == "2025-02-04"  # the Cafe's next first-or-third Tuesday
        assert [i.title for i in nxt.session.agenda_items if i.carried_from] == ["Federation", "Ports"]  # never run: both carried
        assert nxt.query_one("#text-issue", TextArea).text.startswith("JupyterHub and JupyterBook Collab Cafe | 2025-02-04")
        assert m.session.archived_in == str(archive)


async def test_merge_the_pad_back_from_a_file_with_a_preview(sessions_dir: Path, tmp_path: Path) -> None:
    from textual.widgets import Input

    from facilitator.screens.merge_pad import MergePadScreen
    from tests.test_padmerge import ETHERPAD

    st = planned(sessions_dir)
    pad = tmp_path / "pad.txt"
    pad.write_text(ETHERPAD, encoding="utf-8")
    app = make_app(sessions_dir, FakeClock(), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(PrepareScreen(st.load("2026-06-16"), get_template("collab-cafe")))
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MergePadScreen)
        screen.query_one("#pad-path", Input).value = str(pad)
        await pilot.press("ctrl+l")
        await settle(pilot)
        preview = screen.query_one("#merge-preview", TextArea).text
        assert "+ attendee: Min / @minrk / Simula" in preview and "+ item: **Erik (5m):** Ports" in preview
        assert [a.handle for a in st.load("2026-06-16").attendees] == ["bob"]  # nothing yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.applied
        assert [a.handle for a in st.load("2026-06-16").attendees] == ["bob", "minrk", "sgibson91"]
        await pilot.press("ctrl+l")  # the same pad again: nothing new
        await settle(pilot)
        assert screen.query_one("#merge-preview", TextArea).text == "The pad adds nothing new."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(st.load("2026-06-16").attendees) == 3


async def _finish_screen(pilot):
    from tests.test_app_meeting import go_to_item

    await go_to_item(pilot)
    await pilot.press("f10")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "FinishScreen"
    await until(pilot, lambda: pilot.app.screen.markdown is not None)
    return pilot.app.screen


async def test_finish_ctrl_r_writes_where_the_cli_archive_would(sessions_dir: Path, tmp_path: Path, git_env, monkeypatch) -> None:
    from facilitator.model import AgendaItem
    from tests.conftest import git

    tpl = get_template("collab-cafe")
    st = SessionStore(sessions_dir)
    st.save(new_session(tpl, "2025-01-21", "2025-01-21", agenda=[AgendaItem(tpl.agenda_text("Min", 10, "Federation"))]))
    plain = tmp_path / "not-a-checkout"
    plain.mkdir()
    monkeypatch.chdir(plain)

    # outside a git checkout: one clear line in the status, nothing created here
    app = make_app(sessions_dir, FakeClock(), plain, open_id="2025-01-21")
    async with app.run_test(size=(100, 30)) as pilot:
        f = await _finish_screen(pilot)
        assert "No archive checkout" in str(f.query_one("#finish-status").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "No archive checkout" in str(f.query_one("#finish-status").render())
        assert f.query_one("#finish-status").has_class("-error")
    assert list(plain.iterdir()) == []  # never docs/meetings/... under the current directory

    # a real checkout without the year's file: stops as the CLI does, creates nothing
    checkout = tmp_path / "team-compass"
    checkout.mkdir()
    (checkout / "README.md").write_text("team\n", encoding="utf-8")
    git(checkout, "init", "-q")
    app = make_app(sessions_dir, FakeClock(), checkout, open_id="2025-01-21")
    async with app.run_test(size=(100, 30)) as pilot:
        f = await _finish_screen(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        status = str(f.query_one("#finish-status").render())
        assert "No archive checkout" in status and "team.checkout" in status
    assert not (checkout / "docs").exists()

    # with the year's file: ctrl+r inserts the meeting there
    archive = checkout / "docs/meetings/collab-cafe/2025.md"
    archive.parent.mkdir(parents=True)
    archive.write_text("# 2025 Collaboration Cafe Notes Archive\n", encoding="utf-8")
    app = make_app(sessions_dir, FakeClock(), checkout, open_id="2025-01-21")
    async with app.run_test(size=(100, 30)) as pilot:
        f = await _finish_screen(pilot)
        assert f.query_one("#archive-path").value == str(archive)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert str(archive) in str(f.query_one("#finish-status").render())
    text = archive.read_text(encoding="utf-8")
    assert text.startswith("# 2025 Collaboration Cafe Notes Archive\n\n## 2025-01-21") and "Federation" in text
    assert st.load("2025-01-21").archived_in == str(archive)


async def test_finish_ctrl_g_outside_a_checkout_says_so_and_writes_nothing(sessions_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from facilitator.model import AgendaItem

    tpl = get_template("collab-cafe")
    SessionStore(sessions_dir).save(new_session(tpl, "2025-01-21", "2025-01-21", agenda=[AgendaItem(tpl.agenda_text("Min", 10, "Federation"))]))
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    app = make_app(sessions_dir, FakeClock(), plain, open_id="2025-01-21")
    async with app.run_test(size=(80, 24)) as pilot:
        f = await _finish_screen(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.screen is f  # no commit screen
        status = str(f.query_one("#finish-status").render())
        assert status.startswith("No archive checkout") and "--repo" not in status
    assert list(plain.iterdir()) == []
