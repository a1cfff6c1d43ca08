"""Polls: native Telegram polls in the community group, closed on time, in the digest.

Moderators run ``/poll Question? | A | B [--multi] [--public] [--closes 24h]`` from a
private chat with the bot or in the group. Other features (previews) post polls through
``poll_service(services).create(...)``.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    Application,
    CommandHandler,
    PollAnswerHandler,
    PollHandler,
    filters,
)

from bot.core import handler_groups
from bot.core.app_hooks import add_startup_hook
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.services import Services
from bot.polls.digest import polls_section
from bot.polls.handlers import close_poll, list_polls, on_poll, on_poll_answer, start_poll
from bot.polls.service import PollService, poll_service

__all__ = ["COMMANDS", "PollService", "poll_service", "polls_section", "register"]

COMMANDS = (
    CommandSpec(
        "poll",
        N_("/poll Question? | A | B [--multi] [--public] [--closes 24h]"),
        N_("post a poll in the group"),
        "moderator",
    ),
    CommandSpec("polls", "/polls", N_("open and closed polls with their results"), "moderator"),
    CommandSpec(
        "poll_close",
        N_("/poll_close ID"),
        N_("close a poll now and post its results"),
        "moderator",
    ),
)


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    service = poll_service(services)
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
    services.scheduler.add("polls:close", service.close_due)
    add_startup_hook(app, service.recover)
