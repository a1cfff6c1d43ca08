"""The digest's poll section: every poll open during the day, with its results."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.messaging import escape
from bot.db import Database
from bot.polls.repo import polls_for_window
from bot.polls.service import result_lines


async def polls_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    records = await polls_for_window(db, window.start, window.end)
    if not records:
        return None
    lines: list[str] = []
    data = []
    for record in records:
        state = "closed" if record.status == "closed" else "open"
        lines.append(f"<b>{escape(record.question)}</b> ({state}, {record.total_voters} voted)")
        lines.extend(result_lines(record))
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
    return DigestSection(key="polls", title="Polls", lines=lines, data={"polls": data})
