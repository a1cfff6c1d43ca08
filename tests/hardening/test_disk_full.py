"""A full disk: a few clear lines, updates left with Telegram until stored, a clean stop."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import build_application, start_application, stop_application
from bot.db import diskfull
from bot.demo.simulation import simulated_club
from tests.e2e.helpers import admitted

WORDS = "The new rye loaf is wonderful and the crust is perfect every single morning " * 12


async def fill_the_disk(db: object) -> None:
    writer = db._writer  # type: ignore[attr-defined]
    async with writer.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    await writer.execute(f"PRAGMA max_page_count = {int(row[0])}")


async def free_the_disk(db: object) -> None:
    await db._writer.execute("PRAGMA max_page_count = 1073741823")  # type: ignore[attr-defined]


async def test_full_disk_is_reported_briefly_and_loses_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskfull, "DISK_FULL", diskfull.DiskFullReport())
    monkeypatch.setattr("bot.core.inbox.DISK_FULL", diskfull.DISK_FULL)
    monkeypatch.setattr("bot.app.DISK_FULL", diskfull.DISK_FULL)
    monkeypatch.setattr("bot.core.inbox.STORAGE_RETRY_SECONDS", 0.05)
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        db = club.services.db
        await fill_the_disk(db)
        caplog.clear()
        for n in range(40):
            sb.send_text(ada, club.group, f"{n} {WORDS}")
        await asyncio.sleep(1.5)  # dozens of polling rounds meet the full disk

        full = [r for r in caplog.records if r.name == "bot.storage"]
        assert 1 <= len(full) <= 2, [r.getMessage() for r in caplog.records][:5]
        assert "stay with Telegram" in full[0].getMessage()
        assert not any(r.exc_info and r.levelno >= logging.WARNING for r in caplog.records), (
            "a traceback was logged"
        )
        assert len(sb.pending_updates) == 40  # not confirmed: Telegram still holds them

        await free_the_disk(db)
        await club.settle()
        rows = await db.fetchall("SELECT 1 FROM feedback_messages WHERE user_id = ?", (ada.id,))
        assert len(rows) == 40


async def test_stop_completes_while_the_disk_is_full(tmp_path: Path) -> None:
    logging.getLogger("bot.app").setLevel(logging.CRITICAL)
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        club.services.db.defer(
            "INSERT INTO runtime_facts (key, value, updated_at) VALUES (?, ?, 0)",
            ("filler", WORDS * 20),
        )
        await fill_the_disk(club.services.db)
        sb.send_text(ada, club.group, WORDS)
        await asyncio.sleep(0.3)
        # Every step runs whatever fails; the connections close, so the process can exit.
        await asyncio.wait_for(stop_application(club.app), timeout=20)
        assert club.services.db._writer._connection is None  # type: ignore[attr-defined]


async def test_an_answer_that_could_not_be_stored_is_not_the_end_of_the_backlog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Returned empty to the updater (so nothing is confirmed), it once looked like the
    # last short batch: the scheduled work ran with the whole backlog still at Telegram.
    monkeypatch.setattr(diskfull, "DISK_FULL", diskfull.DiskFullReport())
    monkeypatch.setattr("bot.core.inbox.DISK_FULL", diskfull.DISK_FULL)
    monkeypatch.setattr("bot.app.DISK_FULL", diskfull.DISK_FULL)
    monkeypatch.setattr("bot.core.inbox.STORAGE_RETRY_SECONDS", 0.05)
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        settings = club.app.settings
        await stop_application(club.app)
        for n in range(5):
            sb.send_text(ada, club.group, f"{n} {WORDS}")
        club.app = await build_application(settings, clock=club.clock)
        club._watch_bot()
        backlog = club.app.update_queue.backlog  # type: ignore[attr-defined]
        db = club.services.db
        await fill_the_disk(db)
        await start_application(club.app)
        await asyncio.sleep(0.5)  # several polling rounds meet the full disk
        assert len(sb.pending_updates) == 5
        assert not backlog._caught_up
        await free_the_disk(db)
        await club.settle()
        assert backlog._caught_up
        rows = await db.fetchall("SELECT 1 FROM feedback_messages WHERE user_id = ?", (ada.id,))
        assert len(rows) == 5
