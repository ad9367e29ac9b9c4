"""The archive in the team's git checkout, and the commit for the pull request (real git)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.store import SessionStore
from tests.conftest import git
from tests.test_cli import _import_seed, assert_one_error, run_cli

ARCHIVE = "docs/meetings/collab-cafe/2024.md"



@pytest.fixture
def checkout(tmp_path: Path, git_env) -> Path:
    root = tmp_path / "team-compass"
    root.mkdir()
    git(root, "init", "-q")
    (root / "docs/meetings/collab-cafe").mkdir(parents=True)
    (root / ARCHIVE).write_text("# 2024 Collaboration Cafe Notes Archive\n\n## 2024-09-17\n\n### Check-in\n\n- Min / @minrk / Simula\n", encoding="utf-8")
    (root / "README.md").write_text("team compass\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    return root


def test_archive_into_checkout_and_commit_on_a_branch(sessions_dir: Path, checkout: Path, tmp_path: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    st = SessionStore(sessions_dir)
    s = st.load("2024-11-19")
    s.issue = "700"
    st.save(s)
    (checkout / "README.md").write_text("my own edit, not for this PR\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout, "--commit")
    assert rc == 0, err
    assert list(elsewhere.iterdir()) == []  # nothing written where it was run
    lines = out.splitlines()
    assert lines[0] == f"inserted {checkout / ARCHIVE}"
    assert lines[2] == "Collaboration Cafe notes: 2024-11-19"
    assert "Closes #700" in lines
    assert "not pushed" in err
    branch = git(checkout, "branch", "--show-current").strip()
    assert branch == "collaboration-cafe-notes-2024-11-19"
    subject = git(checkout, "log", "-1", "--format=%s").strip()
    assert subject == "Collaboration Cafe notes: 2024-11-19"
    assert git(checkout, "show", "--name-only", "--format=", "HEAD").split() == [ARCHIVE]  # only the archive
    assert git(checkout, "status", "--porcelain").split() == ["M", "README.md"]  # the user's edit left alone
    text = (checkout / ARCHIVE).read_text(encoding="utf-8")
    assert text.index("## 2024-11-19") < text.index("## 2024-09-17")
    assert git(checkout, "remote").strip() == ""  # and nothing was pushed anywhere
    # twice: the branch exists, so it stops before writing anything
    before = (checkout / ARCHIVE).read_text(encoding="utf-8")
    s = st.load("2024-11-19")
    s.cancelled = "Moved to the sprint."
    st.save(s)
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout, "--commit")
    assert_one_error(rc, err, "already exists")
    assert (checkout / ARCHIVE).read_text(encoding="utf-8") == before


def test_missing_year_file_needs_create(sessions_dir: Path, checkout: Path) -> None:
    _import_seed(sessions_dir)
    (checkout / ARCHIVE).unlink()
    git(checkout, "commit", "-q", "-am", "drop")
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout)
    assert_one_error(rc, err, f"{ARCHIVE} does not exist", "--create")
    assert not (checkout / ARCHIVE).exists()
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout, "--create", "--commit")
    assert rc == 0, err
    assert out.startswith(f"created {checkout / ARCHIVE}")
    assert "Closes #" not in out  # the session does not know its issue
    assert git(checkout, "log", "-1", "--format=%s").strip() == "Collaboration Cafe notes: 2024-11-19"


def test_checkout_from_the_current_directory_when_its_file_exists(sessions_dir: Path, checkout: Path, monkeypatch) -> None:
    _import_seed(sessions_dir)
    monkeypatch.chdir(checkout / "docs")
    rc, out, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19")
    assert rc == 0, err
    assert out == f"inserted {checkout / ARCHIVE}\n"


def test_commit_refusals_are_one_line(sessions_dir: Path, checkout: Path, tmp_path: Path) -> None:
    _import_seed(sessions_dir)
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--into", tmp_path / "a.md", "--commit")
    assert_one_error(rc, err, "use --repo DIR")
    plain = tmp_path / "plain"
    plain.mkdir()
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", plain, "--create", "--commit")
    assert_one_error(rc, err, "not a git checkout; --commit needs one")
    assert list(plain.iterdir()) == []
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", tmp_path / "nope")
    assert_one_error(rc, err, "is not a directory")
    # unchanged: nothing to commit, and no branch left behind
    assert run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout)[0] == 0
    git(checkout, "commit", "-q", "-am", "notes")
    rc, _, err = run_cli("--sessions", sessions_dir, "archive", "2024-11-19", "--repo", checkout, "--commit")
    assert_one_error(rc, err, "nothing to commit")
    assert git(checkout, "branch", "--show-current").strip() == "main"
