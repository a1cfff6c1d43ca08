"""Forum topics as every feature meets them: where a message was written, what it answers.

In a forum supergroup every message of a topic carries ``message_thread_id`` with
``is_topic_message``; a message that answers nothing still has ``reply_to_message`` set to
the topic's first message (the forum_topic_created service message), because Telegram keeps
topics as reply threads of that message. Outside topics (the General topic, groups without
topics) a reply may carry a ``message_thread_id`` too, without ``is_topic_message``: the root
of its reply chain, not a topic. These helpers say what a feature means to ask.
"""

from __future__ import annotations

from typing import Protocol

from telegram import Message


def topic_of(message: Message) -> int | None:
    """The forum topic ``message`` was written in; None for General and groups without topics.

    Messages in the General topic count as the group's, like messages of a group without
    topics.
    """
    return message.message_thread_id if message.is_topic_message else None


def replied_to(message: Message) -> Message | None:
    """The message ``message`` really answers: not the topic's first message that Telegram
    sets on every message of a topic (a /warn typed in a topic must not target whoever
    created the topic)."""
    replied = message.reply_to_message
    if replied is None:
        return None
    if replied.forum_topic_created is not None:
        return None
    if message.is_topic_message and replied.message_id == message.message_thread_id:
        return None
    return replied


class PostsTopic(Protocol):
    """Where the club's posts (previews, polls) go in a forum group.

    The forum feature provides it; core code only asks for the thread and reports a thread
    Telegram refused, so it never depends on the feature.
    """

    async def thread_id(self) -> int | None:
        """The topic to post in; None for the General topic (or a group without topics)."""
        ...

    async def refused(self, thread_id: int, reason: str) -> None:
        """Telegram refused a post into ``thread_id`` (topic deleted or closed)."""
        ...


class GeneralTopic:
    """No posts topic configured: everything goes to General (or the plain group)."""

    async def thread_id(self) -> int | None:
        return None

    async def refused(self, thread_id: int, reason: str) -> None:
        return None


# Why Telegram refused a send into a topic, from its error text (PTB keeps only the text):
# "Bad Request: message thread not found" for a deleted topic, "Bad Request: TOPIC_CLOSED"
# for a closed one (the sandbox's errors.py cites where these texts come from).
TOPIC_GONE = "gone"
TOPIC_CLOSED = "closed"


def topic_refusal(error_text: str) -> str | None:
    """TOPIC_GONE, TOPIC_CLOSED, or None when the error is not about the topic."""
    text = error_text.lower()
    if "message thread not found" in text or "topic_id_invalid" in text:
        return TOPIC_GONE
    if "topic_closed" in text:
        return TOPIC_CLOSED
    return None
