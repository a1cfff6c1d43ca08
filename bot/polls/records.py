"""Polls' records: the rows polls reads, field names equal to column names.

``bot.db.rows`` maps a row to these by name and checks that the two match; JSON columns are
decoded by the field's ``decode_with`` metadata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from bot.db import rows


class PollStatus(StrEnum):
    """``polls.status``: a poll is claimed before sendPoll, so a crash leaves it 'sending'."""

    SENDING = "sending"
    OPEN = "open"
    CLOSED = "closed"
    FAILED = "failed"


def _json_tuple(text: str | None) -> tuple[object, ...]:
    return () if not text else tuple(json.loads(text))


@dataclass(frozen=True, slots=True)
class PollRecord:
    id: int
    source_chat_id: int
    source_message_id: int
    created_by: int
    question: str
    options: tuple[str, ...] = field(metadata=rows.decode_with(_json_tuple))
    allows_multiple: bool
    is_anonymous: bool
    preview_id: int | None
    status: PollStatus
    chat_id: int | None
    message_id: int | None
    telegram_poll_id: str | None
    # NULL until Telegram's first poll update; read as 0 voters per option (__post_init__)
    counts: tuple[int, ...] = field(metadata=rows.decode_with(_json_tuple))
    total_voters: int
    closes_at: int | None
    created_at: int
    opened_at: int | None
    closed_at: int | None
    results_posted_at: int | None

    def __post_init__(self) -> None:
        if not self.counts and self.options:
            # frozen: the one place the record completes itself, before anyone sees it
            object.__setattr__(self, "counts", (0,) * len(self.options))
