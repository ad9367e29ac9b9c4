"""Text fields for typing while the meeting runs, and the lists under the meeting's forms.

``LineInput`` never selects all on focus (an edit must not wipe the line) and blinks only
if the app says so; ``FormInput`` and ``FormList`` keep up with keys typed in a burst.
``screen_key_now`` lets a focused field run its screen's keys (the meeting's F-keys) in
the order they were typed.

The ``_on_key`` overrides here are private Textual API, kept on purpose: no public hook
runs before a widget's own key handling and in typing order (see
tests/test_textual_private.py, which fails loudly if a Textual upgrade moves them).
"""

from __future__ import annotations


from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList


class LineInput(Input):
    """The app's one-line text field: every ``Input`` in the app is one (a test checks).

    Its value never holds a control character (C0 but tab and newline, DEL, C1): typed,
    pasted or set from a file, each becomes its visible stand-in (``facilitator.sanitize``),
    one character for one, so cursor positions stay where they were.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def validate_value(self, value: str) -> str:
        """Every value set (a paste, a key, a program) passes the control-character policy."""
        from facilitator.sanitize import clean

        return clean(value)

    def _on_paste(self, event: events.Paste) -> None:
        """A paste's first line, its control characters (ESC, OSC, C1) as visible stand-ins
        (facilitator.sanitize)."""
        from facilitator.sanitize import clean, has_controls
        from facilitator.text_offsets import normalise_newlines

        # Input keeps the first line; split at line breaks only (splitlines would also split
        # at \x0b, \x0c, \x1c-\x1e and \x85, hiding them instead of showing them). A
        # terminal sends a paste's line breaks as \r: a lone \r ends the line too.
        first = normalise_newlines(event.text).split("\n")[0] if event.text else ""
        if first != event.text or has_controls(first):
            event.prevent_default()  # Input's own handler would insert the raw text
            event.stop()
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(clean(first))
            else:
                self.replace(clean(first), *selection)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key is handled (``Widget.focus`` waits for the loop)."""
    widget.screen.set_focus(widget)


def follow_focus(widget: Widget, event: events.Key) -> bool:
    """Pass on a key that reached ``widget`` after an earlier key of its burst moved the focus.

    True if the key was passed on: to the focused form field at once, else through the app
    (which sends it to whatever has the focus now).
    """
    focused = widget.app.focused
    if focused is widget:
        return False
    event.stop()
    event.prevent_default()
    if not (isinstance(focused, FormInput) and focused.take_key(event)):
        widget.app.post_message(events.Key(event.key, event.character))
    return True


async def screen_key_now(widget: Widget, event: events.Key) -> bool:
    """Run the screen's binding for a key now, in typing order; True if it ran.

    Textual hands each key to the focused widget's queue, but runs a binding only once the
    key has bubbled up to the app, behind the rest of a burst (a priority binding runs
    before the keys ahead of it are handled). A screen that wants its keys in order
    (``MeetingScreen``) has ``run_key_now``; its fields call this before their own handling.
    """
    run = getattr(widget.screen, "run_key_now", None)
    if run is None or event.is_printable or not await run(event.key):
        return False
    event.stop()
    event.prevent_default()
    return True


class FormInput(LineInput):
    """A field of a keyboard form (the agenda's owner / minutes / title, the check-in line).

    Textual hands each key to the widget that has the focus when the key is read, but Tab
    (and Enter) act only once the key has bubbled up to the app's bindings. Typed in one
    burst (``Min<Tab>10<Tab>Title<Enter>`` from a fast typist or ``tmux send-keys``), every
    key therefore lands in the first field. So a form field acts on Tab, shift+Tab and on
    the keys its form claims (``form_key``: Enter, ↑, ↓) at once, and a key that reaches
    it after the focus moved on is passed to the widget that has the focus now, in order.
    """

    class LinesPasted(Message):
        """Several lines pasted into a field that takes them (``takes_lines``) as a whole."""

        def __init__(self, field: "FormInput", text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

    #: A form that reads a pasted block (the agenda) sets this; others keep the first line.
    takes_lines: bool = False

    def on_paste(self, event: events.Paste) -> None:
        """A paste of several lines goes to the form whole, not cut to its first line: its
        line breaks as ``\n`` (a terminal sends them as ``\r``), its other control
        characters as visible stand-ins (facilitator.sanitize), as in the field itself."""
        if self.takes_lines and len([ln for ln in event.text.splitlines() if ln.strip()]) > 1:
            from facilitator.sanitize import clean
            from facilitator.text_offsets import normalise_newlines

            event.prevent_default()  # Input's own handler keeps only the first line
            event.stop()
            self.post_message(self.LinesPasted(self, clean(normalise_newlines(event.text))))

    async def _on_key(self, event: events.Key) -> None:
        if follow_focus(self, event) or await screen_key_now(self, event):
            return
        if self.take_key(event):
            event.stop()
            event.prevent_default()
        # Otherwise Input's own handler (next in the MRO) and the bindings deal with it.

    def take_key(self, event: events.Key) -> bool:
        """Act on a key now, without waiting for the bindings; False if it is not ours."""
        form = next((n for n in self.ancestors if hasattr(n, "form_key")), None)
        if form is not None and form.form_key(self, event.key):
            return True
        if event.key == "tab":
            self.screen.focus_next()
            return True
        if event.key == "shift+tab":
            self.screen.focus_previous()
            return True
        if event.is_printable and event.character:
            self._restart_blink()
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *selection)
            return True
        return False


class FormList(OptionList):
    """The list under a form: ↑ on its first line goes back up to the form (``form_key``).

    ↑ and ↓ move the cursor here, at once, rather than through the bindings, so a burst
    of arrows is taken in order and the first line is still the first line when ↑ comes.
    """

    async def _on_key(self, event: events.Key) -> None:
        if follow_focus(self, event) or await screen_key_now(self, event) or event.key not in ("up", "down"):
            return
        event.stop()
        event.prevent_default()
        if event.key == "down":
            self.action_cursor_down()
            return
        form = next((n for n in self.ancestors if hasattr(n, "form_key")), None)
        if not self.highlighted and form is not None and form.form_key(self, "up"):
            return
        self.action_cursor_up()
