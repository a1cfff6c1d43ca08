"""Telegram handlers for polls: thin — parse, call PollService, reply."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.core.access import from_moderator, restricted
from bot.core.i18n import N_
from bot.core.ids import parse_id
from bot.core.services import Services, services_of
from bot.polls.parse import POLL_USAGE, PollParseError, parse_poll
from bot.polls.service import local_time, poll_service

log = logging.getLogger(__name__)

NOT_MODERATOR = N_("Only the community's moderators can run polls.")


def command_args(message: Message) -> str:
    """The text after ``/command`` (or ``/command@bot``), keeping its line breaks."""
    text = message.text or message.caption or ""
    for entity in message.entities or message.caption_entities or ():
        if entity.type == "bot_command" and entity.offset == 0:
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


def sender_id(message: Message) -> int:
    if message.from_user is not None:
        return message.from_user.id
    return message.sender_chat.id if message.sender_chat else 0


@restricted(from_moderator, NOT_MODERATOR)
async def start_poll(
    update: Update, context: ContextTypes.DEFAULT_TYPE, services: Services, message: Message
) -> None:
    tr = services.tr_in(message)
    try:
        spec = parse_poll(command_args(message))
    except PollParseError as exc:
        await message.reply_text(exc.text(tr) + "\n\n" + tr._(POLL_USAGE))
        return
    result = await poll_service(services).create(
        spec,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        created_by=sender_id(message),
    )
    if result.error is not None:
        await message.reply_text(
            tr._("I could not post the poll in the group: {error}", error=result.error)
        )
        return
    if result.poll is None:
        return  # a replayed command: the poll was posted the first time
    if message.chat.type == ChatType.PRIVATE or message.chat.id != services.chats.community_id:
        record = result.poll
        tz = services.settings.community.tz
        deadline = (
            tr._(
                "It closes at {moment} ({zone}).",
                moment=local_time(record.closes_at, tz, tr),
                zone=tr.timezone(tz.key),
            )
            if record.closes_at
            else tr._("It stays open until /poll_close {id}.", id=record.id)
        )
        await message.reply_text(
            tr._("Poll #{id} is in the group.", id=result.poll.id) + " " + deadline
        )


@restricted(from_moderator, NOT_MODERATOR)
async def list_polls(
    update: Update, context: ContextTypes.DEFAULT_TYPE, services: Services, message: Message
) -> None:
    await services.messenger.to_chat(
        message.chat.id,
        await poll_service(services).listing(services.settings.community.tz, services.tr),
    )


@restricted(from_moderator, NOT_MODERATOR)
async def close_poll(
    update: Update, context: ContextTypes.DEFAULT_TYPE, services: Services, message: Message
) -> None:
    tr = services.tr_in(message)
    raw = command_args(message).lstrip("#")
    poll_id = parse_id(raw)
    if poll_id is None:
        await message.reply_text(tr._("Usage: /poll_close ID (the number /polls shows, e.g. 3)"))
        return
    service = poll_service(services)
    existing = await service.repo.get(poll_id)
    if existing is None:
        await message.reply_text(tr._("There is no poll #{id}. /polls lists them.", id=raw))
        return
    if existing.status != "open":
        await message.reply_text(
            tr._("Poll #{id} is not open ({state}).", id=existing.id, state=tr._(existing.status))
        )
        return
    closed = await service.close(existing.id)
    await service.post_pending_results()
    if closed is not None and message.chat.id != services.chats.community_id:
        await message.reply_text(
            tr._("Poll #{id} is closed; the results are in the group.", id=closed.id)
        )


async def on_poll(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.poll is not None:
        await poll_service(services_of(context)).on_poll(update.poll)


async def on_poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answer = update.poll_answer
    # An anonymous admin's vote comes with voter_chat and no user: nobody to record.
    if answer is None or answer.user is None:
        return
    await poll_service(services_of(context)).on_answer(
        answer.poll_id, answer.user.id, list(answer.option_ids)
    )
