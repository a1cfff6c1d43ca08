"""What restriction a member is under now, as Telegram says: automatic actions read it first.

Telegram keeps one restriction per member: a restrictChatMember replaces the one in force,
whatever it was (a moderator's day-long mute, or a ban: Telegram then holds a restricted
non-member, free to rejoin once it ends). An automatic mute (flood control, the warning
limit) must never shorten or lift what a moderator set, so it asks here first.
"""

from __future__ import annotations

from telegram import Bot, ChatMember, ChatMemberRestricted


async def restricted_beyond(bot: Bot, chat_id: int, user_id: int, until: int) -> bool:
    """Whether a mute until ``until`` (a Unix time) would shorten or lift what stands.

    Only a member who is in the group unrestricted, or restricted for less time, may be
    muted. A partial restriction (no media, say) that lasts longer stands too: replacing it
    would lift it when the mute ends. Banned, gone or admin: nothing for a mute to do.
    """
    member = await bot.get_chat_member(chat_id, user_id)
    if member.status == ChatMember.MEMBER:
        return False
    if member.status != ChatMember.RESTRICTED:
        return True
    assert isinstance(member, ChatMemberRestricted)
    # Telegram's until_date 0 (PTB: the epoch) means the restriction never ends.
    ends = int(member.until_date.timestamp()) if member.until_date else 0
    return ends <= 0 or ends >= until
