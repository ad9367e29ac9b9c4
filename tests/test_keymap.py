"""Every binding has an id; a user keymap file remaps keys through App.set_keymap."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from facilitator.app import FacilitatorApp, binding_ids
from facilitator.keymap import read_keymap
from facilitator.model import AgendaItem
from facilitator.store import SessionStore
from facilitator.templates import get_template, new_session
from facilitator.widgets.footer import KeysFooter


def test_every_binding_has_a_unique_id() -> None:
    import importlib
    import pkgutil

    import facilitator.screens
    import facilitator.widgets
    from textual.dom import DOMNode

    for pkg in (facilitator.screens, facilitator.widgets):
        for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(mod.name)
    seen: dict[str, str] = {}
    todo: list[type] = [DOMNode, FacilitatorApp]
    count = 0
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("facilitator"):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding) and b.id, f"{cls.__name__}: {b}"
            assert b.id not in seen or seen[b.id] == cls.__qualname__, b.id
            seen[b.id] = cls.__qualname__
            count += 1
    assert count > 60 and "meeting.next_item" in binding_ids()


def test_read_keymap_flat_nested_and_bad(tmp_path: Path) -> None:
    p = tmp_path / "keymap.toml"
    p.write_text('"meeting.next_item" = "f12"\n[finish]\ncopy = "ctrl+y, f5"\n[meeting]\nnope = "x"\ndefer = 3\n', encoding="utf-8")
    km = read_keymap(p, binding_ids())
    assert km.keys == {"meeting.next_item": "f12", "finish.copy": "ctrl+y,f5"}
    assert len(km.problems) == 2 and "nope" in km.problems[0]
    p.write_text("= broken", encoding="utf-8")
    assert read_keymap(p).problems and not read_keymap(p).keys
    assert read_keymap(tmp_path / "missing.toml").keys == {}


async def test_the_keymap_file_remaps_a_meeting_key(sessions_dir: Path, tmp_path: Path) -> None:
    store = SessionStore(sessions_dir)
    s = new_session(get_template("collab-cafe"), "m1", date="2026-06-16",
                    agenda=[AgendaItem(text="**Min (10m):** A"), AgendaItem(text="**Yuvi (5m):** B")])
    store.save(s)
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('"meeting.next_item" = "f12"\n', encoding="utf-8")
    app = FacilitatorApp(sessions_dir, tmp_path / "no-templates", "m1", now=lambda: 100.0, wall=lambda: 1e9,
                         archive_root=tmp_path, blink=False, keymap=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.screen
        assert m.stage.kind == "checkin"
        await pilot.press("f12")  # "next" on check-in: the next stage
        await pilot.pause()
        assert m.stage_index == 1
        await pilot.press("f6")  # no longer bound to next
        await pilot.pause()
        assert m.stage_index == 1
        shown = m.query_one(KeysFooter).keys_shown()
        assert any(k.key.key == "f12" and k.label.lower() == "f12 next" for k in shown), [k.label for k in shown]
