"""Find brand links in the bot's output that lack the campaign tags (for any e2e test).

Reads what members actually receive, as the sandbox stores it: text or caption with
entities, and URL buttons. A link is a ``text_link`` entity's URL, a URL button, or a bare
address in text outside ``text_link``/``code``/``pre`` entities (Telegram makes a link of
those). Links through the bot's redirect endpoint count as tagged: the endpoint only leads to
registered, tagged addresses.
"""

from __future__ import annotations

import re
from typing import Any

from bot.config import LinkSettings
from bot.links.tagging import is_brand_link, is_tagged
from bot.sandbox import Sandbox, SentMessage

_BARE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_COVERING = frozenset({"text_link", "code", "pre"})


def _utf16_ranges(text: str, entities: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Python string ranges of the covering entities (offsets are UTF-16 code units)."""
    positions = [0]
    for char in text:
        positions.append(positions[-1] + (2 if ord(char) > 0xFFFF else 1))
    index = {unit: i for i, unit in enumerate(positions)}
    ranges = []
    for entity in entities:
        if entity.get("type") in _COVERING:
            start = index.get(entity["offset"], 0)
            end = index.get(entity["offset"] + entity["length"], len(text))
            ranges.append((start, end))
    return ranges


def links_of(message: SentMessage) -> list[str]:
    text = message.text if message.text is not None else (message.caption or "")
    entities = message.entities if message.text is not None else message.caption_entities
    found = [str(e["url"]) for e in entities or [] if e.get("type") == "text_link"]
    covered = _utf16_ranges(text, entities or [])
    for match in _BARE.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        url = match.group(0).rstrip(".,;:!?)]}")
        found.append(url if not url.lower().startswith("www.") else "https://" + url)
    for row in (message.reply_markup or {}).get("inline_keyboard") or []:
        found += [str(button["url"]) for button in row if button.get("url")]
    return found


def untagged_brand_links(sandbox: Sandbox, settings: LinkSettings) -> list[tuple[int, str]]:
    """(chat id, link) for every brand link the bot sent anywhere without the tags."""
    bad: list[tuple[int, str]] = []
    for chat in sandbox.world.chats.values():
        for message in sandbox.bot_messages(chat):
            for url in links_of(message):
                if is_brand_link(url, settings) and not is_tagged(url, settings):
                    bad.append((message.chat_id, url))
    return bad


def brand_links_sent(sandbox: Sandbox, settings: LinkSettings) -> list[str]:
    return [
        url
        for chat in sandbox.world.chats.values()
        for message in sandbox.bot_messages(chat)
        for url in links_of(message)
        if is_brand_link(url, settings)
        or (settings.redirect_base_url and url.startswith(settings.redirect_base_url))
    ]
