"""An update and its JSON text in the inbox: the text stored, and the update read back."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from telegram import Bot, Update

log = logging.getLogger(__name__)

# Built once: json.dumps with keyword arguments builds a new encoder for every update.
raw_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def stored_json(update: Update, raw: Mapping[str, Any] | None = None) -> str:
    """The text the inbox stores for ``update`` (``raw``: the JSON object it came as)."""
    # The JSON Telegram sent, when we have it: re-serialising an Update (to_dict walks every
    # nested object) costs ~70 us a message, a third of scoring it, and is lossy.
    if raw is not None:
        return raw_json(raw)
    return json.dumps(
        update.to_dict(), ensure_ascii=False, separators=(",", ":"), default=_as_telegram_json
    )


def _as_telegram_json(value: object) -> object:
    # to_dict leaves some values as Python objects (an InaccessibleMessage's date is a
    # datetime): write them the way Telegram does, so Update.de_json reads them back.
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot store a {type(value).__name__} in the inbox")


def read_update(data: object, bot: Bot | None) -> Update | None:
    """``data`` as PTB's Update; one PTB cannot read becomes an empty Update with its id.

    PTB refuses an update that lacks a field it requires (a self-hosted Bot API server of
    an older version, a field a newer PTB made required). Raised out of getUpdates, that
    refusal stopped every later update and made the updater ask again in a tight loop. The
    empty Update still carries the id, so it is stored, marked processed and confirmed like
    any other (no handler takes it), and the updates after it go on. None: not even an id.
    """
    try:
        return Update.de_json(data, bot)  # type: ignore[arg-type]
    except Exception as exc:
        return unreadable_update(data, exc)


def unreadable_update(data: object, error: Exception) -> Update | None:
    """The empty Update standing in for ``data``, which PTB refused with ``error`` (logged
    once, without the content); None if it has not even an id."""
    update_id = data.get("update_id") if isinstance(data, dict) else None
    kinds = ", ".join(k for k in data if k != "update_id") if isinstance(data, dict) else "?"
    if not isinstance(update_id, int):
        log.error("An update without an id could not be read (%s); dropped", kinds)
        return None
    log.error(
        "Update %s (%s) could not be read by python-telegram-bot (%s: %.200s); skipped",
        update_id,
        kinds,
        type(error).__name__,
        error,
    )
    return Update(update_id=update_id)
