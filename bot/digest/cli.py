"""``python -m bot digest``: a day's digest from the database alone (no Telegram)."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.config import Settings
from bot.core.clock import SystemClock
from bot.db import Database
from bot.digest.build import build_digest, local_today
from bot.digest.chart import render_chart
from bot.digest.handlers import EARLIEST_DAY
from bot.digest.render import RENDERERS


def add_cli(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "digest",
        parents=[common],
        help="print the brand team's digest for a day, from the database alone",
        description="Build the digest of one local day (community.timezone) from the "
        "database; no Telegram needed, so it works on a copy of the database.",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", default=None, help="the day (default: yesterday)"
    )
    parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="text", help="output format (text)"
    )
    parser.add_argument("--out", metavar="FILE", type=Path, help="write here, not to stdout")
    parser.add_argument("--chart", metavar="FILE.png", type=Path, help="also write the chart")
    parser.add_argument(
        "--database", metavar="PATH", type=Path, help="database file (default: storage.database)"
    )
    parser.set_defaults(handler=run_digest_cli)


_LATEST_DAY = date.max - timedelta(days=366)


async def run_digest_cli(args: argparse.Namespace, settings: Settings) -> int:
    now = SystemClock().now()
    if args.date is None:
        day = local_today(now, settings) - timedelta(days=1)
    else:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            print(f"error: --date {args.date!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
            return 2
        # As /digest: outside these, the digest's date arithmetic overflows (a day ahead is
        # allowed here, as for a test database whose messages are dated later).
        if not EARLIEST_DAY <= day <= _LATEST_DAY:
            print(f"error: --date {args.date}: pick a day from {EARLIEST_DAY} on", file=sys.stderr)
            return 2
    path = Path(args.database or settings.storage.database)
    if not await asyncio.to_thread(path.exists):
        print(f"error: no database at {path}", file=sys.stderr)
        return 1
    db = await Database.open(path, migrate=False)
    try:
        digest = await build_digest(db, settings, day, now=int(now.timestamp()))
    except sqlite3.OperationalError as exc:
        print(
            f"error: cannot read the digest from {path}: {exc} "
            "(run `python -m bot migrate` first?)",
            file=sys.stderr,
        )
        return 1
    finally:
        await db.close()
    output = RENDERERS[args.format](digest)
    if args.out:
        await asyncio.to_thread(_write, args.out, output.encode("utf-8"))
        print(f"Wrote the {args.format} digest for {day} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    if args.chart:
        png = render_chart(digest.history, f"{digest.community}: last 14 days to {day}")
        await asyncio.to_thread(_write, args.chart, png)
        print(f"Wrote the chart to {args.chart}", file=sys.stderr)
    return 0


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
