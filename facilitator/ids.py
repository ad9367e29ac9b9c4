"""Session ids as file names and as shown in lists (no data layer: home's first frame uses them)."""

from __future__ import annotations

import re
import unicodedata

SAFE_ID_MAX = 60


def safe_id(text: str) -> str:
    """A slug usable as a file name: ``a-z``, ``0-9`` and ``-`` only (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SAFE_ID_MAX].rstrip("-")


def shown_id(session_id: str, date: str) -> str:
    """The id to show beside a session's date in a list: empty when the id is just the
    date, else the id itself (``2024-12-17-2``), so two meetings of one day never look alike."""
    return "" if session_id == safe_id(date) else session_id
