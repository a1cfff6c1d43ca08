"""How a club is built and how the Application's handlers are added: the one place that
knows every feature.

Two steps, because one Application serves several clubs (issue 12) with one set of handlers:

* ``build_club`` runs once per club: the core services over the club's own database, then
  each feature's service in dependency order (links before the gate, polls and previews that
  tag their links; polls before previews, which post polls; the gate before moderation and
  referrals, which kick and make codes through it). A feature's build also adds its
  scheduler jobs, its erasure participant and its start-up and shut-down work to the club.
* ``add_handlers`` runs once per Application: each feature's handlers, in ``HANDLERS``
  order. Handler *run* order is set by ``bot.core.handler_groups``; within one group the
  first handler added that matches takes the update, so this order matters for COMMANDS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

from telegram import Bot

from bot import (
    digest,
    feedback,
    forum,
    gate,
    insights,
    links,
    moderation,
    polls,
    previews,
    privacy,
)
from bot import referrals as referrals_feature
from bot.basics import Tracking, health, help
from bot.basics import handlers as tracking_handlers
from bot.config import Settings
from bot.context import Features
from bot.context.routing import ClubRouter
from bot.core import guards
from bot.core.clock import Clock
from bot.core.club import Club, ClubApplication, Clubs
from bot.core.club_settings import BrandSettings
from bot.core.commands import CommandSpec
from bot.core.erasure import ErasureRegistry
from bot.core.guards import GroupCommandThrottle
from bot.core.late_window import LateWindows
from bot.core.permissions import Permissions
from bot.core.scheduler import Scheduler
from bot.core.services import Chats, Messenger, Services
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.db.inbox_repo import InboxRepository
from bot.db.people_repo import PeopleRepository
from bot.db.recent_erasures_repo import RecentErasuresRepository
from bot.digest import handlers as digest_handlers
from bot.feedback import handlers as feedback_handlers
from bot.forum import handlers as forum_handlers
from bot.gate import handlers as gate_handlers
from bot.insights import handlers as insights_handlers
from bot.links import handlers as links_handlers
from bot.moderation import ModerationService
from bot.moderation import handlers as moderation_handlers
from bot.polls import handlers as polls_handlers
from bot.previews import handlers as previews_handlers
from bot.privacy import handlers as privacy_handlers
from bot.referrals import handlers as referrals_handlers

# Each module offers ``add_handlers(app)`` and, if it has commands, ``COMMANDS``.
HANDLERS: tuple[ModuleType, ...] = (
    tracking_handlers,
    health,
    help,
    gate_handlers,
    feedback_handlers,
    forum_handlers,
    polls_handlers,
    previews_handlers,
    moderation_handlers,
    privacy_handlers,
    digest_handlers,
    referrals_handlers,
    links_handlers,
    insights_handlers,
)


def commands() -> tuple[CommandSpec, ...]:
    """Every command, in the order /help lists them."""
    return tuple(spec for module in HANDLERS for spec in getattr(module, "COMMANDS", ()))


def add_handlers(app: ClubApplication) -> GroupCommandThrottle:
    """Once per Application, after its clubs are built (handlers resolve the club per update)."""
    app.commands = commands()
    throttle = guards.add_handlers(app, app.commands)  # edits never re-run commands, etc.
    for module in HANDLERS:
        module.add_handlers(app)
    help.add_fallback(app)  # after every feature: it answers what none of them took
    return throttle


def build_services(settings: Settings, clock: Clock, db: Database, bot: Bot) -> Services:
    """One club's core services over its own database."""
    people = PeopleRepository(db)
    facts = FactsRepository(db)
    chats = Chats(settings, facts)
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        scheduler=Scheduler(),
        permissions=Permissions(settings.telegram.moderators, settings.telegram.brand_team),
        people=people,
        facts=facts,
        inbox=InboxRepository(db),
        chats=chats,
        messenger=Messenger(bot, people, chats, clock),
        # Who was erased lately lives in the club's own file, with the erasure itself.
        erasure=ErasureRegistry(LateWindows(RecentErasuresRepository(db), facts)),
    )


def build_features(services: Services, create_task: Callable[[Any], object]) -> Features:
    """One club's features, each built once, in dependency order (see the module doc)."""
    tracking = Tracking(services)
    health.take_part(services)
    link_service = links.build_links(services)
    gate_service = gate.build_gate(services, link_service)
    feedback_service = feedback.build_feedback(services)
    forum_service = forum.build_forum(services)
    poll_service = polls.build_polls(services, link_service)
    preview_service = previews.build_previews(
        services, create_task, polls=poll_service, links=link_service
    )
    moderation_service = moderation.build_moderation(services, gate_service)
    privacy_service = privacy.build_privacy(services)
    digest_service = digest.build_digest(services)
    referral_service = referrals_feature.build_referrals(services, gate_service)
    alert_service = insights.build_insights(services)
    return Features(
        tracking=tracking,
        gate=gate_service,
        feedback=feedback_service,
        forum=forum_service,
        polls=poll_service,
        links=link_service,
        previews=preview_service,
        moderation=moderation_service,
        privacy=privacy_service,
        digest=digest_service,
        referrals=referral_service,
        insights=alert_service,
    )


def build_club(services: Services, create_task: Callable[[Any], object]) -> Club[Features]:
    return Club(services=services, features=build_features(services, create_task))


def share_bans(clubs: list[Club[Features]]) -> None:
    """``[brand] shared_bans``: a ban in any of these clubs is applied in all the others, and
    lifted there when the club that made it lifts it."""
    for origin in clubs:
        name = origin.settings.community.name
        others = [club.features.moderation for club in clubs if club is not origin]
        moderation = origin.features.moderation
        moderation.ban_listeners.append(_shared(others, name, ModerationService.apply_shared_ban))
        moderation.unban_listeners.append(
            _shared(others, name, ModerationService.apply_shared_unban)
        )


def _shared(
    others: list[ModerationService],
    origin: str,
    apply: Callable[[ModerationService, Bot, int, str], Awaitable[bool]],
) -> Callable[[Bot, int], Awaitable[None]]:
    async def in_the_others(bot: Bot, target: int) -> None:
        for other in others:
            await apply(other, bot, target, origin)

    return in_the_others


def serve_several(
    several: Clubs[Features], commands: tuple[CommandSpec, ...], brand: BrandSettings
) -> ClubRouter:
    """What a bot serving several clubs adds: the router deciding a private update's club
    (it forgets a person with the rest on /forgetme), and the [brand] options."""
    router = ClubRouter(several, commands)
    clubs = list(several)
    for club in clubs:
        club.services.erasure.register("routing", router)
    if brand.shared_bans:
        share_bans(clubs)
    if brand.combined_digest_chat_id is not None:
        digest.build_combined_digest(
            clubs[0].services,
            [(club.settings.community.name, club.features.digest) for club in clubs],
            brand.combined_digest_chat_id,
        )
    return router
