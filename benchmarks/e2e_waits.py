"""Where this bot's event loop waits in the e2e benchmark, by what it is waiting for.

Run: ``.venv/bin/python -m benchmarks.e2e_waits [N]``: the e2e benchmark's bot
(``benchmarks.separate.e2e_ours``, the sandbox in its own process) on an event loop whose
selector times every blocking ``select``. Each wait is put down to what was under way when
it began: the inbox storing a fetched batch, a getUpdates in flight, the write-behind batch
being written (any mix of them), or none. Prints µs of waiting a message for each. The
benchmark's figure ``e2e_loop_wait_us_per_msg`` is the total (wall time minus loop CPU);
this says which part of the pipeline it belongs to.
"""

from __future__ import annotations

import asyncio
import selectors
import sys
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

from benchmarks import separate
from bot.core import inbox
from bot.db import connection

_under_way: Counter[str] = Counter()
_waits: dict[str, float] = {}
_timing = False


class _TimedSelector(selectors.EpollSelector):
    def select(self, timeout: float | None = None) -> list[Any]:
        started = time.perf_counter()
        ready = super().select(timeout)
        if _timing:
            cause = " + ".join(sorted(name for name, count in _under_way.items() if count))
            cause = cause or "nothing"
            _waits[cause] = _waits.get(cause, 0.0) + time.perf_counter() - started
        return ready


def _counting(name: str, coro: Coroutine[Any, Any, Any]) -> Coroutine[Any, Any, Any]:
    async def counted() -> Any:
        _under_way[name] += 1
        try:
            return await coro
        finally:
            _under_way[name] -= 1

    return counted()


def _install() -> None:
    admit_rows = inbox.InboxQueue.admit_rows
    post = inbox.DurableBot._post
    on_thread: Callable[..., Any] = connection.on_sqlite_thread

    async def timed_admit(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await _counting("storing a fetched batch", admit_rows(self, *args, **kwargs))

    async def timed_post(self: Any, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        call = post(self, endpoint, *args, **kwargs)
        if endpoint == "getUpdates":
            return await _counting("getUpdates in flight", call)
        return await call

    async def timed_thread(conn: Any, work: Any, *args: Any) -> Any:
        call = on_thread(conn, work, *args)
        if work is connection._write_batch:
            return await _counting("writing the batch", call)
        return await call

    inbox.InboxQueue.admit_rows = timed_admit  # type: ignore[method-assign]
    inbox.DurableBot._post = timed_post  # type: ignore[method-assign]
    connection.on_sqlite_thread = timed_thread


async def _timed_e2e(n: int) -> tuple[float, float, float]:
    global _timing
    until = separate._until

    async def timed_until(done: Any, timeout: float = 300.0) -> None:  # noqa: ASYNC109
        global _timing
        _timing = True
        try:
            await until(done, timeout)
        finally:
            _timing = False

    separate._until = timed_until
    try:
        return await separate.e2e_ours(n)
    finally:
        separate._until = until
        _timing = False


def measure(n: int = 10_000) -> dict[str, float]:
    _install()
    with asyncio.Runner(loop_factory=lambda: asyncio.SelectorEventLoop(_TimedSelector())) as r:
        r.run(_timed_e2e(2_000))  # imports and caches, not counted
        _waits.clear()
        rate, loop_cpu, _ = r.run(_timed_e2e(n))
    figures = {"msgs_per_s": rate, "loop_cpu_us_per_msg": loop_cpu}
    for cause, seconds in sorted(_waits.items(), key=lambda item: -item[1]):
        figures[f"wait_us_per_msg: {cause}"] = seconds / n * 1e6
    return figures


if __name__ == "__main__":
    for name, value in measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000).items():
        print(f"{value:10.1f}  {name}")
