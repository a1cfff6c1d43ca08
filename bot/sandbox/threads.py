"""Where a message lands: forum topics, the General topic and reply threads.

Shared by the bot's sends (methods.py) and people's messages (driver.py), so both follow
the same rules. Facts (Bot API 10.1 spec, and telegram-bot-api / tdlib behaviour):

* ``message_thread_id`` on a send: "Unique identifier for the target message thread (topic)
  of a forum; for forum supergroups and private chats of bots with forum topic mode enabled
  only". A thread that is not a topic of the chat answers 400 "message thread not found"
  (tdlib/telegram-bot-api#472, #447).
* A reply goes where the replied message is: "you never need to specify message_thread_id
  explicitly when replying" (levlam, tdlib/telegram-bot-api#447).
* A closed topic refuses messages with 400 "TOPIC_CLOSED" (seen by bots in the wild, e.g.
  Matt0550/TagEveryoneTelegramBot#26). Assumption: admins with can_manage_topics (and the
  owner) may still write there, as Telegram apps let them.
* The General topic has no thread id: messages there carry no message_thread_id. Outside
  topics, a reply in a supergroup carries the reply chain's root as message_thread_id
  *without* is_topic_message (tdlib/telegram-bot-api#447), which is why PTB only reuses a
  thread id when is_topic_message is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.errors import THREAD_NOT_FOUND, TOPIC_CLOSED, SandboxError, bad_request
from bot.sandbox.forum import may_manage_topics
from bot.sandbox.models import SimChat, SimUser
from bot.sandbox.world import World


@dataclass(frozen=True)
class Placement:
    """``thread_id``: the forum topic (None = General / no topics); ``reply_thread``: the
    reply chain's root outside topics (supergroups only)."""

    thread_id: int | None = None
    reply_thread: int | None = None


def _thread_of_reply(chat: SimChat, reply_to: int | None) -> tuple[int | None, int | None]:
    """(topic, reply-thread root) of the message replied to."""
    if reply_to is None:
        return None, None
    target = chat.messages.get(reply_to)
    if target is None:
        return None, None
    if chat.is_forum and target.thread_id is not None:
        return target.thread_id, None
    return None, target.reply_thread or target.message_id


def place(
    w: World,
    chat: SimChat,
    sender: SimUser,
    thread_param: int | None,
    reply_to: int | None,
    *,
    for_person: bool = False,
) -> Placement:
    """Where a message from ``sender`` goes, or the error Telegram gives (SandboxError with
    reason "topic_closed"/"no_such_topic" when a person acts, since apps prevent it)."""

    def refuse(text: str, reason: str) -> Exception:
        if for_person:
            return SandboxError(reason, f"{sender.first_name} cannot post: {text}")
        return bad_request(text)

    if thread_param in (None, 0):
        thread_param = None
    if chat.type not in ("supergroup",):
        if thread_param is not None:
            raise refuse(THREAD_NOT_FOUND, "no_such_topic")
        return Placement()
    reply_topic, reply_root = _thread_of_reply(chat, reply_to)
    if not chat.is_forum:
        if thread_param is not None:
            root = chat.messages.get(thread_param)
            if root is None or root.deleted:
                raise refuse(THREAD_NOT_FOUND, "no_such_topic")
            return Placement(reply_thread=root.reply_thread or root.message_id)
        return Placement(reply_thread=reply_root)
    thread = thread_param if thread_param is not None else reply_topic
    if thread is not None:
        topic = chat.topics.get(thread)
        if topic is None:
            raise refuse(THREAD_NOT_FOUND, "no_such_topic")
        closed = topic.closed
    else:
        closed = chat.general_closed
    if closed and not may_manage_topics(w, chat, sender):
        raise refuse(TOPIC_CLOSED, "topic_closed")
    if thread is None:
        return Placement(reply_thread=reply_root)  # General works like a plain supergroup
    return Placement(thread_id=thread)


__all__ = ["Placement", "place"]
