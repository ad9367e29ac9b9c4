"""The Textual app: home screen, meeting screen, export, presenter view.

Only Textual and the light core modules are imported here; markdown/mdformat and
pyperclip are imported where they are used so the first frame comes quickly.
"""

from __future__ import annotations

import datetime as _dt
import gc
import sys
import time
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from facilitator.paths import styles_dir


# Seconds after mount before the garbage collector is turned back on (see cli.cmd_app).
GC_AFTER_START = 0.5
CSS_SAVE_AFTER = 1.0  # seconds after start-up: the parsed stylesheets are kept (css_cache)
PAST_AFTER_START = 0.6  # seconds after start-up: check-in suggestions load (a thread)

HISTORY_COMMANDS = (
    ("Search all sessions", "find words in every meeting's notes, names and items (ctrl+f, or / on the home list)", "search"),
    ("Browse history", "every past and planned session, filtered as you type", "browse"),
    ("People", "who came to which meeting, first and last seen", "people"),
    ("Import an archive", "turn a yearly Markdown archive (or a meeting document) into sessions", "import_archive"),
)


class _LaunchScreen(Screen):
    """The blank bottom screen under a meeting opened with ``open ID``; home is pushed
    over it when it comes back to the top (the meeting closed, or could not be opened)."""

    def on_screen_resume(self) -> None:
        if self.app.screen is self and not getattr(self.app, "_opening", False):
            self.app.call_later(self.app.show_home)


class FacilitatorApp(App[int]):
    """A meeting facilitator's console.

    ``now`` (monotonic seconds), ``wall`` (epoch seconds) and ``today`` (ISO date) can
    be injected so tests and snapshots see a clock that only moves when told to.
    """

    TITLE = "facilitator"
    # app.tcss: shared rules and home's; screens.tcss: every other screen's; history.tcss:
    # the past sessions' screens (see read_screens_css). Those screens name history.tcss as
    # their CSS_PATH too, for use outside this app; here it is already read when they show.
    CSS_PATH = [styles_dir() / "app.tcss", styles_dir() / "screens.tcss", styles_dir() / "history.tcss"]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True, id="app.help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("ctrl+f", "search", "Search", priority=True, show=False, id="app.search"),
    ]

    def __init__(
        self,
        sessions_dir: Path,
        templates_dir: Path | None = None,
        open_id: str | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        today: Callable[[], str] | None = None,
        archive_root: Path | None = None,
        blink: bool = True,
        copy: Callable[[str], object] | None = None,
        keymap: Path | None = None,
        host: tuple | None = None,
        join: tuple[str, str] | None = None,
        css_cache: Path | None = None,
    ) -> None:
        super().__init__()
        # The stylesheets an earlier run parsed (``facilitator.css_cache``): run_app passes
        # the user's cache file; tests and other callers parse as Textual does.
        self._parsed_css = None
        if css_cache is not None:
            from facilitator.css_cache import ParsedCss

            self._parsed_css = ParsedCss(css_cache)
            self._parsed_css.preload(self.stylesheet)
        # ``facilitator host ID``: (HostPlan, bound socket, name) for the meeting open_id;
        # ``facilitator join URL``: (url, name).
        self.host_request = host
        self.join_request = join
        self.keymap_file = keymap
        self.sessions_dir = Path(sessions_dir)
        self.templates_dir = templates_dir
        self.open_id = open_id
        self.now = now
        self.wall = wall
        self.today = today or (lambda: _dt.date.today().isoformat())
        self.archive_root = Path(archive_root) if archive_root else Path.cwd()
        self.blink = blink
        self.copy_function = copy
        self._store = None
        self._templates = None
        self.past_attendees: list[str] = []
        self._past_loaded = False
        self.exit_code = 0
        self._screens_css = self._defer_screens_css()

    # -- shared data ---------------------------------------------------------------
    # The store and the templates are made on first use, after the first frame: the
    # data layer (store, templates, model, tomllib, tomli_w) is not imported before it.
    @property
    def store(self):
        """The sessions directory's ``SessionStore``."""
        if self._store is None:
            from facilitator.index_child import ChildBuild
            from facilitator.store import SessionStore

            self._store = SessionStore(self.sessions_dir)
            # A big index build runs in a child process: parsing here would take the GIL
            # from the event loop (see facilitator.index_child).
            self._store.index_builder = ChildBuild(on_fallback=self._index_fallback)
        return self._store

    def _index_fallback(self, message: str) -> None:
        """The child could not build the index (called from the refreshing thread)."""
        try:
            self.call_from_thread(self.notify, message, title="Session index", severity="warning",
                                  timeout=12, markup=False)
        except RuntimeError:  # on the app's own thread, or the app is no longer running
            if self.is_running:
                self.notify(message, title="Session index", severity="warning", timeout=12, markup=False)

    @property
    def templates(self):
        if self._templates is None:
            from facilitator.templates import load_templates

            self._templates = load_templates(self.templates_dir)
        return self._templates

    def template_named(self, name: str):
        """The template a session names (``TemplateSet.resolve``). Before the full set is
        wanted (``open ID``: no template list shown), only the built-in file it needs is
        parsed."""
        if self._templates is None:
            from facilitator.templates import resolve_template

            return resolve_template(name, self.templates_dir)
        return self._templates.resolve(name)

    def load_past_attendees(self) -> list[str]:
        """Check-in completions: ``people.completions`` without that day's notes (runs in a thread)."""
        from facilitator import people

        try:
            return people.completions(self.store, notes=False)
        except Exception:  # a broken history must never stop a meeting
            return []

    # -- lifecycle -----------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """Home is the bottom screen; with ``open_id`` a blank one, home coming later.

        Being the default screen (rather than pushed from ``on_mount``) matters for the
        first frame: Textual lays out and renders a screen pushed while the app is still
        mounting, then throws that frame away and only paints after the next event. With
        ``open_id`` home is not built at all until the meeting is closed.
        """
        if self.join_request is not None:
            from facilitator.screens.join import JoinScreen
            from facilitator.share_session import JoinShare

            url, name = self.join_request
            return JoinScreen(JoinShare(url, name))
        if self.open_id:
            return _LaunchScreen()
        from facilitator.screens.home import HomeScreen

        return HomeScreen()

    # -- stylesheets: home's first frame parses only app.tcss --------------------------
    def _defer_screens_css(self) -> list[Path]:
        """Starting on home, the other screens' stylesheets (screens.tcss and history.tcss,
        ~6 ms to parse) are left out of the first frame and read right after it
        (:meth:`read_screens_css`).

        Not a screen's own ``CSS_PATH``: Textual re-parses every source and restyles the
        app when such a screen first shows (a 60-100 ms hitch, say on F4 in a meeting;
        27-42 ms on the first ctrl+b to the history list while history.tcss was one).
        Reading one more file into the app's stylesheet parses just that file, and none
        of its rules match a widget of home, so nothing shown is restyled."""
        if self.open_id or self.join_request is not None:
            return []
        later, self.css_path = self.css_path[1:], self.css_path[:1]
        return later

    def read_screens_css(self) -> None:
        """Read the stylesheets left out of home's first frame (once; before any push)."""
        if not self._screens_css:
            return
        later, self._screens_css = self._screens_css, []
        for path in later:
            self.stylesheet.read(path)
        self.css_path = [*self.css_path, *later]
        self.stylesheet.parse()

    def push_screen(self, *args, **kwargs):
        """Every screen but home is styled by screens.tcss: read it first if still unread."""
        self.read_screens_css()
        return super().push_screen(*args, **kwargs)

    def on_mount(self) -> None:
        if self._screens_css:
            self.call_after_refresh(self.read_screens_css)
        self.apply_user_keymap()
        if self.open_id:
            self._open_at_start()
        # Check-in suggestions read every session's attendees. Straight into a meeting
        # they are wanted at once; on home, not while it is still filling its list
        # (the two threads would share the one core Python gives them).
        if self.open_id:
            self.call_after_refresh(self._start_past_worker)
        else:
            self.set_timer(PAST_AFTER_START, self._start_past_worker)
        self.set_timer(GC_AFTER_START, self._enable_gc)
        if self._parsed_css is not None:
            self.set_timer(CSS_SAVE_AFTER, self._keep_parsed_css)
        self._watch_terminal()

    def _open_at_start(self) -> None:
        """``open ID``: the meeting goes over the launch screen once the app has started.

        Pushed from ``on_mount`` it would be mounted, laid out and rendered inside Textual's
        start-up batch, that frame thrown away, and painted only after the next refresh
        (its footer rebuilt in between); pushed just after start-up, its first frame is
        the one painted (~70 ms sooner in a pty). Until then the launch screen does not
        put home up.
        """
        self._opening = True

        def open_now() -> None:
            self._opening = False
            if not self.open_session(self.open_id):
                self.show_home()

        self.call_later(open_now)

    def _watch_terminal(self) -> None:
        """Quit, saving, when the terminal goes away without a SIGHUP (``facilitator.terminal``)."""
        stdin = sys.__stdin__
        if self.is_headless or stdin is None or not stdin.isatty():
            return
        from facilitator.terminal import terminal_gone

        fd = stdin.fileno()

        def check() -> None:
            if terminal_gone(fd):
                self.save_all()
                self.exit(self.exit_code)

        self.set_interval(1.0, check, name="terminal-watch")

    def apply_user_keymap(self) -> None:
        """The user's ``keymap.toml`` (``facilitator.keymap``) over every binding id."""
        from facilitator.paths import keymap_path

        path = self.keymap_file if self.keymap_file is not None else keymap_path()
        if not path.exists():  # the usual case: nothing to import or check
            return
        from facilitator.keymap import read_keymap

        result = read_keymap(path, binding_ids())
        if result.keys:
            self.set_keymap(result.keys)
        for problem in result.problems:
            self.notify(problem, title="Keymap", severity="warning", timeout=8, markup=False)

    def show_home(self) -> None:
        """Put home over the launch screen of ``open ID`` (once the meeting is closed)."""
        from facilitator.screens.home import HomeScreen

        if isinstance(self.screen, _LaunchScreen):
            self.push_screen(HomeScreen())

    def _keep_parsed_css(self) -> None:
        """Write the parsed stylesheets for the next start, if this one parsed new ones:
        collected here (Textual's cache is this thread's), written from a thread. Soon
        after start, not only at exit: a run ended by a closed terminal or a kill counts."""
        try:
            data = self._parsed_css.collect(self.stylesheet)
        except Exception:  # Textual's private parts changed (tests/test_css_cache.py says so)
            return
        if data is not None:
            import threading

            threading.Thread(target=self._parsed_css.write, args=(data,), name="css-cache").start()

    def save_parsed_css(self) -> bool:
        """At exit: the stylesheets parsed since (a screen shown for the first time); True
        if the file was written."""
        return self._parsed_css is not None and self._parsed_css.save(self.stylesheet)

    def _enable_gc(self) -> None:
        """Turn the collector back on once started, if the CLI turned it off (cli.cmd_app)."""
        if not gc.isenabled():
            gc.freeze()  # what start-up made lives as long as the app: out of every later collection
            gc.enable()

    def _start_past_worker(self) -> None:
        self.run_worker(self._past_worker, thread=True, exclusive=True, group="past", exit_on_error=False)

    def _past_worker(self) -> None:
        names = self.load_past_attendees()
        self.call_from_thread(self._set_past, names)

    def _set_past(self, names: list[str]) -> None:
        self.past_attendees = names
        self._past_loaded = True
        for screen in self.open_meetings():
            screen.update_suggestions()

    def open_meetings(self) -> list:
        """The meeting screens on the stack, bottom first. None without importing the
        meeting screen's module (engine, stage list...) if it was never imported: then no
        meeting was ever open (home and the history screens do not need it)."""
        meeting = sys.modules.get("facilitator.screens.meeting")
        if meeting is None:
            return []
        return [s for s in self.screen_stack if isinstance(s, meeting.MeetingScreen)]

    # -- opening sessions ----------------------------------------------------------
    def open_session(self, session_id: str) -> bool:
        """Lock, load and show a session; a clear notification (not a crash) if that fails.

        A cancelled session opens in the read-only session view, from anywhere (home,
        ``facilitator open ID``, history); the others in the meeting screen.
        """
        from facilitator.screens.meeting import MeetingScreen
        from facilitator.store import SessionLocked, StoreError

        for screen in self.screen_stack:
            if isinstance(screen, MeetingScreen) and screen.session.id == session_id:
                while self.screen is not screen:
                    self.pop_screen()
                return True
        try:
            lock = self.store.lock(session_id)
        except SessionLocked as e:
            self.notify(str(e), title="Session is open elsewhere", severity="error", timeout=10)
            return False
        except StoreError as e:
            self.notify(str(e), title="Cannot open session", severity="error", timeout=10)
            return False
        try:
            session = self.store.load(session_id)
        except StoreError as e:
            lock.release()
            self.notify(str(e), title="Cannot open session", severity="error", timeout=10)
            return False
        if session.status == "cancelled":
            # A meeting that did not happen is read, not run (its timer would make it live).
            # A finished one still opens here: the facilitator may go on editing its notes.
            from facilitator.screens.session_view import SessionView

            lock.release()
            self.push_screen(SessionView(self.store, session_id))
            return True
        host, self.host_request = self.host_request, None
        self.push_screen(MeetingScreen(session, lock, host=host))
        return True

    def open_new_session(self, session) -> bool:
        """Save a new session (made on the home screen) and open it."""
        from facilitator.store import StoreError

        try:
            self.store.save(session)
        except StoreError as e:
            self.notify(str(e), title="Cannot save", severity="error", timeout=10)
            return False
        return self.open_session(session.id)

    # -- actions -------------------------------------------------------------------
    def action_help(self) -> None:
        from facilitator.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_search(self) -> None:
        """Search every session (ctrl+f from any screen, even while typing notes)."""
        from facilitator.screens.search import SearchScreen

        # Back to a search already open (from a hit's session, say) rather than piling up
        # another one; never by closing a meeting on the way.
        stack = self.screen_stack
        at = next((n for n in range(len(stack) - 1, -1, -1) if isinstance(stack[n], SearchScreen)), None)
        if at is not None and not any(s in stack[at + 1 :] for s in self.open_meetings()):
            while self.screen is not stack[at]:
                self.pop_screen()
            stack[at].action_focus_query()
            return
        self._save_meetings()
        self.push_screen(SearchScreen(self.store))

    def action_browse(self) -> None:
        from facilitator.screens.browse import BrowseScreen

        def opened(result) -> None:
            if isinstance(result, str) and result:
                self.open_session(result)

        self._save_meetings()
        self.push_screen(BrowseScreen(self.store), opened)

    def action_import_archive(self) -> None:
        from facilitator.screens.import_archive import ImportArchiveScreen

        # The home screen reads the session list again when it is resumed.
        self.push_screen(ImportArchiveScreen(self.store))

    def action_people(self) -> None:
        from facilitator.screens.people import PeopleScreen

        self._save_meetings()
        self.push_screen(PeopleScreen(self.store))

    def _save_meetings(self) -> None:
        """History screens read the files: write what the open meetings hold first."""
        for screen in self.open_meetings():
            if screen.engine.dirty:
                screen.save_now()

    async def action_quit(self) -> None:
        """Quit at once; every open session saves on the way out (nothing is asked)."""
        self.save_all()
        self.exit(self.exit_code)

    def save_all(self) -> None:
        for screen in self.open_meetings():
            screen.save_now()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # History, from every screen (screens' own bindings for these are not repeated).
        for title, help_text, action in HISTORY_COMMANDS:
            yield SystemCommand(title, help_text, partial(self._run_on, screen, f"app.{action}"))
        seen: set[str] = {a for _, _, a in HISTORY_COMMANDS} | {f"app.{a}" for _, _, a in HISTORY_COMMANDS}
        target = screen
        for binding_screen in (screen,):
            for b in getattr(binding_screen, "BINDINGS", []):
                if not isinstance(b, Binding) or not b.description or b.action in seen:
                    continue
                if not _applies(binding_screen, b.action):
                    continue
                seen.add(b.action)
                key = b.key_display or b.key.split(",")[0]
                yield SystemCommand(  # the tooltip is the long name of a short footer label
                    b.tooltip or b.description, f"{key} — {getattr(binding_screen, 'ACTION_HELP', {}).get(b.action, '')}".rstrip(" —"),
                    partial(self._run_on, target, b.action),
                )
        for title, help_text, action in getattr(screen, "EXTRA_COMMANDS", ()):
            if action in seen or not _applies(screen, action):  # already listed, or not here
                continue
            yield SystemCommand(title, help_text, partial(self._run_on, target, action))

    def _run_on(self, screen: Screen, action: str) -> None:
        self.call_later(screen.run_action, action)


def _applies(screen: Screen, action: str) -> bool:
    """Whether the screen's ``check_action`` lets ``action`` run now (a joiner: not the host's
    keys). The palette lists only those: one that does not apply would do nothing when
    chosen (Textual runs an action only when ``check_action`` allows it)."""
    from textual.actions import parse

    namespace, name, params = parse(action)  # public, in textual.actions; the palette test fails if it changes
    if namespace:  # another namespace (app.help): not the screen's to say
        return True
    return bool(screen.check_action(name, params))


def binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets (for checking a keymap file)."""
    import importlib
    import pkgutil

    import facilitator.screens
    import facilitator.widgets
    from textual.dom import DOMNode

    for pkg in (facilitator.screens, facilitator.widgets):
        for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(mod.name)
    ids: set[str] = set()
    todo: list[type] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("facilitator"):
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, Binding) and b.id:
                    ids.add(b.id)
    return ids


def run_app(
    sessions_dir: Path,
    templates_dir: Path | None = None,
    open_id: str | None = None,
    *,
    host: tuple | None = None,
    join: tuple[str, str] | None = None,
) -> int:
    """Run the app until the user quits; the process exit code."""
    from facilitator.css_cache import FILE_NAME
    from facilitator.paths import cache_dir

    try:
        css_cache: Path | None = cache_dir() / FILE_NAME
    except RuntimeError:  # no home directory to be found (and no XDG_CACHE_HOME): no cache
        css_cache = None
    app = FacilitatorApp(Path(sessions_dir), templates_dir, open_id, host=host, join=join,
                         css_cache=css_cache)
    try:
        result = app.run()
    finally:
        app.save_parsed_css()
    if app.return_code:
        return app.return_code
    return int(result or 0)
