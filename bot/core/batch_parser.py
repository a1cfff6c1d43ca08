"""A polled batch of updates parsed as PTB parses it, common messages without PTB's detour.

PTB's ``Message.de_json`` looks up ~90 optional fields one by one (a Python call each that
returns None), and ``Message.__init__`` then sets ~120 attributes one by one, most of them to
None: ~45 µs a group message, the larger part of what this bot's event loop did for one in
the e2e benchmark. ``BatchParser`` builds the same objects for less (see its docstring);
``DurableBot`` uses it for what long polling fetches. Webhook and replayed updates are
parsed by PTB as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from types import MappingProxyType
from typing import Any

import telegram
from telegram import (
    Animation,
    Audio,
    Bot,
    Chat,
    Document,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    MessageOrigin,
    PhotoSize,
    Sticker,
    TelegramObject,
    TextQuote,
    Update,
    User,
    Video,
    VideoNote,
    Voice,
)
from telegram._utils.datetime import extract_tzinfo_from_defaults

log = logging.getLogger(__name__)

# How the shortcut reads each key a message may carry: as sent, or as PTB's Message.de_json
# reads it (a class: its de_json; a one-class list: its de_list; datetime: a timestamp).
# A message with any other key (other media, most service messages, polls, ...) is PTB's to
# parse. The probe in ``BatchParser._check_shortcut`` carries every key below.
_MESSAGE_FIELDS: dict[str, tuple[str, Any]] = {
    "message_id": ("message_id", None),
    "chat": ("chat", Chat),
    "date": ("date", datetime),
    "from": ("from_user", User),
    "sender_chat": ("sender_chat", Chat),
    "via_bot": ("via_bot", User),
    "text": ("text", None),
    "entities": ("entities", [MessageEntity]),
    "caption": ("caption", None),
    "caption_entities": ("caption_entities", [MessageEntity]),
    "photo": ("photo", [PhotoSize]),
    "sticker": ("sticker", Sticker),
    "voice": ("voice", Voice),
    "video": ("video", Video),
    "video_note": ("video_note", VideoNote),
    "animation": ("animation", Animation),
    "audio": ("audio", Audio),
    "document": ("document", Document),
    "new_chat_members": ("new_chat_members", [User]),
    "left_chat_member": ("left_chat_member", User),
    "edit_date": ("edit_date", datetime),
    "reply_to_message": ("reply_to_message", Message),
    "quote": ("quote", TextQuote),
    "forward_origin": ("forward_origin", MessageOrigin),
    "link_preview_options": ("link_preview_options", LinkPreviewOptions),
    "message_thread_id": ("message_thread_id", None),
    "is_topic_message": ("is_topic_message", None),
    "media_group_id": ("media_group_id", None),
    "author_signature": ("author_signature", None),
    "has_protected_content": ("has_protected_content", None),
    "is_automatic_forward": ("is_automatic_forward", None),
    "has_media_spoiler": ("has_media_spoiler", None),
    "show_caption_above_media": ("show_caption_above_media", None),
    "sender_boost_count": ("sender_boost_count", None),
    "is_from_offline": ("is_from_offline", None),
    "effect_id": ("effect_id", None),
    "business_connection_id": ("business_connection_id", None),
    "paid_star_count": ("paid_star_count", None),
    "new_chat_title": ("new_chat_title", None),
    "migrate_to_chat_id": ("migrate_to_chat_id", None),
    "migrate_from_chat_id": ("migrate_from_chat_id", None),
}
# The update kinds that carry a Message, each the Update attribute of the same name.
_MESSAGE_KINDS = frozenset({"message", "edited_message", "channel_post", "edited_channel_post"})

# Chats and senders kept for reuse; a busy group has one chat and a few hundred voices.
_KNOWN_LIMIT = 4_096

_EPOCH = datetime.fromtimestamp(0, tz=UTC)
_WHEN = 1_790_000_000
_ADA = {"id": 9, "is_bot": False, "first_name": "Ada", "x_not_in_ptb": 1}
_GROUP = {"id": -1001, "type": "supergroup", "title": "Club", "is_forum": True}
_ENTITY = {"type": "bot_command", "offset": 0, "length": 5}
_PHOTO = {"file_id": "f", "file_unique_id": "u", "width": 9, "height": 9}
# Every key of _MESSAGE_FIELDS, and a reply that takes the shortcut too.
_PROBE_MESSAGE = {
    "message_id": 3,
    "chat": _GROUP,
    "date": _WHEN,
    "from": _ADA,
    "sender_chat": {"id": -1002, "type": "channel", "title": "News"},
    "via_bot": {"id": 8, "is_bot": True, "first_name": "Helper"},
    "text": "/rate 5",
    "entities": [_ENTITY],
    "caption": "crumb",
    "caption_entities": [{"type": "bold", "offset": 0, "length": 2}],
    "photo": [_PHOTO, {**_PHOTO, "width": 90, "file_size": 5}],
    "sticker": {
        "file_id": "s",
        "file_unique_id": "su",
        "type": "regular",
        "width": 5,
        "height": 5,
        "is_animated": False,
        "is_video": False,
        "thumbnail": _PHOTO,
    },
    "voice": {"file_id": "v", "file_unique_id": "vu", "duration": 3, "mime_type": "audio/ogg"},
    "video": {**_PHOTO, "duration": 4, "thumbnail": _PHOTO, "file_name": "a.mp4"},
    "video_note": {"file_id": "n", "file_unique_id": "nu", "length": 9, "duration": 2},
    "animation": {**_PHOTO, "duration": 1, "file_name": "a.gif"},
    "audio": {"file_id": "a", "file_unique_id": "au", "duration": 60, "title": "Song"},
    "document": {"file_id": "d", "file_unique_id": "du", "file_name": "menü.pdf"},
    "new_chat_members": [_ADA],
    "left_chat_member": _ADA,
    "edit_date": _WHEN + 5,
    "reply_to_message": {"message_id": 2, "chat": _GROUP, "date": _WHEN - 9, "from": _ADA},
    "quote": {"text": "rye", "position": 0, "is_manual": True},
    "forward_origin": {"type": "user", "date": _WHEN - 99, "sender_user": _ADA},
    "link_preview_options": {"is_disabled": True},
    "message_thread_id": 4,
    "is_topic_message": True,
    "media_group_id": "m1",
    "author_signature": "Ada",
    "has_protected_content": True,
    "is_automatic_forward": True,
    "has_media_spoiler": True,
    "show_caption_above_media": True,
    "sender_boost_count": 2,
    "is_from_offline": True,
    "effect_id": "e1",
    "business_connection_id": "b1",
    "paid_star_count": 3,
    "new_chat_title": "Club 2",
    "migrate_to_chat_id": -1003,
    "migrate_from_chat_id": -77,
}
_PROBE = [
    {"update_id": 7, "message": _PROBE_MESSAGE},
    {"update_id": 8, "edited_message": {**_PROBE_MESSAGE, "text": "edited"}},
    {"update_id": 9, "channel_post": {"message_id": 1, "chat": _GROUP, "date": _WHEN}},
]


class BatchParser:
    """``Update.de_list``, the same objects, with a shortcut for common messages.

    PTB's ``Message.de_json`` looks up ~90 optional fields one by one (a Python call each
    that returns None), and ``Message.__init__`` then sets ~120 attributes one by one, most
    of them to None: ~45 µs a group message, the larger part of what this bot's event loop
    does for one. Here a message whose keys are all in ``_MESSAGE_FIELDS`` is a copy of a
    message PTB built (every slot, private ones included), given the fields it carries,
    each read as PTB reads it; its ``Update`` likewise. A chat or sender is built by PTB's
    own ``de_json`` once and shared by the updates that carry the same JSON (see
    ``_known_object`` for why that is safe, and its limit). At first use a
    probe carrying every key is built both ways and compared attribute by attribute: if a
    PTB release builds messages differently, every update goes to PTB, with a warning in the
    log. An update the shortcut cannot read goes to PTB too, which raises its own error.
    """

    def __init__(self) -> None:
        # (class, the JSON's items, their types) -> the object PTB built from it
        self._known: dict[tuple[type, tuple[Any, ...], tuple[type, ...]], Any] = {}
        self._message_copy: _Copier | None = None
        self._update_copy: _Copier | None = None
        self._shortcut_works: bool | None = None  # None: not probed yet

    def parse(self, items: Sequence[Any], bot: Bot | None) -> tuple[Update, ...]:
        if self._shortcut_works is None:
            self._shortcut_works = self._check_shortcut()
        if not self._shortcut_works:
            return Update.de_list(items, bot)  # type: ignore[arg-type]
        zone = extract_tzinfo_from_defaults(bot)
        updates = []
        for item in items:
            try:
                update = self._message_update(item, bot, zone)
            except Exception:  # an invalid update: PTB reads it and raises its own error
                update = None
            updates.append(Update.de_json(item, bot) if update is None else update)
        return tuple(updates)

    def _message_update(self, item: Any, bot: Bot | None, zone: tzinfo | None) -> Update | None:
        """An update carrying a message the shortcut takes, built as PTB's de_json would, or
        None for PTB to parse."""
        if type(item) is not dict or len(item) != 2 or "update_id" not in item:
            return None
        kind = next(key for key in item if key != "update_id")
        if kind not in _MESSAGE_KINDS:
            return None
        message = self._message(item[kind], bot, zone)
        if message is None:
            return None
        assert self._update_copy is not None
        update_id = item["update_id"]
        return self._update_copy.copy(  # type: ignore[no-any-return]
            update_id=update_id, _id_attrs=(update_id,), _bot=bot, **{kind: message}
        )

    def _message(self, data: Any, bot: Bot | None, zone: tzinfo | None) -> Message | None:
        if type(data) is not dict or "message_id" not in data or "chat" not in data:
            return None  # PTB's own errors
        date = data.get("date")
        if type(date) is not int or date == 0:
            return None  # PTB's errors, or its InaccessibleMessage (a zero date)
        fields: dict[str, Any] = {}
        for key, value in data.items():
            field = _MESSAGE_FIELDS.get(key)
            if field is None:
                return None
            name, read = field
            if read is None:
                fields[name] = value
            elif read is datetime:
                if type(value) is not int:
                    return None
                fields[name] = datetime.fromtimestamp(value, tz=UTC if zone is None else zone)
            elif type(read) is list:
                if type(value) is not list:
                    return None
                fields[name] = read[0].de_list(value, bot)
            elif type(value) is not dict:
                return None  # null, or not an object: PTB's to read
            elif read is User or read is Chat:
                fields[name] = self._known_object(read, value, bot)
            elif read is Message:
                # A reply is one level deep; PTB reads anything deeper (and its limits).
                nested = "reply_to_message" in value
                reply = None if nested else self._message(value, bot, zone)
                fields[name] = Message.de_json(value, bot) if reply is None else reply
            else:
                fields[name] = read.de_json(value, bot)
        assert self._message_copy is not None
        return self._message_copy.copy(  # type: ignore[no-any-return]
            _id_attrs=(fields["message_id"], fields["chat"]), _bot=bot, **fields
        )

    def _known_object(self, cls: type[TelegramObject], data: Any, bot: Bot | None) -> Any:
        """PTB's ``cls.de_json(data, bot)``, shared by the updates that carry the same JSON.

        Telegram objects are frozen, so sharing one is safe unless something goes around
        that: a copy for each update would cost ~7 µs of every message. A shared object
        whose bot was changed (``set_bot``) or that is unfrozen right now is built afresh;
        an edit made through PTB's private ``_unfrozen`` and finished would reach later
        updates, and neither PTB's ``ext`` package nor this bot makes one on a chat or user.
        """
        try:
            # The values' types too: True == 1 == 1.0 as keys, not as what PTB keeps.
            key = (cls, tuple(data.items()), tuple(map(type, data.values())))
            known = self._known.get(key)
        except (AttributeError, TypeError):  # not a dict, or a value that is (a nested one)
            return cls.de_json(data, bot)
        if known is not None and known._bot is bot and known._frozen:
            return known
        if len(self._known) >= _KNOWN_LIMIT:
            self._known.clear()
        known = self._known[key] = cls.de_json(data, bot)
        return known

    def _check_shortcut(self) -> bool:
        """Build the probe both ways; the shortcut only if they come out alike. Once per
        process (it depends on PTB alone; ~5 ms, and tests build hundreds of bots)."""
        global _probed
        if _probed is None:
            _probed = self._probe()
        self._message_copy, self._update_copy = _probed
        return self._message_copy is not None

    def _probe(self) -> tuple[_Copier | None, _Copier | None]:
        try:
            self._message_copy = _Copier(
                Message(message_id=1, date=_EPOCH, chat=Chat(id=1, type=Chat.PRIVATE))
            )
            self._update_copy = _Copier(Update(update_id=1))
            difference = None
            for probe in _PROBE:
                ours = self._message_update(probe, None, None)
                difference = "not taken" if ours is None else unlike(ours, Update.de_json(probe))
                if difference is not None:
                    break
        except Exception as exc:  # a PTB release that no longer fits: PTB parses
            difference = repr(exc)
        self._known.clear()
        if difference is None:
            return self._message_copy, self._update_copy
        log.warning(
            "Messages are parsed by PTB's de_json: the shortcut's probe differs "
            "at %s (python-telegram-bot %s)",
            difference,
            telegram.__version__,
        )
        return None, None


# The probe's verdict, and the templates it checked (None, None: PTB parses everything).
_probed: tuple[_Copier | None, _Copier | None] | None = None


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
    slots = _SLOTS.get(cls)
    if slots is None:
        slots = _SLOTS[cls] = {
            name: klass.__dict__[name]
            for klass in reversed(cls.__mro__)
            for name in klass.__dict__.get("__slots__", ())
            if name != "__weakref__"
        }
    return slots


_SLOTS: dict[type, dict[str, Any]] = {}


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
