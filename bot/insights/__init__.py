"""Insight the brand can act on the same day (issue 15): spike alerts, verdict cards,
campaign cohorts and member segments, with statistics that are honest at small numbers.

Public face: ``AlertService`` and ``build_insights(services)``, the digest sections,
``clear_changes`` / ``clear_aspect_changes`` (which changes the digest may call clear),
``build_verdict``, ``campaign_rows`` (cohorts for ``python -m bot export``), and
``AlertMonitor`` (the detector over SQLite, used by benchmarks/alerts.py).
Handlers: ``bot.insights.handlers``. See docs/insights.md.
"""

from __future__ import annotations

from bot.core.services import Services
from bot.insights.alerts import AlertMonitor, AlertService
from bot.insights.digest import cohorts_section, segments_section
from bot.insights.export import campaign_rows
from bot.insights.honest import clear_aspect_changes, clear_changes
from bot.insights.reports_repo import BUCKET_GRACE, WEEK, community_chat_id, refresh_member_weeks
from bot.insights.verdicts import VerdictService, build_verdict
from bot.insights.weekly import WeeklyCohortChart

__all__ = [
    "AlertMonitor",
    "AlertService",
    "build_insights",
    "build_verdict",
    "campaign_rows",
    "clear_aspect_changes",
    "clear_changes",
    "cohorts_section",
    "community_chat_id",
    "segments_section",
]


def build_insights(services: Services) -> AlertService:
    """The club's alerts (its service), with the verdict, cohort and weekly-chart jobs."""
    alerts = AlertService(AlertMonitor(services.db, services.settings), services)
    services.erasure.register("insights", alerts)  # quotes in stored alerts, by person
    services.scheduler.add("insights:alerts", alerts.tick)
    services.scheduler.add("insights:verdicts", VerdictService(services).send_due)
    services.scheduler.add("insights:cohort_cache", CohortCache(services).refresh)
    services.scheduler.add("insights:cohort_chart", WeeklyCohortChart(services).send_due)
    return alerts


class CohortCache:
    """Keeps the per-member 7-day buckets filled as each bucket ends, so /campaigns and the
    weekly section read a warm cache (the first fill over 1M messages takes ~2 s)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._done: int | None = None

    async def refresh(self) -> None:
        now = self.services.now_ts()
        if self._done is not None and (now - BUCKET_GRACE) // WEEK * WEEK <= self._done:
            return  # the current bucket has not ended yet: nothing to add
        self._done = await refresh_member_weeks(
            self.services.db, self.services.chats.community_id, now
        )
