"""Telegram handlers for previews: thin — parse, call PreviewService, reply."""

from __future__ import annotations

import logging

from telegram import (
    Message,
    ReactionType,
    ReactionTypeCustomEmoji,
    ReactionTypeEmoji,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from bot.context import ClubContext
from bot.core import club_buttons, handler_groups
from bot.core.access import from_brand_team, restricted
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec, command_args
from bot.core.i18n import N_
from bot.core.ids import parse_id
from bot.core.messaging import answer_query, escape
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.previews import texts
from bot.previews.keyboards import CALLBACK_PREFIX, cancel_keyboard
from bot.previews.parse import PREVIEW_USAGE, PreviewParseError, parse_preview

log = logging.getLogger(__name__)

NOT_ALLOWED = N_("Only the community's moderators and the brand team can publish previews.")

COMMANDS = (
    CommandSpec(
        "preview",
        N_(
            '/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] [--poll "Q | A | B"] '
            "[--notify]"
        ),
        N_("reply to a preview you wrote me to publish it in the group"),
        Audience.BRAND_TEAM,
    ),
    CommandSpec(
        "previews",
        "/previews",
        N_("scheduled and published previews with results"),
        Audience.BRAND_TEAM,
    ),
    CommandSpec(
        "preview_cancel",
        N_("/preview_cancel ID"),
        N_("cancel a scheduled preview"),
        Audience.BRAND_TEAM,
    ),
)


def add_handlers(app: ClubApplication) -> None:
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


def content_kind(message: Message) -> str | None:
    """What a preview message holds, or None if it is nothing we publish."""
    if message.media_group_id is not None:
        return "album"
    for kind in ("photo", "video", "animation", "document", "audio", "voice"):
        if getattr(message, kind):
            return kind
    if message.text:
        return "text"
    return None


@restricted(from_brand_team, NOT_ALLOWED)
async def schedule_preview(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    assert message.from_user is not None  # from_brand_team needs a sender
    tr = services.tr_in(message)
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(
            tr._(
                "Previews are prepared in private: write the preview to me in a private chat, "
                "then reply to it there with /preview."
            )
        )
        return
    original = message.reply_to_message
    if original is None:
        await message.reply_text(
            tr._("Send /preview as a reply to the preview message you wrote to me.")
            + "\n\n"
            + tr._(PREVIEW_USAGE)
        )
        return
    if original.from_user is None or original.from_user.id != message.from_user.id:
        await message.reply_text(
            tr._("Reply to the preview you wrote (not to one of my messages) with /preview.")
        )
        return
    kind = content_kind(original)
    if kind is None:
        await message.reply_text(
            tr._("I can publish text, photos, videos and albums; that message is something else.")
        )
        return
    try:
        spec = parse_preview(
            command_args(message), now=services.clock.now(), tz=services.settings.community.tz
        )
    except PreviewParseError as exc:
        await message.reply_text(f"{exc.sentence(tr)}\n\n{tr._(PREVIEW_USAGE)}")
        return
    service = context.features.previews
    source_ids = [original.message_id]
    if original.media_group_id is not None:
        album = await service.repo.album_message_ids(original.chat.id, original.media_group_id)
        source_ids = sorted(set(album) | {original.message_id})
    scheduled = await service.schedule(
        spec,
        command_chat_id=message.chat.id,
        command_message_id=message.message_id,
        created_by=message.from_user.id,
        source_chat_id=original.chat.id,
        source_message_ids=source_ids,
        kind=kind,
    )
    record = scheduled.record
    if record is None:
        return  # a replayed command: it was scheduled (and confirmed) the first time
    await context.features.links.remember_preview(record.id, original)
    confirmation = await message.reply_text(
        service.summary(record),
        reply_markup=cancel_keyboard(record.id, context.club.key, services.tr_in(message)),
    )
    await service.repo.set_confirm_message(record.id, confirmation.message_id)
    if record.publish_at <= services.now_ts():
        await service.publish_due()


async def remember_album_item(update: Update, context: ClubContext) -> None:
    """Album items arrive as separate messages; remember them for a later /preview."""
    message = update.effective_message
    if message is None or message.media_group_id is None or message.from_user is None:
        return
    services = context.services
    if not services.permissions.is_brand_team(message.from_user.id):
        return
    context.features.previews.repo.defer_album_item(
        message.chat.id, message.message_id, message.media_group_id, services.now_ts()
    )
    await context.features.links.remember_album_item(message)


@restricted(from_brand_team, NOT_ALLOWED)
async def list_previews(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    listing = await context.features.previews.listing()
    tz = services.settings.community.tz
    await services.messenger.to_chat(
        message.chat.id, texts.listing(listing, tz, services.tr_in(message))
    )


@restricted(from_brand_team, NOT_ALLOWED)
async def cancel_preview(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    preview_id = parse_id(command_args(message).lstrip("#"))
    if preview_id is None:
        await message.reply_text(services.tr_in(message)._(texts.CANCEL_USAGE))
        return
    cancelled = await context.features.previews.cancel(preview_id)
    await message.reply_text(
        escape(texts.cancelled(cancelled, preview_id, services.tr_in(message)))
    )


async def on_button(update: Update, context: ClubContext) -> None:
    """``v1:pv:rate:<id>:<n>``, ``v1:pv:info:<id>``, ``v1:pv:cancel:<id>``.

    Every query is answered (Telegram shows a spinner on the button until it is).
    """
    query = update.callback_query
    if query is None or query.data is None:
        return
    services = context.services
    service = context.features.previews
    # A button answer is read by the person who pressed it: their language.
    tr = services.tr_for(query.from_user)
    # A Cancel button names its club (bot.context.routing routed the press by it).
    own = club_buttons.for_club(query.data, context.club.key)
    parts = (own or "").removeprefix(CALLBACK_PREFIX).split(":")
    action, numbers = parts[0], parts[1:]
    ids = [parse_id(n) for n in numbers]
    if not ids or None in ids:
        await answer_query(query, tr._(texts.STALE_BUTTON))
        return
    preview_id = int(numbers[0])
    if action == "rate" and len(numbers) == 2:
        # The data alone is never trusted: the press must come from the preview's own
        # message (a forged client can send any data on any message, or none).
        pressed_on = query.message
        where = (pressed_on.chat.id, pressed_on.message_id) if pressed_on is not None else None
        rated = await service.rate(preview_id, query.from_user.id, int(numbers[1]), where)
        await answer_query(query, texts.rating(rated, tr))
    elif action == "info":
        await answer_query(query, texts.average(await service.feedback(preview_id), tr))
    elif action == "cancel":
        if not services.permissions.is_brand_team(query.from_user.id):
            await answer_query(query, tr._(texts.CANCEL_NOT_ALLOWED), show_alert=True)
            return
        text = texts.cancelled(await service.cancel(preview_id), preview_id, tr)
        await answer_query(query, text)
        if query.message is not None and query.message.chat.type == ChatType.PRIVATE:
            await services.messenger.dm(query.from_user.id, escape(text))
    else:
        await answer_query(query, tr._(texts.STALE_BUTTON))


def reaction_key(reaction: ReactionType) -> str:
    if isinstance(reaction, ReactionTypeEmoji):
        return reaction.emoji
    if isinstance(reaction, ReactionTypeCustomEmoji):
        return f"custom:{reaction.custom_emoji_id}"
    return str(reaction.type)  # "paid" stars


async def on_reaction(update: Update, context: ClubContext) -> None:
    services = context.services
    service = context.features.previews
    change = update.message_reaction
    if change is not None:
        # Anonymous reactions (actor_chat, no user) reach us only as counts, below.
        if change.user is None or change.chat.id != services.chats.community_id:
            return
        await service.on_reaction(
            change.chat.id,
            change.message_id,
            change.user.id,
            [reaction_key(r) for r in change.new_reaction],
        )
        return
    counts = update.message_reaction_count
    if counts is not None and counts.chat.id == services.chats.community_id:
        await service.on_reaction_count(
            counts.chat.id,
            counts.message_id,
            {reaction_key(r.type): r.total_count for r in counts.reactions},
        )
