"""SQL for ``python -m bot export``: one query per kind of data, read on the reader."""

from __future__ import annotations

from typing import Any

from bot.db import Database
from bot.insights import campaign_rows
from bot.referrals import EXPORT_QUERY as REFERRALS_QUERY

# Messages are pseudonymised unless the operator asks for ids: exports leave the bot's hands.
QUERIES: dict[str, str] = {
    "members": (
        "SELECT s.user_id, p.first_name, p.last_name, p.username, s.state, s.seat, s.label, "
        "s.consent_at, s.redeemed_at, s.joined_at, s.left_at "
        "FROM gate_seats s LEFT JOIN people p ON p.user_id = s.user_id "
        "ORDER BY s.redeemed_at, s.user_id"
    ),
    "messages": (
        "SELECT m.chat_id, m.message_id, 'Member #' || ps.number AS member, m.user_id, "
        "m.sent_at, m.edited_at, m.text, m.polarity, m.subjectivity, m.label, m.language "
        "FROM feedback_messages m LEFT JOIN feedback_pseudonyms ps ON ps.user_id = m.user_id "
        "ORDER BY m.sent_at, m.message_id"
    ),
    "codes": (
        "SELECT id, label, max_uses, uses, expires_at, created_at, revoked_at "
        "FROM gate_codes ORDER BY id"
    ),
    "polls": (
        "SELECT id, question, options, status, is_anonymous, allows_multiple, counts, "
        "total_voters, created_at, opened_at, closes_at, closed_at FROM polls ORDER BY id"
    ),
    "previews": (
        "SELECT p.id, p.title, p.kind, p.status, p.publish_at, p.published_at, "
        "COUNT(r.user_id) AS ratings, ROUND(AVG(r.stars), 2) AS average_stars "
        "FROM previews p LEFT JOIN preview_ratings r ON r.preview_id = p.id "
        "GROUP BY p.id ORDER BY p.id"
    ),
    "referrals": REFERRALS_QUERY,
}
# Computed kinds (no single query): the insights' campaign cohorts.
KINDS = (*QUERIES, "campaigns")


async def export_rows(db: Database, what: str, *, with_ids: bool = False) -> list[dict[str, Any]]:
    if what == "campaigns":
        return await campaign_rows(db)
    rows = await db.read_all(QUERIES[what])
    result = [{key: row[key] for key in row.keys()} for row in rows]  # noqa: SIM118
    if what == "messages" and not with_ids:
        for row in result:
            row.pop("user_id", None)
    return result
