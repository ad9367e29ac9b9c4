"""Python's cyclic garbage collector paused around work that allocates much and frees little.

Start-up, a warm read of 10,000 sessions and a document's parse each make objects that live
to the end of that work; the collector would only walk them (and every module's objects)
again and again. Its state is given back as it was, whatever happens inside.
"""

from __future__ import annotations

import gc


class paused:
    """``with paused():`` the collector off inside, back on after if it was on before.

    ``paused(False)`` changes nothing (a caller that pauses only some of its work). A
    class, not ``contextlib.contextmanager``: the warm commands do not import contextlib.
    """

    def __init__(self, active: bool = True) -> None:
        self.active = active
        self.was_enabled = False

    def __enter__(self) -> None:
        if self.active:
            self.was_enabled = gc.isenabled()
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.active and self.was_enabled:
            gc.enable()
