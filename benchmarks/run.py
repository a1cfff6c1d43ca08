"""All benchmarks, one command: ``python -m benchmarks [--quick] [--json]``.

Prints a readable table, or with ``--json`` one JSON object. ``--quick`` uses smaller sizes
(digest up to 100k messages, 300-member teaser and join wave) and finishes in about a minute
or two; the full run takes ~10 minutes (the 10,000-member teaser alone needs ~6 minutes at
Telegram's 30 messages per second). Numbers and the machine are written up in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter so its peak RSS is the digest's alone (ru_maxrss never drops).
_DIGEST_CHILD = r"""
import asyncio, json, resource, sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
from benchmarks import digest_scale as ds
from bot.db import Database
from bot.digest.build import build_digest

n = int(sys.argv[1])
with tempfile.TemporaryDirectory(prefix="digest-rss-") as scratch:
    path = Path(scratch) / "scale.db"
    async def schema():
        db = await Database.open(path)
        await db.close()
    asyncio.run(schema())
    # Fill in a grandchild so the fill's memory does not count as the digest's.
    import subprocess
    subprocess.run([sys.executable, "-c",
        "import sys; from pathlib import Path; from benchmarks.digest_scale import fill; "
        "fill(Path(sys.argv[1]), int(sys.argv[2]))", str(path), str(n)], check=True)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    async def build():
        db = await Database.open(path)
        try:
            now = int(datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp())
            started = time.perf_counter()
            await build_digest(db, ds._settings(path), ds.LAST_DAY, now=now, chat_id=ds.CHAT_ID,
                               include_sections=False)
            return time.perf_counter() - started
        finally:
            await db.close()
    seconds = asyncio.run(build())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak / 1024, "before_mb": base / 1024}))
"""


def digest(quick: bool) -> dict[str, Any]:
    from benchmarks import digest_scale

    sizes = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
    measured = digest_scale.QUICK_SIZES if quick else digest_scale.SIZES
    import asyncio

    seconds: dict[str, float | None] = {}
    for label, n in sizes.items():
        if n in measured:
            row = asyncio.run(digest_scale._measure(n))
            seconds[label] = row["cold_s"]
        else:
            seconds[label] = None  # skipped by --quick
    rss_n = 100_000 if quick else 1_000_000
    out = subprocess.run(
        [sys.executable, "-c", _DIGEST_CHILD, str(rss_n)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "digest_seconds": seconds,
        "peak_rss_mb": child["peak_rss_mb"],
        "peak_rss_messages": rss_n,
        "digest_seconds_in_rss_run": child["seconds"],
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def _steps() -> list[tuple[str, Callable[[bool], dict[str, Any]]]]:
    from benchmarks import (
        broadcast,
        broadcast_two_clubs,
        http_client,
        ingest,
        redirect,
        separate,
        waves,
    )

    return [
        ("ingest", ingest.run),
        # The sandbox runs in its own process for these two (benchmarks/separate.py).
        ("e2e_http", separate.run_e2e),
        ("digest", digest),
        ("join_wave", separate.run_join_wave),
        ("http_client", http_client.run),
        ("broadcast", broadcast.run),
        ("two_clubs", broadcast_two_clubs.run),
        ("redirect", redirect.run),
        ("waves", waves.run),
    ]


def collect(quick: bool, only: set[str] | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {"quick": quick, "machine": machine()}
    for name, step in _steps():
        if only and name not in only:
            continue
        started = time.perf_counter()
        try:
            results.update(step(quick))
        except Exception as exc:  # one broken benchmark must not hide the others
            results.setdefault("errors", {})[name] = repr(exc)
        print(f"[{name}: {time.perf_counter() - started:.1f} s]", file=sys.stderr)
    return results


ROWS = [
    ("textblob_msgs_per_s", "bare TextBlob polarity", "msgs/s", None),
    ("ingest_msgs_per_s", "ingest (update → handlers → score → SQLite)", "msgs/s", None),
    ("ingest_overhead_ratio", "TextBlob time / ingest time", "ratio", "≥ 0.77"),
    ("ingest_loop_cpu_us_per_msg", "ingest: event loop CPU a message", "µs", None),
    ("ingest_worker_cpu_us_per_msg", "ingest: scoring worker CPU a message", "µs", None),
    ("ingest_cpu_ratio", "TextBlob CPU / ingest CPU (loop + worker)", "ratio", None),
    ("e2e_http_msgs_per_s", "same over HTTP, long polling", "msgs/s", None),
    ("e2e_bare_ptb_msgs_per_s", "bare PTB, no-op handler, same sandbox", "msgs/s", None),
    ("e2e_vs_bare_ptb_ratio", "this bot / bare PTB over HTTP", "ratio", "≥ 0.9"),
    ("e2e_loop_cpu_us_per_msg", "over HTTP: this bot's event loop CPU a message", "µs", None),
    ("e2e_worker_cpu_us_per_msg", "over HTTP: scoring worker CPU a message", "µs", None),
    ("e2e_bare_loop_cpu_us_per_msg", "over HTTP: bare PTB's event loop CPU", "µs", None),
    ("e2e_loop_cpu_ratio", "bare PTB / this bot, event loop CPU", "ratio", None),
    ("e2e_loop_wait_us_per_msg", "over HTTP: wall time a message minus loop CPU", "µs", None),
    ("e2e_bare_loop_wait_us_per_msg", "the same for bare PTB", "µs", None),
    ("join_wave_p50_ms", "join request → approval, p50", "ms", "< 300"),
    ("join_wave_p99_ms", "join request → approval, p99", "ms", "< 1000"),
    ("join_wave_over_cap", "join wave: seats over the cap", "count", "0"),
    ("join_wave_rate_violations", "join wave: sends over the limits", "count", "0"),
    ("http_httpx_cpu_us_per_call", "a Bot API call's CPU, PTB's httpx client", "µs", None),
    ("http_aiohttp_cpu_us_per_call", "the same, this bot's aiohttp client", "µs", None),
    ("http_httpx_cpu_us_per_call_8_at_once", "httpx, 8 calls at once", "µs", None),
    ("http_aiohttp_cpu_us_per_call_8_at_once", "aiohttp, 8 calls at once", "µs", None),
    ("waves_wave_30_asked_share", "wave 30/s: share asked", "share", "≥ 0.99"),
    ("waves_wave_30_approved_share", "wave 30/s: share approved", "share", "≥ 0.99"),
    ("waves_wave_30_p50_ms", "wave 30/s: request → approval, p50", "ms", None),
    ("waves_wave_30_p99_ms", "wave 30/s: request → approval, p99", "ms", "< 2000"),
    ("waves_wave_100_asked_share", "wave 100/s: share asked", "share", "≥ 0.99"),
    ("waves_wave_100_approved_share", "wave 100/s: share approved", "share", "≥ 0.99"),
    ("waves_wave_100_p99_ms", "wave 100/s: request → approval, p99", "ms", None),
    ("waves_raid_dms_to_raiders", "raid: private messages to raiders", "count", "≤ 25"),
    ("waves_raid_approvals_of_raiders", "raid: approvals", "count", "0"),
    ("waves_raid_group_messages", "raid: group messages", "count", "0"),
    ("waves_mixed_approved_share", "mixed: share of fans approved", "share", "≥ 0.99"),
    ("waves_mixed_approvals_of_raiders", "mixed: raiders approved", "count", "0"),
    ("broadcast_msgs_per_s", "teaser broadcast rate", "msgs/s", "just under 30"),
    ("broadcast_rate_violations", "sends over Telegram's limits", "count", "0"),
    ("two_club_broadcast_violations", "two clubs teasing at once: over the limits", "count", "0"),
    ("two_club_both_finished", "two clubs teasing at once: both finished", "bool", "1"),
    ("two_club_max_wait_vs_fair_share", "two clubs: finish time / fair share", "ratio", "≤ 2"),
    ("two_club_reply_p50_ms", "two clubs teasing: /help answered, p50", "ms", None),
    ("two_club_reply_max_ms", "two clubs teasing: /help answered, max", "ms", None),
    ("peak_rss_mb", "peak RSS of the digest build", "MB", None),
    ("redirect_p50_ms", "link redirect 302, p50", "ms", "< 5"),
    ("redirect_p99_ms", "link redirect 302, p99", "ms", "< 5"),
    ("redirect_counted_share", "clicks counted / clicks made", "ratio", "1.0"),
]


def print_table(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}"
        f"{' (quick run)' if results['quick'] else ''}"
    )
    print(f"{'metric':<46} {'value':>12} {'unit':<7} goal")
    for key, label, unit, goal in ROWS:
        value = results.get(key)
        shown = "-" if value is None else f"{value:,.2f}"
        print(f"{label:<46} {shown:>12} {unit:<7} {goal or ''}")
    for size, seconds in (results.get("digest_seconds") or {}).items():
        shown = "skipped" if seconds is None else f"{seconds:.3f}"
        goal = "< 1 s" if size == "1M" else ""
        print(f"{'digest build, ' + size + ' messages stored':<46} {shown:>12} {'s':<7} {goal}")
    for name, error in (results.get("errors") or {}).items():
        print(f"ERROR in {name}: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, ~1-2 minutes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", action="append", help="run only this step (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    results = collect(args.quick, set(args.only) if args.only else None)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_table(results)
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
