"""Forum topics noted as they change (created, renamed, closed, reopened)."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import MessageHandler
from telegram.ext import filters as F

from bot.context import ClubContext
from bot.core import handler_groups
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec

log = logging.getLogger(__name__)

COMMANDS: tuple[CommandSpec, ...] = ()


class _TopicChange(F.MessageFilter):
    """forum_topic_created / _edited / _closed / _reopened: four attribute reads per message
    instead of PTB's StatusUpdate filters (this runs for every group message)."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        return (
            message.forum_topic_created is not None
            or message.forum_topic_edited is not None
            or message.forum_topic_closed is not None
            or message.forum_topic_reopened is not None
        )


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(
        MessageHandler(_TopicChange(name="topic_change"), _note), group=handler_groups.TOPIC_NOTES
    )


async def _note(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None:
        return
    try:
        await context.features.forum.note(message)
    except Exception:
        # Topic bookkeeping must never take an update down; the topic stays unnamed.
        log.exception("Could not note the topic change in message %s", message.message_id)
