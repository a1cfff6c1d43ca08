"""Records of the tables every feature shares (``people``), field names equal to columns.

``bot.db.rows`` maps a row to these by name and checks the two match.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the bot has met (``people`` without its bookkeeping timestamps)."""

    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    is_bot: bool
    started_bot_at: int | None
    blocked_bot_at: int | None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or str(
            self.user_id
        )

    @property
    def can_receive_dm(self) -> bool:
        return self.started_bot_at is not None and self.blocked_bot_at is None
