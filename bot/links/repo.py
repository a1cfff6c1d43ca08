"""SQL for measurable links: registered destinations, clicks per day, tagged preview texts."""

from __future__ import annotations

from bot.db import Database, rows
from bot.links.records import TaggedText, Target

_TARGET = f"SELECT {rows.columns(Target)} FROM link_targets"
_TAGGED_TEXT = f"SELECT {rows.columns(TaggedText)} FROM preview_link_texts"


class LinkRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def register(
        self, url: str, token: str, content: str, preview_id: int | None, now: int
    ) -> Target:
        """The target for ``url`` as posted for ``content`` (and ``preview_id``): registered
        now, or the one this same place registered before (a replay gets the same token).
        The same address posted elsewhere is another target, so its clicks count there."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO link_targets (token, url, content, preview_id, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (token, url, content, preview_id, now),
            )
            # Matches the unique index link_targets_counted_for (migration 0012).
            async with conn.execute(
                _TARGET + " WHERE url = ? AND content = ? AND IFNULL(preview_id, 0) = ?",
                (url, content, preview_id or 0),
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return rows.one(Target, row)

    async def targets(self) -> list[Target]:
        return rows.all(Target, await self.db.fetchall(_TARGET))

    async def add_clicks(self, counts: dict[tuple[int, str], int]) -> None:
        """Add a batch of counted clicks in one transaction (upserts: exact sums)."""
        if not counts:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO link_clicks (link_id, day, clicks) VALUES (?, ?, ?) "
                "ON CONFLICT (link_id, day) DO UPDATE SET clicks = clicks + excluded.clicks",
                [(link_id, day, n) for (link_id, day), n in counts.items()],
            )

    async def clicks_for_preview(self, preview_id: int) -> int:
        row = await self.db.read_one(
            "SELECT COALESCE(SUM(c.clicks), 0) AS n FROM link_clicks c "
            "JOIN link_targets t ON t.id = c.link_id WHERE t.preview_id = ?",
            (preview_id,),
        )
        return int(row["n"]) if row else 0

    async def clicks_by_content(self, first_day: str, last_day: str) -> list[tuple[str, int]]:
        """Clicks per utm_content ('preview-12', 'welcome') over days [first, last]."""
        found = await self.db.read_all(
            "SELECT t.content, SUM(c.clicks) AS n FROM link_clicks c "
            "JOIN link_targets t ON t.id = c.link_id WHERE c.day BETWEEN ? AND ? "
            "GROUP BY t.content ORDER BY n DESC, t.content",
            (first_day, last_day),
        )
        return [(str(row["content"]), int(row["n"])) for row in found]

    async def total_clicks(self, link_id: int) -> int:
        row = await self.db.read_one(
            "SELECT COALESCE(SUM(clicks), 0) AS n FROM link_clicks WHERE link_id = ?", (link_id,)
        )
        return int(row["n"]) if row else 0

    async def save_preview_text(self, preview_id: int, html: str, is_caption: bool) -> None:
        await self.db.execute(
            "INSERT INTO preview_link_texts (preview_id, html, is_caption) VALUES (?, ?, ?) "
            "ON CONFLICT (preview_id) DO UPDATE SET html = excluded.html, "
            "is_caption = excluded.is_caption",
            (preview_id, html, int(is_caption)),
        )

    async def save_draft(self, chat_id: int, message_id: int, html: str) -> None:
        await self.db.execute(
            "INSERT INTO preview_link_drafts (chat_id, message_id, html) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, message_id) DO UPDATE SET html = excluded.html",
            (chat_id, message_id, html),
        )

    async def draft(self, chat_id: int, message_id: int) -> str | None:
        row = await self.db.fetchone(
            "SELECT html FROM preview_link_drafts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return str(row["html"]) if row else None

    async def scheduled_previews_of(self, chat_id: int, message_id: int) -> list[int]:
        """Previews not yet out whose source is this draft (read from the previews' facts)."""
        found = await self.db.fetchall(
            "SELECT p.id FROM previews p WHERE p.source_chat_id = ? AND p.status = 'scheduled' "
            "AND EXISTS (SELECT 1 FROM json_each(p.source_message_ids) j WHERE j.value = ?)",
            (chat_id, message_id),
        )
        return [int(row["id"]) for row in found]

    async def forget_preview_text(self, preview_id: int) -> None:
        await self.db.execute("DELETE FROM preview_link_texts WHERE preview_id = ?", (preview_id,))

    async def forget_draft(self, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "DELETE FROM preview_link_drafts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )

    async def preview_text(self, preview_id: int) -> TaggedText | None:
        row = await self.db.fetchone(_TAGGED_TEXT + " WHERE preview_id = ?", (preview_id,))
        return rows.maybe(TaggedText, row)
