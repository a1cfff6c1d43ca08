"""Whether a moderation action may run on a member, from Telegram's word on them now."""

from __future__ import annotations

from telegram import Bot, ChatMember
from telegram.error import BadRequest

from bot.core.services import Services
from bot.moderation.parse import ModerationRequest

# Telegram's own accounts that appear as the sender of anonymous admin posts and channel
# forwards: replying to their messages names no member.
SERVICE_ACCOUNTS = frozenset({777000, 1087968824, 136817688})

IN_CHAT = frozenset({ChatMember.MEMBER, ChatMember.RESTRICTED})


class Refusal(Exception):
    """The action is not allowed or not possible; the message is for the moderator (HTML)."""


async def status_of(services: Services, bot: Bot, user_id: int) -> str:
    """The member's status in the community chat, as Telegram says now."""
    try:
        member = await bot.get_chat_member(services.chats.community_id, user_id)
    except BadRequest as exc:
        # "user not found" / "PARTICIPANT_ID_INVALID": Telegram does not know this id.
        raise Refusal(
            services.tr._(
                "I do not know user {user_id}: check the id (they must have been in the "
                "group or written to me).",
                user_id=user_id,
            )
        ) from exc
    services.permissions.note_member(member)
    return member.status


async def check(
    services: Services, bot: Bot, actor_id: int | None, request: ModerationRequest
) -> str:
    """The member's status if ``request`` may run now; raises Refusal with the reason.

    Reads the status fresh each time: the caller holds the member's lock, so it is the
    result of any action on them before this one."""
    target = request.target_id
    tr = services.tr
    if target == bot.id:
        raise Refusal(tr._("I will not moderate myself."))
    if target in SERVICE_ACCOUNTS or target <= 0:
        # A channel or the group itself (anonymous admin) posted the replied-to message.
        raise Refusal(tr._("That message was not sent by a member; give their numeric id."))
    if actor_id is not None and target == actor_id:
        raise Refusal(tr._("You cannot moderate yourself."))
    permissions = services.permissions
    if permissions.is_admin(target):
        raise Refusal(tr._("Moderators cannot act on the group's admins."))
    status = await status_of(services, bot, target)
    if status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER):
        raise Refusal(tr._("Moderators cannot act on the group's admins."))
    if permissions.is_moderator(target):
        raise Refusal(tr._("Moderators cannot act on other moderators."))
    action = request.action
    if action in ("warn", "mute", "kick") and status not in IN_CHAT:
        raise Refusal(tr._("They are not in the group."))
    if action == "unmute" and status != ChatMember.RESTRICTED:
        raise Refusal(tr._("They are not muted."))
    if action == "unban" and status != ChatMember.BANNED:
        raise Refusal(tr._("They are not banned."))
    if action == "ban" and status == ChatMember.BANNED:
        raise Refusal(tr._("They are already banned."))
    return status
