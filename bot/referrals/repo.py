"""SQL for referrals: whose invite a code is, who brought whom, and abuse flags.

Invites are gate codes; the gate owns ``gate_codes`` and ``gate_seats``. This repository
writes only its own tables and reads the gate's (and the activity tables of feedback,
previews and polls) to count, never to change them.
"""

from __future__ import annotations

import aiosqlite

from bot.db import Database, rows
from bot.referrals.records import Multiplier, ReferralLink

REFERRAL_LABEL = "referral"


# "Took part" since joining: a stored message in the group, a preview rating or a poll vote.
_ACTIVE = (
    "(EXISTS (SELECT 1 FROM feedback_messages m WHERE m.user_id = j.user_id "
    "AND m.sent_at >= j.joined_at) "
    "OR EXISTS (SELECT 1 FROM preview_ratings r WHERE r.user_id = j.user_id "
    "AND r.rated_at >= j.joined_at) "
    "OR EXISTS (SELECT 1 FROM poll_answers a WHERE a.user_id = j.user_id "
    "AND a.answered_at >= j.joined_at AND a.option_ids != '[]'))"
)
_MEMBER = "EXISTS (SELECT 1 FROM gate_seats s WHERE s.user_id = j.user_id AND s.state = 'member')"

# SUM over no matching join is NULL, not 0: COALESCE so the counts are ints.
_MULTIPLIERS = (
    "SELECT j.referrer_user_id AS referrer_id, COUNT(*) AS brought, "
    f"COALESCE(SUM({_MEMBER}), 0) AS stayed, "
    f"COALESCE(SUM({_MEMBER} AND {_ACTIVE}), 0) AS active FROM referral_joins j "
)
_LINKS = (
    "SELECT j.user_id, j.referrer_user_id AS referrer_id, j.joined_at, "
    f"{_MEMBER} AS member, ({_MEMBER} AND {_ACTIVE}) AS active FROM referral_joins j "
)


class ReferralRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- invites ---------------------------------------------------------------------------
    async def tx_invite_for_update(self, conn: aiosqlite.Connection, update_id: int) -> int | None:
        async with conn.execute(
            "SELECT code_id FROM referral_invites WHERE update_id = ?", (update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def tx_forget_invite(self, conn: aiosqlite.Connection, code_id: int) -> None:
        """A replayed /invite replaces its first invite, which nobody may have seen: the row
        goes, so it does not count (the trigger withdraws its code). Should a friend have
        used it after all, it stays theirs: the row is kept, only detached from the update."""
        await conn.execute(
            "DELETE FROM referral_invites WHERE code_id = ? "
            "AND EXISTS (SELECT 1 FROM gate_codes c WHERE c.id = ? AND c.uses = 0)",
            (code_id, code_id),
        )
        await conn.execute(
            "UPDATE referral_invites SET update_id = NULL WHERE code_id = ?", (code_id,)
        )

    async def tx_invites_counting(
        self, conn: aiosqlite.Connection, referrer_id: int, now: int
    ) -> int:
        """Invites that use up the allowance: redeemed ones, and those not yet expired.

        An invite that ran out unused gives its place back. One withdrawn (a moderator after
        a burst flag, /revoke) counts until it would have expired: otherwise the member could
        ask for fresh invites the moment theirs were withdrawn.
        """
        async with conn.execute(
            "SELECT COUNT(*) FROM referral_invites i JOIN gate_codes c ON c.id = i.code_id "
            "WHERE i.referrer_user_id = ? AND (c.uses > 0 OR c.expires_at IS NULL "
            "OR c.expires_at > ?)",
            (referrer_id, now),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def tx_add_invite(
        self,
        conn: aiosqlite.Connection,
        code_id: int,
        referrer_id: int,
        now: int,
        update_id: int | None,
    ) -> None:
        await conn.execute(
            "INSERT INTO referral_invites (code_id, referrer_user_id, issued_at, update_id) "
            "VALUES (?, ?, ?, ?)",
            (code_id, referrer_id, now, update_id),
        )

    async def tx_open_invites(
        self, conn: aiosqlite.Connection, referrer_id: int, now: int
    ) -> list[int]:
        """Code ids of the referrer's invites that could still let someone in."""
        async with conn.execute(
            "SELECT c.id FROM referral_invites i JOIN gate_codes c ON c.id = i.code_id "
            "WHERE i.referrer_user_id = ? AND c.revoked_at IS NULL AND c.uses < c.max_uses "
            "AND (c.expires_at IS NULL OR c.expires_at > ?)",
            (referrer_id, now),
        ) as cursor:
            rows = await cursor.fetchall()
        return [int(row[0]) for row in rows]

    async def has_invites(self, referrer_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM referral_invites WHERE referrer_user_id = ? LIMIT 1", (referrer_id,)
        )
        return row is not None

    async def active_warnings(self, user_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM warnings WHERE target_id = ?", (user_id,)
        )
        return int(row[0]) if row else 0

    # --- who brought whom ------------------------------------------------------------------
    async def record_join(self, user_id: int) -> int | None:
        """If this member's seat came from a referral invite, record the referrer (once).

        Returns the referrer's id when a new link was written, else None.
        """
        # Most joins are not referrals: a read decides, so a join wave pays no extra commit.
        pending = await self.db.fetchone(
            "SELECT 1 FROM gate_seats s JOIN referral_invites i ON i.code_id = s.code_id "
            "WHERE s.user_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM referral_joins j WHERE j.user_id = s.user_id)",
            (user_id,),
        )
        if pending is None:
            return None
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO referral_joins (user_id, referrer_user_id, code_id, "
                "joined_at) SELECT s.user_id, i.referrer_user_id, s.code_id, s.joined_at "
                "FROM gate_seats s JOIN referral_invites i ON i.code_id = s.code_id "
                "WHERE s.user_id = ? AND s.state = 'member' AND s.joined_at IS NOT NULL "
                "AND i.referrer_user_id != s.user_id",
                (user_id,),
            )
            if cursor.rowcount <= 0:
                return None
            async with conn.execute(
                "SELECT referrer_user_id FROM referral_joins WHERE user_id = ?", (user_id,)
            ) as read:
                row = await read.fetchone()
        return int(row[0]) if row else None

    async def tx_joins_since(
        self, conn: aiosqlite.Connection, referrer_id: int, since: int
    ) -> int:
        async with conn.execute(
            "SELECT COUNT(*) FROM referral_joins WHERE referrer_user_id = ? AND joined_at >= ?",
            (referrer_id, since),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def tx_flagged_since(
        self, conn: aiosqlite.Connection, referrer_id: int, since: int
    ) -> bool:
        async with conn.execute(
            "SELECT 1 FROM referral_flags WHERE referrer_user_id = ? AND flagged_at >= ?",
            (referrer_id, since),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def tx_flag(
        self, conn: aiosqlite.Connection, referrer_id: int, joins: int, now: int
    ) -> None:
        await conn.execute(
            "INSERT OR IGNORE INTO referral_flags (referrer_user_id, flagged_at, joins) "
            "VALUES (?, ?, ?)",
            (referrer_id, now, joins),
        )

    # --- the multiplier tree ---------------------------------------------------------------
    async def multipliers(
        self, since: int | None = None, until: int | None = None
    ) -> list[Multiplier]:
        """Per referrer, biggest first; optionally only joins within [since, until)."""
        found = await self.db.read_all(
            _MULTIPLIERS + "WHERE j.joined_at >= ? AND j.joined_at < ? "
            "GROUP BY j.referrer_user_id ORDER BY brought DESC, active DESC, "
            "j.referrer_user_id",
            (since if since is not None else 0, until if until is not None else 2**62),
        )
        return rows.all(Multiplier, found)

    async def links(self) -> list[ReferralLink]:
        found = await self.db.read_all(_LINKS + "ORDER BY j.joined_at, j.user_id")
        return rows.all(ReferralLink, found)

    async def invites_issued(self, since: int, until: int) -> int:
        row = await self.db.read_one(
            "SELECT COUNT(*) FROM referral_invites WHERE issued_at >= ? AND issued_at < ?",
            (since, until),
        )
        return int(row[0]) if row else 0


# ``python -m bot export --what referrals``: one row per person brought by a member.
EXPORT_QUERY = (
    "SELECT j.referrer_user_id, pr.first_name AS referrer_first_name, j.user_id, "
    "p.first_name, j.joined_at, COALESCE(s.state, 'erased') AS state, "
    f"{_MEMBER} AS still_member, ({_MEMBER} AND {_ACTIVE}) AS took_part "
    "FROM referral_joins j LEFT JOIN people p ON p.user_id = j.user_id "
    "LEFT JOIN people pr ON pr.user_id = j.referrer_user_id "
    "LEFT JOIN gate_seats s ON s.user_id = j.user_id "
    "ORDER BY j.joined_at, j.user_id"
)
