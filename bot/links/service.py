"""Measurable links: tag the brand's links the bot posts, and count clicks when asked to.

Member messages are never rewritten: only text the bot itself composes or publishes for the
brand (previews, teasers, poll results, the welcome) passes through ``brand_html``.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Message, MessageId
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.core.services import Services
from bot.links import redirect
from bot.links.records import TaggedText
from bot.links.repo import LinkRepository
from bot.links.tagging import brand_links, rewrite_html, tag_url

log = logging.getLogger(__name__)

MEMO_SIZE = 256


class LinkService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings.links
        self.repo = LinkRepository(services.db)
        self.counter = redirect.ClickCounter(self.today)
        self.server: redirect.RedirectServer | None = None
        # Set when the endpoint could not start: links then go straight to the brand's site
        # (tagged), since a counted link to an endpoint nobody serves would be a dead link.
        self.counting_off = False
        # The same text (the welcome, above all) is tagged once, not once per join: a join
        # wave must not add a database round trip per welcome.
        self._memo: dict[tuple[str, str, int | None], str] = {}

    def today(self) -> str:
        tz = self.services.settings.community.tz
        local = datetime.fromtimestamp(self.services.now_ts(), UTC).astimezone(tz)
        return local.date().isoformat()

    @property
    def redirect_base(self) -> str:
        return self.settings.redirect_base_url.rstrip("/")

    # --- tagging ---------------------------------------------------------------------------
    async def brand_html(self, source: str, content: str, preview_id: int | None = None) -> str:
        """The HTML with every brand link tagged (and routed through the counter if on)."""
        key = (source, content, preview_id)
        if key in self._memo:
            return self._memo[key]
        found = list(dict.fromkeys(brand_links(source, self.settings)))
        if not found or not (self.settings.tag or self.redirect_base):
            return source
        mapping: dict[str, str] = {}
        for url in found:
            tagged = tag_url(url, self.settings, content) if self.settings.tag else url
            mapping[url] = await self._counted(tagged, content, preview_id) or tagged
        result = rewrite_html(source, self.settings, lambda url: mapping.get(url, url))
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = result
        return result

    async def _counted(self, url: str, content: str, preview_id: int | None) -> str | None:
        if not self.redirect_base or self.counting_off:
            return None
        target = await self.repo.register(
            url, secrets.token_urlsafe(9), content, preview_id, self.services.now_ts()
        )
        self.counter.add_target(target.token, target.id, target.url)
        return f"{self.redirect_base}/{target.token}"

    async def remember_preview(self, preview_id: int, original: Message) -> bool:
        """At /preview time: keep the draft's text with its links tagged, if it has any."""
        is_caption = original.caption is not None
        source = original.caption_html if is_caption else original.text_html
        if not source or not brand_links(source, self.settings):
            return False
        tagged = await self.brand_html(source, f"preview-{preview_id}", preview_id)
        await self.repo.save_preview_text(preview_id, tagged, is_caption)
        return True

    async def preview_text(self, preview_id: int) -> TaggedText | None:
        return await self.repo.preview_text(preview_id)

    async def remember_album_item(self, message: Message) -> bool:
        """An album item with a linked caption: keep the caption to tag its copy later."""
        source = message.caption_html if message.caption else None
        if not source or not brand_links(source, self.settings):
            return False
        await self.repo.save_draft(message.chat.id, message.message_id, source)
        return True

    async def draft_edited(self, message: Message) -> int:
        """The brand edited a draft before its preview went out. A copy would have carried
        the edit; the tagged text kept at /preview time must follow it too, or the old words
        are published. Returns how many scheduled previews (or album captions) it touched."""
        if message.media_group_id is not None:
            # Album captions are tagged from their drafts when the album is published.
            if not await self.remember_album_item(message):
                await self.repo.forget_draft(message.chat.id, message.message_id)
            return 1
        previews = await self.repo.scheduled_previews_of(message.chat.id, message.message_id)
        for preview_id in previews:
            if not await self.remember_preview(preview_id, message):
                # No brand link left: the preview is copied as the draft now reads.
                await self.repo.forget_preview_text(preview_id)
        return len(previews)

    async def tag_album(
        self,
        preview_id: int,
        source_chat_id: int,
        source_ids: list[int],
        chat_id: int,
        copied_ids: list[int],
    ) -> int:
        """After copying an album: give each copied caption with brand links its tags."""
        edited = 0
        for source_id, copied_id in zip(source_ids, copied_ids, strict=False):
            draft = await self.repo.draft(source_chat_id, source_id)
            if draft is None:
                continue
            tagged = await self.brand_html(draft, f"preview-{preview_id}", preview_id)
            try:
                await self.services.messenger.bot.edit_message_caption(
                    chat_id=chat_id,
                    message_id=copied_id,
                    caption=tagged,
                    parse_mode=ParseMode.HTML,
                )
                edited += 1
            except TelegramError as exc:
                # The album is out either way; an untagged caption is a lost statistic only.
                log.warning("Could not tag the caption of preview %s: %s", preview_id, exc)
        return edited

    # --- clicks ----------------------------------------------------------------------------
    async def load(self) -> None:
        for target in await self.repo.targets():
            self.counter.add_target(target.token, target.id, target.url)

    def start_server(self) -> None:
        if not self.redirect_base or self.server is not None:
            return
        listen, port = self.settings.redirect_listen, self.settings.redirect_port
        try:
            self.server = redirect.serve(
                self.counter, listen, port, self.services.settings.community.language
            )
        except OSError as exc:
            self.counting_off = True
            self._memo.clear()
            log.error(
                "Link clicks are not counted: cannot listen on %s:%d (%s); check "
                "links.redirect_listen and links.redirect_port. Links go straight to the "
                "site, with their campaign tags.",
                listen,
                port,
                exc.strerror or exc,
            )
            return
        log.info(
            "Counting link clicks at %s (listening on %s:%d)",
            self.redirect_base,
            self.settings.redirect_listen,
            self.server.port,
        )

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    async def flush_clicks(self) -> int:
        """Scheduler work: write the clicks counted since the last tick."""
        counts = self.counter.take()
        try:
            await self.repo.add_clicks(counts)
        except Exception:
            self.counter.give_back(counts)
            raise
        return sum(counts.values())


async def copy_tagged(
    bot: Bot,
    chat_id: int,
    from_chat_id: int,
    message_id: int,
    tagged: TaggedText | None,
    **kwargs: Any,
) -> MessageId:
    """copy_message, but with the tagged text: a caption can be replaced in the copy; a text
    message cannot, so it is sent anew (same words and formatting, tagged links)."""
    if tagged is None:
        return await bot.copy_message(chat_id, from_chat_id, message_id, **kwargs)
    if tagged.is_caption:
        return await bot.copy_message(
            chat_id,
            from_chat_id,
            message_id,
            caption=tagged.html,
            parse_mode=ParseMode.HTML,
            **kwargs,
        )
    sent = await bot.send_message(chat_id, tagged.html, parse_mode=ParseMode.HTML, **kwargs)
    return MessageId(sent.message_id)
