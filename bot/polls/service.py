"""Polls: post a native Telegram poll in the community, track votes, close it on time.

Deadlines are rows in SQLite, checked by the scheduler against the injected clock, so a
poll whose deadline passed while the bot was down is closed (and its results posted) at
the first tick after the restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InputPollOption, Poll
from telegram.error import BadRequest, TelegramError

from bot.core.i18n import N_, SOURCE_LANGUAGE, Translator, translator
from bot.core.messaging import escape
from bot.core.services import Services
from bot.links import LinkService
from bot.polls.parse import PollSpec
from bot.polls.records import PollRecord
from bot.polls.repo import PollRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollCreated:
    poll: PollRecord | None  # None: the same command already made a poll (a replay)
    error: str | None = None


class PollService:
    def __init__(self, services: Services, links: LinkService) -> None:
        self._services = services
        self._links = links
        self.repo = PollRepository(services.db)

    # --- creating -------------------------------------------------------------------------
    async def create(
        self,
        spec: PollSpec,
        *,
        source_chat_id: int,
        source_message_id: int,
        created_by: int,
        preview_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> PollCreated:
        """Post the poll in the community group, once per command message."""
        services = self._services
        now = services.now_ts()
        closes_at = now + int(spec.closes_in.total_seconds()) if spec.closes_in else None
        poll_id = await self.repo.claim(
            source_chat_id=source_chat_id,
            source_message_id=source_message_id,
            created_by=created_by,
            question=spec.question,
            options=spec.options,
            allows_multiple=spec.multiple,
            is_anonymous=not spec.public,
            closes_at=closes_at,
            preview_id=preview_id,
            now=now,
        )
        if poll_id is None:
            log.info("Poll for message %s/%s exists already", source_chat_id, source_message_id)
            return PollCreated(None)
        bot = services.messenger.bot
        try:
            # In a forum group, polls go to the club's posts topic (bot/forum).
            message = await self._services.messenger.in_posts_topic(
                lambda chat_id, thread: bot.send_poll(
                    chat_id,
                    spec.question,
                    # Plain text, not HTML: a question may contain "<" or "&".
                    [InputPollOption(option, text_parse_mode=None) for option in spec.options],
                    is_anonymous=not spec.public,
                    allows_multiple_answers=spec.multiple,
                    reply_to_message_id=reply_to_message_id,
                    question_parse_mode=None,
                    message_thread_id=thread,
                    # A preview's poll describes the exclusive product like the preview, which
                    # is protected; a forwarded poll is the same poll, so outsiders' votes
                    # would count in what the brand is shown. (sendPoll's protect_content:
                    # "Protects the contents of the sent message from forwarding and saving".)
                    protect_content=preview_id is not None,
                )
            )
        except TelegramError as exc:
            log.warning("Could not post poll %s: %s", poll_id, exc)
            await self.repo.mark_failed(poll_id)
            return PollCreated(None, error=str(exc))
        assert message.poll is not None
        await self.repo.mark_open(
            poll_id, message.chat.id, message.message_id, message.poll.id, services.now_ts()
        )
        return PollCreated(await self.repo.get(poll_id))

    # --- votes ----------------------------------------------------------------------------
    async def on_poll(self, poll: Poll) -> None:
        """A ``poll`` update: Telegram's current totals for a poll we sent."""
        counts = [option.voter_count for option in poll.options]
        await self.repo.set_counts(poll.id, counts, poll.total_voter_count)

    async def on_answer(self, telegram_poll_id: str, user_id: int, option_ids: list[int]) -> bool:
        """A ``poll_answer`` (public polls only); an empty list is a retracted vote."""
        record = await self.repo.by_telegram_id(telegram_poll_id)
        if record is None:
            return False
        await self.repo.record_answer(record.id, user_id, option_ids, self._services.now_ts())
        return True

    # --- closing --------------------------------------------------------------------------
    async def close(self, poll_id: int) -> PollRecord | None:
        """Stop the poll in Telegram and record the final counts; None if it was not open."""
        record = await self.repo.get(poll_id)
        if record is None or record.status != "open":
            return None
        counts: list[int] | None = None
        total: int | None = None
        if record.chat_id is not None and record.message_id is not None:
            try:
                stopped = await self._services.messenger.bot.stop_poll(
                    record.chat_id, record.message_id
                )
                counts = [option.voter_count for option in stopped.options]
                total = stopped.total_voter_count
            except BadRequest as exc:
                # "Poll has already been closed" (closed by hand in the app) or the poll
                # message was deleted: either way it is over; keep the last counts we saw.
                log.info("stopPoll for poll %s: %s; recording it as closed", poll_id, exc)
        if not await self.repo.mark_closed(poll_id, self._services.now_ts(), counts, total):
            return None
        return await self.repo.get(poll_id)

    async def close_due(self) -> int:
        """Scheduler work: close every poll whose deadline has passed, post its results."""
        closed = 0
        for record in await self.repo.due(self._services.now_ts()):
            try:
                if await self.close(record.id) is not None:
                    closed += 1
            except TelegramError as exc:
                # Network trouble: the poll stays open and the next tick tries again.
                log.warning("Could not close poll %s yet: %s", record.id, exc)
        await self.post_pending_results()
        return closed

    async def post_pending_results(self) -> None:
        # Results are posted after the close is recorded; if the bot stops in between, the
        # next tick posts them (at-least-once: a crash right after sending may repeat them).
        for record in await self.repo.results_unposted():
            try:
                await self._services.messenger.to_community(
                    await self._links.brand_html(
                        results_text(record, self._services.tr, closed=True),
                        f"poll-{record.id}",
                    ),
                    reply_to_message_id=record.message_id,
                    allow_sending_without_reply=True,
                )
            except TelegramError as exc:
                log.warning("Could not post results of poll %s yet: %s", record.id, exc)
                continue
            await self.repo.mark_results_posted(record.id, self._services.now_ts())

    async def recover(self) -> None:
        """Start-up: polls left "sending" by a crash are marked failed (never sent twice)."""
        for record in await self.repo.stuck_sending():
            log.warning(
                "Poll %s was being sent when the bot stopped; it may or may not be in the "
                "group. Marked failed; post it again if it is missing.",
                record.id,
            )
            await self.repo.mark_failed(record.id)

    async def listing(self, tz: ZoneInfo, tr: Translator) -> str:
        records = await self.repo.recent()
        if not records:
            return tr._("No polls yet. Start one with /poll Question? | Option A | Option B")
        blocks = [poll_summary(record, tz, tr) for record in records]
        return "\n\n".join(blocks)


# --- formatting (pure) ------------------------------------------------------------------


def local_time(ts: int, tz: ZoneInfo, tr: Translator) -> str:
    return tr.datetime(datetime.fromtimestamp(ts, UTC).astimezone(tz))


def result_lines(record: PollRecord, tr: Translator | None = None) -> list[str]:
    """One line per option: its count and its share of the voters.

    Shares are of voters, as Telegram and the verdict card show them: in a multiple-answer
    poll an option every voter chose is 100%, and the shares add up to more than 100%. (The
    sum of the counts is answers, which for a single-answer poll is the voters anyway.)
    """
    tr = tr or translator(SOURCE_LANGUAGE)
    voters = record.total_voters
    lines: list[str] = []
    for option, count in zip(record.options, record.counts, strict=False):
        if voters:
            lines.append(
                tr._(
                    "• {option} — {count} ({share})",
                    option=option,
                    count=count,
                    share=tr.percent(count / voters),
                )
            )
        else:
            lines.append(tr._("• {option} — {count}", option=option, count=count))
    return lines


def results_text(record: PollRecord, tr: Translator, *, closed: bool) -> str:
    heading = (
        tr._("📊 Poll closed: {question}", question=record.question)
        if closed
        else tr._("📊 Poll: {question}", question=record.question)
    )
    voters = record.total_voters
    return "\n".join(
        [
            f"<b>{heading}</b>",
            *result_lines(record, tr),
            tr.n_("{n} member voted.", "{n} members voted.", voters),
        ]
    )


# The states /polls shows, as stored (marked here for translation).
STATES = (N_("open"), N_("closed"), N_("sending"), N_("failed"))


def poll_summary(record: PollRecord, tz: ZoneInfo, tr: Translator) -> str:
    if record.status == "open":
        state = (
            tr._("open, closes {moment}", moment=local_time(record.closes_at, tz, tr))
            if record.closes_at
            else tr._("open")
        )
    else:
        state = (
            tr._("closed {moment}", moment=local_time(record.closed_at, tz, tr))
            if record.closed_at
            else tr._(record.status)
        )
    kind = ", ".join(
        word
        for word, on in (
            (tr._("public"), not record.is_anonymous),
            (tr._("multiple answers"), record.allows_multiple),
        )
        if on
    )
    header = f"<b>#{record.id}</b> {escape(record.question)} — {state}"
    if kind:
        header += f" ({kind})"
    voted = tr.n_("{n} voted", "{n} voted", record.total_voters)
    return "\n".join([header, *result_lines(record, tr), voted])
