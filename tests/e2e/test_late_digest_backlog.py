"""A digest sent late at start-up counts the day's messages that waited for the bot.

Telegram keeps the updates while the bot is down; the late digest used to be built by a
start-up hook before they were fetched, and is sent once, so the evening's messages were
missing from it for good (bot.core.backlog).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.app import build_application, start_application, stop_application
from bot.demo.simulation import simulated_club
from tests.e2e.helpers import admitted

ADA_ID = 2**32 + 4242


async def test_late_digest_counts_the_days_messages(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada", ADA_ID)
        settings = club.app.settings
        await stop_application(club.app)  # the bot goes down at 09:00 on Dec 1 ...
        club.clock.advance(timedelta(hours=12))
        sb.send_text(ada, club.group, "The bread was stale and dry today, really disappointing")
        club.clock.advance(timedelta(hours=13))  # ... and comes back on Dec 2 at 10:00
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        await start_application(club.app)
        await club.settle()
        stored = await club.services.db.fetchone(
            "SELECT COUNT(*) AS n FROM feedback_messages WHERE user_id = ?", (ADA_ID,)
        )
        assert stored is not None and stored["n"] == 1  # the message did arrive
        run = await club.services.db.fetchone(
            "SELECT parts FROM digest_runs WHERE day = '2026-12-01'"
        )
        assert run is not None
        text = "\n".join(json.loads(run["parts"]))
        assert "Messages: <b>1</b>" in text, text
