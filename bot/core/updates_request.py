"""getUpdates' answer parsed so that each update's JSON text is kept as Telegram sent it.

The inbox stores every update's JSON before the batch is confirmed (``bot.core.inbox``).
Encoding the parsed dicts back to JSON cost ~4 µs an update on the event loop, and the text
Telegram sent is what we want stored anyway. PTB documents ``parse_json_payload`` as the
place to customise how an answer is decoded; this one walks the ``result`` array with the
standard decoder's ``raw_decode`` (the same C scanner ``json.loads`` uses), which returns
each element's end offset, so each element's text is a slice of the body.

Lone surrogate escapes are mended first (``bot.core.json_escapes``). Only an answer
shaped ``{"ok": true, "result": [ ... ]}`` (any whitespace) takes this path; anything else
(an error, another key, odd JSON) is decoded by PTB's own method, and the inbox then encodes
those updates itself. The texts are handed over once, to the caller that asks with the very
list the parse produced, so a stale or foreign batch is never mixed up.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.aiohttp_request import AiohttpRequest
from bot.core.json_escapes import mend_bytes, mend_text

# JSON's whitespace only: ``\s`` would also take Unicode spaces, which json.loads refuses.
_WS = r"[ \t\n\r]*"
_ENVELOPE = re.compile(rf'{_WS}\{{{_WS}"ok"{_WS}:{_WS}true{_WS},{_WS}"result"{_WS}:{_WS}\[')
_decode = json.JSONDecoder().raw_decode
_JSON_SPACE = " \t\n\r"


def _skip_space(body: str, at: int) -> int:
    # Telegram's answers are compact: usually no step at all.
    while at < len(body) and body[at] in _JSON_SPACE:
        at += 1
    return at


def split_result(body: str) -> tuple[list[Any], list[str]] | None:
    """The ``result`` array's elements and each one's JSON text, or None if not that shape."""
    start = _ENVELOPE.match(body)
    if start is None:
        return None
    items: list[Any] = []
    texts: list[str] = []
    at = _skip_space(body, start.end())
    try:
        if body[at] == "]":
            at += 1
        else:
            while True:
                item, end = _decode(body, at)
                items.append(item)
                texts.append(body[at:end])
                at = _skip_space(body, end)
                if body[at] == "]":
                    at += 1
                    break
                if body[at] != ",":
                    return None
                at = _skip_space(body, at + 1)
    except (ValueError, IndexError):
        return None
    at = _skip_space(body, at)
    if body[at : at + 1] != "}" or _skip_space(body, at + 1) != len(body):
        return None  # another key after the result, or something after the object
    return items, texts


class UpdatesRequest(AiohttpRequest):
    """The getUpdates connection: keeps the JSON text of each update of the last answer."""

    __slots__ = ("_texts",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts: tuple[list[Any], list[str]] | None = None

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        split = split_result(mend_text(payload.decode("utf-8", "replace")))
        if split is None:
            self._texts = None
            return super().parse_json_payload(mend_bytes(payload))
        self._texts = split
        return {"ok": True, "result": split[0]}

    def texts_of(self, result: object) -> list[str] | None:
        """The JSON texts of ``result``'s elements, if ``result`` is the last answer's array."""
        kept, self._texts = self._texts, None
        if kept is None or kept[0] is not result:
            return None
        return kept[1]
