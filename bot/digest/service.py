"""Sending the daily digest exactly once per day, and building one on demand.

Each day's digest is due at ``digest.time`` on the next local day (``community.timezone``).
The scheduler tick (and start-up) calls :meth:`DigestService.send_due`, which works from the
``digest_runs`` table:

1. **Intent.** Before anything is sent, the digest is built and rendered, and a run row with
   the exact messages to send is committed (``state='sending'``). A day that has a row is
   never built again, so two ticks, or a restart, can never start a second digest.
2. **Progress.** Each delivered message (text parts, then the chart) is recorded as soon as
   Telegram confirms it; a retry resumes after the last recorded part.
3. **Completion.** ``state='sent'`` with ``sent_at``.

A failure (Telegram down, the bot removed from the brand chat, ...) is logged as an error and
counted in the row, and the run is retried on a later tick with a growing pause (up to an
hour): never dropped silently. The crash window: if the process dies after Telegram accepted
a part but before its progress row commits, that one part is sent again on restart. We choose
this (at-least-once for a single message, only on a hard crash in a window of milliseconds)
over the alternative (at-most-once: a crash could lose the day's digest without anyone
noticing), because the Bot API has no idempotency key to make a send exactly-once.

After downtime, every missed day (up to ``MAX_CATCHUP_DAYS`` back) is sent on start or the
next tick, oldest first, marked as late; older missed days are recorded as skipped (logged
once) and remain available through ``/digest`` and the CLI.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import aiosqlite
from telegram.error import TelegramError

from bot.config import Settings
from bot.core.clock import Clock
from bot.core.erasure import ERASED_QUOTE
from bot.core.i18n import translator
from bot.core.messaging import html_to_plain
from bot.core.services import Chats, Messenger
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.digest.build import Digest, build_digest, local_today
from bot.digest.chart import render_chart
from bot.digest.records import DigestRun, RunState
from bot.digest.render import html_parts, quote_lines
from bot.digest.runs_repo import DigestRunRepository
from bot.previews import pseudonym_pattern, signed_quote_line

log = logging.getLogger(__name__)

NAME = "digest"
FIRST_DAY_FACT = "digest:first_day"
# Sent this long after its time or later, a digest is marked late (the bot was not running).
LATE_AFTER = timedelta(minutes=30)
MAX_CATCHUP_DAYS = 7
_LOOKBACK_DAYS = 31
_RETRY_BASE = 60
_RETRY_MAX = 3600


class DigestService:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        chats: Chats,
        messenger: Messenger,
        facts: FactsRepository,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.chats = chats
        self.messenger = messenger
        self.facts = facts
        self.runs = DigestRunRepository(db)

    def now_ts(self) -> int:
        return int(self.clock.now().timestamp())

    # --- /forgetme (bot.core.erasure participant) ---------------------------------------------
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        tr = translator(self.settings.community.language)
        erased = tr._(ERASED_QUOTE)  # as written
        # Digests stored before their Previews lines were recorded with an owner (an upgraded
        # database) still sign her reply with her number, which no one else ever gets.
        number = await self.runs.tx_pseudonym(conn, user_id)
        signed = None if number is None else signed_quote_line(tr, pseudonym_pattern(tr, number))
        return {"digest_runs": await self.runs.tx_erase_quotes(conn, user_id, erased, signed)}

    async def forget_person(self, user_id: int) -> None:
        return None  # nothing about people is kept in memory

    async def expire_text(self, conn: aiosqlite.Connection, cutoff: int) -> dict[str, int]:
        """Retention: the digest of local day D quotes messages of day D-1, so every digest up
        to the day after the cutoff's loses its quotes (up to a day early, never late)."""
        cutoff_day = datetime.fromtimestamp(cutoff, self.settings.community.tz).date()
        through = (cutoff_day + timedelta(days=1)).isoformat()
        tr = translator(self.settings.community.language)
        # Also the Previews lines of digests stored before those lines had a recorded owner.
        signed = signed_quote_line(tr, pseudonym_pattern(tr))
        erased = tr._(ERASED_QUOTE)
        return {
            "digest_runs": await self.runs.tx_erase_quotes_through(conn, through, erased, signed)
        }

    def due_at(self, day: date) -> datetime:
        """When the digest of local ``day`` is due: digest.time on the next local day, in UTC.

        In UTC because arithmetic on a zoneinfo time is wall-clock arithmetic: on the day
        clocks go forward, a 02:30 that does not exist plus LATE_AFTER came out *before* it,
        and a digest sent on time said it was late."""
        tz = self.settings.community.tz
        local = datetime.combine(day + timedelta(days=1), self.settings.digest.time, tzinfo=tz)
        return local.astimezone(UTC)

    async def build(self, day: date, *, late: bool = False) -> Digest:
        return await build_digest(
            self.db,
            self.settings,
            day,
            now=self.now_ts(),
            chat_id=self.chats.community_id,
            late=late,
        )

    def chart(self, digest: Digest) -> bytes:
        tr = translator(digest.language)
        # Matplotlib draws text, not HTML: the title is made plain again.
        title = html_to_plain(
            tr._(
                "{club}: last {n} days to {day}",
                club=digest.community,
                n=len(digest.history),
                day=tr.date(digest.day, "medium"),
            )
        )
        return render_chart(digest.history, title, tr)

    async def _first_day(self, now: datetime) -> date:
        """The first day that gets a scheduled digest: the day the feature first ran."""
        stored = await self.facts.get(FIRST_DAY_FACT)
        if stored:
            return date.fromisoformat(stored)
        first = local_today(now, self.settings)
        await self.facts.put(FIRST_DAY_FACT, first.isoformat(), int(now.timestamp()))
        return first

    async def send_due(self) -> list[str]:
        """Send every digest that is due and not sent yet; returns the days sent."""
        now_dt = self.clock.now()
        now = int(now_dt.timestamp())
        first = await self._first_day(now_dt)
        today = local_today(now_dt, self.settings)
        days = [
            today - timedelta(days=back)
            for back in range(_LOOKBACK_DAYS, 0, -1)
            if today - timedelta(days=back) >= first
        ]
        days = [d for d in days if self.due_at(d) <= now_dt]
        runs = await self.runs.runs([d.isoformat() for d in days])
        oldest_to_send = today - timedelta(days=MAX_CATCHUP_DAYS)
        sent: list[str] = []
        for day in days:
            key = day.isoformat()
            run = runs.get(key)
            if run is not None and run.state in (RunState.SENT, RunState.SKIPPED):
                continue
            if run is None and day < oldest_to_send:
                log.warning(
                    "The digest for %s was missed (more than %d days ago); not sending it "
                    "now. /digest %s shows it.",
                    key,
                    MAX_CATCHUP_DAYS,
                    key,
                )
                await self.runs.record_intent(
                    key, self.chats.brand_id, [], False, now, state=RunState.SKIPPED
                )
                continue
            if run is not None and run.next_attempt_at > now:
                break  # waiting before a retry; later days wait too, to keep the order
            digest: Digest | None = None
            if run is None:
                late = now_dt >= self.due_at(day) + LATE_AFTER
                digest = await self.build(day, late=late)
                run = await self.runs.record_intent(
                    key,
                    self.chats.brand_id,
                    html_parts(digest),
                    late,
                    now,
                    state=RunState.SENDING,
                    quotes=quote_lines(digest),
                )
            if not await self._deliver(run, digest):
                break
            sent.append(key)
        return sent

    async def _deliver(self, run: DigestRun, digest: Digest | None) -> bool:
        try:
            for index in range(run.parts_sent, len(run.parts)):
                messages = await self.messenger.to_brand(run.parts[index])
                await self.runs.record_part(run.day, index, [m.message_id for m in messages])
            if self.settings.digest.chart and not run.chart_sent:
                if digest is None:
                    digest = await self.build(date.fromisoformat(run.day), late=run.late)
                photo = await self.messenger.bot.send_photo(
                    chat_id=self.chats.brand_id,
                    photo=self.chart(digest),
                    caption=translator(digest.language)._(
                        "Messages and mean sentiment, last {n} days to {day}",
                        n=len(digest.history),
                        day=translator(digest.language).date(digest.day, "medium"),
                    ),
                )
                await self.runs.record_chart(run.day, photo.message_id)
            await self.runs.record_sent(run.day, self.now_ts())
        except (TelegramError, OSError) as exc:
            attempts = run.attempts + 1
            pause = min(_RETRY_MAX, _RETRY_BASE * 2 ** (attempts - 1))
            await self.runs.record_failure(run.day, repr(exc), self.now_ts() + pause)
            log.error(
                "Could not deliver the digest for %s (attempt %d): %s; retrying in %d s",
                run.day,
                attempts,
                exc,
                pause,
            )
            return False
        if run.late:
            log.warning("Sent the digest for %s late", run.day)
        else:
            log.info("Sent the digest for %s", run.day)
        return True
