"""A fetched batch of updates parsed without PTB's attribute guard, the larger half of its cost.

PTB builds every Telegram object by assigning its attributes one by one, each through
``TelegramObject.__setattr__``: a guard in Python that refuses assignments to a *frozen*
object. PTB freezes an object at the end of its ``__init__``, so while a batch is parsed the
guard is only ever asked about objects still being built, and only ever says yes. Being a
Python call it still costs ~0.2 µs per attribute, some 200 per group message: ~40 of the
~120 µs PTB spends parsing one, the largest single item of this bot's event-loop time in the
e2e benchmark (a py-spy profile put the guard at 22% of the event loop's busy time).

``lift_guard`` swaps the guard for ``object.__setattr__`` (the same assignment, done in C)
when getUpdates' answer has arrived, and ``restore_guard`` puts it back once PTB has parsed
it. PTB parses the answer right after ``_post`` returns it, with no await in between
(``Bot.get_updates``: ``Update.de_list``; ``ExtBot.get_updates``: callback data), so no other
code runs while the guard is off, and the objects come out identical and frozen as always
(``tests/test_update_parsing.py``). ``DurableBot`` also has the event loop's next turn put
the guard back, so a getUpdates answer nobody parses (a raw API call) cannot leave it off.
Only the polling path uses it; a webhook update and a replayed one are parsed with the guard
on, as before.

``parse_batch`` is PTB's ``Update.de_list`` with one shortcut: a plain message (text, sender,
chat, date, entities, topic; nine in ten updates of a busy group) is built by calling
``Update``'s and ``Message``'s constructors directly. PTB's ``Message.de_json`` first looks up
~90 optional fields one by one (each ``de_json_optional`` call a Python call that returns
None), copies the dict and converts the date, which costs more than building the object: 45
against 17 µs a message. The shortcut does only what those lookups would have found, with
PTB's own helpers for the nested objects and the date, and anything else goes to PTB:
``tests/test_update_parsing.py`` compares every attribute of both parses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from telegram import Bot, Chat, Message, MessageEntity, TelegramObject, Update, User
from telegram._utils.datetime import extract_tzinfo_from_defaults

_GUARD: Any = TelegramObject.__dict__["__setattr__"]


def lift_guard() -> None:
    """Build Telegram objects with plain attribute assignment until ``restore_guard``."""
    if TelegramObject.__dict__.get("__setattr__") is _GUARD:
        # object's own slot: CPython then assigns in C, without a Python call per attribute.
        TelegramObject.__setattr__ = object.__setattr__  # type: ignore[method-assign,assignment]


def restore_guard() -> None:
    """Frozen Telegram objects refuse assignments again (a no-op if the guard is on)."""
    if TelegramObject.__dict__.get("__setattr__") is not _GUARD:
        TelegramObject.__setattr__ = _GUARD  # type: ignore[method-assign]


def guard_is_on() -> bool:
    return TelegramObject.__dict__.get("__setattr__") is _GUARD


# What a plain message may carry to take the shortcut; anything else is PTB's to parse.
_PLAIN_MESSAGE_KEYS = frozenset(
    {
        "message_id",
        "date",
        "chat",
        "from",
        "text",
        "entities",
        "message_thread_id",
        "is_topic_message",
    }
)


def parse_batch(items: Sequence[Any], bot: Bot | None) -> tuple[Update, ...]:
    """``Update.de_list(items, bot)``, the same objects, a plain message built directly."""
    zone = extract_tzinfo_from_defaults(bot)
    updates = []
    for item in items:
        update = _plain_message_update(item, bot, zone)
        updates.append(Update.de_json(item, bot) if update is None else update)
    return tuple(updates)


def _plain_message_update(item: Any, bot: Bot | None, zone: tzinfo | None) -> Update | None:
    """``{"update_id", "message"}`` whose message has nothing but ``_PLAIN_MESSAGE_KEYS``
    built as PTB's de_json would, or None for PTB to parse."""
    if type(item) is not dict or len(item) != 2:
        return None
    data = item.get("message")
    if type(data) is not dict or not data.keys() <= _PLAIN_MESSAGE_KEYS or "update_id" not in item:
        return None
    chat, date, sender, entities = data.get("chat"), data.get("date"), data.get("from"), None
    if type(chat) is not dict or type(date) is not int or date == 0 or "message_id" not in data:
        return None  # PTB's own errors, or its InaccessibleMessage (a zero date)
    if "entities" in data:
        entities = data["entities"]
        if type(entities) is not list:
            return None
        entities = MessageEntity.de_list(entities, bot)
    message = Message(
        message_id=data["message_id"],  # as sent, unchecked, as PTB does
        date=datetime.fromtimestamp(date, tz=UTC if zone is None else zone),  # as PTB's
        chat=Chat.de_json(chat, bot),
        from_user=None if sender is None else User.de_json(sender, bot),
        text=data.get("text"),
        entities=entities,
        message_thread_id=data.get("message_thread_id"),
        is_topic_message=data.get("is_topic_message"),
    )
    message.set_bot(bot)
    update = Update(update_id=item["update_id"], message=message)
    update.set_bot(bot)
    return update
