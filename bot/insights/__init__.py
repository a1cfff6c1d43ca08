"""Insight the brand can act on the same day (issue 15): spike alerts, verdict cards,
campaign cohorts and member segments, with statistics that are honest at small numbers.

Public face: ``register``/``COMMANDS`` for the app, the digest sections, and
``AlertMonitor`` (the detector over SQLite, used by benchmarks/alerts.py). See
docs/insights.md.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core import handler_groups
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.services import Services
from bot.insights.alerts import CALLBACK_PREFIX, AlertMonitor, AlertService
from bot.insights.digest import cohorts_section, segments_section
from bot.insights.handlers import (
    FEATURE,
    campaigns_command,
    on_mute,
    segments_command,
    verdict_command,
)
from bot.insights.reports_repo import BUCKET_GRACE, WEEK, refresh_member_weeks
from bot.insights.verdicts import VerdictService, build_verdict
from bot.insights.weekly import WeeklyCohortChart

__all__ = [
    "COMMANDS",
    "AlertMonitor",
    "build_verdict",
    "cohorts_section",
    "register",
    "segments_section",
]

COMMANDS = (
    CommandSpec("verdict", N_("/verdict ID"), N_("a preview's verdict card"), "moderator"),
    CommandSpec(
        "campaigns", "/campaigns", N_("cohorts per campaign label (privately)"), "moderator"
    ),
    CommandSpec(
        "segments", "/segments", N_("advocates, quiet, at-risk members (privately)"), "moderator"
    ),
)


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    alerts = AlertService(AlertMonitor(services.db, services.settings), services)
    verdicts = VerdictService(services)
    services.features[FEATURE] = alerts
    services.erasure.register(FEATURE, alerts)  # quotes in stored alerts, by person
    new_messages = filters.UpdateType.MESSAGE
    for name, callback in (
        ("verdict", verdict_command),
        ("campaigns", campaigns_command),
        ("segments", segments_command),
    ):
        app.add_handler(
            CommandHandler(name, callback, filters=new_messages), group=handler_groups.COMMANDS
        )
    app.add_handler(
        CallbackQueryHandler(on_mute, pattern=f"^{CALLBACK_PREFIX}mute:"),
        group=handler_groups.COMMANDS,
    )
    services.scheduler.add("insights:alerts", alerts.tick)
    services.scheduler.add("insights:verdicts", verdicts.send_due)
    services.scheduler.add("insights:cohort_cache", CohortCache(services).refresh)
    services.scheduler.add("insights:cohort_chart", WeeklyCohortChart(services).send_due)


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
