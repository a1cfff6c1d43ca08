"""The digest's poll section: every poll open during the day, with its results."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import translator
from bot.db import Database
from bot.polls.repo import polls_for_window
from bot.polls.service import result_lines


async def polls_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    records = await polls_for_window(db, window.start, window.end)
    if not records:
        return None
    tr = translator(settings.community.language)
    lines: list[str] = []
    data = []
    for record in records:
        state = "closed" if record.status == "closed" else "open"
        voted = tr.n_("{n} voted", "{n} voted", record.total_voters)
        lines.append(
            tr._(
                "<b>{question}</b> ({state}, {voted})",
                question=record.question,
                state=tr._(state),
                voted=voted,
            )
        )
        lines.extend(result_lines(record, tr))
        data.append(
            {
                "id": record.id,
                "question": record.question,
                "status": state,
                "options": list(record.options),
                "counts": list(record.counts),
                "voters": record.total_voters,
                "preview_id": record.preview_id,
            }
        )
    return DigestSection(key="polls", title=tr._("Polls"), lines=lines, data={"polls": data})
