"""The bot's count of unfinished work, and the sandbox waiting on it."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.activity import Activity
from bot.core.clock import FakeClock
from bot.sandbox import Sandbox


async def test_each_kind_of_work_keeps_the_bot_busy_until_it_ends() -> None:
    activity = Activity()
    changes: list[bool] = []
    activity.listen(lambda: changes.append(activity.idle))
    assert activity.idle
    activity.update_queued()
    async with activity.call(), activity.task():
        assert (activity.updates, activity.calls, activity.tasks) == (1, 1, 1)
    assert not activity.idle  # the update is still being handled
    activity.update_done()
    assert activity.idle
    assert changes == [False, False, False, False, False, True]


async def test_work_that_fails_is_still_counted_as_ended() -> None:
    activity = Activity()
    with pytest.raises(RuntimeError):
        async with activity.call():
            raise RuntimeError("the network went away")
    assert activity.idle


async def test_wait_idle_follows_the_bots_word_not_a_quiet_period() -> None:
    async with Sandbox(clock=FakeClock()) as sb:
        busy = True
        wake = sb.watch_bot(lambda: not busy)
        # The sandbox is quiet (no update, no request), but the bot says it is busy.
        with pytest.raises(TimeoutError):
            await sb.wait_idle(timeout=0.2)
        waiter = asyncio.create_task(sb.wait_idle(timeout=5))
        await asyncio.sleep(0)
        assert not waiter.done()
        busy = False
        wake()
        await asyncio.wait_for(waiter, 1.0)


async def test_without_the_bots_word_wait_idle_needs_a_quiet_period() -> None:
    async with Sandbox(clock=FakeClock()) as sb:
        user = sb.create_user("Ada")
        sb.start_bot(user)  # an update nobody fetches: never idle
        with pytest.raises(TimeoutError, match="1 unconfirmed"):
            await sb.wait_idle(timeout=0.2)
