"""The insights' records: what a verdict card and a quoted message are made of.

Plain data, shared by the builders (verdicts, alerts), the texts and the charts, so none of
those needs to import another to name a type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from bot.db import rows
from bot.insights.stats import MeanInterval


class AlertState(StrEnum):
    """``insight_alerts.state``."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class RatingSummary(StrEnum):
    """What a verdict can honestly say about its ratings (text, caption and chart agree)."""

    NONE = "none"  # nobody rated
    TOO_FEW = "too_few"  # fewer than insights.verdict_min_ratings: counts only
    UNANIMOUS = "unanimous"  # enough raters, all gave the same stars: say so, no interval
    INTERVAL = "interval"  # the mean with its 95% interval


def _json_tuple(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


@dataclass(frozen=True, slots=True)
class QuoteLine:
    author: str  # "Member #4"
    text: str
    link: str | None  # https://t.me/c/... or None when the chat has no public form


@dataclass(frozen=True, slots=True)
class AspectVerdict:
    name: str
    repliers: int  # distinct members whose replies mention it
    negative: int  # of those, members who were negative about it
    positive: int
    mean: float


@dataclass(frozen=True, slots=True)
class Theme:
    topic: str
    mentions: int
    quote: QuoteLine | None


@dataclass(frozen=True, slots=True)
class Comparison:
    preview_id: int
    label: str
    mean: float
    raters: int


@dataclass
class Verdict:
    preview_id: int
    label: str
    published_at: int | None
    distribution: tuple[int, int, int, int, int]
    interval: MeanInterval | None
    enough: bool  # at least insights.verdict_min_ratings ratings
    min_ratings: int
    poll_question: str | None
    poll_options: list[tuple[str, int]]
    poll_voters: int
    reactions: dict[str, int]
    replies: int
    repliers: int
    reply_labels: dict[str, int]
    aspects: list[AspectVerdict]
    themes: list[Theme]
    previous: list[Comparison] = field(default_factory=list)
    rank: int | None = None  # 1 = best of this preview and the previous ones compared

    @property
    def raters(self) -> int:
        return sum(self.distribution)

    @property
    def mean(self) -> float | None:
        if not self.raters:
            return None
        return sum(s * n for s, n in enumerate(self.distribution, start=1)) / self.raters

    @property
    def unanimous_stars(self) -> int | None:
        """The stars every rater gave, when all gave the same; None otherwise."""
        given = [s for s, n in enumerate(self.distribution, start=1) if n]
        return given[0] if len(given) == 1 else None

    @property
    def summary(self) -> RatingSummary:
        if not self.raters:
            return RatingSummary.NONE
        if not self.enough:
            return RatingSummary.TOO_FEW
        if self.unanimous_stars is not None:
            return RatingSummary.UNANIMOUS
        # Enough raters with some spread always have an interval; if not, claim nothing.
        return RatingSummary.TOO_FEW if self.interval is None else RatingSummary.INTERVAL


@dataclass(frozen=True, slots=True)
class AlertFigures:
    """What the detector found in a window: the part of an alert before it is recorded."""

    chat_id: int
    key: str
    also: tuple[str, ...] = field(metadata=rows.decode_with(_json_tuple))  # JSON in the table
    window_start: int
    window_end: int
    observed: int
    expected: float
    messages: int
    members: int
    p_value: float
    text: str


@dataclass(frozen=True, slots=True)
class NewAlert(AlertFigures):
    # (author's user id, the exact quote line inside ``text``): see insight_alert_quotes.
    quotes: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class AlertRecord(AlertFigures):
    id: int
    state: AlertState
    brand_chat_id: int | None
    brand_message_id: int | None
    attempts: int
    created_at: int

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.also)
