"""Replies to a preview, with their sentiment: read from the feedback feature's store.

The feedback ingest stores every member message with the id it replies to and its
sentiment; this is the one place previews depend on that, kept narrow on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.db import Database
from bot.feedback import pseudonyms
from bot.feedback import replies_to as _stored_replies_to


@dataclass(frozen=True, slots=True)
class Reply:
    user_id: int
    text: str
    polarity: float
    label: str  # positive | neutral | negative | unscored
    sent_at: int


async def replies_to(db: Database, chat_id: int, message_ids: Sequence[int]) -> list[Reply]:
    stored = await _stored_replies_to(db, chat_id, message_ids)
    return [Reply(m.user_id, m.text, m.polarity, m.label, m.sent_at) for m in stored]


async def member_numbers(db: Database, user_ids: Sequence[int]) -> dict[int, int]:
    """Stable pseudonym numbers ("Member #12") for quotes when names are hidden."""
    return await pseudonyms(db, user_ids)
