"""The keys footer: one widget that paints the screen's keys as Textual's footer shows them.

Its look is checked cell by cell by the snapshots (tests/__snapshots__); here what it
does: which keys, where, lit under the mouse with the key's tooltip, a click presses the
key (a disabled one rings the bell), a change of keys repainted without a widget per key.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from facilitator.widgets.footer import KeysFooter


class FooterApp(App):
    BINDINGS = [
        Binding("f5", "count('go')", "Go", key_display="F5", tooltip="Count a go"),
        Binding("f6", "count('stop')", "Stop", key_display="F6"),
        Binding("f7", "count('hidden')", "Hidden", show=False),
        Binding("f8", "count('later')", "Later", key_display="F8"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[str] = []
        self.bells = 0
        self.stop_enabled = True

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeysFooter()

    def action_count(self, what: str) -> None:
        self.counts.append(what)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "count" and parameters == ("stop",) and not self.stop_enabled:
            return None  # shown, disabled
        return True

    def bell(self) -> None:
        self.bells += 1


def labels(app: App) -> list[str]:
    return [k.label for k in app.screen.query_one(KeysFooter).keys_shown()]


async def test_the_keys_in_order_whole_with_the_palette_on_a_wide_footer() -> None:
    app = FooterApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        shown = footer.keys_shown()
        assert labels(app) == ["F5 Go", "F6 Stop", "F8 Later", "^p palette"]
        assert all(k.whole for k in shown)
        assert [k.start for k in shown[:3]] == [0, len(" F5 Go "), len(" F5 Go ") + len(" F6 Stop ")]
        assert shown[-1].end == 120  # the palette key at the right edge
        assert not footer.children  # one widget, not one a key
        assert footer.region.y == 9 and footer.region.height == 1  # docked at the bottom


async def test_a_narrow_footer_is_compact_without_the_palette() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        assert footer.compact and footer.has_class("-compact")
        assert labels(app) == ["F5 Go", "F6 Stop", "F8 Later"]
        assert [k.start for k in footer.keys_shown()] == [0, len("F5 Go "), len("F5 Go F6 Stop ")]
        await pilot.resize_terminal(120, 10)
        await pilot.pause()
        assert not footer.compact and labels(app)[-1] == "^p palette"


async def test_a_click_presses_the_key_and_a_disabled_key_rings() -> None:
    app = FooterApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        go, stop = app.screen.query_one(KeysFooter).keys_shown()[:2]
        await pilot.click(KeysFooter, offset=(go.start + 1, 0))
        await pilot.pause()
        assert app.counts == ["go"]
        app.stop_enabled = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.click(KeysFooter, offset=(stop.start + 1, 0))
        await pilot.pause()
        assert app.counts == ["go"] and app.bells == 1


async def test_the_key_under_the_mouse_is_lit_with_its_tooltip() -> None:
    app = FooterApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        go, stop = footer.keys_shown()[:2]
        hover = footer.get_component_rich_style("keys-footer--hover").bgcolor

        def background_at(column: int):
            line = footer.render()
            return line.get_style_at_offset(app.console, column).bgcolor

        assert background_at(go.start) != hover
        await pilot.hover(KeysFooter, offset=(go.start + 2, 0))
        await pilot.pause()
        assert footer.hovered == 0 and footer.tooltip == "Count a go" and footer.styles.pointer == "pointer"
        assert all(background_at(c) == hover for c in range(go.start, go.end))
        assert background_at(stop.start) != hover
        await pilot.hover(KeysFooter, offset=(stop.start + 1, 0))
        await pilot.pause()
        assert footer.hovered == 1 and footer.tooltip is None  # a key without a tooltip
        await pilot.hover(Static)
        await pilot.pause()
        assert footer.hovered == -1 and background_at(stop.start) != hover and footer.styles.pointer == "default"


async def test_a_change_of_keys_is_a_repaint_and_the_footer_says_when_it_shows_them() -> None:
    app = FooterApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        assert footer.settled()
        app.stop_enabled = False
        app.refresh_bindings()
        assert not footer.settled()  # the bindings moved on; the painted keys not yet
        await pilot.pause()
        await pilot.pause()
        assert footer.settled() and not footer.children
        stop = footer.keys_shown()[1]
        assert stop.label == "F6 Stop" and not stop.key.enabled
        assert footer.render().get_style_at_offset(app.console, stop.start + 1).dim


class CrowdedApp(FooterApp):
    BINDINGS = [Binding(f"f{n}", f"count('k{n}')", f"Key number {n}", key_display=f"F{n}") for n in range(1, 13)]


async def test_keys_cut_at_the_edge_leave_the_palette_whole_and_lit_on_its_own() -> None:
    app = CrowdedApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        shown = footer.keys_shown()
        palette = shown[-1]
        assert palette.label == "^p palette" and palette.whole and palette.end == 100
        assert not shown[-2].whole and shown[-2].end == palette.start  # cut where the palette starts
        assert len(shown) < 13  # the keys past the edge are not painted at all
        hover = footer.get_component_rich_style("keys-footer--hover").bgcolor
        await pilot.hover(KeysFooter, offset=(palette.start + 2, 0))
        await pilot.pause()
        line = footer.render()
        assert footer.hovered == len(shown) - 1
        assert line.get_style_at_offset(app.console, palette.start + 2).bgcolor == hover
        assert all(line.get_style_at_offset(app.console, c).bgcolor != hover for c in range(palette.start))
