"""A verdict card per preview: what members made of it, with every number's n.

Built from the database alone (ratings, the preview's poll, reactions, replies with their
sentiment, aspects and topics). The scheduler writes a due fact per published preview
(``insight_verdicts``: due ``insights.verdict_after_hours`` after publication) and sends
each card once, also across restarts; ``/verdict ID`` builds one on demand.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

from telegram.error import TelegramError

from bot.config import Settings
from bot.core.i18n import Translator, translator
from bot.core.messaging import message_link
from bot.core.services import Services
from bot.db import Database
from bot.insights import reports_repo
from bot.insights.records import AspectVerdict, Comparison, QuoteLine, Theme, Verdict
from bot.insights.repo import member_numbers
from bot.insights.stats import star_interval
from bot.insights.texts import pseudonym

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
_RETRY_BASE = 60
# Previews published longer ago than this when the feature first runs get no card.
_BACKFILL_SECONDS = 7 * 86400


async def build_verdict(
    db: Database, settings: Settings, preview_id: int, tr: Translator | None = None
) -> Verdict | None:
    """The verdict of a published preview; None if there is no such published preview.
    Quotes name their authors in ``tr``'s language (the club's by default)."""
    tr = tr or translator(settings.community.language)
    preview = await reports_repo.published_preview(db, preview_id)
    if preview is None:
        return None
    label = f"#{preview['id']}" + (f" {preview['title']}" if preview["title"] else "")
    stars = await reports_repo.preview_stars(db, preview_id)
    dist = [0] * 5
    for s in stars:
        dist[s - 1] += 1
    min_ratings = settings.insights.verdict_min_ratings
    poll_question, poll_options, poll_voters = None, [], 0
    if preview["poll_id"] is not None:
        poll = await reports_repo.poll(db, int(preview["poll_id"]))
        if poll is not None:
            options = json.loads(poll["options"])
            counts = json.loads(poll["counts"]) if poll["counts"] else [0] * len(options)
            poll_question = str(poll["question"])
            poll_options = list(zip(options, counts, strict=False))
            poll_voters = int(poll["total_voters"])
    reactions = await reports_repo.preview_reactions(db, preview_id)
    chat_id = preview["chat_id"]
    replies = await reports_repo.preview_replies(db, preview_id, chat_id)
    labels = Counter(r["label"] for r in replies)
    threshold_neg = settings.sentiment.negative_threshold
    threshold_pos = settings.sentiment.positive_threshold
    by_aspect: dict[str, list[tuple[int, float]]] = {}
    for r in replies:
        for name, value in (json.loads(r["aspects"]) if r["aspects"] else {}).items():
            by_aspect.setdefault(name, []).append((int(r["user_id"]), float(value)))
    aspects = sorted(
        (
            AspectVerdict(
                name=name,
                repliers=len({u for u, _ in values}),
                negative=len({u for u, v in values if v < threshold_neg}),
                positive=len({u for u, v in values if v > threshold_pos}),
                mean=sum(v for _, v in values) / len(values),
            )
            for name, values in by_aspect.items()
        ),
        key=lambda a: (-a.repliers, a.name),
    )
    themes = await _themes(db, replies, chat_id, tr)
    verdict = Verdict(
        preview_id=preview_id,
        label=label,
        published_at=preview["published_at"],
        distribution=(dist[0], dist[1], dist[2], dist[3], dist[4]),
        # None when all raters gave the same stars: the card says so instead of an interval.
        interval=star_interval(stars) if len(set(stars)) > 1 else None,
        enough=len(stars) >= min_ratings,
        min_ratings=min_ratings,
        poll_question=poll_question,
        poll_options=poll_options,
        poll_voters=poll_voters,
        reactions=reactions,
        replies=len(replies),
        repliers=len({r["user_id"] for r in replies}),
        reply_labels={k: labels[k] for k in ("positive", "neutral", "negative", "unscored")},
        aspects=aspects,
        themes=themes,
    )
    await _compare(db, settings, verdict)
    return verdict


async def _themes(
    db: Database, replies: list[dict[str, Any]], chat_id: int | None, tr: Translator
) -> list[Theme]:
    counts: Counter[str] = Counter()
    best: dict[str, dict[str, Any]] = {}
    for r in replies:
        topics = json.loads(str(r["topics"])) if r["topics"] else []
        for topic in dict.fromkeys(topics):
            counts[topic] += 1
            current = best.get(topic)
            if current is None or abs(float(str(r["polarity"]))) > abs(
                float(str(current["polarity"]))
            ):
                best[topic] = r
    top = counts.most_common(3)
    numbers = await member_numbers(db, [int(str(best[t]["user_id"])) for t, _ in top])
    themes = []
    for topic, n in top:
        r = best[topic]
        user = int(str(r["user_id"]))
        quote = QuoteLine(
            pseudonym(numbers.get(user), tr),
            str(r["text"]),
            message_link(chat_id, int(str(r["message_id"]))) if chat_id is not None else None,
        )
        themes.append(Theme(topic, n, quote if str(r["text"]).strip() else None))
    return themes


async def _compare(db: Database, settings: Settings, verdict: Verdict) -> None:
    """Rank against the previous previews that had enough ratings to tell."""
    rows = await reports_repo.previous_previews(
        db,
        before=verdict.published_at or 0,
        except_id=verdict.preview_id,
        min_ratings=settings.insights.verdict_min_ratings,
        limit=settings.insights.verdict_compare_last,
    )
    verdict.previous = [
        Comparison(int(r[0]), f"#{r[0]}" + (f" {r[1]}" if r[1] else ""), float(r[2]), int(r[3]))
        for r in rows
    ]
    if verdict.enough and verdict.mean is not None:
        verdict.rank = 1 + sum(1 for c in verdict.previous if c.mean > verdict.mean)


class VerdictService:
    """The due facts and the exactly-once send of verdict cards."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.db = services.db

    async def record_due(self) -> int:
        """A due fact for every published preview that has none (idempotent)."""
        now = self.services.now_ts()
        delay = int(self.services.settings.insights.verdict_after_hours * 3600)
        return await reports_repo.record_due_verdicts(
            self.db, delay, now, now - delay - _BACKFILL_SECONDS
        )

    async def send_due(self) -> list[int]:
        """Scheduled: send every verdict card that is due; returns the preview ids sent."""
        from bot.insights.charts import verdict_chart
        from bot.insights.verdict_texts import verdict_caption, verdict_text

        await self.record_due()
        now = self.services.now_ts()
        rows = await reports_repo.due_verdicts(self.db, now)
        tr = self.services.tr  # the brand chat reads the club's language
        sent: list[int] = []
        for row in rows:
            preview_id = int(row["preview_id"])
            verdict = await build_verdict(self.db, self.services.settings, preview_id, tr)
            if verdict is None:
                await reports_repo.verdict_failed(self.db, preview_id, "gone", None, 0)
                continue
            try:
                if row["message_id"] is None:
                    messages = await self.services.messenger.to_brand(verdict_text(verdict, tr))
                    await reports_repo.verdict_text_sent(
                        self.db, preview_id, messages[0].chat.id, messages[0].message_id
                    )
                if verdict.raters:
                    photo = await self.services.messenger.bot.send_photo(
                        chat_id=self.services.chats.brand_id,
                        photo=verdict_chart(verdict, tr),
                        caption=verdict_caption(verdict, tr),
                    )
                    chart_id: int | None = photo.message_id
                else:
                    chart_id = None
                await reports_repo.verdict_sent(
                    self.db, preview_id, chart_id, self.services.now_ts()
                )
                sent.append(preview_id)
            except (TelegramError, OSError) as exc:
                attempts = int(row["attempts"]) + 1
                await reports_repo.verdict_failed(
                    self.db,
                    preview_id,
                    repr(exc),
                    now + min(3600, _RETRY_BASE * 2 ** (attempts - 1)),
                    attempts,
                    give_up=attempts >= MAX_ATTEMPTS,
                )
                log.error("Could not send the verdict card of preview %d: %s", preview_id, exc)
                break
        return sent
