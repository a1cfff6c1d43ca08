"""Who a Bot API call is sent for: its lane (a club) and whether a person waits for it.

Telegram's ~30 messages a second is one budget for the whole bot, however many clubs it
serves. The rate limiter (bot/core/ratelimit.py) shares that budget round-robin between the
lanes that have sends waiting, and inside a lane lets interactive sends (a person waiting
for an answer) go before bulk ones (a broadcast nobody watches message by message).

Both are context variables, so whoever sends on behalf of a club sets them once around its
work and every call below inherits them, background tasks included (asyncio copies the
context when a task is created). Nothing set means the default lane, interactive: a
single-club bot behaves as it did before lanes existed.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from contextvars import ContextVar

DEFAULT_LANE = "default"


class Priority(enum.IntEnum):
    """Lower goes first within a lane."""

    INTERACTIVE = 0
    BULK = 1


_lane: ContextVar[str] = ContextVar("send_lane", default=DEFAULT_LANE)
_priority: ContextVar[Priority] = ContextVar("send_priority", default=Priority.INTERACTIVE)


def current_lane() -> str:
    return _lane.get()


def current_priority() -> Priority:
    return _priority.get()


@contextlib.contextmanager
def sending_for(lane: str) -> Iterator[None]:
    """Attribute every send inside (and in tasks started inside) to ``lane``, a club's key."""
    token = _lane.set(lane)
    try:
        yield
    finally:
        _lane.reset(token)


@contextlib.contextmanager
def sending_bulk() -> Iterator[None]:
    """Mark the sends inside as bulk: they give way to interactive sends of their lane."""
    token = _priority.set(Priority.BULK)
    try:
        yield
    finally:
        _priority.reset(token)
