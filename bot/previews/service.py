"""Previews: schedule, publish (protected, pinned, with a rating keyboard), collect feedback.

Publication is a fact in SQLite checked by the scheduler, so a preview survives restarts
and one that fell due while the bot was down is published at the first tick after it. The
crash window: a preview is claimed ("publishing") in a committed transaction *before*
anything is sent and marked "published" after. If the bot dies between the two, the row is
left "publishing" and is never sent again automatically — at most once — and the author is
told to check the group (PreviewService.recover).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError

from bot.core.messaging import escape
from bot.core.services import Services
from bot.db import Database
from bot.gate import is_member
from bot.links import LinkService, clicks_for_preview, copy_tagged
from bot.polls import PollRecord, PollService, PollSpec, poll_results, result_lines
from bot.previews import teaser
from bot.previews.parse import PreviewSpec
from bot.previews.replies import Reply, replies_to
from bot.previews.repo import (
    CANCELLED,
    PUBLISHED,
    PUBLISHING,
    SCHEDULED,
    Feedback,
    PreviewRecord,
    PreviewRepository,
    feedback_for,
    preview_message_ids,
)

log = logging.getLogger(__name__)


CALLBACK_PREFIX = "v1:pv:"
# Telegram allows roughly one edit per second per message, and fewer per group per minute;
# ratings arrive in bursts when a preview lands, so the keyboard tally is refreshed by the
# scheduler, at most once per this many seconds per preview, however many votes came in.
TALLY_EDIT_SECONDS = 5
STARS = "★"


def rate_data(preview_id: int, stars: int) -> str:
    return f"{CALLBACK_PREFIX}rate:{preview_id}:{stars}"


def cancel_data(preview_id: int) -> str:
    return f"{CALLBACK_PREFIX}cancel:{preview_id}"


def info_data(preview_id: int) -> str:
    return f"{CALLBACK_PREFIX}info:{preview_id}"


def rating_keyboard(preview_id: int, feedback: Feedback) -> InlineKeyboardMarkup:
    stars = [
        InlineKeyboardButton(
            f"{n}{STARS}" + (f" · {count}" if count else ""),
            callback_data=rate_data(preview_id, n),
        )
        for n, count in enumerate(feedback.distribution, start=1)
    ]
    average = feedback.average
    summary = (
        f"⌀ {average:.1f}{STARS} from {feedback.votes} rating{'s' if feedback.votes != 1 else ''}"
        if average is not None
        else "Rate this preview: 1–5 stars"
    )
    return InlineKeyboardMarkup(
        [stars, [InlineKeyboardButton(summary, callback_data=info_data(preview_id))]]
    )


def cancel_keyboard(preview_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Cancel this preview", callback_data=cancel_data(preview_id))]]
    )


def local_time(ts: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


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
        services = self._services
        tz = services.settings.community.tz
        count = len(record.source_message_ids)
        what = f"album of {count}" if record.kind == "album" else record.kind
        lines = [f"<b>Preview {escape(record.label)}</b> ({escape(what)})"]
        if record.publish_at <= services.now_ts():
            lines.append("Publishing in the group now.")
        else:
            lines.append(
                f"Will be published in the group at {local_time(record.publish_at, tz)} "
                f"({escape(tz.key)})."
            )
        lines.append("Members can't forward or save it, and can rate it 1–5★.")
        if record.poll_question:
            options = " / ".join(escape(o) for o in record.poll_options)
            lines.append(f"Poll: {escape(record.poll_question)} ({options})")
        if record.notify:
            lines.append("Members who started me get a short teaser in private.")
        return "\n".join(lines)

    async def cancel(self, preview_id: int) -> str:
        """Cancel a scheduled preview; the reply for the person who asked."""
        status = await self.repo.cancel(preview_id, self._services.now_ts())
        if status is None:
            return f"There is no preview #{preview_id}. /previews lists them."
        if status == SCHEDULED:
            await self._drop_cancel_button(preview_id)
            return f"Preview #{preview_id} is cancelled; it will not be published."
        if status == CANCELLED:
            return f"Preview #{preview_id} was already cancelled."
        if status in (PUBLISHED, PUBLISHING):
            return f"Preview #{preview_id} is already published; it can't be cancelled."
        return f"Preview #{preview_id} could not be published earlier; there is nothing to cancel."

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

    # --- publishing -----------------------------------------------------------------------
    async def publish_due(self) -> int:
        """Scheduler work: publish every preview whose time has come (each exactly once)."""
        published = 0
        for record in await self.repo.claim_due(self._services.now_ts()):
            if await self._publish(record):
                published += 1
        return published

    async def _publish(self, record: PreviewRecord) -> bool:
        services = self._services
        bot = services.messenger.bot
        keyboard = rating_keyboard(record.id, Feedback((0, 0, 0, 0, 0), {}))
        chat_id = services.chats.community_id
        tagged = await self.links.preview_text(record.id)
        try:
            if len(record.source_message_ids) == 1:
                copied = await self._services.messenger.in_community(
                    lambda cid: copy_tagged(
                        bot,
                        cid,
                        record.source_chat_id,
                        record.source_message_ids[0],
                        tagged,
                        protect_content=True,  # members can't forward or save a preview
                        reply_markup=keyboard,
                    )
                )
                message_ids = [copied.message_id]
                keyboard_id = anchor_id = copied.message_id
            else:
                album = await self._services.messenger.in_community(
                    lambda cid: bot.copy_messages(
                        cid,
                        record.source_chat_id,
                        list(record.source_message_ids),
                        protect_content=True,
                    )
                )
                message_ids = [m.message_id for m in album]
                await self.links.tag_album(
                    record.id,
                    record.source_chat_id,
                    list(record.source_message_ids),
                    services.chats.community_id,
                    message_ids,
                )
                anchor_id = message_ids[0]
                # An album can't carry a keyboard: the rating buttons come right under it.
                title = f": <b>{escape(record.title)}</b>" if record.title else ""
                sent = await services.messenger.to_community(
                    f"⭐ Rate this preview{title}",
                    reply_markup=keyboard,
                    reply_to_message_id=anchor_id,
                    protect_content=True,
                )
                keyboard_id = sent[0].message_id
                message_ids.append(keyboard_id)
            chat_id = services.chats.community_id
        except TelegramError as exc:
            log.warning("Preview %s could not be published: %s", record.id, exc)
            await self.repo.mark_failed(record.id, str(exc))
            await services.messenger.dm(
                record.created_by,
                f"Preview {escape(record.label)} could not be published: {escape(exc)}",
            )
            return False

        pinned = await self._pin(record, chat_id, anchor_id)
        await self.repo.mark_published(
            record.id,
            chat_id=chat_id,
            message_id=keyboard_id,
            message_ids=message_ids,
            pinned_message_id=pinned,
            notify=record.notify,
            now=services.now_ts(),
        )
        if record.poll_question:
            await self._add_poll(record, anchor_id)
        await self._drop_cancel_button(record.id)
        link = teaser.message_link(chat_id, anchor_id)
        where = f' <a href="{escape(link)}">See it in the group</a>.' if link else ""
        await services.messenger.dm(
            record.created_by, f"Preview {escape(record.label)} is live in the group.{where}"
        )
        if record.notify:
            await self.start_teasers()
        return True

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
            # Missing can_pin_messages: the preview is still published, just not pinned.
            log.warning("Could not pin preview %s: %s", record.id, exc)
            return None
        return message_id

    async def _add_poll(self, record: PreviewRecord, reply_to: int) -> None:
        assert record.poll_question is not None
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
            await self._services.messenger.dm(
                record.created_by,
                f"Preview {escape(record.label)} was being published when I stopped. Please "
                "check the group: if it is not there, send /preview again.",
            )

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
    ) -> str:
        """A member pressed a star on ``pressed_on`` (chat id, message id); their answer.

        A rating counts only from a seated member, pressed on the preview's own published
        message: four accounts that only pressed Start must not rate with forged presses.
        """
        record = await self.repo.get(preview_id)
        if record is None or record.status != PUBLISHED or not 1 <= stars <= 5:
            return "This preview is not open for ratings."
        if pressed_on is None or pressed_on != (record.chat_id, record.message_id):
            return "This button is no longer active."
        if not await is_member(self._services.db, user_id):
            return "Only members of the club can rate previews."
        previous = await self.repo.rate(preview_id, user_id, stars, self._services.now_ts())
        if previous is None:
            return f"You rated {stars}{STARS}. Thank you!"
        if previous == stars:
            return f"You already rated {stars}{STARS}."
        return f"You changed your rating to {stars}{STARS} (was {previous}{STARS})."

    async def info(self, preview_id: int) -> str:
        feedback = await self.repo.feedback(preview_id)
        if feedback.average is None:
            return "No ratings yet: tap a star to rate."
        return f"Average {feedback.average:.1f}{STARS} from {feedback.votes} rating(s)."

    async def refresh_tallies(self) -> int:
        """Scheduler work: show new ratings on the keyboards, at most one edit per preview
        per TALLY_EDIT_SECONDS however many votes came in."""
        now = self._services.now_ts()
        edited = 0
        for record in await self.repo.dirty_tallies(now - TALLY_EDIT_SECONDS):
            if record.chat_id is None or record.message_id is None:
                await self.repo.mark_tally_shown(record.id, now)
                continue
            keyboard = rating_keyboard(record.id, await self.repo.feedback(record.id))
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
    async def listing(self) -> str:
        tz = self._services.settings.community.tz
        scheduled = await self.repo.scheduled()
        published = await self.repo.published()
        if not scheduled and not published:
            return "No previews yet. Write one to me here, then reply to it with /preview in 2h."
        lines: list[str] = []
        if scheduled:
            lines.append("<b>Scheduled</b>")
            for record in scheduled:
                state = (
                    "publishing now"
                    if record.status == PUBLISHING
                    else f"at {local_time(record.publish_at, tz)}"
                )
                lines.append(f"{escape(record.label)} — {record.kind}, {state}")
            lines.append("")
        if published:
            lines.append("<b>Published</b>")
            for record in published:
                assert record.published_at is not None
                lines.append(f"{escape(record.label)} — {local_time(record.published_at, tz)}")
                lines.extend(await self.result_lines(record))
        return "\n".join(lines).strip()

    async def result_lines(self, record: PreviewRecord) -> list[str]:
        db = self._services.db
        return await results_lines(db, record)


async def results_lines(db: Database, record: PreviewRecord) -> list[str]:
    """Rating, reactions, replies and poll of one published preview, as HTML lines."""
    feedback = await feedback_for(db, record.id)
    lines = [f"  {rating_text(feedback)}"]
    if feedback.reactions:
        lines.append(f"  Reactions: {reactions_text(feedback.reactions)}")
    replies = await replies_of(db, record)
    if replies:
        lines.append(f"  Replies: {sentiment_text(replies)}")
    if record.poll_id is not None:
        poll = await poll_record(db, record.poll_id)
        if poll is not None:
            lines.append(f"  Poll: {escape(poll.question)} ({poll.total_voters} voted)")
            lines.extend(f"    {line}" for line in result_lines(poll))
    clicks = await clicks_for_preview(db, record.id)
    if clicks:
        lines.append(f"  Link clicks: {clicks}")
    return lines


async def replies_of(db: Database, record: PreviewRecord) -> list[Reply]:
    if record.chat_id is None:
        return []
    ids = await preview_message_ids(db, record.id)
    return await replies_to(db, record.chat_id, ids)


async def poll_record(db: Database, poll_id: int) -> PollRecord | None:
    return await poll_results(db, poll_id)


def rating_text(feedback: Feedback) -> str:
    if feedback.average is None:
        return "No ratings yet"
    spread = " ".join(
        f"{n}{STARS}:{count}" for n, count in enumerate(feedback.distribution, start=1)
    )
    return f"Rating {feedback.average:.1f}{STARS} from {feedback.votes} ({spread})"


def reactions_text(reactions: dict[str, int]) -> str:
    return " ".join(f"{escape(key)} {count}" for key, count in reactions.items())


def sentiment_text(replies: list[Reply]) -> str:
    labels = Counter(reply.label for reply in replies)
    parts = [
        f"{labels[label]} {label}"
        for label in ("positive", "neutral", "negative", "unscored")
        if labels[label]
    ]
    return f"{len(replies)} ({', '.join(parts)})"
