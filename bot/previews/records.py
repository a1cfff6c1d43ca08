"""The previews' records: a preview's row and what members said about it, as numbers.

Field names are the ``previews`` columns (``bot.db.rows`` maps by name and checks they
match); the status column is a StrEnum, the JSON list columns are decoded to tuples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.db import rows


def _json_tuple(text: str | None) -> tuple[Any, ...]:
    # poll_options is NULL for a preview without a poll; source_message_ids is never NULL.
    return tuple(json.loads(text)) if text else ()


class PreviewStatus(StrEnum):
    """A preview's place in its life (``previews.status``, migrations/0004)."""

    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"  # claimed for sending; left so by a crash, never sent again
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PreviewRecord:
    id: int
    command_chat_id: int
    command_message_id: int
    created_by: int
    title: str | None
    source_chat_id: int
    source_message_ids: tuple[int, ...] = field(metadata=rows.decode_with(_json_tuple))
    kind: str
    poll_question: str | None
    poll_options: tuple[str, ...] = field(metadata=rows.decode_with(_json_tuple))
    notify: bool
    publish_at: int
    status: PreviewStatus
    confirm_message_id: int | None
    chat_id: int | None
    message_id: int | None
    pinned_message_id: int | None
    published_at: int | None
    error: str | None
    poll_id: int | None
    tally_dirty: bool
    tally_edited_at: int | None
    teaser_status: str
    teaser_progress_id: int | None
    created_at: int

    @property
    def label(self) -> str:
        return f"#{self.id}" + (f" {self.title}" if self.title else "")


@dataclass(frozen=True, slots=True)
class Feedback:
    """Everything members said about one preview, as numbers."""

    distribution: tuple[int, int, int, int, int]  # votes for 1..5 stars
    reactions: dict[str, int]

    @property
    def votes(self) -> int:
        return sum(self.distribution)

    @property
    def average(self) -> float | None:
        if not self.votes:
            return None
        return sum(stars * n for stars, n in enumerate(self.distribution, start=1)) / self.votes
