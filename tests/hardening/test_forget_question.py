"""/forgetme's Yes / No question is answered once: the first press wins, a later one on the
same message changes nothing and says so, also after a restart."""

from __future__ import annotations

from pathlib import Path

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SentMessage, SimUser
from tests.e2e.helpers import admitted, every_value, last_with
from tests.hardening.helpers import answer_to, forge_press

# The buttons name the club that asked (bot.core.club_buttons); one club's key is "main".
YES, NO = "v1:forget:yes@main", "v1:forget:no@main"
ALREADY = "You have already answered this question."


async def asked(club: SimulatedClub, ada: SimUser) -> SentMessage:
    """Ada, who has said something in the group, sends /forgetme: the question."""
    sb = club.sandbox
    sb.start_bot(ada)
    sb.send_text(ada, club.group, "The cardamom knots were lovely this morning")
    sb.send_text(ada, ada, "/forgetme")
    await club.settle()
    question, _ = last_with(club, ada, YES)
    return question


async def seated(club: SimulatedClub, ada: SimUser) -> bool:
    return await club.features.gate.repo.seat(ada.id) is not None


async def test_yes_then_no_before_the_edit_arrived(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        sb.press_button(ada, question, YES)
        late_no = sb.press_button(ada, question, NO)  # her phone still showed the buttons
        await club.settle()
        assert not await seated(club, ada)  # the Yes erased her
        assert "has forgotten you" in (question.text or "")
        assert "Nothing was erased" not in (question.text or "")
        answer = answer_to(club, late_no)
        assert answer is not None and answer.get("text") == ALREADY


async def test_a_second_yes_keeps_the_first_receipt(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        sb.press_button(ada, question, YES)
        second = sb.press_button(ada, question, YES)
        await club.settle()
        receipt = question.text or ""
        assert "your messages and their scores: 1" in receipt
        assert "your membership and consent record: 1" in receipt
        answer = answer_to(club, second)
        assert answer is not None and answer.get("text") == ALREADY
        assert not await seated(club, ada)


async def test_no_then_yes_erases_nothing(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        sb.press_button(ada, question, NO)
        late_yes = sb.press_button(ada, question, YES)
        await club.settle()
        assert await seated(club, ada)
        assert question.text == "Nothing was erased."
        answer = answer_to(club, late_yes)
        assert answer is not None and answer.get("text") == ALREADY


async def test_the_question_remembers_its_answer_over_a_restart(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        sb.press_button(ada, question, NO)
        await club.settle()
        await club.restart()
        # A phone that never got the edit still shows Yes under the question.
        late_yes = forge_press(club, ada, question, YES)
        await club.settle()
        assert await seated(club, ada)
        assert question.text == "Nothing was erased."
        answer = answer_to(club, late_yes)
        assert answer is not None and answer.get("text") == ALREADY


async def test_an_open_question_can_still_be_answered_after_a_restart(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        await club.restart()
        sb.press_button(ada, question, YES)
        await club.settle()
        assert not await seated(club, ada)
        assert "has forgotten you" in (question.text or "")


async def test_a_yes_made_before_buttons_named_their_club_still_works(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = await admitted(club, "Ada")
        question = await asked(club, ada)
        # A question sent by an older version, its Yes without the club: one club, its press.
        forge_press(club, ada, question, "v1:forget:yes")
        await club.settle()
        assert not await seated(club, ada)
        assert "has forgotten you" in (question.text or "")


async def test_what_arrives_after_the_erasure_does_not_store_her_again(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        sb = club.sandbox
        ada = await admitted(club, "Adalberta")
        sb.start_bot(ada)
        said = sb.send_text(ada, club.group, "The cardamom knots were lovely this morning")
        sb.send_text(ada, ada, "/forgetme")
        await club.settle()
        question, _ = last_with(club, ada, YES)
        sb.press_button(ada, question, YES)
        # Sent by her phone before the answer showed: a second Yes, an edit in the group.
        late_yes = sb.press_button(ada, question, YES)
        sb.edit_text(said, "The cardamom knots were lovely this morning, truly")
        await club.settle()
        sb.block_bot(ada)  # then she blocks the bot, as people do after "forget me"
        await club.settle()
        await club.services.db.flush()
        assert "has forgotten you" in (question.text or "")
        assert answer_to(club, late_yes)["text"] == ALREADY
        assert await club.services.people.get(ada.id) is None
        assert [cell for cell in every_value(db_path) if cell[2] == ada.id] == []
        # Something new she does (coming back to the bot) makes her known again.
        sb.unblock_bot(ada)
        sb.send_text(ada, ada, "/start")
        await club.settle()
        await club.services.db.flush()
        person = await club.services.people.get(ada.id)
        assert person is not None and person.can_receive_dm
