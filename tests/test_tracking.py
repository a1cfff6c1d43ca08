"""Tracking without Telegram: the handler runs only for updates that may change what it keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from telegram import (
    CallbackQuery,
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
from bot.core.late_window import LateMark, LateWindows
from bot.db.recent_erasures_repo import RecentErasure

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
GROUP = Chat(-100123, Chat.SUPERGROUP)
ADA = User(2**32 + 1, "Ada", is_bot=False, username="ada_bakes", language_code="en")


class _People:
    """The rows tracking writes behind (``defer_upsert``), kept for the test to read."""

    def __init__(self) -> None:
        self.upserts: list[tuple[Any, ...]] = []

    def defer_upsert(self, user_id: int, *identity: Any, is_bot: bool, now: int) -> None:
        self.upserts.append((user_id, *identity))


class _Windows:
    """The late window's rows, never written here (the window itself is what is tested)."""

    def defer_update(self, *row: Any) -> None: ...
    def defer_delete(self, *row: Any) -> None: ...
    def defer_prune(self, *row: Any) -> None: ...


def tracking() -> Tracking:
    late = LateWindows(cast(Any, _Windows()), cast(Any, None))
    services = SimpleNamespace(erasure=ErasureRegistry(late), people=_People(), now_ts=lambda: 1)
    return Tracking(cast(Any, services))


def erased(memory: Tracking, user_id: int, now: int) -> None:
    window = RecentErasure("hash", now, late=True, removal=False)
    memory._services.erasure.late.opened(LateMark(user_id, window, cast(Any, _Windows())))


def upserts(memory: Tracking) -> list[tuple[Any, ...]]:
    people = memory._services.people
    assert isinstance(people, _People)
    return people.upserts


def post(user: User, chat: Chat = GROUP) -> Update:
    return Update(1, message=Message(1, WHEN, chat, from_user=user, text="hi"))


def test_a_member_in_the_group_is_noted_without_calling_track() -> None:
    memory = tracking()
    # First message: she is noted at once (written behind), nothing left for track().
    assert not memory.may_change(post(ADA))
    assert memory.seen[ADA.id] == ("Ada", None, "ada_bakes", "en")
    assert upserts(memory) == [(ADA.id, "Ada", None, "ada_bakes", "en")]
    assert not memory.may_change(post(ADA))  # the common case: nothing to do
    assert len(upserts(memory)) == 1
    renamed = User(ADA.id, "Ada", is_bot=False, username="ada_cakes", language_code="en")
    assert not memory.may_change(post(renamed))
    assert upserts(memory)[-1] == (ADA.id, "Ada", None, "ada_cakes", "en")
    assert not memory.may_change(Update(3))  # no user at all
    assert len(upserts(memory)) == 2


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


def test_an_update_without_language_code_keeps_the_known_language() -> None:
    # language_code is optional in Telegram's User; some updates leave it out. That is no
    # change of language: nothing is written, and the known "en" stays.
    memory = tracking()
    assert not memory.may_change(post(ADA))
    silent = User(ADA.id, "Ada", is_bot=False, username="ada_bakes")
    assert not memory.may_change(post(silent))
    assert memory.seen[ADA.id] == ("Ada", None, "ada_bakes", "en")
    assert len(upserts(memory)) == 1
    # A rename in such an update is written with the language still known.
    renamed = User(ADA.id, "Ada", is_bot=False, username="ada_cakes")
    assert not memory.may_change(post(renamed))
    assert upserts(memory)[-1] == (ADA.id, "Ada", None, "ada_cakes", "en")


def test_what_arrives_just_after_an_erasure_is_not_noted_until_she_writes() -> None:
    memory = tracking()
    erased(memory, ADA.id, 1)
    private = Chat(ADA.id, Chat.PRIVATE)
    question = Message(5, WHEN, private, text="Forget me?")
    second_yes = CallbackQuery("q", ADA, "i", message=question, data="v1:forget:yes")
    assert not memory.may_change(Update(5, callback_query=second_yes))
    late_edit = Message(2, WHEN, GROUP, from_user=ADA, text="edited before")
    assert not memory.may_change(Update(6, edited_message=late_edit))
    assert upserts(memory) == [] and ADA.id not in memory.seen
    # A new message of hers (handled after the erasure, so written after it): known again.
    assert not memory.may_change(post(ADA))
    assert upserts(memory) == [(ADA.id, "Ada", None, "ada_bakes", "en")]
