"""What one Bot API call costs the event loop: PTB's httpx client against this bot's aiohttp one.

Run: ``python -m benchmarks.http_client`` (or within ``python -m benchmarks``). The sandbox
runs in its own process (``benchmarks.separate.World``); a PTB ``Bot`` calls ``getMe`` through
each client, one call at a time and then 8 at once, and the figure is the calling thread's
CPU time a call (``time.thread_time``), which is what a busy bot's event loop pays.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

CALLS = 1_000
WARM_UP = 50


async def _cpu_per_call(bot: Any, calls: int, at_once: int) -> float:
    for _ in range(WARM_UP):
        await bot.get_me()
    cpu = time.thread_time()
    for _ in range(calls // at_once):
        await asyncio.gather(*(bot.get_me() for _ in range(at_once)))
    return (time.thread_time() - cpu) / calls * 1e6


async def measure(calls: int = CALLS) -> dict[str, float]:
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from benchmarks.separate import World
    from bot.core.aiohttp_request import AiohttpRequest
    from bot.demo.simulation import TOKEN

    results: dict[str, float] = {}
    async with World() as world:
        clients = {
            "httpx": lambda: HTTPXRequest(connection_pool_size=8),
            "aiohttp": lambda: AiohttpRequest(connection_pool_size=8),
        }
        for name, client in clients.items():
            async with Bot(TOKEN, base_url=world.base_url, request=client()) as bot:
                results[f"http_{name}_cpu_us_per_call"] = await _cpu_per_call(bot, calls, 1)
                results[f"http_{name}_cpu_us_per_call_8_at_once"] = await _cpu_per_call(
                    bot, calls, 8
                )
    return results


def run(quick: bool = False) -> dict[str, float]:
    return asyncio.run(measure(CALLS // 4 if quick else CALLS))


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:<40} {value:8.0f} µs")
