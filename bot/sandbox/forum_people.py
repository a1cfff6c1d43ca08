"""What people do with forum topics in a Telegram app, for tests and the demo.

A mixin of the Sandbox (driver.py, see people_base.py): each action changes the world
through forum.py, exactly as the bot's methods do, and delivers the service message it
leaves to the bot (service messages reach bots whatever their privacy mode). Apps do not
offer what a person may not do, so a refused action is a SandboxError (reason "no_rights",
"not_forum", "no_such_topic", "not_modified"), not a Bot API error.
"""

from __future__ import annotations

from bot.sandbox import forum
from bot.sandbox.errors import SandboxError
from bot.sandbox.models import ForumTopic, SentMessage, SimChat, SimUser
from bot.sandbox.people_base import PeopleBase

TopicRef = ForumTopic | int


class ForumPeople(PeopleBase):
    """People's topic actions."""

    # --- set-up and reading ----------------------------------------------------------------
    def topics(self, chat: SimChat) -> list[ForumTopic]:
        return list(chat.topics.values())

    def topic_named(self, chat: SimChat, name: str) -> ForumTopic | None:
        return next((t for t in chat.topics.values() if t.name == name), None)

    def messages_in_topic(self, chat: SimChat, topic: TopicRef | None) -> list[SentMessage]:
        """Messages of one topic (None: the General topic), the bot's and people's."""
        return [m for m in forum.messages_in_topic(chat, _id(topic)) if not m.deleted]

    # --- acting ----------------------------------------------------------------------------
    def create_topic(
        self, user: SimUser, chat: SimChat, name: str, icon_color: int | None = None
    ) -> ForumTopic:
        self._require_forum(chat)
        if not forum.may_create_topics(self.world, chat, user):
            raise SandboxError("no_rights", f"{user.first_name} may not create topics")
        topic, msg = forum.create_topic(self.world, chat, user, name, icon_color)
        self._deliver_message(chat, msg)
        return topic

    def rename_topic(self, user: SimUser, chat: SimChat, topic: TopicRef, name: str) -> None:
        found = self._editable(user, chat, topic)
        if found.name == name:
            raise SandboxError("not_modified", "the topic already has that name")
        self._deliver_message(chat, forum.edit_topic(self.world, chat, user, found, name, None))

    def close_topic(self, user: SimUser, chat: SimChat, topic: TopicRef) -> None:
        self._set_closed(user, chat, topic, True)

    def reopen_topic(self, user: SimUser, chat: SimChat, topic: TopicRef) -> None:
        self._set_closed(user, chat, topic, False)

    def delete_topic(self, user: SimUser, chat: SimChat, topic: TopicRef) -> None:
        """Deleting leaves no service message: the topic and its messages are gone."""
        found = self._editable(user, chat, topic)
        forum.delete_topic(self.world, chat, found)

    def close_general(self, user: SimUser, chat: SimChat) -> None:
        self._general_admin(user, chat)
        if chat.general_closed:
            raise SandboxError("not_modified", "General is already closed")
        self._deliver_message(chat, forum.set_general_closed(self.world, chat, user, True))

    def reopen_general(self, user: SimUser, chat: SimChat) -> None:
        self._general_admin(user, chat)
        if not chat.general_closed:
            raise SandboxError("not_modified", "General is open")
        self._deliver_message(chat, forum.set_general_closed(self.world, chat, user, False))

    def hide_general(self, user: SimUser, chat: SimChat) -> None:
        self._general_admin(user, chat)
        if chat.general_hidden:
            raise SandboxError("not_modified", "General is already hidden")
        self._deliver_message(chat, forum.set_general_hidden(self.world, chat, user, True))

    def unhide_general(self, user: SimUser, chat: SimChat) -> None:
        self._general_admin(user, chat)
        if not chat.general_hidden:
            raise SandboxError("not_modified", "General is visible")
        self._deliver_message(chat, forum.set_general_hidden(self.world, chat, user, False))

    # --- checks ----------------------------------------------------------------------------
    def _require_forum(self, chat: SimChat) -> None:
        if not chat.is_forum:
            raise SandboxError("not_forum", f"{chat.title} has no topics")

    def _editable(self, user: SimUser, chat: SimChat, topic: TopicRef) -> ForumTopic:
        self._require_forum(chat)
        found = chat.topics.get(_id(topic) or 0)
        if found is None:
            raise SandboxError("no_such_topic", f"no topic {_id(topic)} in {chat.title}")
        if not forum.may_edit_topic(self.world, chat, user, found):
            raise SandboxError("no_rights", f"{user.first_name} may not manage this topic")
        return found

    def _set_closed(self, user: SimUser, chat: SimChat, topic: TopicRef, closed: bool) -> None:
        found = self._editable(user, chat, topic)
        if found.closed == closed:
            state = "closed" if closed else "open"
            raise SandboxError("not_modified", f"the topic is already {state}")
        self._deliver_message(chat, forum.set_topic_closed(self.world, chat, user, found, closed))

    def _general_admin(self, user: SimUser, chat: SimChat) -> None:
        self._require_forum(chat)
        if not forum.may_manage_topics(self.world, chat, user):
            raise SandboxError("no_rights", f"{user.first_name} may not manage topics")


def _id(topic: TopicRef | None) -> int | None:
    return topic.thread_id if isinstance(topic, ForumTopic) else topic


__all__ = ["ForumPeople", "TopicRef"]
