"""A Button with a short stylesheet, for screens whose first frame counts (home).

Textual's ``Button`` carries ~7 KB of CSS (every variant, the flat style, the ANSI
theme): parsing it was ~12 ms of home's first frame, more than any other widget's.
``PlainButton`` is the same widget (keys, ``Button.Pressed``, focus, hover, the
``default`` and ``primary`` variants) styled by its own few rules, written for the
look of the default style; ``inherit_css=False`` keeps Button's from being parsed.
Other screens keep Textual's ``Button``; its CSS, parsed when one first shows, is
then added to the app's (no restyle of what is shown) and agrees with these rules.
"""

from __future__ import annotations

from textual.widgets import Button


class PlainButton(Button, inherit_css=False):
    """``Button`` in its default style, ``default`` or ``primary`` variant only."""

    DEFAULT_CSS = """
    PlainButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-foreground;
        background: $surface;
        border: none;
        border-top: tall $surface-lighten-1;
        border-bottom: tall $surface-darken-1;

        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            border-top: tall $surface;
            background: $surface-darken-1;
        }
        &.-active {
            background: $surface;
            border-bottom: tall $surface-lighten-1;
            border-top: tall $surface-darken-1;
            tint: $background 30%;
        }
        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
        &.-primary {
            color: $button-color-foreground;
            background: $primary;
            border-top: tall $primary-lighten-3;
            border-bottom: tall $primary-darken-3;
            &:hover {
                background: $primary-darken-2;
                border-top: tall $primary;
            }
            &.-active {
                background: $primary;
                border-bottom: tall $primary-lighten-3;
                border-top: tall $primary-darken-3;
            }
        }
        &:ansi {
            border: tall $border-blurred;
            background: ansi_default;
            &:hover {
                background: $ansi-background;
                border: tall $border;
            }
            &.-active {
                background: $ansi-background !important;
                border: blank $background !important;
                tint: transparent;
            }
            &.-primary {
                color: $primary;
                border: tall $primary;
                background: ansi_default;
                &:hover { background: $ansi-background; }
            }
            &:disabled {
                text-opacity: 1;
                text-style: bold dim;
                border: tall $border-blurred !important;
                background: ansi_default !important;
            }
        }
    }
    """

    def __init__(self, label: str, variant: str = "default", **kwargs) -> None:
        if variant not in ("default", "primary"):
            raise ValueError(f"PlainButton has no {variant!r} variant (use Button)")
        super().__init__(label, variant, **kwargs)
