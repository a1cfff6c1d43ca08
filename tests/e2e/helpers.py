"""What end-to-end tests do and read again and again: buttons, the bot's last words, a
person writing to the bot and waiting for its answer.

Import them (``from tests.e2e.helpers import say``); the ``club`` fixture is in conftest.py.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.app import start_application
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.gate.service import GateService
from bot.sandbox import Sandbox, SentMessage, SimChat, SimUser


def buttons(msg: SentMessage) -> list[dict[str, Any]]:
    """Every inline button of ``msg``, as the Bot API sent it (text, callback_data, url…)."""
    rows = (msg.reply_markup or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def button_pairs(msg: SentMessage) -> list[tuple[str, str]]:
    """(label, callback data) of each inline button; "" for buttons without data."""
    return [(b["text"], b.get("callback_data", "")) for b in buttons(msg)]


def button_targets(msg: SentMessage) -> list[str]:
    """What each inline button does: its callback data, or else its URL."""
    return [str(b.get("callback_data") or b.get("url") or "") for b in buttons(msg)]


def last_text(where: Sandbox | SimulatedClub, chat: SimChat | SimUser) -> str:
    """The text of the bot's latest message in ``chat`` ("" if none)."""
    sandbox = where.sandbox if isinstance(where, SimulatedClub) else where
    messages = sandbox.bot_messages(chat)
    return (messages[-1].text or "") if messages else ""


async def say(
    club: SimulatedClub, user: SimUser, text: str, reply_to: SentMessage | None = None
) -> str:
    """``user`` writes to the bot privately; returns the bot's answer.

    Waits for the answer itself, not only for a quiet bot: the rate limiter may still hold a
    reply back when everything else is done.
    """
    sb = club.sandbox
    before = len(sb.bot_messages(user))
    sb.send_text(user, user, text, reply_to=reply_to)
    await sb.wait_for(lambda: len(sb.bot_messages(user)) > before, message=f"no reply to {text}")
    await club.settle()
    return last_text(club, user)


async def said(club: SimulatedClub, chat: SimChat | SimUser, fragment: str) -> SentMessage:
    """Wait until the bot wrote ``fragment`` (text or caption) in ``chat``; that message."""

    def found() -> SentMessage | None:
        for message in reversed(club.sandbox.bot_messages(chat)):
            if fragment in (message.text or message.caption or ""):
                return message
        return None

    await club.sandbox.wait_for(lambda: found() is not None, message=f"no {fragment!r}")
    await club.settle()
    message = found()
    assert message is not None
    return message


async def said_text(club: SimulatedClub, chat: SimChat | SimUser, fragment: str) -> str:
    """Like ``said``, but the message's text."""
    message = await said(club, chat, fragment)
    return message.text or message.caption or ""


# --- the gate: codes, the Accept button, the personal invite link -----------------------
def gate_of(club: SimulatedClub) -> GateService:
    return club.features.gate


async def make_codes(
    club: SimulatedClub, count: int = 1, uses: int = 1, label: str = "flyer"
) -> list[str]:
    return await gate_of(club).create_codes(count, uses, label, None, club.owner.id)


def accept_button(sb: Sandbox, user: SimUser) -> tuple[SentMessage, str]:
    for msg in reversed(sb.bot_messages(user)):
        for button in buttons(msg):
            if str(button.get("callback_data", "")).startswith("v1:gate:accept:"):
                return msg, str(button["callback_data"])
    raise AssertionError(f"no Accept button for {user.first_name}")


def join_link(sb: Sandbox, user: SimUser) -> str:
    for msg in reversed(sb.bot_messages(user)):
        for button in buttons(msg):
            if button.get("url"):
                return str(button["url"])
    raise AssertionError(f"no invite link for {user.first_name}")


async def redeem(club: SimulatedClub, user: SimUser, code: str) -> None:
    """Open the deep link with the code and accept the notice."""
    sb = club.sandbox
    sb.start_bot(user, code)
    await club.settle()
    msg, data = accept_button(sb, user)
    sb.press_button(user, msg, data)
    await club.settle()


async def admitted(
    club: SimulatedClub, name: str, user_id: int | None = None, label: str = "flyer"
) -> SimUser:
    """A person who gets a code, opens the deep link, accepts the notice and joins: seated."""
    sb = club.sandbox
    (code,) = await make_codes(club, label=label)
    user = sb.create_user(name, user_id=user_id, username=name.lower() + "_bakes")
    await redeem(club, user, code)
    sb.join_via_link(user, join_link(sb, user))
    await club.settle()
    assert sb.member_status(club.group, user) == "member"
    return user


def last_with(club: SimulatedClub, user: SimUser, prefix: str) -> tuple[SentMessage, str]:
    """The newest message to ``user`` with a button whose data (or URL) starts with prefix."""
    for msg in reversed(club.sandbox.bot_messages(user)):
        for data in button_targets(msg):
            if data.startswith(prefix):
                return msg, data
    raise AssertionError(f"no button {prefix!r} for {user.first_name}")


def every_value(db_path: Path) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every cell of every table: erasure scans read all of it."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        cells = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                cells += [(table, name, value) for name, value in zip(names, row, strict=True)]
        return cells
    finally:
        conn.close()


WEBHOOK_SECRET = "s3cret-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_club(db_path: Path) -> AsyncIterator[tuple[SimulatedClub, str]]:
    """A club whose bot takes updates by webhook on a free local port: (club, webhook URL)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    webhook = {"url": url, "listen": "127.0.0.1", "port": port, "secret_token": WEBHOOK_SECRET}
    async with simulated_club(db_path, start=False, telegram={"webhook": webhook}) as club:
        await start_application(club.app, mode="webhook")
        yield club, url
