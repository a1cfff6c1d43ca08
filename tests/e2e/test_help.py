"""/help lists what the person asking can use: a feature switched off adds nothing, and a
staff command shows only to those its handler lets through (bot.core.access.may_use)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club, simulated_clubs
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted, last_text, say

RESTRICTING = ("/warn", "/mute", "/unmute", "/kick", "/ban", "/unban")


def listed(help_text: str) -> set[str]:
    """The commands /help lists, one per line ("/ban [reason] — ...")."""
    return {line.split()[0] for line in help_text.splitlines() if line.startswith("/")}


async def ask_help(club: SimulatedClub, person: SimUser) -> str:
    club.sandbox.start_bot(person)
    return await say(club, person, "/help")


async def test_invite_is_listed_only_while_referrals_are_on(tmp_path: Path) -> None:
    # Referrals are off unless configured (gate.referrals_per_member = 0).
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = sb.create_user("Ada")
        sb.add_member(club.group, ada)
        answer = await ask_help(club, ada)
        assert "/invite" not in listed(answer)
        assert {"/help", "/join", "/rules", "/mydata"} <= listed(answer)
        assert "invite" not in [c["command"] for c in _menu(club)]

        # The owner switches them on: /help and the menu offer /invite from then on.
        assert "Referral invites: on" in await say(club, club.owner, "/referrals on 2")
        assert "/invite" in listed(await say(club, ada, "/help"))
        assert "invite" in [c["command"] for c in _menu(club)]


async def test_an_admin_without_the_ban_right_is_not_shown_mute_kick_or_ban(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        al = sb.create_user("Al")  # an admin who may only pin
        sb.add_member(club.group, al, status="administrator", can_pin_messages=True)
        assert await club.services.permissions.refresh(club.app.bot, club.group.id)
        calls = len(sb.requests)

        commands = listed(await ask_help(club, al))
        assert not commands & set(RESTRICTING)
        # Still a moderator: the commands that need no "Ban users" right are there.
        assert {"/modlog", "/poll", "/newcodes", "/preview"} <= commands
        # What the bot knows of his rights was enough: no Telegram look-up for /help.
        asked = [r.method for r in sb.requests[calls:]]
        assert not {"getChatMember", "getChatAdministrators"} & set(asked)

        # In the group too (the group's own /help answers in the group).
        sb.send_text(al, club.group, "/help")
        await sb.wait_for(lambda: "Moderator commands" in last_text(club, club.group))
        assert "/modlog" in listed(last_text(club, club.group))
        assert not listed(last_text(club, club.group)) & set(RESTRICTING)


async def test_an_admin_with_the_ban_right_and_the_owner_see_every_moderator_command(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        bea = sb.create_user("Bea")
        sb.add_member(club.group, bea, status="administrator", can_restrict_members=True)
        assert await club.services.permissions.refresh(club.app.bot, club.group.id)
        for moderator in (bea, club.owner):
            commands = listed(await ask_help(club, moderator))
            assert set(RESTRICTING) | {"/modlog", "/poll", "/digest", "/codes"} <= commands


async def test_a_plain_member_sees_no_moderator_commands(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada")
        club.sandbox.add_member(club.group, ada)
        answer = await ask_help(club, ada)
        assert "Moderator commands" not in answer
        staff = {"/ban", "/modlog", "/poll", "/preview", "/digest", "/codes", "/verdict"}
        assert not listed(answer) & staff


async def test_the_brand_team_sees_its_commands_and_not_the_moderators(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        bruno = club.brand_manager  # on the brand team, not a moderator
        commands = listed(await ask_help(club, bruno))
        assert {"/preview", "/previews", "/digest", "/verdict"} <= commands
        assert not commands & {"/ban", "/modlog", "/poll", "/codes", "/segments"}


async def test_in_private_a_moderator_of_another_club_sees_what_that_club_lets_them_run(
    tmp_path: Path,
) -> None:
    # Mo has a seat in Berlin; Hamburg made Mo a moderator. Their /help in private is
    # Berlin's (the first of their clubs), and lists the moderator commands the router sends
    # to Hamburg, where they are staff.
    mo_id = 2**32 + 7171
    staff = {"hamburg": {"moderators": [mo_id]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=staff) as (berlin, _hamburg):
        mo = await admitted(berlin, "Mo", mo_id)
        answer = await ask_help(berlin, mo)
        assert "Berlin Bakery Club" in answer
        assert set(RESTRICTING) | {"/modlog", "/poll"} <= listed(answer)
        # A member of Berlin alone is shown none of them.
        ada = await admitted(berlin, "Ada")
        answer = await ask_help(berlin, ada)
        assert "Berlin Bakery Club" in answer and "Moderator commands" not in answer


def _menu(club: SimulatedClub) -> list[dict[str, str]]:
    """The bot's menu for private chats in the club's default language."""
    key = json.dumps([{"type": "all_private_chats"}, ""], sort_keys=True)
    return club.sandbox.world.commands.get(key, [])


async def test_an_anonymous_admin_is_shown_what_they_can_run_in_the_group(tmp_path: Path) -> None:
    # Posting as the group, an admin moderates (Telegram shows no one to check the rights
    # of), but publishes no preview: that needs a person on the brand team.
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.send_as_chat(club.group, club.group, "/help")
        await club.sandbox.wait_for(lambda: "/help" in last_text(club, club.group))
        commands = listed(last_text(club, club.group))
        assert set(RESTRICTING) | {"/modlog", "/poll"} <= commands
        assert not commands & {"/preview", "/digest", "/verdict"}


# How each command turns away someone it is not for (its feature's wording).
REFUSALS = (
    "Only moderators can use",
    "Only the community's moderators",
    "Only the brand team and moderators",
    "Sorry, only the club's moderators",
    "You need the admin right",
    "The digest is for moderators",
)


@pytest.mark.parametrize(
    ("who", "some_allowed", "some_refused"),
    [
        # Each case waits ~8 s on the one-a-second limit of a private chat. The default set
        # keeps the pin-only admin (some commands allowed, some refused); the slow set runs
        # the other three, whose /help contents the faster tests above also cover.
        pytest.param("member", False, True, marks=pytest.mark.slow),
        pytest.param("brand team", True, True, marks=pytest.mark.slow),
        ("pin-only admin", True, True),
        pytest.param("owner", True, False, marks=pytest.mark.slow),
    ],
)
async def test_help_lists_a_staff_command_exactly_when_the_command_lets_the_person_in(
    tmp_path: Path, who: str, some_allowed: bool, some_refused: bool
) -> None:
    # Each staff command, run bare in private: refused exactly when /help leaves it out.
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = sb.create_user("Ada")
        sb.add_member(club.group, ada)
        al = sb.create_user("Al")
        sb.add_member(club.group, al, status="administrator", can_pin_messages=True)
        assert await club.services.permissions.refresh(club.app.bot, club.group.id)
        person = {"member": ada, "brand team": club.brand_manager, "pin-only admin": al}.get(
            who, club.owner
        )
        staff = [spec for spec in club.app.commands if spec.audience.is_staff]
        assert len(staff) > 20
        shown = listed(await ask_help(club, person))
        found = []
        for spec in staff:
            before = len(sb.bot_messages(person))
            sb.send_text(person, person, f"/{spec.name}")
            await sb.wait_for(
                functools.partial(_answered, club, person, before), message=spec.name
            )
            await club.settle()
            answers = [m.text or "" for m in sb.bot_messages(person)[before:]]
            refused = any(answer.startswith(REFUSALS) for answer in answers)
            found.append((spec.name, f"/{spec.name}" in shown, refused))
        assert [name for name, listed_, refused in found if listed_ is refused] == []
        assert any(listed_ for _, listed_, _ in found) is some_allowed
        assert any(refused for _, _, refused in found) is some_refused


def _answered(club: SimulatedClub, person: SimUser, before: int) -> bool:
    return len(club.sandbox.bot_messages(person)) > before
