"""Measurable links' records, field names equal to column names (mapped by ``bot.db.rows``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Target:
    """A registered destination: ``/l/<token>`` redirects to ``url``."""

    id: int
    token: str
    url: str


@dataclass(frozen=True, slots=True)
class TaggedText:
    """A preview's text or caption with its links tagged, as Telegram HTML."""

    html: str
    is_caption: bool
