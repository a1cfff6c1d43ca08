"""Cohort and segment queries at scale: 1M messages from 5,000 members.

Run: ``.venv/bin/python -m benchmarks.insights_scale [--messages N] [--json]``.

Fills a temp database (real schema) with ``benchmarks.digest_scale``'s generator, spread
over 5,000 members instead of 250, and a seat ledger of 5,000 members under 4 campaign
labels (joined over the 180 days, 15% left). Then times ``campaign_cohorts`` and
``segments`` (the functions behind /campaigns, /segments and the digest sections), twice
each: the first cohort run also fills the per-member 7-day-bucket cache over all messages
(the running bot does that in the background as each bucket ends), the second is what
/campaigns and the digest see.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import digest_scale as ds
from bot.config import InsightSettings
from bot.db import Database
from bot.insights.cohorts import campaign_cohorts
from bot.insights.segments import segments

MEMBERS = 5000
LABELS = ("flyer", "newsletter", "event", "instagram")


def fill_seats(path: Path, end: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        rows = []
        for i in range(MEMBERS):
            joined = rng.randrange(end - ds.DAYS * 86400, end)
            left = rng.randrange(joined, end) if rng.random() < 0.15 else None
            state = "left" if left else "member"
            rows.append((2**32 + i, rng.choice(LABELS), state, int(not left), joined, joined,
                         left, joined))  # fmt: skip
        conn.executemany(
            "INSERT INTO gate_seats (user_id, label, state, seat, redeemed_at, joined_at, "
            "left_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


async def measure(messages: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="insights-scale-") as scratch:
        path = Path(scratch) / "scale.db"
        db = await Database.open(path)
        await db.close()
        ds.MEMBERS = MEMBERS  # the generator's member count: 5,000 people
        fill_seconds = ds.fill(path, messages)
        end_ts = int(
            datetime.combine(ds.LAST_DAY + timedelta(days=1), datetime.min.time(), UTC).timestamp()
        )
        fill_seats(path, end_ts)
        db = await Database.open(path)
        try:
            timings: dict[str, list[float]] = {"cohorts": [], "segments": []}
            counts: dict[str, object] = {}
            for _ in range(2):
                began = time.perf_counter()
                cohorts = await campaign_cohorts(db, ds.CHAT_ID, end_ts)
                timings["cohorts"].append(time.perf_counter() - began)
                began = time.perf_counter()
                found = await segments(db, ds.CHAT_ID, end_ts, InsightSettings())
                timings["segments"].append(time.perf_counter() - began)
                counts = {s.value: len(m) for s, m in found.items()}
                counts["cohorts"] = len(cohorts)
        finally:
            await db.close()
    return {
        "messages": messages,
        "members": MEMBERS,
        "fill_seconds": round(fill_seconds, 1),
        "cohorts_seconds_first_with_cache_fill": round(timings["cohorts"][0], 3),
        "cohorts_seconds_warm": round(timings["cohorts"][1], 3),
        "segments_seconds_first": round(timings["segments"][0], 3),
        "segments_seconds_warm": round(timings["segments"][1], 3),
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.insights_scale")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.messages))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
