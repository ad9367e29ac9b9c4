"""After archiving: the commit in the team's checkout, the pull request's text, and the next meeting.

The export preview hands over here (``archive_and_commit``): the meeting goes into the
team's checkout on a new branch (never pushed); this screen shows the PR's title and
body to copy, and ``n`` plans the next meeting and opens its prepare screen (issue text,
pad skeleton, reminders).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from facilitator.widgets.footer import KeysFooter
from textual.widgets import Static, TextArea


def target_problem(exc: Exception) -> str:
    """The CLI's message about the archive target, in the app's words where they differ."""
    from facilitator import repo

    if isinstance(exc, repo.NoCheckout):
        return (
            "No archive checkout: set team.checkout in the template, start the app in the "
            "team's checkout, or type an existing archive file's path."
        )
    return str(exc)


def archive_and_commit(app, session, template, save) -> str | None:
    """Archive into the checkout and commit; push the result screen. The error line, if any."""
    from facilitator import repo
    from facilitator.archive import ArchiveError, archive_session

    try:
        target = repo.archive_target(session, template, None, False, Path(app.archive_root))
        repo.check_can_commit(target, repo.branch_name(session, template))
        result = archive_session(session, target.path, template)
        if result.action == "unchanged":
            return f"Nothing to commit: {target.relative} already holds this meeting as it is."
        session.archived_in = str(target.path)
        save()
        done = repo.commit_archive(target, session, template)
    except (repo.RepoError, ArchiveError, OSError) as exc:
        return target_problem(exc)
    app.push_screen(ArchivedScreen(session, template, done, target.path))
    return None


class ArchivedScreen(Screen):
    """The commit made, the PR text to copy, and the way to the next meeting."""

    BINDINGS = [
        Binding("c", "copy", "Copy PR text", priority=True, id="archived.copy"),
        Binding("n", "next_meeting", "Plan the next meeting", priority=True, id="archived.next"),
        Binding("escape", "back", "Back", priority=True, id="archived.back"),
    ]
    ACTION_HELP = {
        "copy": "copy the pull request's title and body",
        "next_meeting": "create the next session (open items carried) and show its issue and pad",
        "back": "back to the export preview",
    }

    def __init__(self, session, template, done, path: Path) -> None:
        super().__init__()
        self.session = session
        self.template = template
        self.done = done
        self.path = path
        self.pr_text = f"{done.title}\n\n{done.body}"
        self.next_id = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="archived"):
            yield Static(
                Text(f"Committed {self.done.commit} on branch {self.done.branch} in {self.path.parent} (not pushed)", style="bold"),
                id="archived-title",
            )
            yield Static(Text(f"Push it: git push -u origin {self.done.branch}, then open the pull request:"), id="archived-hint")
            yield TextArea(self.pr_text, read_only=True, soft_wrap=True, id="archived-pr")
            yield Static(Text("c copy the PR text · n plan the next meeting · Esc back", style="dim"), id="archived-status")
        yield KeysFooter()

    def _status(self, message: str, severity: str = "information") -> None:
        self.query_one("#archived-status", Static).update(Text(message))
        self.app.notify(message, severity=severity, timeout=5, markup=False)

    def action_copy(self) -> None:
        from facilitator.clipboard import copy_text

        copy = self.app.copy_function or copy_text
        result = copy(self.pr_text)
        if getattr(result, "ok", False):
            self._status("Copied the pull request's text.")
            return
        self.app.copy_to_clipboard(self.pr_text)
        self._status(f"Sent the PR text via OSC 52. (System clipboard: {getattr(result, 'message', '') or 'none'}.)")

    def action_next_meeting(self) -> None:
        from facilitator.nextmeeting import create_next
        from facilitator.screens.prepare import PrepareScreen
        from facilitator.store import StoreError

        try:
            new = self.app.store.load(self.next_id) if self.next_id else create_next(
                self.app.store, self.session.id, templates=self.app.templates
            )
        except (StoreError, ValueError, OSError) as exc:
            self._status(f"Could not plan the next meeting: {exc}", "error")
            return
        self.next_id = new.id
        self.app.push_screen(PrepareScreen(new, self.app.template_named(new.template)))

    def action_back(self) -> None:
        self.app.pop_screen()
