"""Every Bot API call goes through here: Telegram's send limits, flood waits and retries.

Why not PTB's ``AIORateLimiter`` as is:

* It uses leaky buckets (aiolimiter) that allow a full burst *and then* the steady rate, so
  the first second of a broadcast carries ~60 messages and a group gets ~40 in its first
  minute: over Telegram's guidance (30 messages per second overall, 20 per minute per group,
  about one per second per private chat). A sliding-window log never lets more than N
  requests start within any window, which is what "never over" means.
* It retries only ``RetryAfter``. A 502 from Telegram's front end, a dropped connection or a
  timeout surfaces as ``NetworkError``/``TimedOut`` and the message is simply lost. Here they
  are retried with backoff. This is the right depth for it: every feature's sends, edits,
  approvals and bans get it without each caller writing a loop, and a retry passes through
  the limits again like any other request.

At-least-once: a timeout or a dropped answer may come *after* Telegram acted (the message
was posted, only the answer was lost). The Bot API has no idempotency key, so retrying may
post twice; not retrying may lose the message. For sends the bot chooses at-least-once (a
rare duplicate teaser beats a silently missing digest). Failures that happen before the
request reached Telegram (connection refused or reset while connecting, pool exhausted)
cannot duplicate. Errors that are answers (``BadRequest``, ``Forbidden``, ``ChatMigrated``)
are never retried here: the caller handles them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.core.fair_window import CallLater, FairWindow
from bot.core.lanes import current_lane, current_priority

log = logging.getLogger(__name__)

# Telegram's guidance (bot FAQ), one short of each. Telegram counts arrivals; a request holds
# its place until one window after its answer (SlidingWindow), which bounds arrivals however
# long a request stalls between start and arrival, so the window needs only a hair of margin
# for clock granularity. (Counting starts within 1.05 s let 31-32 a second arrive once updates
# were handled concurrently; holding 1.05 s past the answer cost ~2 sends a second.)
OVERALL_PER_SECOND = 29
GROUP_PER_MINUTE = 19
PRIVATE_PER_SECOND = 3  # the sandbox and Telegram tolerate a short burst per private chat
SECOND_WINDOW = 1.01  # seconds: the one-second windows plus a hair
_CHATS_KEPT = 4096  # per-chat windows kept before idle ones are forgotten

# The limits are about messages posted. Approving a join request, reading a member or
# creating an invite link in the community group must not wait behind its 20-per-minute
# message budget (a join wave would take an hour), so only these methods are windowed.
_NOT_POSTING = frozenset({"sendchataction"})
_POSTING_OTHER = frozenset({"copymessage", "copymessages", "forwardmessage", "forwardmessages"})


def posts_a_message(endpoint: str) -> bool:
    name = endpoint.lower()
    return (name.startswith("send") and name not in _NOT_POSTING) or name in _POSTING_OTHER


class SlidingWindow:
    """At most ``limit`` requests *arriving* within any ``period`` seconds.

    Telegram counts arrivals, and a request arrives somewhere between its start and its
    answer. So a request holds its place from its start until ``period`` after its answer
    (``release``): then any ``limit + 1`` requests arriving within one period would need the
    last of them to start while the others were all still held, which is refused. Counting
    starts alone (an earlier version, with a 50 ms guard band) let 31-32 sends a second
    through when a burst of concurrently handled updates stalled the event loop between the
    start of some sends and their arrival.
    """

    def __init__(self, limit: int, period: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._ends: deque[float] = deque()  # answer times of finished requests, in order
        self._in_flight = 0
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()

    def _prune(self, now: float) -> None:
        while self._ends and now - self._ends[0] >= self.period:
            self._ends.popleft()

    @property
    def idle(self) -> bool:
        self._prune(self._clock())
        return not self._ends and not self._in_flight and not self._lock.locked()

    async def acquire(self) -> None:
        """Wait for a place; the caller must ``release()`` when the request is answered."""
        # The lock keeps waiters in FIFO order, so a broadcast is sent in the order asked.
        async with self._lock:
            while True:
                now = self._clock()
                self._prune(now)
                if self._in_flight + len(self._ends) < self.limit:
                    self._in_flight += 1
                    return
                self._released.clear()
                if self._ends:
                    wait = self._ends[0] + self.period - now
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._released.wait(), timeout=wait)
                else:
                    await self._released.wait()  # all places are requests in flight

    def release(self) -> None:
        self._in_flight -= 1
        self._ends.append(self._clock())
        self._released.set()


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Sliding-window limits, flood-wait pauses and network retries for every API call.

    ``rate_limit_args`` (an int passed by a caller as ``rate_limit_args=``) overrides the
    number of retries for that call. Each posting call is attributed to the lane and
    priority of its context (bot/core/lanes.py) when it queues for the global budget.
    """

    def __init__(
        self,
        *,
        overall_per_second: int = OVERALL_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        private_per_second: int = PRIVATE_PER_SECOND,
        max_retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        clock: Callable[[], float] = time.monotonic,
        call_later: CallLater | None = None,
    ) -> None:
        self._clock = clock
        # One budget for the whole bot, dealt round-robin between clubs (bot/core/lanes.py).
        self._overall = FairWindow(overall_per_second, SECOND_WINDOW, clock, call_later)
        self._group_per_minute = group_per_minute
        self._private_per_second = private_per_second
        self._per_chat: dict[int | str, SlidingWindow] = {}
        self._sweep_above = _CHATS_KEPT
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        # Set while no flood wait is running; cleared for the whole retry_after window so
        # that no request at all (not only the one refused) goes out inside it.
        self._not_flooded = asyncio.Event()
        self._not_flooded.set()
        self._flood_until = 0.0
        self.retries = 0  # network retries done, for tests and benchmarks
        self.flood_waits = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        self._per_chat.clear()
        self._overall.close()

    def _chat_window(self, chat_id: int | str) -> SlidingWindow:
        window = self._per_chat.get(chat_id)
        if window is None:
            if len(self._per_chat) > self._sweep_above:  # forget idle chats: bounded memory
                for key in [k for k, w in self._per_chat.items() if w.idle]:
                    del self._per_chat[key]
                # Sweep again only once the survivors have doubled: with thousands of chats
                # busy at once (sends queued for a broadcast) a sweep per new chat was O(n²).
                self._sweep_above = max(_CHATS_KEPT, 2 * len(self._per_chat))
            is_group = isinstance(chat_id, str) or chat_id < 0
            window = (
                SlidingWindow(self._group_per_minute, 60.0, self._clock)
                if is_group
                else SlidingWindow(self._private_per_second, SECOND_WINDOW, self._clock)
            )
            self._per_chat[chat_id] = window
        return window

    @contextlib.asynccontextmanager
    async def _slot(self, endpoint: str, data: JSONDict) -> AsyncIterator[None]:
        await self._not_flooded.wait()
        chat_id = data.get("chat_id")
        if chat_id is not None and posts_a_message(endpoint):
            with contextlib.suppress(TypeError, ValueError):
                chat_id = int(chat_id)
            # Per-chat first, then the global window: a request waiting for its chat must not
            # hold a global slot meanwhile.
            chat_window = self._chat_window(chat_id) if isinstance(chat_id, int | str) else None
            if chat_window is not None:
                await chat_window.acquire()
            try:
                await self._overall.acquire(current_lane(), current_priority())
            except BaseException:
                if chat_window is not None:
                    chat_window.release()
                raise
            try:
                # A flood wait may have started while we queued for a slot.
                await self._not_flooded.wait()
                yield
            finally:
                self._overall.release()
                if chat_window is not None:
                    chat_window.release()
            return
        yield

    async def _flood_wait(self, seconds: float) -> None:
        until = self._clock() + seconds
        if until > self._flood_until:
            self._flood_until = until
        self._not_flooded.clear()
        try:
            # Re-read the end: a second 429 during the wait may have pushed it further.
            while (remaining := self._flood_until - self._clock()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(remaining)
        finally:
            self._not_flooded.set()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            try:
                async with self._slot(endpoint, data):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    raise
                # The timedelta form (``retry_after`` itself is deprecated as an int in v22.2).
                seconds = exc._retry_after.total_seconds()
                self.flood_waits += 1
                log.warning(
                    "Telegram asked to wait %.0f s (%s); pausing all sends", seconds, endpoint
                )
                # A small margin: Telegram counts whole seconds from its own clock.
                await self._flood_wait(seconds + 0.25)
            except BadRequest:
                raise  # an answer about the request itself; retrying cannot help
            except NetworkError as exc:
                # 5xx from the front end, connection dropped, timeout: maybe transient.
                if attempt >= retries:
                    raise
                delay = min(self.backoff * 2**attempt, self.max_backoff)
                self.retries += 1
                log.warning(
                    "%s failed (%s); retry %d in %.1f s", endpoint, exc.message, attempt + 1, delay
                )
                await asyncio.sleep(delay)
            attempt += 1
