"""Start-up self-check: can the bot do its job in the community chat?

Missing rights are not fatal (an admin may grant them later), so they are logged as one
clear warning, and checked again whenever the bot's own membership changes.
"""

from __future__ import annotations

import logging

from telegram import Bot, ChatMemberAdministrator, Update
from telegram.error import TelegramError
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot.core import handler_groups
from bot.core.club import ClubApplication, CoreContext
from bot.core.services import Services

log = logging.getLogger(__name__)

REQUIRED_RIGHTS = (
    ("can_invite_users", "invite users via link (personal invite links, join requests)"),
    ("can_restrict_members", "ban users (remove people without a seat, mute, ban)"),
    ("can_pin_messages", "pin messages (product previews)"),
    ("can_delete_messages", "delete messages (moderation)"),
)


def take_part(services: Services) -> None:
    """Check this club's community chat once the bot is connected."""
    services.hooks.on_startup(lambda: check_and_report(services.messenger.bot, services))


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(
        ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        group=handler_groups.COMMANDS,
    )
    app.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, on_group_upgraded),
        group=handler_groups.COMMANDS,
    )


async def missing_capabilities(bot: Bot, community_chat_id: int) -> list[str]:
    """What the bot cannot do in the community chat, in words an admin understands."""
    problems: list[str] = []
    try:
        # bot.id: known since initialize (getMe); asking Telegram again for every check, and
        # there is one per change of the bot's own membership, cost a round trip each.
        member = await bot.get_chat_member(community_chat_id, bot.id)
    except TelegramError as exc:
        return [
            f"cannot see the community chat {community_chat_id} ({exc.message}): "
            "add the bot to the group and check telegram.community_chat_id"
        ]
    if not isinstance(member, ChatMemberAdministrator):
        problems.append("the bot is not an admin of the community chat: promote it")
        return problems
    for right, meaning in REQUIRED_RIGHTS:
        if not getattr(member, right, False):
            problems.append(f"missing admin right '{meaning}' ({right})")
    # Privacy mode needs no check: an admin sees every message whatever it says, and a bot
    # that is not an admin was reported above.
    return problems


async def check_and_report(bot: Bot, services: Services) -> list[str]:
    try:
        problems = await missing_capabilities(bot, services.chats.community_id)
    except TelegramError as exc:
        log.warning("Self-check could not run: %s", exc)
        return [str(exc)]
    if problems:
        log.warning("The bot cannot do everything it should: %s", "; ".join(problems))
    else:
        log.info("Self-check passed: the bot has every right it needs in the community chat")
    await services.permissions.refresh(bot, services.chats.community_id)
    return problems


async def on_my_membership(update: Update, context: CoreContext) -> None:
    services = context.services
    changed = update.my_chat_member
    if changed is not None and changed.chat.id == services.chats.community_id:
        await check_and_report(context.bot, services)


async def on_group_upgraded(update: Update, context: CoreContext) -> None:
    """A group became a supergroup, which has a new id: follow it at once.

    Telegram posts ``migrate_to_chat_id`` in the old group and ``migrate_from_chat_id`` in
    the new one. Without this the bot would learn the new id only from its next failed send
    (ChatMigrated), and messages in the meantime would be stored under the old id.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    services = context.services
    await services.chats.migrate(old_id, new_id, services.now_ts())
