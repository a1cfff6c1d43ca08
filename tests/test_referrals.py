"""Referrals without Telegram: the multiplier counts, the export, erasure, texts."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.db import Database
from bot.privacy.repo import PrivacyRepository
from bot.referrals.repo import ReferralRepository
from bot.referrals.service import Flag, InviteResult, InviteStatus, Policy
from bot.referrals.texts import flag_text, invite_text, multipliers_text, policy_text
from tests.test_ops import write_config

ADA, BEN, CID, DOT = 101, 202, 303, 404
T0 = 1_800_000_000


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "club.db")
    yield database
    await database.close()


async def seat(db: Database, user_id: int, code_id: int | None, state: str, joined: int) -> None:
    await db.execute(
        "INSERT INTO gate_seats (user_id, code_id, label, state, seat, redeemed_at, joined_at,"
        " updated_at) VALUES (?, ?, 'referral', ?, 1, ?, ?, ?)",
        (user_id, code_id, state, joined, joined, joined),
    )


async def invite(db: Database, code_id: int, referrer: int, uses: int = 1) -> None:
    await db.execute(
        "INSERT INTO gate_codes (id, code_hash, label, max_uses, uses, created_at) "
        "VALUES (?, ?, 'referral', 1, ?, ?)",
        (code_id, f"hash{code_id}", uses, T0),
    )
    await db.execute(
        "INSERT INTO referral_invites (code_id, referrer_user_id, issued_at) VALUES (?, ?, ?)",
        (code_id, referrer, T0),
    )


async def club_with_referrals(db: Database) -> ReferralRepository:
    """Ada brought Ben (posts), Cid (quiet) and Dot (left); Ben brought nobody yet."""
    repo = ReferralRepository(db)
    await seat(db, ADA, None, "member", T0 - 86400)
    for code_id, (user_id, state) in enumerate(
        ((BEN, "member"), (CID, "member"), (DOT, "left")), start=1
    ):
        await invite(db, code_id, ADA)
        await seat(db, user_id, code_id, state, T0 + code_id)
        if state == "member":
            assert await repo.record_join(user_id) == ADA
    # Dot's join was recorded while she was a member; she left later.
    await db.execute("UPDATE gate_seats SET state = 'member' WHERE user_id = ?", (DOT,))
    assert await repo.record_join(DOT) == ADA
    await db.execute("UPDATE gate_seats SET state = 'left' WHERE user_id = ?", (DOT,))
    await db.execute(
        "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, polarity,"
        " subjectivity, label, language) VALUES (-1, 1, ?, ?, 'Lovely bread here', 0.5, 0.5,"
        " 'positive', 'en')",
        (BEN, T0 + 100),
    )
    return repo


async def test_multipliers_count_brought_stayed_and_took_part(db: Database) -> None:
    repo = await club_with_referrals(db)
    (ada,) = await repo.multipliers()
    assert (ada.referrer_id, ada.brought, ada.stayed, ada.active) == (ADA, 3, 2, 1)
    # A replayed join writes nothing new.
    assert await repo.record_join(BEN) is None
    assert (await repo.multipliers())[0].brought == 3
    assert await repo.multipliers(T0 + 2, T0 + 3) == [
        type(ada)(referrer_id=ADA, brought=1, stayed=1, active=0)
    ]


async def test_self_referral_is_not_recorded(db: Database) -> None:
    repo = ReferralRepository(db)
    await invite(db, 9, ADA)
    await seat(db, ADA, 9, "member", T0)
    assert await repo.record_join(ADA) is None


async def test_erasing_the_referrer_cuts_the_link_and_withdraws_open_invites(
    db: Database,
) -> None:
    repo = await club_with_referrals(db)
    await invite(db, 7, ADA, uses=0)  # still open
    await PrivacyRepository(db).erase_person(ADA)
    assert await repo.multipliers() == []
    row = await db.fetchone("SELECT state FROM gate_seats WHERE user_id = ?", (BEN,))
    assert row is not None and row[0] == "member"  # Ben keeps his seat
    revoked = await db.fetchone("SELECT revoked_at FROM gate_codes WHERE id = 7")
    assert revoked is not None and revoked[0] is not None


async def test_erasing_a_referred_member_removes_only_their_link(db: Database) -> None:
    repo = await club_with_referrals(db)
    await PrivacyRepository(db).erase_person(BEN)
    (ada,) = await repo.multipliers()
    assert (ada.brought, ada.stayed, ada.active) == (2, 1, 0)


async def test_export_referrals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "export.db"
    db = await Database.open(db_path)
    try:
        await club_with_referrals(db)
    finally:
        await db.close()
    config = write_config(tmp_path, db_path)
    capsys.readouterr()
    assert (
        await asyncio.to_thread(main, ["export", "--config", str(config), "--what", "referrals"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["user_id"], r["still_member"], r["took_part"]) for r in rows] == [
        (str(BEN), "1", "1"),
        (str(CID), "1", "0"),
        (str(DOT), "0", "0"),
    ]
    assert {r["referrer_user_id"] for r in rows} == {str(ADA)}


def test_texts_escape_and_say_what_happened() -> None:
    tz = __import__("zoneinfo").ZoneInfo("UTC")
    issued = InviteResult(
        InviteStatus.ISSUED, code="7K3Q-M9XP-4HRT", expires_at=T0, allowance=3, left=2
    )
    text = invite_text(issued, "<Club>", "club_bot", tz)
    assert "&lt;Club&gt;" in text and "t.me/club_bot?start=7K3Q-M9XP-4HRT" in text
    assert "2 more" in text
    used = invite_text(InviteResult(InviteStatus.ALLOWANCE_USED, allowance=3), "C", "b", tz)
    assert "all 3" in used
    assert "off" in policy_text(Policy(per_member=0))
    assert "joined before Dec 1, 2026" in policy_text(
        Policy(per_member=2, joined_before=date(2026, 12, 1))
    )
    assert "&lt;b&gt;" in flag_text(Flag(ADA, 4, 24), "<b>")


def test_multipliers_text_nests_who_brought_whom() -> None:
    from bot.referrals.repo import Multiplier, ReferralLink

    mults = [Multiplier(ADA, 1, 1, 1), Multiplier(BEN, 1, 1, 0)]
    links = [ReferralLink(BEN, ADA, T0, True, True), ReferralLink(CID, BEN, T0, True, False)]
    text = multipliers_text(mults, links, {ADA: "Ada", BEN: "B<en>", CID: "Cid"})
    lines = text.splitlines()
    assert lines[1].startswith("2 members brought <b>2</b>")
    ada_line = next(i for i, line in enumerate(lines) if line.startswith("Ada"))
    assert "↳ B&lt;en&gt;" in lines[ada_line + 1] and "brought 1" in lines[ada_line + 1]
    assert lines[ada_line + 2].startswith("    ↳ Cid") and lines[ada_line + 2].endswith("member")


def test_referral_texts_speak_german_with_plurals_and_local_dates() -> None:
    from zoneinfo import ZoneInfo

    from bot.core.i18n import translator
    from bot.referrals.repo import Multiplier, ReferralLink

    de = translator("de")
    issued = InviteResult(
        InviteStatus.ISSUED, code="7K3Q-M9XP-4HRT", expires_at=T0, allowance=3, left=1
    )
    text = invite_text(issued, "Bäckerei-Club", "club_bot", ZoneInfo("Europe/Berlin"), de)
    assert "Du kannst noch eine Person einladen." in text
    assert "bis <b>15.01.2027, 09:00 (Mitteleuropäische Zeit)</b>" in text
    used = invite_text(
        InviteResult(InviteStatus.ALLOWANCE_USED, allowance=3), "C", "b", ZoneInfo("UTC"), de
    )
    assert used.startswith("Du hast alle 3 Einladungen genutzt.")
    policy = policy_text(Policy(per_member=2, joined_before=date(2026, 12, 1)), de)
    assert policy == (
        "Einladungen durch Mitglieder: <b>an</b> für Mitglieder, die vor dem 01.12.2026 "
        "beigetreten sind, je 2 Einladungen (aus der Konfiguration)."
    )
    mults = [Multiplier(ADA, 2, 1, 2)]
    links = [ReferralLink(BEN, ADA, T0, True, True), ReferralLink(CID, ADA, T0, False, False)]
    lines = multipliers_text(mults, links, {ADA: "Ada"}, de).splitlines()
    assert lines[1] == (
        "Ein Mitglied brachte <b>2</b>: eine Person ist noch Mitglied, 2 haben mitgemacht "
        "(geschrieben, bewertet oder abgestimmt)."
    )
    assert (
        lines[4].endswith(": aktiv") and lines[5].endswith(": gegangen") and "jemand" in lines[5]
    )
