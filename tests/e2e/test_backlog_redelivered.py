"""The backlog is in only once every fetched update is queued, redeliveries included.

A bot killed after handling an update but before its next getUpdates confirmed it gets that
update again at the restart, at the head of the backlog. Its id is already in the inbox, so
putting it asks the database (an await): the backlog must not count as handled in that gap,
with the evening's fresh updates behind it still unqueued, or the late digest may miss them.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application, start_application, stop_application
from bot.demo.simulation import simulated_club
from tests.e2e.helpers import admitted

ADA_ID = 2**32 + 4343


# Slow set; the backlog wait end to end: tests/e2e/test_late_digest_backlog.py
@pytest.mark.slow
async def test_caught_up_only_once_the_updates_behind_a_redelivered_one_are_handled(
    tmp_path: Path,
) -> None:
    database = tmp_path / "club.db"
    async with simulated_club(database) as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada", ADA_ID)
        settings = club.app.settings
        await stop_application(club.app)  # down at 09:00 on Dec 1
        club.clock.advance(timedelta(hours=12))
        sb.send_text(ada, club.group, "Hello all, a lovely bakery visit today")
        sb.send_text(ada, club.group, "The bread was stale and dry today, really disappointing")
        redelivered, fresh = (u["update_id"] for u in sb.pending_updates)
        # The first was handled before a SIGKILL and never confirmed to Telegram.
        with sqlite3.connect(database) as conn:
            conn.execute(
                "INSERT INTO inbox (update_id, payload, received_at, processed_at) "
                "VALUES (?, NULL, 0, 0)",
                (redelivered,),
            )
        club.clock.advance(timedelta(hours=13))  # back on Dec 2 at 10:00
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        queue: Any = club.app.update_queue
        handled: list[int] = []
        task_done = queue.task_done
        put_nowait = queue.put_nowait
        current: list[int] = []

        def noted_put(item: object) -> None:
            if isinstance(item, Update):
                current.append(item.update_id)
            put_nowait(item)

        def noted_done() -> None:
            if current:
                handled.append(current.pop(0))
            task_done()

        queue.put_nowait = noted_put
        queue.task_done = noted_done
        at_catch_up: list[list[int]] = []
        queue.backlog.on_caught_up(lambda: at_catch_up.append(list(handled)))
        await start_application(club.app)
        # settle() can return while the updater awaits the inbox for the redelivery (no
        # counter covers that await): wait for the fresh update itself, boundedly.
        for _ in range(500):
            await club.settle()
            if handled:
                break
            await asyncio.sleep(0.01)
        assert handled == [fresh]  # the redelivery is dropped, the fresh one handled
        assert at_catch_up == [[fresh]], at_catch_up
