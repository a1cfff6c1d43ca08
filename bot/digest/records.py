"""The digest's records: a day's figures, a quoted message, and the send ledger's row.

Field names are column names (``bot.db.rows`` maps by name and checks they match); the
ledger's state is a StrEnum and its JSON columns are decoded by field metadata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.digest_api import DayWindow
from bot.db import rows

# SQLite's SUM over REAL values that happen to be whole (a polarity of 0) can come back as an
# INTEGER, so polarity columns are read through float() to keep the type the fields promise.
_AS_FLOAT = rows.decode_with(float)


def _json_list(text: str) -> list[object]:
    return list(json.loads(text))


class RunState(StrEnum):
    """``digest_runs.state``: a day's digest is being sent, was sent, or was skipped."""

    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"  # missed by more than the catch-up window; recorded, never sent


@dataclass(frozen=True, slots=True)
class DigestRun:
    day: str
    chat_id: int
    state: RunState
    late: bool
    parts: list[str] = field(metadata=rows.decode_with(_json_list))
    parts_sent: int
    chart_sent: bool
    message_ids: list[int] = field(metadata=rows.decode_with(_json_list))
    attempts: int
    last_error: str | None
    next_attempt_at: int
    created_at: int
    sent_at: int | None


@dataclass(frozen=True, slots=True)
class DayStats:
    day_start: int
    day_end: int
    messages: int
    members: int
    scored: int
    positive: int
    neutral: int
    negative: int
    polarity_sum: float = field(metadata=_AS_FLOAT)

    @property
    def unscored(self) -> int:
        return self.messages - self.scored

    @property
    def mean(self) -> float | None:
        return self.polarity_sum / self.scored if self.scored else None

    @classmethod
    def empty(cls, window: DayWindow) -> DayStats:
        return cls(window.start, window.end, 0, 0, 0, 0, 0, 0, 0.0)


@dataclass(frozen=True, slots=True)
class AspectStats:
    aspect: str
    mentions: int
    polarity_sum: float

    @property
    def mean(self) -> float:
        return self.polarity_sum / self.mentions if self.mentions else 0.0


@dataclass(frozen=True, slots=True)
class QuoteRow:
    message_id: int
    user_id: int
    text: str
    polarity: float = field(metadata=_AS_FLOAT)
    sent_at: int
