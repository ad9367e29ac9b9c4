"""The few private Textual names the notes and forms lean on, checked so an upgrade fails here, loudly.

Why each is kept (no public way gives the same behaviour in Textual 8.2):
- ``_on_key`` overrides (FormInput, FormList, NotesArea, StageList): Textual hands a key to
  the widget focused when the key is read, but runs Tab/Enter/F-key bindings only after the
  key has bubbled to the app, behind the rest of a typed burst. Public ``on_key`` handlers
  run *after* the widget's own ``_on_key`` (which already inserted the character), and
  bindings cannot run in typing order; so the meeting's keys and the form's Tab/Enter are
  handled in ``_on_key``, and keys that reach a widget after the focus moved are re-posted.
- ``WrappedDocument`` (NotesArea): TextArea recomputes the wrapped height over every line for
  each painted line; with 5,000 lines that was most of a keystroke. There is no public hook
  to cache it, so a subclass keeps it between edits.
"""

from __future__ import annotations

import importlib.metadata
import inspect

from textual.widgets import Input, OptionList, TextArea

from facilitator.widgets import notes


def test_textual_is_the_release_these_were_checked_against() -> None:
    version = importlib.metadata.version("textual")
    assert version.startswith("8."), (
        f"Textual {version}: re-check the private names in tests/test_textual_private.py "
        "(widgets/inputs.py, widgets/notes.py, widgets/stage_list.py) before moving on"
    )


def test_the_key_handlers_we_override_exist() -> None:
    for cls in (Input, OptionList, TextArea):
        handler = getattr(cls, "_on_key", None)
        assert handler is not None and inspect.iscoroutinefunction(handler), f"{cls.__name__}._on_key changed"


def test_wrapped_document_is_still_there_and_used() -> None:
    assert notes.WrappedDocument is not None, "textual.document._wrapped_document.WrappedDocument is gone"
    for name in ("wrap", "wrap_range", "height"):
        assert hasattr(notes.WrappedDocument, name), f"WrappedDocument.{name} is gone"
    area = notes.NotesArea("a\nb")
    assert isinstance(area.wrapped_document, notes._CachedHeightWrappedDocument)
    assert "wrapped_document" in inspect.getsource(TextArea)  # TextArea still sets the attribute
