"""Moderation: checks, the Telegram calls, the log, and the texts people see.

Handlers parse a command into a ``ModerationRequest`` and call ``ModerationService.perform``;
flood control calls ``flood_mute``; the look-alike observer calls ``check_name``. Every
action that reaches Telegram is written to ``moderation_log``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from telegram import Bot, ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.config import ModerationSettings
from bot.core.concurrency import KeyedLocks
from bot.core.erasure import MemoryCaches
from bot.core.i18n import Html, Translator, pick_language, translator
from bot.core.services import Services
from bot.db import current_update_id
from bot.gate import GateService
from bot.moderation import lookalike, modlog, reasons
from bot.moderation.checks import Refusal, check
from bot.moderation.flood import FloodTracker
from bot.moderation.impersonation import LookalikeWatch
from bot.moderation.modlog import mention
from bot.moderation.parse import ModerationRequest
from bot.moderation.repo import ModerationRepository
from bot.moderation.standing import restricted_beyond

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str  # HTML reply for the moderator
    done: bool = True
    # A ban made or lifted here, for the other clubs ([brand] shared_bans).
    shared: Literal["ban", "unban"] | None = None


class ModerationService:
    def __init__(self, services: Services, gate: GateService) -> None:
        self.services = services
        self._gate = gate
        self.repo = ModerationRepository(services.db)
        settings = services.settings.moderation
        # Who posted how often lately (the flood guard), and whose name was last checked
        # against the moderators' (the look-alike watch): memory only, this club's.
        self.flood = FloodTracker(settings.flood_messages, settings.flood_seconds)
        self.checked_names: dict[int, str] = {}
        # When the group was last told of a flood mute (at most one notice a minute).
        self.flood_notice_at: int | None = None
        services.erasure.register(
            "moderation", MemoryCaches(self.checked_names, *self.flood.per_person_state())
        )
        self.lookalikes = LookalikeWatch(services, self.repo, self.name_of)
        # Told of every ban and unban made here ([brand] shared_bans: the other clubs follow).
        self.ban_listeners: list[Callable[[Bot, int], Awaitable[None]]] = []
        self.unban_listeners: list[Callable[[Bot, int], Awaitable[None]]] = []
        # Every action on a member reads their status, then acts, across awaits: one
        # member's actions run one at a time (whoever asks: two moderators, flood control, a
        # ban shared by another club), so a /kick's ban + unban never brackets a /ban.
        self._members = KeyedLocks()

    # --- helpers ---------------------------------------------------------------------------
    @property
    def _settings(self) -> ModerationSettings:
        return self.services.settings.moderation

    async def name_of(self, user_id: int) -> str | None:
        person = await self.services.people.get(user_id)
        return person.display_name if person else None

    # --- the actions -----------------------------------------------------------------------
    async def perform(self, bot: Bot, actor_id: int | None, request: ModerationRequest) -> Outcome:
        """Check, act on Telegram, log. Refusals and Telegram errors become a reply.

        The check reads the member's status from Telegram after any earlier action on them
        has finished, so a second moderator's /ban after a /kick bans someone who left, and
        a /kick after a /ban is told "not in the group"."""
        async with self._members.hold(request.target_id):
            outcome = await self._checked(bot, actor_id, request)
        # The other clubs are told once this member is free again here: two clubs banning
        # the same person at once would otherwise each wait for the other's lock.
        listeners = {"ban": self.ban_listeners, "unban": self.unban_listeners}
        for listener in listeners[outcome.shared] if outcome.shared else ():
            await listener(bot, request.target_id)
        return outcome

    async def _checked(
        self, bot: Bot, actor_id: int | None, request: ModerationRequest
    ) -> Outcome:
        try:
            await check(self.services, bot, actor_id, request)
            return await self._act(bot, actor_id, request)
        except Refusal as exc:
            return Outcome(str(exc), done=False)
        except TelegramError as exc:
            # Refused: typically missing admin rights ("not enough rights to restrict/unrestrict
            # chat member") or a status change since our check. Otherwise no answer in time
            # (bot.core.ratelimit's retries ran out): part of the action may have happened.
            log.warning("Telegram: /%s on %s: %s", request.action, request.target_id, exc)
            tr = self.services.tr
            if isinstance(exc, BadRequest | Forbidden):
                text = tr._("Telegram refused: {error}", error=exc.message)
            else:
                text = tr._(
                    "Telegram did not answer ({error}). /modlog shows what was done; "
                    "try again in a moment.",
                    error=exc.message,
                )
            return Outcome(text, done=False)

    async def _act(self, bot: Bot, actor_id: int | None, request: ModerationRequest) -> Outcome:
        target, reason = request.target_id, request.reason
        tr = self.services.tr
        who = mention(target, await self.name_of(target))

        # The reason is told to the moderator in the club's language and to the member in
        # theirs; each sentence below carries it on its own line.
        def because(tr: Translator) -> str:
            return "\n" + tr._("Reason: {reason}", reason=reason) if reason else ""

        update_id = current_update_id.get()
        now = self.services.now_ts()
        action = request.action

        if action == "warn":
            limit = self._settings.warn_limit
            result = await self.repo.add_warning(
                actor_id, target, reason, now, limit=limit, update_id=update_id
            )
            if not result.recorded:
                return Outcome(tr._("{who} was already warned for this message.", who=who))
            await self._tell(
                target, lambda tr: tr._("You received a warning in the club.") + because(tr)
            )
            if not result.escalate:
                return Outcome(
                    tr._(
                        "{who} was warned ({count}/{limit}).",
                        who=who,
                        count=result.active,
                        limit=limit,
                    )
                    + because(tr)
                )
            follow_up, shared = await self._escalate(bot, target, limit, update_id)
            await self.repo.clear_warnings(target)
            return Outcome(follow_up(who) + because(tr), shared=shared)

        if action == "mute":
            assert request.duration is not None
            until = await self._mute(bot, target, request.duration)
            await self.repo.log(
                "mute", actor_id, target, reason, now, until_at=until, update_id=update_id
            )
            duration = request.duration
            await self._tell(
                target,
                lambda tr: (
                    tr._("You were muted in the club for {length}.", length=tr.duration(duration))
                    + because(tr)
                ),
            )
            return Outcome(
                tr._("{who} is muted for {length}.", who=who, length=tr.duration(duration))
                + because(tr)
            )

        if action == "unmute":
            await self._unmute(bot, target)
            await self.repo.log("unmute", actor_id, target, None, now, update_id=update_id)
            return Outcome(tr._("{who} can write again.", who=who))

        community = self.services.chats.community_id
        if action == "kick":
            # A kick is a ban lifted at once: they leave and may come back with a new invite.
            self._gate.expect_kick(target)
            await bot.ban_chat_member(community, target)
            await bot.unban_chat_member(community, target, only_if_banned=True)
            await self.repo.log("kick", actor_id, target, reason, now, update_id=update_id)
            await self._tell(
                target, lambda tr: tr._("You were removed from the club.") + because(tr)
            )
            return Outcome(tr._("{who} was removed from the group.", who=who) + because(tr))

        if action == "ban":
            await bot.ban_chat_member(community, target)
            await self.repo.clear_warnings(target)
            await self.repo.log("ban", actor_id, target, reason, now, update_id=update_id)
            await self._tell(
                target, lambda tr: tr._("You were banned from the club.") + because(tr)
            )
            return Outcome(tr._("{who} is banned.", who=who) + because(tr), shared="ban")

        # unban
        await bot.unban_chat_member(community, target, only_if_banned=True)
        await self._unbanned(target, actor_id, None, now, update_id)
        return Outcome(
            tr._("{who} is no longer banned (they need a new invite to come back).", who=who),
            shared="unban",
        )

    async def _unbanned(
        self,
        target: int,
        actor_id: int | None,
        reason: str | None,
        now: int,
        update_id: int | None,
    ) -> None:
        """After Telegram lifted a ban: the log, and the gate's side of it at once.

        The gate also learns it from the chat_member update (kicked -> left), but that update
        may be swallowed (the echo of a /forgetme) or never come: the ban of an erased person,
        kept as a hash, must go with the unban that was reported done."""
        await self.repo.log("unban", actor_id, target, reason, now, update_id=update_id)
        await self._gate.ban_lifted(target)

    async def apply_shared_ban(self, bot: Bot, target: int, origin: str) -> bool:
        """Ban ``target`` here because club ``origin`` did; False if Telegram refused.

        Never told to the listeners: a shared ban is not shared again (no echo between
        clubs). Telegram bans a person who never joined too, so they cannot come in later.
        """
        async with self._members.hold(target):
            return await self._apply_shared_ban(bot, target, origin)

    async def _apply_shared_ban(self, bot: Bot, target: int, origin: str) -> bool:
        try:
            await self.services.messenger.in_community(
                lambda chat_id: bot.ban_chat_member(chat_id, target)
            )
        except TelegramError as exc:
            # Refused, or no answer in time: the origin's own ban stands and is reported.
            log.warning("Could not apply %s's ban of %s here: %s", origin, target, exc.message)
            return False
        now = self.services.now_ts()
        # A record (shown in the reader's language by bot.moderation.reasons).
        await self.repo.log("ban", None, target, reasons.shared_ban(origin), now)
        return True

    async def apply_shared_unban(self, bot: Bot, target: int, origin: str) -> bool:
        """Lift here the ban club ``origin`` shared, now that it lifted its own; a ban this
        club made itself (or another club shared) stays. False if there was none to lift."""
        async with self._members.hold(target):
            return await self._apply_shared_unban(bot, target, origin)

    async def _apply_shared_unban(self, bot: Bot, target: int, origin: str) -> bool:
        # Only if every ban standing here is origin's share: this club's own ban (or a third
        # club's share) made while origin's stood, or re-made after a local unban, stays.
        shared = reasons.shared_ban(origin)
        bans = await self.repo.standing_bans(target)
        if not bans or any(ban.actor_id is not None or ban.reason != shared for ban in bans):
            return False
        try:
            await self.services.messenger.in_community(
                lambda chat_id: bot.unban_chat_member(chat_id, target, only_if_banned=True)
            )
        except TelegramError as exc:
            log.warning("Could not lift %s's ban of %s here: %s", origin, target, exc.message)
            return False
        await self._unbanned(
            target, None, reasons.shared_unban(origin), self.services.now_ts(), None
        )
        return True

    async def _escalate(
        self, bot: Bot, target: int, limit: int, update_id: int | None
    ) -> tuple[Callable[[str], Html], Literal["ban"] | None]:
        """Ban or mute at the warning limit; returns the moderator's sentence about ``who``
        (and "ban" for the other clubs when it banned)."""
        tr = self.services.tr
        now = self.services.now_ts()
        # A record (shown in the reader's language by bot.moderation.reasons).
        reason = reasons.warn_limit(limit)
        if self._settings.warn_action == "ban":
            await bot.ban_chat_member(self.services.chats.community_id, target)
            await self.repo.log("ban", None, target, reason, now, update_id=update_id)
            await self._tell(
                target,
                lambda tr: tr._(
                    "You were banned from the club after {limit} warnings.", limit=limit
                ),
            )
            return lambda who: tr._(
                "{who} was warned ({limit}/{limit}) and banned.", who=who, limit=limit
            ), "ban"
        duration = timedelta(minutes=self._settings.default_mute_minutes)
        if await restricted_beyond(
            bot, self.services.chats.community_id, target, now + int(duration.total_seconds())
        ):
            # A longer mute stands: the automatic one would shorten it.
            return lambda who: tr._(
                "{who} was warned ({limit}/{limit}) and stays muted as before (for longer "
                "than {length}).",
                who=who,
                limit=limit,
                length=tr.duration(duration),
            ), None
        until = await self._mute(bot, target, duration)
        await self.repo.log("mute", None, target, reason, now, until_at=until, update_id=update_id)
        await self._tell(
            target,
            lambda tr: tr._(
                "You were muted for {length} after {limit} warnings.",
                length=tr.duration(duration),
                limit=limit,
            ),
        )
        return lambda who: tr._(
            "{who} was warned ({limit}/{limit}) and muted for {length}.",
            who=who,
            limit=limit,
            length=tr.duration(duration),
        ), None

    async def _mute(self, bot: Bot, target: int, duration: timedelta) -> int:
        until = self.services.now_ts() + int(duration.total_seconds())
        await bot.restrict_chat_member(
            self.services.chats.community_id,
            target,
            ChatPermissions.no_permissions(),
            until_date=until,
        )
        return until

    async def _unmute(self, bot: Bot, target: int) -> None:
        # Give back the group's default permissions, not more than other members have.
        chat = await bot.get_chat(self.services.chats.community_id)
        permissions = chat.permissions or ChatPermissions.all_permissions()
        await bot.restrict_chat_member(self.services.chats.community_id, target, permissions)

    async def _tell(self, user_id: int, text: Callable[[Translator], str]) -> None:
        """A private note to the member in their language, only if they can receive one
        (never an error)."""
        person = await self.services.people.get(user_id)
        if person is None or not person.can_receive_dm:
            return
        tr = translator(
            pick_language(person.language_code, self.services.settings.community.language)
        )
        try:
            await self.services.messenger.dm(user_id, text(tr))
        except TelegramError as exc:
            log.info("Could not tell %s about a moderation action: %s", user_id, exc)

    # --- flood control ---------------------------------------------------------------------
    async def flood_mute(self, bot: Bot, user_id: int, count: int, seconds: int) -> int | None:
        """Mute a flooding member; returns the end of the mute, or None if none was made
        (Telegram refused, or a moderator's ban or longer restriction stands)."""
        duration = timedelta(minutes=self._settings.flood_mute_minutes)
        try:
            async with self._members.hold(user_id):
                if await restricted_beyond(
                    bot,
                    self.services.chats.community_id,
                    user_id,
                    self.services.now_ts() + int(duration.total_seconds()),
                ):
                    return None
                until = await self._mute(bot, user_id, duration)
        except TelegramError as exc:
            # Refused, or no answer in time: the next burst tries again.
            log.warning("Could not mute flooding user %s: %s", user_id, exc.message)
            return None
        await self.repo.log(
            "flood",
            None,
            user_id,
            reasons.flood(count, seconds),
            self.services.now_ts(),
            until_at=until,
            update_id=current_update_id.get(),
        )
        return until

    # --- look-alike names and the log: their own modules, reached through the service -----
    def note_moderator_name(self, user_id: int, name: str) -> None:
        self.lookalikes.note_moderator_name(user_id, name)

    async def check_name(self, bot: Bot, user_id: int, name: str) -> lookalike.Resemblance | None:
        return await self.lookalikes.check_name(bot, user_id, name)

    def name_clears_now(self, user_id: int, name: str) -> bool:
        return self.lookalikes.clears_now(user_id, name)

    async def modlog_text(self, limit: int) -> str:
        return await modlog.modlog_text(self.services, self.repo, self.name_of, limit)
