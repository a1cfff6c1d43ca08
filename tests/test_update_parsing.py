"""A polled batch is parsed with PTB's attribute guard lifted: same objects, guard back after."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import TelegramObject, Update
from telegram.error import NetworkError
from telegram.ext import Defaults, ExtBot
from telegram.request import BaseRequest, RequestData
from telegram.warnings import PTBUserWarning

from bot.core import batch_parser, update_parsing
from bot.core.inbox import DurableBot

TOKEN = "123456:test-token"
WHEN = 1_790_000_000
GROUP = {"id": -1001, "type": "supergroup", "title": "Club", "is_forum": True}
ADA = {"id": 2**32 + 1, "is_bot": False, "first_name": "Ada", "language_code": "de"}
PRIVATE = {"id": ADA["id"], "type": "private", "first_name": "Ada"}
BASIC_GROUP = {"id": -77, "type": "group", "title": "Old club"}
CHANNEL = {"id": -1003, "type": "channel", "title": "News"}
BOT = {"id": 123456, "is_bot": True, "first_name": "Club Bot", "username": "club_bot"}


def without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def varied_updates() -> list[dict[str, Any]]:
    """One of each kind the bot asks for, with nested objects, entities and media."""
    message = {
        "message_id": 7,
        "date": WHEN,
        "chat": GROUP,
        "from": ADA,
        "text": "/rate@club_bot 5 great bread https://x.test",
        "entities": [
            {"type": "bot_command", "offset": 0, "length": 14},
            {"type": "url", "offset": 27, "length": 14},
        ],
        "message_thread_id": 3,
        "is_topic_message": True,
        "reply_to_message": {"message_id": 3, "date": WHEN - 9, "chat": GROUP, "from": BOT},
    }
    photo = {
        "message_id": 8,
        "date": WHEN,
        "chat": GROUP,
        "from": ADA,
        "media_group_id": "m1",
        "photo": [{"file_id": "f", "file_unique_id": "u", "width": 9, "height": 9}],
        "caption": "crumb",
    }
    member = {"user": ADA, "status": "member"}
    chat_text = {"message_id": 11, "date": WHEN, "chat": GROUP, "from": ADA, "text": "lovely rye"}
    command = {"type": "bot_command", "offset": 0, "length": 5}
    return [
        {"update_id": 1, "message": message},
        {"update_id": 2, "edited_message": {**message, "edit_date": WHEN + 5}},
        {"update_id": 3, "message": photo},
        {
            "update_id": 4,
            "callback_query": {
                "id": "q",
                "from": ADA,
                "chat_instance": "ci",
                "data": "v1:rate:9:5",
                "message": {"message_id": 9, "date": WHEN, "chat": GROUP, "from": BOT},
            },
        },
        {
            "update_id": 5,
            "chat_member": {
                "chat": GROUP,
                "from": ADA,
                "date": WHEN,
                "old_chat_member": {"user": ADA, "status": "left"},
                "new_chat_member": member,
                "invite_link": {
                    "invite_link": "https://t.me/+abc",
                    "creator": BOT,
                    "creates_join_request": False,
                    "is_primary": False,
                    "is_revoked": False,
                },
            },
        },
        {
            "update_id": 6,
            "poll": {
                "id": "p",
                "question": "Rye?",
                "options": [
                    {"persistent_id": "o1", "text": "yes", "voter_count": 2},
                    {"persistent_id": "o2", "text": "no", "voter_count": 0},
                ],
                "total_voter_count": 2,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            },
        },
        {
            "update_id": 7,
            "message_reaction": {
                "chat": GROUP,
                "message_id": 9,
                "user": ADA,
                "date": WHEN,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            },
        },
        {
            "update_id": 8,
            "chat_join_request": {
                "chat": GROUP,
                "from": ADA,
                "user_chat_id": ADA["id"],
                "date": WHEN,
                "bio": "baker",
            },
        },
        {"update_id": 9, "message": {**photo, "chat": PRIVATE}},
        {"update_id": 10, "message": {**message, "chat": PRIVATE}},  # a command in private
        {"update_id": 11, "message": {**chat_text, "chat": PRIVATE}},
        {"update_id": 12, "edited_message": {**chat_text, "chat": PRIVATE, "edit_date": WHEN}},
        {"update_id": 13, "message": chat_text},
        {"update_id": 14, "message": {**chat_text, "chat": BASIC_GROUP}},
        {"update_id": 15, "message": {**chat_text, "text": "/start JOIN-CODE", "chat": PRIVATE}},
        {"update_id": 16, "channel_post": {**without(chat_text, "from"), "chat": CHANNEL}},
        {
            "update_id": 17,
            "my_chat_member": {
                "chat": PRIVATE,
                "from": ADA,
                "date": WHEN,
                "old_chat_member": member,
                "new_chat_member": {"user": BOT, "status": "kicked", "until_date": 0},
            },
        },
        {
            "update_id": 18,
            "poll_answer": {
                "poll_id": "p",
                "user": ADA,
                "option_ids": [0],
                "option_persistent_ids": ["o1"],
            },
        },
        {
            "update_id": 19,
            "message_reaction_count": {
                "chat": GROUP,
                "message_id": 9,
                "date": WHEN,
                "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 3}],
            },
        },
        {"update_id": 20, "message": {**without(chat_text, "text"), "migrate_to_chat_id": -1002}},
        {"update_id": 21, "message": {**chat_text, "text": "/help", "entities": [command]}},
    ]


class Canned(BaseRequest):
    """Answers each request with the next canned result (or raises it); no network."""

    def __init__(self, answers: list[object]) -> None:
        self.answers = answers

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return 200, json.dumps({"ok": True, "result": answer}).encode()


BOT_FOR_TESTS = ExtBot(TOKEN, request=Canned([]))


def durable_bot(answers: list[object]) -> DurableBot:
    return DurableBot(TOKEN, request=Canned([]), get_updates_request=Canned(answers))


async def test_a_polled_batch_is_parsed_as_ptb_parses_it_and_comes_out_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = varied_updates()
    bot = durable_bot([raw])
    guard_while_parsing: list[bool] = []
    parse = batch_parser.BatchParser.parse

    def noting_parse(self: batch_parser.BatchParser, data: Any, bot: Any) -> tuple[Update, ...]:
        guard_while_parsing.append(update_parsing.guard_is_on())
        return parse(self, data, bot)

    monkeypatch.setattr(batch_parser.BatchParser, "parse", noting_parse)
    updates = await bot.get_updates(timeout=0)
    monkeypatch.undo()
    assert guard_while_parsing == [False]  # parsed with the guard lifted
    assert update_parsing.guard_is_on()  # and it is back
    stock = Update.de_list(raw, bot)  # the guard on: PTB's own way
    for update in stock:
        bot.insert_callback_data(update)  # as ExtBot.get_updates (it caches effective_*)
    assert [u.to_dict() for u in updates] == [u.to_dict() for u in stock]
    assert updates == stock
    for ours, ptbs in zip(updates, stock, strict=True):
        assert_built_alike(ours, ptbs)
    for update in updates:
        with pytest.raises(AttributeError):
            update.update_id = 0  # type: ignore[misc]
        message = update.effective_message
        if message is not None:
            with pytest.raises(AttributeError):
                message.text = "changed"  # type: ignore[misc]


async def test_the_guard_is_back_whatever_happens() -> None:
    # A batch PTB cannot parse (read one by one instead: the update becomes its id alone), a
    # network error, an empty answer.
    broken = [{"update_id": 1, "message": {"message_id": 1}}]  # no date, no chat
    bot = durable_bot([broken, NetworkError("down"), []])
    (skipped,) = await bot.get_updates(timeout=0)
    assert skipped.update_id == 1 and skipped.message is None
    assert update_parsing.guard_is_on()
    with pytest.raises(NetworkError):
        await bot.get_updates(timeout=0)
    assert update_parsing.guard_is_on()
    assert await bot.get_updates(timeout=0) == ()
    assert update_parsing.guard_is_on()


async def test_the_guard_is_back_on_the_next_turn_whoever_fetched() -> None:
    # getUpdates asked for without get_updates (a raw API call): nothing parses it, and the
    # guard is back as soon as the event loop turns.
    bot = durable_bot([varied_updates()])
    with pytest.warns(PTBUserWarning):  # PTB would rather we used get_updates
        answer = await bot.do_api_request("getUpdates", api_kwargs={"timeout": 0})
    assert len(answer) == len(varied_updates())
    await asyncio.sleep(0)
    assert update_parsing.guard_is_on()


def test_lifting_and_restoring_the_guard() -> None:
    update_parsing.lift_guard()
    try:
        assert not update_parsing.guard_is_on()
        assert TelegramObject.__setattr__ is object.__setattr__
    finally:
        update_parsing.restore_guard()
    assert update_parsing.guard_is_on()
    update_parsing.restore_guard()  # twice is harmless
    frozen = Update.de_json({"update_id": 5}, None)
    with pytest.raises(AttributeError):
        frozen.update_id = 6  # type: ignore[misc]


def assert_built_alike(ours: object, ptbs: object) -> None:
    assert batch_parser.unlike(ours, ptbs) is None


_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_users = st.fixed_dictionaries(
    {"id": st.integers(1, 2**52), "is_bot": st.booleans(), "first_name": _names},
    optional={
        "last_name": _names,
        "username": _names,
        "language_code": st.sampled_from(["de", "en", "fr", "nl", "pt-br"]),
        "is_premium": st.just(True),
        "some_future_field": st.integers(),  # unknown to PTB: its api_kwargs
    },
)
_chats = st.fixed_dictionaries(
    {"id": st.integers(-(2**52), -1), "type": st.sampled_from(["group", "supergroup"])},
    optional={"title": _names, "is_forum": st.booleans(), "username": _names},
)
_entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["bot_command", "url", "mention", "bold", "custom_emoji"]),
            "offset": st.integers(0, 50),
            "length": st.integers(1, 50),
        },
        optional={"custom_emoji_id": st.just("5368324170671202286")},
    ),
    max_size=3,
)
_photo_sizes = st.lists(
    st.fixed_dictionaries(
        {
            "file_id": st.text(min_size=1, max_size=5),
            "file_unique_id": st.text(min_size=1, max_size=5),
            "width": st.integers(1, 2000),
            "height": st.integers(1, 2000),
        },
        optional={"file_size": st.integers(1, 10**7)},
    ),
    max_size=3,
)
_small_messages = st.fixed_dictionaries(
    {"message_id": st.integers(1, 2**31), "date": st.integers(1, 2**32), "chat": _chats},
    optional={
        "from": _users,
        "text": st.text(max_size=10),
        "contact": st.just({"phone_number": "+49 30", "first_name": "Bea"}),
    },
)
_files = st.fixed_dictionaries(
    {
        "file_id": st.text(min_size=1, max_size=5),
        "file_unique_id": st.text(min_size=1, max_size=5),
    },
    optional={"file_size": st.integers(1, 10**9), "mime_type": st.just("audio/ogg")},
)
_messages = st.fixed_dictionaries(
    {
        "message_id": st.integers(1, 2**31),
        "date": st.integers(1, 2**32),
        "chat": _chats,
    },
    optional={
        "from": st.one_of(st.none(), _users),
        "sender_chat": _chats,
        "text": st.text(max_size=40),
        "entities": _entities,
        "caption": st.text(max_size=5),
        "caption_entities": _entities,
        "photo": _photo_sizes,
        "edit_date": st.integers(1, 2**32),
        # A plain reply takes the shortcut; one with a contact is PTB's to read.
        "reply_to_message": _small_messages,
        "quote": st.fixed_dictionaries(
            {"text": st.text(max_size=5), "position": st.integers(0, 9)},
            optional={"is_manual": st.just(True), "entities": _entities},
        ),
        "forward_origin": st.one_of(
            st.fixed_dictionaries(
                {"type": st.just("user"), "date": st.integers(1, 2**32), "sender_user": _users}
            ),
            st.fixed_dictionaries(
                {
                    "type": st.just("hidden_user"),
                    "date": st.integers(1, 2**32),
                    "sender_user_name": _names,
                }
            ),
        ),
        "link_preview_options": st.fixed_dictionaries(
            {}, optional={"is_disabled": st.booleans(), "url": st.just("https://x.test")}
        ),
        "message_thread_id": st.integers(1, 10**6),
        "is_topic_message": st.booleans(),
        "has_protected_content": st.booleans(),
        "media_group_id": st.text(max_size=5),
        "sender_boost_count": st.integers(0, 9),
        "document": _files,
        "voice": st.builds(lambda f, d: {**f, "duration": d}, _files, st.integers(0, 3600)),
        "left_chat_member": _users,
        # Not a message the shortcut takes: PTB's to parse, and the answer must not change.
        "contact": st.just({"phone_number": "+49 30", "first_name": "Bea"}),
        "poll": st.just(None),
    },
)
_kinds = st.sampled_from(["message", "edited_message", "channel_post", "edited_channel_post"])


BOTS_BY_ZONE = {
    zone: ExtBot(TOKEN, request=Canned([]), defaults=Defaults(tzinfo=zone) if zone else None)
    for zone in (None, ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"))
}


@given(
    messages=st.lists(st.tuples(_kinds, _messages), min_size=1, max_size=3),
    zone=st.sampled_from(list(BOTS_BY_ZONE)),
)
def test_a_message_is_built_as_ptb_builds_it(
    messages: list[tuple[str, dict[str, Any]]], zone: ZoneInfo | None
) -> None:
    bot = BOTS_BY_ZONE[zone]
    raw = [{"update_id": 100 + n, kind: m} for n, (kind, m) in enumerate(messages)]
    ours = batch_parser.BatchParser().parse(raw, bot)
    stock = Update.de_list(raw, bot)
    for mine, ptbs in zip(ours, stock, strict=True):
        assert_built_alike(mine, ptbs)
    assert [u.to_dict() for u in ours] == [u.to_dict() for u in stock]
    assert raw == [{"update_id": 100 + n, kind: m} for n, (kind, m) in enumerate(messages)]


def test_what_the_shortcut_does_not_take_goes_to_ptb(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = batch_parser.BatchParser()
    assert parser.parse([], None) == ()  # its first use checks the shortcut, with PTB
    taken_by_ptb: list[dict[str, Any]] = []
    de_json = Update.de_json

    def noting(data: Any, bot: Any = None) -> Update:
        taken_by_ptb.append(data)
        return de_json(data, bot)

    monkeypatch.setattr(Update, "de_json", noting)
    plain = {"message_id": 1, "date": WHEN, "chat": GROUP, "from": ADA, "text": "rye"}
    raw: list[dict[str, Any]] = [
        {"update_id": 1, "message": plain},
        {"update_id": 2, "edited_message": {**plain, "edit_date": WHEN, "caption": "x"}},
        {
            "update_id": 3,
            "message": {**plain, "contact": {"phone_number": "1", "first_name": "B"}},
        },
        {"update_id": 4, "message": {**plain, "date": 0}},  # PTB's inaccessible message
        {"update_id": 5, "message": plain, "unknown": 1},
        {"update_id": 6, "message": {**plain, "entities": None}},
        {"update_id": 7, "message": {**plain, "from": None}},
        {"update_id": 8, "callback_query": {"id": "q", "from": ADA, "chat_instance": "c"}},
    ]
    updates = parser.parse(raw, None)
    assert [u.update_id for u in updates] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert taken_by_ptb == raw[2:]
    broken = [{"update_id": 9, "message": without(plain, "message_id")}]
    with pytest.raises(TypeError):
        parser.parse(broken, None)  # PTB's own error, from PTB


def test_unlike_names_the_first_attribute_that_differs() -> None:
    plain = {"message_id": 1, "date": WHEN, "chat": GROUP, "from": ADA, "text": "rye"}
    one = Update.de_json({"update_id": 1, "message": plain}, None)
    same = Update.de_json({"update_id": 1, "message": plain}, None)
    renamed = Update.de_json(
        {"update_id": 1, "message": {**plain, "from": {**ADA, "first_name": "Bea"}}}, None
    )
    assert batch_parser.unlike(one, same) is None
    assert batch_parser.unlike(one, renamed) == "update.message.from_user.first_name"
    assert one == renamed  # why: PTB's == looks at ids only
    bound = Update.de_json({"update_id": 1, "message": plain}, BOT_FOR_TESTS)
    assert batch_parser.unlike(one, bound) == "update._bot"


def test_a_ptb_that_builds_messages_differently_gets_every_update(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    copy = batch_parser._Copier.copy

    def forgetting_text(self: batch_parser._Copier, **fields: Any) -> Any:
        fields.pop("text", None)  # as if PTB's Message set an attribute the copy does not
        return copy(self, **fields)

    monkeypatch.setattr(batch_parser._Copier, "copy", forgetting_text)
    monkeypatch.setattr(batch_parser, "_probed", None)  # probed once a process: again
    parser = batch_parser.BatchParser()
    raw = [
        {"update_id": 1, "message": {"message_id": 1, "date": WHEN, "chat": GROUP, "text": "x"}}
    ]
    (update,) = parser.parse(raw, None)
    assert update.message is not None and update.message.text == "x"
    assert "shortcut's probe differs at update.message.text" in caplog.text


def test_the_same_chat_and_sender_are_shared_until_something_changes_them() -> None:
    parser = update_parsing_parser()
    first = {"message_id": 1, "date": WHEN, "chat": GROUP, "from": ADA, "text": "rye"}
    raw = [
        {"update_id": 1, "message": first},
        {"update_id": 2, "message": {**first, "message_id": 2}},
        {"update_id": 3, "message": {**first, "from": {**ADA, "first_name": "Bea"}}},
    ]
    one, two, renamed = (u.message for u in parser.parse(raw, BOT_FOR_TESTS))
    assert one is not None and two is not None and renamed is not None
    assert one.chat is two.chat is renamed.chat and one.from_user is two.from_user
    assert renamed.from_user is not None and renamed.from_user.first_name == "Bea"
    # Another bot gets its own; one whose bot was changed, or unfrozen now, is not reused.
    other_bot = ExtBot(TOKEN, request=Canned([]))
    (again,) = parser.parse(raw[1:2], other_bot)
    assert again.message is not None and again.message.chat is not one.chat
    assert again.message.chat.get_bot() is other_bot
    assert batch_parser.unlike(again, Update.de_json(raw[1], other_bot)) is None
    assert one.from_user is not None
    one.from_user.set_bot(other_bot)
    (after_set_bot,) = parser.parse(raw[:1], BOT_FOR_TESTS)
    assert after_set_bot.message is not None and after_set_bot.message.from_user is not None
    assert after_set_bot.message.from_user.get_bot() is BOT_FOR_TESTS
    sender = after_set_bot.message.from_user
    with sender._unfrozen():
        (while_unfrozen,) = parser.parse(raw[:1], BOT_FOR_TESTS)
    assert while_unfrozen.message is not None and while_unfrozen.message.from_user is not sender


def test_values_equal_in_python_but_of_other_types_are_not_mixed_up() -> None:
    # True == 1 == 1.0 as dict keys; PTB keeps what was sent.
    parser = update_parsing_parser()
    sent = [
        {**ADA, "is_bot": False},
        {**ADA, "is_bot": 0},
        {**ADA, "id": float(ADA["id"])},
        {**ADA, "is_premium": True},
        {**ADA, "is_premium": 1},
    ]
    raw = [
        {"update_id": n, "message": {"message_id": n, "date": WHEN, "chat": GROUP, "from": u}}
        for n, u in enumerate(sent, start=1)
    ]
    for ours, ptbs in zip(parser.parse(raw, None), Update.de_list(raw, None), strict=True):
        assert_built_alike(ours, ptbs)


def test_an_invalid_update_fails_as_ptb_fails_and_deep_replies_are_ptbs() -> None:
    parser = update_parsing_parser()
    broken = {"message_id": 1, "chat": GROUP, "date": 5, "edit_date": 10**20, "from": {}}
    raw = [{"update_id": 1, "message": broken}]
    with pytest.raises(TypeError) as ptbs:
        Update.de_list(raw, None)
    with pytest.raises(TypeError) as ours:
        parser.parse(raw, None)
    assert str(ours.value) == str(ptbs.value)
    reply: dict[str, Any] = {"message_id": 1, "date": WHEN, "chat": GROUP}
    for depth in range(2, 5):
        reply = {"message_id": depth, "date": WHEN, "chat": GROUP, "reply_to_message": reply}
    deep = [{"update_id": 2, "message": reply}]
    (update,) = parser.parse(deep, None)
    assert_built_alike(update, Update.de_json(deep[0], None))


def update_parsing_parser() -> batch_parser.BatchParser:
    return batch_parser.BatchParser()
