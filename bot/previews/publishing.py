"""Publishing a claimed preview, so the record always says what the group shows.

A preview is claimed ("publishing") in a committed transaction before anything is sent, so a
crash can never make it go out twice (at most once; PreviewService.recover tells the author
to check the group). Past the claim, the one rule is: the record changes to "published" as
soon as the copies are in the group, and nothing that fails afterwards (tagging album
captions, the album's rating prompt, the pin, the poll, the author's DM) may undo that or
stop the next preview. "failed" is written only when nothing of the preview was sent.

Why an album whose rating prompt failed stays "published" rather than being deleted: the
copies were visible to members the moment they landed (they may have read, reacted, replied
already), and deleting them takes Telegram calls that fail in the same outage, which would
leave a "failed" row beside copies still in the group. So the album is recorded as what it
is, a published preview without its rating buttons yet (``message_id`` NULL: "no message
carries the keyboard"), and the prompt is retried by scheduler work for a few hours.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram.error import BadRequest, TelegramError

from bot.core.messaging import message_link
from bot.core.services import Services
from bot.links import LinkService, copy_tagged
from bot.polls import PollService, PollSpec
from bot.previews import texts
from bot.previews.keyboards import rating_keyboard
from bot.previews.reads import preview_message_ids
from bot.previews.records import Feedback, PreviewRecord
from bot.previews.repo import PreviewRepository

log = logging.getLogger(__name__)

# An album's rating prompt that could not be posted is retried at every tick for this long
# after publication. Ratings come in the first hours; a Telegram outage longer than that
# needs a person, and retrying for ever would only fill the log.
RATING_PROMPT_RETRY_SECONDS = 6 * 3600

# The buttons a preview starts with. Nobody can rate before its keyboard is out (a rating
# counts only when pressed on the recorded keyboard message), so a late keyboard starts empty too.
NO_RATINGS = Feedback((0, 0, 0, 0, 0), {})


@dataclass(frozen=True, slots=True)
class Sent:
    """What of one preview is in the group."""

    chat_id: int
    anchor_id: int  # the first message: pinned, replied to by the poll, linked for the author
    message_ids: list[int]  # every message of the preview in the group
    keyboard_id: int | None  # the message with the rating buttons; None: not posted (yet)


class Publisher:
    def __init__(
        self,
        services: Services,
        repo: PreviewRepository,
        *,
        polls: PollService,
        links: LinkService,
        after_publish: Callable[[PreviewRecord], Awaitable[None]],
    ) -> None:
        self._services = services
        self.repo = repo
        self.polls = polls
        self.links = links
        # The cancel button and the teasers belong to PreviewService.
        self._after_publish = after_publish

    async def publish_due(self) -> int:
        """Scheduler work: publish every preview whose time has come (each at most once)."""
        published = 0
        for record in await self.repo.claim_due(self._services.now_ts()):
            try:
                if await self._publish(record):
                    published += 1
            except Exception:
                # Every due preview was claimed together: one preview's trouble must not
                # strand the others in "publishing". _publish writes "published" or "failed"
                # before any step that may still raise here; if the database refused that very
                # write, the row is left as a crash leaves it and recover() settles it at start.
                log.exception("Publishing preview %s stopped; the others go on", record.id)
        return published

    async def _publish(self, record: PreviewRecord) -> bool:
        services = self._services
        try:
            sent = await self._send(record)
        except Exception as exc:
            # _send raises only while nothing of the preview is in the group.
            if isinstance(exc, TelegramError):
                log.warning("Preview %s could not be published: %s", record.id, exc)
            else:
                log.exception("Preview %s could not be published", record.id)
            await self.repo.mark_failed(record.id, str(exc))
            await self._tell_author(record, texts.publish_failed(record, exc, services.tr))
            return False
        await self.repo.mark_published(
            record.id,
            chat_id=sent.chat_id,
            message_id=sent.keyboard_id,
            message_ids=sent.message_ids,
            notify=record.notify,
            now=services.now_ts(),
        )
        # Published and recorded. Each step below handles Telegram's errors itself (it logs
        # and the next step runs): the pin, the poll or the DM failing never changes the record.
        pinned = await self._pin(record, sent.chat_id, sent.anchor_id)
        if pinned is not None:
            await self.repo.set_pinned(record.id, pinned)
        if record.poll_question:
            await self._add_poll(record, sent.anchor_id)
        link = message_link(sent.chat_id, sent.anchor_id)
        await self._tell_author(record, texts.published(record, link, services.tr))
        await self._after_publish(record)
        return True

    async def _send(self, record: PreviewRecord) -> Sent:
        """Copy the preview into the group; raises only if nothing of it got there."""
        services = self._services
        bot = services.messenger.bot
        if len(record.source_message_ids) == 1:
            tagged = await self.links.preview_text(record.id)
            keyboard = rating_keyboard(record.id, NO_RATINGS, services.tr)
            # In a forum group, previews go to the club's posts topic (bot/forum). One message
            # carries the preview and its keyboard: it is out whole or not at all.
            copied = await services.messenger.in_posts_topic(
                lambda cid, thread: copy_tagged(
                    bot,
                    cid,
                    record.source_chat_id,
                    record.source_message_ids[0],
                    tagged,
                    protect_content=True,  # members can't forward or save a preview
                    reply_markup=keyboard,
                    message_thread_id=thread,
                )
            )
            only = copied.message_id
            return Sent(services.chats.community_id, only, [only], only)
        album = await services.messenger.in_posts_topic(
            lambda cid, thread: bot.copy_messages(
                cid,
                record.source_chat_id,
                list(record.source_message_ids),
                protect_content=True,
                message_thread_id=thread,
            )
        )
        # The album is in the group now (read after the copy: a migration may have moved it).
        chat_id = services.chats.community_id
        message_ids = [m.message_id for m in album]
        try:
            await self.links.tag_album(
                record.id,
                record.source_chat_id,
                list(record.source_message_ids),
                chat_id,
                message_ids,
            )
        except Exception:
            # An untagged caption loses click counts, never the preview.
            log.exception("Could not tag the captions of preview %s", record.id)
        keyboard_id = await self._post_rating_prompt(record, chat_id, message_ids[0])
        if keyboard_id is not None:
            message_ids.append(keyboard_id)
        return Sent(chat_id, message_ids[0], message_ids, keyboard_id)

    async def _post_rating_prompt(
        self, record: PreviewRecord, chat_id: int, anchor_id: int
    ) -> int | None:
        """An album can't carry a keyboard: the rating buttons come in a message under it (a
        reply, so in a forum it lands in the album's topic). None if it could not be posted."""
        services = self._services
        try:
            sent = await services.messenger.to_chat(
                chat_id,
                texts.album_rating_prompt(record, services.tr),
                reply_markup=rating_keyboard(record.id, NO_RATINGS, services.tr),
                reply_to_message_id=anchor_id,
                protect_content=True,
            )
        except TelegramError as exc:
            log.warning(
                "Rating buttons of preview %s not posted; retried later: %s", record.id, exc
            )
            return None
        except Exception:
            # Called with the album already out: whatever breaks here must not reach _send.
            log.exception("Rating buttons of preview %s not posted; retried later", record.id)
            return None
        return sent[0].message_id

    async def retry_rating_prompts(self) -> int:
        """Scheduler work: post the rating buttons of albums published without them.

        A prompt sent whose answer was lost (a timeout) is sent again: the extra message's
        buttons answer "stale" (only the recorded one counts), which beats an album no one
        can rate.
        """
        since = self._services.now_ts() - RATING_PROMPT_RETRY_SECONDS
        posted = 0
        for record in await self.repo.missing_rating_prompts(published_since=since):
            ids = await preview_message_ids(self._services.db, record.id)
            if record.chat_id is None or not ids:
                continue
            keyboard_id = await self._post_rating_prompt(record, record.chat_id, ids[0])
            if keyboard_id is not None:
                await self.repo.set_rating_message(record.id, record.chat_id, keyboard_id)
                posted += 1
        return posted

    async def _tell_author(self, record: PreviewRecord, text: str) -> None:
        # The author's DM reports a fact already recorded; it failing (Telegram down) must not
        # change that fact or stop the next preview. They can read it in /previews.
        try:
            await self._services.messenger.dm(record.created_by, text)
        except TelegramError as exc:
            log.warning("Could not tell the author of preview %s: %s", record.id, exc)

    async def _pin(self, record: PreviewRecord, chat_id: int, message_id: int) -> int | None:
        bot = self._services.messenger.bot
        previous = await self.repo.previous_pin(chat_id, record.id)
        if previous is not None:
            try:
                await bot.unpin_chat_message(chat_id, message_id=previous)
            except BadRequest as exc:
                # Someone unpinned or deleted it already: nothing to undo.
                log.info("Previous preview message %s was not pinned: %s", previous, exc)
            except TelegramError as exc:
                log.warning("Could not unpin the previous preview: %s", exc)
        try:
            await bot.pin_chat_message(chat_id, message_id, disable_notification=True)
        except TelegramError as exc:
            # Missing can_pin_messages, or Telegram down: published, just not pinned.
            log.warning("Could not pin preview %s: %s", record.id, exc)
            return None
        return message_id

    async def _add_poll(self, record: PreviewRecord, reply_to: int) -> None:
        assert record.poll_question is not None
        # PollService.create records a poll it could not send as failed, and never raises
        # for Telegram's errors.
        created = await self.polls.create(
            PollSpec(record.poll_question, record.poll_options),
            source_chat_id=record.command_chat_id,
            source_message_id=record.command_message_id,
            created_by=record.created_by,
            preview_id=record.id,
            reply_to_message_id=reply_to,
        )
        if created.poll is not None:
            await self.repo.set_poll(record.id, created.poll.id)

    async def recover(self) -> None:
        """Start-up: a preview left "publishing" by a crash is not sent again (at most once)."""
        for record in await self.repo.stuck_publishing():
            log.warning("Preview %s was being published when the bot stopped", record.id)
            await self.repo.mark_failed(
                record.id, "the bot stopped while publishing; check the group"
            )
            await self._tell_author(record, texts.interrupted(record, self._services.tr))
