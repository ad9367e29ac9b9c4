"""How many cores this process may use, and whether it may fork a helper of itself now.

One answer for the places that spread work over cores: the index's cold build (worker
processes) and the import's forked half of a big archive. Nothing here imports
threading (the warm CLI path does not load it).
"""

from __future__ import annotations

import os
import sys


def usable() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def fork_safe() -> bool:
    """Whether a forked copy of this process may do work beside it now: on Linux (macOS's
    system libraries are not fork-safe), in a process running no other thread (a child
    could inherit a lock another thread held: the app never forks), with a second core."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")  # not loaded: no thread was started through it
    if threading is not None and threading.active_count() > 1:
        return False
    return usable() > 1
