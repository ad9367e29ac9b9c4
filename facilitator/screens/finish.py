"""Finish: the Markdown exactly as the archive will hold it, and where to put it."""

from __future__ import annotations

from pathlib import Path
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static, TextArea

from facilitator.engine import Meeting
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.inputs import LineInput


class FinishScreen(Screen):
    """Preview (read-only, literal text), copy, archive, save."""

    BINDINGS = [
        Binding("ctrl+k,f5", "copy", "Copy", key_display="^k", priority=True, id="finish.copy"),
        Binding("ctrl+r,f6", "archive", "Into archive", key_display="^r", priority=True, id="finish.archive"),
        Binding("ctrl+s,f7", "save_md", "Save .md", key_display="^s", priority=True, id="finish.save_md"),
        Binding("escape,f10", "back", "Back to meeting", key_display="Esc", priority=True, id="finish.back"),
        Binding("ctrl+g", "archive_commit", "Archive and commit", show=False, priority=True, id="finish.archive_commit"),
    ]
    ACTION_HELP = {
        "copy": "copy the notes to the clipboard (and save a .md next to the session)",
        "archive": "insert the meeting into the yearly archive file named below",
        "save_md": "save the notes as a .md file next to the session",
        "back": "back to the meeting (the session stays finished until a timer starts)",
        "archive_commit": "archive into the team's git checkout and commit on a new branch (never pushes); then the next meeting",
    }

    def __init__(self, engine: Meeting) -> None:
        super().__init__()
        self.engine = engine
        self.markdown: str | None = None
        self.default_archive = ""  # the checkout's yearly file, as the CLI's archive finds it
        self.archive_problem = ""  # why there is none (shown in the status line)

    @property
    def session(self):
        return self.engine.session

    @property
    def template(self):
        return self.engine.template or self.app.template_named(self.session.template)

    def _archive_target(self):
        """The CLI's ``archive`` target: the team's checkout, never a new tree under the cwd."""
        from facilitator import repo

        return repo.archive_target(self.session, self.template, None, False, Path(self.app.archive_root))

    @staticmethod
    def _say(exc: Exception) -> str:
        from facilitator.screens.archived import target_problem

        return target_problem(exc)

    def compose(self) -> ComposeResult:
        from facilitator import repo

        try:
            self.default_archive = str(self._archive_target().path)
        except repo.RepoError as exc:
            self.default_archive, self.archive_problem = "", self._say(exc)
        with Vertical(id="finish"):
            yield Static(Text("Export preview — exactly what the archive will hold", style="bold"), id="finish-title")
            yield TextArea("Rendering…", read_only=True, soft_wrap=True, id="preview")
            yield Static("", id="finish-marked", markup=False)
            with Horizontal(id="finish-archive"):
                yield Static("Archive:", id="archive-label")
                yield LineInput(
                    self.default_archive,
                    placeholder="the yearly archive file (it must exist), or set team.checkout",
                    id="archive-path",
                )
            with Horizontal(id="finish-buttons"):
                yield Button("Copy (ctrl+k)", id="copy", variant="primary")
                yield Button("Into archive (ctrl+r)", id="archive")
                yield Button("Save .md (ctrl+s)", id="save-md")
                yield Button("Back (Esc)", id="back")
            yield Static("", id="finish-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#preview", TextArea).cursor_blink = self.app.blink
        self.render_markdown()
        s = self.query_one("#finish-status", Static)
        if self.archive_problem:
            s.update(Text(f"Archive: {self.archive_problem}"))
            s.set_class(True, "-error")
        else:  # the footer has no room for ctrl+g at 80 columns: say it here
            s.update(Text("ctrl+r archives into the checkout · ctrl+g archives and commits on a new branch (never pushes)"))

    @work(thread=True, exclusive=True, group="render")
    def render_markdown(self) -> None:
        from facilitator.archive import archive_markdown

        from facilitator.actions import summary_lines

        self.engine.sync()
        try:
            text = archive_markdown(self.session, self.template)
            marked = summary_lines(self.session)
        except Exception as e:  # a rendering bug must not lose the meeting
            self.app.call_from_thread(self.status, f"Could not render the notes: {e}", "error")
            return
        self.app.call_from_thread(self._rendered, text, marked)

    def _rendered(self, text: str, marked: list[str] | None = None) -> None:
        self.markdown = text
        box = self.query_one("#finish-marked", Static)
        box.display = bool(marked)
        if marked:
            box.update(Text(f"Actions and decisions ({len(marked)}):\n" + "\n".join(f"  • {m}" for m in marked)))
        self.query_one("#preview", TextArea).load_text(text)
        self.query_one("#copy", Button).focus()

    def status(self, message: str, severity: str = "information") -> None:
        s = self.query_one("#finish-status", Static)
        s.update(Text(message))
        s.set_class(severity == "error", "-error")
        self.app.notify(message, severity=severity, timeout=6, markup=False)

    def _need_text(self) -> str | None:
        if self.markdown is None:
            self.status("Still rendering; try again in a moment.")
        return self.markdown

    def export_path(self) -> Path:
        return self.app.store.root / f"{self.session.id}.md"

    def _save_export(self) -> Path | None:
        from facilitator.store import atomic_write_text

        text = self._need_text()
        if text is None:
            return None
        path = self.export_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text)
        except OSError as e:
            self.status(f"Could not save {path}: {e.strerror or e}", "error")
            return None
        return path

    # -- actions -------------------------------------------------------------------
    def action_copy(self) -> None:
        text = self._need_text()
        if text is None:
            return
        path = self._save_export()
        from facilitator.clipboard import copy_text

        copy = self.app.copy_function or copy_text
        result = copy(text)
        if getattr(result, "ok", False):
            where = f" Also saved to {path}." if path else ""
            self.status(f"Copied to the system clipboard.{where}")
            return
        self.app.copy_to_clipboard(text)
        reason = getattr(result, "message", "") or "no system clipboard"
        self.status(
            f"Sent via OSC 52 (terminal clipboard) — if your terminal does not support it, "
            f"the file is at {path}. (System clipboard: {reason}.)"
        )

    def _archive_path(self) -> Path | None:
        """The file ctrl+r writes: the checkout's (as ``archive``), or an existing file typed in."""
        from facilitator import repo

        raw = self.query_one("#archive-path", Input).value.strip()
        if not raw or raw == self.default_archive:
            try:
                return self._archive_target().path
            except repo.RepoError as exc:
                self.status(self._say(exc), "error")
                return None
        path = Path(raw).expanduser()
        if not path.is_absolute():
            if not self.default_archive:
                self.status(f"{raw}: give the archive file's full path (there is no team checkout to start from).", "error")
                return None
            try:
                path = self._archive_target().root / path
            except repo.RepoError as exc:
                self.status(self._say(exc), "error")
                return None
        if not path.is_file():
            self.status(f"{path} does not exist: archive into an existing yearly file (or start it with the CLI's archive --create).", "error")
            return None
        return path

    def action_archive(self) -> None:
        from facilitator.archive import ArchiveError, archive_session

        if self._need_text() is None:
            return
        path = self._archive_path()
        if path is None:
            return
        try:
            result = archive_session(self.session, path, self.template)
        except (ArchiveError, OSError) as e:
            self.status(str(e), "error")
            return
        self.engine.set_archived_in(str(path))
        try:
            self.engine.save()
        except Exception as e:  # noqa: BLE001 - the archive is written; the session saves again later
            self.status(f"Archived, but the session was not saved: {e}", "error")
            return
        self.status(f"{result.action.capitalize()}: {path}")

    def action_archive_commit(self) -> None:
        from facilitator.screens.archived import archive_and_commit

        if self._need_text() is None:
            return
        problem = archive_and_commit(self.app, self.session, self.template, self.engine.save)
        if problem:
            self.status(problem, "error")

    def action_save_md(self) -> None:
        path = self._save_export()
        if path is not None:
            self.status(f"Saved {path}")

    def action_back(self) -> None:
        self.app.pop_screen()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        action = {"copy": "copy", "archive": "archive", "save-md": "save_md", "back": "back"}.get(event.button.id or "")
        if action:
            await self.run_action(action)
