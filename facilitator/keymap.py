"""The user's own keys: ``keymap.toml`` in the config directory, ``binding_id = "key"``.

Every binding in the app has an id (``meeting.next_item``, ``finish.copy``…); the file maps
ids to keys (a comma-separated list for several), and the app hands it to Textual's
``App.set_keymap``. Ids may be quoted (``"meeting.next_item" = "f12"``) or written as TOML
tables (``[meeting]`` then ``next_item = "f12"``). A file that cannot be used is reported
and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from facilitator.paths import KEYMAP_ENV, keymap_path  # noqa: F401 (re-exported: where the file is)


@dataclass
class Keymap:
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _flatten(data: dict, prefix: str, out: dict[str, object]) -> None:
    for k, v in data.items():
        name = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            _flatten(v, name, out)
        else:
            out[name] = v


def read_keymap(path: Path, known_ids: set[str] | None = None) -> Keymap:
    """The keymap in ``path`` (empty if there is no file) and what was wrong with it."""
    result = Keymap()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return result
    except (OSError, UnicodeDecodeError) as e:
        result.problems.append(f"{path}: cannot be read ({e})")
        return result
    import tomllib  # here: the app asks for keymap_path at every start, most have no file

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        result.problems.append(f"{path}: not valid TOML ({e})")
        return result
    flat: dict[str, object] = {}
    _flatten(data, "", flat)
    for ident, key in flat.items():
        if not isinstance(key, str) or not key.strip():
            result.problems.append(f"{path}: {ident} must be a key name in quotes, like \"f12\"")
            continue
        if known_ids is not None and ident not in known_ids:
            result.problems.append(f"{path}: no binding has the id {ident!r}")
            continue
        result.keys[ident] = ",".join(k.strip() for k in key.split(",") if k.strip())
    return result
