"""One digest with every club side by side, for a brand running several clubs
(``[brand] combined_digest_chat_id``; each club still gets its own digest in its brand chat).

Figures only, never quotes: the clubs' own digests carry their members' words to their own
brand team. Sent once a day, when every club's own digest of that day is due; the day sent
last is a fact in the first club's file, so a restart neither repeats nor skips one (days
missed while the bot was down are sent on start, as far back as each club's own).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from telegram.error import TelegramError

from bot.core.i18n import Html, Translator, escape, translator
from bot.core.services import Services
from bot.digest.build import Digest, local_today
from bot.digest.render import SMALL_N, percent
from bot.digest.service import MAX_CATCHUP_DAYS, DigestService

log = logging.getLogger(__name__)

LAST_DAY_FACT = "digest:combined_last_day"


@dataclass(frozen=True, slots=True)
class ClubDigest:
    name: str
    service: DigestService


class CombinedDigest:
    def __init__(self, first: Services, clubs: Sequence[ClubDigest], chat_id: int) -> None:
        self._first = first
        self._clubs = list(clubs)
        self._chat_id = chat_id

    async def send_due(self) -> list[str]:
        """Send each combined digest due and not sent, oldest first; the days sent.

        A day is due once every club's own digest of it is. After downtime the days missed
        are sent too, as each club's own are, as far back as ``MAX_CATCHUP_DAYS``."""
        now = self._first.clock.now()
        yesterday = local_today(now, self._first.settings) - timedelta(days=1)
        last = await self._first.facts.get(LAST_DAY_FACT)
        if last is None:
            # Like each club's digest, the first is for the day the setting first ran:
            # the days before had no clubs side by side to report.
            if self._due(yesterday, now):
                await self._sent(yesterday)
            return []
        oldest = yesterday - timedelta(days=MAX_CATCHUP_DAYS - 1)
        day = max(date.fromisoformat(last) + timedelta(days=1), oldest)
        sent: list[str] = []
        while day <= yesterday and self._due(day, now):
            digests = [await club.service.build(day) for club in self._clubs]
            text = side_by_side(digests, translator(self._first.settings.community.language))
            try:
                await self._first.messenger.to_chat(self._chat_id, text)
            except TelegramError as exc:
                log.warning("Could not send the combined digest for %s: %s", day, exc)
                break  # tried again at the next tick, this day first
            await self._sent(day)
            sent.append(day.isoformat())
            day += timedelta(days=1)
        return sent

    def _due(self, day: date, now: datetime) -> bool:
        return all(club.service.due_at(day) <= now for club in self._clubs)

    async def _sent(self, day: date) -> None:
        await self._first.facts.put(LAST_DAY_FACT, day.isoformat(), self._first.now_ts())


def side_by_side(digests: Sequence[Digest], tr: Translator) -> Html:
    """A table in <pre>: one column per club, one row per figure (each figure with its n)."""
    rows: list[tuple[str, list[str]]] = [
        (tr._("Messages"), [tr.integer(d.messages) for d in digests]),
        (tr._("Active members"), [tr.integer(d.active_members) for d in digests]),
        (tr._("Scored"), [tr.integer(d.scored) for d in digests]),
        (tr._("Positive"), [_share(d, d.positive_share, tr) for d in digests]),
        (tr._("Negative"), [_share(d, d.negative_share, tr) for d in digests]),
    ]
    names = [d.community for d in digests]
    label_width = max(len(label) for label, _ in rows)
    widths = [
        max(len(name), *(len(values[i]) for _, values in rows)) for i, name in enumerate(names)
    ]

    def line(label: str, cells: Sequence[str]) -> str:
        padded = [cell.rjust(width) for cell, width in zip(cells, widths, strict=True)]
        return "  ".join([label.ljust(label_width), *padded])

    table = "\n".join([line("", names), *(line(label, values) for label, values in rows)])
    title = tr._("All clubs, {day}", day=tr.date(digests[0].day))
    text = f"<b>{title}</b>\n<pre>{escape(table)}</pre>"
    if any(d.scored < SMALL_N for d in digests):
        text += "\n" + tr._(
            "Counts, not percentages, where fewer than {n} messages were scored.", n=SMALL_N
        )
    return Html(text)


def _share(digest: Digest, share: float | None, tr: Translator) -> str:
    # Like each club's own digest: under SMALL_N scored messages a percentage says more
    # than the sample can, so the column shows the count instead.
    if digest.scored >= SMALL_N:
        return percent(share, tr)
    return tr.integer(round((share or 0) * digest.scored))
