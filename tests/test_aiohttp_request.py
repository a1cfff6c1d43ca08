"""The aiohttp client behind every Bot API call: what it sends, and how failures come out."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.core.aiohttp_request import AiohttpRequest
from bot.core.inbox import DurableBot

TOKEN = "123456:test-token"


async def _echo(request: web.Request) -> web.StreamResponse:
    """Answers with what arrived: headers that matter, form fields, uploaded files."""
    if request.path.endswith("/slow"):
        await asyncio.sleep(1)
    if request.path.startswith("/locked/"):
        body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return web.json_response(body, status=401)
    if request.path.endswith("/moved"):
        raise web.HTTPFound(location="/bot/getMe")
    if request.path.endswith("/trickle"):  # each piece within the read timeout, all of it not
        response = web.StreamResponse()
        await response.prepare(request)
        for piece in (b'{"ok":', b"true,", b'"result"', b":1}"):
            await asyncio.sleep(0.15)
            await response.write(piece)
        await response.write_eof()
        return response
    if request.path.endswith("/busy"):
        body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7"}
        return web.json_response({**body, "parameters": {"retry_after": 7}}, status=429)
    fields: dict[str, object] = {}
    if request.content_type == "multipart/form-data":
        async for part in await request.multipart():
            data = await part.read()  # type: ignore[union-attr]
            if part.filename:  # type: ignore[union-attr]
                fields[part.name or ""] = {
                    "filename": part.filename,  # type: ignore[union-attr]
                    "disposition": part.headers.get("Content-Disposition"),
                    "type": part.headers.get("Content-Type"),
                    "bytes": data.hex(),
                }
            else:
                fields[part.name or ""] = data.decode()
    else:
        fields = dict(await request.post())
    seen = {
        "method": request.method,
        "agent": request.headers.get("User-Agent"),
        "type": request.content_type,
        "fields": fields,
    }
    return web.json_response({"ok": True, "result": seen})


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def _parameters(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_parameters_are_form_encoded_with_ptbs_user_agent(server: str) -> None:
    request = AiohttpRequest()
    try:
        status, body = await request.do_request(
            f"{server}/bot/sendMessage", "POST", _parameters(chat_id=5, text="Grüße & <b>")
        )
    finally:
        await request.shutdown()
    seen = json.loads(body)["result"]
    assert status == 200 and seen["method"] == "POST"
    assert seen["type"] == "application/x-www-form-urlencoded"
    assert seen["agent"] == AiohttpRequest.USER_AGENT
    assert seen["fields"] == {"chat_id": "5", "text": "Grüße & <b>"}


async def test_a_file_goes_as_multipart_beside_the_other_parameters(server: str) -> None:
    request = AiohttpRequest()
    photo = InputFile(b"\x89PNG fake", filename="rye.png")
    try:
        _, body = await request.do_request(
            f"{server}/bot/sendPhoto", "POST", _parameters(chat_id=5, photo=photo, caption="Rye")
        )
    finally:
        await request.shutdown()
    seen = json.loads(body)["result"]
    assert seen["type"] == "multipart/form-data"
    assert seen["fields"]["chat_id"] == "5" and seen["fields"]["caption"] == "Rye"
    attach = seen["fields"]["photo"]
    assert attach["filename"] == "rye.png" and attach["bytes"] == b"\x89PNG fake".hex()
    assert attach["type"] == photo.mimetype


async def test_through_a_bot_telegrams_errors_come_out_as_ptbs(server: str) -> None:
    bot = Bot(TOKEN, base_url=f"{server}/bot", request=AiohttpRequest())
    async with bot.request:  # type: ignore[attr-defined]
        answer = await bot.do_api_request("echo", api_kwargs={"x": 1})
        assert answer["fields"] == {"x": "1"}
        with pytest.raises(RetryAfter) as busy:
            await bot.do_api_request("busy")
        assert busy.value.retry_after == 7


async def test_a_silent_server_is_a_timeout_and_a_closed_port_a_network_error(
    server: str,
) -> None:
    request = AiohttpRequest(read_timeout=0.2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # bound, not listening: refused
        try:
            with pytest.raises(TimedOut):
                await request.do_request(f"{server}/bot/slow", "POST")
            with pytest.raises(NetworkError) as refused:
                await request.do_request(f"http://127.0.0.1:{closed}/bot/getMe", "POST")
        finally:
            await request.shutdown()
    assert not isinstance(refused.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in str(refused.value)


async def test_it_opens_on_first_use_and_shuts_down_twice_harmlessly(server: str) -> None:
    request = AiohttpRequest()
    status, _ = await request.do_request(f"{server}/bot/getMe", "POST")
    await request.shutdown()
    await request.shutdown()
    assert status == 200
    assert request.read_timeout == 5.0


async def test_a_file_name_is_written_as_httpx_writes_it(server: str) -> None:
    request = AiohttpRequest()
    name = 'Brötchen "neu".png'
    photo = InputFile(b"png", filename=name)
    try:
        _, body = await request.do_request(
            f"{server}/bot/sendPhoto", "POST", _parameters(chat_id=5, photo=photo)
        )
    finally:
        await request.shutdown()
    disposition = json.loads(body)["result"]["fields"]["photo"]["disposition"]
    # UTF-8 as is, the quote %-escaped (httpx and browsers), not all of it %-encoded.
    assert 'filename="Brötchen %22neu%22.png"' in disposition


async def test_an_answer_is_judged_as_it_came_without_following_redirects(server: str) -> None:
    request = AiohttpRequest()
    try:
        status, _ = await request.do_request(f"{server}/bot/moved", "POST", _parameters(x=1))
    finally:
        await request.shutdown()
    assert status == 302


async def test_a_slow_answer_is_not_cut_while_each_piece_comes_in_time(server: str) -> None:
    # Four pieces 0.15 s apart, 0.3 s read timeout: 0.6 s in all, longer than the four
    # timeouts added up (0.33 s), which only ever bound an upload.
    request = AiohttpRequest(
        read_timeout=0.3, write_timeout=0.01, connect_timeout=0.01, pool_timeout=0.01
    )
    try:
        status, body = await request.do_request(f"{server}/bot/trickle", "POST")
    finally:
        await request.shutdown()
    assert status == 200 and json.loads(body) == {"ok": True, "result": 1}


async def test_a_full_pool_says_nothing_was_sent(server: str) -> None:
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.05)
    try:
        busy = asyncio.create_task(request.do_request(f"{server}/bot/slow", "POST"))
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut, match="Pool timeout") as full:
            await request.do_request(f"{server}/bot/getMe", "POST")
        assert "not* sent" in full.value.message
        status, _ = await busy  # and the pool's place comes back
        assert status == 200
        assert (await request.do_request(f"{server}/bot/getMe", "POST"))[0] == 200
    finally:
        await request.shutdown()


async def test_after_shutdown_a_call_is_refused_until_initialized_again(server: str) -> None:
    bot = Bot(TOKEN, base_url=f"{server}/bot", request=AiohttpRequest())
    await bot.request.initialize()  # type: ignore[attr-defined]
    await bot.request.shutdown()  # type: ignore[attr-defined]
    with pytest.raises(NetworkError, match="not initialized"):
        await bot.do_api_request("echo")
    await bot.request.initialize()  # type: ignore[attr-defined]
    try:
        assert (await bot.do_api_request("echo"))["method"] == "POST"
    finally:
        await bot.request.shutdown()  # type: ignore[attr-defined]


async def test_a_bot_that_cannot_start_closes_its_connections(server: str) -> None:
    # PTB's shutdown() skips a bot whose initialize() failed; its sessions must not linger.
    requests = [AiohttpRequest(), AiohttpRequest()]
    bot = DurableBot(
        TOKEN,
        base_url=f"{server}/locked/bot",
        request=requests[0],
        get_updates_request=requests[1],
    )
    with pytest.raises(InvalidToken):
        await bot.initialize()
    for request in requests:
        with pytest.raises(RuntimeError, match="not initialized"):
            await request.do_request(f"{server}/bot/getMe", "POST")
