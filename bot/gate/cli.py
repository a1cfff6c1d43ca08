"""``python -m bot codes create|list|revoke``: invite codes from the command line.

Codes go to stdout one per line (and to ``--csv FILE`` if asked); messages for people go to
stderr. The codes are shown only here, once: the database keeps only their keyed hash.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from bot.config import Settings
from bot.core.timeparse import TimeParseError, parse_duration
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.gate.codes import GateError, code_key, create_codes, revoke_codes
from bot.gate.moderator_texts import codes_table
from bot.gate.repo import GateRepository


def add_cli(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    codes = sub.add_parser("codes", help="create, list and revoke invite codes")
    actions = codes.add_subparsers(dest="codes_command", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create", parents=[common], help="make codes; prints them once, one per line"
    )
    create.add_argument("--count", type=int, required=True, help="how many codes (1-200)")
    create.add_argument("--uses", type=int, default=1, help="people per code (default 1)")
    create.add_argument("--label", default="invite", help="campaign label, e.g. flyer")
    create.add_argument("--expires", default=None, help="lifetime, e.g. 14d, 12h (default never)")
    create.add_argument("--csv", type=Path, default=None, help="also write the codes to FILE")
    create.set_defaults(handler=_create)

    listing = actions.add_parser("list", parents=[common], help="codes with uses left and expiry")
    listing.set_defaults(handler=_list)

    revoke = actions.add_parser("revoke", parents=[common], help="end a code by id or label")
    revoke.add_argument("target", metavar="ID|LABEL")
    revoke.set_defaults(handler=_revoke)


def _now() -> int:
    # The CLI runs outside the bot: wall-clock time is the right clock here.
    return int(datetime.now(UTC).timestamp())


async def _create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        expires = parse_duration(args.expires) if args.expires else None
    except TimeParseError as exc:
        print(f"error: --expires: {exc}", file=sys.stderr)
        return 2
    # The CSV is opened before any code is made: codes are stored only as hashes, so codes
    # made and then not shown (an unwritable path) would be live and unknown to anyone.
    try:
        sheet = args.csv.open("w", newline="", encoding="utf-8") if args.csv else None
    except OSError as exc:
        print(f"error: --csv {args.csv}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        return await _make_and_show(args, settings, expires, sheet)
    finally:
        if sheet is not None:
            sheet.close()


async def _make_and_show(
    args: argparse.Namespace, settings: Settings, expires: timedelta | None, sheet: IO[str] | None
) -> int:
    db = await Database.open(settings.storage.database)
    try:
        secret = settings.gate.code_secret
        key = await code_key(
            secret.get_secret_value() if secret else None, FactsRepository(db), _now()
        )
        try:
            made = await create_codes(
                GateRepository(db), key, args.count, args.uses, args.label, expires, None, _now()
            )
        except GateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    finally:
        await db.close()
    expires_at = (
        datetime.fromtimestamp(_now() + int(expires.total_seconds()), UTC).isoformat()
        if expires
        else ""
    )
    for code in made:  # shown first: whatever happens to the CSV, they are seen
        print(code)
    if sheet is not None:
        writer = csv.writer(sheet)
        writer.writerow(["code", "label", "uses", "expires_at"])
        for code in made:
            writer.writerow([code, args.label, args.uses, expires_at])
    print(
        f"Made {len(made)} {args.label!r} code(s), {args.uses} use(s) each. They are not "
        "stored in clear: keep this output.",
        file=sys.stderr,
    )
    return 0


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    db = await Database.open(settings.storage.database)
    try:
        codes = await GateRepository(db).list_codes(limit=10_000)
    finally:
        await db.close()
    for line in codes_table(codes, _now()):
        print(line)
    if not codes:
        print("No invite codes yet.", file=sys.stderr)
    return 0


async def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    db = await Database.open(settings.storage.database)
    try:
        ended = await revoke_codes(GateRepository(db), args.target, _now())
    except GateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await db.close()
    if not ended:
        print(f"No live code matches {args.target!r}.", file=sys.stderr)
        return 1
    print(f"Revoked {ended} code(s).", file=sys.stderr)
    return 0
