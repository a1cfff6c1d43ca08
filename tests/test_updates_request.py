"""getUpdates' answer split into the updates and each update's JSON text as sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.updates_request import UpdatesRequest, split_result

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_updates = st.lists(
    st.dictionaries(st.text(max_size=8), _json_values, max_size=5).map(
        lambda update: {"update_id": 1, **update}
    ),
    max_size=6,
)


@given(updates=_updates, compact=st.booleans(), ascii_only=st.booleans())
def test_each_update_and_its_text_come_out_as_sent(
    updates: list[dict[str, Any]], compact: bool, ascii_only: bool
) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    body = json.dumps(
        {"ok": True, "result": updates}, separators=separators, ensure_ascii=ascii_only
    )
    split = split_result(body)
    assert split is not None
    items, texts = split
    assert items == updates
    assert [json.loads(text) for text in texts] == updates
    # Each text is the very slice of the body, in order.
    at = 0
    for text in texts:
        at = body.index(text, at) + len(text)


def test_an_answer_spread_over_lines_is_split_too() -> None:
    body = (
        '\n{ "ok" : true ,\n "result" : [\n {"update_id": 5, "x": "a]b,c\\"d"} ,\n'
        ' {"update_id": 6} \n] }\n'
    )
    split = split_result(body)
    assert split is not None
    assert split[0] == [{"update_id": 5, "x": 'a]b,c"d'}, {"update_id": 6}]
    assert split[1] == ['{"update_id": 5, "x": "a]b,c\\"d"}', '{"update_id": 6}']


@pytest.mark.parametrize(
    "body",
    [
        '{"ok":false,"error_code":409,"description":"Conflict"}',
        '{"result":[],"ok":true}',  # another order: PTB's own parse takes it
        '{"ok":true,"result":[1,2],"more":1}',
        '{"ok":true,"result":[1,2]} trailing',
        '{"ok":true,"result":[1 2]}',
        '{"ok":true,"result":[1,',
        '{"ok":true,"result":[{"a":}]}',
        '{"ok":true,"result":{"a":1}}',
        "",
        '\u00a0{"ok":true,"result":[]}',  # not JSON's whitespace: json.loads refuses it
        '{"ok":true,\u2003"result":[]}',
    ],
)
def test_any_other_shape_is_left_to_ptb(body: str) -> None:
    assert split_result(body) is None


def test_the_request_hands_the_texts_once_and_only_for_its_own_answer() -> None:
    request = UpdatesRequest()
    body = b'{"ok":true,"result":[{"update_id":7,"message":{"text":"Gr\xc3\xbc\xc3\x9fe"}}]}'
    parsed = request.parse_json_payload(body)
    assert parsed == {"ok": True, "result": [{"update_id": 7, "message": {"text": "Grüße"}}]}
    assert request.texts_of([{"update_id": 7}]) is None  # an equal list, not the same one
    parsed = request.parse_json_payload(body)
    assert request.texts_of(parsed["result"]) == ['{"update_id":7,"message":{"text":"Grüße"}}']
    assert request.texts_of(parsed["result"]) is None  # handed over already


def test_an_answer_of_another_shape_is_decoded_as_ptb_does() -> None:
    request = UpdatesRequest()
    parsed = request.parse_json_payload(b'{"result": [], "ok": true}')
    assert parsed == {"result": [], "ok": True}
    assert request.texts_of(parsed["result"]) is None
