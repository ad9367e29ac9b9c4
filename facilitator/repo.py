"""The team's archive checkout: where the yearly notes file lives, and the commit for the PR.

``git`` runs as a subprocess in the checkout. We create a branch and a commit holding the
archive file only; we never push (the facilitator pushes and opens the pull request,
with the title and body we print).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from facilitator.model import Session
from facilitator.templates import Template


class RepoError(Exception):
    """The checkout cannot be used as asked; the message is one line saying what to do."""


class NoCheckout(RepoError):
    """No checkout was named and none around the working directory holds the year's file."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, timeout=60)
    except FileNotFoundError:
        raise RepoError("git is not installed (needed for --commit and to find the checkout)") from None
    except subprocess.TimeoutExpired:
        raise RepoError(f"git {' '.join(args)} took too long in {root}") from None


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def git_root(directory: Path) -> Path | None:
    """The top of the git checkout holding ``directory``, None if it is not in one."""
    if not directory.is_dir():
        return None
    proc = _git(directory, "rev-parse", "--show-toplevel")
    return Path(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else None


@dataclass(frozen=True)
class ArchiveTarget:
    root: Path  # the checkout (or, with --create, a plain directory)
    path: Path  # the yearly file
    relative: str  # the file's path inside the checkout, as the template writes it
    in_git: bool


def archive_target(session: Session, template: Template, repo: str | None, create: bool, cwd: Path) -> ArchiveTarget:
    """Where ``archive`` writes: the template's ``archive_path`` under the team's checkout.

    The checkout is ``repo`` (--repo), else the team's ``checkout`` setting, else the git
    checkout around ``cwd`` when it already holds the year's file. Outside a git checkout,
    or when the year's file does not exist, only ``create`` goes ahead.
    """
    if not session.year:
        raise RepoError(f"session {session.id!r} has no ISO date ({session.date!r}); give the file with --into")
    relative = template.archive_path_for(session.year)
    given = repo or template.team.checkout
    if given:
        root_dir = Path(given).expanduser()
        if not root_dir.is_dir():
            raise RepoError(f"{root_dir} is not a directory (give the team's git checkout with --repo DIR)")
        top = git_root(root_dir)
        if top is None and not create:
            raise RepoError(f"{root_dir} is not a git checkout (clone the team's repository, or pass --create to write there anyway)")
        root = top or root_dir
    else:
        top = git_root(cwd)
        if top is None or not (top / relative).is_file():
            raise NoCheckout(
                f"no archive checkout: give --repo DIR (the team's git checkout), set team.checkout "
                f"in the template, or write to a file with --into FILE"
            )
        root = top
    path = root / relative
    if not path.is_file() and not create:
        raise RepoError(f"{relative} does not exist in {root} (pass --create to start the {session.year} file)")
    return ArchiveTarget(root, path, relative, top is not None)


def branch_name(session: Session, template: Template) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", template.meeting_title.lower()).strip("-") or "meeting"
    return f"{slug}-notes-{session.date}"


def pr_title(session: Session, template: Template) -> str:
    return f"{template.meeting_title} notes: {session.date}"


def pr_body(session: Session, template: Template, relative: str) -> str:
    people = len(session.attendees)
    items = len(session.agenda_items)
    lines = [
        f"Adds the notes of the {template.meeting_title} on {session.date} to `{relative}` "
        f"({people} {'person' if people == 1 else 'people'} checked in, {items} agenda {'item' if items == 1 else 'items'}).",
    ]
    if session.issue:
        lines += ["", f"Closes #{session.issue}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CommitResult:
    branch: str
    commit: str
    title: str
    body: str


def check_can_commit(target: ArchiveTarget, branch: str) -> None:
    """Refuse before anything is written: not git, or the branch exists already."""
    if not target.in_git:
        raise RepoError(f"{target.root} is not a git checkout; --commit needs one")
    if _git(target.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode == 0:
        raise RepoError(f"branch {branch!r} already exists in {target.root} (delete it or commit by hand)")


def commit_archive(target: ArchiveTarget, session: Session, template: Template) -> CommitResult:
    """A new branch holding one commit: the archive file. Never pushes."""
    branch = branch_name(session, template)
    check_can_commit(target, branch)
    title = pr_title(session, template)
    for args in (("switch", "-c", branch), ("add", "--", target.relative)):
        proc = _git(target.root, *args)
        if proc.returncode != 0:
            raise RepoError(f"git {args[0]} failed in {target.root}: {_first_line(proc.stderr) or 'no reason given'}")
    message = f"{title}\n\n{pr_body(session, template, target.relative)}"
    proc = _git(target.root, "commit", "-q", "-m", message, "--", target.relative)
    if proc.returncode != 0:
        raise RepoError(f"git commit failed in {target.root}: {_first_line(proc.stderr + proc.stdout) or 'no reason given'}")
    sha = _git(target.root, "rev-parse", "--short", "HEAD").stdout.strip()
    return CommitResult(branch, sha, title, pr_body(session, template, target.relative))
