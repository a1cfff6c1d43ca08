"""The aiohttp client behind every Bot API call: what it sends, and how failures come out."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.core.aiohttp_request import AiohttpRequest

TOKEN = "123456:test-token"


async def _echo(request: web.Request) -> web.Response:
    """Answers with what arrived: headers that matter, form fields, uploaded files."""
    if request.path.endswith("/slow"):
        await asyncio.sleep(1)
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


async def test_it_opens_again_after_a_shutdown(server: str) -> None:
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    status, _ = await request.do_request(f"{server}/bot/getMe", "POST")
    await request.shutdown()
    assert status == 200
    assert request.read_timeout == 5.0
