"""Lone surrogate escapes in an update's JSON become U+FFFD before anything decodes it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.json_escapes import mend_bytes, mend_text
from bot.core.updates_request import UpdatesRequest

# Any code points, with surrogate halves often (hypothesis draws them only rarely itself).
_any_text = st.lists(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF)
    | st.integers(0xD800, 0xDFFF).map(chr)
    | st.sampled_from(["\U0001f600", "\\", '"', "\\ud83d"]),
    max_size=12,
).map("".join)


@given(text=_any_text, ascii_only=st.booleans())
def test_whatever_the_text_the_mended_json_decodes_to_storable_text(
    text: str, ascii_only: bool
) -> None:
    if not ascii_only and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return  # a raw lone surrogate cannot even be sent as UTF-8: only escapes travel
    body = json.dumps({"text": text}, ensure_ascii=ascii_only)
    decoded = json.loads(mend_text(body))["text"]
    decoded.encode("utf-8")  # raises on a lone surrogate
    # Text without lone halves comes through unchanged.
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert decoded == text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (r'"half \ud83d of it"', "half \ufffd of it"),
        (r'"low \uDC00 alone"', "low \ufffd alone"),
        (r'"pair \ud83d\ude00 kept"', "pair \U0001f600 kept"),
        (r'"two highs \ud83d\ud83d\ude00"', "two highs \ufffd\U0001f600"),
        (r'"a backslash then text \\ud83d"', "a backslash then text \\ud83d"),
        (r'"backslash and escape \\\ud83d"', "backslash and escape \\\ufffd"),
        ('"nothing to mend é"', "nothing to mend é"),
    ],
)
def test_only_lone_halves_are_replaced(body: str, text: str) -> None:
    assert json.loads(mend_text(body)) == text
    assert json.loads(mend_bytes(body.encode())) == text


def test_a_polled_answer_with_half_an_emoji_parses_into_storable_text() -> None:
    request = UpdatesRequest()
    body = b'{"ok":true,"result":[{"update_id":1,"message":{"text":"half \\ud83d"}}]}'
    parsed = request.parse_json_payload(body)
    assert parsed["result"][0]["message"]["text"] == "half \ufffd"
    assert request.texts_of(parsed["result"]) == [
        '{"update_id":1,"message":{"text":"half \\ufffd"}}'
    ]
