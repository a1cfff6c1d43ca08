"""Who may run moderator commands: the community's admins plus configured user ids.

Checks use numeric ids only (names and usernames can be changed by anyone). The admin list
is Telegram's fact: fetched at start and refreshed whenever a chat_member update shows an
admin change in the community chat. Which command a sender may reach is decided with
these facts in ``bot.core.access``.

An admin is a moderator by Telegram's grace, so the bot lends them no more than Telegram
does: restricting members through the bot (mute, kick, ban) needs the admin's own "Ban
users" right (``can_restrict_members``; the owner has every right). Someone the club
configured as a moderator by id has that power without being an admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import Enum

from telegram import Bot, ChatMember, ChatMemberAdministrator, Message
from telegram.error import TelegramError

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})


class Audience(Enum):
    """Who may run a command. A command's ``CommandSpec`` names one; its handler's check and
    /help both ask ``bot.core.access.sender_may`` about it, so they never disagree."""

    MEMBER = "member"  # anyone
    BRAND_TEAM = "brand_team"  # the brand team and the moderators
    MODERATOR = "moderator"  # the community's admins and the configured moderators
    RESTRICTOR = "restrictor"  # moderators the bot mutes, kicks and bans for (may_restrict)

    @property
    def is_staff(self) -> bool:
        return self is not Audience.MEMBER


class Permissions:
    def __init__(self, configured_moderators: Iterable[int], brand_team: Iterable[int]) -> None:
        self._configured = frozenset(configured_moderators)
        self._brand_team = frozenset(brand_team)
        self._admins: set[int] = set()
        # The admins whose rights include restricting members (owner included).
        self._restricting: set[int] = set()

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(self._admins)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self._admins

    def is_moderator(self, user_id: int) -> bool:
        return user_id in self._configured or user_id in self._admins

    def may_restrict(self, user_id: int) -> bool:
        """Whether the bot may mute, kick or ban for this moderator: configured by id, or an
        admin with Telegram's "Ban users" right."""
        return user_id in self._configured or user_id in self._restricting

    def is_brand_team(self, user_id: int) -> bool:
        """Brand-team members may ask for digests and publish previews."""
        return user_id in self._brand_team or self.is_moderator(user_id)

    def message_is_from_moderator(self, message: Message, community_chat_id: int) -> bool:
        # An anonymous admin posts as the group itself (sender_chat == the chat): only admins
        # can do that, so it counts as an admin's message.
        if message.sender_chat is not None:
            return message.sender_chat.id == community_chat_id
        return message.from_user is not None and self.is_moderator(message.from_user.id)

    def note_member(self, member: ChatMember) -> None:
        """What Telegram says of a member of the community now (getChatMember, or a
        chat_member update: a partial demotion keeps the status and takes rights away)."""
        user_id = member.user.id
        if member.status in ADMIN_STATUSES:
            self._admins.add(user_id)
        else:
            self._admins.discard(user_id)
        if _restricts(member):
            self._restricting.add(user_id)
        else:
            self._restricting.discard(user_id)

    async def refresh(self, bot: Bot, community_chat_id: int) -> bool:
        try:
            admins = await bot.get_chat_administrators(community_chat_id)
        except TelegramError as exc:
            log.warning("Could not fetch the community's admins: %s", exc)
            return False
        humans = [member for member in admins if not member.user.is_bot]
        self._admins = {member.user.id for member in humans}
        self._restricting = {member.user.id for member in humans if _restricts(member)}
        log.info("Moderators: %d admins, %d configured", len(self._admins), len(self._configured))
        return True


def _restricts(member: ChatMember) -> bool:
    """The owner, or an admin with "Ban users" (Telegram's ``can_restrict_members``)."""
    if member.status == ChatMember.OWNER:
        return True
    return isinstance(member, ChatMemberAdministrator) and member.can_restrict_members
