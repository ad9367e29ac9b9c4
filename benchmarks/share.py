"""A shared meeting on 127.0.0.1: keystroke latency A -> host -> B, bytes per keystroke.

Two joiners (``ShareClient``) on a host (``host_meeting``) in one process and one event
loop, as in the tests; A types into an item's notes through a ``TextLink`` (what a notes
pane does), B notes when each keystroke arrives. Prints the median and the 95th
percentile latency, the update bytes per keystroke, and how long a host restart takes
to be online again for both joiners.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pycrdt import Doc  # noqa: E402

from facilitator import shared_doc as sd  # noqa: E402
from facilitator.share_client import Backoff, LinkState, ShareClient  # noqa: E402
from facilitator.share_server import host_meeting  # noqa: E402
from facilitator.shared_meeting import TextLink  # noqa: E402
from tests.test_shared_doc import make_session  # noqa: E402

KEYS = 300
TEXT = "Min 会議 😀 notes, typed one key at a time. "


async def main() -> None:
    host_doc = sd.session_to_doc(make_session())
    fast = Backoff(first=0.05, cap=0.5, jitter=0.0)
    async with anyio.create_task_group() as tg:
        stop = anyio.Event()

        async def serve(*, task_status=anyio.TASK_STATUS_IGNORED, **kw) -> None:
            async with host_meeting(host_doc, "2024-11-19", **kw) as hosted:
                task_status.started(hosted)
                await stop.wait()

        hosted = await tg.start(serve)
        a = ShareClient(hosted.url, Doc(), name="A", backoff=fast)
        b = ShareClient(hosted.url, Doc(), name="B", backoff=fast)
        async with a, b:
            await a.wait_synced()
            await b.wait_synced()
            sizes: list[int] = []
            arrived: list[float] = []
            b_notes = sd.item_notes(b.doc, "item-a")
            keep = (  # the subscriptions (and the Text they watch) must outlive the loop
                a.doc.observe(lambda e: sizes.append(len(e.update))),
                b_notes,
                b_notes.observe(lambda e: arrived.append(time.perf_counter())),
            )
            link = TextLink(sd.item_notes(a.doc, "item-a"))
            latencies = []
            for n in range(KEYS):
                ch = TEXT[n % len(TEXT)]
                before = len(arrived)
                start = time.perf_counter()
                link.local_edit(len(link.value), len(link.value), ch)
                while len(arrived) == before:
                    await anyio.sleep(0)
                latencies.append(arrived[-1] - start)
            assert str(sd.item_notes(b.doc, "item-a")) == link.value and keep
            lat = sorted(latencies)
            print(f"keystroke A -> host -> B on 127.0.0.1: median {statistics.median(lat) * 1000:.2f} ms, "
                  f"p95 {lat[int(len(lat) * 0.95)] * 1000:.2f} ms ({KEYS} keys, emoji and CJK among them)")
            print(f"update bytes per keystroke: median {statistics.median(sizes):.0f}, max {max(sizes)}")
            # A host restart: stop it, start it again on the same port and token.
            stop.set()
            while not (a.state == b.state == LinkState.OFFLINE):
                await anyio.sleep(0.001)
            stop = anyio.Event()
            t0 = time.perf_counter()
            await tg.start(lambda *, task_status: serve(task_status=task_status, port=hosted.port, token=hosted.token))
            while not (a.state == b.state == LinkState.ONLINE):
                await anyio.sleep(0.001)
            print(f"host restart to both joiners online again: {(time.perf_counter() - t0) * 1000:.0f} ms "
                  f"(backoff capped at {fast.cap} s here; the app's cap is 5 s)")
            stop.set()
        tg.cancel_scope.cancel()


if __name__ == "__main__":
    anyio.run(main)
