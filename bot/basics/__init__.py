"""Small features every club has: /help and /start, the start-up health check, tracking
who the bot has met, and the database operations behind ``python -m bot backup/export``.

Public face: ``Tracking`` (one club's memory of whom the bot has met). Handlers are added by
``bot.basics.handlers``.
"""

from bot.basics.tracking import Tracking

__all__ = ["Tracking"]
