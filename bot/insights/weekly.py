"""The weekly cohort picture: the retention curves by campaign, sent to the brand chat just
after the digest that carries the weekly cohort section (a digest section is text only).

Due at ``digest.time`` (+1 minute) on the day after each ``insights.cohort_weekday``; sent
once per such day (a runtime fact records it), never for weeks older than two days (a bot
that was down for a week does not send stale pictures).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from telegram.error import TelegramError

from bot.core.messaging import html_to_plain
from bot.core.services import Services
from bot.insights import reports_repo
from bot.insights.charts import retention_chart
from bot.insights.cohorts import campaign_cohorts
from bot.insights.digest import WEEKDAYS

log = logging.getLogger(__name__)

FACT_PREFIX = "insight:cohort_chart:"


class WeeklyCohortChart:
    def __init__(self, services: Services) -> None:
        self.services = services

    def due_day(self, now: datetime) -> date | None:
        """The cohort day whose picture is due now, if any."""
        settings = self.services.settings
        local = now.astimezone(settings.community.tz)
        for back in (1, 2):
            day = local.date() - timedelta(days=back)
            if WEEKDAYS[day.weekday()] != settings.insights.cohort_weekday:
                continue
            due = datetime.combine(
                day + timedelta(days=1), settings.digest.time, tzinfo=settings.community.tz
            ) + timedelta(minutes=1)
            return day if local >= due else None
        return None

    async def send_due(self) -> bool:
        day = self.due_day(self.services.clock.now())
        if day is None:
            return False
        key = FACT_PREFIX + day.isoformat()
        facts = self.services.facts
        if await facts.get(key) is not None:
            return False
        db = self.services.db
        chat = await reports_repo.community_chat_id(db, self.services.chats.community_id)
        end = int(
            datetime.combine(
                day + timedelta(days=1),
                datetime.min.time(),
                tzinfo=self.services.settings.community.tz,
            ).timestamp()
        )
        cohorts = await campaign_cohorts(db, chat, end)
        if not cohorts:
            await facts.put(key, "none", self.services.now_ts())
            return False
        tr = self.services.tr
        when = tr.date(day, "medium")
        title = html_to_plain(tr._("Weekly active share by campaign, to {day}", day=when))
        try:
            photo = await self.services.messenger.bot.send_photo(
                chat_id=self.services.chats.brand_id,
                photo=retention_chart(cohorts, title, tr),
                caption=tr._(
                    "Campaign cohorts to {day}: share of each campaign's members active in each "
                    "week since joining (n per campaign in the legend)",
                    day=when,
                ),
            )
        except (TelegramError, OSError) as exc:
            log.error("Could not send the weekly cohort picture for %s: %s", day, exc)
            return False  # retried on the next tick
        await facts.put(key, str(photo.message_id), self.services.now_ts())
        return True
