"""One past session: rendered, as Markdown, copied, exported, archived, edited after the fact.

The session is loaded and rendered off the event loop; the Markdown widget gets only this
one meeting, after the first frame (a whole archive would cost seconds).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Input,
    Label,
    Markdown,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from facilitator import clipboard
from facilitator.model import Attendee, Session
from facilitator.paths import styles_dir
from facilitator.screens.styled_once import StyledOnce
from facilitator.widgets.footer import KeysFooter
from facilitator.widgets.inputs import LineInput
from facilitator.store import SessionStore, StoreError

CSS = str(styles_dir() / "history.tcss")


def archive_root(app: object) -> Path:
    """Where archive paths (``docs/meetings/.../{year}.md``) are relative to."""
    root = getattr(app, "archive_root", None)
    return Path(root) if root else Path.cwd()


def template_of(app: object, name: str):
    """The app's templates resolve the name when it has them (test hosts may not)."""
    from facilitator.markdown import template_for
    from facilitator.templates import TemplateSet

    templates = getattr(app, "templates", None)
    if isinstance(templates, TemplateSet):
        return templates.resolve(name)
    return template_for(name)


def render_markdown(session: Session, template=None) -> str:
    from facilitator.markdown import render_session

    return render_session(session, template)


def _line_of(text: str, needle: str) -> int | None:
    """The first line (0-based) of ``text`` holding ``needle`` (whitespace-insensitive)."""
    needle = " ".join(needle.split())
    if not needle:
        return None
    for n, ln in enumerate(text.split("\n")):
        if needle in " ".join(ln.split()):
            return n
    return None


class ExportScreen(ModalScreen[str | None]):
    """Ask for the file to export to."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="session_view.dismiss_none")]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="history-dialog"):
            yield Label("Export this meeting's Markdown to:")
            yield LineInput(self.default, select_on_focus=True, id="export-path")
            yield Label("Enter writes the file (an existing file is not overwritten); Escape cancels.", classes="dim")

    @on(Input.Submitted, "#export-path")
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class EditScreen(Screen[bool]):
    """Edit a past meeting's attendees and item notes; ctrl+s saves (under the session lock)."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="session_view.save"),
        Binding("escape", "cancel", "Cancel", id="session_view.cancel"),
    ]

    def __init__(self, store: SessionStore, session: Session) -> None:
        super().__init__()
        self.store = store
        self.session = session
        self._armed_cancel = False

    def compose(self) -> ComposeResult:
        s = self.session
        yield Static(Text(f"Edit {s.date} · {s.title or s.heading} — ctrl+s saves, escape cancels"), id="edit-title")
        with VerticalScroll(id="edit-body"):
            if any(True for _ in s.sections_of("checkin")):
                yield Label("Attendees (one check-in line each)", classes="edit-label")
                text = "\n".join(a.text for sec in s.sections_of("checkin") for a in sec.attendees)
                yield TextArea(text, id="edit-attendees", classes="edit-area", soft_wrap=True)
            for n, item in enumerate(s.agenda_items):
                yield Label(Text(item.text.strip() or "(untitled item)"), classes="edit-label")
                yield TextArea(item.notes, id=f"edit-notes-{n}", classes="edit-area", soft_wrap=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        for ta in self.query(TextArea):
            ta.cursor_blink = False
        areas = list(self.query(TextArea))
        if areas:
            areas[0].focus()

    def _apply(self, session: Session) -> bool:
        changed = False
        checkins = list(session.sections_of("checkin"))
        if checkins and self.query("#edit-attendees"):
            new = [ln.strip() for ln in self.query_one("#edit-attendees", TextArea).text.split("\n") if ln.strip()]
            old = [a.text for sec in checkins for a in sec.attendees]
            if new != old:
                checkins[0].attendees = [Attendee(t) for t in new]
                for sec in checkins[1:]:
                    sec.attendees = []
                changed = True
        for n, item in enumerate(session.agenda_items):
            areas = self.query(f"#edit-notes-{n}")
            if not areas:
                continue
            text = areas.first(TextArea).text
            if text != item.notes:
                item.notes = text
                changed = True
        return changed

    def action_save(self) -> None:
        try:
            with self.store.lock(self.session.id):
                fresh = self.store.load(self.session.id)
                if [i.id for i in fresh.agenda_items] != [i.id for i in self.session.agenda_items]:
                    self.notify("The session changed on disk since it was opened; reopen it and edit again.", severity="error")
                    return
                changed = self._apply(fresh)
                if changed:
                    self.store.save(fresh)
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        import copy

        probe = copy.deepcopy(self.session)
        if self._apply(probe) and not self._armed_cancel:
            self._armed_cancel = True
            self.notify("Unsaved changes: ctrl+s saves, escape again discards them.", severity="warning")
            return
        self.dismiss(False)


class SessionView(StyledOnce, Screen):
    """A past (or live) session: Rendered / Markdown tabs, copy, export, archive, edit."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "Back", id="session_view.back"),
        Binding("c", "copy", "Copy", id="session_view.copy"),
        Binding("x", "export", "Export .md", id="session_view.export"),
        Binding("a", "archive", "Archive", id="session_view.archive"),
        Binding("e", "edit", "Edit", id="session_view.edit"),
        Binding("r", "resume", "Resume", show=False, id="session_view.resume"),
        Binding("m", "toggle_tab", "Markdown", tooltip="Rendered/Markdown", id="session_view.toggle_tab"),
    ]

    def __init__(
        self,
        store: SessionStore,
        session_id: str,
        *,
        focus_item: str | None = None,
        focus_line: str | None = None,
        edit: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.focus_item = focus_item
        self.focus_line = focus_line
        self.start_editing = edit
        self.session: Session | None = None
        self.markdown_text = ""
        self.error = ""
        self.highlight_line: int | None = None
        self.rendered = False  # the Markdown widget holds the meeting (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Session {self.session_id}"), id="view-title")
        yield Static("", id="view-banner")
        with TabbedContent(initial="tab-rendered", id="view-tabs"):
            with TabPane("Rendered", id="tab-rendered"):
                with VerticalScroll(id="view-scroll"):
                    yield Markdown("", id="view-markdown", open_links=False)
            with TabPane("Markdown", id="tab-raw"):
                yield TextArea("", id="view-raw", read_only=True, soft_wrap=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#view-raw", TextArea).cursor_blink = False
        self.query_one("#view-banner").display = False
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, group="session-load")
    def load(self) -> None:
        try:
            session = self.store.load(self.session_id)
            text = render_markdown(session, template_of(self.app, session.template))
        except StoreError as e:
            self.app.call_from_thread(self._show_error, str(e))
            return
        except Exception as e:  # a render failure must not lose the view
            self.app.call_from_thread(self._show_error, f"cannot render: {type(e).__name__}: {e}")
            return
        self.app.call_from_thread(self._show, session, text)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#view-title", Static).update(Text(f"Session {self.session_id} cannot be shown"))
        banner = self.query_one("#view-banner", Static)
        banner.update(Text(f"unreadable: {message}\nThe file is left as it is."))
        banner.display = True
        banner.add_class("error")
        self.rendered = True

    async def _show(self, session: Session, text: str) -> None:
        self.session = session
        self.markdown_text = text
        title = session.title or session.heading
        people = len(session.attendees)
        items = len(session.agenda_items)
        archived = f" · archived in {session.archived_in}" if session.archived_in else ""
        counts = "" if session.status == "cancelled" else f" · {people} attendees · {items} items"
        self.query_one("#view-title", Static).update(
            Text(f"{session.date} · {title} · {session.status}{counts}{archived}")
        )
        banner = self.query_one("#view-banner", Static)
        if session.status in ("live", "planned"):
            banner.update(Text(f"This session is {session.status}: press r to resume it in the meeting screen."))
            banner.display = True
        elif session.status == "cancelled":
            note = " ".join(session.cancelled.split())
            banner.update(Text("This meeting was cancelled" + (f": {note}" if note else ".")))
            banner.display = True
        else:
            banner.display = False
        raw = self.query_one("#view-raw", TextArea)
        raw.load_text(text)
        line = None
        if self.focus_item:
            item = session.find_item(self.focus_item)
            if item is not None:
                line = _line_of(text, item.text.split("\n")[0])
        if self.focus_line:
            found = _line_of(text, self.focus_line)
            if found is not None and (line is None or found >= line):
                line = found
        self.highlight_line = line
        if line is not None:
            raw.select_line(line)
            raw.scroll_cursor_visible(center=True, animate=False)
        md = self.query_one("#view-markdown", Markdown)
        await md.update(text)
        self.rendered = True
        if line is not None:
            self.call_after_refresh(self._scroll_rendered, line)
        if self.start_editing:
            self.start_editing = False
            self.action_edit()

    def _scroll_rendered(self, line: int) -> None:
        from textual.widgets._markdown import MarkdownBlock

        md = self.query_one("#view-markdown", Markdown)
        best = None
        for block in md.query(MarkdownBlock):
            start, end = block.source_range
            if start <= line < end:
                # The innermost block holding the line: the later one in a pre-order walk.
                best = block
        if best is not None:
            best.add_class("search-hit")
            self.query_one("#view-scroll", VerticalScroll).scroll_to_widget(best, center=True, animate=False)

    # -- actions --------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_tab(self) -> None:
        tabs = self.query_one("#view-tabs", TabbedContent)
        tabs.active = "tab-raw" if tabs.active == "tab-rendered" else "tab-rendered"

    def _need_session(self) -> Session | None:
        if self.session is None:
            self.notify(self.error or "Still loading…", severity="error" if self.error else "information")
        return self.session

    def action_copy(self) -> None:
        if self._need_session() is None:
            return
        self._copy(self.markdown_text)

    @work(thread=True, exclusive=True, group="copy")
    def _copy(self, text: str) -> None:
        result = clipboard.copy_text(text)
        self.app.call_from_thread(self._copied, text, result)

    def _copied(self, text: str, result: clipboard.CopyResult) -> None:
        if result.ok:
            self.notify(clipboard.describe(result))
            return
        # No system clipboard: ask the terminal (OSC 52); it cannot tell whether that worked.
        self.app.copy_to_clipboard(text)
        self.notify(
            f"System clipboard unavailable ({result.message}). Sent to the terminal clipboard "
            "(OSC 52) instead; if your terminal ignores OSC 52, use x to export a .md file.",
            timeout=8,
        )

    def action_export(self) -> None:
        session = self._need_session()
        if session is None:
            return

        def done(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if target.exists():
                self.notify(f"{target} exists; not overwritten. Choose another name.", severity="error")
                return
            try:
                from facilitator.store import atomic_write_text

                atomic_write_text(target, self.markdown_text)
            except OSError as e:
                self.notify(f"cannot write {target}: {e.strerror or e}", severity="error")
                return
            self.notify(f"Exported to {target}")

        self.app.push_screen(ExportScreen(f"{session.id}.md"), done)

    def archive_path(self, session: Session) -> Path:
        if session.archived_in:
            p = Path(session.archived_in)
            return p if p.is_absolute() else archive_root(self.app) / p
        tpl = template_of(self.app, session.template)
        return archive_root(self.app) / tpl.archive_path_for(session.year or session.date[:4])

    def action_archive(self) -> None:
        session = self._need_session()
        if session is None:
            return
        from facilitator.archive import ArchiveError, archive_session

        path = self.archive_path(session)
        try:
            result = archive_session(session, path, template_of(self.app, session.template))
        except ArchiveError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        recorded = session.archived_in
        if not recorded:
            try:
                rel = path.relative_to(archive_root(self.app))
            except ValueError:
                rel = path
            try:
                with self.store.lock(session.id):
                    fresh = self.store.load(session.id)
                    fresh.archived_in = str(rel)
                    self.store.save(fresh)
                    session.archived_in = fresh.archived_in
            except StoreError as e:
                self.notify(f"archived, but could not record it in the session: {e}", severity="warning")
        self.notify(f"Archive {path}: {result.action}")

    def action_edit(self) -> None:
        session = self._need_session()
        if session is None:
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.notify("Saved." + (" Press a to re-archive it." if session.archived_in else ""))
                self.rendered = False
                self.load()

        self.app.push_screen(EditScreen(self.store, session), done)

    def action_resume(self) -> None:
        session = self._need_session()
        if session is None:
            return
        if session.status not in ("live", "planned"):
            self.notify(f"This session is {session.status}; only a planned or live one resumes.")
            return
        opener = getattr(self.app, "open_session", None)
        if opener is None:
            self.notify("This app cannot open the meeting screen.", severity="warning")
            return
        opener(session.id)
