"""Measurable links (issue #16): campaign tags on the brand's links, optional click counts.

Public for other features:
  * ``brand_html(services, html, content)`` - tag the brand's links in HTML the bot posts;
  * ``remember_preview`` / ``preview_text`` / ``copy_tagged`` - previews publish tagged text;
  * ``remember_album_item`` / ``tag_album`` - the same for album captions;
  * ``clicks_for_preview(db, preview_id)`` - counted clicks, for the preview's results;
  * ``register`` / ``links_section`` - wiring for bot.app and the digest.
See README ("For the brand team: referrals and measurable links").
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.core import handler_groups
from bot.core.app_hooks import add_shutdown_hook, add_startup_hook
from bot.core.services import Services, services_of
from bot.db import Database
from bot.links.digest import links_section
from bot.links.repo import LinkRepository, TaggedText
from bot.links.service import LinkService, copy_tagged

FEATURE = "links"
COMMANDS = ()


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    service = LinkService(services)
    services.features[FEATURE] = service
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, draft_edited),
        group=handler_groups.LINK_DRAFTS,
    )
    services.scheduler.add("links:clicks", service.flush_clicks)

    async def start_up() -> None:
        await service.load()
        service.start_server()

    async def shut_down() -> None:
        service.stop_server()
        await service.flush_clicks()

    add_startup_hook(app, start_up)
    add_shutdown_hook(app, shut_down)


async def draft_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.edited_message
    services = services_of(context)
    if message is None or message.from_user is None:
        return
    if not services.permissions.is_brand_team(message.from_user.id):
        return  # only the brand's drafts are ever published
    service = _service(services)
    if service is not None:
        await service.draft_edited(message)


def _service(services: Services) -> LinkService | None:
    found = services.features.get(FEATURE)
    return found if isinstance(found, LinkService) else None


async def brand_html(
    services: Services, source: str, content: str, preview_id: int | None = None
) -> str:
    """``source`` with the brand's links tagged; unchanged where links are not wired."""
    service = _service(services)
    return await service.brand_html(source, content, preview_id) if service else source


async def remember_preview(services: Services, preview_id: int, original: Message) -> None:
    service = _service(services)
    if service is not None:
        await service.remember_preview(preview_id, original)


async def remember_album_item(services: Services, message: Message) -> None:
    service = _service(services)
    if service is not None:
        await service.remember_album_item(message)


async def tag_album(
    services: Services,
    preview_id: int,
    source_chat_id: int,
    source_ids: list[int],
    copied_ids: list[int],
) -> None:
    service = _service(services)
    if service is not None:
        await service.tag_album(
            preview_id, source_chat_id, source_ids, services.chats.community_id, copied_ids
        )


async def preview_text(services: Services, preview_id: int) -> TaggedText | None:
    service = _service(services)
    return await service.preview_text(preview_id) if service else None


async def clicks_for_preview(db: Database, preview_id: int) -> int:
    return await LinkRepository(db).clicks_for_preview(preview_id)


__all__ = [
    "COMMANDS",
    "LinkService",
    "TaggedText",
    "brand_html",
    "clicks_for_preview",
    "copy_tagged",
    "links_section",
    "preview_text",
    "register",
    "remember_album_item",
    "remember_preview",
    "tag_album",
]
