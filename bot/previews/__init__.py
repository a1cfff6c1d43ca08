"""Exclusive product previews: scheduled, published protected and pinned, rated by members.

A moderator or brand-team member writes the preview to the bot in private and replies to
it with ``/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] [--poll "Q | A | B"]
[--notify]``. Publication, the keyboard tally and teasers are scheduler work over facts in
SQLite, so everything survives a restart.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from bot.core import handler_groups
from bot.core.app_hooks import add_startup_hook
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.services import Services
from bot.previews.digest import previews_section
from bot.previews.handlers import (
    FEATURE,
    cancel_preview,
    list_previews,
    on_button,
    on_reaction,
    preview_service,
    remember_album_item,
    schedule_preview,
)
from bot.previews.keyboards import CALLBACK_PREFIX
from bot.previews.service import PreviewService

__all__ = ["COMMANDS", "PreviewService", "preview_service", "previews_section", "register"]

COMMANDS = (
    CommandSpec(
        "preview",
        N_(
            '/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] [--poll "Q | A | B"] '
            "[--notify]"
        ),
        N_("reply to a preview you wrote me to publish it in the group"),
        "moderator",
    ),
    CommandSpec(
        "previews", "/previews", N_("scheduled and published previews with results"), "moderator"
    ),
    CommandSpec(
        "preview_cancel", N_("/preview_cancel ID"), N_("cancel a scheduled preview"), "moderator"
    ),
)


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    service = PreviewService(services, app.create_task)
    services.features[FEATURE] = service
    new_messages = filters.UpdateType.MESSAGE
    for name, callback in (
        ("preview", schedule_preview),
        ("previews", list_previews),
        ("preview_cancel", cancel_preview),
    ):
        app.add_handler(
            CommandHandler(name, callback, filters=new_messages), group=handler_groups.COMMANDS
        )
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=f"^{CALLBACK_PREFIX}"),
        group=handler_groups.FEEDBACK,
    )
    app.add_handler(MessageReactionHandler(on_reaction), group=handler_groups.FEEDBACK)
    # Album items written to the bot in private: FEEDBACK (not COMMANDS) so a private-chat
    # conversation of another feature can never swallow them.
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & new_messages
            & (filters.PHOTO | filters.VIDEO | filters.Document.ALL | filters.AUDIO),
            remember_album_item,
        ),
        group=handler_groups.FEEDBACK,
    )
    services.scheduler.add("previews:publish", service.publish_due)
    services.scheduler.add("previews:tally", service.refresh_tallies)
    services.scheduler.add("previews:teasers", service.start_teasers)
    add_startup_hook(app, service.recover)
