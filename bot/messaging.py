"""Sending messages the way Telegram wants them: escaped HTML, split at its limits.

Every value inserted into a message goes through ``escape``; messages longer than Telegram's
4096 characters are split on line boundaries so no HTML tag is cut in half.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import Any

from telegram import Bot, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden

log = logging.getLogger(__name__)

TEXT_LIMIT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096
CAPTION_LIMIT = int(MessageLimit.CAPTION_LENGTH)  # 1024


def escape(value: object) -> str:
    """Escape any value for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


def visible_length(html_text: str) -> int:
    """Length Telegram counts: the text after entities are parsed, in UTF-16 code units."""
    plain = _strip_tags(html_text)
    return len(html.unescape(plain).encode("utf-16-le")) // 2


def _strip_tags(text: str) -> str:
    out: list[str] = []
    inside = False
    for char in text:
        if char == "<":
            inside = True
        elif char == ">" and inside:
            inside = False
        elif not inside:
            out.append(char)
    return "".join(out)


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split HTML text into chunks within ``limit``, at line boundaries.

    Lines are expected to be tag-balanced (every formatter here closes its tags on the line
    it opens them), so a split between lines never breaks markup. A single line longer than
    the limit is cut as plain text (tags removed) so it can never produce invalid HTML.
    """
    chunks: list[str] = []
    current: list[str] = []
    current_length = 0
    for line in text.split("\n"):
        line_length = visible_length(line)
        if line_length > limit:
            if current:
                chunks.append("\n".join(current))
                current, current_length = [], 0
            chunks.extend(_cut_plain(html.unescape(_strip_tags(line)), limit))
            continue
        extra = line_length + (1 if current else 0)
        if current and current_length + extra > limit:
            chunks.append("\n".join(current))
            current, current_length = [line], line_length
        else:
            current.append(line)
            current_length += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()] or ([text] if text.strip() else [])


def _cut_plain(plain: str, limit: int) -> Iterable[str]:
    # Cut by UTF-16 length so an emoji-heavy line never exceeds Telegram's count; leave room
    # for escaping to grow &, < and > (escaping does not change the visible length).
    piece: list[str] = []
    units = 0
    for char in plain:
        size = len(char.encode("utf-16-le")) // 2
        if units + size > limit:
            yield escape("".join(piece))
            piece, units = [], 0
        piece.append(char)
        units += size
    if piece:
        yield escape("".join(piece))


async def send_html(bot: Bot, chat_id: int, text: str, **kwargs: Any) -> list[Message]:
    """Send HTML text, split into as many messages as Telegram's limit needs."""
    sent: list[Message] = []
    for chunk in split_message(text):
        sent.append(await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML, **kwargs))
        # Only the first part carries a keyboard or a reply reference.
        kwargs.pop("reply_markup", None)
        kwargs.pop("reply_parameters", None)
    return sent


async def try_dm(bot: Bot, user_id: int, text: str, **kwargs: Any) -> bool:
    """Write to someone privately; False if Telegram will not let us (never started/blocked).

    Forbidden is expected here: a private message is only possible once a person has started
    the bot, and they may block it at any time.
    """
    try:
        await send_html(bot, user_id, text, **kwargs)
    except Forbidden as exc:
        log.info("Cannot write to user %s: %s", user_id, exc.message)
        return False
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():
            log.info("Cannot write to user %s: chat not found", user_id)
            return False
        raise
    return True
