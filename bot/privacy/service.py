"""Data protection: what the club stores about a member, erasing it, and retention."""

from __future__ import annotations

import json
import logging
from datetime import UTC, timedelta
from typing import Any

from telegram import Bot, ChatMember
from telegram.error import BadRequest, Forbidden

from bot.core.messaging import escape
from bot.core.services import Services
from bot.privacy.repo import Erasure, PrivacyRepository

log = logging.getLogger(__name__)

# Friendly names for what the known tables hold; an unknown table is shown by its name.
TABLE_LABELS = {
    "people": "your profile (name, username, language)",
    "feedback_messages": "your messages and their scores",
    "feedback_pseudonyms": "your pseudonym in digests",
    "poll_answers": "your poll votes",
    "preview_ratings": "your preview ratings",
    "preview_reactions": "your reactions to previews",
    "preview_teasers": "preview notices sent to you",
    "gate_seats": "your membership and consent record",
    "gate_attempts": "your invite-code attempts",
    "gate_failures": "your wrong invite codes",
    "gate_lockouts": "your invite-code lock-outs",
    "gate_join_requests": "your join requests",
    "gate_events": "your joins and leaves",
    "moderation_log": "moderation records about you",
    "warnings": "your warnings",
    "lookalike_reports": "look-alike name reports",
}

RETENTION_FACT = "privacy:retention_ran_at"
RETENTION_EVERY = timedelta(days=1)
# Telegram never redelivers an update older than a day; processed ids are kept a bit longer.
INBOX_KEEP = timedelta(days=2)
# How long after /forgetme the echo of our own removal (chat_member updates) is ignored.
ECHO_WINDOW = timedelta(minutes=10)


def describe_erasure(erasure: Erasure) -> list[str]:
    lines = []
    for table, count in sorted(erasure.deleted.items()):
        label = TABLE_LABELS.get(table, f"records in {table}")
        lines.append(f"{label}: {count}")
    if erasure.anonymised:
        count = sum(erasure.anonymised.values())
        lines.append(f"your name removed from {count} item(s) you created (they stay, unsigned)")
    if erasure.scrubbed:
        count = sum(erasure.scrubbed.values())
        lines.append(f"quotes of your words removed from {count} stored report(s)")
    return lines


class PrivacyService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = PrivacyRepository(services.db)
        self._echo_until: dict[int, int] = {}

    # --- /mydata ---------------------------------------------------------------------------
    async def export_document(self, user_id: int) -> bytes:
        """The JSON document /mydata sends: every stored row that names the member."""
        tables = await self.repo.export_person(user_id)
        now = self.services.clock.now()
        document: dict[str, Any] = {
            "club": self.services.settings.community.name,
            "user_id": user_id,
            "generated_at": now.astimezone(UTC).isoformat(),
            "about": (
                "Everything this club's bot stores about you, table by table. Times are unix "
                "seconds (UTC). Message texts are erased after "
                f"{self.services.settings.storage.retention_days} days; /forgetme erases "
                "everything."
            ),
            "tables": tables,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    # --- /forgetme -------------------------------------------------------------------------
    async def forget(self, bot: Bot, user_id: int) -> tuple[Erasure, str | None]:
        """Remove the member from the group, then erase them everywhere.

        Returns the erasure and, if the removal failed, why (for the member)."""
        problem = await self._leave_group(bot, user_id)
        now = self.services.now_ts()
        self._echo_until[user_id] = now + int(ECHO_WINDOW.total_seconds())
        participants = self.services.erasure.participants()
        erasure = await self.repo.erase_person(user_id, participants, now)
        for participant in participants:
            await participant.forget_person(user_id)
        # The erased rows still sit in the live -wal file until a checkpoint: do it now, and
        # again once this update (whose raw payload names them) is marked processed.
        await self.services.db.checkpoint()
        self.services.db.request_checkpoint()
        log.info("Erased user %s: %d rows", user_id, erasure.total)
        return erasure, problem

    async def _leave_group(self, bot: Bot, user_id: int) -> str | None:
        community = self.services.chats.community_id
        try:
            member = await bot.get_chat_member(community, user_id)
        except BadRequest:
            return None  # Telegram does not know them in the group: nothing to leave
        if member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR):
            return "You are an admin of the group, so you stay in it."
        if member.status not in (ChatMember.MEMBER, ChatMember.RESTRICTED):
            return None
        try:
            # A ban lifted at once: they leave and may come back later with a new invite.
            await bot.ban_chat_member(community, user_id)
            await bot.unban_chat_member(community, user_id, only_if_banned=True)
        except (BadRequest, Forbidden) as exc:
            log.warning(
                "Could not remove %s from the group for /forgetme: %s", user_id, exc.message
            )
            return "I could not remove you from the group: please leave it yourself."
        return None

    def is_echo_of_forget(self, user_id: int) -> bool:
        """True for a chat_member update caused by our own removal after /forgetme."""
        until = self._echo_until.get(user_id)
        if until is None:
            return False
        if until < self.services.now_ts():
            del self._echo_until[user_id]
            return False
        return True

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


def erasure_text(erasure: Erasure, problem: str | None, community: str) -> str:
    lines = describe_erasure(erasure)
    text = [f"<b>Done: {escape(community)} has forgotten you.</b>"]
    if lines:
        text.append("Erased:")
        text += [f"• {escape(line)}" for line in lines]
    else:
        text.append("There was nothing stored about you.")
    text.append(
        "Figures already counted in past daily reports (for example how many messages were "
        "positive on a day) stay, without your name."
    )
    if problem:
        text.append(escape(problem))
    return "\n".join(text)
