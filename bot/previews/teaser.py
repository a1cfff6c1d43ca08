"""The --notify teaser: a short private note to each member, pointing to the preview.

Telegram's broadcast guidance is about 30 messages per second overall. The bot's rate limiter
(bot/core/ratelimit.py) never lets more than 29 sends start in any second; the teaser loop paces
itself a little below that, and marks its sends as bulk, so replies during a broadcast go first;
when several clubs broadcast at once the limiter shares the budget between them. Each
recipient's outcome is stored (write-behind, flushed every progress step), so a restart
resumes the broadcast instead of starting over; at most one progress step of teasers can be
sent twice after a crash.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError

from bot.core.i18n import N_, Html, Translator, translator
from bot.core.lanes import sending_bulk
from bot.core.messaging import escape, html_to_plain, message_link
from bot.core.services import Services
from bot.db import Database
from bot.gate import member_ids
from bot.links import LinkService
from bot.previews.records import PreviewRecord
from bot.previews.repo import PreviewRepository

log = logging.getLogger(__name__)

_ENGLISH = translator("en")
# limit: 32 (a button label)
SEE_PREVIEW = N_("See the preview")

MemberSource = Callable[[Database], Awaitable[Iterable[int]]]

# Below Telegram's ~30/s so other traffic (replies, the progress edits) still fits.
SENDS_PER_SECOND = 27.0
WORKERS = 4  # concurrent sends: with real round trips one loop alone would not reach the rate
PROGRESS_EVERY = 25  # edit the requester's progress message once per this many sends


async def gate_member_ids(db: Database) -> list[int]:
    """Current members, from the gate feature's seat ledger."""
    return await member_ids(db)


def teaser_text(
    community_name: str, record: PreviewRecord, tr: Translator = _ENGLISH
) -> tuple[str, InlineKeyboardMarkup | None]:
    club = Html(f"<b>{escape(community_name)}</b>")
    if record.title:
        text = tr._(
            "🔒 Something new just landed in {club}: <b>{title}</b>. Members see it first: "
            "have a look and tell us what you think.",
            club=club,
            title=record.title,
        )
    else:
        text = tr._(
            "🔒 Something new just landed in {club}. Members see it first: have a look and "
            "tell us what you think.",
            club=club,
        )
    # The rating message; an album whose rating prompt is not out yet (bot/previews/
    # publishing.py) is linked by its pinned first message instead.
    target = record.message_id if record.message_id is not None else record.pinned_message_id
    link = (
        message_link(record.chat_id, target)
        if record.chat_id is not None and target is not None
        else None
    )
    markup = (
        InlineKeyboardMarkup([[InlineKeyboardButton(html_to_plain(tr._(SEE_PREVIEW)), url=link)]])
        if link
        else None
    )
    return text, markup


class Pacer:
    """Hands out send slots no faster than ``rate`` per second (real time: rates are real)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            now = loop.time()
            slot = max(now, self._next)
            self._next = slot + self._interval
        delay = slot - now
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class TeaserReport:
    sent: int = 0
    blocked: int = 0  # blocked the bot (now or earlier): skipped
    not_started: int = 0  # members who never opened a private chat with the bot
    failed: int = 0
    total: int = 0

    def progress_text(self, label: str, tr: Translator = _ENGLISH) -> str:
        done = self.sent + self.blocked + self.failed
        return tr._(
            "Teaser for preview {label}: {done} of {total} done…",
            label=label,
            done=tr.integer(done),
            total=tr.integer(self.total),
        )

    def final_text(self, label: str, tr: Translator = _ENGLISH) -> str:
        parts = [
            tr.n_(
                "Teaser for preview {label} sent to {n} member.",
                "Teaser for preview {label} sent to {n} members.",
                self.sent,
                label=label,
            )
        ]
        if self.blocked:
            parts.append(
                tr.n_(
                    # Telegram answers 403 alike for both: blocked, or account deleted.
                    "{n} had blocked me or closed their account, and was skipped.",
                    "{n} had blocked me or closed their accounts, and were skipped.",
                    self.blocked,
                )
            )
        if self.not_started:
            parts.append(
                tr.n_(
                    "{n} never started me, so I cannot write to them.",
                    "{n} never started me, so I cannot write to them.",
                    self.not_started,
                )
            )
        if self.failed:
            parts.append(
                tr.n_("{n} failed (see the log).", "{n} failed (see the log).", self.failed)
            )
        return " ".join(parts)


async def run_teaser(
    services: Services,
    links: LinkService,
    repo: PreviewRepository,
    record: PreviewRecord,
    members: MemberSource,
    *,
    rate: float = SENDS_PER_SECOND,
) -> TeaserReport:
    """Send the teaser to every reachable member not yet attempted; report to the requester."""
    await repo.set_teaser_status(record.id, "sending")
    member_ids = list(dict.fromkeys(await members(services.db)))
    attempted = await repo.teaser_attempted(record.id)
    reachable = await services.people.reachable_ids(member_ids)
    earlier = await repo.teaser_counts(record.id)
    report = TeaserReport(
        sent=earlier.get("sent", 0),
        blocked=earlier.get("blocked", 0),
        failed=earlier.get("failed", 0),
    )
    todo: list[int] = []
    for uid in member_ids:
        if uid in attempted:
            continue
        if uid in reachable:
            todo.append(uid)
        else:
            person = await services.people.get(uid)
            if person is not None and person.blocked_bot_at is not None:
                report.blocked += 1
            else:
                report.not_started += 1
    report.total = report.sent + report.blocked + report.failed + len(todo)
    if not member_ids:
        log.warning("Teaser for preview %s: no members to send to", record.id)

    tr = services.tr  # the requester's report: the brand team reads the club's language
    progress_id = await _progress_message(services, record, report)
    if progress_id is not None and record.teaser_progress_id is None:
        await repo.set_teaser_status(record.id, "sending", progress_id)

    # Each member reads the teaser in their app's language (the club's when the bot lacks
    # it): one text per language, tagged once, built when its first reader comes up.
    variants: dict[str, tuple[str, InlineKeyboardMarkup | None]] = {}
    variants_lock = asyncio.Lock()

    async def variant(uid: int) -> tuple[str, InlineKeyboardMarkup | None]:
        tr = await services.tr_for_person(uid)
        async with variants_lock:
            if tr.language not in variants:
                text, markup = teaser_text(services.settings.community.name, record, tr)
                text = await links.brand_html(text, f"teaser-{record.id}", record.id)
                variants[tr.language] = (text, markup)
        return variants[tr.language]

    pacer = Pacer(rate)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for uid in todo:
        queue.put_nowait(uid)
    since_progress = 0
    progress_lock = asyncio.Lock()

    async def send_one(uid: int) -> str:
        await pacer.wait()
        try:
            text, markup = await variant(uid)
            sent = await services.messenger.dm(uid, text, reply_markup=markup)
        except TelegramError as exc:
            # One member's failure (chat not found, a network error after retries) must not
            # stop the broadcast: note it and go on.
            log.warning("Teaser to %s failed: %s", uid, exc)
            return "failed"
        except Exception:
            log.exception("Teaser to %s failed unexpectedly", uid)
            return "failed"
        return "sent" if sent is not None else "blocked"

    async def worker() -> None:
        nonlocal since_progress
        while True:
            try:
                uid = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            outcome = await send_one(uid)
            repo.defer_teaser_result(record.id, uid, outcome, services.now_ts())
            setattr(report, outcome, getattr(report, outcome) + 1)
            async with progress_lock:
                since_progress += 1
                if since_progress >= PROGRESS_EVERY:
                    since_progress = 0
                    await repo.flush()
                    await _edit_progress(
                        services, record, progress_id, report.progress_text(record.label, tr)
                    )

    # Bulk: a member's reply or a moderator's command in the same club goes before the next
    # teaser (bot/core/lanes.py). The workers are tasks created inside, so they inherit it.
    with sending_bulk():
        await asyncio.gather(*(worker() for _ in range(WORKERS)))
    await repo.flush()
    await repo.set_teaser_status(record.id, "done")
    await _edit_progress(services, record, progress_id, report.final_text(record.label, tr))
    log.info("Teaser for preview %s: %s", record.id, report)
    return report


async def _progress_message(
    services: Services, record: PreviewRecord, report: TeaserReport
) -> int | None:
    if record.teaser_progress_id is not None:
        return record.teaser_progress_id
    # The brand team runs the club in its language.
    sent = await services.messenger.dm(
        record.created_by, report.progress_text(record.label, services.tr)
    )
    return sent[0].message_id if sent else None


async def _edit_progress(
    services: Services, record: PreviewRecord, progress_id: int | None, text: str
) -> None:
    if progress_id is None:
        return
    try:
        await services.messenger.bot.edit_message_text(text, record.created_by, progress_id)
    except BadRequest as exc:
        # "Message is not modified" (same counts) or the requester deleted it: harmless.
        log.debug("Progress edit for preview %s skipped: %s", record.id, exc)
    except TelegramError as exc:
        log.info("Progress edit for preview %s failed: %s", record.id, exc)
