"""Opt-in checker for Telegram's broadcast limits (numbers and sources in limits.py).

Telegram does not publish exact algorithms, only guidance; the checker flags sends that
exceed the guidance so a benchmark can assert "the bot never went over" without the
sandbox failing requests. Real (monotonic) time is used, not the sandbox clock, because
limits are about how fast requests actually arrive.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from bot.sandbox import limits

SEND_METHODS = frozenset(
    m.lower()
    for m in (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "sendPoll",
    )
)


@dataclass
class RateViolation:
    """A request that Telegram would have refused (or that broke a flood-wait window)."""

    kind: str  # "flood_wait" | "global" | "private_chat" | "group"
    method: str
    chat_id: int | None
    at: datetime
    detail: str


class RateChecker:
    def __init__(self) -> None:
        self.enabled = False
        self._all: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}

    def record(
        self, method: str, chat_id: int | None, is_private: bool, now: float, at: datetime
    ) -> list[RateViolation]:
        if not self.enabled or method.lower() not in SEND_METHODS:
            return []
        found: list[RateViolation] = []
        self._all.append(now)
        while self._all and now - self._all[0] > 1.0:
            self._all.popleft()
        if len(self._all) > limits.GLOBAL_MSGS_PER_SECOND:
            found.append(
                RateViolation("global", method, chat_id, at, f"{len(self._all)} sends within 1 s")
            )
        if chat_id is None:
            return found
        window = 1.0 if is_private else 60.0
        allowed = limits.PRIVATE_CHAT_BURST if is_private else limits.GROUP_MSGS_PER_MINUTE
        times = self._per_chat.setdefault(chat_id, deque())
        times.append(now)
        while times and now - times[0] > window:
            times.popleft()
        if len(times) > allowed:
            kind = "private_chat" if is_private else "group"
            detail = f"{len(times)} sends to chat {chat_id} within {window:g} s"
            found.append(RateViolation(kind, method, chat_id, at, detail))
        return found
