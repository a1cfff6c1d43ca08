"""Bot API methods for forum topics (createForumTopic and friends).

Checks run in tdlib's order (ForumTopicManager): the chat must be a forum ("the chat is not
a forum"), the thread id must be a positive id ("invalid message thread identifier
specified"), then rights, then the topic must exist (the server's TOPIC_ID_INVALID) and the
change must change something (TOPIC_NOT_MODIFIED). Changes made by the bot queue no update:
bots do not receive their own messages, service messages included (as for pins here).
"""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors as E
from bot.sandbox import forum
from bot.sandbox.errors import bad_request
from bot.sandbox.formatting import utf16_len
from bot.sandbox.methods import Params, method
from bot.sandbox.models import ForumTopic, SimChat
from bot.sandbox.serialize import forum_topic_json
from bot.sandbox.world import World

# getForumTopicIconStickers: a few custom emoji stickers (the real set is larger).
_ICON_EMOJI = (
    ("5312536423851630001", "💡"),
    ("5312016608254762256", "⚡"),
    ("5377544228505134960", "🎉"),
)


def _forum(w: World, p: Params) -> SimChat:
    chat = w.resolve_chat(p.raw("chat_id"))
    if chat.type != "supergroup" or not chat.is_forum:
        raise bad_request(E.NOT_A_FORUM)
    return chat


def _thread_id(p: Params) -> int:
    thread_id = p.get_int("message_thread_id", required=True)
    if thread_id is None or thread_id <= 0:
        raise bad_request(E.THREAD_ID_INVALID)
    return thread_id


def _topic(w: World, chat: SimChat, thread_id: int, *, rights_error: str) -> ForumTopic:
    topic = chat.topics.get(thread_id)
    if topic is not None and not forum.may_edit_topic(w, chat, w.bot, topic):
        raise bad_request(rights_error)
    if topic is None:
        # tdlib checks rights only for topics it knows; an unknown one reaches the server.
        if not forum.may_manage_topics(w, chat, w.bot):
            raise bad_request(rights_error)
        raise bad_request(E.TOPIC_ID_INVALID)
    return topic


def _name(p: Params, field: str, required: bool) -> str | None:
    raw = p.get_str(field)
    name = (raw or "").strip()
    if not name:
        if required:
            raise bad_request(E.TOPIC_TITLE_EMPTY)
        return None
    # tdlib cleans the name and cuts it at 128 characters rather than refusing it.
    while utf16_len(name) > forum.MAX_TOPIC_NAME:
        name = name[:-1]
    return name


def _manage_general(w: World, p: Params, rights_error: str) -> SimChat:
    chat = _forum(w, p)
    if not forum.may_manage_topics(w, chat, w.bot):
        raise bad_request(rights_error)
    return chat


@method("createForumTopic")
def create_forum_topic(w: World, p: Params) -> dict[str, Any]:
    chat = _forum(w, p)
    if not forum.may_create_topics(w, chat, w.bot):
        raise bad_request(E.RIGHTS_CREATE_TOPIC)
    name = _name(p, "name", required=True)
    assert name is not None
    color = p.get_int("icon_color")
    if color is not None and color not in forum.ICON_COLORS:
        raise bad_request(E.ICON_COLOR_INVALID)
    topic, _msg = forum.create_topic(
        w, chat, w.bot, name, color, p.get_str("icon_custom_emoji_id") or None
    )
    return forum_topic_json(topic)


@method("editForumTopic")
def edit_forum_topic(w: World, p: Params) -> bool:
    chat = _forum(w, p)
    topic = _topic(w, chat, _thread_id(p), rights_error=E.RIGHTS_EDIT_TOPIC)
    name = _name(p, "name", required=False)
    emoji = p.get_str("icon_custom_emoji_id")  # "" removes the icon; None keeps it
    if name is None and emoji is None:
        return True  # "If not specified or empty, the current name ... will be kept"
    if (name is None or name == topic.name) and (
        emoji is None or (emoji or None) == topic.icon_custom_emoji_id
    ):
        raise bad_request(E.TOPIC_NOT_MODIFIED)
    forum.edit_topic(w, chat, w.bot, topic, name if name != topic.name else None, emoji)
    return True


def _set_closed(w: World, p: Params, closed: bool) -> bool:
    chat = _forum(w, p)
    topic = _topic(w, chat, _thread_id(p), rights_error=E.RIGHTS_CLOSE_TOPIC)
    if topic.closed == closed:
        raise bad_request(E.TOPIC_NOT_MODIFIED)
    forum.set_topic_closed(w, chat, w.bot, topic, closed)
    return True


@method("closeForumTopic")
def close_forum_topic(w: World, p: Params) -> bool:
    return _set_closed(w, p, True)


@method("reopenForumTopic")
def reopen_forum_topic(w: World, p: Params) -> bool:
    return _set_closed(w, p, False)


@method("deleteForumTopic")
def delete_forum_topic(w: World, p: Params) -> bool:
    chat = _forum(w, p)
    thread_id = _thread_id(p)
    topic = chat.topics.get(thread_id)
    me = w.bot_rights(chat)
    may_delete = me.status == "creator" or (
        me.status == "administrator" and bool(me.rights.get("can_delete_messages"))
    )
    if not may_delete and (topic is None or topic.creator_id != w.bot.id):
        raise bad_request(E.RIGHTS_DELETE_TOPIC)
    if topic is None:
        raise bad_request(E.TOPIC_ID_INVALID)
    forum.delete_topic(w, chat, topic)
    return True


@method("unpinAllForumTopicMessages")
def unpin_all_forum_topic_messages(w: World, p: Params) -> bool:
    chat = _forum(w, p)
    thread_id = _thread_id(p)
    w.require_admin_right(chat, "can_pin_messages", E.RIGHTS_PIN)
    if thread_id not in chat.topics:
        raise bad_request(E.TOPIC_ID_INVALID)
    for msg in forum.messages_in_topic(chat, thread_id):
        msg.pinned = False
    w.on_change()
    return True


@method("unpinAllGeneralForumTopicMessages")
def unpin_all_general_forum_topic_messages(w: World, p: Params) -> bool:
    chat = _forum(w, p)
    w.require_admin_right(chat, "can_pin_messages", E.RIGHTS_PIN)
    for msg in forum.messages_in_topic(chat, None):
        msg.pinned = False
    w.on_change()
    return True


@method("editGeneralForumTopic")
def edit_general_forum_topic(w: World, p: Params) -> bool:
    chat = _manage_general(w, p, E.RIGHTS_EDIT_TOPIC)
    name = _name(p, "name", required=True)
    assert name is not None
    if name == chat.general_name:
        raise bad_request(E.TOPIC_NOT_MODIFIED)
    forum.edit_general(w, chat, w.bot, name)
    return True


def _general_closed(w: World, p: Params, closed: bool) -> bool:
    chat = _manage_general(w, p, E.RIGHTS_CLOSE_TOPIC)
    if chat.general_closed == closed:
        raise bad_request(E.TOPIC_NOT_MODIFIED)
    forum.set_general_closed(w, chat, w.bot, closed)
    return True


@method("closeGeneralForumTopic")
def close_general_forum_topic(w: World, p: Params) -> bool:
    return _general_closed(w, p, True)


@method("reopenGeneralForumTopic")
def reopen_general_forum_topic(w: World, p: Params) -> bool:
    return _general_closed(w, p, False)


def _general_hidden(w: World, p: Params, hidden: bool) -> bool:
    chat = _manage_general(w, p, E.RIGHTS_CLOSE_TOPIC)
    if chat.general_hidden == hidden:
        raise bad_request(E.TOPIC_NOT_MODIFIED)
    forum.set_general_hidden(w, chat, w.bot, hidden)
    return True


@method("hideGeneralForumTopic")
def hide_general_forum_topic(w: World, p: Params) -> bool:
    return _general_hidden(w, p, True)


@method("unhideGeneralForumTopic")
def unhide_general_forum_topic(w: World, p: Params) -> bool:
    return _general_hidden(w, p, False)


@method("getForumTopicIconStickers")
def get_forum_topic_icon_stickers(w: World, p: Params) -> list[dict[str, Any]]:
    # Sticker's required fields (file_id, file_unique_id, type, width, height, is_animated,
    # is_video); custom emoji stickers carry custom_emoji_id, which createForumTopic takes.
    return [
        {
            "file_id": f"SBXEMOJI{emoji_id}",
            "file_unique_id": f"SBXUE{emoji_id[-6:]}",
            "type": "custom_emoji",
            "width": 100,
            "height": 100,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "custom_emoji_id": emoji_id,
        }
        for emoji_id, emoji in _ICON_EMOJI
    ]


__all__ = ["create_forum_topic"]
