"""Measure the ingest path against bare TextBlob scoring of the same texts, in one run.

``measure_ingest`` is what ``benchmarks/`` calls: it builds the real Application on a temp
database (no network: updates are handed to ``process_update`` the way the polling loop does,
a ``getUpdates`` batch at a time, with the inbox write of each batch included) and times

* ``textblob``: ``TextBlob(text).sentiment`` for every text;
* ``pipeline``: update -> every handler group -> Analyzer -> deferred upsert -> one
  transaction per batch (the real ``CommunityApplication.process_update`` and ``flush``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update

BENCH_ASPECTS = {
    "taste": ["taste", "flavour", "bland", "delicious", "sweet"],
    "price": ["price", "expensive", "cheap", "value"],
    "packaging": ["packaging", "box", "bag"],
    "service": ["service", "staff", "queue", "barista"],
}


def _update_dict(
    update_id: int, message_id: int, user_id: int, text: str, at: int, chat_id: int
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": at,
            "chat": {"id": chat_id, "type": "supergroup", "title": "Club"},
            "from": {"id": user_id, "is_bot": False, "first_name": f"M{user_id % 1000}"},
            "text": text,
        },
    }


def _time_textblob(texts: Sequence[str]) -> float:
    from textblob import TextBlob

    start = time.perf_counter()
    for text in texts:
        TextBlob(text).sentiment  # noqa: B018 - the property computes the score
    return time.perf_counter() - start


async def _time_pipeline(
    texts: Sequence[str], batch: int, first_update: int, inbox: bool = True
) -> float:
    from bot.simulation import simulated_club

    # The sandbox only answers getMe here (Application.initialize); the updates are handed to
    # the Application directly, as the polling loop would after getUpdates.
    async with simulated_club(start=False, sentiment={"aspects": BENCH_ASPECTS}) as club:
        app = club.app
        await app.initialize()
        services = club.services
        queue = app.update_queue
        at = int(club.clock.now().timestamp())
        chat_id = club.group.id
        updates = [
            Update.de_json(
                _update_dict(first_update + i, 10 + i, 2**32 + i % 250, text, at, chat_id),
                app.bot,
            )
            for i, text in enumerate(texts)
        ]
        gc.collect()
        start = time.perf_counter()
        for offset in range(0, len(updates), batch):
            chunk = updates[offset : offset + batch]
            # What DurableBot.get_updates does for each batch, then the update loop.
            if inbox:
                await queue.admit_batch(chunk)  # type: ignore[attr-defined]
            for update in chunk:
                queue.put_nowait(update)
            while not queue.empty():
                await app.process_update(queue.get_nowait())
        await services.db.flush()
        elapsed = time.perf_counter() - start
        stored = await services.db.fetchone("SELECT COUNT(*) FROM feedback_messages")
        if stored is None or stored[0] != len(texts):
            raise RuntimeError(f"expected {len(texts)} stored messages, found {stored}")
    return elapsed


async def measure_ingest(
    texts: Sequence[str], *, repeat: int = 3, batch: int = 100
) -> dict[str, float]:
    """Best-of-``repeat`` time per message: TextBlob, the pipeline, and the overheads.

    ``pipeline`` is update -> handlers -> Analyzer -> SQLite (the feature's path, with the
    batch's transaction); ``pipeline_with_inbox`` adds the foundation's durable inbox write of
    each getUpdates batch (serialising every update to JSON before handling it).
    """
    textblob_best = pipeline_best = inbox_best = float("inf")
    n = len(texts)
    for round_ in range(repeat):
        textblob_best = min(textblob_best, _time_textblob(texts))
        pipeline_best = min(
            pipeline_best, await _time_pipeline(texts, batch, 1 + 2 * round_ * n, inbox=False)
        )
        inbox_best = min(inbox_best, await _time_pipeline(texts, batch, 1 + (2 * round_ + 1) * n))
    return {
        "messages": float(n),
        "textblob_us": textblob_best / n * 1e6,
        "pipeline_us": pipeline_best / n * 1e6,
        "pipeline_with_inbox_us": inbox_best / n * 1e6,
        "textblob_msgs_per_s": n / textblob_best,
        "pipeline_msgs_per_s": n / pipeline_best,
        "pipeline_with_inbox_msgs_per_s": n / inbox_best,
        "overhead": pipeline_best / textblob_best - 1.0,
        "overhead_with_inbox": inbox_best / textblob_best - 1.0,
    }


def labeled_texts() -> list[str]:
    """The project's labeled chat messages (tests/data/sentiment_labeled.csv)."""
    import csv

    path = Path(__file__).resolve().parents[2] / "tests" / "data" / "sentiment_labeled.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


if __name__ == "__main__":
    sample = labeled_texts() * 10
    result = asyncio.run(measure_ingest(sample))
    for key, value in result.items():
        print(f"{key:>22}: {value:,.3f}")
