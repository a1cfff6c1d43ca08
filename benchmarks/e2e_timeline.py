"""One stretch of the e2e benchmark as a timeline: what each batch's chain waited for.

Run: ``.venv/bin/python -m benchmarks.e2e_timeline [N] [--lines K]``: the e2e benchmark's
bot (``benchmarks.separate.e2e_ours``, the sandbox in its own process) once to warm up, then
again with each step of the batch chain stamped: getUpdates sent and answered, the inbox
storing the batch (on the loop, and its transaction on SQLite's thread), the write-behind
batch write on SQLite's thread, the update queue running dry, and every wait of the event
loop longer than 0.2 ms. Prints K lines from the middle of the run (the steady state), then
the medians of the inbox transaction and of the batch write, wall time against the CPU time
of SQLite's thread: the difference is time that thread waited for the GIL or a core.

``benchmarks.e2e_waits`` sums the loop's waits by cause; this shows their order in time.
"""

from __future__ import annotations

import argparse
import asyncio
import selectors
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks import separate
from bot.core import inbox
from bot.core.activity import Activity
from bot.db import connection

_LOOP_THREAD = threading.get_ident()
# (perf_counter, on SQLite's thread, what happened)
_events: list[tuple[float, bool, str]] = []
# (wall s, thread CPU s) of each inbox transaction and of each batch write
_admits: list[tuple[float, float]] = []
_writes: list[tuple[float, float]] = []


def _stamp(what: str) -> None:
    _events.append((time.perf_counter(), threading.get_ident() != _LOOP_THREAD, what))


class _StampingSelector(selectors.EpollSelector):
    def select(self, timeout: float | None = None) -> list[Any]:
        started = time.perf_counter()
        ready = super().select(timeout)
        waited = time.perf_counter() - started
        if waited > 0.0002:
            _events.append((started, False, f"loop waits {waited * 1e3:.2f} ms"))
        return ready


def _timed_on_thread(
    work: Callable[..., Any], label: str, into: list[tuple[float, float]]
) -> Callable[..., Any]:
    def timed(conn: Any, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        _stamp(f"{label} starts")
        try:
            return work(conn, *args)
        finally:
            _stamp(f"{label} ends")
            into.append((time.perf_counter() - wall, time.thread_time() - cpu))

    return timed


def _install() -> None:
    post = inbox.DurableBot._post
    admit_batch = inbox.InboxQueue.admit_batch
    update_done = Activity.update_done

    async def stamped_post(self: Any, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        if endpoint != "getUpdates":
            return await post(self, endpoint, *args, **kwargs)
        _stamp("getUpdates sent")
        answer = await post(self, endpoint, *args, **kwargs)
        _stamp(f"getUpdates answered ({len(answer) if isinstance(answer, list) else '?'})")
        return answer

    async def stamped_admit(self: Any, *args: Any, **kwargs: Any) -> Any:
        _stamp("inbox: storing the batch (parsed)")
        try:
            return await admit_batch(self, *args, **kwargs)
        finally:
            _stamp("inbox: batch stored")

    def stamped_done(self: Activity) -> None:
        update_done(self)
        if self.updates == 0:
            _stamp("update queue dry")

    inbox.DurableBot._post = stamped_post  # type: ignore[method-assign]
    inbox.InboxQueue.admit_batch = stamped_admit  # type: ignore[method-assign]
    Activity.update_done = stamped_done  # type: ignore[method-assign]
    connection._in_transaction = _timed_on_thread(  # type: ignore[assignment]
        connection._in_transaction, "inbox transaction", _admits
    )
    connection._write_batch = _timed_on_thread(  # type: ignore[assignment]
        connection._write_batch, "batch write", _writes
    )


def timeline(n: int = 10_000, lines: int = 80) -> str:
    _install()
    with asyncio.Runner(
        loop_factory=lambda: asyncio.SelectorEventLoop(_StampingSelector())
    ) as runner:
        runner.run(separate.e2e_ours(2_000))  # imports and caches, not shown
        _events.clear()
        _admits.clear()
        _writes.clear()
        runner.run(separate.e2e_ours(n))
    _events.sort()
    middle = len(_events) // 2
    origin = _events[middle][0]
    out = [
        f"{(at - origin) * 1e3:9.2f} ms  {'sqlite' if on_thread else 'loop  '}  {what}"
        for at, on_thread, what in _events[middle : middle + lines]
    ]
    for label, found in (("inbox transaction", _admits), ("batch write", _writes)):
        if found:
            wall = statistics.median(w for w, _ in found) * 1e3
            cpu = statistics.median(c for _, c in found) * 1e3
            out.append(f"{label}: {len(found)}, median {wall:.2f} ms wall, {cpu:.2f} ms CPU")
    return "\n".join(out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("messages", nargs="?", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=80, help="timeline lines shown")
    options = parser.parse_args()
    print(timeline(options.messages, options.lines))
