"""Webhook mode: Telegram posts updates to the bot, which checks the secret token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


async def test_half_an_emoji_is_stored_mended_and_the_updates_after_it_too(
    tmp_path: Path,
) -> None:
    """A lone surrogate escape (``\\ud83d``) decodes to text SQLite cannot store; mended to
    U+FFFD on arrival, the message is stored, and nothing behind it is held up."""
    async with webhook_club(tmp_path / "club.db") as (club, url):
        member = club.sandbox.create_user("Mo", user_id=2**32 + 61)
        club.sandbox.add_member(club.group, member)
        await club.settle()
        date = int(club.clock.now().timestamp())
        hook = club.sandbox.world.webhook
        assert hook is not None
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": hook["secret_token"],
            "Content-Type": "application/json",
        }
        async with httpx.AsyncClient() as client:
            for i, text in enumerate([r"half \ud83d an emoji, lovely rye", "fine afterwards"]):
                body = (
                    f'{{"update_id": {777_000 + i}, "message": {{"message_id": {9_000 + i}, '
                    f'"date": {date}, "chat": {{"id": {club.group.id}, "type": "supergroup", '
                    f'"title": "Club"}}, "from": {{"id": {member.id}, "is_bot": false, '
                    f'"first_name": "Mo\\udc00"}}, "text": "{text}"}}}}'
                )
                answer = await client.post(url, content=body.encode(), headers=headers)
                assert answer.status_code == 200
        await club.settle()
        rows = await club.services.db.fetchall(
            "SELECT text FROM feedback_messages WHERE message_id >= 9000 ORDER BY message_id"
        )
        assert [row[0] for row in rows] == ["half \ufffd an emoji, lovely rye", "fine afterwards"]
        assert await InboxRepository(club.services.db).processed(777_001)


async def test_an_update_ptb_cannot_read_is_answered_200_and_skipped(tmp_path: Path) -> None:
    """Refused with 400, Telegram would deliver it again and again."""
    async with webhook_club(tmp_path / "club.db") as (club, url):
        hook = club.sandbox.world.webhook
        assert hook is not None
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": hook["secret_token"],
            "Content-Type": "application/json",
        }
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                url, json={"update_id": 778_000, "message": {"message_id": 1}}, headers=headers
            )
        assert answer.status_code == 200
        await club.settle()
        assert await InboxRepository(club.services.db).processed(778_000)


async def test_refused_posts_are_not_decoded_or_kept(tmp_path: Path) -> None:
    """A stranger who can reach the port, without the secret, must not grow the bot's memory."""
    async with webhook_club(tmp_path / "club.db") as (club, url):
        queue: Any = club.app.update_queue
        kept_before = len(queue._raw)
        async with httpx.AsyncClient() as client:
            for i in range(20):
                body = {"update_id": 5_000_000 + i, "padding": "x" * 10_000}
                forged = await client.post(
                    url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                )
                assert forged.status_code == 403
        assert len(queue._raw) == kept_before
