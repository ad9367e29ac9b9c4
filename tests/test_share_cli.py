"""``facilitator host`` / ``join`` on the command line: clear one-line errors, the URL printed first."""

from __future__ import annotations

import argparse
import os
import socket
import stat

import pytest

from facilitator import share_cli
from facilitator.share_session import plan_hosting, remember_hosting
from facilitator.store import SessionStore
from tests.conftest import run_cli
from tests.test_shared_doc import make_session


def host_args(**kw) -> argparse.Namespace:
    base = {"command": "host", "id": "2024-11-19", "bind": None, "port": 0, "name": "Min", "new_token": False}
    return argparse.Namespace(**(base | kw))


@pytest.mark.parametrize(("args", "message"), [
    (("join", "http://example.org/x"), "not a join URL"),
    (("join", "ws://127.0.0.1:9/m"), "no token"),
    (("host", "2024-11-19", "--port", "70000"), "a port is 0"),
])
def test_bad_arguments_get_one_clear_line(args, message) -> None:
    rc, out, err = run_cli(*args)
    assert rc == 1 and out == ""
    assert err.startswith("facilitator: error: ") and message in err and err.count("\n") == 1


def test_host_binds_first_and_prints_the_join_line(sessions_dir, capsys) -> None:
    SessionStore(sessions_dir).save(make_session())
    options = share_cli.prepare(host_args(), sessions_dir)
    plan, sock, name = options["host"]
    try:
        out = capsys.readouterr().out
        assert out == f"facilitator join {plan.url}\nfacilitator follow {plan.follow_url}\n"
        assert plan.follow_token != plan.token and plan.follow_url == plan.url.replace(plan.token, plan.follow_token)
        assert plan.bind == "127.0.0.1" and plan.port == sock.getsockname()[1] != 0
        assert options["open_id"] == "2024-11-19" and name == "Min"
        # That port is taken now: a second host on it is told so, in words.
        with pytest.raises(ValueError, match=f"port {plan.port} on 127.0.0.1 is taken"):
            share_cli.prepare(host_args(port=plan.port), sessions_dir)
    finally:
        sock.close()


def test_unknown_or_cancelled_meetings_are_not_hosted(sessions_dir) -> None:
    from facilitator.store import StoreError

    with pytest.raises(StoreError, match="no session"):
        share_cli.prepare(host_args(), sessions_dir)
    s = make_session()
    s.status = "cancelled"
    SessionStore(sessions_dir).save(s)
    with pytest.raises(ValueError, match="cancelled"):
        share_cli.prepare(host_args(), sessions_dir)


def test_the_token_and_port_are_remembered_for_a_restart_and_kept_private(sessions_dir) -> None:
    first = plan_hosting(sessions_dir, "2024-11-19")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    remember_hosting(sessions_dir, type(first)(first.session_id, first.bind, port, first.token, first.follow_token))
    again = plan_hosting(sessions_dir, "2024-11-19")
    assert (again.token, again.port, again.url) == (first.token, port, first.url.replace(":0/", f":{port}/"))
    assert again.follow_token == first.follow_token != first.token
    path = sessions_dir / ".share" / "2024-11-19.json"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    renewed = plan_hosting(sessions_dir, "2024-11-19", new=True)
    assert renewed.token != first.token and renewed.follow_token != first.follow_token
    assert plan_hosting(sessions_dir, "2024-11-19", port=0).port == 0


def test_a_meeting_edited_unshared_since_its_snapshot_starts_a_fresh_document_and_token(sessions_dir, capsys) -> None:
    from facilitator import shared_doc as sd
    from facilitator.share_session import discard_stale_snapshot, snapshot_is_stale

    store = SessionStore(sessions_dir)
    path = store.save(make_session())
    snap = sd.snapshot_path(path)
    sd.write_snapshot(sd.open_host_doc(make_session(), path), snap)  # written with the TOML
    remember_hosting(sessions_dir, plan_hosting(sessions_dir, "2024-11-19"))
    token = plan_hosting(sessions_dir, "2024-11-19").token
    assert not snapshot_is_stale(path)
    edited = make_session()
    edited.find_item("item-a").notes = "typed in a meeting that was not shared\n"
    store.save(edited)  # opened and edited without sharing: the TOML is newer
    later = snap.stat().st_mtime_ns + 1_000_000  # (a filesystem's clock may be coarse)
    os.utime(path, ns=(later, later))
    assert snapshot_is_stale(path)
    options = share_cli.prepare(host_args(), sessions_dir)
    options["host"][1].close()
    assert options["host"][0].token != token  # the old joiners' copy would come back doubled
    assert discard_stale_snapshot(path) and not snap.exists()
    assert "typed in a meeting" in str(sd.item_notes(sd.open_host_doc(store.load("2024-11-19"), path), "item-a"))


def test_a_remembered_file_from_before_follow_tokens_keeps_its_join_token(sessions_dir) -> None:
    path = sessions_dir / ".share" / "2024-11-19.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"token": "old-join-token", "bind": "127.0.0.1", "port": 0}\n', encoding="utf-8")
    plan = plan_hosting(sessions_dir, "2024-11-19")
    assert plan.token == "old-join-token" and len(plan.follow_token) >= 20
    remember_hosting(sessions_dir, plan)
    assert plan_hosting(sessions_dir, "2024-11-19").follow_token == plan.follow_token
