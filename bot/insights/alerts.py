"""Spike alerts: detect (every few minutes), record once, deliver to the brand chat, mute.

:class:`AlertMonitor` is the detection side and needs only the database: it keeps the
club's hourly counts (``insight_alert_hours``, filled once per finished hour and held in
memory), asks the detector about the last window, and records an alert (with its text)
in SQLite unless that key alerted within the cooling period or was muted. The benchmark
(``benchmarks/alerts.py``) drives exactly this class.

:class:`AlertService` adds Telegram: pending alerts are sent to the brand chat with a mute
button and marked sent with their message id (a restart resends only what was never
confirmed; the crash window is the digest's, see bot/digest/service.py).
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.config import Settings
from bot.core.erasure import ERASED_QUOTE
from bot.core.i18n import Translator, translator
from bot.core.messaging import html_to_plain, message_link
from bot.core.services import Services
from bot.db import Database
from bot.insights import texts
from bot.insights.detector import (
    ALL,
    DAY,
    DAY_LAGS,
    HOUR,
    WEEK,
    Decision,
    DetectorParams,
    HourCounts,
    SharePrior,
    WindowMessage,
    evaluate,
)
from bot.insights.records import AlertRecord, NewAlert, QuoteLine
from bot.insights.repo import AlertRepository, member_numbers

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "v1:al:"
# An hour's counts are final this long after it ends (late deliveries, a replay).
GRACE_SECONDS = 5 * 60
MAX_ATTEMPTS = 12


def mute_data(alert_id: int) -> str:
    return f"{CALLBACK_PREFIX}mute:{alert_id}"


def mute_keyboard(alert_id: int, tr: Translator) -> InlineKeyboardMarkup:
    label = html_to_plain(tr._(texts.MUTE_BUTTON))
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=mute_data(alert_id))]])


class AlertMonitor:
    """Detection and recording; no Telegram."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.repo = AlertRepository(db)
        alerts = settings.alerts
        self.params = DetectorParams(
            min_negative=alerts.min_negative,
            min_members=alerts.min_members,
            max_p=alerts.max_p,
            baseline_weeks=alerts.baseline_weeks,
            negative_threshold=settings.sentiment.negative_threshold,
        )
        self.keys = (ALL, *settings.sentiment.aspects)
        self._hours: dict[int, HourCounts] = {}
        self._loaded_for: int | None = None  # chat id the memory cache belongs to
        self._filled_to: int | None = None  # first hour not in the cache yet
        self._first_message: int | None = None
        self._share_cache: dict[tuple[int, str], SharePrior] = {}

    @property
    def span(self) -> int:
        """How far back the detector looks: the weekly lags plus one window."""
        return max(self.params.baseline_weeks * WEEK, DAY_LAGS * DAY) + 2 * HOUR

    async def _refresh_hours(self, chat_id: int, now: int) -> None:
        if self._loaded_for != chat_id:
            self._hours.clear()
            self._share_cache.clear()
            self._filled_to = None
            self._first_message = None
            self._loaded_for = chat_id
        if self._first_message is None:
            self._first_message = await self.repo.first_message_at(chat_id)
            if self._first_message is None:
                return
        first_hour = self._first_message - self._first_message % HOUR
        oldest = max(first_hour, now - now % HOUR - self.span)
        done = now - GRACE_SECONDS
        last = done - done % HOUR  # hours before this one are over (with their grace)
        if self._filled_to is None:
            self._hours.update(await self.repo.load_hours(chat_id, oldest, last))
            self._filled_to = oldest
            while self._filled_to in self._hours:
                self._filled_to += HOUR
        if self._filled_to < last:
            fresh = await self.repo.count_hours(
                chat_id, self._filled_to, last, self.params.negative_threshold
            )
            fresh = {h: c for h, c in fresh.items() if h not in self._hours}
            await self.repo.store_hours(chat_id, fresh)
            self._hours.update(fresh)
            self._filled_to = last
        for hour in [h for h in self._hours if h < oldest]:
            del self._hours[hour]
        if len(self._share_cache) > 4 * len(self.keys):
            self._share_cache.clear()

    async def check(self, chat_id: int, now: int) -> list[int]:
        """Look at the window ending now; returns the ids of alerts recorded."""
        await self._refresh_hours(chat_id, now)
        if self._first_message is None:
            return []
        if now - self._first_message < self.settings.alerts.min_history_days * DAY:
            return []
        start = now - self.settings.alerts.window_minutes * 60
        messages = await self.repo.window_messages(chat_id, start, now)
        decisions = evaluate(
            start, now, messages, self._hours, self.keys, self.params, self._share_cache
        )
        spikes = [d for d in decisions if d.spike]
        if not spikes:
            return []
        cooling = int(self.settings.alerts.cooling_hours * HOUR)
        blocked = await self.repo.blocked_keys(now, cooling)
        spikes = [d for d in spikes if d.key not in blocked]
        if not spikes:
            return []
        lead, also = _lead(spikes)
        text, quotes = await self._render(lead, also, messages, start, now, chat_id)
        alert_id = await self.repo.record(
            NewAlert(
                chat_id=chat_id,
                key=lead.key,
                also=tuple(d.key for d in also),
                window_start=start,
                window_end=now,
                observed=lead.observed,
                expected=lead.expected,
                messages=lead.messages,
                members=lead.members,
                p_value=lead.p_value,
                text=text,
                quotes=quotes,
            ),
            now,
            cooling,
        )
        return [alert_id] if alert_id is not None else []

    async def _render(
        self,
        lead: Decision,
        also: Sequence[Decision],
        messages: Sequence[WindowMessage],
        start: int,
        end: int,
        chat_id: int,
    ) -> tuple[str, tuple[tuple[int, str], ...]]:
        """The alert's HTML, and whose words each quote line in it is (for erasure)."""
        threshold = self.params.negative_threshold
        negatives = [m for m in messages if m.is_negative_for(lead.key, threshold)]
        drivers = Counter(
            aspect
            for m in messages
            if m.label == "negative" or lead.key != ALL
            for aspect, value in m.aspects.items()
            if value < threshold
        )
        topics = Counter(topic for m in negatives for topic in dict.fromkeys(m.topics))
        chosen: list[WindowMessage] = []
        seen: set[int] = set()
        for message in sorted(negatives, key=lambda m: m.polarity):
            if message.user_id in seen or not message.text.strip():
                continue  # one quote per member: three voices, not one loud one
            chosen.append(message)
            seen.add(message.user_id)
            if len(chosen) >= self.settings.alerts.quotes:
                break
        numbers = await member_numbers(self.db, [m.user_id for m in chosen])
        # Recorded as written: in the club's language when the spike was found.
        tr = translator(self.settings.community.language)
        quotes = [
            QuoteLine(
                texts.pseudonym(numbers.get(m.user_id), tr),
                m.text,
                message_link(chat_id, m.message_id),
            )
            for m in chosen
        ]
        owned = tuple(
            (m.user_id, texts.quote_html(q, tr)) for m, q in zip(chosen, quotes, strict=True)
        )
        text = texts.alert_text(
            lead,
            also,
            window_start=start,
            window_end=end,
            tz=self.settings.community.tz,
            drivers=drivers.most_common(3) if lead.key == ALL else [],
            topics=topics.most_common(3),
            quotes=quotes,
            tr=tr,
        )
        return text, owned


def _lead(spikes: list[Decision]) -> tuple[Decision, list[Decision]]:
    """The alert's main key: the most surprising aspect, else "all"; the rest ride along."""
    aspects = [d for d in spikes if d.key != ALL]
    pool = aspects or spikes
    lead = min(pool, key=lambda d: (d.p_value, -d.observed))
    return lead, [d for d in spikes if d is not lead]


class MuteOutcome(enum.Enum):
    MUTED = "muted"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_ALERT = "unknown_alert"
    WRONG_MESSAGE = "wrong_message"


@dataclass(frozen=True, slots=True)
class MuteResult:
    outcome: MuteOutcome
    keys: tuple[str, ...] = ()
    until: int = 0


class AlertService:
    """Scheduled checks, delivery to the brand chat, and the mute button."""

    def __init__(self, monitor: AlertMonitor, services: Services) -> None:
        self.services = services
        self.monitor = monitor
        self.repo = monitor.repo
        self._last_check: int | None = None

    # --- bot.core.erasure participant: quotes in stored alerts, by person ---------------------
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        erased = self.services.tr._(ERASED_QUOTE)  # the alerts are in the club's language
        return {"insight_alerts": await self.repo.tx_erase_quotes_of(conn, user_id, erased)}

    async def forget_person(self, user_id: int) -> None:
        return None  # nothing about people is kept in memory

    async def expire_text(self, conn: aiosqlite.Connection, cutoff: int) -> dict[str, int]:
        erased = self.services.tr._(ERASED_QUOTE)
        return {"insight_alerts": await self.repo.tx_erase_quotes_before(conn, cutoff, erased)}

    async def tick(self) -> None:
        """Scheduled: check every ``alerts.check_minutes`` and send what is pending."""
        settings = self.services.settings.alerts
        now = self.services.now_ts()
        if settings.enabled and (
            self._last_check is None or now - self._last_check >= settings.check_minutes * 60
        ):
            self._last_check = now
            await self.monitor.check(self.services.chats.community_id, now)
        await self.deliver_pending()

    async def deliver_pending(self) -> int:
        sent = 0
        for alert in await self.repo.pending(self.services.now_ts()):
            try:
                messages = await self.services.messenger.to_brand(
                    alert.text, reply_markup=mute_keyboard(alert.id, self.services.tr)
                )
            except (TelegramError, OSError) as exc:
                attempts = alert.attempts + 1
                # A growing pause (30 s, 1 min, 2 min ... up to 10 min): an alert is only
                # worth having within the hour, so the last try is about an hour in.
                pause = min(600, 30 * 2 ** (attempts - 1))
                await self.repo.mark_failure(
                    alert.id, repr(exc), attempts >= MAX_ATTEMPTS, self.services.now_ts() + pause
                )
                log.error(
                    "Could not send spike alert %d (attempt %d): %s", alert.id, attempts, exc
                )
                break  # keep the order; a later tick retries
            await self.repo.mark_sent(
                alert.id, messages[0].chat.id, messages[0].message_id, self.services.now_ts()
            )
            sent += 1
            log.warning("Spike alert %d sent (%s)", alert.id, ", ".join(alert.keys))
        return sent

    async def mute(
        self, alert_id: int, presser_id: int, chat_id: int, message_id: int
    ) -> MuteResult:
        """The mute button. Nothing in the button is trusted: the presser must be brand team
        or a moderator, and the button's message must be that alert's own message."""
        if not self.services.permissions.is_brand_team(presser_id):
            return MuteResult(MuteOutcome.NOT_ALLOWED)
        alert = await self.repo.get(alert_id)
        if alert is None:
            return MuteResult(MuteOutcome.UNKNOWN_ALERT)
        if (alert.brand_chat_id, alert.brand_message_id) != (chat_id, message_id):
            return MuteResult(MuteOutcome.WRONG_MESSAGE)
        now = self.services.now_ts()
        until = now + int(self.services.settings.alerts.mute_hours * HOUR)
        await self.repo.mute(alert.keys, until, presser_id, alert.id, now)
        return MuteResult(MuteOutcome.MUTED, alert.keys, until)

    async def alert(self, alert_id: int) -> AlertRecord | None:
        return await self.repo.get(alert_id)
