"""The insights' records: what a verdict card and a quoted message are made of.

Plain data, shared by the builders (verdicts, alerts), the texts and the charts, so none of
those needs to import another to name a type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.insights.stats import MeanInterval


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
