"""Fixtures: a started Sandbox on a FakeClock, a raw HTTP client and a real PTB Bot."""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.core.clock import FakeClock
from bot.sandbox import Sandbox

TOKEN = "123456:TEST"


@functools.cache
def tls_context() -> ssl.SSLContext:
    # httpx loads the CA bundle (~50 ms) for every client it makes; the tests share one.
    return httpx.create_ssl_context()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sb(clock: FakeClock) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(token=TOKEN, clock=clock, bot_username="club_bot", bot_first_name="Club Bot")
    await sandbox.start()
    yield sandbox
    await sandbox.stop()


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=f"{sb.base_url}{TOKEN}/", timeout=5.0, verify=tls_context()
    ) as client:
        yield client


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    shared = {"verify": tls_context()}
    request = HTTPXRequest(read_timeout=2.0, connect_timeout=2.0, httpx_kwargs=shared)
    updates = HTTPXRequest(read_timeout=5.0, httpx_kwargs=shared)
    async with Bot(TOKEN, base_url=sb.base_url, request=request, get_updates_request=updates) as b:
        yield b
