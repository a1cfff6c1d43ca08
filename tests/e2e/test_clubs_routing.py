"""Two clubs: a private button or a "Which club?" answer reaches the club it belongs to, and
runs exactly what was asked (bot.context.routing, bot.core.club_buttons)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from telegram import CallbackQuery, Chat, Message, Update, User

from bot.core.concurrency import KeyedUpdateProcessor
from bot.demo.simulation import SimulatedClub, simulated_clubs
from bot.gate import is_member
from bot.sandbox import SentMessage, SimUser
from tests.e2e.helpers import accept_button, admitted, buttons, last_with, make_codes, say
from tests.e2e.test_clubs import RULES, both, forged_press

BEN = 2**32 + 5151  # brand team of both clubs
MO = 2**32 + 6161  # moderator of both clubs


def answer_to(berlin: SimulatedClub, qid: str) -> str:
    (answer,) = [a for a in berlin.sandbox.callback_answers if a["callback_query_id"] == qid]
    return str(answer.get("text") or "")


async def asked_which_club(berlin: SimulatedClub, user: SimUser, command: str) -> SentMessage:
    assert "Which club" in await say(berlin, user, command)
    return berlin.sandbox.bot_messages(user)[-1]


async def test_a_preview_scheduled_after_which_club_keeps_the_message_it_replied_to(
    tmp_path: Path,
) -> None:
    team = {"berlin": {"brand_team": [BEN]}, "hamburg": {"brand_team": [BEN]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=team) as (berlin, hamburg):
        sb = berlin.sandbox
        ben = sb.create_user("Ben", user_id=BEN)
        sb.start_bot(ben)
        await berlin.settle()
        winter = sb.send_photo(ben, ben, caption="Hamburg's winter Franzbroetchen")
        sb.send_text(ben, ben, "/preview in 2h --title Winter", reply_to=winter)
        await sb.wait_for(lambda: "Which club" in (sb.bot_messages(ben)[-1].text or ""))
        sb.press_button(ben, sb.bot_messages(ben)[-1], "v1:club:hamburg")
        await sb.wait_for(lambda: bool(hamburg_previews_cancel(berlin, ben)))
        await hamburg.settle()
        (scheduled,) = await hamburg.features.previews.repo.scheduled()
        assert scheduled.title == "Winter"
        assert scheduled.source_message_ids == (winter.message_id,)
        assert await berlin.features.previews.repo.scheduled() == []

        # Berlin's preview 1 as well; then Cancel under Hamburg's confirmation cancels
        # Hamburg's preview 1, though Ben dealt with Berlin last.
        rye = sb.send_photo(ben, ben, caption="Berlin's rye")
        sb.send_text(ben, ben, "/preview in 3h --title Rye", reply_to=rye)
        await sb.wait_for(lambda: "Which club" in (sb.bot_messages(ben)[-1].text or ""))
        sb.press_button(ben, sb.bot_messages(ben)[-1], "v1:club:berlin")
        await berlin.settle()
        (rye_preview,) = await berlin.features.previews.repo.scheduled()
        assert rye_preview.id == scheduled.id
        message, data = hamburg_previews_cancel(berlin, ben)[0]
        assert data == f"v1:pv:cancel:{scheduled.id}@hamburg"
        sb.press_button(ben, message, data)
        await hamburg.settle()
        await berlin.settle()
        assert await hamburg.features.previews.repo.scheduled() == []
        assert [p.title for p in await berlin.features.previews.repo.scheduled()] == ["Rye"]


def hamburg_previews_cancel(berlin: SimulatedClub, ben: SimUser) -> list[tuple[SentMessage, str]]:
    return [
        (m, str(b["callback_data"]))
        for m in berlin.sandbox.bot_messages(ben)
        for b in buttons(m)
        if str(b.get("callback_data", "")).endswith("@hamburg")
    ]


async def test_each_which_club_question_runs_its_own_command(tmp_path: Path) -> None:
    mods = {"berlin": {"moderators": [MO]}, "hamburg": {"moderators": [MO]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=mods) as (berlin, _hamburg):
        sb = berlin.sandbox
        eve = await admitted(berlin, "Eve")
        mo = sb.create_user("Mo", user_id=MO)
        sb.start_bot(mo)
        await berlin.settle()
        mute_question = await asked_which_club(berlin, mo, f"/mute {eve.id} 1h")
        kick_question = await asked_which_club(berlin, mo, f"/kick {eve.id}")
        # Mo answers the first question (the mute) first: Eve is muted, not removed.
        sb.press_button(mo, mute_question, "v1:club:berlin")
        await sb.wait_for(lambda: "Eve" in (sb.bot_messages(mo)[-1].text or ""))
        await berlin.settle()
        assert sb.member_status(berlin.group, eve) == "restricted"
        # The second question still holds the kick.
        sb.press_button(mo, kick_question, "v1:club:berlin")
        await sb.wait_for(lambda: "removed" in (sb.bot_messages(mo)[-1].text or ""))
        await berlin.settle()
        assert sb.member_status(berlin.group, eve) != "member"
        assert "expired" not in (kick_question.text or "")


async def test_a_second_tap_on_an_answered_question_is_told_so(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db", clubs=RULES) as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await both(berlin, hamburg, "Eve")
        question = await asked_which_club(berlin, eve, "/rules")
        sb.press_button(eve, question, "v1:club:hamburg")
        second = sb.press_button(eve, question, "v1:club:hamburg")  # before the edit came
        await sb.wait_for(lambda: "fish buns" in (sb.bot_messages(eve)[-1].text or ""))
        await hamburg.settle()
        await berlin.settle()
        rules = [m for m in sb.bot_messages(eve) if "Rules of Hamburg" in (m.text or "")]
        assert len(rules) == 1
        assert question.text == "Hamburg Bakery Club"  # as the first tap left it
        assert answer_to(berlin, second) == "You have already answered this question."


async def test_accept_under_a_notice_goes_to_the_club_of_its_code(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        (berlin_code,) = await make_codes(berlin)
        (hamburg_code,) = await make_codes(hamburg)
        ada = sb.create_user("Ada")
        sb.start_bot(ada)
        await berlin.settle()
        await say(berlin, ada, f"/join {berlin_code}")
        berlin_notice, accept = last_with(berlin, ada, "v1:gate:accept:")
        assert accept.endswith("@berlin")
        await say(berlin, ada, f"/join {hamburg_code}")  # Hamburg's notice: the last club
        sb.press_button(ada, berlin_notice, accept)
        await sb.wait_for(lambda: "Berlin Bakery Club" in (berlin_notice.text or ""))
        await berlin.settle()
        await hamburg.settle()
        assert await berlin.features.gate.repo.seat(ada.id) is not None
        assert await hamburg.features.gate.repo.seat(ada.id) is None


async def test_yes_under_a_clubs_forget_question_erases_in_that_club(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db", clubs=RULES) as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await both(berlin, hamburg, "Eve")
        sb.press_button(eve, await asked_which_club(berlin, eve, "/forgetme"), "v1:club:berlin")
        await berlin.settle()
        question, yes = last_with(berlin, eve, "v1:forget:yes")
        assert yes == "v1:forget:yes@berlin"
        # Before answering she looks up Hamburg's rules: Hamburg is the club she dealt with last.
        sb.press_button(eve, await asked_which_club(berlin, eve, "/rules"), "v1:club:hamburg")
        await sb.wait_for(lambda: "fish buns" in (sb.bot_messages(eve)[-1].text or ""))
        await hamburg.settle()
        sb.press_button(eve, question, yes)
        second = sb.press_button(eve, question, yes)  # a double tap, as the first is erasing
        await sb.wait_for(lambda: "has forgotten you" in (question.text or ""))
        await berlin.settle()
        await hamburg.settle()
        assert not await is_member(berlin.services.db, eve.id)
        assert await is_member(hamburg.services.db, eve.id)
        assert answer_to(berlin, second) == "You have already answered this question."


async def test_a_button_naming_a_club_that_never_dealt_with_the_presser_runs_nothing(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        oda = await admitted(berlin, "Oda")  # Berlin only: /forgetme asks for Berlin at once
        await say(berlin, oda, "/forgetme")
        question, yes = last_with(berlin, oda, "v1:forget:yes")
        assert yes == "v1:forget:yes@berlin"
        # A modified client names Hamburg, which never asked her anything.
        forged = forged_press(sb, oda, question, "v1:forget:yes@hamburg")
        await berlin.settle()
        await hamburg.settle()
        assert answer_to(berlin, forged) == "This button no longer works."
        assert await is_member(berlin.services.db, oda.id)
        assert "Forget me?" in (question.text or "")
        # Her own button still works.
        sb.press_button(oda, question, yes)
        await sb.wait_for(lambda: "has forgotten you" in (question.text or ""))
        await berlin.settle()
        assert not await is_member(berlin.services.db, oda.id)


async def test_all_clubs_tapped_after_a_club_was_chosen_leaves_the_answer_as_it_is(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await both(berlin, hamburg, "Eve")
        question = await asked_which_club(berlin, eve, "/forgetme")
        sb.press_button(eve, question, "v1:club:hamburg")
        late = sb.press_button(eve, question, "v1:club:*")  # her phone still showed it
        await hamburg.settle()
        await berlin.settle()
        assert question.text == "Hamburg Bakery Club"
        assert answer_to(berlin, late) == "You have already answered this question."
        last_with(hamburg, eve, "v1:forget:yes@hamburg")  # Hamburg's own question came


async def test_a_button_naming_a_club_no_longer_served_acts_in_no_other_club(
    tmp_path: Path,
) -> None:
    """A Cancel made by a club since removed from the configuration (its key is no club's
    now) is a stale button: the club Ben dealt with last does not cancel its own preview of
    the same number."""
    team = {"berlin": {"brand_team": [BEN]}, "hamburg": {"brand_team": [BEN]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=team) as (berlin, _hamburg):
        sb = berlin.sandbox
        ben = sb.create_user("Ben", user_id=BEN)
        sb.start_bot(ben)
        await berlin.settle()
        rye = sb.send_photo(ben, ben, caption="Berlin's rye")
        sb.send_text(ben, ben, "/preview in 3h --title Rye", reply_to=rye)
        await sb.wait_for(lambda: "Which club" in (sb.bot_messages(ben)[-1].text or ""))
        sb.press_button(ben, sb.bot_messages(ben)[-1], "v1:club:berlin")
        await berlin.settle()
        (rye_preview,) = await berlin.features.previews.repo.scheduled()
        qid = forged_press(
            sb, ben, sb.bot_messages(ben)[-1], f"v1:pv:cancel:{rye_preview.id}@munich"
        )
        await berlin.settle()
        assert [p.title for p in await berlin.features.previews.repo.scheduled()] == ["Rye"]
        assert "out of date" in answer_to(berlin, qid)


async def test_a_code_for_one_club_works_while_a_join_request_waits_in_the_other(
    tmp_path: Path,
) -> None:
    """Bea asked to join Hamburg's group (Hamburg waits for her code), then opens Berlin's
    deep link: Berlin's code is Berlin's, not a wrong guess at Hamburg's; a command she sends
    meanwhile is no code for Hamburg either."""
    async with simulated_clubs(tmp_path / "club.db", clubs=RULES) as (berlin, hamburg):
        sb = berlin.sandbox
        asking = sb.world.new_invite_link(hamburg.group, hamburg.owner, creates_join_request=True)
        bea = sb.create_user("Bea")
        sb.request_join(bea, asking.link)
        await hamburg.settle()
        assert bea.id in hamburg.features.gate.awaiting_code
        (code,) = await make_codes(berlin)
        sb.start_bot(bea, code)
        await berlin.settle()
        _message, data = accept_button(sb, bea)
        assert data.endswith("@berlin")
        assert bea.id in hamburg.features.gate.awaiting_code


async def test_an_answer_to_which_club_is_ordered_with_the_member_its_command_names(
    tmp_path: Path,
) -> None:
    """Mo's "/ban <Eve>" waits for "Which club?"; the tap runs it, so the tap must be ordered
    with Eve's own updates (her /forgetme leaving the group, a chat_member change), as the
    command itself would have been (bot.core.concurrency)."""
    mods = {"berlin": {"moderators": [MO]}, "hamburg": {"moderators": [MO]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=mods) as (berlin, _hamburg):
        sb = berlin.sandbox
        eve = await admitted(berlin, "Eve")
        mo = sb.create_user("Mo", user_id=MO)
        sb.start_bot(mo)
        await berlin.settle()
        question = await asked_which_club(berlin, mo, f"/ban {eve.id} spam")
        tap = Update(
            10**6,
            callback_query=CallbackQuery(
                "tap",
                User(MO, "Mo", is_bot=False),
                "instance",
                message=Message(
                    question.message_id, datetime.now(UTC), Chat(MO, Chat.PRIVATE), text="?"
                ),
                data="v1:club:berlin",
            ),
        )
        processor = berlin.app.update_processor
        assert isinstance(processor, KeyedUpdateProcessor)
        assert processor.more_keys is not None
        assert ("user", eve.id) in processor.more_keys(tap)


async def test_a_moderator_of_one_club_and_member_of_another_is_not_asked_for_mod_commands(
    tmp_path: Path,
) -> None:
    """Mo moderates Berlin and has a seat in Hamburg: his /ban can only be Berlin's, so he is
    not asked "Which club?" (a Hamburg tap could only answer "Only moderators ...")."""
    mods = {"berlin": {"moderators": [MO]}}
    async with simulated_clubs(tmp_path / "club.db", clubs=mods) as (berlin, hamburg):
        sb = berlin.sandbox
        eve = await admitted(berlin, "Eve")
        mo = await admitted(hamburg, "Mo", user_id=MO)
        answer = await say(berlin, mo, f"/ban {eve.id} spam")
        assert "Which club" not in answer
        assert "banned" in answer
        assert sb.member_status(berlin.group, eve) == "kicked"
        # A command for members still asks: Mo belongs to both.
        assert "Which club" in await say(berlin, mo, "/rules")
