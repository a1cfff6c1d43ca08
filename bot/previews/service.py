"""Previews: schedule, publish (protected, pinned, with a rating keyboard), collect feedback.

Publication is a fact in SQLite checked by the scheduler, so a preview survives restarts
and one that fell due while the bot was down is published at the first tick after it. The
crash window: a preview is claimed ("publishing") in a committed transaction *before*
anything is sent and marked "published" as soon as its copies are in the group. If the bot
dies between the two, the row is left "publishing" and is never sent again automatically —
at most once — and the author is told to check the group (PreviewService.recover). How a
failure after the copies are out is recorded: bot/previews/publishing.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, TelegramError

from bot.core.services import Services
from bot.db import Database
from bot.gate import is_member
from bot.links import LinkService, clicks_for_preview
from bot.polls import PollService, poll_results
from bot.previews import teaser, texts
from bot.previews.keyboards import rating_keyboard
from bot.previews.outcomes import Cancelled, Listing, PreviewResults, Rating, RatingAnswer
from bot.previews.parse import PreviewSpec
from bot.previews.publishing import Publisher
from bot.previews.reads import feedback_for, preview_message_ids
from bot.previews.records import Feedback, PreviewRecord, PreviewStatus
from bot.previews.replies import Reply, replies_to
from bot.previews.repo import PreviewRepository

log = logging.getLogger(__name__)


# Telegram allows roughly one edit per second per message, and fewer per group per minute;
# ratings arrive in bursts when a preview lands, so the keyboard tally is refreshed by the
# scheduler, at most once per this many seconds per preview, however many votes came in.
TALLY_EDIT_SECONDS = 5


@dataclass(frozen=True, slots=True)
class Scheduled:
    record: PreviewRecord | None  # None: this command was handled before (a replay)


class PreviewService:
    def __init__(
        self,
        services: Services,
        create_task: Callable[[Any], object],
        *,
        polls: PollService,
        links: LinkService,
    ) -> None:
        self._services = services
        self.polls = polls
        self.links = links
        self.repo = PreviewRepository(services.db)
        self.members: teaser.MemberSource = teaser.gate_member_ids
        self._create_task = create_task
        self._teasers_running: set[int] = set()
        self.teaser_tasks: list[asyncio.Task[Any]] = []
        self.publisher = Publisher(
            services, self.repo, polls=polls, links=links, after_publish=self._after_publish
        )

    # --- scheduling -----------------------------------------------------------------------
    async def schedule(
        self,
        spec: PreviewSpec,
        *,
        command_chat_id: int,
        command_message_id: int,
        created_by: int,
        source_chat_id: int,
        source_message_ids: list[int],
        kind: str,
    ) -> Scheduled:
        preview_id = await self.repo.create(
            command_chat_id=command_chat_id,
            command_message_id=command_message_id,
            created_by=created_by,
            title=spec.title,
            source_chat_id=source_chat_id,
            source_message_ids=source_message_ids,
            kind=kind,
            poll_question=spec.poll_question,
            poll_options=spec.poll_options,
            notify=spec.notify,
            publish_at=int(spec.publish_at.timestamp()),
            now=self._services.now_ts(),
        )
        return Scheduled(await self.repo.get(preview_id) if preview_id is not None else None)

    def summary(self, record: PreviewRecord) -> str:
        """The author's confirmation (HTML)."""
        services = self._services
        return texts.summary(
            record, services.settings.community.tz, services.now_ts(), services.tr
        )

    async def cancel(self, preview_id: int) -> Cancelled:
        """Cancel a scheduled preview."""
        status = await self.repo.cancel(preview_id, self._services.now_ts())
        if status is None:
            return Cancelled.NO_SUCH_PREVIEW
        if status is PreviewStatus.SCHEDULED:
            await self._drop_cancel_button(preview_id)
            return Cancelled.NOW
        if status is PreviewStatus.CANCELLED:
            return Cancelled.ALREADY
        if status in (PreviewStatus.PUBLISHED, PreviewStatus.PUBLISHING):
            return Cancelled.TOO_LATE
        return Cancelled.NOTHING_TO_CANCEL

    async def _drop_cancel_button(self, preview_id: int) -> None:
        record = await self.repo.get(preview_id)
        if record is None or record.confirm_message_id is None:
            return
        try:
            await self._services.messenger.bot.edit_message_reply_markup(
                record.command_chat_id, record.confirm_message_id, reply_markup=None
            )
        except TelegramError as exc:
            log.debug("Could not remove the Cancel button of preview %s: %s", preview_id, exc)

    # --- publishing (bot/previews/publishing.py) ----------------------------------------
    async def publish_due(self) -> int:
        """Scheduler work: publish every preview whose time has come (each at most once)."""
        return await self.publisher.publish_due()

    async def retry_rating_prompts(self) -> int:
        """Scheduler work: the rating buttons of albums that were published without them."""
        return await self.publisher.retry_rating_prompts()

    async def recover(self) -> None:
        """Start-up: a preview left "publishing" by a crash is not sent again (at most once)."""
        await self.publisher.recover()

    async def _after_publish(self, record: PreviewRecord) -> None:
        await self._drop_cancel_button(record.id)
        if record.notify:
            await self.start_teasers()

    # --- teaser ---------------------------------------------------------------------------
    async def start_teasers(self) -> None:
        """Scheduler work: start (or resume after a restart) pending teaser broadcasts."""
        for record in await self.repo.teasers_to_send():
            if record.id in self._teasers_running:
                continue
            self._teasers_running.add(record.id)
            task = self._create_task(self._run_teaser(record))
            if isinstance(task, asyncio.Task):
                self.teaser_tasks.append(task)

    async def _run_teaser(self, record: PreviewRecord) -> None:
        try:
            await teaser.run_teaser(self._services, self.links, self.repo, record, self.members)
        except Exception:
            log.exception("Teaser for preview %s stopped; it resumes at the next tick", record.id)
        finally:
            self._teasers_running.discard(record.id)

    # --- feedback -------------------------------------------------------------------------
    async def rate(
        self, preview_id: int, user_id: int, stars: int, pressed_on: tuple[int, int] | None
    ) -> Rating:
        """A member pressed a star on ``pressed_on`` (chat id, message id).

        A rating counts only from a seated member, pressed on the preview's own published
        message: four accounts that only pressed Start must not rate with forged presses.
        """
        record = await self.repo.get(preview_id)
        if record is None or record.status is not PreviewStatus.PUBLISHED or not 1 <= stars <= 5:
            return Rating(RatingAnswer.CLOSED)
        if pressed_on is None or pressed_on != (record.chat_id, record.message_id):
            return Rating(RatingAnswer.STALE_BUTTON)
        if not await is_member(self._services.db, user_id):
            return Rating(RatingAnswer.MEMBERS_ONLY)
        previous = await self.repo.rate(preview_id, user_id, stars, self._services.now_ts())
        if previous is None:
            return Rating(RatingAnswer.RATED, stars)
        if previous == stars:
            return Rating(RatingAnswer.SAME, stars)
        return Rating(RatingAnswer.CHANGED, stars, previous)

    async def feedback(self, preview_id: int) -> Feedback:
        return await self.repo.feedback(preview_id)

    async def refresh_tallies(self) -> int:
        """Scheduler work: show new ratings on the keyboards, at most one edit per preview
        per TALLY_EDIT_SECONDS however many votes came in."""
        now = self._services.now_ts()
        edited = 0
        for record in await self.repo.dirty_tallies(now - TALLY_EDIT_SECONDS):
            if record.chat_id is None or record.message_id is None:
                await self.repo.mark_tally_shown(record.id, now)
                continue
            keyboard = rating_keyboard(
                record.id, await self.repo.feedback(record.id), self._services.tr
            )
            try:
                await self._services.messenger.bot.edit_message_reply_markup(
                    record.chat_id, record.message_id, reply_markup=keyboard
                )
                edited += 1
            except BadRequest as exc:
                # "Message is not modified": the tally is already right (e.g. a vote changed
                # and changed back). "Message to edit not found": deleted by an admin.
                log.debug("Tally edit for preview %s skipped: %s", record.id, exc)
            except TelegramError as exc:
                log.info("Tally edit for preview %s failed; retrying later: %s", record.id, exc)
                continue
            await self.repo.mark_tally_shown(record.id, now)
        return edited

    async def on_reaction(
        self, chat_id: int, message_id: int, user_id: int, reactions: list[str]
    ) -> bool:
        preview_id = await self.repo.preview_for_message(chat_id, message_id)
        if preview_id is None:
            return False
        await self.repo.set_reactions(
            preview_id, message_id, user_id, reactions, self._services.now_ts()
        )
        return True

    async def on_reaction_count(
        self, chat_id: int, message_id: int, counts: dict[str, int]
    ) -> bool:
        preview_id = await self.repo.preview_for_message(chat_id, message_id)
        if preview_id is None:
            return False
        await self.repo.set_reaction_counts(
            preview_id, message_id, counts, self._services.now_ts()
        )
        return True

    # --- reading --------------------------------------------------------------------------
    async def listing(self) -> Listing:
        db = self._services.db
        published = [(r, await read_results(db, r)) for r in await self.repo.published()]
        return Listing(await self.repo.scheduled(), published)


async def read_results(db: Database, record: PreviewRecord) -> PreviewResults:
    """Rating, reactions, replies, poll and link clicks of one published preview."""
    poll = await poll_results(db, record.poll_id) if record.poll_id is not None else None
    return PreviewResults(
        feedback=await feedback_for(db, record.id),
        replies=await replies_of(db, record),
        poll=poll,
        clicks=await clicks_for_preview(db, record.id),
    )


async def replies_of(db: Database, record: PreviewRecord) -> list[Reply]:
    if record.chat_id is None:
        return []
    ids = await preview_message_ids(db, record.id)
    return await replies_to(db, record.chat_id, ids)
