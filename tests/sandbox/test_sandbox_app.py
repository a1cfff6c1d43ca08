"""A real PTB Application polling the sandbox: the way e2e tests and the demo use it."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.sandbox import Sandbox


async def test_application_polls_and_replies(sb: Sandbox) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"welcome {' '.join(context.args or [])}")

    app = Application.builder().token(sb.token).base_url(sb.base_url).build()
    app.add_handler(CommandHandler("start", start))
    alice = sb.create_user("Alice")
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        try:
            sb.start_bot(alice, payload="vip")
            await sb.wait_for(lambda: bool(sb.bot_messages(alice)), timeout=5)
            await sb.wait_idle(timeout=5)
            assert sb.bot_messages(alice)[-1].text == "welcome vip"
        finally:
            await app.updater.stop()
            await app.stop()


async def test_50_concurrent_sends_all_arrive_in_their_own_slot(sb: Sandbox) -> None:
    await concurrent_sends(sb, 50)


@pytest.mark.slow
async def test_500_concurrent_sends_all_arrive_in_their_own_slot(sb: Sandbox) -> None:
    await concurrent_sends(sb, 500)


async def concurrent_sends(sb: Sandbox, count: int) -> None:
    # Speed is measured in benchmarks/, not asserted here: this checks the server keeps every
    # one of many concurrent requests, each with its own message id.
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    app = Application.builder().token(sb.token).base_url(sb.base_url).build()
    async with app:
        await asyncio.gather(*(app.bot.send_message(alice.id, str(i)) for i in range(count)))
    sent = sb.bot_messages(alice)
    assert sorted(int(m.text or "-1") for m in sent) == list(range(count))
    assert len({m.message_id for m in sent}) == count
