"""``python -m bot <command>``: parse arguments, load settings, dispatch.

Messages for people go to stderr; data a command produces (codes, digests, exports) goes
to stdout, so it can be piped. Exit codes: 0 success, 1 failure, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram.error import InvalidToken, NetworkError

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.logging_setup import redact, secret_parts, setup_logging
from bot.db import Database, MigrationError, StorageError
from bot.db.lock import DatabaseLock, DatabaseLocked

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="A Telegram bot that runs a brand's private, invite-only community.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=None,
        help="settings file (default: $BOT_CONFIG or config.toml)",
    )
    common.add_argument(
        "--club",
        metavar="KEY",
        default=None,
        help="with several [[clubs]]: the club a command acts on (default: the first)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", parents=[common], help="run the bot (long polling by default)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on a webhook ([telegram.webhook] settings) instead of polling",
    )
    run.set_defaults(handler=_run)

    migrate = sub.add_parser(
        "migrate", parents=[common], help="bring the database schema up to date"
    )
    migrate.set_defaults(handler=_migrate)

    check = sub.add_parser(
        "check-config", parents=[common], help="validate the settings and print a summary"
    )
    check.set_defaults(handler=_check_config)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="play a scripted scenario against a local Telegram sandbox (no token, no network)",
    )
    demo.add_argument("--quiet", action="store_true", help="print only the final summary")
    demo.add_argument(
        "--language",
        choices=SUPPORTED_LANGUAGES,
        default="en",
        help="the club's language: 'de' plays the same day in a German club",
    )
    demo.add_argument(
        "--clubs",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: one bot serving two clubs (Berlin and Hamburg bakeries)",
    )
    demo.set_defaults(handler=None)

    for add_commands in _feature_cli():
        add_commands(sub, common)
    return parser


def _feature_cli() -> list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser], argparse.ArgumentParser], None]
]:
    """Feature modules that add their own CLI commands (codes, digest, backup, export)."""
    from bot.basics.ops import add_cli as ops_cli
    from bot.digest.cli import add_cli as digest_cli
    from bot.gate.cli import add_cli as gate_cli

    return [gate_cli, digest_cli, ops_cli]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from bot.demo import run_clubs_demo, run_demo

        setup_logging("WARNING")
        if args.clubs == 2:
            return asyncio.run(run_clubs_demo(quiet=args.quiet))
        return asyncio.run(run_demo(quiet=args.quiet, language=args.language))
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command != "run":
        # Every command but run acts on one club: its settings view and its file.
        views = {view.community.key: view for view in settings.club_views()}
        key = args.club or next(iter(views))
        if key not in views:
            print(f"error: no club {key!r} (clubs: {', '.join(views)})", file=sys.stderr)
            return 2
        settings = views[key]
    token = settings.telegram.token.get_secret_value()
    setup_logging(settings.runtime.log_level, [token])
    handler: Handler = args.handler
    try:
        return asyncio.run(handler(args, settings))
    except (MigrationError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DatabaseLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InvalidToken as exc:
        # PTB's message quotes the token it was given: never print it.
        print(
            "error: Telegram refused the token, or telegram.api_base_url is wrong: "
            f"{redact(exc.message, secret_parts(token))} (the base URL must end in /bot, "
            f"e.g. https://api.telegram.org/bot; it is {settings.telegram.api_base_url})",
            file=sys.stderr,
        )
        return 2
    except NetworkError as exc:
        print(
            f"error: cannot reach the Telegram Bot API at {settings.telegram.api_base_url}: "
            f"{redact(exc.message, secret_parts(token))}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Anything else: one line for the operator; the traceback only at DEBUG, and both
        # pass through the token filter.
        logging.getLogger(__name__).debug("Unexpected error", exc_info=True)
        message = redact(f"{type(exc).__name__}: {exc}", secret_parts(token))
        print(f"error: {message}", file=sys.stderr)
        return 1


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    db = await Database.open(settings.storage.database, migrate=False)
    try:
        applied = await db.migrate()
    finally:
        await db.close()
    if applied:
        print(f"Applied {len(applied)} migration(s): {', '.join(applied)}", file=sys.stderr)
    else:
        print("The database is up to date.", file=sys.stderr)
    return 0


async def _check_config(args: argparse.Namespace, settings: Settings) -> int:
    tg = settings.telegram
    print(
        "Configuration is valid.\n"
        f"  community: {settings.community.name!r}, {settings.community.max_members} seats, "
        f"time zone {settings.community.timezone}\n"
        f"  community chat {tg.community_chat_id}, brand chat {tg.brand_chat_id}, "
        f"{len(tg.moderators)} configured moderator(s)\n"
        f"  Bot API at {tg.api_base_url}<token>, token for bot id {tg.bot_id}\n"
        f"  database {settings.storage.database}",
        file=sys.stderr,
    )
    return 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    hook = settings.telegram.webhook
    if args.webhook and (not hook.url or hook.secret_token is None):
        print(
            "error: --webhook needs telegram.webhook.url and telegram.webhook.secret_token",
            file=sys.stderr,
        )
        return 2
    # Held until the process exits: a second bot on this database refuses to start. With
    # several clubs, the first club's file (it keeps the inbox) stands for them all.
    lock = DatabaseLock(settings.club_views()[0].storage.database)
    lock.acquire()
    try:
        return await _run_locked(args, settings)
    finally:
        lock.release()


async def _run_locked(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_application, start_application, stop_application

    app = await build_application(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await start_application(
            app, mode="webhook" if args.webhook else "polling", freeze_heap=True
        )
        print("The bot is running; press Ctrl+C to stop.", file=sys.stderr)
        await stop.wait()
    finally:
        await stop_application(app)
    return 0
