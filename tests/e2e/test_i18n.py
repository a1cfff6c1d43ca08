"""A German club end to end: the group and the moderators read German, each member's private
chat follows their Telegram language when the bot speaks it, and the command menu is set per
language."""

from __future__ import annotations

import json
from pathlib import Path

from bot.demo.simulation import simulated_club
from bot.sandbox import SimUser
from tests.e2e.helpers import said_text as said
from tests.e2e.helpers import say

ADA_ID = 2**32 + 101


def _menu(menus: dict[str, list[dict[str, str]]], language_code: str) -> list[str]:
    """The private-chat menu the sandbox holds for ``language_code`` ("" = everyone else)."""
    key = json.dumps([{"type": "all_private_chats"}, language_code], sort_keys=True)
    return [command["description"] for command in menus.get(key, [])]


async def test_a_german_club_speaks_german_and_each_member_their_own(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", community={"name": "Bäckerei-Club", "language": "de"}
    ) as club:
        menus = club.sandbox.world.commands
        # German app: German menu; English app: English menu; any other: the club's German.
        assert "mit deinem Einladungscode dem Club beitreten" in _menu(menus, "de")
        assert "join the club with your invite code" in _menu(menus, "en")
        assert "mit deinem Einladungscode dem Club beitreten" in _menu(menus, "")

        anna = club.sandbox.create_user("Anna", language_code="de-AT")
        ben = club.sandbox.create_user("Ben", language_code="en")
        chloe = club.sandbox.create_user("Chloé", language_code="fr")
        for person in (anna, ben, chloe):
            club.sandbox.send_text(person, person, "/help")
        assert "ist ein privater Club" in await said(club, anna, "Bäckerei-Club")
        assert "is a private, invite-only club" in await said(club, ben, "Bäckerei-Club")
        # No French catalog: the club's language, not English.
        assert "Befehle" in await said(club, chloe, "Bäckerei-Club")

        # In the group, everyone reads the club's language, an English member's command too.
        club.sandbox.add_member(club.group, ben)
        club.sandbox.send_text(ben, club.group, "/rules")
        assert (await said(club, club.group, "Regeln von")).startswith("Regeln von Bäckerei-Club")

        club.sandbox.send_text(anna, anna, "/nosuchthing")
        assert await said(club, anna, "/nosuchthing") == (
            "/nosuchthing kenne ich nicht. Unter /help steht, was ich kann."
        )


async def test_a_moderators_refusal_and_reply_are_in_the_club_language(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "de"}) as club:
        ada: SimUser = club.sandbox.create_user("Ada", user_id=ADA_ID, language_code="en")
        club.sandbox.add_member(club.group, ada)
        club.sandbox.send_text(ada, ada, "/start")  # she may now be written to privately
        await said(club, ada, "Hello")
        club.sandbox.send_text(ada, club.group, "/ban 12345")
        assert await said(club, club.group, "/ban") == "/ban können nur Moderatoren nutzen."
        club.sandbox.send_text(club.owner, club.group, f"/mute {ADA_ID} 90m")
        assert await said(club, club.group, "stummgeschaltet") == (
            "Ada ist für 1 Stunde und 30 Minuten stummgeschaltet."
        )
        # Ada's own note follows her English app.
        assert "You were muted in the club for 1 hour and 30 minutes." in await said(
            club, ada, "muted"
        )


async def test_the_moderation_log_gives_the_bots_own_reasons_in_the_club_language(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        community={"language": "de"},
        moderation={"flood_messages": 3, "flood_seconds": 10, "warn_limit": 2},
    ) as club:
        sb = club.sandbox
        emma = sb.create_user("Emma", user_id=ADA_ID)
        sb.add_member(club.group, emma)
        for i in range(4):
            sb.send_text(emma, club.group, f"Nachricht {i}")
        await club.settle()
        # A row an earlier version wrote, and a moderator whose own words look like a record.
        log = club.features.moderation.repo
        await log.log("ban", None, 2**32 + 7, "shared ban from Berliner Club", 1)
        await log.log("warn", club.owner.id, 2**32 + 7, "4 warnings", 2)
        for _ in range(2):
            sb.send_text(club.owner, club.group, f"/warn {ADA_ID} Spam")
            await club.settle()
        club.sandbox.send_text(club.owner, club.owner, "/modlog")
        modlog = await said(club, club.owner, "Moderationsprotokoll")
        assert "wegen Flutens" in modlog and ": 4 Nachrichten in 10 Sekunden" in modlog
        assert ": 2 Verwarnungen" in modlog  # the mute at the warning limit
        assert ": Sperre von Berliner Club übernommen" in modlog
        assert ": 4 warnings" in modlog  # the moderator's words, as written
        assert "messages in" not in modlog and "shared ban" not in modlog


async def test_a_moderators_wrong_newcodes_gets_a_clear_german_sentence(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "de"}) as club:
        owner = club.owner
        club.sandbox.start_bot(owner)
        await club.settle()
        # The problem opens the reply, so it starts with a capital letter.
        assert (await say(club, owner, "/newcodes")).startswith(
            "Sag, wie viele Codes ich erstellen soll."
        )
        # Codes for nobody are refused, not quietly made single-use.
        assert (await say(club, owner, "/newcodes 1 0")).startswith(
            "NUTZUNGEN muss zwischen 1 und 100000 liegen."
        )
        assert await club.features.gate.repo.list_codes() == []


async def test_invite_is_in_the_menu_only_while_members_may_invite(tmp_path: Path) -> None:
    invite = "a personal invite for a friend (private chat)"
    async with simulated_club(tmp_path / "club.db") as club:  # referrals off by default
        menus = club.sandbox.world.commands
        assert invite not in _menu(menus, "en")
        assert "join the club with your invite code" in _menu(menus, "en")
        club.sandbox.start_bot(club.owner)
        await say(club, club.owner, "/referrals on 3")
        assert invite in _menu(menus, "en")
        assert "eine persönliche Einladung für Freunde (im privaten Chat)" in _menu(menus, "de")
        await say(club, club.owner, "/referrals off")
        assert invite not in _menu(menus, "en")
