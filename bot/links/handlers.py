"""The brand edits a draft it already scheduled: the tagged copy must follow the edit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import ClubContext
from bot.core import handler_groups
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec

COMMANDS: tuple[CommandSpec, ...] = ()


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, draft_edited),
        group=handler_groups.LINK_DRAFTS,
    )


async def draft_edited(update: Update, context: ClubContext) -> None:
    message = update.edited_message
    if message is None or message.from_user is None:
        return
    if not context.services.permissions.is_brand_team(message.from_user.id):
        return  # only the brand's drafts are ever published
    await context.features.links.draft_edited(message)
