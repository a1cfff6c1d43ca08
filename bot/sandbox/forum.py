"""Forum topics in the simulated world: creating, editing, closing, hiding, deleting.

Both the bot (forum_methods.py, through the Bot API) and people (driver.py) act through
these functions, so both leave the same service messages behind. Facts from the Bot API
10.1 spec: a topic's id is the id of the service message that created it (ForumTopic
``message_thread_id``); the service messages are forum_topic_created (name, icon_color,
optional icon_custom_emoji_id), forum_topic_edited (name and/or icon_custom_emoji_id, ""
when the icon was removed), forum_topic_closed, forum_topic_reopened,
general_forum_topic_hidden and general_forum_topic_unhidden (the last four hold nothing).
Who may do what follows tdlib's ForumTopicManager (rights texts in forum_methods.py).
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.models import ForumTopic, SentMessage, SimChat, SimUser
from bot.sandbox.world import World

# createForumTopic icon_color: "Currently, must be one of" these six RGB values.
ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
# Assumption: without icon_color Telegram picks one; the sandbox always picks the first.
DEFAULT_ICON_COLOR = ICON_COLORS[0]
MAX_TOPIC_NAME = 128  # "Topic name, 1-128 characters"


def enable_topics(chat: SimChat) -> None:
    """Turn a supergroup into a forum. Message id 1 is never a topic: in Telegram it is the
    chat's creation, so the first topic gets a later id (and id 1 stays free for General)."""
    chat.is_forum = True
    chat.next_message_id = max(chat.next_message_id, 2)


def may_manage_topics(w: World, chat: SimChat, user: SimUser) -> bool:
    """Owner, or an admin with can_manage_topics."""
    member = w.member(chat, user)
    if member.status == "creator":
        return True
    return member.status == "administrator" and bool(member.rights.get("can_manage_topics"))


def may_create_topics(w: World, chat: SimChat, user: SimUser) -> bool:
    """Admins need the right; plain members may when the group's permissions allow it
    (ChatPermissions.can_manage_topics, which is also what lets members create topics)."""
    member = w.member(chat, user)
    if member.status in ("creator", "administrator"):
        return may_manage_topics(w, chat, user)
    if member.status == "restricted":
        return bool(member.permissions.get("can_manage_topics"))
    return w.is_in_chat(chat, user) and bool(chat.permissions.get("can_manage_topics"))


def may_edit_topic(w: World, chat: SimChat, user: SimUser, topic: ForumTopic) -> bool:
    """Editing, closing, reopening: the right, or being the topic's creator."""
    return may_manage_topics(w, chat, user) or topic.creator_id == user.id


def _service(
    w: World, chat: SimChat, actor: SimUser, thread_id: int | None, service: dict[str, Any]
) -> SentMessage:
    msg = w.store_message(chat, actor, service=service)
    msg.thread_id = thread_id
    return msg


def create_topic(
    w: World,
    chat: SimChat,
    actor: SimUser,
    name: str,
    icon_color: int | None = None,
    icon_custom_emoji_id: str | None = None,
) -> tuple[ForumTopic, SentMessage]:
    color = DEFAULT_ICON_COLOR if icon_color is None else icon_color
    created: dict[str, Any] = {"name": name, "icon_color": color}
    if icon_custom_emoji_id:
        created["icon_custom_emoji_id"] = icon_custom_emoji_id
    msg = w.store_message(chat, actor, service={"forum_topic_created": created})
    msg.thread_id = msg.message_id  # the creating message is the topic's first message
    topic = ForumTopic(
        thread_id=msg.message_id,
        name=name,
        icon_color=color,
        creator_id=actor.id,
        icon_custom_emoji_id=icon_custom_emoji_id or None,
    )
    chat.topics[topic.thread_id] = topic
    return topic, msg


def edit_topic(
    w: World,
    chat: SimChat,
    actor: SimUser,
    topic: ForumTopic,
    name: str | None,
    icon_custom_emoji_id: str | None,
) -> SentMessage:
    edited: dict[str, Any] = {}
    if name:
        topic.name = name
        edited["name"] = name
    if icon_custom_emoji_id is not None:
        topic.icon_custom_emoji_id = icon_custom_emoji_id or None
        edited["icon_custom_emoji_id"] = icon_custom_emoji_id
    return _service(w, chat, actor, topic.thread_id, {"forum_topic_edited": edited})


def set_topic_closed(
    w: World, chat: SimChat, actor: SimUser, topic: ForumTopic, closed: bool
) -> SentMessage:
    topic.closed = closed
    kind = "forum_topic_closed" if closed else "forum_topic_reopened"
    return _service(w, chat, actor, topic.thread_id, {kind: {}})


def delete_topic(w: World, chat: SimChat, topic: ForumTopic) -> None:
    """deleteForumTopic: "delete a forum topic along with all its messages"."""
    for msg in chat.messages.values():
        if msg.thread_id == topic.thread_id:
            msg.deleted = True
    del chat.topics[topic.thread_id]
    w.on_change()


def edit_general(w: World, chat: SimChat, actor: SimUser, name: str) -> SentMessage:
    # Assumption: renaming General leaves a forum_topic_edited message in General.
    chat.general_name = name
    return _service(w, chat, actor, None, {"forum_topic_edited": {"name": name}})


def set_general_closed(w: World, chat: SimChat, actor: SimUser, closed: bool) -> SentMessage:
    # Assumption: General has no service messages of its own for closing, so the topic ones
    # appear there (without a thread id). Reopening also unhides ("automatically unhidden").
    chat.general_closed = closed
    if not closed:
        chat.general_hidden = False
    kind = "forum_topic_closed" if closed else "forum_topic_reopened"
    return _service(w, chat, actor, None, {kind: {}})


def set_general_hidden(w: World, chat: SimChat, actor: SimUser, hidden: bool) -> SentMessage:
    # Hiding closes General ("The topic will be automatically closed if it was open").
    chat.general_hidden = hidden
    if hidden:
        chat.general_closed = True
    kind = "general_forum_topic_hidden" if hidden else "general_forum_topic_unhidden"
    return _service(w, chat, actor, None, {kind: {}})


def messages_in_topic(chat: SimChat, thread_id: int | None) -> list[SentMessage]:
    """The messages of one topic (None: General), deleted ones included."""
    return [m for m in chat.messages.values() if m.thread_id == thread_id]


__all__ = [
    "DEFAULT_ICON_COLOR",
    "ICON_COLORS",
    "MAX_TOPIC_NAME",
    "create_topic",
    "delete_topic",
    "edit_general",
    "edit_topic",
    "enable_topics",
    "may_create_topics",
    "may_edit_topic",
    "may_manage_topics",
    "messages_in_topic",
    "set_general_closed",
    "set_general_hidden",
    "set_topic_closed",
]
