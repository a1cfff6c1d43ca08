"""Measurable links (issue #16): campaign tags on the brand's links, optional click counts.

Public face for other features:
  * ``LinkService`` - one club's tagging: ``brand_html(html, content)`` tags the brand's
    links in HTML the bot posts; ``remember_preview`` / ``preview_text`` /
    ``remember_album_item`` / ``tag_album`` let previews publish tagged text;
  * ``build_links(services)`` - the club's LinkService with its jobs and hooks;
  * ``copy_tagged`` - copy a message with its tagged text;
  * ``clicks_for_preview(db, preview_id)`` - counted clicks, for the preview's results;
  * ``links_section`` - the digest's section.
Handlers: ``bot.links.handlers``. See README ("For the brand team: referrals and measurable
links").
"""

from __future__ import annotations

from bot.core.services import Services
from bot.db import Database
from bot.links.digest import links_section
from bot.links.records import TaggedText
from bot.links.repo import LinkRepository
from bot.links.service import LinkService, copy_tagged


def build_links(services: Services) -> LinkService:
    service = LinkService(services)
    services.scheduler.add("links:clicks", service.flush_clicks)

    async def start_up() -> None:
        await service.load()
        service.start_server()

    async def shut_down() -> None:
        service.stop_server()
        await service.flush_clicks()

    services.hooks.on_startup(start_up)
    services.hooks.on_shutdown(shut_down)
    return service


async def clicks_for_preview(db: Database, preview_id: int) -> int:
    return await LinkRepository(db).clicks_for_preview(preview_id)


__all__ = [
    "LinkService",
    "TaggedText",
    "build_links",
    "clicks_for_preview",
    "copy_tagged",
    "links_section",
]
