"""Rules that hold for every feature at once, so no command or button can forget them.

* **An edit never re-runs a command.** PTB's command and message filters also match
  ``edited_message``; editing ``/warn`` would warn again (and at the limit, mute). Edits are
  only for re-scoring what members said in the group, so an edited command, and any edit in a
  private chat (codes, conversations), stops here before any feature sees it.
* **Members cannot make the bot talk in the group.** The group shares one sending budget
  (about 20 messages a minute) that previews and poll results need. A command from a member
  (not a moderator) in the community group gets its answer there at most once a minute per
  person; within that minute the command is deleted and the person is answered privately
  (if they ever started the bot), or not at all. Only this bot's own commands count: a
  command addressed to another bot (``/quiz@other_bot``) or one this bot does not have is
  left alone, for the bot it is meant for.
* **Every button press is answered.** A press nobody answers leaves a spinner on the person's
  client. The bot notes each answer it sends; after all handlers ran, a press still
  unanswered (an old keyboard, forged data, a handler that failed) gets a short answer.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.core import handler_groups
from bot.core.access import from_moderator
from bot.core.club import CoreContext
from bot.core.commands import CommandSpec, command_for_us
from bot.core.erasure import MemoryCaches
from bot.core.i18n import N_, Translator
from bot.core.services import Services

log = logging.getLogger(__name__)

# limit: 200 (answerCallbackQuery)
STALE_BUTTON = N_("This button is no longer active.")


class _EditedCommandOrPrivate(filters.UpdateFilter):
    """An edited message that is a command (text or caption) or sits in a private chat.

    One plain check instead of composed filters: it runs for every update (ingest is timed).
    """

    def filter(self, update: Update) -> bool:
        message = update.edited_message or update.edited_business_message
        if message is None:
            return False
        if message.chat.type == ChatType.PRIVATE:
            return True
        return (message.text or message.caption or "").startswith("/")


class _GroupCommand(filters.UpdateFilter):
    """A new message in a group that starts with one of this bot's commands, addressed to it.

    Other bots of the group get ``/cmd`` and ``/cmd@their_bot`` too: deleting those, or
    counting them against the member's minute, would break the other bot and cost the member
    their next command here."""

    def __init__(self, own_commands: Iterable[CommandSpec]) -> None:
        super().__init__()
        self._names = frozenset(spec.name.lower() for spec in own_commands)

    def filter(self, update: Update) -> bool:
        message = update.message
        if message is None or message.chat.type not in _GROUPS or not message.entities:
            return False
        # The bot's username comes from getMe, done before the first update is handled.
        name = command_for_us(message, message.get_bot().username)
        return name is not None and name in self._names


_GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


# How often one member's commands may be answered in the group.
GROUP_REPLY_GAP = 60
PRIVATE_REDIRECT = N_(
    "I answer commands in the group at most once a minute per person, to keep the group's "
    "messages for previews and polls. Send {command} to me here instead."
)


def add_handlers(
    app: Application[Any, Any, Any, Any, Any, Any], own_commands: Iterable[CommandSpec]
) -> GroupCommandThrottle:
    """Once per Application; the throttle returned is shared by its clubs (see ``take_part``).

    ``own_commands`` are the commands the features offer (the list /help shows): only these
    are throttled in the group."""
    app.add_handler(
        MessageHandler(_EditedCommandOrPrivate(), _drop_edit), group=handler_groups.EDIT_GUARD
    )
    throttle = GroupCommandThrottle()
    app.add_handler(
        MessageHandler(_GroupCommand(own_commands), throttle.handle),
        group=handler_groups.GROUP_COMMANDS,
    )
    return throttle


async def _drop_edit(update: Update, context: CoreContext) -> None:
    raise ApplicationHandlerStop


class GroupCommandThrottle:
    """When each person's last group command was let in, over every club of the bot.

    Keyed by person, not by club: a person answered in one club's group a moment ago waits
    the same minute in another's, which costs nothing and keeps one small dict."""

    def __init__(self) -> None:
        self.last_reply: dict[int, int] = {}  # user id -> when a command of theirs was let in

    def take_part(self, services: Services) -> None:
        """An erased person of this club is forgotten here too."""
        services.erasure.register("guards", MemoryCaches(self.last_reply))

    async def handle(self, update: Update, context: CoreContext) -> None:
        message = update.effective_message
        services = context.services
        if message is None or message.from_user is None:
            return
        if message.chat.id != services.chats.community_id or from_moderator(services, message):
            return
        user_id = message.from_user.id
        now = services.now_ts()
        last = self.last_reply.get(user_id)
        if last is None or now - last >= GROUP_REPLY_GAP:
            self.last_reply[user_id] = now
            return  # the command's own handler answers, in the group
        command = (message.text or "").split()[0].split("@")[0][:40]
        log.info(
            "Group command from user %s within a minute of the last: answered privately", user_id
        )
        with contextlib.suppress(TelegramError):
            await message.delete()
        person = await services.people.get(user_id)
        if person is not None and person.can_receive_dm:
            tr = services.tr_for(message.from_user)  # a private message: their app's language
            await services.messenger.dm(user_id, tr._(PRIVATE_REDIRECT, command=command))
        raise ApplicationHandlerStop


class AnswerTrackingBot(ExtBot[Any]):
    """Remembers which callback queries were answered (by any feature, any way)."""

    # Telegram objects freeze public attributes; protected ones stay settable.
    _answered_queries: set[str] | None = None

    def _answered(self) -> set[str]:
        if self._answered_queries is None:
            self._answered_queries = set()
        return self._answered_queries

    async def answer_callback_query(
        self, callback_query_id: str, *args: Any, **kwargs: Any
    ) -> bool:
        # Noted before the call: an answer Telegram refused (too old) is not retried.
        self._answered().add(callback_query_id)
        return await super().answer_callback_query(callback_query_id, *args, **kwargs)

    async def answer_if_unanswered(self, callback_query_id: str, tr: Translator) -> None:
        """Answer a button press nothing answered, in ``tr``'s language (the presser's, else
        their club's: the answer is shown to them alone)."""
        answered = self._answered()
        if callback_query_id in answered:
            answered.discard(callback_query_id)
            return
        with contextlib.suppress(TelegramError):
            await self.answer_callback_query(callback_query_id, text=tr._(STALE_BUTTON))
        answered.discard(callback_query_id)
