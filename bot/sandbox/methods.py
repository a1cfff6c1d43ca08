"""Bot API methods: validate parameters the way Telegram does, then change the world.

Each handler takes the World and a Params view of the decoded request and returns the
``result`` value, or raises ApiError. Handlers are registered by lower-cased name because
Telegram treats method names case-insensitively.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.sandbox import errors as E
from bot.sandbox import limits
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.formatting import parse_text, utf16_len
from bot.sandbox.models import Member, Poll, SentMessage, SimChat
from bot.sandbox.serialize import (
    ADMIN_RIGHTS,
    PERMISSIONS,
    chat_full_json,
    member_json,
    poll_json,
    user_json,
)
from bot.sandbox.threads import place
from bot.sandbox.world import World

Upload = tuple[str, bytes, str]  # (file name, content, content type)


class Params:
    """Typed access to request parameters, whatever encoding they came in.

    PTB sends form fields whose non-string values are JSON-encoded ("123", "true",
    '{"inline_keyboard": ...}'); JSON bodies carry native values. Both are accepted.
    """

    def __init__(self, values: dict[str, Any], files: dict[str, Upload]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise E.missing(name)
            return None if value is None else ""
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise E.missing(name)
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def get_json(self, name: str, required: bool = False) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise E.missing(name)
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def upload(self, name: str) -> Upload | str | None:
        """A file parameter: an uploaded part, an attach:// reference, or a file_id/URL."""
        if name in self.files:
            return self.files[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            part = self.files.get(value[len("attach://") :])
            if part is None:
                raise bad_request(f"file {value} not found")  # assumption (wording)
            return part
        if value in (None, ""):
            return None
        return str(value)


Handler = Callable[[World, Params], Any]
METHODS: dict[str, Handler] = {}


def method(*names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in names:
            METHODS[name.lower()] = fn
        return fn

    return register


# --- shared validation -------------------------------------------------------------------


def _text_and_entities(
    p: Params,
    text_field: str,
    mode_field: str,
    ent_field: str,
    max_len: int,
    too_long: str,
    required: bool,
) -> tuple[str | None, list[dict[str, Any]]]:
    raw = p.get_str(text_field)
    if raw is None or raw == "":
        if required:
            raise E.missing(text_field)
        return (None if raw is None else ""), []
    text, entities = parse_text(raw, p.get_str(mode_field), p.get_json(ent_field))
    if required and not text.strip():
        raise E.missing(text_field)
    if utf16_len(text) > max_len:
        raise bad_request(too_long)
    return text, entities


def _check_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is not None:
        if not isinstance(rows, list):
            raise bad_request('can\'t parse inline keyboard button: Field "inline_keyboard"')
        for row in rows:
            for button in row:
                if "text" not in button:
                    raise bad_request("can't parse inline keyboard button: Text is not specified")
                data = button.get("callback_data")
                if data is not None:
                    size = len(str(data).encode("utf-8"))
                    lo, hi = limits.MIN_CALLBACK_DATA_BYTES, limits.MAX_CALLBACK_DATA_BYTES
                    if not lo <= size <= hi:
                        raise bad_request(E.BUTTON_DATA_INVALID)
    return markup


def _reply_to(w: World, chat: SimChat, p: Params) -> int | None:
    """reply_parameters (or the legacy reply_to_message_id) -> message id in this chat."""
    params = p.get_json("reply_parameters")
    mid: int | None = None
    allow_missing = False
    if isinstance(params, dict):
        mid = params.get("message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if params.get("chat_id") not in (None, chat.id):
            # Replies to another chat are quotes; we only record the id in that chat.
            return None
    elif p.has("reply_to_message_id"):
        mid = p.get_int("reply_to_message_id")
        allow_missing = p.get_bool("allow_sending_without_reply")
    if mid is None:
        return None
    if w.message(chat, mid) is None:
        if allow_missing:
            return None
        raise bad_request(E.MESSAGE_TO_REPLY_NOT_FOUND)
    return int(mid)


def _sending_chat(w: World, p: Params) -> SimChat:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.check_can_send(chat)
    return chat


def _placement(w: World, chat: SimChat, p: Params, reply_to: int | None) -> dict[str, Any]:
    """The topic (or reply thread) the bot's message lands in; see threads.py."""
    where = place(w, chat, w.bot, p.get_int("message_thread_id"), reply_to)
    return {"thread_id": where.thread_id, "reply_thread": where.reply_thread}


def _common_message_fields(w: World, chat: SimChat, p: Params) -> dict[str, Any]:
    reply_to = _reply_to(w, chat, p)
    return {
        "protect_content": p.get_bool("protect_content"),
        "disable_notification": p.get_bool("disable_notification"),
        "reply_to": reply_to,
        "reply_markup": _check_markup(p.get_json("reply_markup")),
        **_placement(w, chat, p, reply_to),
    }


def _sent(w: World, msg: SentMessage) -> dict[str, Any]:
    return w.message_json(msg)


# --- getMe / updates / webhook / commands --------------------------------------------------


@method("getMe")
def get_me(w: World, p: Params) -> dict[str, Any]:
    out = user_json(w.bot)
    out.update(
        {
            "can_join_groups": True,
            "can_read_all_group_messages": w.can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
    )
    return out


@method("logOut", "close")
def log_out(w: World, p: Params) -> bool:
    return True


@method("setWebhook")
def set_webhook(w: World, p: Params) -> bool:
    url = p.get_str("url")
    if url is None:
        raise E.missing("url")
    secret = p.get_str("secret_token")
    if secret is not None and (
        not 1 <= len(secret) <= limits.MAX_SECRET_TOKEN_LEN
        or not all(c.isalnum() or c in "_-" for c in secret)
    ):
        raise bad_request("secret token contains unallowed characters")
    allowed = p.get_json("allowed_updates")
    if allowed is not None:
        w.allowed_updates = _allowed(allowed)
    if p.get_bool("drop_pending_updates"):
        w.updates.clear()
    w.webhook = {"url": url, "secret_token": secret} if url else None
    w.on_change()
    return True


@method("deleteWebhook")
def delete_webhook(w: World, p: Params) -> bool:
    if p.get_bool("drop_pending_updates"):
        w.updates.clear()
    w.webhook = None
    w.on_change()
    return True


@method("getWebhookInfo")
def get_webhook_info(w: World, p: Params) -> dict[str, Any]:
    out: dict[str, Any] = {
        "url": w.webhook["url"] if w.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(w.updates),
    }
    if w.webhook:
        out["allowed_updates"] = sorted(w.allowed_updates)
        out["max_connections"] = 40
    return out


def _allowed(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        raise bad_request("can't parse allowed updates")  # assumption (wording)
    if not value:
        return limits.ALL_UPDATE_TYPES - limits.OPT_IN_UPDATE_TYPES
    return frozenset(str(v) for v in value) & limits.ALL_UPDATE_TYPES


def _commands_key(p: Params) -> str:
    scope = p.get_json("scope") or {"type": "default"}
    return json.dumps([scope, p.get_str("language_code") or ""], sort_keys=True)


@method("setMyCommands")
def set_my_commands(w: World, p: Params) -> bool:
    commands = p.get_json("commands", required=True)
    if not isinstance(commands, list) or len(commands) > limits.MAX_BOT_COMMANDS:
        raise bad_request("too many commands")  # assumption (wording)
    for cmd in commands:
        name = str(cmd.get("command", ""))
        if (
            not name
            or len(name) > 32
            or not all(c.islower() or c.isdigit() or c == "_" for c in name)
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(cmd.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")  # assumption (wording)
    w.commands[_commands_key(p)] = commands
    return True


@method("getMyCommands")
def get_my_commands(w: World, p: Params) -> list[dict[str, Any]]:
    return w.commands.get(_commands_key(p), [])


@method("deleteMyCommands")
def delete_my_commands(w: World, p: Params) -> bool:
    w.commands.pop(_commands_key(p), None)
    return True


# --- sending -------------------------------------------------------------------------------


@method("sendMessage")
def send_message(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    text, entities = _text_and_entities(
        p, "text", "parse_mode", "entities", limits.MAX_TEXT_LEN, E.TEXT_TOO_LONG, True
    )
    fields = _common_message_fields(w, chat, p)
    msg = w.store_message(
        chat,
        w.bot,
        text=text,
        entities=entities,
        link_preview_options=p.get_json("link_preview_options"),
        **fields,
    )
    return _sent(w, msg)


def _caption(p: Params) -> tuple[str | None, list[dict[str, Any]]]:
    return _text_and_entities(
        p,
        "caption",
        "parse_mode",
        "caption_entities",
        limits.MAX_CAPTION_LEN,
        E.CAPTION_TOO_LONG,
        False,
    )


def _store_file(
    w: World, kind: str, value: Upload | str | None, field: str
) -> tuple[str, str, str | None, bytes | None]:
    """Register an upload (or accept a file_id/URL) -> (file_id, unique_id, name, bytes)."""
    if value is None:
        raise E.missing(field)
    if isinstance(value, tuple):
        name, data, _ctype = value
        file_id, unique = w.new_file_id(kind)
        w.files[file_id] = (name, data)
        return file_id, unique, name, data
    known = w.files.get(value)
    # Assumption: unknown file_ids are accepted (we cannot know ids the bot got from real
    # Telegram); known ones keep their bytes so tests can compare.
    return value, "SBXU" + value[-8:], known[0] if known else None, known[1] if known else None


def _photo_sizes(file_id: str, unique: str) -> list[dict[str, Any]]:
    return [
        {
            "file_id": file_id + "_s",
            "file_unique_id": unique + "s",
            "width": 90,
            "height": 90,
            "file_size": 1200,
        },
        {
            "file_id": file_id,
            "file_unique_id": unique,
            "width": 1280,
            "height": 1280,
            "file_size": 90000,
        },
    ]


@method("sendPhoto")
def send_photo(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    caption, ents = _caption(p)
    file_id, unique, _name, data = _store_file(w, "photo", p.upload("photo"), "photo")
    msg = w.store_message(
        chat,
        w.bot,
        photo=_photo_sizes(file_id, unique),
        photo_bytes=data,
        caption=caption or None,
        caption_entities=ents,
        **_common_message_fields(w, chat, p),
    )
    return _sent(w, msg)


@method("sendDocument")
def send_document(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    caption, ents = _caption(p)
    file_id, unique, name, data = _store_file(w, "doc", p.upload("document"), "document")
    meta = {
        "file_id": file_id,
        "file_unique_id": unique,
        "file_name": name or "file",
        "file_size": len(data or b""),
    }
    msg = w.store_message(
        chat,
        w.bot,
        document=(name or "file", data or b""),
        document_meta=meta,
        caption=caption or None,
        caption_entities=ents,
        **_common_message_fields(w, chat, p),
    )
    return _sent(w, msg)


@method("sendVideo")
def send_video(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    caption, ents = _caption(p)
    file_id, unique, _name, _data = _store_file(w, "video", p.upload("video"), "video")
    video = {
        "file_id": file_id,
        "file_unique_id": unique,
        "width": p.get_int("width") or 640,
        "height": p.get_int("height") or 360,
        "duration": p.get_int("duration") or 1,
    }
    msg = w.store_message(
        chat,
        w.bot,
        video=video,
        caption=caption or None,
        caption_entities=ents,
        **_common_message_fields(w, chat, p),
    )
    return _sent(w, msg)


@method("sendMediaGroup")
def send_media_group(w: World, p: Params) -> list[dict[str, Any]]:
    chat = _sending_chat(w, p)
    media = p.get_json("media", required=True)
    if not isinstance(media, list) or not (
        limits.MIN_MEDIA_GROUP <= len(media) <= limits.MAX_MEDIA_GROUP
    ):
        raise bad_request(E.MEDIA_GROUP_COUNT)
    prepared = []
    for item in media:
        sub = Params(dict(item), p.files)
        caption, ents = _text_and_entities(
            sub,
            "caption",
            "parse_mode",
            "caption_entities",
            limits.MAX_CAPTION_LEN,
            E.CAPTION_TOO_LONG,
            False,
        )
        kind = item.get("type", "photo")
        stored = _store_file(w, kind, sub.upload("media"), "media")
        prepared.append((kind, stored, caption, ents))
    group_id = str(w.new_file_id("grp")[1])
    reply_to = _reply_to(w, chat, p)
    placement = _placement(w, chat, p, reply_to)
    out = []
    for kind, (file_id, unique, name, data), caption, ents in prepared:
        extra: dict[str, Any] = {}
        if kind == "photo":
            extra = {"photo": _photo_sizes(file_id, unique), "photo_bytes": data}
        elif kind == "video":
            extra = {
                "video": {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": 640,
                    "height": 360,
                    "duration": 1,
                }
            }
        else:
            extra = {
                "document": (name or "file", data or b""),
                "document_meta": {"file_id": file_id, "file_unique_id": unique},
            }
        msg = w.store_message(
            chat,
            w.bot,
            caption=caption or None,
            caption_entities=ents,
            media_group_id=group_id,
            protect_content=p.get_bool("protect_content"),
            reply_to=reply_to,
            **placement,
            **extra,
        )
        out.append(_sent(w, msg))
    return out


def _source(w: World, p: Params, not_found: str) -> tuple[SimChat, SentMessage]:
    src_chat = w.resolve_chat(p.raw("from_chat_id"))
    mid = p.get_int("message_id", required=True)
    msg = w.message(src_chat, mid)
    if msg is None or msg.service:
        raise bad_request(not_found)
    return src_chat, msg


def _copy_into(
    w: World,
    chat: SimChat,
    src: SentMessage,
    p: Params,
    keep_caption: bool,
    markup: dict[str, Any] | None,
    reply_to: int | None,
) -> SentMessage:
    placement = _placement(w, chat, p, reply_to)
    caption, ents = src.caption, src.caption_entities
    if p.has("caption") or p.raw("caption") == "":
        caption, ents = _caption(p)
    if not keep_caption:
        caption, ents = None, []
    poll_id = None
    if src.poll_id:
        old = w.polls[src.poll_id]
        poll_id = _new_poll(
            w,
            chat,
            old.question,
            list(old.options),
            old.is_anonymous,
            old.type,
            old.allows_multiple_answers,
            None,
        )
    msg = w.store_message(
        chat,
        w.bot,
        text=src.text,
        entities=list(src.entities),
        caption=caption or None,
        caption_entities=list(ents or []),
        photo=src.photo,
        photo_bytes=src.photo_bytes,
        document=src.document,
        document_meta=src.document_meta,
        video=src.video,
        poll_id=poll_id,
        protect_content=p.get_bool("protect_content"),
        disable_notification=p.get_bool("disable_notification"),
        reply_markup=markup,
        reply_to=reply_to,
        **placement,
    )
    if poll_id:
        w.polls[poll_id].message_id = msg.message_id
    return msg


@method("copyMessage")
def copy_message(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    _src_chat, src = _source(w, p, E.MESSAGE_TO_COPY_NOT_FOUND)
    if src.protect_content:
        raise bad_request(E.MESSAGE_CANT_BE_COPIED)
    markup = _check_markup(p.get_json("reply_markup"))
    msg = _copy_into(w, chat, src, p, True, markup, _reply_to(w, chat, p))
    return {"message_id": msg.message_id}


@method("copyMessages")
def copy_messages(w: World, p: Params) -> list[dict[str, Any]]:
    chat = _sending_chat(w, p)
    src_chat = w.resolve_chat(p.raw("from_chat_id"))
    ids = p.get_json("message_ids", required=True)
    if not isinstance(ids, list) or not 1 <= len(ids) <= limits.MAX_COPY_MESSAGES:
        raise bad_request("message_ids must be a non-empty list of at most 100 ids")
    if any(b <= a for a, b in itertools_pairwise(ids)):
        raise bad_request("message identifiers must be in strictly increasing order")
    out = []
    for mid in ids:
        src = w.message(src_chat, mid)
        # Missing or protected messages are skipped, as Telegram does for copyMessages.
        if src is None or src.service or src.protect_content:
            continue
        msg = _copy_into(w, chat, src, p, not p.get_bool("remove_caption"), None, None)
        out.append({"message_id": msg.message_id})
    if not out:
        raise bad_request("there are no messages to copy")  # assumption (wording)
    return out


def itertools_pairwise(seq: list[Any]) -> list[tuple[Any, Any]]:
    return list(itertools.pairwise(seq))


@method("forwardMessage")
def forward_message(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    src_chat, src = _source(w, p, E.MESSAGE_TO_FORWARD_NOT_FOUND)
    if src.protect_content:
        raise bad_request(E.MESSAGE_CANT_BE_FORWARDED)
    msg = _copy_into(w, chat, src, p, True, None, None)
    sender = w.users.get(src.from_id) if src.from_id else None
    if src.sender_chat_id:
        origin: dict[str, Any] = {
            "type": "chat",
            "date": int(src.date.timestamp()),
            "sender_chat": {"id": src.sender_chat_id, "type": w.chats[src.sender_chat_id].type},
        }
    elif sender is not None:
        origin = {
            "type": "user",
            "date": int(src.date.timestamp()),
            "sender_user": user_json(sender),
        }
    else:
        origin = {
            "type": "hidden_user",
            "date": int(src.date.timestamp()),
            "sender_user_name": "Unknown",
        }
    msg.forward_origin = origin
    del src_chat
    return _sent(w, msg)


# --- editing / deleting / pinning ----------------------------------------------------------


def _own_message_to_edit(w: World, p: Params) -> tuple[SimChat, SentMessage]:
    if p.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat = w.resolve_chat(p.raw("chat_id"))
    mid = p.get_int("message_id", required=True)
    msg = w.message(chat, mid)
    if msg is None:
        raise bad_request(E.MESSAGE_TO_EDIT_NOT_FOUND)
    if not msg.by_bot:
        raise bad_request("message can't be edited")
    return chat, msg


def _edited(w: World, msg: SentMessage, p: Params, markup_given: bool) -> dict[str, Any] | bool:
    msg.edit_date = w.clock.now()
    w.on_change()
    return _sent(w, msg)


@method("editMessageText")
def edit_message_text(w: World, p: Params) -> dict[str, Any] | bool:
    _chat, msg = _own_message_to_edit(w, p)
    text, entities = _text_and_entities(
        p, "text", "parse_mode", "entities", limits.MAX_TEXT_LEN, E.TEXT_TOO_LONG, True
    )
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    markup = _check_markup(p.get_json("reply_markup"))
    if text == msg.text and entities == msg.entities and markup == msg.reply_markup:
        raise bad_request(E.NOT_MODIFIED)
    msg.edits.append(msg.text)
    msg.text, msg.entities, msg.reply_markup = text, entities, markup
    return _edited(w, msg, p, True)


@method("editMessageCaption")
def edit_message_caption(w: World, p: Params) -> dict[str, Any] | bool:
    _chat, msg = _own_message_to_edit(w, p)
    if msg.text is not None:
        raise bad_request("there is no caption in the message to edit")
    caption, ents = _caption(p)
    caption = caption or None
    markup = _check_markup(p.get_json("reply_markup"))
    if caption == msg.caption and ents == msg.caption_entities and markup == msg.reply_markup:
        raise bad_request(E.NOT_MODIFIED)
    msg.edits.append(msg.caption or "")
    msg.caption, msg.caption_entities, msg.reply_markup = caption, ents, markup
    return _edited(w, msg, p, True)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(w: World, p: Params) -> dict[str, Any] | bool:
    _chat, msg = _own_message_to_edit(w, p)
    markup = _check_markup(p.get_json("reply_markup"))
    if markup == msg.reply_markup or (not markup and not msg.reply_markup):
        raise bad_request(E.NOT_MODIFIED)
    msg.reply_markup = markup
    return _edited(w, msg, p, True)


@method("deleteMessage")
def delete_message(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    mid = p.get_int("message_id", required=True)
    msg = w.message(chat, mid)
    if msg is None:
        raise bad_request(E.MESSAGE_TO_DELETE_NOT_FOUND)
    if chat.type != "private" and not msg.by_bot:
        me = w.bot_rights(chat)
        if not (
            me.status == "creator"
            or (me.status == "administrator" and me.rights.get("can_delete_messages"))
        ):
            raise bad_request(E.MESSAGE_CANT_BE_DELETED)
    # A message can only be deleted if it was sent less than 48 hours ago (Bot API docs);
    # bots in groups with can_delete_messages may delete any; we apply the limit to
    # private chats only.
    if chat.type == "private" and w.clock.now() - msg.date > timedelta(hours=48):
        raise bad_request(E.MESSAGE_CANT_BE_DELETED)
    msg.deleted = True
    w.on_change()
    return True


@method("deleteMessages")
def delete_messages(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    for mid in p.get_json("message_ids", required=True) or []:
        msg = w.message(chat, mid)
        if msg is not None:
            msg.deleted = True
    w.on_change()
    return True


@method("pinChatMessage")
def pin_chat_message(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_pin_messages", E.RIGHTS_PIN)
    mid = p.get_int("message_id", required=True)
    msg = w.message(chat, mid)
    if msg is None:
        raise bad_request(E.MESSAGE_TO_PIN_NOT_FOUND)
    msg.pinned = True
    if not p.get_bool("disable_notification") or chat.type != "private":
        w.store_message(chat, w.bot, service={"pinned_message": w.message_json(msg, False)})
    return True


@method("unpinChatMessage")
def unpin_chat_message(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_pin_messages", E.RIGHTS_PIN)
    if p.has("message_id"):
        msg = w.message(chat, p.get_int("message_id"))
        if msg is None or not msg.pinned:
            raise bad_request("message to unpin not found")
        msg.pinned = False
    else:
        pinned = [m for m in chat.messages.values() if m.pinned and not m.deleted]
        if pinned:
            pinned[-1].pinned = False
    w.on_change()
    return True


@method("unpinAllChatMessages")
def unpin_all_chat_messages(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_pin_messages", E.RIGHTS_PIN)
    for msg in chat.messages.values():
        msg.pinned = False
    w.on_change()
    return True


# --- polls ---------------------------------------------------------------------------------


def _new_poll(
    w: World,
    chat: SimChat,
    question: str,
    options: list[str],
    anonymous: bool,
    kind: str,
    multiple: bool,
    close_in: int | None,
) -> str:
    poll_id = str(w.new_file_id("poll")[1])[4:] + str(len(w.polls))
    poll = Poll(
        id=poll_id,
        chat_id=chat.id,
        message_id=0,
        question=question,
        options=options,
        is_anonymous=anonymous,
        type=kind,
        allows_multiple_answers=multiple,
    )
    if close_in:
        poll.close_date = w.clock.now() + timedelta(seconds=close_in)
    w.polls[poll_id] = poll
    return poll_id


@method("sendPoll")
def send_poll(w: World, p: Params) -> dict[str, Any]:
    chat = _sending_chat(w, p)
    question = p.get_str("question", required=True) or ""
    if not 1 <= utf16_len(question) <= limits.MAX_POLL_QUESTION:
        raise bad_request(E.POLL_QUESTION_INVALID)
    raw_options = p.get_json("options", required=True)
    if not isinstance(raw_options, list):
        raise bad_request("can't parse options JSON object")
    options = [o.get("text", "") if isinstance(o, dict) else str(o) for o in raw_options]
    if len(options) < limits.MIN_POLL_OPTIONS:
        raise bad_request(E.POLL_OPTIONS_COUNT)
    if len(options) > limits.MAX_POLL_OPTIONS:
        raise bad_request(E.POLL_TOO_MANY_OPTIONS)
    if any(not 1 <= utf16_len(o) <= limits.MAX_POLL_OPTION_LEN for o in options):
        raise bad_request(E.POLL_OPTION_INVALID)
    open_period = p.get_int("open_period")
    close_date = p.get_int("close_date")
    if open_period is not None and close_date is not None:
        raise bad_request("can't use open_period and close_date together")  # assumption
    close_in: int | None = open_period
    if close_date is not None:
        close_in = int(close_date - w.clock.now().timestamp())
    if close_in is not None and not (
        limits.MIN_POLL_OPEN_PERIOD <= close_in <= limits.MAX_POLL_OPEN_PERIOD
    ):
        raise bad_request("poll close date/open period is out of range")  # assumption
    kind = p.get_str("type") or "regular"
    # Where it lands is checked first: a refused send (closed topic) leaves no poll behind.
    fields = _common_message_fields(w, chat, p)
    poll_id = _new_poll(
        w,
        chat,
        question,
        options,
        p.get_bool("is_anonymous", True),
        kind,
        p.get_bool("allows_multiple_answers"),
        close_in,
    )
    poll = w.polls[poll_id]
    poll.open_period = open_period
    if kind == "quiz":
        correct = p.get_int("correct_option_id")
        ids = p.get_json("correct_option_ids")
        if correct is None and isinstance(ids, list) and ids:
            correct = int(ids[0])
        if correct is None or not 0 <= correct < len(options):
            raise bad_request("wrong correct option id specified")  # assumption
        poll.correct_option_id = correct
        poll.explanation = p.get_str("explanation")
    poll.is_closed = p.get_bool("is_closed")
    msg = w.store_message(chat, w.bot, poll_id=poll_id, **fields)
    poll.message_id = msg.message_id
    return _sent(w, msg)


@method("stopPoll")
def stop_poll(w: World, p: Params) -> dict[str, Any]:
    chat = w.resolve_chat(p.raw("chat_id"))
    msg = w.message(chat, p.get_int("message_id", required=True))
    if msg is None or not msg.poll_id:
        raise bad_request(E.MESSAGE_WITH_POLL_NOT_FOUND)
    if not msg.by_bot:
        raise bad_request("message can't be edited")
    poll = w.polls[msg.poll_id]
    if poll.is_closed:
        raise bad_request(E.POLL_ALREADY_CLOSED)
    poll.is_closed = True
    markup = _check_markup(p.get_json("reply_markup"))
    if markup is not None:
        msg.reply_markup = markup
    w.enqueue("poll", poll_json(poll))
    return poll_json(poll)


# --- callback queries ------------------------------------------------------------------------


@method("answerCallbackQuery")
def answer_callback_query(w: World, p: Params) -> bool:
    qid = p.get_str("callback_query_id", required=True) or ""
    entry = w.callback_queries.get(qid)
    if entry is None:
        raise bad_request(E.QUERY_TOO_OLD)
    created, user, _msg = entry
    if (w.clock.now() - created).total_seconds() > limits.CALLBACK_QUERY_TTL_SECONDS:
        raise bad_request(E.QUERY_TOO_OLD)
    text = p.get_str("text")
    if text is not None and utf16_len(text) > limits.MAX_CALLBACK_ANSWER_LEN:
        raise bad_request("MESSAGE_TOO_LONG")  # assumption: MTProto code surfaces as-is
    del w.callback_queries[qid]
    w.callback_answers.append(
        {
            "callback_query_id": qid,
            "user_id": user.id,
            "text": text,
            "show_alert": p.get_bool("show_alert"),
            "url": p.get_str("url"),
        }
    )
    w.on_change()
    return True


# --- chat info -------------------------------------------------------------------------------


@method("getChat")
def get_chat(w: World, p: Params) -> dict[str, Any]:
    chat = w.resolve_chat(p.raw("chat_id"))
    return chat_full_json(chat, chat.primary_link)


@method("getChatMember")
def get_chat_member(w: World, p: Params) -> dict[str, Any]:
    chat = w.resolve_chat(p.raw("chat_id"))
    user = w.user(p.get_int("user_id", required=True))
    w.expire_restrictions(chat)
    return member_json(w.member(chat, user))


@method("getChatAdministrators")
def get_chat_administrators(w: World, p: Params) -> list[dict[str, Any]]:
    chat = w.resolve_chat(p.raw("chat_id"))
    return_bots = p.get_bool("return_bots")
    return [
        member_json(m)
        for m in chat.members.values()
        if m.status in ("creator", "administrator")
        and (not m.user.is_bot or m.user.id == w.bot.id or return_bots)
    ]


@method("getChatMemberCount", "getChatMembersCount")
def get_chat_member_count(w: World, p: Params) -> int:
    chat = w.resolve_chat(p.raw("chat_id"))
    if chat.type == "private":
        return 2
    return sum(1 for m in chat.members.values() if w.is_in_chat(chat, m.user))


@method("sendChatAction")
def send_chat_action(w: World, p: Params) -> bool:
    chat = _sending_chat(w, p)
    p.get_str("action", required=True)
    del chat
    return True


@method("setMessageReaction")
def set_message_reaction(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    msg = w.message(chat, p.get_int("message_id", required=True))
    if msg is None:
        raise bad_request("message to react not found")
    reaction = p.get_json("reaction") or []
    msg.reactions[w.bot.id] = [r.get("emoji", "") for r in reaction if isinstance(r, dict)]
    w.on_change()
    return True


# --- invite links and join requests -------------------------------------------------------------


def _link_fields(w: World, p: Params, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if p.raw("name") is not None:
        name = p.get_str("name") or ""
        if len(name) > limits.MAX_INVITE_LINK_NAME:
            raise bad_request(E.INVITE_LINK_NAME_TOO_LONG)
        out["name"] = name or None
    if p.has("expire_date"):
        expire = p.get_int("expire_date") or 0
        out["expire_date"] = None if expire == 0 else _from_ts(expire)
    if p.has("member_limit"):
        limit = p.get_int("member_limit") or 0
        if not limits.MIN_MEMBER_LIMIT <= limit <= limits.MAX_MEMBER_LIMIT:
            raise bad_request(E.MEMBER_LIMIT_INVALID)
        out["member_limit"] = limit
    if p.raw("creates_join_request") is not None:
        out["creates_join_request"] = p.get_bool("creates_join_request")
    if out.get("creates_join_request") and out.get("member_limit"):
        raise bad_request(E.MEMBER_LIMIT_WITH_JOIN_REQUEST)
    del w, creating
    return out


def _from_ts(value: int) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(value, UTC)


def _admin_chat_for_links(w: World, p: Params) -> SimChat:
    chat = w.resolve_chat(p.raw("chat_id"))
    if chat.type == "private":
        raise bad_request("method is available for supergroup and channel chats only")
    w.require_admin_right(chat, "can_invite_users", E.RIGHTS_INVITE)
    return chat


@method("createChatInviteLink")
def create_chat_invite_link(w: World, p: Params) -> dict[str, Any]:
    chat = _admin_chat_for_links(w, p)
    fields = _link_fields(w, p, True)
    link = w.new_invite_link(chat, w.bot, **fields)
    w.on_change()
    return w.invite_link_json(link)


def _existing_link(w: World, chat: SimChat, p: Params) -> Any:
    link_str = p.get_str("invite_link", required=True) or ""
    link = chat.invite_links.get(link_str)
    if link is None:
        raise bad_request("INVITE_HASH_EXPIRED")
    return link


@method("editChatInviteLink")
def edit_chat_invite_link(w: World, p: Params) -> dict[str, Any]:
    chat = _admin_chat_for_links(w, p)
    link = _existing_link(w, chat, p)
    if link.is_revoked:
        raise bad_request("INVITE_HASH_EXPIRED")
    fields = _link_fields(w, p, False)
    merged_jr = fields.get("creates_join_request", link.creates_join_request)
    merged_limit = fields.get("member_limit", link.member_limit)
    if merged_jr and merged_limit and "member_limit" in fields:
        raise bad_request(E.MEMBER_LIMIT_WITH_JOIN_REQUEST)
    if fields.get("creates_join_request"):
        link.member_limit = None
    for key, value in fields.items():
        setattr(link, key, value)
    w.on_change()
    return w.invite_link_json(link)


@method("revokeChatInviteLink")
def revoke_chat_invite_link(w: World, p: Params) -> dict[str, Any]:
    chat = _admin_chat_for_links(w, p)
    link = _existing_link(w, chat, p)
    link.is_revoked = True
    if link.is_primary:
        # Revoking the primary link makes a new primary one (Bot API docs).
        link.is_primary = False
        new = w.new_invite_link(chat, w.bot, is_primary=True)
        chat.primary_link = new.link
    w.on_change()
    return w.invite_link_json(link)


@method("exportChatInviteLink")
def export_chat_invite_link(w: World, p: Params) -> str:
    chat = _admin_chat_for_links(w, p)
    if chat.primary_link:
        chat.invite_links[chat.primary_link].is_revoked = True
        chat.invite_links[chat.primary_link].is_primary = False
    link = w.new_invite_link(chat, w.bot, is_primary=True)
    chat.primary_link = link.link
    w.on_change()
    return link.link


def _join_request(w: World, p: Params) -> tuple[SimChat, Any]:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_invite_users", E.CHAT_ADMIN_REQUIRED)
    user = w.user(p.get_int("user_id", required=True))
    if w.is_in_chat(chat, user):
        raise bad_request(E.USER_ALREADY_PARTICIPANT)
    request = chat.join_requests.get(user.id)
    if request is None:
        raise bad_request(E.HIDE_REQUESTER_MISSING)
    return chat, request


@method("approveChatJoinRequest")
def approve_chat_join_request(w: World, p: Params) -> bool:
    chat, request = _join_request(w, p)
    del chat.join_requests[request.user.id]
    link = chat.invite_links.get(request.invite_link) if request.invite_link else None
    if link is not None:
        link.joined.append(request.user.id)
    w.dm_windows.pop(request.user.id, None)
    w.set_member(
        chat,
        request.user,
        Member(user=request.user, status="member"),
        actor=w.bot,
        invite_link=link,
        via_join_request=True,
    )
    return True


@method("declineChatJoinRequest")
def decline_chat_join_request(w: World, p: Params) -> bool:
    chat, request = _join_request(w, p)
    del chat.join_requests[request.user.id]
    w.dm_windows.pop(request.user.id, None)
    w.on_change()
    return True


# --- moderation ------------------------------------------------------------------------------


def _moderation_target(w: World, p: Params) -> tuple[SimChat, Member]:
    chat = w.resolve_chat(p.raw("chat_id"))
    if chat.type == "private":
        raise bad_request("method is available for supergroup and channel chats only")
    w.require_admin_right(chat, "can_restrict_members", E.RIGHTS_RESTRICT)
    user = w.user(p.get_int("user_id", required=True))
    if user.id == w.bot.id:
        raise bad_request(E.CANT_RESTRICT_SELF)
    w.expire_restrictions(chat)
    return chat, w.member(chat, user)


@method("banChatMember", "kickChatMember")
def ban_chat_member(w: World, p: Params) -> bool:
    chat, member = _moderation_target(w, p)
    if member.status == "creator":
        raise bad_request(E.CANT_REMOVE_OWNER)
    if member.status == "administrator":
        raise bad_request(E.USER_IS_ADMIN)
    until = w.until_from_param(p.raw("until_date"))
    if p.get_bool("revoke_messages"):
        for msg in chat.messages.values():
            if msg.from_id == member.user.id:
                msg.deleted = True
    w.set_member(
        chat, member.user, Member(user=member.user, status="kicked", until=until), actor=w.bot
    )
    return True


@method("unbanChatMember")
def unban_chat_member(w: World, p: Params) -> bool:
    chat, member = _moderation_target(w, p)
    if member.status != "kicked":
        if p.get_bool("only_if_banned"):
            return True
        if member.status in ("creator", "administrator"):
            raise bad_request(E.USER_IS_ADMIN)
        if w.is_in_chat(chat, member.user):
            # "the user will be removed from the chat" unless only_if_banned is set.
            w.set_member(chat, member.user, Member(user=member.user, status="left"), actor=w.bot)
        return True
    w.set_member(chat, member.user, Member(user=member.user, status="left"), actor=w.bot)
    return True


@method("restrictChatMember")
def restrict_chat_member(w: World, p: Params) -> bool:
    chat, member = _moderation_target(w, p)
    if member.status == "creator":
        raise bad_request(E.CANT_REMOVE_OWNER)
    if member.status == "administrator":
        raise bad_request(E.USER_IS_ADMIN)
    perms = p.get_json("permissions", required=True)
    if not isinstance(perms, dict):
        raise bad_request("can't parse permissions JSON object")
    full = {k: bool(perms.get(k, False)) for k in PERMISSIONS}
    until = w.until_from_param(p.raw("until_date"))
    in_chat = w.is_in_chat(chat, member.user)
    base = {k: bool(chat.permissions.get(k, False)) for k in PERMISSIONS}
    if full == base or all(full.values()):
        new = Member(user=member.user, status="member" if in_chat else "left")
    else:
        new = Member(
            user=member.user, status="restricted", permissions=full, is_member=in_chat, until=until
        )
    w.set_member(chat, member.user, new, actor=w.bot)
    return True


@method("promoteChatMember")
def promote_chat_member(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_promote_members", E.RIGHTS_PROMOTE)
    user = w.user(p.get_int("user_id", required=True))
    member = w.member(chat, user)
    if member.status == "creator":
        raise bad_request("can't change chat owner rights")  # assumption (wording)
    if not w.is_in_chat(chat, user):
        raise bad_request("USER_NOT_PARTICIPANT")
    rights = {r: p.get_bool(r) for r in ADMIN_RIGHTS}
    if any(rights.values()):
        new = Member(user=user, status="administrator", rights=rights)
    else:
        new = Member(user=user, status="member")
    w.set_member(chat, user, new, actor=w.bot)
    return True


@method("setChatPermissions")
def set_chat_permissions(w: World, p: Params) -> bool:
    chat = w.resolve_chat(p.raw("chat_id"))
    w.require_admin_right(chat, "can_restrict_members", E.RIGHTS_RESTRICT)
    perms = p.get_json("permissions", required=True)
    chat.permissions = {k: bool(perms.get(k, False)) for k in PERMISSIONS}
    w.on_change()
    return True


@method("getFile")
def get_file(w: World, p: Params) -> dict[str, Any]:
    file_id = p.get_str("file_id", required=True) or ""
    base = file_id[:-2] if file_id.endswith("_s") else file_id
    if base not in w.files:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    _name, data = w.files[base]
    return {
        "file_id": file_id,
        "file_unique_id": "SBXU" + base[-8:],
        "file_size": len(data),
        "file_path": f"files/{base}",
    }


def dispatch(w: World, name: str, p: Params) -> Any:
    handler = METHODS.get(name.lower())
    if handler is None:
        raise E.NOT_FOUND
    return handler(w, p)


__all__ = ["METHODS", "ApiError", "Params", "dispatch"]
