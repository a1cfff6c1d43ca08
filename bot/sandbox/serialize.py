"""Bot API JSON shapes for the world's records.

Every object is built with the fields the Bot API marks as required (so PTB's de_json,
which passes them as constructor arguments, accepts it) and omits optional fields that
are None, as Telegram does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.sandbox.models import (
    ForumTopic,
    InviteLink,
    Member,
    Poll,
    SentMessage,
    SimChat,
    SimUser,
)

# ChatMemberAdministrator required booleans (Bot API 10.1); optional ones follow.
ADMIN_RIGHTS_REQUIRED = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
ADMIN_RIGHTS_OPTIONAL = ("can_pin_messages", "can_manage_topics")
ADMIN_RIGHTS = ADMIN_RIGHTS_REQUIRED + ADMIN_RIGHTS_OPTIONAL

# ChatMemberRestricted / ChatPermissions booleans.
PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
DEFAULT_GROUP_PERMISSIONS = {
    p: p not in ("can_change_info", "can_pin_messages", "can_manage_topics") for p in PERMISSIONS
}


def ts(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment else 0


def drop_none(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None}


def user_json(user: SimUser) -> dict[str, Any]:
    return drop_none(
        {
            "id": user.id,
            "is_bot": user.is_bot,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language_code": user.language_code,
        }
    )


def chat_json(chat: SimChat) -> dict[str, Any]:
    """The short Chat object embedded in messages and updates."""
    return drop_none(
        {
            "id": chat.id,
            "type": chat.type,
            "title": chat.title,
            "username": chat.username,
            "first_name": chat.first_name,
            "last_name": chat.last_name,
            # Chat.is_forum: "Optional. True, if the supergroup chat is a forum".
            "is_forum": True if chat.is_forum else None,
        }
    )


def chat_full_json(chat: SimChat, invite_link: str | None) -> dict[str, Any]:
    """ChatFullInfo for getChat; includes the fields 10.1 marks as required."""
    out = chat_json(chat)
    out.update(
        {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
    )
    if chat.type != "private":
        out["permissions"] = dict(chat.permissions)
        if invite_link:
            out["invite_link"] = invite_link
        if chat.description:
            out["description"] = chat.description
        if chat.linked_chat_id:
            out["linked_chat_id"] = chat.linked_chat_id
    pinned = [m for m in chat.messages.values() if m.pinned and not m.deleted]
    if pinned:
        out["pinned_message"] = {
            "message_id": pinned[-1].message_id,
            "date": ts(pinned[-1].date),
            "chat": chat_json(chat),
        }
    return out


def member_json(member: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"status": member.status, "user": user_json(member.user)}
    if member.status == "creator":
        out["is_anonymous"] = False
    elif member.status == "administrator":
        out["can_be_edited"] = False
        out["is_anonymous"] = False
        for right in ADMIN_RIGHTS_REQUIRED:
            out[right] = bool(member.rights.get(right, False))
        for right in ADMIN_RIGHTS_OPTIONAL:
            out[right] = bool(member.rights.get(right, False))
    elif member.status == "restricted":
        out["is_member"] = member.is_member
        for perm in PERMISSIONS:
            out[perm] = bool(member.permissions.get(perm, False))
        out["can_edit_tag"] = False
        out["until_date"] = ts(member.until)
    elif member.status == "kicked":
        out["until_date"] = ts(member.until)
    if member.custom_title and member.status in ("creator", "administrator"):
        out["custom_title"] = member.custom_title
    return out


def invite_link_json(link: InviteLink, creator: SimUser, pending: int) -> dict[str, Any]:
    return drop_none(
        {
            "invite_link": link.link,
            "creator": user_json(creator),
            "creates_join_request": link.creates_join_request,
            "is_primary": link.is_primary,
            "is_revoked": link.is_revoked,
            "name": link.name,
            "expire_date": ts(link.expire_date) if link.expire_date else None,
            "member_limit": link.member_limit,
            "pending_join_request_count": pending if link.creates_join_request else None,
        }
    )


def poll_json(poll: Poll) -> dict[str, Any]:
    counts = poll.counts()
    out: dict[str, Any] = {
        "id": poll.id,
        "question": poll.question,
        "options": [
            {"persistent_id": str(i), "text": text, "voter_count": counts[i]}
            for i, text in enumerate(poll.options)
        ],
        "total_voter_count": len(poll.votes),
        "is_closed": poll.is_closed,
        "is_anonymous": poll.is_anonymous,
        "type": poll.type,
        "allows_multiple_answers": poll.allows_multiple_answers,
        "allows_revoting": poll.type != "quiz",
        "members_only": False,
    }
    if poll.correct_option_id is not None:
        out["correct_option_id"] = poll.correct_option_id
        out["correct_option_ids"] = [poll.correct_option_id]
    if poll.explanation:
        out["explanation"] = poll.explanation
    if poll.open_period:
        out["open_period"] = poll.open_period
    if poll.close_date:
        out["close_date"] = ts(poll.close_date)
    return out


def message_json(
    msg: SentMessage,
    chat: SimChat,
    sender: SimUser | None,
    sender_chat: SimChat | None = None,
    reply: dict[str, Any] | None = None,
    poll: Poll | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "message_id": msg.message_id,
        "date": ts(msg.date),
        "chat": chat_json(chat),
    }
    if sender is not None:
        out["from"] = user_json(sender)
    if sender_chat is not None:
        out["sender_chat"] = chat_json(sender_chat)
    if msg.is_automatic_forward:
        out["is_automatic_forward"] = True
    if msg.forward_origin:
        out["forward_origin"] = msg.forward_origin
    if msg.thread_id is not None:
        # Message.message_thread_id + is_topic_message: the message is in a forum topic.
        out["message_thread_id"] = msg.thread_id
        out["is_topic_message"] = True
    elif msg.reply_thread is not None:
        out["message_thread_id"] = msg.reply_thread
    if reply is not None:
        out["reply_to_message"] = reply
    if msg.edit_date:
        out["edit_date"] = ts(msg.edit_date)
    if msg.protect_content:
        out["has_protected_content"] = True
    if msg.media_group_id:
        out["media_group_id"] = msg.media_group_id
    if msg.text is not None:
        out["text"] = msg.text
        if msg.entities:
            out["entities"] = msg.entities
        if msg.link_preview_options:
            out["link_preview_options"] = msg.link_preview_options
    if msg.photo:
        out["photo"] = msg.photo
    if msg.document_meta:
        out["document"] = msg.document_meta
    if msg.video:
        out["video"] = msg.video
    if msg.caption is not None:
        out["caption"] = msg.caption
        if msg.caption_entities:
            out["caption_entities"] = msg.caption_entities
    if poll is not None:
        out["poll"] = poll_json(poll)
    if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
        out["reply_markup"] = msg.reply_markup
    if msg.service:
        out.update(msg.service)
    return out


def forum_topic_json(topic: ForumTopic) -> dict[str, Any]:
    """ForumTopic: message_thread_id, name and icon_color required, the emoji optional."""
    return drop_none(
        {
            "message_thread_id": topic.thread_id,
            "name": topic.name,
            "icon_color": topic.icon_color,
            "icon_custom_emoji_id": topic.icon_custom_emoji_id,
        }
    )
