"""getUpdates sent ahead: the next batch is asked for as soon as the last one is stored.

``DurableBot.get_updates`` sends the request for batch k+1 while the updater is still
queueing batch k. Sending it confirms batch k to Telegram, so these tests check that no batch
is ever confirmed before every update in it is in the inbox, that the request really does go
out ahead of the handlers (and of PTB's parse of the batch), and that a batch fetched ahead
and then dropped at a stop is handled once, after the restart.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.app import ALLOWED_UPDATES, build_application, start_application, stop_application
from bot.core import update_parsing
from bot.db.inbox_repo import InboxRepository
from bot.demo.simulation import SimulatedClub, simulated_club

# More than three getUpdates batches (Telegram hands out at most 100 updates at a time).
MESSAGES = 350


def _stored_ids(database: Path) -> set[int]:
    # A second connection sees what the bot's writer has committed, no more.
    with sqlite3.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT update_id FROM inbox")}


def _watch_confirmations(club: SimulatedClub, database: Path) -> list[dict[str, Any]]:
    """Record, at each confirmation the world receives, what it confirms and what is stored."""
    world = club.sandbox.world
    confirm = world.confirm
    seen: list[dict[str, Any]] = []

    def watched(offset: int) -> None:
        confirmed = {
            u["update_id"] for u in world.updates if offset > 0 and u["update_id"] < offset
        }
        if confirmed:
            seen.append(
                {
                    "confirmed": confirmed,
                    "missing": confirmed - _stored_ids(database),
                }
            )
        confirm(offset)

    world.confirm = watched  # type: ignore[method-assign]
    return seen


async def test_a_batch_is_confirmed_only_once_stored_and_the_next_is_asked_for_early(
    tmp_path: Path,
) -> None:
    database = tmp_path / "club.db"
    async with simulated_club(database, start=False) as club:
        members = [club.sandbox.create_user(f"M{i}", user_id=2**32 + 500 + i) for i in range(70)]
        for member in members:
            club.sandbox.add_member(club.group, member)
        seen = _watch_confirmations(club, database)
        # Whether the next batch's getUpdates was on its way as each update was queued.
        bot: Any = club.app.bot
        queue: Any = club.app.update_queue
        put_nowait = queue.put_nowait
        asked_ahead: list[bool] = []

        def noted(item: object) -> None:
            ahead = bot._ahead
            asked_ahead.append(ahead is not None and not ahead.task.done())
            put_nowait(item)

        queue.put_nowait = noted
        for i in range(MESSAGES):
            club.sandbox.send_text(members[i % len(members)], club.group, f"The rye is fine {i}")
        await start_application(club.app)
        await club.settle()

        assert club.features.feedback.counts["stored"] == MESSAGES
        assert len(seen) >= 3
        assert all(not confirmation["missing"] for confirmation in seen)
        # The first three batches were queued with the next one's request on its way (the
        # last waits for nothing: a long poll is out, which may or may not be answered yet).
        assert len(asked_ahead) >= MESSAGES
        assert all(asked_ahead[:300])


async def test_a_batch_fetched_ahead_and_dropped_at_a_stop_is_handled_once_after_restart(
    tmp_path: Path,
) -> None:
    database = tmp_path / "club.db"
    async with simulated_club(database) as club:
        people = [club.sandbox.create_user(f"P{i}", user_id=2**32 + 5_000 + i) for i in range(30)]
        await stop_application(club.app)
        for person in people:
            club.sandbox.send_text(person, person, "/help")

        # The updater's first call: batch 1 comes back, and batch 2 is fetched ahead.
        app = await build_application(club.app.settings, clock=club.clock)
        await app.initialize()
        bot: Any = app.bot
        try:
            # Batches of 20 (Telegram's ``limit``) keep the replies, and the test, short.
            first = await bot.get_updates(
                offset=0, limit=20, timeout=0, allowed_updates=ALLOWED_UPDATES
            )
            assert len(first) == 20
            ahead = bot._ahead
            assert ahead is not None
            second = await ahead.task
            assert len(second) == 10
            pending = await InboxRepository(app.clubs.only.services.db).pending()
            assert {u.update_id for u in (*first, *second)} <= {uid for uid, _ in pending}
            # Stored as the sandbox sent them (its JSON has spaces after "," and ":"), not
            # encoded again from the parsed objects.
            for _, payload in pending:
                assert payload == json.dumps(json.loads(payload), ensure_ascii=False)
        finally:
            # Stopping here drops both batches before any handler saw them.
            await app.shutdown()
            await app.clubs.only.services.db.close()

        club.app = await build_application(club.app.settings, clock=club.clock)
        club._watch_bot()
        await start_application(club.app)
        await club.settle()
        for person in people:
            answers = [
                m for m in club.sandbox.bot_messages(person) if "invite-only" in (m.text or "")
            ]
            assert len(answers) == 1, person.first_name


async def test_the_next_batch_is_asked_for_before_this_one_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB's parse of a batch (~6 ms for 100 updates) used to sit between storing it and
    # asking for the next: now the request travels while PTB parses.
    async with simulated_club(tmp_path / "club.db") as club:
        people = [club.sandbox.create_user(f"Q{i}", user_id=2**32 + 6_000 + i) for i in range(30)]
        await stop_application(club.app)
        for person in people:
            club.sandbox.send_text(person, person, "/help")
        app = await build_application(club.app.settings, clock=club.clock)
        await app.initialize()
        bot: Any = app.bot
        ahead_when_parsing: list[bool] = []
        lift = update_parsing.lift_guard

        def noting_lift() -> None:  # called right before PTB parses a fetched batch
            ahead_when_parsing.append(bot._ahead is not None)
            lift()

        monkeypatch.setattr(update_parsing, "lift_guard", noting_lift)
        try:
            first = await bot.get_updates(
                offset=0, limit=20, timeout=0, allowed_updates=ALLOWED_UPDATES
            )
            assert len(first) == 20
            assert ahead_when_parsing[0] is True
        finally:
            await app.shutdown()
            await app.clubs.only.services.db.close()
