"""Data protection: what the club stores about a member, erasing it, and retention."""

from __future__ import annotations

import json
import logging
from datetime import UTC, timedelta
from typing import Any

from telegram import Bot, ChatMember
from telegram.error import BadRequest, Forbidden

from bot.core.i18n import Translator
from bot.core.messaging import html_to_plain
from bot.core.services import Services
from bot.privacy import texts
from bot.privacy.repo import Erasure, PrivacyRepository
from bot.privacy.texts import LeaveProblem

log = logging.getLogger(__name__)

RETENTION_FACT = "privacy:retention_ran_at"
RETENTION_EVERY = timedelta(days=1)
# Telegram never redelivers an update older than a day; processed ids are kept a bit longer.
INBOX_KEEP = timedelta(days=2)
# The member updates of the removal /forgetme makes (ban + unban): in the chat -> kicked,
# then kicked -> left.
_IN_CHAT = (ChatMember.MEMBER, ChatMember.RESTRICTED)


class PrivacyService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = PrivacyRepository(services.db)

    # --- /mydata ---------------------------------------------------------------------------
    async def export_document(self, user_id: int, tr: Translator) -> bytes:
        """The JSON document /mydata sends: every stored row that names the member.

        Its keys are machine fields and stay English; the one sentence for the person is in
        their language."""
        tables = await self.repo.export_person(user_id)
        now = self.services.clock.now()
        document: dict[str, Any] = {
            "club": self.services.settings.community.name,
            "user_id": user_id,
            "generated_at": now.astimezone(UTC).isoformat(),
            "about": html_to_plain(
                texts.mydata_about(tr, self.services.settings.storage.retention_days)
            ),
            "tables": tables,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    # --- /forgetme -------------------------------------------------------------------------
    # The Yes / No question is answered once: the first press wins, a later press on the same
    # message (sent before the first answer's edit arrived, or again after a restart) finds
    # the question closed. Open questions are rows about the person, so erasure closes them.
    async def asked_to_forget(self, user_id: int, question_id: int) -> None:
        """The question (message ``question_id`` in their private chat) awaits an answer."""
        await self.repo.note_question(user_id, question_id, self.services.now_ts())

    async def question_open(self, user_id: int, question_id: int) -> bool:
        return await self.repo.question_open(user_id, question_id)

    async def in_forget_exchange(self, user_id: int) -> bool:
        """Has this club asked them /forgetme's question, open still or answered by their
        erasure moments ago (a second tap on its Yes may follow)? The erasure keeps nothing
        else about them that could tell."""
        if self.services.erasure.erased_lately(user_id, self.services.now_ts):
            return True
        return await self.repo.any_question_open(user_id)

    async def cancel_forget(self, user_id: int, question_id: int) -> bool:
        """The No answer: whether it answered the question (False: answered before)."""
        return await self.repo.close_question(user_id, question_id)

    async def forget(self, bot: Bot, user_id: int) -> tuple[Erasure, LeaveProblem | None]:
        """Remove the member from the group, then erase them everywhere.

        Returns the erasure and, if the member is still in the group, why."""
        removed, problem = await self._leave_group(bot, user_id)
        now = self.services.now_ts()
        late = self.services.erasure.late
        # The window in which what arrives about them is late (a second tap, a late edit, the
        # member updates of our removal), written with the erasure: a restart cannot end it.
        mark = await late.mark(user_id, now, removed)
        participants = self.services.erasure.participants()
        erasure = await self.repo.erase_person(user_id, [mark, *participants], now)
        late.opened(mark)
        for participant in participants:
            await participant.forget_person(user_id)
        # The erased rows still sit in the live -wal file until a checkpoint: do it now, and
        # again once this update (whose raw payload names them) is marked processed.
        await self.services.db.checkpoint()
        self.services.db.request_checkpoint()
        log.info("Erased user %s: %d rows", user_id, erasure.total)
        return erasure, problem

    async def _leave_group(self, bot: Bot, user_id: int) -> tuple[bool, LeaveProblem | None]:
        """Out of the group: whether we removed them, and why they are still in it, if so.

        Someone banned or gone is left as they are (a ban survives erasure as a hash)."""
        community = self.services.chats.community_id
        try:
            member = await bot.get_chat_member(community, user_id)
        except BadRequest:
            return False, None  # Telegram does not know them in the group: nothing to leave
        if member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR):
            return False, LeaveProblem.ADMIN
        if member.status not in _IN_CHAT:
            return False, None
        # A ban lifted at once: they leave and may come back later with a new invite.
        banned = False
        try:
            await bot.ban_chat_member(community, user_id)
            banned = True
            await bot.unban_chat_member(community, user_id, only_if_banned=True)
        except (BadRequest, Forbidden) as exc:
            log.warning(
                "Could not remove %s from the group for /forgetme: %s", user_id, exc.message
            )
            # If the ban went through, its member update is still our removal's.
            return banned, LeaveProblem.REMOVAL_FAILED
        return True, None

    def is_echo_of_forget(self, user_id: int, old_status: str, new_status: str) -> bool:
        """True for a member update of the removal /forgetme itself made: that one only.

        Whatever else happens to the person meanwhile (a moderator's /unban of someone who
        was banned before erasing, and so never removed) is news, not an echo."""
        late = self.services.erasure.late
        if not late.removal_pending(user_id, self.services.now_ts):
            return False
        banned = old_status in _IN_CHAT and new_status == ChatMember.BANNED
        unbanned = old_status == ChatMember.BANNED and new_status == ChatMember.LEFT
        if unbanned:
            late.end_removal(user_id)  # the removal's last update
        return banned or unbanned

    # --- retention -------------------------------------------------------------------------
    async def retention_due(self) -> dict[str, int] | None:
        """Run the daily retention if a day has passed since the last run."""
        now = self.services.now_ts()
        last = await self.services.facts.get(RETENTION_FACT)
        if last is not None and now - int(last) < RETENTION_EVERY.total_seconds():
            return None
        cleared = await self.run_retention(now)
        await self.services.facts.put(RETENTION_FACT, str(now), now)
        return cleared

    async def run_retention(self, now: int) -> dict[str, int]:
        days = self.services.settings.storage.retention_days
        cutoff = now - days * 86400
        cleared = await self.repo.erase_old_text(
            cutoff, self.services.erasure.retention_participants()
        )
        payloads = await self.repo.clear_processed_payloads()
        if payloads:
            log.warning("Cleared %d processed inbox payload(s) that were still stored", payloads)
        await self.services.inbox.forget_processed_before(now - int(INBOX_KEEP.total_seconds()))
        if cleared:
            log.info("Retention: erased text older than %d days: %s", days, cleared)
        return cleared
