"""The look-alike watch: a member whose display name imitates a moderator's is reported once.

Keeps its own memory (the moderators' names, refreshed every 10 minutes) apart from the
moderation service, which only forwards the two calls handlers make.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.core.i18n import html_join
from bot.core.services import Services
from bot.moderation import lookalike
from bot.moderation.modlog import NameOf, mention
from bot.moderation.repo import ModerationRepository

log = logging.getLogger(__name__)


class LookalikeWatch:
    def __init__(self, services: Services, repo: ModerationRepository, name_of: NameOf) -> None:
        self.services = services
        self._repo = repo
        self._name_of = name_of
        self._moderator_names: dict[int, str] = {}
        self._names_fetched_at: int | None = None
        # Updates run concurrently: one refresh at a time, the others wait for its result
        # (without it, 64 first messages at start-up fetched the admin list 64 times).
        self._names_lock = asyncio.Lock()

    async def moderator_names(self, bot: Bot) -> dict[int, str]:
        """Display names of the admins and configured moderators (refreshed every 10 min)."""
        now = self.services.now_ts()
        if self._names_fresh(now):
            return self._moderator_names
        async with self._names_lock:
            if self._names_fresh(now):
                return self._moderator_names
            return await self._fetch_moderator_names(bot, now)

    def _names_fresh(self, now: int) -> bool:
        return self._names_fetched_at is not None and now - self._names_fetched_at < 600

    def clears_now(self, user_id: int, name: str) -> bool:
        """Whether ``name`` surely imitates no moderator, known without awaiting anything.

        False when the moderators' names are due for a refresh (a Bot API call) or the name
        does resemble one (a report to claim and send): ``check_name`` does those."""
        if not self._names_fresh(self.services.now_ts()):
            return False
        return lookalike.find_resemblance(user_id, name, self._moderator_names) is None

    async def _fetch_moderator_names(self, bot: Bot, now: int) -> dict[int, str]:
        names: dict[int, str] = {}
        try:
            admins = await bot.get_chat_administrators(self.services.chats.community_id)
            for member in admins:
                if not member.user.is_bot:
                    names[member.user.id] = member.user.full_name
        except TelegramError as exc:
            log.info("Could not fetch admin names for look-alike checks: %s", exc)
        for user_id in self.services.settings.telegram.moderators:
            if user_id not in names:
                name = await self._name_of(user_id)
                if name:
                    names[user_id] = name
        self._moderator_names = names
        self._names_fetched_at = now
        return names

    def note_moderator_name(self, user_id: int, name: str) -> None:
        """A moderator's current name, seen in an update (keeps the cache fresh for free)."""
        if self._names_fetched_at is not None:
            self._moderator_names[user_id] = name

    async def check_name(self, bot: Bot, user_id: int, name: str) -> lookalike.Resemblance | None:
        """Report ``name`` to the moderators once if it imitates one of theirs."""
        if self.services.permissions.is_moderator(user_id):
            return None
        found = lookalike.find_resemblance(user_id, name, await self.moderator_names(bot))
        if found is None:
            return None
        key = lookalike.name_key(name)
        if not await self._repo.claim_lookalike_report(
            user_id, key, found.moderator_id, self.services.now_ts()
        ):
            return found
        await self._report(found, user_id, name)
        return found

    async def _report(self, found: lookalike.Resemblance, user_id: int, name: str) -> None:
        tr = self.services.tr
        text = tr._(
            "⚠️ <b>Look-alike name</b>\n"
            "{member} (id <code>{user_id}</code>) has a display name that looks like "
            "moderator {moderator}'s: {reasons}.\n"
            "If it is an impersonation: <code>/ban {user_id} impersonation</code>",
            member=mention(user_id, name),
            user_id=user_id,
            moderator=mention(found.moderator_id, found.moderator_name),
            reasons=html_join(", ", (reason.text(tr) for reason in found.reasons)),
        )
        for moderator_id in await self.reachable_moderators():
            await self.services.messenger.dm(moderator_id, text)
        if not await self.reachable_moderators():
            # Nobody on the moderation side has opened a chat with the bot: the brand team's
            # chat is the only private place left to say it.
            try:
                await self.services.messenger.to_brand(text)
            except TelegramError as exc:
                log.warning("Could not report a look-alike name anywhere: %s", exc)

    async def reachable_moderators(self) -> list[int]:
        permissions = self.services.permissions
        candidates = sorted(
            set(self.services.settings.telegram.moderators) | set(permissions.admins)
        )
        reachable = await self.services.people.reachable_ids(candidates)
        return [user_id for user_id in candidates if user_id in reachable]
