"""Moderation commands and the look-alike observer: parse, call, reply (flood: flood_guard)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler, TypeHandler

from bot.context import ClubContext, Features
from bot.core import handler_groups
from bot.core.access import sender_may
from bot.core.club import ClubApplication, Clubs
from bot.core.commands import CommandSpec
from bot.core.i18n import N_, Html, Translator
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.core.topics import replied_to
from bot.moderation.flood_guard import FloodGuard
from bot.moderation.parse import ACTIONS, USAGE, Action, UsageError, parse_limit, parse_request

log = logging.getLogger(__name__)

COMMANDS = (
    CommandSpec("rules", "/rules", N_("the club's rules")),
    CommandSpec(
        "warn",
        N_("/warn [reason]"),
        N_("warn a member (reply, or give their id first)"),
        Audience.RESTRICTOR,
    ),
    CommandSpec(
        "mute",
        N_("/mute [duration]"),
        N_("mute a member, e.g. /mute 2h (default 1h)"),
        Audience.RESTRICTOR,
    ),
    CommandSpec("unmute", "/unmute", N_("let a muted member write again"), Audience.RESTRICTOR),
    CommandSpec(
        "kick",
        N_("/kick [reason]"),
        N_("remove a member (they may rejoin with an invite)"),
        Audience.RESTRICTOR,
    ),
    CommandSpec("ban", N_("/ban [reason]"), N_("remove a member for good"), Audience.RESTRICTOR),
    CommandSpec("unban", N_("/unban USER_ID"), N_("lift a ban"), Audience.RESTRICTOR),
    CommandSpec(
        "modlog",
        N_("/modlog [N]"),
        N_("the latest moderation actions (sent privately)"),
        Audience.MODERATOR,
    ),
)

# Every action may end in a restriction (a warning at the limit mutes or bans), so each needs
# the "Ban users" right: their specs say RESTRICTOR, and the handlers check what they say.
_AUDIENCE = {spec.name: spec.audience for spec in COMMANDS}

Handler = Callable[[Update, ClubContext], Coroutine[Any, Any, None]]


def add_handlers(app: ClubApplication) -> None:
    for action in ACTIONS:
        app.add_handler(
            CommandHandler(action, _moderation_command(action)), group=handler_groups.COMMANDS
        )
    app.add_handler(CommandHandler("modlog", modlog), group=handler_groups.COMMANDS)
    app.add_handler(CommandHandler("rules", rules), group=handler_groups.COMMANDS)
    app.add_handler(FloodGuard(app.clubs), group=handler_groups.FLOOD)
    app.add_handler(_NameMayMatter(app.clubs), group=handler_groups.NAME_WATCH)


class _NameMayMatter(TypeHandler[Update, Any, None]):
    """Calls ``observe_names`` only when it has something to do.

    For a member whose current name was already checked (nearly every chat message) this is
    a dict lookup, so PTB skips the handler call and its context. A new name (each member's
    first message: thousands on a launch day) is checked here when the moderators' names are
    at hand; only a resemblance or a refresh of those names is left to ``observe_names``.
    """

    __slots__ = ("_clubs",)

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(Update, observe_names)
        self._clubs = clubs

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        if update.chat_member is not None:
            return True  # rare: the member's name is checked as they join
        message = update.message
        if message is None or message.sender_chat is not None:
            return False
        user = message.from_user
        club = self._clubs.of_chat(message.chat.id)
        services = club.services
        if user is None or user.is_bot or message.chat.id != services.chats.community_id:
            return False
        if services.permissions.is_moderator(user.id):
            return True  # observe_names keeps the moderators' names fresh
        moderation, name = club.features.moderation, user.full_name
        if moderation.checked_names.get(user.id) == name:
            return False
        if not moderation.name_clears_now(user.id, name):
            return True
        moderation.checked_names[user.id] = name  # what observe_names would have noted
        return False


def _actor(message: Message, services: Services) -> int | bool | None:
    """The moderator's id (the group's id for an anonymous admin), or False if not allowed."""
    community = services.chats.community_id
    if message.chat.type == ChatType.PRIVATE:
        user = message.from_user
        if user is not None and services.permissions.is_moderator(user.id):
            return user.id
        return False
    if message.chat.id != community:
        return False
    if services.permissions.message_is_from_moderator(message, community):
        if message.sender_chat is not None:
            return community
        return message.from_user.id if message.from_user else False
    return False


def _refusal(message: Message, services: Services, tr: Translator, command: str) -> str | None:
    """The answer to someone ``_actor`` turned away; None in a chat that is not the club's.

    The brand team's chat supports no moderation command: its members need not be
    moderators, and the answers name members and reasons. A moderator writing there is told
    where the commands work instead of being told they are not a moderator.
    """
    chat = message.chat
    if chat.id == services.chats.brand_id:
        user = message.from_user
        if user is not None and services.permissions.is_moderator(user.id):
            return tr._(
                "/{command} works in the group or in a private chat with me, not in the brand "
                "team's chat.",
                command=command,
            )
    elif chat.type != ChatType.PRIVATE and chat.id != services.chats.community_id:
        return None
    return tr._("Only moderators can use /{command}.", command=command)


def _reply_target(message: Message) -> int | None:
    # In a topic, reply_to_message is set even without a reply: replied_to tells them apart.
    replied = replied_to(message)
    if replied is None or message.chat.type == ChatType.PRIVATE:
        return None
    if replied.sender_chat is not None:
        return replied.sender_chat.id  # refused later: not a member
    return replied.from_user.id if replied.from_user else None


def _moderation_command(action: Action) -> Handler:
    async def handle(update: Update, context: ClubContext) -> None:
        message = update.effective_message
        if message is None:
            return
        services = context.services
        tr = services.tr_in(message)
        actor = _actor(message, services)
        if actor is False:
            refusal = _refusal(message, services, tr, action)
            if refusal is not None:
                await message.reply_text(refusal)
            return
        assert actor is not True
        # An admin is a moderator by Telegram's grace: the bot lends them no more than
        # Telegram does (bot.core.permissions).
        if not sender_may(_AUDIENCE[action], services, message):
            await message.reply_text(
                tr._(
                    "You need the admin right “Ban users” in the group to use /{command}.",
                    command=action,
                )
            )
            return
        try:
            request = parse_request(
                action,
                context.args or [],
                _reply_target(message),
                default_mute=timedelta(minutes=services.settings.moderation.default_mute_minutes),
            )
        except UsageError as exc:
            await message.reply_text(
                exc.sentence(tr) + "\n" + tr._("Usage: {usage}", usage=tr._(USAGE[action]))
            )
            return
        outcome = await context.features.moderation.perform(context.bot, actor, request)
        if outcome.done and action in ("unmute", "kick", "ban"):
            context.features.moderation.flood.forget(request.target_id)
        await message.reply_text(outcome.text)

    handle.__name__ = f"{action}_command"
    return handle


async def modlog(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None:
        return
    services = context.services
    tr = services.tr_in(message)
    if _actor(message, services) is False:
        refusal = _refusal(message, services, tr, "modlog")
        if refusal is not None:
            await message.reply_text(refusal)
        return
    try:
        limit = parse_limit(context.args or [])
    except UsageError as exc:
        await message.reply_text(exc.sentence(tr))
        return
    text = await context.features.moderation.modlog_text(limit)
    if message.chat.type == ChatType.PRIVATE:
        await services.messenger.dm(message.chat.id, text)
        return
    # The log names members and reasons: it goes to the moderator privately, not the group.
    if (
        user is not None
        and message.sender_chat is None
        and await services.messenger.dm(user.id, text) is not None
    ):
        await message.reply_text(tr._("I sent you the moderation log privately."))
        return
    await message.reply_text(
        tr._(
            "The log is sent privately: open a chat with me, press Start, and send /modlog there."
        )
    )


async def rules(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = context.services
    community = services.settings.community
    await message.reply_text(rules_text(community.name, community.rules, services.tr_in(message)))


def rules_text(community_name: str, rules: str, tr: Translator) -> Html:
    # The rules themselves are the club's own words, written in its language (config).
    return tr._("<b>Rules of {club}</b>\n{rules}", club=community_name, rules=rules)


async def observe_names(update: Update, context: ClubContext) -> None:
    services = context.services
    community = services.chats.community_id
    user = None
    message = update.message
    if message is not None and message.chat.id == community and message.sender_chat is None:
        user = message.from_user
    member = update.chat_member
    if (
        member is not None
        and member.chat.id == community
        and member.new_chat_member.status in (ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED)
    ):
        user = member.new_chat_member.user
    if user is None or user.is_bot:
        return
    service = context.features.moderation
    name = user.full_name
    if services.permissions.is_moderator(user.id):
        service.note_moderator_name(user.id, name)
        return
    checked = service.checked_names
    if checked.get(user.id) == name:
        return
    checked[user.id] = name
    try:
        await service.check_name(context.bot, user.id, name)
    except TelegramError as exc:
        log.info("Look-alike check for %s failed: %s", user.id, exc)
