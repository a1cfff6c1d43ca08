"""An update's JSON text for the inbox: as Telegram sent it when we have it, else PTB's."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from telegram import Update

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
