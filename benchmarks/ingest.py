"""Bare TextBlob against the full ingest path, on the same texts.

* ``textblob``: ``TextBlob(text).sentiment.polarity`` for every text.
* ``ingest``: the real Application, started with ``start_application(app, mode="none")``
  (the sandbox answers only getMe), fed pre-built Updates the way polling does: the batch of
  100 stored in the inbox (``admit_batch``), then each update ``put`` on the queue; PTB's
  update loop runs every handler group, the feedback observer queues each message, and each
  batch is scored (in the scoring worker) and written in one transaction. Timed until every
  message row is stored with its scores.
"""

from __future__ import annotations

import asyncio
import csv
import gc
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "sentiment_labeled.csv"
BATCH = 100  # getUpdates returns at most 100 updates


def benchmark_texts(n: int) -> list[str]:
    """The labeled chat set, repeated to ``n`` messages."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        base = [row["text"] for row in csv.DictReader(handle)]
    return [base[i % len(base)] for i in range(n)]


def time_textblob(texts: Sequence[str]) -> float:
    return measure_textblob(texts)[0]


def measure_textblob(texts: Sequence[str]) -> tuple[float, float]:
    """Seconds, and CPU seconds, of bare TextBlob polarity for every text."""
    from textblob import TextBlob

    gc.collect()
    start, cpu = time.perf_counter(), time.thread_time()
    for text in texts:
        TextBlob(text).sentiment.polarity  # noqa: B018 - computing it is the point
    return time.perf_counter() - start, time.thread_time() - cpu


def _update(
    update_id: int, message_id: int, user_id: int, text: str, at: int, chat_id: int
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": at,
            "chat": {"id": chat_id, "type": "supergroup", "title": "Bakery VIP Club"},
            "from": {"id": user_id, "is_bot": False, "first_name": f"M{user_id % 1000}"},
            "text": text,
        },
    }


async def time_ingest(texts: Sequence[str]) -> float:
    """Seconds until every message is stored, scored."""
    return (await measure_ingest(texts))[0]


async def measure_ingest(texts: Sequence[str]) -> tuple[float, float, float]:
    """Seconds until every message is stored (scored), the event loop's CPU seconds meanwhile,
    and the CPU seconds the scoring worker spent on them."""
    from bot.app import start_application
    from bot.demo.simulation import simulated_club

    async with simulated_club(start=False) as club:
        app = club.app
        await start_application(app, mode="none", freeze_heap=True)  # as `bot run` does
        services = club.services
        feedback = club.features.feedback
        queue: Any = app.update_queue
        # 250 members taking turns, a batch every 10 s of (fake) time: lively chat, but no
        # member posts fast enough to trip the flood guard (8 messages in 10 s).
        at = int(club.clock.now().timestamp())
        raws = [
            _update(
                800_000_000 + i,
                10 + i,
                2**32 + i % 250,
                text,
                at + 10 * (i // BATCH),
                club.group.id,
            )
            for i, text in enumerate(texts)
        ]
        # Polling hands the inbox each update's JSON text as Telegram sent it along with the
        # parsed Updates (bot.core.updates_request); both are made outside the timed part.
        by_id = {
            raw["update_id"]: json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
            for raw in raws
        }
        updates = [Update.de_json(raw, app.bot) for raw in raws]
        gc.collect()
        before = feedback.counts["stored"]
        worker = getattr(feedback.scoring, "worker_cpu_seconds", 0.0)
        start, cpu = time.perf_counter(), time.thread_time()
        for offset in range(0, len(updates), BATCH):
            batch = updates[offset : offset + BATCH]
            club.clock.advance(10)
            await queue.admit_batch(batch, by_id)
            for update in batch:
                await queue.put(update)
        while feedback.counts["stored"] - before < len(texts) or services.db.deferred_count:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        row = await services.db.fetchone("SELECT COUNT(*) FROM feedback_messages")
        elapsed = time.perf_counter() - start
        cpu = time.thread_time() - cpu
        worker = getattr(feedback.scoring, "worker_cpu_seconds", 0.0) - worker
        if row is None or row[0] != len(texts):
            raise RuntimeError(f"expected {len(texts)} stored rows, found {row and row[0]}")
    return elapsed, cpu, worker


def run(quick: bool = False) -> dict[str, float]:
    n = 2_000 if quick else 10_000
    rounds = 3 if quick else 5
    texts = benchmark_texts(n)
    # Interleaved rounds, best of each: on a shared VM the speed drifts over seconds, and
    # timing all TextBlob rounds before all ingest rounds would fold that drift into the ratio.
    textblob_runs: list[tuple[float, float]] = []
    ingest_runs: list[tuple[float, float, float]] = []
    for _ in range(rounds):
        textblob_runs.append(measure_textblob(texts))
        ingest_runs.append(asyncio.run(measure_ingest(texts)))
    textblob = min(wall for wall, _ in textblob_runs)
    textblob_cpu = min(cpu for _, cpu in textblob_runs)
    ingest = min(elapsed for elapsed, _, _ in ingest_runs)
    loop_cpu = min(cpu for _, cpu, _ in ingest_runs)
    worker_cpu = min(worker for _, _, worker in ingest_runs)
    return {
        "messages": n,
        "textblob_msgs_per_s": n / textblob,
        "ingest_msgs_per_s": n / ingest,
        "ingest_overhead_ratio": textblob / ingest,
        "textblob_us_per_msg": textblob / n * 1e6,
        "ingest_us_per_msg": ingest / n * 1e6,
        # CPU, which a loaded machine inflates far less than wall time: the event loop's
        # thread, and the scoring worker's (0 when runtime.scoring_processes = 0).
        "ingest_loop_cpu_us_per_msg": loop_cpu / n * 1e6,
        "ingest_worker_cpu_us_per_msg": worker_cpu / n * 1e6,
        "ingest_cpu_ratio": textblob_cpu / (loop_cpu + worker_cpu),
    }


if __name__ == "__main__":
    import sys

    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:>24}: {value:,.3f}")
