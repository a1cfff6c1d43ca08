"""Exclusive product previews: scheduled, published protected and pinned, rated by members.

A moderator or brand-team member writes the preview to the bot in private and replies to
it with ``/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] [--poll "Q | A | B"]
[--notify]``. Publication, the keyboard tally and teasers are scheduler work over facts in
SQLite, so everything survives a restart.

Public face: ``PreviewService``, ``build_previews(...)`` and ``previews_section`` (the
digest's section). Handlers: ``bot.previews.handlers``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.services import Services
from bot.links import LinkService
from bot.polls import PollService
from bot.previews.digest import previews_section, pseudonym_pattern, signed_quote_line
from bot.previews.service import PreviewService


def build_previews(
    services: Services,
    create_task: Callable[[Any], object],
    *,
    polls: PollService,
    links: LinkService,
) -> PreviewService:
    """``create_task`` runs teasers in the background (the Application's, so errors are seen)."""
    service = PreviewService(services, create_task, polls=polls, links=links)
    services.scheduler.add("previews:publish", service.publish_due)
    services.scheduler.add("previews:rating-prompts", service.retry_rating_prompts)
    services.scheduler.add("previews:tally", service.refresh_tallies)
    services.scheduler.add("previews:teasers", service.start_teasers)
    services.hooks.on_startup(service.recover)
    return service


__all__ = [
    "PreviewService",
    "build_previews",
    "previews_section",
    "pseudonym_pattern",
    "signed_quote_line",
]
