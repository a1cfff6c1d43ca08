"""Tracking without Telegram: the handler runs only for updates that may change what it keeps."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import (
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    Update,
    User,
)

from bot.basics.tracking import _WhenChanged

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
GROUP = Chat(-100123, Chat.SUPERGROUP)
ADA = User(2**32 + 1, "Ada", is_bot=False, username="ada_bakes", language_code="en")


def post(user: User, chat: Chat = GROUP) -> Update:
    return Update(1, message=Message(1, WHEN, chat, from_user=user, text="hi"))


def test_a_known_member_writing_again_is_skipped() -> None:
    seen: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    started: set[int] = set()
    handler = _WhenChanged(seen, started)
    assert handler.check_update(post(ADA))  # first time: remember her
    seen[ADA.id] = ("Ada", None, "ada_bakes", "en")
    assert not handler.check_update(post(ADA))  # the common case: nothing to do
    renamed = User(ADA.id, "Ada", is_bot=False, username="ada_cakes", language_code="en")
    assert handler.check_update(post(renamed))
    assert not handler.check_update(Update(3))  # no user at all


def test_private_chats_and_member_updates_always_count() -> None:
    seen = {ADA.id: ("Ada", None, "ada_bakes", "en")}
    started: set[int] = set()
    handler = _WhenChanged(seen, started)
    private = Chat(ADA.id, Chat.PRIVATE)
    assert handler.check_update(post(ADA, private))  # she has started the bot: note it
    started.add(ADA.id)
    assert not handler.check_update(post(ADA, private))
    blocked = ChatMemberUpdated(
        private, ADA, WHEN, ChatMemberMember(ADA), ChatMemberBanned(ADA, WHEN)
    )
    assert handler.check_update(Update(2, my_chat_member=blocked))
    joined = ChatMemberUpdated(GROUP, ADA, WHEN, ChatMemberMember(ADA), ChatMemberMember(ADA))
    assert handler.check_update(Update(4, chat_member=joined))
