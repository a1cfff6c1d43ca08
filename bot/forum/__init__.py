"""Forum groups (topics enabled): the club's posts topic, and topics noted as they change.

What the bot does in a forum group:

* It answers in the topic where it was addressed (PTB's ``reply_text`` keeps a topic
  message's thread), and a /command typed in a topic never mistakes the topic's first
  message for the message it answers (bot.core.topics.replied_to).
* Previews and polls go to ``community.previews_topic`` (found, or created when the bot has
  the Manage Topics right, else General), through ``Messenger.in_posts_topic``.
* Topic service messages (created, renamed, closed, reopened, General hidden) are noted and
  never reach the features as member messages; messages in General count as the group's.
* The digest reports activity and sentiment per topic (bot/forum/digest.py).

Public face: ``register``, ``ForumService`` and ``topics_section``.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, Update
from telegram.ext import Application, ContextTypes, MessageHandler
from telegram.ext import filters as F

from bot.core import handler_groups
from bot.core.app_hooks import add_startup_hook
from bot.core.commands import CommandSpec
from bot.core.services import Services, services_of
from bot.forum.digest import topics_section
from bot.forum.repo import TopicsRepository
from bot.forum.service import ForumService

log = logging.getLogger(__name__)

NAME = "forum"
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


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    service = ForumService(services, TopicsRepository(services.db))
    services.features[NAME] = service
    services.messenger.use_posts_topic(service)
    app.add_handler(
        MessageHandler(_TopicChange(name="topic_change"), _note), group=handler_groups.TOPIC_NOTES
    )
    add_startup_hook(app, service.prepare)


async def _note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    try:
        await services_of(context).feature(NAME, ForumService).note(message)
    except Exception:
        # Topic bookkeeping must never take an update down; the topic stays unnamed.
        log.exception("Could not note the topic change in message %s", message.message_id)


__all__ = ["COMMANDS", "NAME", "ForumService", "register", "topics_section"]
