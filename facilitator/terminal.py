"""Whether the terminal the app draws on is still there.

A terminal closed under a program that gets no SIGHUP (a tmux server killed while the app
runs under ``make``, which does not pass the hangup on) leaves it holding a hung-up tty:
every read returns at once with nothing, so Textual's input thread spins on it at full
CPU, and the open session's lock stays taken, so the meeting cannot be reopened. The app
asks this once a second and, when the terminal is gone, saves and quits.
"""

from __future__ import annotations


def terminal_gone(fd: int) -> bool:
    """True when ``fd`` is a terminal that has been hung up (or closed); False while it is
    usable, and where terminals cannot be asked (no ``termios``: Windows)."""
    try:
        import termios
    except ImportError:
        return False
    try:
        termios.tcgetattr(fd)  # a hung-up tty answers EIO
    except (termios.error, OSError, ValueError):
        return True
    return False
