"""Sending messages the way Telegram wants them: escaped HTML, split at its limits.

Every value inserted into a message goes through ``escape``; messages longer than Telegram's
4096 characters are split on line boundaries so no HTML tag is cut in half.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from typing import Any

from telegram import Bot, CallbackQuery, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden

from bot.core import i18n

log = logging.getLogger(__name__)

TEXT_LIMIT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096


def escape(value: object) -> str:
    """Escape any value for Telegram's HTML parse mode (once: ``Html`` is left as it is)."""
    return i18n.escape(value)


def visible_length(html_text: str) -> int:
    """Length Telegram counts: the text after entities are parsed, in UTF-16 code units."""
    plain = _strip_tags(html_text)
    return len(html.unescape(plain).encode("utf-16-le")) // 2


def html_to_plain(html_text: str) -> str:
    """What a person sees of an HTML message: tags gone, entities decoded."""
    return html.unescape(_strip_tags(html_text))


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


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


def _open_tags_after(line: str, stack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The tags still open after ``line``, given those open before it: (name, opening tag)."""
    opened = list(stack)
    for match in _TAG.finditer(line):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            opened.append((name, match.group(0)))
        elif opened and opened[-1][0] == name:
            opened.pop()
    return opened


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split HTML text into chunks within ``limit`` visible characters, at line boundaries.

    A tag left open at a cut (a <pre> block spanning lines, say) is closed at the end of one
    chunk and opened again at the start of the next, so every chunk is valid HTML on its own.
    A single line longer than the limit is cut as plain text (its tags removed).
    """
    chunks: list[str] = []
    current: list[str] = []
    current_length = 0
    open_at_start: list[tuple[str, str]] = []  # tags open where the current chunk begins
    open_now: list[tuple[str, str]] = []  # tags open after the last line added

    def close_chunk() -> None:
        nonlocal current, current_length, open_at_start
        if current:
            body = "".join(tag for _, tag in open_at_start) + "\n".join(current)
            body += "".join(f"</{name}>" for name, _ in reversed(open_now))
            chunks.append(body)
        current, current_length = [], 0
        open_at_start = list(open_now)

    for line in text.split("\n"):
        line_length = visible_length(line)
        if line_length > limit:
            close_chunk()
            chunks.extend(_cut_plain(html.unescape(_strip_tags(line)), limit))
            open_now = _open_tags_after(line, open_now)
            open_at_start = list(open_now)
            continue
        extra = line_length + (1 if current else 0)
        if current and current_length + extra > limit:
            close_chunk()
            extra = line_length
        current.append(line)
        current_length += extra
        open_now = _open_tags_after(line, open_now)
    close_chunk()
    return [chunk for chunk in chunks if _strip_tags(chunk).strip()]


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


async def answer_query(
    query: CallbackQuery, text: str | None = None, *, show_alert: bool = False
) -> None:
    """Answer a button press; a query already answered or too old is not an error.

    Telegram takes one answer per query and forgets queries after a short while. A press
    replayed after a crash may have been answered by the process that died, and the work
    behind the button must still happen, so this never raises for that.
    """
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        log.info("Could not answer a button press (%s)", exc.message)


def is_not_modified(exc: BadRequest) -> bool:
    """Telegram refused an edit because the message already reads exactly so.

    An edit that changes nothing (a double tap answered the same way twice) fails with
    "Bad Request: message is not modified": the person already sees the answer, so there is
    nothing to send again."""
    return "message is not modified" in exc.message.lower()


def message_link(chat_id: int, message_id: int) -> str | None:
    """The t.me/c/ link of a supergroup message (members of the group can open it; in a
    forum it opens in its topic): the chat id without its -100 prefix. None for a basic
    group, whose messages have no link."""
    raw = str(chat_id)
    if not raw.startswith("-100"):
        return None
    return f"https://t.me/c/{raw[4:]}/{message_id}"
