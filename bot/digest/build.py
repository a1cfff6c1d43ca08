"""Build the digest of one local day as plain data (no Telegram, no formatting).

Every figure comes from rows written at ingest (sentiment, aspects, topics per message) and
the daily cache; nothing is scored here. ``Digest.to_dict()`` is the JSON the CLI prints.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import translator
from bot.db import Database
from bot.digest import stats_repo
from bot.digest.records import DayStats, QuoteRow
from bot.digest.sections import section_providers

log = logging.getLogger(__name__)

QUOTE_CHARS = 200  # a quote is shown up to this many characters, cut at a word
TOP_TOPICS = 8
BUSIEST_HOURS = 3
CHART_DAYS = 14
# An aspect's mean must move by more than this against the previous 7 days to count as a change.
DIRECTION_STEP = 0.05


@dataclass(frozen=True, slots=True)
class Quote:
    author: str  # "Member #12", or the name when digest.show_names is on
    text: str  # one line, at most QUOTE_CHARS characters
    polarity: float
    sent_at: int
    # Whose words these are: recorded with a stored digest so /forgetme erases by person.
    # Never rendered, never exported.
    user_id: int = 0


@dataclass(frozen=True, slots=True)
class AspectFigures:
    name: str
    mentions: int
    mean: float
    previous_mentions: int
    previous_mean: float | None
    direction: str  # "up" | "down" | "steady" | "new"
    # Whether an up/down move beats the noise of its mentions (bot/insights/honest.py).
    clear: bool | None = None


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: str  # YYYY-MM-DD
    messages: int
    mean: float | None


@dataclass
class Digest:
    day: date
    timezone: str
    community: str
    generated_at: int
    late: bool
    messages: int
    active_members: int
    brand_posts: int
    busiest_hours: list[tuple[str, int]]  # ("18:00", 42), busiest first
    scored: int
    unscored: int
    unscored_languages: dict[str, int]
    mean: float | None
    positive_share: float | None
    neutral_share: float | None
    negative_share: float | None
    change_vs_yesterday: float | None
    change_vs_week: float | None
    aspects: list[AspectFigures]
    topics: list[tuple[str, int]]
    positive_quotes: list[Quote]
    negative_quotes: list[Quote]
    history: list[DayPoint]  # the last CHART_DAYS days, oldest first, ending with ``day``
    sections: list[DigestSection] = field(default_factory=list)
    # Whether each change beats the noise of its n (bot/insights/honest.py); None: no data.
    change_vs_yesterday_clear: bool | None = None
    change_vs_week_clear: bool | None = None
    # The language the brand team reads it in (community.language); JSON keys stay English.
    language: str = "en"
    # The label the club's thresholds give the mean ("positive", "neutral", "negative"):
    # the face next to it must agree with the shares the same thresholds make.
    mood: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("positive_quotes", "negative_quotes"):
            for quote in data[key]:
                quote.pop("user_id", None)
        data["day"] = self.day.isoformat()
        data["busiest_hours"] = [{"hour": h, "messages": n} for h, n in self.busiest_hours]
        data["topics"] = [{"topic": t, "mentions": n} for t, n in self.topics]
        data["sections"] = [
            {"key": s.key, "title": s.title, "data": s.data, "lines": s.lines}
            for s in self.sections
        ]
        return data


def busiest_hours(hours: list[tuple[int, int]], start: int, tz: ZoneInfo) -> list[tuple[str, int]]:
    """The ``BUSIEST_HOURS`` local clock hours with the most messages, busiest first (ties in
    clock order). Counted per local label: on the night the clocks go back, 02:00 summer
    time and 02:00 winter time are one "02:00", as the brand team reads it."""
    by_label: dict[str, int] = {}
    for offset, n in sorted(hours):
        label = datetime.fromtimestamp(start + offset, tz).strftime("%H:00")
        by_label[label] = by_label.get(label, 0) + n
    ranked = sorted(by_label.items(), key=lambda item: -item[1])  # stable: clock order
    return ranked[:BUSIEST_HOURS]


def local_today(now: datetime, settings: Settings) -> date:
    return now.astimezone(settings.community.tz).date()


def mood_label(mean: float | None, settings: Settings) -> str | None:
    """The label a message with this polarity gets (strict comparisons, as the scorer's)."""
    if mean is None:
        return None
    if mean > settings.sentiment.positive_threshold:
        return "positive"
    if mean < settings.sentiment.negative_threshold:
        return "negative"
    return "neutral"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(stats: list[DayStats]) -> float | None:
    scored = sum(s.scored for s in stats)
    return sum(s.polarity_sum for s in stats) / scored if scored else None


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line, at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def _direction(mean: float, previous: float | None) -> str:
    if previous is None:
        return "new"
    if mean - previous > DIRECTION_STEP:
        return "up"
    if previous - mean > DIRECTION_STEP:
        return "down"
    return "steady"


async def build_digest(
    db: Database,
    settings: Settings,
    day: date,
    *,
    now: int,
    chat_id: int | None = None,
    late: bool = False,
    include_sections: bool = True,
) -> Digest:
    """The digest for local ``day`` as known at ``now`` (unix seconds)."""
    tz = settings.community.tz
    chat = (
        chat_id
        if chat_id is not None
        else await stats_repo.community_chat_id(db, settings.telegram.community_chat_id)
    )
    window = DayWindow.for_day(day, tz)
    history_windows = [window.shifted(-i) for i in range(CHART_DAYS - 1, -1, -1)]
    stats = await stats_repo.day_stats(db, chat, history_windows, now)
    today = stats[-1]
    yesterday = stats[-2]
    week = stats[-8:-1]

    aspects_today = await stats_repo.aspect_stats(db, chat, [window], now)
    aspects_week = await stats_repo.aspect_stats(db, chat, history_windows[-8:-1], now)
    aspects = sorted(
        (
            AspectFigures(
                name=name,
                mentions=a.mentions,
                mean=a.mean,
                previous_mentions=aspects_week[name].mentions if name in aspects_week else 0,
                previous_mean=aspects_week[name].mean if name in aspects_week else None,
                direction=_direction(
                    a.mean, aspects_week[name].mean if name in aspects_week else None
                ),
            )
            for name, a in aspects_today.items()
        ),
        key=lambda f: (-f.mentions, f.name),
    )

    busiest = busiest_hours(await stats_repo.hour_counts(db, chat, window), window.start, tz)
    limit = settings.digest.quotes
    positive_rows = await stats_repo.quotes(db, chat, window, "positive", limit)
    negative_rows = await stats_repo.quotes(db, chat, window, "negative", limit)
    tr = translator(settings.community.language)

    def pseudonym(number: int | None) -> str:
        return tr._("Member #{n}", n=number) if number is not None else tr._("a member")

    labels = await stats_repo.member_labels(
        db,
        [q.user_id for q in positive_rows + negative_rows],
        settings.digest.show_names,
        pseudonym,
    )

    def quote(row: QuoteRow) -> Quote:
        return Quote(
            labels.get(row.user_id) or pseudonym(None),
            shorten(row.text),
            row.polarity,
            row.sent_at,
            row.user_id,
        )

    digest = Digest(
        day=day,
        timezone=settings.community.timezone,
        community=settings.community.name,
        language=settings.community.language,
        generated_at=now,
        late=late,
        messages=today.messages,
        active_members=today.members,
        brand_posts=await stats_repo.brand_posts(db, chat, window),
        busiest_hours=busiest,
        scored=today.scored,
        unscored=today.unscored,
        unscored_languages=await stats_repo.unscored_languages(db, chat, window)
        if today.unscored
        else {},
        mean=today.mean,
        mood=mood_label(today.mean, settings),
        positive_share=_share(today.positive, today.scored),
        neutral_share=_share(today.neutral, today.scored),
        negative_share=_share(today.negative, today.scored),
        change_vs_yesterday=_diff(today.mean, yesterday.mean),
        change_vs_week=_diff(today.mean, _mean(week)),
        aspects=aspects,
        topics=await stats_repo.top_topics(db, chat, window, TOP_TOPICS),
        positive_quotes=[quote(r) for r in positive_rows],
        negative_quotes=[quote(r) for r in negative_rows],
        history=[
            DayPoint((day - timedelta(days=CHART_DAYS - 1 - i)).isoformat(), s.messages, s.mean)
            for i, s in enumerate(stats)
        ],
    )
    from bot.insights import clear_aspect_changes, clear_changes

    digest.change_vs_yesterday_clear, digest.change_vs_week_clear = await clear_changes(
        db, chat, window, history_windows[-2], history_windows[-8:-1]
    )
    clear = await clear_aspect_changes(db, chat, window, history_windows[-8:-1])
    digest.aspects = [replace(a, clear=clear.get(a.name)) for a in digest.aspects]
    if include_sections:
        digest.sections = await feature_sections(db, window, settings)
    return digest


async def feature_sections(
    db: Database, window: DayWindow, settings: Settings
) -> list[DigestSection]:
    """Every feature's section for the day; one provider failing never stops the digest."""
    sections: list[DigestSection] = []
    for provider in section_providers():
        try:
            section = await provider(db, window, settings)
        except Exception:
            log.exception("Digest section %r failed; the digest goes out without it", provider)
            continue
        if section is not None:
            sections.append(section)
    return sections
