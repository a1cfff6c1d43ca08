"""A quiet bot (nothing waited while it was down) runs its scheduled work at once at the
start, not after the first long poll has waited its whole ``polling_timeout`` for nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_application, start_application, stop_application
from bot.demo.simulation import SimulatedClub, simulated_club

LONG_POLL = 20  # seconds Telegram holds an empty getUpdates


async def test_nothing_waiting_is_known_without_waiting_out_the_long_poll(
    tmp_path: Path,
) -> None:
    runtime = {"polling_timeout": LONG_POLL}
    async with simulated_club(tmp_path / "club.db", runtime=runtime) as club:
        settings = club.app.settings
        await stop_application(club.app)
        assert club.sandbox.pending_updates == []  # nothing waits for the bot
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        backlog = club.app.update_queue.backlog  # type: ignore[attr-defined]
        await start_application(club.app)
        for _ in range(50):  # 5 s at most, a quarter of the long poll
            if backlog._caught_up:
                break
            await asyncio.sleep(0.1)
        assert backlog._caught_up
        # Afterwards the bot long-polls as configured (no busy loop of empty answers).
        asked = _get_updates_sent(club)
        await asyncio.sleep(1.0)
        assert _get_updates_sent(club) - asked <= 1


def _get_updates_sent(club: SimulatedClub) -> int:
    return sum(1 for r in club.sandbox.server.requests if r.method == "getUpdates")
