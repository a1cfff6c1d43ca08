"""The bot-wide sending budget, shared fairly between clubs (lanes) and priorities.

Telegram's ~30 messages a second is one budget per bot. When two clubs broadcast at once,
a first-come queue would hand it out in whatever order sends happen to queue, and a reply in a
third club would wait behind every send queued before it. Here the places are dealt
round-robin between the lanes that have sends waiting (every send costs one place, so round
robin is weighted fair queueing with equal weights), and within a lane interactive sends go
before bulk ones. A lane with nothing waiting takes no turn, so a club alone gets the whole
budget.

Guarantee: while k lanes have sends waiting, each gets at least every k-th place, so a reply
waits for at most k - 1 other sends once a place is free, however long the other lanes'
queues are; a lane's bulk sends wait only for its own interactive ones.

The window itself is the one of ``SlidingWindow`` (bot/core/ratelimit.py): a place is held
from the start of a request until ``period`` after its answer, so no more than ``limit``
requests arrive within any ``period``. Waiting costs one future per send and, for all of
them together, at most one timer; every step is O(1) (cancelling a queued send included),
except that a lane joining or leaving the round costs O(lanes).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol

from bot.core.lanes import Priority

# Fired timers may run a hair before the deadline by the loop's clock; a millisecond more
# saves a wasted wake-up that would find the oldest place still held.
_TIMER_SLACK = 0.001


_Queue = OrderedDict[asyncio.Future[None], None]


class Cancellable(Protocol):
    def cancel(self) -> None: ...


# ``call_later(delay, callback)``: the event loop's by default; tests pass one that runs on
# their fake clock, so they can play minutes of sending without waiting for them.
CallLater = Callable[[float, Callable[[], None]], Cancellable]


class FairWindow:
    """At most ``limit`` requests arriving within any ``period`` seconds, dealt out fairly."""

    def __init__(
        self,
        limit: int,
        period: float,
        clock: Callable[[], float],
        call_later: CallLater | None = None,
    ) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._call_later = call_later
        self._ends: deque[float] = deque()  # answer times of finished requests, in order
        self._in_flight = 0
        # Per lane, one queue per priority (indexed by Priority); a lane is a key here only
        # while it has a waiter, and then it is in ``_turns`` exactly once. Ordered dicts,
        # not deques, so that a cancelled waiter leaves its queue in O(1).
        self._waiting: dict[str, tuple[_Queue, ...]] = {}
        self._turns: deque[str] = deque()  # lanes with waiters, next to be served first
        self._timer: Cancellable | None = None

    def _free(self, now: float) -> int:
        while self._ends and now - self._ends[0] >= self.period:
            self._ends.popleft()
        return self.limit - self._in_flight - len(self._ends)

    async def acquire(self, lane: str, priority: Priority) -> None:
        """Wait for a place; the caller must ``release()`` when the request is answered."""
        if not self._turns and self._free(self._clock()) > 0:
            self._in_flight += 1  # nobody queued before us: no one to be fair to
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queues = self._waiting.get(lane)
        if queues is None:
            queues = self._waiting[lane] = tuple(_Queue() for _ in Priority)
            self._turns.append(lane)
        queues[priority][waiter] = None
        self._dispatch()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.cancelled():
                self._forget(lane, priority, waiter)
            else:
                # The place was handed to us just as we were cancelled: nothing was sent,
                # so it goes back at once rather than being held for a period.
                self._in_flight -= 1
                self._dispatch()
            raise

    def release(self) -> None:
        """The request was answered: its place is held ``period`` more, then reused."""
        self._in_flight -= 1
        self._ends.append(self._clock())
        if self._turns:
            self._dispatch()  # arms the timer when every place had been in flight

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _dispatch(self) -> None:
        now = self._clock()
        while self._turns and self._free(now) > 0:
            lane = self._turns[0]
            queues = self._waiting[lane]
            waiter, _ = next(queue for queue in queues if queue).popitem(last=False)
            if not any(queues):
                del self._waiting[lane]
                self._turns.popleft()
            elif not waiter.done():
                self._turns.rotate(-1)  # served: to the back of the line
            if waiter.done():
                continue  # cancelled, and its task has not run yet to say so: skip it
            self._in_flight += 1
            waiter.set_result(None)
        if self._turns and self._ends and self._timer is None:
            # Places held by answered requests free up in order: wake when the oldest does.
            # (All places in flight: ``release`` dispatches instead.)
            delay = self._ends[0] + self.period - now + _TIMER_SLACK
            call_later = self._call_later or asyncio.get_running_loop().call_later
            self._timer = call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._dispatch()

    def _forget(self, lane: str, priority: Priority, waiter: asyncio.Future[None]) -> None:
        queues = self._waiting.get(lane)
        if queues is None:
            return  # ``_dispatch`` already skipped it, and it was the lane's last
        queues[priority].pop(waiter, None)
        if not any(queues):
            del self._waiting[lane]
            self._turns.remove(lane)
