"""facilitator: a keyboard-first terminal app for running community meetings."""

__version__ = "0.1.0"
