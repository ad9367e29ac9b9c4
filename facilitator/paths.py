"""Where facilitator keeps things: sessions, styles, user templates."""

from __future__ import annotations

import os
from pathlib import Path

import facilitator

SESSIONS_ENV = "FACILITATOR_SESSIONS"
TEMPLATES_ENV = "FACILITATOR_TEMPLATES"
# The template used when none is named (``templates.DEFAULT_TEMPLATE``). It lives here so
# the CLI can show it in ``--help`` without importing the templates module.
DEFAULT_TEMPLATE = "collab-cafe"


def resolve_sessions_dir(arg: str | None) -> Path:
    """``--sessions DIR``, else ``$FACILITATOR_SESSIONS``, else the user data directory's ``sessions``.

    An installed tool keeps its data in one place whatever directory it runs in
    (``~/.local/share/facilitator/sessions`` on Linux), never in ``./sessions`` of the
    current directory. ``make run`` passes ``--sessions sessions`` (the repo's demo).
    """
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get(SESSIONS_ENV)
    if env:
        return Path(env).expanduser()
    return default_sessions_dir()


def default_sessions_dir() -> Path:
    """``platformdirs.user_data_dir("facilitator")/sessions`` (imported only when needed)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("facilitator", appauthor=False)) / "sessions"


def styles_dir() -> Path:
    """The Textual CSS directory.

    A wheel carries it inside the package (hatch force-include); an editable install
    does not (hatchling skips force-include there), so fall back to the repo's styles/.
    """
    package = Path(facilitator.__file__).resolve().parent
    inside = package / "styles"
    if inside.is_dir():
        return inside
    return package.parent / "styles"


def _xdg_base(variable: str, default: str) -> Path:
    """``$variable`` if it is an absolute path, else ``~/default`` (XDG says a relative
    value is invalid and must be ignored). Not platformdirs: the cache is looked up on
    the way to the first frame, where its import would cost."""
    xdg = os.environ.get(variable)
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / default


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/facilitator``, else ``~/.cache/facilitator``: what can be thrown
    away (``css_cache``'s parsed stylesheets)."""
    return _xdg_base("XDG_CACHE_HOME", ".cache") / "facilitator"


def user_templates_dir() -> Path:
    """``$FACILITATOR_TEMPLATES``, else ``$XDG_CONFIG_HOME/facilitator/templates``."""
    env = os.environ.get(TEMPLATES_ENV)
    if env:
        return Path(env).expanduser()
    return _xdg_base("XDG_CONFIG_HOME", ".config") / "facilitator" / "templates"


KEYMAP_ENV = "FACILITATOR_KEYMAP"


def keymap_path() -> Path:
    """``$FACILITATOR_KEYMAP``, else ``keymap.toml`` in the user config dir for "facilitator"
    (``facilitator.keymap`` reads it; here, so a start without one never loads that module)."""
    env = os.environ.get(KEYMAP_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("facilitator")) / "keymap.toml"
