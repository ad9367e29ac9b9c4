"""Rename, delete (to the trash) and bring back a session, from a list of sessions.

The rules are the store's: ``SessionStore.rename`` / ``delete`` / ``restore``, the very
functions behind the CLI's ``rename``, ``delete`` and ``restore`` (never replacing a
session, the trash being ``.trash/`` inside the sessions directory). ``SessionOps``, mixed
into a screen that lists sessions (home, history), asks before it acts, calls them and
says what happened; the screen names the selected session and reloads its list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is imported on first use: home's first frame comes without it
    from facilitator.store import SessionStore

# The default keys, named in the messages when no binding of the screen says otherwise.
DEFAULT_KEYS = {"rename_session": "F2", "delete_session": "F8", "undo_delete": "ctrl+z", "trash": "F9"}


def key_name(key: str) -> str:
    """A key as messages name it: ``F2``, ``ctrl+z``."""
    return key.upper() if key[:1] == "f" and key[1:].isdigit() else key


def same_day_warning(session_id: str, date: str, rename_key: str = "F2", delete_key: str = "F8") -> str | None:
    """What to tell the user when a new session shares its day with another (None if not)."""
    from facilitator.store import same_day_as

    base = same_day_as(session_id, date)
    if base is None:
        return None
    return (f"A meeting on {date} exists already ({base}); this one is {session_id}. "
            f"The lists show the id; {rename_key} on a list renames a session, {delete_key} deletes one.")


class SessionOps:
    """Actions ``rename_session``, ``delete_session``, ``undo_delete`` and ``trash`` for a Screen.

    The screen provides ``selected_session()`` -> (id, description) or None (having said
    why), and ``sessions_changed(select, gone)`` to reload its list.
    """

    def selected_session(self) -> tuple[str, str] | None:  # pragma: no cover - the screens define it
        raise NotImplementedError

    def sessions_changed(self, select: str | None = None, gone: str | None = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def key_of(self, action: str) -> str:
        """The key that runs ``action`` on this screen now: a keymap.toml may have moved it."""
        for active in self.active_bindings.values():
            if active.binding.action == action:
                return key_name(active.binding.key)
        return DEFAULT_KEYS.get(action, action)

    def same_day_warning(self, session_id: str, date: str) -> str | None:
        return same_day_warning(session_id, date, self.key_of("rename_session"), self.key_of("delete_session"))

    @property
    def session_store(self) -> SessionStore:
        return getattr(self, "store", None) or self.app.store

    def _open_in_app(self, session_id: str) -> bool:
        """Whether one of this app's meetings has the session open (it cannot move then)."""
        from facilitator.screens.meeting import MeetingScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MeetingScreen) and screen.session.id == session_id:
                self.app.notify(f"{session_id} is open in a meeting here; close it first (Escape there).",
                                severity="warning", timeout=6, markup=False)
                return True
        return False

    def action_rename_session(self) -> None:
        picked = self.selected_session()
        if picked is None or self._open_in_app(picked[0]):
            return
        from facilitator.screens.dialogs import TextPrompt

        from facilitator.store import StoreError, id_from

        old, described = picked

        def chosen(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                return
            new = id_from(text)  # "2024-12-17 Breakout" means 2024-12-17-breakout
            if not new:
                self.app.notify(f"{text.strip()!r} cannot be a session id: use lowercase letters, digits and '-'.",
                                severity="error", timeout=8, markup=False)
                return
            if new == old:
                return
            try:
                self.session_store.rename(old, new)
            except StoreError as e:
                self.app.notify(f"Cannot rename {old}: {e}", severity="error", timeout=8, markup=False)
                return
            self.app.notify(f"Renamed {old} to {new}.", timeout=5, markup=False)
            self.sessions_changed(select=new, gone=old)

        self.app.push_screen(
            TextPrompt(f"Rename {described}.\nNew id (lowercase letters, digits and '-'). "
                       "Enter renames, Escape cancels.", old),
            chosen,
        )

    def action_delete_session(self) -> None:
        picked = self.selected_session()
        if picked is None or self._open_in_app(picked[0]):
            return
        from facilitator.screens.dialogs import ConfirmDialog

        from facilitator.store import StoreError

        sid, described = picked
        store = self.session_store
        undo, trash = self.key_of("undo_delete"), self.key_of("trash")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                store.delete(sid)
            except StoreError as e:
                self.app.notify(f"Cannot delete {sid}: {e}", severity="error", timeout=8, markup=False)
                return
            self.app.notify(
                f"Moved {sid} to the trash. {undo} brings it back ({trash}: everything in the trash).",
                title="Session deleted", timeout=12, markup=False,
            )
            self.sessions_changed(gone=sid)

        self.app.push_screen(
            ConfirmDialog(f"Delete {described}?\nIt moves to the trash ({store.root / store.TRASH}); "
                          f"{undo} or the trash ({trash}) brings it back.", yes="Delete"),
            answered,
        )

    def action_undo_delete(self) -> None:
        """Bring back the session deleted last in this app."""
        store = self.session_store
        if not store.deleted_here:
            self.app.notify(f"Nothing deleted here to bring back; {self.key_of('trash')} lists the trash.", timeout=5)
            return
        self.restore_session(store.deleted_here[-1])

    def action_trash(self) -> None:
        def picked(session_id: str | None) -> None:
            if session_id:
                self.restore_session(session_id)

        from facilitator.screens.trash import TrashScreen

        self.app.push_screen(TrashScreen(self.session_store), picked)

    def restore_session(self, session_id: str) -> None:
        from facilitator.store import StoreError

        try:
            self.session_store.restore(session_id)
        except StoreError as e:
            self.app.notify(f"Cannot restore {session_id}: {e}", severity="error", timeout=8, markup=False)
            return
        self.app.notify(f"Restored {session_id} from the trash.", timeout=5, markup=False)
        self.sessions_changed(select=session_id)
