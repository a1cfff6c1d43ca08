"""Who may run moderator commands: the community's admins plus configured user ids.

Checks use numeric ids only (names and usernames can be changed by anyone). The admin list
is Telegram's fact: fetched at start and refreshed whenever a chat_member update shows an
admin change in the community chat. Which command a sender may reach is decided with
these facts in ``bot.core.access``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, ChatMember, Message
from telegram.error import TelegramError

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
