"""What restriction a member is under now, as Telegram says: automatic actions read it first.

Telegram keeps one restriction per member: a restrictChatMember replaces the one in force,
whatever it was (a moderator's day-long mute, or a ban: Telegram then holds a restricted
non-member, free to rejoin once it ends). An automatic mute (flood control, the warning
limit) must never shorten or lift what a moderator set, so it asks here first.

"Restricted" alone says little: Telegram goes on listing a member as restricted "forever"
(until_date 0) after their mute ran out or an /unmute gave back the group's permissions
(python-telegram-bot issue #1803), and an admin may restrict someone partially (no media).
Only a restriction that keeps them from posting is a mute the automatic one could shorten.
"""

from __future__ import annotations

from telegram import Bot, ChatMember, ChatMemberRestricted

# ChatMemberRestricted's rights to post something (Bot API): any one of them lets a member
# flood. Reactions, link previews and the group's settings are no posts.
_POSTING_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
)


async def restricted_beyond(bot: Bot, chat_id: int, user_id: int, until: int) -> bool:
    """Whether a mute until ``until`` (a Unix time) would shorten or lift what stands.

    Only a member who is in the group and may post (unrestricted, or under a restriction
    that lets them post), or who is muted for less time, may be muted. A restriction that
    lets them post is replaced, though it ends with the mute: a flood must be stoppable.
    Banned, gone or admin: nothing for a mute to do.
    """
    member = await bot.get_chat_member(chat_id, user_id)
    if member.status == ChatMember.MEMBER:
        return False
    if member.status != ChatMember.RESTRICTED:
        return True
    assert isinstance(member, ChatMemberRestricted)
    if any(getattr(member, right) for right in _POSTING_RIGHTS):
        return False
    # Telegram's until_date 0 (PTB: the epoch) means the restriction never ends.
    ends = int(member.until_date.timestamp()) if member.until_date else 0
    return ends <= 0 or ends >= until
