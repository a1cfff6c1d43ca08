"""Telegram handlers for polls: thin — parse, call PollService, reply."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler, PollAnswerHandler, PollHandler, filters

from bot.context import ClubContext
from bot.core import handler_groups
from bot.core.access import from_moderator, restricted
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec, command_args
from bot.core.i18n import N_
from bot.core.ids import parse_id
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.polls.parse import POLL_USAGE, PollParseError, parse_poll
from bot.polls.service import local_time

log = logging.getLogger(__name__)

NOT_MODERATOR = N_("Only the community's moderators can run polls.")

COMMANDS = (
    CommandSpec(
        "poll",
        N_("/poll Question? | A | B [--multi] [--public] [--closes 24h]"),
        N_("post a poll in the group"),
        Audience.MODERATOR,
    ),
    CommandSpec(
        "polls", "/polls", N_("open and closed polls with their results"), Audience.MODERATOR
    ),
    CommandSpec(
        "poll_close",
        N_("/poll_close ID"),
        N_("close a poll now and post its results"),
        Audience.MODERATOR,
    ),
)


def add_handlers(app: ClubApplication) -> None:
    # Only new messages: an edited /poll must not post a second poll.
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(
        CommandHandler("poll", start_poll, filters=new_messages), group=handler_groups.COMMANDS
    )
    app.add_handler(
        CommandHandler("polls", list_polls, filters=new_messages), group=handler_groups.COMMANDS
    )
    app.add_handler(
        CommandHandler("poll_close", close_poll, filters=new_messages),
        group=handler_groups.COMMANDS,
    )
    app.add_handler(PollHandler(on_poll), group=handler_groups.FEEDBACK)
    app.add_handler(PollAnswerHandler(on_poll_answer), group=handler_groups.FEEDBACK)


def sender_id(message: Message) -> int:
    if message.from_user is not None:
        return message.from_user.id
    return message.sender_chat.id if message.sender_chat else 0


@restricted(from_moderator, NOT_MODERATOR)
async def start_poll(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    tr = services.tr_in(message)
    try:
        spec = parse_poll(command_args(message))
    except PollParseError as exc:
        await message.reply_text(exc.sentence(tr) + "\n\n" + tr._(POLL_USAGE))
        return
    result = await context.features.polls.create(
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
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    await services.messenger.to_chat(
        message.chat.id,
        await context.features.polls.listing(services.settings.community.tz, services.tr),
    )


@restricted(from_moderator, NOT_MODERATOR)
async def close_poll(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    tr = services.tr_in(message)
    raw = command_args(message).lstrip("#")
    poll_id = parse_id(raw)
    if poll_id is None:
        await message.reply_text(tr._("Usage: /poll_close ID (the number /polls shows, e.g. 3)"))
        return
    service = context.features.polls
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


async def on_poll(update: Update, context: ClubContext) -> None:
    if update.poll is not None:
        await context.features.polls.on_poll(update.poll)


async def on_poll_answer(update: Update, context: ClubContext) -> None:
    answer = update.poll_answer
    # An anonymous admin's vote comes with voter_chat and no user: nobody to record.
    if answer is None or answer.user is None:
        return
    await context.features.polls.on_answer(answer.poll_id, answer.user.id, list(answer.option_ids))
