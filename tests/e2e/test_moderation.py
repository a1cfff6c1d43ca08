"""Moderation end to end: moderators act by reply or by id, refusals, flood control,
look-alike names, the moderation log and its digest count."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.digest_api import DayWindow
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.moderation.digest import moderation_section
from bot.moderation.repo import ModerationRepository
from bot.sandbox import Member, SimUser
from bot.sandbox.serialize import ADMIN_RIGHTS
from tests.e2e.helpers import said_text as said

ADA_ID = 2**32 + 101
BEN_ID = 2**32 + 202


def join(club: SimulatedClub, name: str, user_id: int) -> SimUser:
    user = club.sandbox.create_user(name, user_id=user_id)
    club.sandbox.add_member(club.group, user)
    return user


async def log_actions(club: SimulatedClub) -> list[tuple[str, int]]:
    entries = await ModerationRepository(club.services.db).latest(50)
    return [(e.action, e.target_id) for e in reversed(entries)]


async def test_warnings_by_reply_reach_the_limit_and_mute(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", moderation={"warn_limit": 2, "default_mute_minutes": 30}
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        spam = club.sandbox.send_text(ada, club.group, "BUY CHEAP FOLLOWERS")
        club.sandbox.send_text(club.owner, club.group, "/warn spam", reply_to=spam)
        assert "(1/2)" in await said(club, club.group, "was warned")
        assert club.sandbox.member_status(club.group, ada) == "member"

        again = club.sandbox.send_text(ada, club.group, "BUY CHEAP FOLLOWERS NOW")
        club.sandbox.send_text(club.owner, club.group, "/warn spam again", reply_to=again)
        text = await said(club, club.group, "(2/2)")
        assert "muted for 30 minutes" in text
        assert club.sandbox.member_status(club.group, ada) == "restricted"
        assert await log_actions(club) == [("warn", ADA_ID), ("warn", ADA_ID), ("mute", ADA_ID)]

        # The mute ends by itself after 30 minutes (Telegram's until_date).
        await club.advance(timedelta(minutes=31))
        assert club.sandbox.member_status(club.group, ada) == "member"


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_mute_unmute_kick_ban_unban_by_id_in_private(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = join(club, "Ada", ADA_ID)
        owner = club.owner
        club.sandbox.start_bot(owner)
        club.sandbox.send_text(owner, owner, f"/mute {ADA_ID} 2h")
        assert "muted for 2 hours" in await said(club, owner, "muted for")
        assert club.sandbox.member_status(club.group, ada) == "restricted"

        club.sandbox.send_text(owner, owner, f"/unmute {ADA_ID}")
        await said(club, owner, "can write again")
        assert club.sandbox.member_status(club.group, ada) == "member"

        club.sandbox.send_text(owner, owner, f"/kick {ADA_ID} rude")
        await said(club, owner, "was removed from the group")
        assert club.sandbox.member_status(club.group, ada) == "left"

        club.sandbox.add_member(club.group, ada)  # she comes back with a new invite
        club.sandbox.send_text(owner, owner, f"/ban {ADA_ID} rude again")
        await said(club, owner, "is banned")
        assert club.sandbox.member_status(club.group, ada) == "kicked"

        club.sandbox.send_text(owner, owner, f"/unban {ADA_ID}")
        await said(club, owner, "no longer banned")
        assert club.sandbox.member_status(club.group, ada) == "left"

        assert [a for a, _ in await log_actions(club)] == [
            "mute",
            "unmute",
            "kick",
            "ban",
            "unban",
        ]
        club.sandbox.send_text(owner, owner, "/modlog")
        log_text = await said(club, owner, "Moderation log")
        assert "banned" in log_text and "rude again" in log_text and str(ADA_ID) in log_text


async def test_refusals_get_a_clear_reply(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = join(club, "Ada", ADA_ID)
        admin = club.sandbox.create_user("Carla", user_id=2**32 + 303)
        club.sandbox.add_member(
            club.group, admin, status="administrator", can_restrict_members=True
        )
        owner, group = club.owner, club.group

        # A member cannot moderate.
        club.sandbox.send_text(ada, group, f"/ban {owner.id}")
        await said(club, group, "Only moderators can use /ban")
        # Nobody named: reply or id.
        club.sandbox.send_text(owner, group, "/warn")
        assert "Usage: /warn" in await said(club, group, "Say whom")
        # A bad duration.
        club.sandbox.send_text(owner, group, f"/mute {ADA_ID} forever")
        assert "Usage: /mute" in await said(club, group, "is not a duration")
        # An id Telegram does not know.
        club.sandbox.send_text(owner, group, f"/warn {2**40 + 1}")
        await said(club, group, "I do not know user")
        # Admins are out of reach, by reply and by id.
        note = club.sandbox.send_text(admin, group, "hello")
        club.sandbox.send_text(owner, group, "/ban", reply_to=note)
        await said(club, group, "cannot act on the group's admins")
        # Lifting what is not there.
        club.sandbox.send_text(owner, group, f"/unmute {ADA_ID}")
        await said(club, group, "They are not muted")
        club.sandbox.send_text(owner, group, f"/unban {ADA_ID}")
        await said(club, group, "They are not banned")
        # Replying to the bot itself.
        bot_message = club.sandbox.bot_messages(group)[-1]
        club.sandbox.send_text(owner, group, "/kick", reply_to=bot_message)
        await said(club, group, "I will not moderate myself")

        # Replying to an anonymous admin's post names no member.
        post = club.sandbox.send_as_chat(club.group, club.group, "New menu tomorrow")
        club.sandbox.send_text(owner, group, "/warn", reply_to=post)
        await said(club, group, "not sent by a member")

        assert club.sandbox.member_status(club.group, ada) == "member"
        assert club.sandbox.member_status(club.group, admin) == "administrator"
        assert await log_actions(club) == []


async def test_anonymous_admin_can_moderate(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = join(club, "Ada", ADA_ID)
        club.sandbox.send_as_chat(club.group, club.group, f"/mute {ADA_ID} 10m")
        await said(club, club.group, "muted for 10 minutes")
        assert club.sandbox.member_status(club.group, ada) == "restricted"
        entries = await ModerationRepository(club.services.db).latest(1)
        assert entries[0].actor_id == club.group.id  # "an anonymous admin"


async def test_flooding_member_is_muted_and_told_once(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        moderation={"flood_messages": 3, "flood_seconds": 10, "flood_mute_minutes": 5},
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        ben = join(club, "Ben", BEN_ID)
        club.sandbox.start_bot(ben)  # Ben can be told privately; Ada cannot
        await club.settle()

        # Ada writes three messages a few seconds apart: fine.
        for text in ("one", "two", "three"):
            club.sandbox.send_text(ada, club.group, text)
            await club.settle()
            club.clock.advance(timedelta(seconds=4))
        # An album is one message, not ten.
        club.sandbox.send_album(ben, club.group, n=6)
        await club.settle()
        assert club.sandbox.member_status(club.group, ben) == "member"

        # Now four in a burst: muted for 5 minutes, one short notice in the group.
        for i in range(4):
            club.sandbox.send_text(ada, club.group, f"spam {i}")
        await said(club, club.group, "muted for 5 minutes")
        assert club.sandbox.member_status(club.group, ada) == "restricted"
        notices = [m for m in club.sandbox.bot_messages(club.group) if "muted" in (m.text or "")]
        assert len(notices) == 1

        # Ben floods too: he is told privately, the group hears nothing more.
        for i in range(4):
            club.sandbox.send_text(ben, club.group, f"ben {i}")
        await said(club, ben, "Please slow down")
        assert club.sandbox.member_status(club.group, ben) == "restricted"
        notices = [m for m in club.sandbox.bot_messages(club.group) if "muted" in (m.text or "")]
        assert len(notices) == 1
        assert await log_actions(club) == [("flood", ADA_ID), ("flood", BEN_ID)]

        # Moderators are never flood-limited.
        for i in range(6):
            club.sandbox.send_text(club.owner, club.group, f"announcement {i}")
        await club.settle()
        assert club.sandbox.member_status(club.group, club.owner) == "creator"

        await club.advance(timedelta(minutes=6))
        assert club.sandbox.member_status(club.group, ada) == "member"


@pytest.mark.parametrize(
    ("command", "status"), [("/mute 1d spam", "restricted"), ("/ban spam", "kicked")]
)
async def test_a_flood_mute_never_shortens_or_lifts_a_moderators_action(
    tmp_path: Path, command: str, status: str
) -> None:
    # A spam burst Telegram accepted before the moderator acted arrives after the command:
    # a 5-minute flood mute must not replace the day-long mute or the ban.
    async with simulated_club(
        tmp_path / "club.db",
        moderation={"flood_messages": 3, "flood_seconds": 10, "flood_mute_minutes": 5},
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        spam = club.sandbox.send_text(ada, club.group, "BUY CHEAP FOLLOWERS")
        await club.settle()
        club.sandbox.send_text(club.owner, club.group, command, reply_to=spam)
        for i in range(5):
            club.sandbox.send_text(ada, club.group, f"BUY CHEAP FOLLOWERS {i}")
        await club.settle()
        await club.advance(timedelta(minutes=6))
        assert club.sandbox.member_status(club.group, ada) == status
        assert ("flood", ADA_ID) not in await log_actions(club)


async def test_the_warning_limit_keeps_a_longer_mute(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", moderation={"warn_limit": 2, "default_mute_minutes": 30}
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        club.sandbox.send_text(club.owner, club.group, f"/mute {ADA_ID} 1d spam")
        await said(club, club.group, "muted for 1 day")
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} spam")
        await said(club, club.group, "(1/2)")
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} spam again")
        assert "stays muted" in await said(club, club.group, "(2/2)")
        await club.advance(timedelta(minutes=31))
        assert club.sandbox.member_status(club.group, ada) == "restricted"
        assert await log_actions(club) == [("mute", ADA_ID), ("warn", ADA_ID), ("warn", ADA_ID)]


async def test_moderation_commands_in_the_brand_chat_are_answered(tmp_path: Path) -> None:
    # The brand chat supports no moderation command; a moderator there is told where they
    # work (not that they are no moderator), the brand team that they are for moderators.
    async with simulated_club(tmp_path / "club.db") as club:
        ada = join(club, "Ada", ADA_ID)
        club.sandbox.add_member(club.brand, club.owner)  # Olivia, the owner, reads it too
        club.sandbox.send_text(club.owner, club.brand, f"/ban {ADA_ID} spam")
        assert "in the group or in a private chat" in await said(club, club.brand, "/ban")
        club.sandbox.send_text(club.owner, club.brand, "/modlog")
        assert "Only moderators" not in await said(club, club.brand, "/modlog")
        club.sandbox.send_text(club.brand_manager, club.brand, f"/mute {ADA_ID}")
        await said(club, club.brand, "Only moderators can use /mute.")
        assert club.sandbox.member_status(club.group, ada) == "member"
        assert await log_actions(club) == []


async def test_an_admin_restricts_through_the_bot_only_with_the_ban_right(tmp_path: Path) -> None:
    # The bot lends an admin no more than Telegram does: mute, kick and ban need "Ban users".
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = join(club, "Ada", ADA_ID)
        al = sb.create_user("Al")  # an admin who may only pin
        sb.add_member(club.group, al, status="administrator", can_pin_messages=True)
        bea = sb.create_user("Bea")  # an admin who may ban
        sb.add_member(club.group, bea, status="administrator", can_restrict_members=True)
        assert await club.services.permissions.refresh(club.app.bot, club.group.id)

        sb.send_text(al, club.group, f"/ban {ADA_ID} I do not like her")
        await said(club, club.group, "“Ban users”")
        assert sb.member_status(club.group, ada) == "member"

        sb.send_text(bea, club.group, f"/mute {ADA_ID} 1h")
        await said(club, club.group, "muted for 1 hour")
        sb.send_text(bea, club.group, f"/unmute {ADA_ID}")
        await said(club, club.group, "can write again")

        # The owner takes Bea's right away; Telegram reports her still an administrator.
        rights = {right: right == "can_pin_messages" for right in ADMIN_RIGHTS}
        sb.world.set_member(
            club.group,
            bea,
            Member(user=bea, status="administrator", rights=rights),
            actor=club.owner,
        )
        await club.settle()
        sb.send_text(bea, club.group, f"/kick {ADA_ID}")
        await said(club, club.group, "/kick")
        assert sb.member_status(club.group, ada) == "member"
        assert await log_actions(club) == [("mute", ADA_ID), ("unmute", ADA_ID)]


async def test_look_alike_of_a_moderator_is_reported_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.start_bot(club.owner)  # Olivia, the owner, can be told privately
        honest = join(club, "Oliver", 2**32 + 11)
        club.sandbox.send_text(honest, club.group, "Hi all")
        # "Olivia" with a Cyrillic О and a zero-width space.
        fake = join(club, "\u041e\u200blivia", 2**32 + 12)
        club.sandbox.send_text(fake, club.group, "Hello! DM me for free cakes")
        report = await said(club, club.owner, "Look-alike name")
        assert str(2**32 + 12) in report
        assert "invisible characters" in report and "Cyrillic" in report
        club.sandbox.send_text(fake, club.group, "Really, DM me")
        await club.settle()
        reports = [
            m for m in club.sandbox.bot_messages(club.owner) if "Look-alike" in (m.text or "")
        ]
        assert len(reports) == 1
        assert not any(str(honest.id) in (m.text or "") for m in reports)


async def test_digest_counts_moderation_actions(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        join(club, "Ada", ADA_ID)
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} tone")
        await said(club, club.group, "was warned")
        club.sandbox.send_text(club.owner, club.group, f"/mute {ADA_ID} 1h")
        await said(club, club.group, "muted for 1 hour")
        settings = club.services.settings
        today = club.clock.now().astimezone(settings.community.tz).date()
        window = DayWindow.for_day(today, settings.community.tz)
        section = await moderation_section(club.services.db, window, settings)
        assert section is not None
        assert section.data == {"total": 2, "by_action": {"mute": 1, "warn": 1}}
        assert str(ADA_ID) not in " ".join(section.lines)  # counts only, no names
        assert await moderation_section(club.services.db, window.shifted(-1), settings) is None
