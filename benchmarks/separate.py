"""Join wave and group chat with the sandbox in its own process (benchmarks/world.py).

* ``join_wave``: ``n`` people redeem valid codes (setup, not timed), then their join requests
  arrive evenly over ``spread`` seconds; the world times request -> approval arriving.
* ``e2e``: ``n`` group messages are queued in the world, then a bot starts long polling and
  the clock runs until it has handled them all. A bare python-telegram-bot Application with
  a no-op handler and this bot (every message stored) take turns on fresh worlds in the same
  run; the ratio of their rates is the figure (best of the rounds for each, to cancel the
  machine's drift).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.demo.simulation import TOKEN

ROOT = Path(__file__).resolve().parent.parent
MEMBERS_FIRST_ID = 2**32 + 50_000
# Enough people that nobody posts 8 messages within 10 s even at 10,000 messages (otherwise
# the flood guard restricts them, and its group notices wait in the 20-a-minute budget).
MEMBERS = 2_000
WAVE_FIRST_ID = 2**32 + 70_000


class World:
    """A sandbox process and its command pipe."""

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.base_url = ""

    async def __aenter__(self) -> World:
        # BENCH_WORLD_PROFILE=FILE profiles the sandbox process (to see whose time it is).
        profile = os.environ.get("BENCH_WORLD_PROFILE")
        prefix = ["-m", "cProfile", "-o", profile] if profile else []
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *prefix,
            "-m",
            "benchmarks.world",
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        self.base_url = str((await self._read())["base_url"])
        return self

    async def _read(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        line = await self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox process ended")
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def ask(self, **command: Any) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()
        return await self._read()

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.returncode is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"op": "stop"}\n')
                await self.proc.stdin.drain()
                await asyncio.wait_for(self.proc.wait(), timeout=10)
            except (TimeoutError, ConnectionError):
                self.proc.kill()
                await self.proc.wait()


def _settings(db: Path, base_url: str, **sections: dict[str, Any]) -> Any:
    from bot.demo.simulation import club_settings

    runtime = {"scheduler_seconds": 3600, "polling_timeout": 1, "log_level": "ERROR"}
    runtime.update(sections.pop("runtime", {}))
    return club_settings(db, base_url, runtime=runtime, **sections)


async def join_wave(n: int, spread: float) -> dict[str, float]:
    from bot.app import build_application, start_application, stop_application

    async with World() as world:
        await world.ask(op="users", first_id=WAVE_FIRST_ID, n=n)
        with tempfile.TemporaryDirectory(prefix="wave-") as scratch:
            settings = _settings(
                Path(scratch) / "club.db", world.base_url, community={"max_members": n}
            )
            app = await build_application(settings)
            await start_application(app)
            try:
                gate = app.clubs.only.features.gate
                codes = await gate.create_codes(min(n, 200), n // 200 + 1, "wave", None, None)
                for i in range(n):
                    reply = await gate.begin(WAVE_FIRST_ID + i, codes[i % len(codes)])
                    assert reply.attempt_id is not None, reply.text
                    await gate.accept(WAVE_FIRST_ID + i, reply.attempt_id)
                figures = await world.ask(
                    op="join_wave", first_id=WAVE_FIRST_ID, n=n, spread=spread
                )
                seats = (await gate.repo.counts()).seats_taken
            finally:
                await stop_application(app)
    return {
        "join_wave_requests": float(n),
        "join_wave_approved": float(figures["approved"]),
        "join_wave_p50_ms": float(figures["p50_ms"]),
        "join_wave_p99_ms": float(figures["p99_ms"]),
        "join_wave_max_ms": float(figures["max_ms"]),
        "join_wave_over_cap": float(max(0, seats - n)),
        "join_wave_rate_violations": float(figures["rate_violations"]),
    }


async def _until(done: Any, timeout: float = 300.0) -> None:  # noqa: ASYNC109
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the bot did not finish in time")
        await asyncio.sleep(0.002)


async def e2e_ours(n: int) -> tuple[float, float, float]:
    """Messages a second, this bot, every message stored (and scored); the event loop's CPU
    µs a message; the scoring worker's CPU µs a message."""
    from bot.app import ALLOWED_UPDATES, build_application, start_application, stop_application

    async with World() as world:
        await world.ask(op="members", first_id=MEMBERS_FIRST_ID, n=MEMBERS)
        with tempfile.TemporaryDirectory(prefix="e2e-") as scratch:
            settings = _settings(Path(scratch) / "club.db", world.base_url)
            app = await build_application(settings)
            # As ``python -m bot run`` starts it (with the heap frozen after start-up).
            await start_application(app, mode="none", freeze_heap=True)
            try:
                services = app.clubs.only.services
                feedback = app.clubs.only.features.feedback
                await world.ask(op="chat", first_id=MEMBERS_FIRST_ID, members=MEMBERS, n=n)
                assert app.updater is not None
                worker = getattr(feedback.scoring, "worker_cpu_seconds", 0.0)
                start, cpu = time.perf_counter(), time.thread_time()
                await app.updater.start_polling(
                    poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES
                )
                await _until(lambda: feedback.counts["stored"] >= n)
                await services.db.flush()
                elapsed = time.perf_counter() - start
                cpu = time.thread_time() - cpu
                worker = getattr(feedback.scoring, "worker_cpu_seconds", 0.0) - worker
                row = await services.db.fetchone("SELECT COUNT(*) FROM feedback_messages")
                if row is None or row[0] < n:
                    raise RuntimeError(f"only {row and row[0]} of {n} messages stored")
            finally:
                await stop_application(app)
    return n / elapsed, cpu / n * 1e6, worker / n * 1e6


async def e2e_bare(n: int) -> tuple[float, float]:
    """Messages a second, a bare PTB bot whose only handler does nothing; event-loop CPU µs."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    handled = 0

    async def noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        handled += 1

    async with World() as world:
        await world.ask(op="members", first_id=MEMBERS_FIRST_ID, n=MEMBERS)
        app = ApplicationBuilder().token(TOKEN).base_url(world.base_url).build()
        app.add_handler(MessageHandler(filters.ALL, noop))
        await app.initialize()
        await app.start()
        try:
            await world.ask(op="chat", first_id=MEMBERS_FIRST_ID, members=MEMBERS, n=n)
            assert app.updater is not None
            start, cpu = time.perf_counter(), time.thread_time()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            await _until(lambda: handled >= n)
            elapsed = time.perf_counter() - start
            cpu = time.thread_time() - cpu
        finally:
            if app.updater.running:
                await app.updater.stop()
            await app.stop()
            await app.shutdown()
    return n / elapsed, cpu / n * 1e6


async def e2e(n: int, rounds: int) -> dict[str, float]:
    ours: list[tuple[float, float, float]] = []
    bare: list[tuple[float, float]] = []
    for _ in range(rounds):  # interleaved, so drift hits both alike
        bare.append(await e2e_bare(n))
        ours.append(await e2e_ours(n))
    # CPU time of the event loop's thread per message drifts far less than wall time on a
    # shared machine (another process's load does not add to it): the best of each side.
    ours_cpu = min(cpu for _, cpu, _ in ours)
    bare_cpu = min(cpu for _, cpu in bare)
    # Wall time a message minus the loop's CPU: time the event loop waited (for the world's
    # answer, the inbox's commit, the GIL) or was not scheduled. Of each side's best round.
    ours_wait = min(1e6 / rate - cpu for rate, cpu, _ in ours)
    bare_wait = min(1e6 / rate - cpu for rate, cpu in bare)
    return {
        "e2e_http_msgs_per_s": max(rate for rate, _, _ in ours),
        "e2e_http_messages": float(n),
        "e2e_bare_ptb_msgs_per_s": max(rate for rate, _ in bare),
        "e2e_vs_bare_ptb_ratio": max(rate for rate, _, _ in ours) / max(rate for rate, _ in bare),
        "e2e_loop_cpu_us_per_msg": ours_cpu,
        "e2e_worker_cpu_us_per_msg": min(worker for _, _, worker in ours),
        "e2e_bare_loop_cpu_us_per_msg": bare_cpu,
        "e2e_loop_cpu_ratio": bare_cpu / ours_cpu,
        "e2e_loop_wait_us_per_msg": ours_wait,
        "e2e_bare_loop_wait_us_per_msg": bare_wait,
    }


def run_join_wave(quick: bool = False) -> dict[str, float]:
    return asyncio.run(join_wave(300, 3.0) if quick else join_wave(1_000, 10.0))


def run_e2e(quick: bool = False) -> dict[str, float]:
    return asyncio.run(e2e(2_000, 2) if quick else e2e(10_000, 3))


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(run_join_wave(quick) if "wave" in sys.argv else run_e2e(quick))
