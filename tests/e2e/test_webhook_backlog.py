"""Webhook mode: the late digest waits for the backlog Telegram pushes, and no longer.

With a webhook, the backlog is in once getWebhookInfo counts none pending. That count used
to be asked only at the scheduler's ticks, so with a long tick interval (the simulation's is
an hour) nothing scheduled ran for a whole interval after a restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, start_application, stop_application
from tests.e2e.helpers import admitted, webhook_club

ADA_ID = 2**32 + 4545
MESSAGES = 30


async def test_webhook_late_digest_counts_the_backlog_without_waiting_a_tick(
    tmp_path: Path,
) -> None:
    async with webhook_club(tmp_path / "club.db") as (club, _url):
        sb = club.sandbox
        ada = await admitted(club, "Ada", ADA_ID)
        await club.tick()  # the first tick records the digests' first day
        settings = club.app.settings
        await stop_application(club.app)  # down at 09:00 on Dec 1 ...
        club.clock.advance(timedelta(hours=12))
        for i in range(MESSAGES):
            sb.send_text(ada, club.group, f"The bread was stale and dry today {i}, really bad")
        club.clock.advance(timedelta(hours=13))  # ... back on Dec 2 at 10:00
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        await start_application(club.app, mode="webhook")
        run = None
        for _ in range(100):  # the backlog is looked at every second: a few at most
            await club.settle()
            run = await club.services.db.fetchone(
                "SELECT parts FROM digest_runs WHERE day = '2026-12-01'"
            )
            if run is not None:
                break
            await asyncio.sleep(0.1)
        assert run is not None, "no digest for Dec 1 ten seconds after the restart"
        text = "\n".join(json.loads(run["parts"]))
        assert f"Messages: <b>{MESSAGES}</b>" in text, text


# Slow set; the webhook wait itself:
# test_webhook_late_digest_counts_the_backlog_without_waiting_a_tick
@pytest.mark.slow
async def test_telegram_failing_at_start_up_is_not_an_error_every_second(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with webhook_club(tmp_path / "club.db") as (club, _url):
        settings = club.app.settings
        await stop_application(club.app)
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        limiter: Any = club.app.bot.rate_limiter
        limiter.backoff = limiter.max_backoff = 0.01  # the retries of one call, quickly
        # Every attempt of the first getWebhookInfo fails; the next ones are answered.
        club.sandbox.faults.fail_next("getWebhookInfo", status=502, times=limiter.max_retries + 1)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            await start_application(club.app, mode="webhook")
            backlog = club.app.update_queue.backlog  # type: ignore[attr-defined]
            for _ in range(100):
                if backlog.caught_up:
                    break
                await asyncio.sleep(0.1)
        assert backlog.caught_up and not backlog.gave_up
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == []
