"""The bot and the sandbox over real HTTP: round trips, start-up checks, durable updates."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from telegram import Update

from bot.app import build_application, start_application, stop_application
from bot.basics.health import missing_capabilities
from bot.db.inbox_repo import InboxRepository
from bot.demo.simulation import TOKEN, simulated_club
from tests.e2e.helpers import admitted


async def test_help_round_trip_over_http(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada", user_id=2**32 + 7)
        club.sandbox.start_bot(ada)
        club.sandbox.send_text(ada, ada, "/help")
        await club.sandbox.wait_for(
            lambda: any("/help" in (m.text or "") for m in club.sandbox.bot_messages(ada))
        )
        answer = club.sandbox.bot_messages(ada)[-1].text or ""
        assert "invite-only club" in answer
        assert "Moderator commands" not in answer  # Ada is a member, not a moderator
        methods = [r.method for r in club.sandbox.requests]
        assert "getUpdates" in methods and "sendMessage" in methods
        # The bot asked for every update kind it handles.
        polls = [r for r in club.sandbox.requests if r.method == "getUpdates"]
        allowed = polls[-1].params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        assert {"chat_member", "message_reaction", "chat_join_request", "poll_answer"} <= set(
            allowed
        )


async def test_moderators_see_their_commands(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.start_bot(club.owner)
        club.sandbox.send_text(club.owner, club.owner, "/help")
        await club.sandbox.wait_for(
            lambda: any(
                "Moderator commands" in (m.text or "")
                for m in club.sandbox.bot_messages(club.owner)
            )
        )


async def test_self_check_names_missing_rights(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        assert await missing_capabilities(club.app.bot, club.group.id) == []
        club.sandbox.make_bot_admin(
            club.group,
            can_invite_users=True,
            can_pin_messages=False,
            can_restrict_members=False,
            can_delete_messages=False,
        )
        problems = await missing_capabilities(club.app.bot, club.group.id)
        assert any("can_restrict_members" in p for p in problems)
        assert any("can_pin_messages" in p for p in problems)
        # The bot re-checks when its own rights change (my_chat_member) and says so once.
        with caplog.at_level(logging.WARNING, logger="bot.basics.health"):
            await club.settle()
            await club.sandbox.wait_for(
                lambda: any("cannot do everything" in r.getMessage() for r in caplog.records)
            )


async def test_token_never_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada")
        club.sandbox.start_bot(ada)
        await club.settle()
    secret = TOKEN.split(":", 1)[1]
    from bot.core.logging_setup import RedactSecrets

    redact = RedactSecrets([TOKEN])
    for record in caplog.records:
        redact.filter(record)
        assert secret not in record.getMessage()


async def test_redelivered_update_has_one_effect(tmp_path: Path) -> None:
    """Telegram may deliver an update again (webhook retry, lost confirmation)."""
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada")
        club.sandbox.start_bot(ada)
        await club.settle()
        message = club.sandbox.send_text(ada, ada, "/help")
        await club.sandbox.wait_for(lambda: len(club.sandbox.bot_messages(ada)) >= 1)
        await club.settle()
        answers_before = len(club.sandbox.bot_messages(ada))
        # Deliver the very same update again through the queue, as a webhook retry would.
        raw = {
            "update_id": 1,
            "message": {
                "message_id": message.message_id,
                "date": 0,
                "chat": {"id": ada.id, "type": "private", "first_name": "Ada"},
                "from": {"id": ada.id, "is_bot": False, "first_name": "Ada"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        inbox = InboxRepository(club.services.db)
        stored_ids = [
            row[0]
            for row in await club.services.db.fetchall(
                "SELECT update_id FROM inbox ORDER BY update_id"
            )
        ]
        raw["update_id"] = stored_ids[-1]
        await club.app.update_queue.put(Update.de_json(raw, club.app.bot))
        await club.settle()
        assert len(club.sandbox.bot_messages(ada)) == answers_before
        assert await inbox.processed(stored_ids[-1])


async def test_updates_fetched_but_not_handled_survive_a_crash(tmp_path: Path) -> None:
    """A crash after getUpdates confirmed a batch, before its handlers ran, loses nothing."""
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        ada = club.sandbox.create_user("Ada")
        club.sandbox.start_bot(ada)
        await club.settle()
        settings = club.services.settings
        # Simulate the crash: stop the bot, then put an update in the inbox as if it had been
        # fetched (and its offset confirmed to Telegram) but never handled.
        await stop_application(club.app)
        message = club.sandbox.send_text(ada, ada, "/help")
        pending = await _fetch_and_confirm_without_handling(club, settings)
        assert pending
        # Restart: the stored update is replayed and answered, although Telegram forgot it.
        club.app = await build_application(settings, clock=club.clock)
        before = len(club.sandbox.bot_messages(ada))
        await start_application(club.app)
        await club.sandbox.wait_for(lambda: len(club.sandbox.bot_messages(ada)) > before)
        assert message.message_id > 0


async def _fetch_and_confirm_without_handling(club, settings) -> list[int]:  # type: ignore[no-untyped-def]
    app = await build_application(settings, clock=club.clock)
    await app.initialize()
    try:
        updates = await app.bot.get_updates(timeout=0, allowed_updates=["message"])
        # The next call with a higher offset is Telegram's confirmation: those are gone now.
        await app.bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        pending = await InboxRepository(app.clubs.only.services.db).pending()
        return [uid for uid, _ in pending]
    finally:
        await app.shutdown()
        await app.clubs.only.services.db.close()


async def test_group_upgrade_is_followed_from_the_service_message(tmp_path: Path) -> None:
    """Telegram announces the new supergroup id; the bot switches before any send fails."""
    async with simulated_club(tmp_path / "club.db") as club:
        new_id = -1007777777777
        club.sandbox.migrate_group_to_supergroup(club.group, new_id)
        await club.settle()
        assert club.services.chats.community_id == new_id
        await club.restart()  # the new id is a stored fact, not just memory
        assert club.services.chats.community_id == new_id


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_private_messages_nobody_handles_still_get_an_answer(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        zed = sb.create_user("Zed")

        async def answer_to(text: str | None, person=zed) -> list[str]:  # type: ignore[no-untyped-def]
            before = len(sb.bot_messages(person))
            if text is None:
                sb.start_bot(person)
            else:
                sb.send_text(person, person, text)
            await club.settle()
            return [m.text or "" for m in sb.bot_messages(person)[before:]]

        assert any("invite-only club" in text for text in await answer_to(None))  # plain /start
        assert await answer_to("/frobnicate") == [
            "I don't know /frobnicate. /help lists what I can do."
        ]
        [hint] = await answer_to("hello there")
        assert "/join" in hint
        # A known command is answered once, by its feature, not also by the fallback.
        assert len(await answer_to("/join")) == 1
        # The brand team drafts previews in this chat: plain text gets no answer.
        sb.start_bot(club.brand_manager)
        await club.settle()
        assert await answer_to("Coming soon: the pistachio croissant", club.brand_manager) == []


async def test_a_stored_update_with_half_an_emoji_is_replayed_mended(tmp_path: Path) -> None:
    """An update stored before lone surrogates were mended on arrival still replays."""
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        member = club.sandbox.create_user("Mo", user_id=2**32 + 62)
        club.sandbox.add_member(club.group, member)
        await club.settle()
        await stop_application(club.app)
        payload = (
            f'{{"update_id": 888000, "message": {{"message_id": 9100, "date": '
            f'{int(club.clock.now().timestamp())}, "chat": {{"id": {club.group.id}, '
            f'"type": "supergroup", "title": "Club"}}, "from": {{"id": {member.id}, '
            f'"is_bot": false, "first_name": "Mo"}}, "text": "half \\ud83d, lovely rye"}}}}'
        )
        with sqlite3.connect(db_path) as conn:
            conn.execute(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (888000, ?, 0)",
                (payload,),
            )
        club.app = await build_application(club.app.settings, clock=club.clock)
        club._watch_bot()
        await start_application(club.app)
        await club.settle()
        row = await club.services.db.fetchone(
            "SELECT text FROM feedback_messages WHERE message_id = 9100"
        )
        assert row is not None and row[0] == "half \ufffd, lovely rye"


async def test_an_update_ptb_cannot_read_is_skipped_and_the_rest_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One unreadable update (here a message without a date, or not even an object) used to
    stop every later update, with getUpdates asked again in a tight loop."""
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        sb.start_bot(ada)
        await club.settle()
        polls_before = sum(1 for r in sb.requests if r.method == "getUpdates")
        broken = [
            sb.world.enqueue("message", {"message_id": 77}),  # no date, no chat
            sb.world.enqueue("edited_message", "not an object"),  # type: ignore[arg-type]
        ]
        sb.send_text(ada, club.group, "the taste is lovely")
        sb.send_text(ada, ada, "/help")
        await club.settle()

        stored = await club.services.db.fetchone(
            "SELECT COUNT(*) FROM feedback_messages WHERE text = 'the taste is lovely'"
        )
        assert stored is not None and stored[0] == 1
        assert "invite-only" in (sb.bot_messages(ada)[-1].text or "")
        inbox = InboxRepository(club.services.db)
        for update in broken:
            assert update is not None and await inbox.processed(update["update_id"])
        assert any("could not be read" in r.getMessage() for r in caplog.records)
        # Not asked again and again: a handful of calls, not hundreds.
        assert sum(1 for r in sb.requests if r.method == "getUpdates") - polls_before < 20


async def test_a_stored_update_ptb_cannot_read_does_not_stop_the_start(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        await stop_application(club.app)
        with sqlite3.connect(db_path) as conn:
            conn.executemany(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (?, ?, 0)",
                [(889_000, '{"update_id": 889000, "message": {"message_id": 1}}'), (889_001, "{")],
            )
        club.app = await build_application(club.app.settings, clock=club.clock)
        club._watch_bot()
        await start_application(club.app)
        await club.settle()
        inbox = InboxRepository(club.services.db)
        assert await inbox.processed(889_000) and await inbox.processed(889_001)
