"""What every mixin of people's actions shares: the world, and how a person's message
reaches the bot.

The Sandbox (driver.py) is assembled from these mixins: people_messages.py (writing, buttons,
polls, reactions), people_membership.py (joining, leaving, blocking, migration) and
forum_people.py (topics). Each acts on ``world`` exactly like the matching action in a
Telegram app and queues the update(s) the bot would receive.
"""

from __future__ import annotations

from typing import Any

from bot.core.clock import Clock
from bot.sandbox.errors import SandboxError
from bot.sandbox.models import SentMessage, SimChat, SimUser
from bot.sandbox.world import World

ChatLike = SimChat | SimUser


class PeopleBase:
    """State the Sandbox sets in ``__init__``, and the delivery rules all actions share."""

    world: World
    clock: Clock
    bot_user: SimUser

    def _chat(self, chat_or_user: ChatLike | int) -> SimChat:
        if isinstance(chat_or_user, SimUser):
            return self.world.private_chat(chat_or_user)
        if isinstance(chat_or_user, int):
            chat = self.world.chats.get(chat_or_user)
            if chat is None:
                raise SandboxError("no_such_chat", f"no chat {chat_or_user}")
            return chat
        return chat_or_user

    def _now_ts(self) -> int:
        return int(self.clock.now().timestamp())

    def _deliver_message(self, chat: SimChat, msg: SentMessage, kind: str = "message") -> None:
        """Queue a person's message, honouring privacy mode in groups."""
        if chat.type != "private" and not self._bot_sees(chat, msg):
            return
        if chat.type != "private" and not self.world.is_in_chat(chat, self.bot_user):
            return
        self.world.enqueue(kind, self.world.message_json(msg))

    def _bot_sees(self, chat: SimChat, msg: SentMessage) -> bool:
        """Privacy mode: without can_read_all_group_messages a non-admin bot only gets
        commands, replies to its own messages and service messages (Bot API FAQ)."""
        if self.world.can_read_all_group_messages or msg.service:
            return True
        if self.world.bot_rights(chat).status in ("administrator", "creator"):
            return True
        content = msg.content or ""
        if content.startswith("/"):
            return True
        if msg.reply_to is not None:
            target = chat.messages.get(msg.reply_to)
            return target is not None and target.by_bot
        return False

    def _service_message(self, chat: SimChat, user: SimUser, service: dict[str, Any]) -> None:
        msg = self.world.store_message(chat, user, service=service)
        self._deliver_message(chat, msg)


__all__ = ["ChatLike", "PeopleBase"]
