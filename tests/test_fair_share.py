"""One sending budget for the whole bot, shared fairly between clubs (bot/core/fair_window.py).

Every send goes through the real ``TelegramRateLimiter``; time is a fake clock that the test
moves from one of the limiter's wake-ups to the next, so minutes of sending play in
milliseconds and nothing depends on how fast this machine is. Each send goes to a chat of
its own, so only the global budget (not the one-per-chat limits) decides when it goes out.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.lanes import DEFAULT_LANE, sending_bulk, sending_for
from bot.core.ratelimit import OVERALL_PER_SECOND, SECOND_WINDOW, TelegramRateLimiter


@dataclass(order=True)
class _Due:
    when: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class FakeTime:
    """A clock plus ``call_later`` on it: time moves only in ``advance``."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self._due: list[_Due] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[[], None]) -> _Due:
        due = _Due(self.now + max(delay, 0.0), next(self._order), callback)
        heapq.heappush(self._due, due)
        return due

    def fire_due(self) -> None:
        while self._due and self._due[0].when <= self.now:
            due = heapq.heappop(self._due)
            if not due.cancelled:
                due.callback()

    async def advance(self, seconds: float) -> None:
        """Move to each wake-up within ``seconds`` in turn, letting the sends run after each."""
        end = self.now + seconds
        await settle()
        while self._due and self._due[0].when <= end:
            self.now = max(self.now, self._due[0].when)
            self.fire_due()
            await settle()
        self.now = end
        await settle()


async def settle() -> None:
    # A granted send needs a few loop turns: its task wakes, "posts", and releases its place.
    for _ in range(8):
        await asyncio.sleep(0)


@dataclass
class Arrival:
    at: float
    lane: str
    tag: str


class Bot:
    """Sends through one limiter and notes when each request reached "Telegram"."""

    def __init__(self) -> None:
        self.time = FakeTime()
        self.limiter = TelegramRateLimiter(clock=self.time, call_later=self.time.call_later)
        self.arrivals: list[Arrival] = []
        self._chats = itertools.count(10_000)

    def send(self, lane: str | None, tag: str = "", *, bulk: bool = False) -> asyncio.Task[None]:
        chat_id = next(self._chats)

        async def post() -> bool:
            self.arrivals.append(Arrival(self.time.now, lane or DEFAULT_LANE, tag))
            return True

        async def one() -> None:
            with contextlib.ExitStack() as stack:
                if lane is not None:
                    stack.enter_context(sending_for(lane))
                if bulk:
                    stack.enter_context(sending_bulk())
                endpoint, data = "sendMessage", {"chat_id": chat_id, "text": tag}
                await self.limiter.process_request(post, (), {}, endpoint, data, None)

        return asyncio.create_task(one())

    def flood(self, lane: str, n: int) -> list[asyncio.Task[None]]:
        return [self.send(lane, f"{lane}-{i}", bulk=True) for i in range(n)]

    def count(self, lane: str, after: float = float("-inf")) -> int:
        return sum(1 for a in self.arrivals if a.lane == lane and a.at > after)


async def cancel_all(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_two_clubs_broadcasting_each_get_half_the_budget() -> None:
    bot = Bot()
    tasks = bot.flood("club-a", 2_000) + bot.flood("club-b", 2_000)
    await bot.time.advance(0)
    # Club A asked first, while nobody waited: it takes the whole first window alone.
    first_window = bot.time.now
    assert bot.count("club-a") == OVERALL_PER_SECOND
    await bot.time.advance(60)
    a, b = bot.count("club-a", after=first_window), bot.count("club-b", after=first_window)
    assert a + b > 50 * OVERALL_PER_SECOND  # both still had plenty queued throughout
    assert abs(a - b) <= 1
    await cancel_all(tasks)


async def test_a_club_alone_gets_the_whole_budget() -> None:
    alone, shared = Bot(), Bot()
    alone_tasks = alone.flood("club-a", 2_000)
    shared_tasks = shared.flood("club-a", 2_000) + shared.flood("club-b", 2_000)
    await alone.time.advance(30)
    await shared.time.advance(30)
    assert alone.count("club-b") == 0
    # What two clubs share is exactly what one club gets when the other is idle.
    assert alone.count("club-a") == shared.count("club-a") + shared.count("club-b")
    assert alone.count("club-a") > 25 * OVERALL_PER_SECOND
    await cancel_all(alone_tasks + shared_tasks)


async def test_a_reply_in_another_club_is_not_stuck_behind_a_broadcast() -> None:
    bot = Bot()
    broadcast = bot.flood("club-a", 5_000)
    await bot.time.advance(3.3)
    asked_at, queued_before = bot.time.now, 5_000 - bot.count("club-a")
    reply = bot.send("club-b", "reply")  # interactive: nothing set but the lane
    await bot.time.advance(SECOND_WINDOW + 0.01)
    assert reply.done()
    at = next(i for i, a in enumerate(bot.arrivals) if a.tag == "reply")
    after_asking = [a for a in bot.arrivals[:at] if a.at > asked_at]
    assert queued_before > 4_800
    assert len(after_asking) <= 1  # one broadcast send at most went ahead of it
    assert bot.arrivals[at].at - asked_at <= SECOND_WINDOW + 0.01  # the next free place
    await cancel_all(broadcast)


async def test_within_a_club_a_reply_goes_before_its_own_broadcast() -> None:
    bot = Bot()
    broadcast = bot.flood("club-a", 5_000)
    await bot.time.advance(2.5)
    asked_at = bot.time.now
    bot.send("club-a", "reply")
    await bot.time.advance(SECOND_WINDOW + 0.01)
    at = next(i for i, a in enumerate(bot.arrivals) if a.tag == "reply")
    assert not [a for a in bot.arrivals[:at] if a.at > asked_at]
    await cancel_all(broadcast)


async def test_without_lanes_sends_go_out_in_the_order_asked() -> None:
    bot = Bot()
    tasks = [bot.send(None, f"m{i}") for i in range(200)]
    await bot.time.advance(20)
    assert all(task.done() for task in tasks)
    assert [a.tag for a in bot.arrivals] == [f"m{i}" for i in range(200)]
    assert {a.lane for a in bot.arrivals} == {DEFAULT_LANE}


async def test_the_global_budget_holds_in_every_window() -> None:
    bot = Bot()
    tasks = bot.flood("club-a", 3_000) + bot.flood("club-b", 1_000) + bot.flood("club-c", 200)
    for step in range(40):
        await bot.time.advance(0.37)
        if step % 3 == 0:
            tasks.append(bot.send("club-c" if step % 2 else DEFAULT_LANE, f"reply-{step}"))
        if step == 10:
            await cancel_all(tasks[3_500:3_600])  # people leave mid-queue: no place is lost
    times = sorted(a.at for a in bot.arrivals)
    assert len(times) > 14 * OVERALL_PER_SECOND
    for i, start in enumerate(times):
        within = sum(1 for t in times[i : i + OVERALL_PER_SECOND + 1] if t - start < SECOND_WINDOW)
        assert within <= OVERALL_PER_SECOND, f"{within} sends within a second from {start}"
    await cancel_all(tasks)


async def test_a_place_handed_to_a_cancelled_send_goes_to_the_next() -> None:
    bot = Bot()
    limiter = TelegramRateLimiter(
        overall_per_second=1, clock=bot.time, call_later=bot.time.call_later
    )
    bot.limiter = limiter
    first = bot.send("club-a", "first")
    await settle()
    second, third = bot.send("club-a", "second"), bot.send("club-b", "third")
    await settle()
    assert not third.done()
    assert [a.tag for a in bot.arrivals] == ["first"] and first.done()
    bot.time.now += SECOND_WINDOW + 0.01
    bot.time.fire_due()  # the place is handed to "second"...
    second.cancel()  # ...which is cancelled before it could use it
    await settle()
    assert second.cancelled()
    assert third.done() and [a.tag for a in bot.arrivals] == ["first", "third"]
    assert bot.arrivals[-1].at == bot.time.now  # at once, not a window later
