"""The wire contract, checked with plain HTTP: status codes, error bodies, encodings."""

from __future__ import annotations

import json

import httpx

from bot.sandbox import Sandbox


async def _call(http: httpx.AsyncClient, method: str, **params: object) -> httpx.Response:
    return await http.post(method, json=params)


async def test_wrong_token_is_401(sb: Sandbox) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{sb.base_url}999:WRONG/getMe")
    assert r.status_code == 401
    assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_404(http: httpx.AsyncClient) -> None:
    r = await _call(http, "sendTelepathy")
    assert r.status_code == 404
    assert r.json()["description"] == "Not Found"


async def test_method_names_are_case_insensitive_and_get_works(http: httpx.AsyncClient) -> None:
    r = await http.get("GETME")
    assert r.status_code == 200
    me = r.json()["result"]
    assert me["id"] == 123456 and me["is_bot"] and me["username"] == "club_bot"
    assert {"can_join_groups", "can_read_all_group_messages", "supports_inline_queries"} <= set(me)


async def test_missing_required_params(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    r = await _call(http, "sendMessage", text="hi")
    assert (r.status_code, r.json()["description"]) == (400, "Bad Request: chat_id is empty")
    r = await _call(http, "sendMessage", chat_id=alice.id)
    assert r.json()["description"] == "Bad Request: message text is empty"


async def test_form_encoded_json_values_are_decoded(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    r = await http.post(
        "sendMessage",
        data={"chat_id": str(alice.id), "text": "hi", "reply_markup": json.dumps(markup)},
    )
    assert r.status_code == 200, r.text
    assert sb.bot_messages(alice)[-1].reply_markup == markup


async def test_text_and_caption_limits(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    r = await _call(http, "sendMessage", chat_id=alice.id, text="x" * 4097)
    assert r.json()["description"] == "Bad Request: message is too long"
    # 4096 after entity parsing is fine even though the HTML source is longer
    r = await _call(
        http, "sendMessage", chat_id=alice.id, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML"
    )
    assert r.status_code == 200
    r = await http.post(
        "sendPhoto",
        data={"chat_id": str(alice.id), "caption": "c" * 1025},
        files={"photo": ("p.jpg", b"img")},
    )
    assert r.json()["description"] == "Bad Request: message caption is too long"


async def test_bad_html(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    for text in ("<foo>x</foo>", "<b>x", "x</b>", "<b><i>x</b></i>"):
        r = await _call(http, "sendMessage", chat_id=alice.id, text=text, parse_mode="HTML")
        assert r.status_code == 400, text
        assert r.json()["description"].startswith("Bad Request: can't parse entities: ")
    r = await _call(
        http, "sendMessage", chat_id=alice.id, text="a &lt;b&gt; <i>c</i>", parse_mode="HTML"
    )
    assert r.json()["result"]["text"] == "a <b> c"
    assert r.json()["result"]["entities"] == [{"type": "italic", "offset": 6, "length": 1}]


async def test_callback_data_over_64_bytes(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]}  # 66 bytes
    r = await _call(http, "sendMessage", chat_id=alice.id, text="hi", reply_markup=markup)
    assert r.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_invite_link_validation(sb: Sandbox, http: httpx.AsyncClient) -> None:
    group = sb.create_supergroup("G", chat_id=-1001)
    r = await _call(http, "createChatInviteLink", chat_id=group.id)
    assert r.status_code == 400 and "not enough rights" in r.json()["description"]
    sb.make_bot_admin(group, can_invite_users=True)
    r = await _call(
        http, "createChatInviteLink", chat_id=group.id, member_limit=5, creates_join_request=True
    )
    assert r.status_code == 400
    for bad in (0, 100000):
        r = await _call(http, "createChatInviteLink", chat_id=group.id, member_limit=bad)
        assert r.status_code == 400, bad
    r = await _call(http, "createChatInviteLink", chat_id=group.id, name="n" * 33)
    assert r.status_code == 400
    r = await _call(http, "createChatInviteLink", chat_id=group.id, member_limit=1, name="one")
    assert r.json()["result"]["member_limit"] == 1


async def test_unknown_chat_and_migrated_group(sb: Sandbox, http: httpx.AsyncClient) -> None:
    r = await _call(http, "sendMessage", chat_id=-100999, text="x")
    assert r.json()["description"] == "Bad Request: chat not found"
    old = sb.create_group("Old", chat_id=-555, kind="group")
    sb.migrate_group_to_supergroup(old, -100555)
    r = await _call(http, "sendMessage", chat_id=-555, text="x")
    body = r.json()
    assert r.status_code == 400 and body["parameters"] == {"migrate_to_chat_id": -100555}
    r = await _call(http, "sendMessage", chat_id=-100555, text="x")
    assert r.status_code == 200


async def test_poll_option_count(sb: Sandbox, http: httpx.AsyncClient) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    for options in (["only"], [str(i) for i in range(13)]):
        r = await _call(http, "sendPoll", chat_id=alice.id, question="Q?", options=options)
        assert r.status_code == 400, options
    r = await _call(
        http, "sendPoll", chat_id=alice.id, question="Q?", options=[{"text": "a"}, {"text": "b"}]
    )
    assert r.json()["result"]["poll"]["options"][1]["text"] == "b"


async def test_large_ids_survive_json(sb: Sandbox, http: httpx.AsyncClient) -> None:
    big = sb.create_user("Big")
    assert big.id > 2**32
    sb.start_bot(big)
    r = await http.post("sendMessage", data={"chat_id": str(big.id), "text": "hi"})
    assert r.json()["result"]["chat"]["id"] == big.id
