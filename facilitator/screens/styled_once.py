"""Screens styled once when first shown, not twice."""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Mixed into a Screen (before ``Screen``): its first show keeps the styles its
    widgets were given as they were mounted.

    Textual styles each widget when it is mounted and then, when the screen is shown
    (``ScreenResume``), styles every node of it again. On a screen mounted just before,
    that second pass changes nothing (``tests/test_styled_once.py`` checks it) and it
    was ~10 ms of home's first frame: 50 of its 114 style applications (54 of 128 on the
    first ctrl+b to the history list). Home, the meeting and the past sessions' screens
    use it. Later shows (back from another screen) restyle as Textual does, since the
    theme or the screen's classes may have changed meanwhile.

    Textual calls each class's ``on_screen_resume`` in MRO order, this one before
    ``Screen``'s own handler reads ``event.refresh_styles`` (a public field of the event).
    """

    _shown_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False
