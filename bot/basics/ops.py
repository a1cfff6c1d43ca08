"""``python -m bot backup`` and ``python -m bot export``: operations on the club's database.

backup uses SQLite's online backup API on a connection of its own: the copy is one
consistent snapshot even while the bot keeps writing (WAL readers never block the writer).
Restore (see docs/moderation.md): stop the bot, copy the backup over storage.database (and
delete the old ``-wal`` and ``-shm`` files next to it), run ``python -m bot migrate``, start.

export prints data on stdout (or writes --out FILE); times (``*_at`` columns) become ISO 8601
in UTC; messages are pseudonymised ("Member #12") unless --with-ids is given.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.db import Database
from bot.privacy import KINDS, export_rows


def add_cli(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    backup = sub.add_parser(
        "backup", parents=[common], help="consistent copy of the database, safe while running"
    )
    backup.add_argument("--out", type=Path, required=True, metavar="FILE", help="the copy")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(handler=run_backup)

    export = sub.add_parser("export", parents=[common], help="export club data as CSV or JSON")
    export.add_argument("--what", choices=KINDS, required=True)
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help="write to FILE instead of stdout"
    )
    export.add_argument(
        "--with-ids",
        action="store_true",
        help="messages: include members' Telegram ids (default: pseudonyms)",
    )
    export.set_defaults(handler=run_export)


async def _open_existing(settings: Settings) -> Database | None:
    if not _exists(settings.storage.database):
        print(
            f"error: no database at {settings.storage.database} (check storage.database)",
            file=sys.stderr,
        )
        return None
    # No migration here: a backup or export must never change the database it reads.
    return await Database.open(settings.storage.database, migrate=False)


# Small synchronous file checks (a CLI run, nothing else waits on this event loop).
def _exists(path: Path) -> bool:
    return path.exists()


def _backup_target_problem(out: Path, live: Path, force: bool) -> str | None:
    if out.exists() and not force:
        return f"{out} exists (use --force to overwrite it)"
    if out.resolve() == live.resolve():
        return "--out is the live database itself"
    return None


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


# Backups and exports hold members' personal data: readable by the owner only.
PRIVATE_FILE_MODE = 0o600


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, before any data goes into it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.fchmod(fd, PRIVATE_FILE_MODE)  # an existing file (--force) keeps its old mode otherwise
    os.close(fd)


def _write_private(path: Path, text: str) -> None:
    _create_private(path)
    with path.open("w", encoding="utf-8") as out:
        out.write(text)


def integrity(path: Path) -> str:
    """SQLite's own verdict on a database file: 'ok' or the first problems found."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "; ".join(str(row[0]) for row in rows[:5])


async def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    out: Path = args.out
    problem = _backup_target_problem(out, settings.storage.database, args.force)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    db = await _open_existing(settings)
    if db is None:
        return 1
    try:
        _remove(out)
        _create_private(out)  # SQLite writes into the empty file, keeping its mode
        await db.backup_to(out)
    finally:
        await db.close()
    verdict = integrity(out)
    if verdict != "ok":
        print(f"error: the copy failed its integrity check: {verdict}", file=sys.stderr)
        return 1
    print(f"Backup written to {out} (integrity ok).", file=sys.stderr)
    print(out)
    return 0


def _cell(key: str, value: Any) -> Any:
    if key.endswith("_at") and isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).isoformat()
    return value


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    converted = [{key: _cell(key, value) for key, value in row.items()} for row in rows]
    if fmt == "json":
        return json.dumps(converted, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    if converted:
        writer = csv.DictWriter(buffer, fieldnames=list(converted[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(converted)
    return buffer.getvalue()


async def run_export(args: argparse.Namespace, settings: Settings) -> int:
    db = await _open_existing(settings)
    if db is None:
        return 1
    try:
        rows = await export_rows(db, args.what, with_ids=args.with_ids)
    except sqlite3.OperationalError as exc:
        print(
            f"error: cannot export {args.what}: {exc} (run python -m bot migrate)", file=sys.stderr
        )
        return 1
    finally:
        await db.close()
    text = render(rows, args.format)
    if args.out is None:
        sys.stdout.write(text)
    else:
        _write_private(args.out, text)
        print(f"Wrote {len(rows)} {args.what} row(s) to {args.out}.", file=sys.stderr)
    return 0
