"""The feedback observer: every new or edited message, queued for the club it was sent in."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import ClubContext, Features
from bot.core import handler_groups
from bot.core.club import ClubApplication, Clubs
from bot.core.commands import CommandSpec

log = logging.getLogger(__name__)

COMMANDS: tuple[CommandSpec, ...] = ()


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(Observer(app.clubs), group=handler_groups.OBSERVERS)


class Observer(BaseHandler[Update, Any, None]):
    """Queues each new or edited message while PTB checks the update; never claims it.

    Queueing is synchronous (the batch is scored and written later, by the write-behind
    flush), needs no context and never replies, so it happens in ``check_update`` (PTB calls
    it once per update) and the answer is always "not mine". For a plain member message no
    handler claims the update at all, and PTB builds no
    CallbackContext, refreshes no data and awaits no coroutine: ~4 µs of every message on the
    timed ingest path. Observers run last (``handler_groups.OBSERVERS``), so a guard that
    stops an update (flood, /forgetme echo) still stops it before it is scored.
    """

    __slots__ = ("_clubs",)

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(_never_called)
        self._clubs = clubs

    def check_update(self, update: object) -> None:
        if not isinstance(update, Update):
            return None
        message = update.message
        edited = False
        if message is None:
            message = update.edited_message
            if message is None:
                return None
            edited = True
        try:
            self._clubs.of_chat(message.chat.id).features.feedback.ingest(message, edited=edited)
        except Exception:
            # An observer must never take an update down with it; the message is just not
            # stored.
            log.exception(
                "Could not score message %s in chat %s", message.message_id, message.chat.id
            )
        return None


async def _never_called(update: Update, context: ClubContext) -> None:
    raise AssertionError("Observer.check_update never claims an update")
