"""Who may run moderator commands: the community's admins plus configured user ids.

Checks use numeric ids only (names and usernames can be changed by anyone). The admin list
is Telegram's fact: fetched at start and refreshed whenever a chat_member update shows an
admin change in the community chat.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any

from telegram import Bot, ChatMember, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})


class Permissions:
    def __init__(self, configured_moderators: Iterable[int], brand_team: Iterable[int]) -> None:
        self._configured = frozenset(configured_moderators)
        self._brand_team = frozenset(brand_team)
        self._admins: set[int] = set()

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(self._admins)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self._admins

    def is_moderator(self, user_id: int) -> bool:
        return user_id in self._configured or user_id in self._admins

    def is_brand_team(self, user_id: int) -> bool:
        """Brand-team members may ask for digests and publish previews."""
        return user_id in self._brand_team or self.is_moderator(user_id)

    def message_is_from_moderator(self, message: Message, community_chat_id: int) -> bool:
        # An anonymous admin posts as the group itself (sender_chat == the chat): only admins
        # can do that, so it counts as an admin's message.
        if message.sender_chat is not None:
            return message.sender_chat.id == community_chat_id
        return message.from_user is not None and self.is_moderator(message.from_user.id)

    def note_status(self, user_id: int, status: str) -> None:
        if status in ADMIN_STATUSES:
            self._admins.add(user_id)
        else:
            self._admins.discard(user_id)

    async def refresh(self, bot: Bot, community_chat_id: int) -> bool:
        try:
            admins = await bot.get_chat_administrators(community_chat_id)
        except TelegramError as exc:
            log.warning("Could not fetch the community's admins: %s", exc)
            return False
        self._admins = {member.user.id for member in admins if not member.user.is_bot}
        log.info("Moderators: %d admins, %d configured", len(self._admins), len(self._configured))
        return True


Allowed = Callable[["Services", Message], bool]
CommandCallback = Callable[[Update, "ContextTypes.DEFAULT_TYPE"], Coroutine[Any, Any, None]]
GuardedCallback = Callable[
    [Update, "ContextTypes.DEFAULT_TYPE", "Services", Message], Awaitable[None]
]


def restricted(allowed: Allowed, refusal: str) -> Callable[[GuardedCallback], CommandCallback]:
    """A command handler that only ``allowed`` senders reach; everyone else gets ``refusal``.

    The wrapped callback also receives the services and the message, which every such
    handler needs first.
    """

    def decorate(callback: GuardedCallback) -> CommandCallback:
        @functools.wraps(callback)
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            from bot.services import services_of

            message = update.effective_message
            if message is None:
                return
            services = services_of(context)
            if not allowed(services, message):
                await message.reply_text(refusal)
                return
            await callback(update, context, services, message)

        return handler

    return decorate


def from_moderator(services: Services, message: Message) -> bool:
    return services.permissions.message_is_from_moderator(message, services.chats.community_id)


def from_brand_team(services: Services, message: Message) -> bool:
    """The brand team and moderators, writing as themselves."""
    user = message.from_user
    return user is not None and services.permissions.is_brand_team(user.id)
