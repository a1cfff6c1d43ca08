"""Thin Telegram handlers for referrals: parse, call ReferralService, reply."""

from __future__ import annotations

import logging

from telegram import ChatMember, Message, Update
from telegram.constants import ChatType
from telegram.ext import ChatMemberHandler, CommandHandler

from bot import gate
from bot.context import ClubContext, Features
from bot.core import handler_groups
from bot.core.access import from_moderator, restricted
from bot.core.club import Club, ClubApplication
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.referrals import texts
from bot.referrals.service import PolicyError, parse_user_id

log = logging.getLogger(__name__)

COMMANDS = (
    CommandSpec("invite", "/invite", N_("a personal invite for a friend (private chat)")),
    CommandSpec(
        "multipliers",
        "/multipliers",
        N_("who brought whom, who stayed and took part"),
        Audience.MODERATOR,
    ),
    CommandSpec(
        "referrals",
        N_("/referrals [on N|off|campaign LABEL|before DATE|reset|withdraw USER_ID]"),
        N_("who may invite friends, and how many"),
        Audience.MODERATOR,
    ),
)


def add_handlers(app: ClubApplication) -> None:
    commands = handler_groups.COMMANDS
    app.add_handler(CommandHandler("invite", invite), group=commands)
    app.add_handler(CommandHandler("multipliers", multipliers), group=commands)
    app.add_handler(CommandHandler("referrals", referrals), group=commands)

    # /invite is offered while the club lets its members invite (off by default).
    app.offered_now["invite"] = invites_now
    # After the gate's own chat_member handler (MEMBERSHIP) has confirmed or ended the seat.
    app.add_handler(
        ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER),
        group=handler_groups.REFERRALS,
    )


async def invites_now(club: Club[Features]) -> bool:
    return (await club.features.referrals.policy()).on


async def _in_private(message: Message, services: Services) -> bool:
    """Moderators' referral views name members: only ever in a private chat."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    await message.reply_text(services.tr_in(message)._(texts.IN_PRIVATE))
    return False


async def invite(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        # The code must never show in the group, where anyone could take it.
        await message.reply_text(context.services.tr_in(message)._(texts.INVITE_IN_PRIVATE))
        return
    services = context.services
    # A member's own app language, privately (the club's for the brand team and moderators).
    tr = services.tr_in(message)
    if context.args:
        await message.reply_text(tr._(texts.INVITE_USAGE))
        return
    result = await context.features.referrals.invite(message.from_user.id)
    community = services.settings.community
    await message.reply_text(
        texts.invite_text(result, community.name, context.bot.username, community.tz, tr),
        disable_web_page_preview=True,
    )


@restricted(from_moderator, texts.NOT_MODERATOR)
async def multipliers(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    if not await _in_private(message, services):
        return
    service = context.features.referrals
    found = await service.multipliers()
    links = await service.tree()
    names = await service.first_names(
        {m.referrer_id for m in found} | {link.user_id for link in links}
    )
    await services.messenger.dm(
        message.chat_id, texts.multipliers_text(found, links, names, services.tr_in(message))
    )


@restricted(from_moderator, texts.NOT_MODERATOR)
async def referrals(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    if not await _in_private(message, services):
        return
    service = context.features.referrals
    tr = services.tr_in(message)
    args = list(context.args or [])
    if not args:
        await message.reply_text(texts.policy_text(await service.policy(), tr))
        return
    if args[0].lower() == "withdraw":
        target = parse_user_id(args[1]) if len(args) == 2 else None
        if target is None:
            await message.reply_text(tr._(texts.WITHDRAW_USAGE))
            return
        withdrawn = await service.withdraw(target)
        await message.reply_text(texts.withdrawn_text(target, withdrawn, tr))
        return
    try:
        policy = await service.change_policy(args)
    except PolicyError as exc:
        await message.reply_text(f"{exc.sentence(tr)}.\n{tr._(texts.POLICY_USAGE)}")
        return
    await message.reply_text(texts.policy_text(policy, tr))
    if isinstance(context.application, ClubApplication):
        await context.application.refresh_menu()  # /invite comes or goes with the policy


async def member_changed(update: Update, context: ClubContext) -> None:
    change = update.chat_member
    services = context.services
    if change is None or change.chat.id != services.chats.community_id:
        return
    old, new = change.old_chat_member, change.new_chat_member
    user_id = new.user.id
    service = context.features.referrals
    was_in, is_in = gate.in_chat(old), gate.in_chat(new)
    if new.status == ChatMember.BANNED:
        await service.on_banned(user_id)
        return
    if was_in and not is_in:
        await service.on_left(user_id)
        return
    if was_in or not is_in:
        return  # a mute, a promotion: not a join
    flag = await service.on_joined(user_id)
    if flag is None:
        return
    person = await services.people.get(flag.referrer_id)
    # Moderators run the club in its language.
    text = texts.flag_text(flag, person.first_name if person else None, services.tr)
    moderators = await service.moderators_to_tell()
    for moderator_id in moderators:
        await services.messenger.dm(moderator_id, text)
    if not moderators:
        log.warning("No moderator has started the bot: the referral flag is only in this log")
