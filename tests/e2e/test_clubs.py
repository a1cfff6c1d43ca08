"""Two clubs from one bot, through the sandbox: each club's codes, answers, moderators and
digests stay its own (issue 12)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.demo import run_clubs_demo
from bot.demo.simulation import SimulatedClub, simulated_clubs
from bot.gate import is_member
from bot.sandbox import Sandbox, SentMessage, SimUser
from bot.sandbox.serialize import user_json
from tests.e2e.helpers import (
    accept_button,
    admitted,
    button_pairs,
    join_link,
    last_text,
    make_codes,
    say,
)

RULES = {
    "berlin": {"rules": "Berlin rule: bring rye."},
    "hamburg": {"rules": "Hamburg rule: fish buns on Fridays."},
}


def forged_press(sb: Sandbox, user: SimUser, msg: SentMessage, data: str) -> str:
    """A press with callback data no button of ``msg`` carries (a modified client)."""
    qid = f"{user.id}999999"
    sb.world.callback_queries[qid] = (sb.clock.now(), user, msg)
    chat = sb.world.chats[msg.chat_id]
    sb.world.enqueue(
        "callback_query",
        {
            "id": qid,
            "from": user_json(user),
            "message": sb.world.message_json(msg),
            "chat_instance": str(abs(chat.id) * 7 + 13),
            "data": data,
        },
    )
    return qid


async def both(berlin: SimulatedClub, hamburg: SimulatedClub, name: str) -> SimUser:
    """A person admitted to Berlin, then with a Hamburg code to Hamburg too."""
    person = await admitted(berlin, name)
    sb = hamburg.sandbox
    (code,) = await make_codes(hamburg)
    sb.start_bot(person, code)
    await hamburg.settle()
    msg, data = accept_button(sb, person)
    sb.press_button(person, msg, data)
    await hamburg.settle()
    sb.join_via_link(person, join_link(sb, person))
    await hamburg.settle()
    assert sb.member_status(hamburg.group, person) == "member"
    return person


async def test_a_code_admits_to_its_own_club_only(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        # Ada opens the deep link with a Hamburg code: the answer, the seat and the invite
        # link are Hamburg's, though Berlin is the first club.
        (code,) = await make_codes(hamburg)
        ada = sb.create_user("Ada")
        sb.start_bot(ada, code)
        await hamburg.settle()
        msg, data = accept_button(sb, ada)
        sb.press_button(ada, msg, data)
        await hamburg.settle()
        sb.join_via_link(ada, join_link(sb, ada))
        await hamburg.settle()
        assert sb.member_status(hamburg.group, ada) == "member"
        assert sb.member_status(berlin.group, ada) == "left"
        assert await is_member(hamburg.services.db, ada.id)
        assert not await is_member(berlin.services.db, ada.id)
        assert await berlin.features.gate.repo.seat(ada.id) is None

        # Bea asks to join Berlin's group and types a Hamburg code: Berlin does not know it.
        (other,) = await make_codes(hamburg)
        shared = sb.world.new_invite_link(berlin.group, berlin.owner, creates_join_request=True)
        bea = sb.create_user("Bea")
        sb.request_join(bea, shared.link)
        await berlin.settle()
        assert "reply with your invite code" in last_text(sb, bea)
        sb.send_text(bea, bea, other)
        await berlin.settle()
        assert "not valid" in last_text(sb, bea)
        assert sb.member_status(berlin.group, bea) != "member"
        assert await hamburg.features.gate.repo.seat(bea.id) is None
        # /join with a Berlin code in private: Berlin's seat.
        (mine,) = await make_codes(berlin)
        cai = sb.create_user("Cai")
        await say(berlin, cai, f"/join {mine}")
        msg, data = accept_button(sb, cai)
        sb.press_button(cai, msg, data)
        await berlin.settle()
        assert await berlin.features.gate.repo.seat(cai.id) is not None
        assert await hamburg.features.gate.repo.seat(cai.id) is None


async def test_a_member_of_both_is_asked_which_club_and_gets_that_clubs_answer(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db", clubs=RULES) as (berlin, hamburg):
        sb = berlin.sandbox
        only_berlin = await admitted(berlin, "Oda")
        assert "Berlin rule: bring rye." in await say(berlin, only_berlin, "/rules")

        eve = await both(berlin, hamburg, "Eve")
        question = await say(berlin, eve, "/rules")
        assert "Which club" in question
        asked = sb.bot_messages(eve)[-1]
        assert button_pairs(asked) == [
            ("Berlin Bakery Club", "v1:club:berlin"),
            ("Hamburg Bakery Club", "v1:club:hamburg"),
        ]
        sb.press_button(eve, asked, "v1:club:hamburg")
        await hamburg.settle()
        assert "Hamburg rule: fish buns on Fridays." in last_text(sb, eve)
        assert "Berlin rule" not in last_text(sb, eve)

        # A forged press (a modified client) for a club Oda does not belong to runs nothing.
        own = sb.bot_messages(only_berlin)[-1]
        before = len(sb.bot_messages(only_berlin))
        qid = forged_press(sb, only_berlin, own, "v1:club:hamburg")
        await berlin.settle()
        (answer,) = [a for a in sb.callback_answers if a.get("callback_query_id") == qid]
        assert "not a member of that club" in answer.get("text", "")
        assert len(sb.bot_messages(only_berlin)) == before


# Slow set; same path: test_a_member_of_both_is_asked_which_club_and_gets_that_clubs_answer
@pytest.mark.slow
async def test_mydata_of_a_member_of_both_comes_from_the_chosen_club(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await both(berlin, hamburg, "Eve")
        sb.send_text(eve, hamburg.group, "Hamburg-only words about Franzbrötchen")
        await hamburg.settle()
        for club, present in ((berlin, False), (hamburg, True)):
            await say(berlin, eve, "/mydata")
            sb.press_button(eve, sb.bot_messages(eve)[-1], f"v1:club:{club.key}")
            await sb.wait_for(lambda: sb.bot_messages(eve)[-1].document is not None)
            await club.settle()
            document = sb.bot_messages(eve)[-1].document
            assert document is not None
            exported = json.loads(document[1])
            words = json.dumps(exported["tables"], ensure_ascii=False)
            assert ("Franzbrötchen" in words) is present


async def test_forgetme_can_leave_one_club_or_all(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await both(berlin, hamburg, "Eve")
        await say(berlin, eve, "/forgetme")
        asked = sb.bot_messages(eve)[-1]
        assert [data for _, data in button_pairs(asked)] == [
            "v1:club:berlin",
            "v1:club:hamburg",
            "v1:club:*",
        ]
        # One club: Hamburg's own confirmation, then only Hamburg forgets her.
        sb.press_button(eve, asked, "v1:club:hamburg")
        await hamburg.settle()
        confirm = sb.bot_messages(eve)[-1]
        sb.press_button(eve, confirm, "v1:forget:yes@hamburg")
        await hamburg.settle()
        assert sb.member_status(hamburg.group, eve) != "member"
        assert await hamburg.features.gate.repo.seat(eve.id) is None
        assert await is_member(berlin.services.db, eve.id)

        fay = await both(berlin, hamburg, "Fay")
        await say(berlin, fay, "/forgetme")
        sb.press_button(fay, sb.bot_messages(fay)[-1], "v1:club:*")
        await berlin.settle()
        confirm_all = sb.bot_messages(fay)[-1]
        sb.press_button(fay, confirm_all, "v1:club:*:yes")
        sb.press_button(fay, confirm_all, "v1:club:*:no")  # a second tap before the edit came
        await berlin.settle()
        assert "Everything stored about you" in last_text(sb, fay)  # the first answer stands
        for club in (berlin, hamburg):
            assert sb.member_status(club.group, fay) != "member"
            assert await club.features.gate.repo.seat(fay.id) is None


async def test_a_moderator_of_one_club_has_no_power_in_the_other(tmp_path: Path) -> None:
    mods = {"berlin": {"moderators": [2**32 + 7]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=mods) as (berlin, hamburg):
        sb = berlin.sandbox
        mod = sb.create_user("Mo", user_id=2**32 + 7)
        sb.add_member(berlin.group, mod)
        sb.add_member(hamburg.group, mod)
        # In private, /newcodes is Berlin's: the only club Mo moderates.
        assert "code" in (await say(berlin, mod, "/newcodes 1")).lower()
        assert len(await berlin.features.gate.repo.list_codes()) == 1
        assert await hamburg.features.gate.repo.list_codes() == []
        # In Hamburg's group, Mo's /ban is refused; in Berlin's it works.
        pia = await admitted(hamburg, "Pia")
        said = sb.send_text(pia, hamburg.group, "hello")
        sb.send_text(mod, hamburg.group, "/ban spam", reply_to=said)
        await hamburg.settle()
        assert sb.member_status(hamburg.group, pia) == "member"
        assert "Only moderators" in last_text(sb, hamburg.group)
        rex = await admitted(berlin, "Rex")
        said = sb.send_text(rex, berlin.group, "hello")
        sb.send_text(mod, berlin.group, "/ban spam", reply_to=said)
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "kicked"


async def test_shared_bans_carry_a_ban_to_the_other_club(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db", brand={"shared_bans": True}) as (
        berlin,
        hamburg,
    ):
        sb = berlin.sandbox
        rex = await both(berlin, hamburg, "Rex")
        said = sb.send_text(rex, berlin.group, "spam spam")
        sb.send_text(berlin.owner, berlin.group, "/ban spam", reply_to=said)
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "kicked"
        assert sb.member_status(hamburg.group, rex) == "kicked"
        log = await hamburg.features.moderation.modlog_text(5)
        assert "Berlin Bakery Club" in log


@pytest.mark.slow  # same rule: tests/e2e/test_clubs_shared_bans.py
async def test_a_shared_ban_is_lifted_where_it_was_shared_but_a_clubs_own_ban_stays(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db", brand={"shared_bans": True}) as (
        berlin,
        hamburg,
    ):
        sb = berlin.sandbox
        rex = await both(berlin, hamburg, "Rex")
        said = sb.send_text(rex, berlin.group, "spam spam")
        sb.send_text(berlin.owner, berlin.group, "/ban spam", reply_to=said)
        await berlin.settle()
        assert sb.member_status(hamburg.group, rex) == "kicked"
        sb.send_text(berlin.owner, berlin.group, f"/unban {rex.id}")
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "left"
        assert sb.member_status(hamburg.group, rex) == "left"  # Berlin's ban, lifted there too
        assert "shared unban from Berlin Bakery Club" in (
            await hamburg.features.moderation.modlog_text(5)
        )

        # Hamburg bans Ida itself; Berlin's ban and unban of her leave Hamburg's ban alone.
        ida = await both(berlin, hamburg, "Ida")
        said = sb.send_text(ida, hamburg.group, "spam")
        sb.send_text(hamburg.owner, hamburg.group, "/ban spam", reply_to=said)
        await hamburg.settle()
        sb.send_text(berlin.owner, berlin.group, f"/unban {ida.id}")
        await berlin.settle()
        assert sb.member_status(hamburg.group, ida) == "kicked"
        assert sb.member_status(berlin.group, ida) == "left"


async def test_without_shared_bans_a_ban_stays_in_its_club(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        rex = await both(berlin, hamburg, "Rex")
        said = sb.send_text(rex, berlin.group, "spam spam")
        sb.send_text(berlin.owner, berlin.group, "/ban spam", reply_to=said)
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "kicked"
        assert sb.member_status(hamburg.group, rex) == "member"


COMBINED_CHAT_ID = -1005550000000


async def test_each_brand_chat_gets_only_its_clubs_digest(tmp_path: Path) -> None:
    async with simulated_clubs(
        tmp_path / "club.db",
        digest={"time": "09:00"},
        gate={"strict": False},
        brand={"combined_digest_chat_id": COMBINED_CHAT_ID},
    ) as (berlin, hamburg):
        sb = berlin.sandbox
        head_office = sb.create_supergroup("Head office", chat_id=COMBINED_CHAT_ID)
        sb.make_bot_admin(head_office)
        await berlin.advance(timedelta(hours=2))
        ada = sb.create_user("Ada")
        sb.add_member(berlin.group, ada)
        sb.send_text(ada, berlin.group, "The pretzel crust is amazing")
        for name in ("Hal", "Ida", "Jo"):
            person = sb.create_user(name)
            sb.add_member(hamburg.group, person)
            sb.send_text(person, hamburg.group, "Franzbrötchen forever, so good")
        await berlin.settle()
        berlin.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await berlin.tick()

        def digest_in(club: SimulatedClub) -> str:
            texts = [m.text or "" for m in sb.bot_messages(club.brand) if m.text]
            found = [text for text in texts if "Daily digest" in text]
            assert len(found) == 1, texts
            return found[0]

        berlin_digest, hamburg_digest = digest_in(berlin), digest_in(hamburg)
        assert "Messages: 1 from 1 member" in berlin_digest
        assert "Messages: 3 from 3 members" in hamburg_digest
        assert "Berlin Bakery Club" in berlin_digest and "Hamburg" not in berlin_digest
        assert "Hamburg Bakery Club" in hamburg_digest and "Berlin" not in hamburg_digest
        # The head office gets both side by side, once, figures without quotes.
        await berlin.tick()
        sent = [m.text or "" for m in sb.bot_messages(head_office)]
        (combined,) = sent
        assert "All clubs" in combined
        table = combined.splitlines()
        assert "Berlin Bakery Club" in table[1] and "Hamburg Bakery Club" in table[1]
        messages_row = next(line for line in table if line.startswith("Messages"))
        assert messages_row.split()[1:] == ["1", "3"]
        # Three scored messages are too few for a percentage: counts, and the note says so.
        positive_row = next(line for line in table if line.startswith("Positive"))
        assert "%" not in positive_row and positive_row.split()[1:] == ["1", "3"]
        assert "Counts, not percentages, where fewer than 10 messages were scored." in combined
        assert "Franzbrötchen" not in combined and "pretzel" not in combined


@pytest.mark.slow(reason="the whole two-club demo; each of its scenes is a test above")
async def test_the_two_club_demo_plays_both_clubs() -> None:
    out = io.StringIO()
    assert await run_clubs_demo(out=out) == 0
    story = out.getvalue()
    assert "Which club is this for?" in story
    assert "Franzbrötchen on Fridays" in story  # Eve chose Hamburg: Hamburg's rules
    assert "Spam in Hamburg Bakery Club: kicked" in story  # the shared ban
    assert "Daily digest · Berlin Bakery Club" in story
    assert "Daily digest · Hamburg Bakery Club" in story
    assert "All clubs, Tuesday, December 1, 2026" in story


async def test_the_second_clubs_group_upgrade_is_followed_by_the_second_club(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db", gate={"strict": False}) as (berlin, hamburg):
        sb = berlin.sandbox
        new_id = -1007777777777
        upgraded = sb.migrate_group_to_supergroup(hamburg.group, new_id)
        await hamburg.settle()
        assert hamburg.services.chats.community_id == new_id
        assert berlin.services.chats.community_id != new_id
        # Members' words in the upgraded group are Hamburg's from now on.
        hal = sb.create_user("Hal")
        sb.add_member(upgraded, hal)
        sb.send_text(hal, upgraded, "Franzbrötchen in the new supergroup")
        await hamburg.settle()
        assert await hamburg.features.feedback.repo.count(new_id) == 1
        assert await berlin.features.feedback.repo.count(new_id) == 0


async def test_a_slash_and_only_spaces_in_private_gets_an_answer(tmp_path: Path) -> None:
    """With several clubs the router reads the command of a private message; "/" followed by
    nothing but an ideographic space used to raise there, and the update was dropped."""
    async with simulated_clubs(tmp_path / "club.db") as (berlin, _hamburg):
        sb = berlin.sandbox
        ada = sb.create_user("Ada")
        sb.start_bot(ada)
        await berlin.settle()
        before = len(sb.bot_messages(ada))
        sb.send_text(ada, ada, "/\u3000")
        await berlin.settle()
        assert len(sb.bot_messages(ada)) > before


async def test_the_combined_digest_catches_up_the_days_the_bot_was_down(tmp_path: Path) -> None:
    async with simulated_clubs(
        tmp_path / "club.db",
        digest={"time": "09:00", "chart": False},
        gate={"strict": False},
        brand={"combined_digest_chat_id": COMBINED_CHAT_ID},
    ) as (berlin, _hamburg):
        sb = berlin.sandbox
        head_office = sb.create_supergroup("Head office", chat_id=COMBINED_CHAT_ID)
        sb.make_bot_admin(head_office)
        berlin.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await berlin.tick()  # the combined digest of 1 December
        # Down from 2 to 5 December: each club's own digest catches up 2-4 December on
        # start, and so does the combined one.
        berlin.clock.set(datetime(2026, 12, 5, 9, 1, tzinfo=UTC))
        await berlin.restart()
        await berlin.tick()
        own = [
            m.text.splitlines()[1]
            for m in sb.bot_messages(berlin.brand)
            if m.text and "Daily digest" in m.text
        ]
        combined = [m.text for m in sb.bot_messages(head_office) if m.text]
        assert len(own) == 4
        assert len(combined) == len(own)
