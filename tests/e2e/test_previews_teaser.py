"""The --notify teaser to 200 members (45 in the default run): within Telegram's broadcast
limits, blocked members skipped and marked, progress and a final count for the requester."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.db import Database
from bot.demo.simulation import simulated_club


async def test_teaser_to_45_members_respects_limits_and_skips_blocked(tmp_path: Path) -> None:
    # Every kind of member below appears twice among 45 (i % 40), in about two real seconds.
    await teaser_to(tmp_path, 45)


@pytest.mark.slow
async def test_teaser_to_200_members_respects_limits_and_skips_blocked(tmp_path: Path) -> None:
    await teaser_to(tmp_path, 200)


async def teaser_to(tmp_path: Path, size: int) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        members = [sb.create_user(f"Member {i}") for i in range(size)]
        people = club.services.people
        now = club.services.now_ts()
        for i, member in enumerate(members):
            sb.add_member(club.group, member)
            people.defer_upsert(member.id, member.first_name, None, None, "en", False, now)
            if i % 40 == 0:
                continue  # 5 members never started the bot: nobody may write to them
            # Started the bot earlier (quietly: no /start round trip for 195 people).
            sb.world.started.add(member.id)
        await club.services.db.flush()
        for member in members:
            if member.id in sb.world.started:
                await people.mark_started(member.id, now)
        never_started = [m for i, m in enumerate(members) if i % 40 == 0]
        told_us = [m for i, m in enumerate(members) if i % 40 == 1]  # blocked; we know it
        silent = [m for i, m in enumerate(members) if i % 40 == 2]  # blocked; we'll find out
        for member in told_us:
            sb.block_bot(member)
        for member in silent:
            sb.world.blocked.add(member.id)
        await club.settle()

        async def member_ids(db: Database) -> Iterable[int]:
            return [m.id for m in members]

        club.features.previews.members = member_ids
        sb.rate_limits(True)
        sb.start_bot(bruno)
        original = sb.send_photo(bruno, bruno, caption="Gingerbread latte")
        sb.send_text(bruno, bruno, "/preview now --title Gingerbread --notify", reply_to=original)

        started = time.monotonic()

        def final_report() -> bool:
            return any("sent to" in (m.text or "") for m in sb.bot_messages(bruno))

        await sb.wait_for(final_report, timeout=40, message="no final teaser count")
        elapsed = time.monotonic() - started
        await club.settle()

        reached = [m for m in members if m not in never_started + told_us + silent]
        for member in members:
            got = sb.bot_messages(member)
            if member in reached:
                assert len(got) == 1, f"{member.first_name} got {len(got)} teasers"
                button = got[0].reply_markup["inline_keyboard"][0][0]  # type: ignore[index]
                assert button["url"].startswith("https://t.me/c/1234567890/")
                assert "Gingerbread" in (got[0].text or "")
            else:
                assert got == []
        report = next(m for m in sb.bot_messages(bruno) if "sent to" in (m.text or ""))
        assert report.text == (
            f"Teaser for preview #1 Gingerbread sent to {len(reached)} members. "
            f"{len(told_us) + len(silent)} had blocked me or closed their accounts, and were "
            "skipped. "
            f"{len(never_started)} never started me, so I cannot write to them."
        )
        # One progress message, edited every few dozen sends, not every send.
        assert 1 <= len(report.edits) <= size // 25 + 2
        assert sb.rate_violations == [], sb.rate_violations[:3]
        # The members who blocked the bot silently are marked now, so the next teaser skips
        # them without trying.
        for member in silent:
            person = await people.get(member.id)
            assert person is not None and person.blocked_bot_at is not None
        # At most ~29 sends start in any second, so the (30k+1)-th cannot start before k
        # seconds of real time (190 sends: over 6 seconds).
        assert elapsed > (len(reached) - 1) // 30
