"""How long the digest of one day takes to build as the database grows (10k, 100k, 1M messages).

Run: ``.venv/bin/python -m benchmarks.digest_scale`` (``--quick`` for 10k and 100k only).

A temp database gets N synthetic member messages spread over 180 days (the default retention)
from 250 members, with aspects on ~30% and topics on ~50% of them, written with one
``executemany`` through the real schema and triggers. Then the digest of the last full day is
built twice through ``build_digest``: *cold* (the 14 days of the chart are aggregated and
cached) and *warm* (the daily cache is used, as on every digest after the first). Python memory
is traced during the build (``tracemalloc`` peak) to show that it stays flat as N grows.

The ingest path against bare TextBlob is measured by ``benchmarks/ingest.py``.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.db import Database
from bot.digest.build import build_digest

CHAT_ID = -1001234567890
DAYS = 180
MEMBERS = 250
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
LAST_DAY = date(2026, 11, 30)
TEXTS = [
    ("love the festive bake, amazing flavour", 0.6, {"taste": 0.6}, ["festive bake"]),
    ("the vegan roll was dry and bland", -0.45, {"taste": -0.45}, ["vegan roll"]),
    ("when does the shop open tomorrow?", 0.0, {}, ["shop"]),
    ("way too expensive for what it is", -0.4, {"price": -0.4}, []),
    ("great service today, thanks team", 0.8, {"service": 0.8}, ["service"]),
    ("the new box is nice but hard to open", 0.1, {"packaging": 0.1}, ["box"]),
    ("ok", 0.0, {}, []),
    ("Очень вкусно!", 0.0, {}, []),
]


def _settings(database: Path) -> Settings:
    return Settings(
        telegram={"token": "1:x", "community_chat_id": CHAT_ID, "brand_chat_id": -100999},
        storage={"database": database},
    )


def fill(path: Path, n: int, seed: int = 7) -> float:
    """Write ``n`` synthetic messages (and the schema) into ``path``; returns seconds taken."""
    rng = random.Random(seed)
    end = int(datetime.combine(LAST_DAY + timedelta(days=1), datetime.min.time(), UTC).timestamp())
    start = end - DAYS * 86400
    start_time = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")  # a throwaway database: fill it fast

        def rows() -> Any:
            for message_id in range(1, n + 1):
                text, polarity, aspects, topics = TEXTS[rng.randrange(len(TEXTS))]
                polarity = max(-1.0, min(1.0, polarity + rng.uniform(-0.2, 0.2)))
                unscored = text.startswith("Оч") or (text == "ok" and rng.random() < 0.3)
                label = (
                    "unscored"
                    if unscored
                    else "positive"
                    if polarity > 0.1
                    else "negative"
                    if polarity < -0.1
                    else "neutral"
                )
                yield (
                    CHAT_ID,
                    message_id,
                    2**32 + rng.randrange(MEMBERS),
                    rng.randrange(start, end),
                    None,
                    None,
                    None,
                    0,
                    text,
                    0.0 if unscored else polarity,
                    0.5,
                    label,
                    "ru" if unscored else "en",
                    json.dumps(aspects) if aspects and not unscored else None,
                    json.dumps(topics) if topics and not unscored else None,
                )

        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, edited_at, "
            "reply_to, thread_id, is_caption, text, polarity, subjectivity, label, language, "
            "aspects, topics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return time.perf_counter() - start_time


async def _measure(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="digest-scale-") as scratch:
        path = Path(scratch) / "scale.db"
        db = await Database.open(path)  # creates the schema
        await db.close()
        fill_seconds = fill(path, n)
        settings = _settings(path)
        now = int(datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp())
        db = await Database.open(path)
        try:
            timings: dict[str, float] = {}
            for phase in ("cold", "warm"):
                tracemalloc.start()
                started = time.perf_counter()
                digest = await build_digest(
                    db, settings, LAST_DAY, now=now, chat_id=CHAT_ID, include_sections=False
                )
                timings[phase] = time.perf_counter() - started
                timings[f"{phase}_peak_kib"] = tracemalloc.get_traced_memory()[1] / 1024
                tracemalloc.stop()
        finally:
            await db.close()
        return {
            "messages": float(n),
            "day_messages": float(digest.messages),
            "fill_s": fill_seconds,
            "cold_s": timings["cold"],
            "warm_s": timings["warm"],
            "cold_peak_kib": timings["cold_peak_kib"],
            "warm_peak_kib": timings["warm_peak_kib"],
        }


async def _run(sizes: tuple[int, ...]) -> dict[str, Any]:
    await _measure(1_000)  # warm-up: first-call costs (imports, caches) are not the database's
    return {"digest": [await _measure(n) for n in sizes]}


def run(quick: bool = False) -> dict[str, Any]:
    """Measure; ``quick`` stops at 100k messages."""
    return asyncio.run(_run(QUICK_SIZES if quick else SIZES))


def print_table(results: dict[str, Any]) -> None:
    print(
        f"{'messages':>10} {'that day':>9} {'fill s':>8} {'cold ms':>9} {'warm ms':>9} "
        f"{'cold peak KiB':>14} {'warm peak KiB':>14}"
    )
    for row in results["digest"]:
        print(
            f"{int(row['messages']):>10,} {int(row['day_messages']):>9,} {row['fill_s']:>8.1f} "
            f"{row['cold_s'] * 1000:>9.1f} {row['warm_s'] * 1000:>9.1f} "
            f"{row['cold_peak_kib']:>14,.0f} {row['warm_peak_kib']:>14,.0f}"
        )


if __name__ == "__main__":
    print_table(run(quick="--quick" in sys.argv[1:]))
