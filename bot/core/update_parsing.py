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

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from types import MappingProxyType
from typing import Any

import telegram
from telegram import Bot, Chat, Message, MessageEntity, TelegramObject, Update, User
from telegram._utils.datetime import extract_tzinfo_from_defaults

log = logging.getLogger(__name__)

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

# Chats and senders kept for reuse; a busy group has one chat and a few hundred voices.
_KNOWN_LIMIT = 4_096

_EPOCH = datetime.fromtimestamp(0, tz=UTC)


class BatchParser:
    """``Update.de_list``, the same objects, with a shortcut for plain messages.

    A plain message's ``Update`` and ``Message`` are copies of ones PTB built (every slot,
    private ones included), then given the fields the message carries: PTB's ``__init__``
    sets ~120 attributes one by one, most of them to None, and checks ~25 sequences. Its
    chat and sender are built once by PTB's own ``de_json`` and shared by the updates that
    carry the same JSON (Telegram objects are frozen). At first use a probe message is built
    both ways and compared attribute by attribute: if a PTB release builds messages
    differently, every update goes to PTB, with a warning in the log.
    """

    def __init__(self) -> None:
        self._known: dict[
            tuple[type[TelegramObject], tuple[Any, ...]], tuple[Bot | None, Any]
        ] = {}
        self._shortcut_checked = False
        self._shortcut_works = False
        self._message_copy: _Copier | None = None
        self._update_copy: _Copier | None = None

    def parse(self, items: Sequence[Any], bot: Bot | None) -> tuple[Update, ...]:
        if not self._shortcut_checked:
            self._shortcut_checked = True
            self._shortcut_works = self._check_shortcut()
        if not self._shortcut_works:
            return Update.de_list(items, bot)  # type: ignore[arg-type]
        zone = extract_tzinfo_from_defaults(bot)
        updates = []
        for item in items:
            update = self._plain_message_update(item, bot, zone)
            updates.append(Update.de_json(item, bot) if update is None else update)
        return tuple(updates)

    def _plain_message_update(
        self, item: Any, bot: Bot | None, zone: tzinfo | None
    ) -> Update | None:
        """``{"update_id", "message"}`` whose message has nothing but ``_PLAIN_MESSAGE_KEYS``
        built as PTB's de_json would, or None for PTB to parse."""
        if type(item) is not dict or len(item) != 2:
            return None
        data = item.get("message")
        if type(data) is not dict or not data.keys() <= _PLAIN_MESSAGE_KEYS:
            return None
        if "update_id" not in item or "message_id" not in data:
            return None  # PTB's own errors
        chat, date, sender = data.get("chat"), data.get("date"), data.get("from")
        if type(chat) is not dict or type(date) is not int or date == 0:
            return None  # PTB's own errors, or its InaccessibleMessage (a zero date)
        entities: tuple[MessageEntity, ...] = ()
        if "entities" in data:
            if type(data["entities"]) is not list:
                return None
            entities = MessageEntity.de_list(data["entities"], bot)
        assert self._message_copy is not None and self._update_copy is not None
        message_id = data["message_id"]  # as sent, unchecked, as PTB does
        the_chat = self._known_object(Chat, chat, bot)
        message = self._message_copy.copy(
            message_id=message_id,
            date=datetime.fromtimestamp(date, tz=UTC if zone is None else zone),  # as PTB
            chat=the_chat,
            from_user=None if sender is None else self._known_object(User, sender, bot),
            text=data.get("text"),
            entities=entities,
            message_thread_id=data.get("message_thread_id"),
            is_topic_message=data.get("is_topic_message"),
            _id_attrs=(message_id, the_chat),
            _bot=bot,
        )
        update_id = item["update_id"]
        return self._update_copy.copy(  # type: ignore[no-any-return]
            update_id=update_id, message=message, _id_attrs=(update_id,), _bot=bot
        )

    def _known_object(self, cls: type[TelegramObject], data: Any, bot: Bot | None) -> Any:
        """PTB's ``cls.de_json(data, bot)``, shared by the updates that carry the same JSON."""
        try:
            key = (cls, tuple(data.items()))
            known = self._known.get(key)
        except (AttributeError, TypeError):  # not a dict, or a value that is (a nested one)
            return cls.de_json(data, bot)
        if known is None or known[0] is not bot:
            if len(self._known) >= _KNOWN_LIMIT:
                self._known.clear()
            known = self._known[key] = (bot, cls.de_json(data, bot))
        return known[1]

    def _check_shortcut(self) -> bool:
        """Build a probe message both ways; the shortcut only if they come out alike."""
        try:
            self._message_copy = _Copier(
                Message(message_id=1, date=_EPOCH, chat=Chat(id=1, type=Chat.PRIVATE))
            )
            self._update_copy = _Copier(Update(update_id=1))
            probe = {
                "update_id": 7,
                "message": {
                    "message_id": 3,
                    "date": 1_790_000_000,
                    "chat": {"id": -1001, "type": "supergroup", "title": "Club"},
                    "from": {"id": 9, "is_bot": False, "first_name": "Ada", "x_new": 1},
                    "text": "/rate 5",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                    "message_thread_id": 4,
                    "is_topic_message": True,
                },
            }
            ours = self._plain_message_update(probe, None, None)
            difference = "not taken" if ours is None else unlike(ours, Update.de_json(probe))
        except Exception as exc:  # a PTB release that no longer fits: PTB parses
            difference = repr(exc)
        if difference is not None:
            log.warning(
                "Plain messages are parsed by PTB's de_json: the shortcut's probe differs "
                "at %s (python-telegram-bot %s)",
                difference,
                telegram.__version__,
            )
        self._known.clear()
        return difference is None


class _Copier:
    """Objects of one Telegram class made as a copy of one PTB built, slot by slot."""

    def __init__(self, sample: TelegramObject) -> None:
        cls = type(sample)
        self._new = cls.__new__
        self._cls = cls
        slots = _slots(cls)
        self._defaults = tuple((slot.__set__, slot.__get__(sample)) for slot in slots.values())
        self._setters = {name: slot.__set__ for name, slot in slots.items()}

    def copy(self, **fields: Any) -> Any:
        obj = self._new(self._cls)
        for set_slot, value in self._defaults:
            set_slot(obj, value)
        setters = self._setters
        for name, value in fields.items():
            setters[name](obj, value)
        return obj


def _slots(cls: type) -> dict[str, Any]:
    """The slot descriptors of a class and its bases, by name."""
    return {
        name: klass.__dict__[name]
        for klass in reversed(cls.__mro__)
        for name in klass.__dict__.get("__slots__", ())
        if name != "__weakref__"
    }


def unlike(ours: object, theirs: object, where: str = "update") -> str | None:
    """Where two parses differ (the first attribute path found), None if they are alike:
    the same classes and, slot by slot down the nested objects, equal values."""
    if type(ours) is not type(theirs):
        return where
    if isinstance(ours, TelegramObject):
        for name in _slots(type(ours)):
            mine, their = getattr(ours, name), getattr(theirs, name)
            if name == "_bot":
                if mine is not their:
                    return f"{where}.{name}"
            elif (difference := unlike(mine, their, f"{where}.{name}")) is not None:
                return difference
        return None
    if isinstance(ours, tuple):
        assert isinstance(theirs, tuple)
        if len(ours) != len(theirs):
            return where
        for index, (mine, their) in enumerate(zip(ours, theirs, strict=True)):
            if (difference := unlike(mine, their, f"{where}[{index}]")) is not None:
                return difference
        return None
    if isinstance(ours, datetime):
        assert isinstance(theirs, datetime)
        return None if ours == theirs and ours.tzinfo == theirs.tzinfo else where
    if isinstance(ours, MappingProxyType):
        return None if dict(ours) == dict(theirs) else where  # type: ignore[call-overload]
    return None if ours == theirs else where
