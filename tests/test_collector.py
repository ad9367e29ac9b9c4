"""collector.paused: the cyclic collector off inside, given back as it was."""

from __future__ import annotations

import gc

import pytest

from facilitator import collector


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_turns_the_collector_off_and_back_on(collector_state) -> None:
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector.paused():
        assert not gc.isenabled()
        raise KeyError("inside")
    assert gc.isenabled()


def test_paused_leaves_an_off_collector_off_and_inactive_changes_nothing(collector_state) -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc.enable()
    with collector.paused(False):
        assert gc.isenabled()
    assert gc.isenabled()
    with collector.paused(), collector.paused():  # nested: only the outer one turns it back on
        pass
    assert gc.isenabled()
