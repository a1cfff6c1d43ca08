"""The click-counting redirect endpoint: answer time per click, and exact counts under load.

``python -m benchmarks.redirect [--clicks N] [--concurrency C]``

Two measurements against the real endpoint (tornado on a loopback port, the same code the
bot serves), with a real SQLite database for the counts:

* latency: sequential clicks on one keep-alive connection, the time from sending the
  request to having the whole 302 answer (client-side round trip, so it includes the
  client's own work and the loopback);
* load: N clicks from C concurrent connections (a new connection per click, as separate
  people would), with the counts written to SQLite by a concurrent writer every 50 ms as
  the scheduler would; the stored total must equal N.

The goal is under 5 ms per answer (issue #16).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.db import Database
from bot.links import redirect
from bot.links.repo import LinkRepository

TOKEN = "Bench12345"
TARGET = "https://shop.example/rye?utm_source=telegram&utm_content=preview-1"


async def _one_click(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> float:
    started = time.perf_counter()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    elapsed = time.perf_counter() - started
    if not head.startswith(b"HTTP/1.1 302"):
        raise RuntimeError(f"unexpected answer: {head[:40]!r}")
    return elapsed


async def _click_closing(port: int, path: str, gate: asyncio.Semaphore) -> bool:
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n".encode())
        answer = await reader.read()
        writer.close()
        await writer.wait_closed()
    return answer.startswith(b"HTTP/1.1 302")


async def measure(
    clicks: int = 2000, concurrency: int = 100, latency_n: int = 2000
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="redirect-bench-") as scratch:
        db = await Database.open(Path(scratch) / "bench.db")
        try:
            repo = LinkRepository(db)
            target = await repo.register(TARGET, TOKEN, "preview-1", None, 0)
            counter = redirect.ClickCounter(lambda: "2026-11-29")
            counter.add_target(target.token, target.id, target.url)
            server = redirect.serve(counter, "127.0.0.1", 0)
            port = server.port
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                for _ in range(50):  # warm-up
                    await _one_click(reader, writer, f"/r/{TOKEN}")
                times = [await _one_click(reader, writer, f"/r/{TOKEN}") for _ in range(latency_n)]
                writer.close()
                await repo.add_clicks(counter.take())  # warm-up and latency clicks
                before = await repo.total_clicks(target.id)

                done = asyncio.Event()

                async def writer_loop() -> None:
                    while not done.is_set():
                        await asyncio.sleep(0.05)
                        await repo.add_clicks(counter.take())

                gate = asyncio.Semaphore(concurrency)
                flusher = asyncio.create_task(writer_loop())
                started = time.perf_counter()
                results = await asyncio.gather(
                    *(_click_closing(port, f"/r/{TOKEN}", gate) for _ in range(clicks))
                )
                load_seconds = time.perf_counter() - started
                done.set()
                await flusher
                await repo.add_clicks(counter.take())
                counted = await repo.total_clicks(target.id) - before
            finally:
                server.stop()
        finally:
            await db.close()
    times.sort()
    ms = [t * 1000 for t in times]
    return {
        "latency_clicks": latency_n,
        "latency_p50_ms": round(statistics.median(ms), 3),
        "latency_p99_ms": round(ms[int(len(ms) * 0.99) - 1], 3),
        "latency_max_ms": round(ms[-1], 3),
        "under_5ms_share": round(sum(1 for m in ms if m < 5) / len(ms), 4),
        "load_clicks": clicks,
        "load_concurrency": concurrency,
        "load_ok_answers": sum(results),
        "load_counted": counted,
        "load_clicks_per_second": round(clicks / load_seconds, 1),
    }


def run(quick: bool) -> dict[str, Any]:
    """For ``python -m benchmarks``: the figures under the names of its table."""
    clicks = 1000 if quick else 5000
    found = asyncio.run(measure(clicks, 100, 1000 if quick else 5000))
    return {
        "redirect_p50_ms": found["latency_p50_ms"],
        "redirect_p99_ms": found["latency_p99_ms"],
        "redirect_counted_share": found["load_counted"] / clicks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--latency-clicks", type=int, default=2000)
    args = parser.parse_args()
    result = asyncio.run(measure(args.clicks, args.concurrency, args.latency_clicks))
    print(json.dumps(result, indent=2))
    return 0 if result["load_counted"] == args.clicks else 1


if __name__ == "__main__":
    raise SystemExit(main())
