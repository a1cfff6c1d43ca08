"""Spike alerts, proven on simulated months of club chatter.

Run: ``.venv/bin/python -m benchmarks.alerts [--days 120] [--seed 1] [--json]``.

A club of 250 members chats with a daily rhythm (quiet nights, peaks at breakfast, lunch and
evening) and a weekly one (busier weekends); some days are quiet (0.4× volume) and some are
launch days (2.5× volume, with a 4× launch hour). The negative share itself wobbles from day
to day (Beta around 12%), and messages mention aspects (taste, price, packaging, service)
in proportion. That chatter is written through the real schema (migrations applied) and
replayed through the real detector: ``AlertMonitor.check`` is called every 5 simulated
minutes, exactly as the scheduler calls it.

Two replays of the same chatter:

* **clean**: nothing injected. Every alert after the 28-day warm-up is a false alert.
* **bursts**: every ~36 hours (after the warm-up), at a waking hour (10:00–20:00), an hour
  of extra negative messages about one aspect (a dry batch: taste; a price change: price)
  from different members, sized so the hour's negative rate is 2×, 3× or 5× what the
  generator expects for that hour. A burst counts as detected by an alert whose window
  covers it, within 2 hours of its start; time to detect = alert time − burst start.

The chatter is written up front: every query of the detector is bounded by its ``now``, so
messages of the future are invisible to it, as they are in the running bot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.db import Database
from bot.insights.alerts import AlertMonitor

CHAT_ID = -1001234567890
MEMBERS = 250
MESSAGES_PER_DAY = 600.0
NEGATIVE_SHARE = 0.12
ASPECTS = {"taste": 0.14, "price": 0.08, "packaging": 0.05, "service": 0.06}
TOPICS = ["croissant", "festive bake", "vegan roll", "cinnamon bun", "paper box", "shop"]
WARMUP_DAYS = 28
CHECK_SECONDS = 300
BURST_SIZES = (2, 3, 5)
# Share of the day's messages in each local hour (sums to 1).
_HOURLY = [
    0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.8, 2.0, 3.2, 3.0, 2.4, 2.6,
    3.4, 3.2, 2.4, 2.2, 2.4, 2.8, 3.6, 4.2, 4.0, 3.2, 1.8, 0.8,
]  # fmt: skip
HOURLY = [w / sum(_HOURLY) for w in _HOURLY]
WEEKDAY = [0.9, 0.9, 0.95, 1.0, 1.1, 1.25, 1.2]  # Monday first
START = datetime(2026, 6, 1, tzinfo=UTC)  # a Monday


@dataclass(frozen=True, slots=True)
class Burst:
    start: int
    size: int
    aspect: str
    extra: int  # messages injected


@dataclass
class Day:
    factor: float  # volume multiplier: quiet 0.4, normal 1, launch 2.5
    share: float  # the day's negative share
    launch_hour: int | None


def settings_for(path: Path, alerts: dict[str, object] | None = None) -> Settings:
    return Settings.model_validate(
        {
            "alerts": alerts or {},
            "telegram": {"token": "1:x", "community_chat_id": CHAT_ID, "brand_chat_id": -1009},
            "storage": {"database": path},
            "sentiment": {
                "aspects": {name: [name] for name in ASPECTS},
            },
        }
    )


def plan_days(rng: random.Random, days: int) -> list[Day]:
    plan = []
    for _ in range(days):
        roll = rng.random()
        factor = 0.4 if roll < 0.1 else 2.5 if roll > 0.95 else rng.uniform(0.85, 1.15)
        a = NEGATIVE_SHARE * 60
        share = rng.betavariate(a, 60 - a)
        launch = rng.randint(10, 18) if factor > 2 else None
        plan.append(Day(factor, share, launch))
    return plan


def normal_negative_rate(messages_per_day: float) -> float:
    """The club's normal negative messages per waking hour (10:00-20:00, an ordinary day):
    what "3x the normal negative rate" multiplies. A burst on a quiet evening is smaller in
    absolute terms than the same multiple at noon; measuring against the club's usual
    waking hour keeps the burst sizes comparable."""
    return messages_per_day * sum(HOURLY[10:20]) / 10 * NEGATIVE_SHARE


def hour_rate(plan: list[Day], day: int, hour: int, messages_per_day: float) -> float:
    d = plan[day]
    weekday = (START.weekday() + day) % 7
    rate = messages_per_day * HOURLY[hour] * WEEKDAY[weekday] * d.factor
    if d.launch_hour is not None and d.launch_hour <= hour < d.launch_hour + 1:
        rate *= 4
    return rate


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def member_weights(rng: random.Random) -> list[float]:
    return [rng.lognormvariate(0, 1.0) for _ in range(MEMBERS)]


Row = tuple[int, int, int, int, str, float, str | None, str | None, str]


def chatter(
    rng: random.Random, plan: list[Day], weights: list[float], messages_per_day: float
) -> list[Row]:
    """(message_id, user_id, sent_at, label, polarity, aspects, topics, text) rows."""
    rows: list[Row] = []
    users = list(range(1, MEMBERS + 1))
    base = int(START.timestamp())
    for day in range(len(plan)):
        for hour in range(24):
            n = _poisson(rng, hour_rate(plan, day, hour, messages_per_day))
            who = rng.choices(users, weights, k=n)
            for user in who:
                at = base + day * 86400 + hour * 3600 + rng.randrange(3600)
                rows.append(_message(rng, len(rows) + 1, user, at, plan[day].share))
    return rows


def _message(
    rng: random.Random, message_id: int, user: int, at: int, share: float, aspect: str = ""
) -> Row:
    roll = rng.random()
    label = "negative" if roll < share else "positive" if roll < share + 0.45 else "neutral"
    if aspect:
        label = "negative"
    polarity = {"negative": -0.45, "positive": 0.5, "neutral": 0.0}[label]
    aspects: dict[str, float] = {}
    if aspect:
        aspects[aspect] = -0.5
    else:
        for name, p in ASPECTS.items():
            if rng.random() < p:
                aspects[name] = polarity
    topics = [rng.choice(TOPICS)] if rng.random() < 0.5 else []
    return (
        message_id, user, at, 0, label, polarity,
        json.dumps(aspects) if aspects else None, json.dumps(topics) if topics else None,
        f"message {message_id}",
    )  # fmt: skip


def inject(
    rng: random.Random, rows: list[Row], days: int, messages_per_day: float
) -> tuple[list[Row], list[Burst]]:
    bursts: list[Burst] = []
    extra: list[Row] = []
    base = int(START.timestamp())
    at = base + WARMUP_DAYS * 86400
    index = 0
    next_id = len(rows) + 1
    while at < base + (days - 1) * 86400:
        day = (at - base) // 86400
        hour = rng.randint(10, 19)
        start = base + day * 86400 + hour * 3600 + rng.randrange(3600)
        size = BURST_SIZES[index % len(BURST_SIZES)]
        aspect = "taste" if index % 2 == 0 else "price"
        expected_negative = normal_negative_rate(messages_per_day)
        # The burst's size is the experiment's control: exactly (size - 1) times the normal
        # hourly negatives are added (3x: the hour has three times its normal negatives).
        count = round((size - 1) * expected_negative)
        # Different members: a batch problem is noticed by several people, not one.
        who = rng.sample(range(1, MEMBERS + 1), k=min(count, MEMBERS))
        for user in who:
            sent = start + rng.randrange(3600)
            extra.append(_message(rng, next_id, user, sent, 1.0, aspect))
            next_id += 1
        bursts.append(Burst(start, size, aspect, count))
        index += 1
        at = start + 36 * 3600
    return sorted(rows + extra, key=lambda r: r[2]), bursts


async def replay(
    path: Path, rows: list[Row], days: int, alerts: dict[str, object]
) -> list[tuple[int, str]]:
    """Write the rows through the real schema, replay the checks; (alert time, key) each."""
    settings = settings_for(path, alerts)
    db = await Database.open(path)
    try:
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, "
                "is_caption, text, polarity, subjectivity, label, language, aspects, topics) "
                "VALUES (?, ?, ?, ?, 0, ?, ?, 0.5, ?, 'en', ?, ?)",
                [(CHAT_ID, r[0], r[1], r[2], r[8], r[5], r[4], r[6], r[7]) for r in rows],
            )
        monitor = AlertMonitor(db, settings)
        base = int(START.timestamp())
        for now in range(base + CHECK_SECONDS, base + days * 86400, CHECK_SECONDS):
            await monitor.check(CHAT_ID, now)
        return [(a.created_at, a.key) for a in await monitor.repo.all_alerts()]
    finally:
        await db.close()


async def run(
    days: int, seed: int, messages_per_day: float, alerts: dict[str, object] | None = None
) -> dict[str, object]:
    alerts = alerts or {}
    rng = random.Random(seed)
    plan = plan_days(rng, days)
    weights = member_weights(rng)
    rows = chatter(rng, plan, weights, messages_per_day)
    burst_rows, bursts = inject(rng, rows, days, messages_per_day)
    base = int(START.timestamp())
    warm = base + WARMUP_DAYS * 86400
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="alerts-bench-") as scratch:
        clean = await replay(Path(scratch) / "clean.db", rows, days, alerts)
        noisy = await replay(Path(scratch) / "bursts.db", burst_rows, days, alerts)
    seconds = time.perf_counter() - began
    false_alerts = [a for a in clean if a[0] >= warm]
    evaluated_days = days - WARMUP_DAYS
    by_size: dict[int, list[float | None]] = {size: [] for size in BURST_SIZES}
    for burst in bursts:
        hits = [t for t, _ in noisy if burst.start < t <= burst.start + 2 * 3600]
        by_size[burst.size].append((min(hits) - burst.start) / 60 if hits else None)
    detection = {
        size: (sum(1 for m in found if m is not None) / len(found) if found else None)
        for size, found in by_size.items()
    }
    minutes = {
        size: (statistics.median(m for m in found if m is not None)
               if any(m is not None for m in found) else None)
        for size, found in by_size.items()
    }  # fmt: skip
    burst_windows = [(b.start, b.start + 2 * 3600) for b in bursts]
    stray = [
        a for a in noisy if a[0] >= warm and not any(lo < a[0] <= hi for lo, hi in burst_windows)
    ]
    return {
        "days": days,
        "seed": seed,
        "max_p": settings_for(Path("unused.db"), alerts).alerts.max_p,
        "messages_per_day": messages_per_day,
        "normal_negatives_per_hour": round(normal_negative_rate(messages_per_day), 2),
        "messages": len(rows),
        "evaluated_days": evaluated_days,
        "false_alerts": len(false_alerts),
        "false_alerts_per_30_days": round(len(false_alerts) * 30 / evaluated_days, 2),
        "false_alert_keys": dict(Counter(key for _, key in false_alerts)),
        "false_alerts_in_burst_run_per_30_days": round(len(stray) * 30 / evaluated_days, 2),
        "bursts": {str(size): len(found) for size, found in by_size.items()},
        "detection_rate_2x": detection[2],
        "detection_rate_3x": detection[3],
        "detection_rate_5x": detection[5],
        "median_minutes_to_detect_2x": minutes[2],
        "median_minutes_to_detect_3x": minutes[3],
        "median_minutes_to_detect_5x": minutes[5],
        "mean_extra_messages_3x": round(
            statistics.mean(b.extra for b in bursts if b.size == 3), 1
        ) if any(b.size == 3 for b in bursts) else None,
        "seconds": round(seconds, 1),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.alerts", description=__doc__)
    parser.add_argument("--days", type=int, default=120, help="simulated days (default 120)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--messages-per-day",
        type=float,
        default=MESSAGES_PER_DAY,
        help=f"the club's volume on an ordinary weekday (default {MESSAGES_PER_DAY:.0f})",
    )
    parser.add_argument("--max-p", type=float, help="override alerts.max_p")
    parser.add_argument("--json", action="store_true", help="one JSON line")
    args = parser.parse_args(argv)
    if args.days <= WARMUP_DAYS + 2:
        parser.error(f"--days must be more than {WARMUP_DAYS + 2} (the warm-up is {WARMUP_DAYS})")
    overrides: dict[str, object] = {} if args.max_p is None else {"max_p": args.max_p}
    result = asyncio.run(run(args.days, args.seed, args.messages_per_day, overrides))
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"Simulated {result['days']} days, {result['messages']:,} messages (seed {args.seed}), "
        f"normally {result['normal_negatives_per_hour']} negative messages a waking hour"
    )
    print(f"False alerts per 30 days (clean run): {result['false_alerts_per_30_days']}")
    print(
        "False alerts per 30 days outside bursts (burst run): "
        f"{result['false_alerts_in_burst_run_per_30_days']}"
    )
    for size in BURST_SIZES:
        rate = result[f"detection_rate_{size}x"]
        med = result[f"median_minutes_to_detect_{size}x"]
        n = result["bursts"][str(size)]  # type: ignore[index]
        rate_text = f"{rate:.0%}" if isinstance(rate, float) else "n/a"
        med_text = f"{med:.0f} min" if isinstance(med, (int, float)) else "n/a"
        print(f"{size}x bursts: detected {rate_text} of {n}, median time to detect {med_text}")
    print(f"Replay took {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
