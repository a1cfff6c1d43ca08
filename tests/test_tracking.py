"""Tracking without Telegram: the handler runs only for updates that may change what it keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from telegram import (
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    Update,
    User,
)

from bot.basics import Tracking
from bot.core.erasure import ErasureRegistry

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
GROUP = Chat(-100123, Chat.SUPERGROUP)
ADA = User(2**32 + 1, "Ada", is_bot=False, username="ada_bakes", language_code="en")


def tracking() -> Tracking:
    # may_change reads only its own memory; the services are there for track().
    return Tracking(cast(Any, SimpleNamespace(erasure=ErasureRegistry())))


def post(user: User, chat: Chat = GROUP) -> Update:
    return Update(1, message=Message(1, WHEN, chat, from_user=user, text="hi"))


def test_a_known_member_writing_again_is_skipped() -> None:
    memory = tracking()
    assert memory.may_change(post(ADA))  # first time: remember her
    memory.seen[ADA.id] = ("Ada", None, "ada_bakes", "en")
    assert not memory.may_change(post(ADA))  # the common case: nothing to do
    renamed = User(ADA.id, "Ada", is_bot=False, username="ada_cakes", language_code="en")
    assert memory.may_change(post(renamed))
    assert not memory.may_change(Update(3))  # no user at all


def test_private_chats_and_member_updates_always_count() -> None:
    memory = tracking()
    memory.seen[ADA.id] = ("Ada", None, "ada_bakes", "en")
    private = Chat(ADA.id, Chat.PRIVATE)
    assert memory.may_change(post(ADA, private))  # she has started the bot: note it
    memory.started.add(ADA.id)
    assert not memory.may_change(post(ADA, private))
    blocked = ChatMemberUpdated(
        private, ADA, WHEN, ChatMemberMember(ADA), ChatMemberBanned(ADA, WHEN)
    )
    assert memory.may_change(Update(2, my_chat_member=blocked))
    joined = ChatMemberUpdated(GROUP, ADA, WHEN, ChatMemberMember(ADA), ChatMemberMember(ADA))
    assert memory.may_change(Update(4, chat_member=joined))
