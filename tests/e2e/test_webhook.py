"""Webhook mode: Telegram posts updates to the bot, which checks the secret token."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.db.inbox_repo import InboxRepository
from tests.e2e.helpers import webhook_club


async def test_webhook_round_trip_and_secret_check(tmp_path: Path) -> None:
    async with webhook_club(tmp_path / "club.db") as (club, url):
        ada = club.sandbox.create_user("Ada")
        club.sandbox.start_bot(ada)
        club.sandbox.send_text(ada, ada, "/help")
        await club.sandbox.wait_for(
            lambda: any("/help" in (m.text or "") for m in club.sandbox.bot_messages(ada))
        )
        assert club.sandbox.server.webhook_deliveries  # it really came in by webhook
        # Updates run concurrently now: the reply to /help can arrive before the handlers of
        # every delivered update have returned and been marked, so wait for the bot to idle.
        await club.settle()
        # Every delivered update was stored in the inbox before PTB answered 200.
        delivered = [u["update_id"] for u in club.sandbox.server.webhook_deliveries]
        inbox = InboxRepository(club.services.db)
        for update_id in delivered:
            assert await inbox.processed(update_id)

        fake_update = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "/help",
            },
        }
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                url, json=fake_update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            missing = await client.post(url, json=fake_update)
        assert forged.status_code == 403
        assert missing.status_code == 403
        row = await club.services.db.fetchone("SELECT 1 FROM inbox WHERE update_id = 999999")
        assert row is None
