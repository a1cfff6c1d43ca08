"""Every line of a stored digest that quotes or names a member is recorded with its owner, so
/forgetme and retention find it by person: a preview reply in the Previews section (long or
short), a referrer's name in the Referrals section."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.i18n import translator
from bot.db import Database
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.digest.runs_repo import DigestRunRepository
from bot.previews import pseudonym_pattern, signed_quote_line
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted
from tests.e2e.test_previews import published, write_preview
from tests.e2e.test_referrals import ask_invite, join_with, seat_member
from tests.hardening.test_erasure import forget

ADA_ID = 2**32 + 4242
# Longer than the digest's quote length: the digest stores a shortened copy.
LONG = (
    "Absolutely love this pistachio croissant, the flaky layers are wonderful and the filling "
    "is rich and creamy, my kids adored it too and we will definitely buy a whole box of them "
    "next weekend for grandma's birthday party at the lake house"
)
SHORT = "Love it 😍!"


async def stored_digest(club: SimulatedClub, day: str = "2026-12-01") -> str:
    run = await club.services.db.fetchone("SELECT parts FROM digest_runs WHERE day = ?", (day,))
    assert run is not None
    return "\n".join(json.loads(run["parts"]))


async def replies_to_a_preview(club: SimulatedClub, words: str) -> SimUser:
    """Ada replies to a published preview; the next morning's digest quotes her reply."""
    ada = await admitted(club, "Ada", ADA_ID)
    await write_preview(club, "/preview now --title Pistachio")
    await club.settle()
    club.sandbox.send_text(ada, club.group, words, reply_to=published(club)[-1])
    await club.settle()
    await club.advance(timedelta(days=1))  # the digest of Dec 1 goes out Dec 2 09:00
    return ada


@pytest.mark.usefixtures("private_replies_unthrottled")
@pytest.mark.parametrize("words", [LONG, SHORT], ids=["long", "short"])
async def test_forgetme_erases_her_preview_reply_from_the_digests_previews(
    tmp_path: Path, words: str
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = await replies_to_a_preview(club, words)
        fragment = words[:40]
        digest = await stored_digest(club)
        assert fragment in digest and "Member #1" in digest  # quoted under Previews

        summary = await forget(club, ada)

        digest = await stored_digest(club)
        assert fragment not in digest and "Member #1" not in digest
        assert "erased at the member" in digest
        assert "Pistachio" in digest  # the preview's own line stays
        assert "quotes of your words removed from 1 stored report" in summary


async def test_retention_erases_a_preview_reply_from_stored_digests(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", storage={"retention_days": 2}) as club:
        await replies_to_a_preview(club, LONG)
        assert LONG[:40] in await stored_digest(club)
        for _ in range(3):
            await club.advance(timedelta(days=1))
        text = await club.services.db.fetchone(
            "SELECT text FROM feedback_messages WHERE user_id = ?", (ADA_ID,)
        )
        assert text is not None and text["text"] == ""  # retention ran
        digest = await stored_digest(club)
        assert LONG[:40] not in digest and "erased at the member" in digest


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_forgetme_erases_a_referrers_name_from_stored_digests(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        gate={"referrals_per_member": 2},
        referrals={"digest_day": "daily"},
        digest={"show_names": True},
    ) as club:
        ada = await seat_member(club, "Adelheid")
        code = await ask_invite(club, ada)
        assert code
        await join_with(club, club.sandbox.create_user("Ben"), code)
        await club.advance(timedelta(days=1))
        digest = await stored_digest(club)
        assert "Adelheid: brought 1" in digest  # show_names: the Referrals section names her

        await forget(club, ada)

        digest = await stored_digest(club)
        assert "Adelheid" not in digest
        assert "Invites handed out: 1" in digest  # the section's figures stay


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_forgetme_erases_her_preview_reply_from_a_digest_stored_before_the_upgrade(
    tmp_path: Path,
) -> None:
    """A digest stored by a release that recorded only the main quotes' owners (before the
    Previews lines were owned) still names her as "Member #N" under Previews: her number is
    hers alone, so that line goes with her too."""
    async with simulated_club(tmp_path / "club.db") as club:
        ada = await replies_to_a_preview(club, SHORT)
        db = club.services.db
        # What the older release stored: no owner for the Previews line.
        await db.execute("DELETE FROM digest_quotes WHERE line NOT LIKE '%<i>%'")
        assert SHORT in await stored_digest(club)

        await forget(club, ada)

        digest = await stored_digest(club)
        assert SHORT not in digest and "Member #1" not in digest
        assert "erased at the member" in digest and "Pistachio" in digest


async def test_an_unowned_line_is_hers_only_when_signed_with_her_number(db: Database) -> None:
    """Whole lines in the Previews quote shape: Member #12's reply, a referral line naming
    Member #1 and a quote that merely mentions her number stay."""
    parts = [
        "<b>Previews</b>\n“Love it 😍!” — Member #1\n“So good” — Member #12",
        "Member #1: brought 1, 0 active\n“ask Member #1 — Member #1 knows” — Member #2",
    ]
    await db.execute(
        "INSERT INTO digest_runs (day, chat_id, state, late, parts, created_at) "
        "VALUES ('2026-12-01', -1, 'sent', 0, ?, 0)",
        (json.dumps(parts, ensure_ascii=False),),
    )
    tr = translator("en")
    signed = signed_quote_line(tr, pseudonym_pattern(tr, 1))
    async with db.transaction() as conn:
        changed = await DigestRunRepository(db).tx_erase_quotes(conn, 7, "[erased]", signed)
    run = await db.fetchone("SELECT parts FROM digest_runs")
    assert run is not None and changed == 1
    assert json.loads(run["parts"]) == [
        "<b>Previews</b>\n[erased]\n“So good” — Member #12",
        parts[1],
    ]


async def test_retention_empties_preview_replies_of_a_digest_stored_before_the_upgrade(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", storage={"retention_days": 2}) as club:
        await replies_to_a_preview(club, SHORT)
        # What the older release stored: no owner for the Previews line.
        await club.services.db.execute("DELETE FROM digest_quotes WHERE line NOT LIKE '%<i>%'")
        assert SHORT in await stored_digest(club)
        for _ in range(3):
            await club.advance(timedelta(days=1))
        digest = await stored_digest(club)
        assert SHORT not in digest and "erased at the member" in digest
        assert "Pistachio" in digest
