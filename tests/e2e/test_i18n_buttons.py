"""Button answers are read by the presser alone: their app's language when the bot speaks
it, else their club's, whichever feature (or none) answers the press."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo.simulation import simulated_club, simulated_clubs
from tests.e2e.helpers import admitted


@pytest.mark.parametrize("app_language", ["fr", None])
async def test_a_press_nothing_answers_falls_back_to_the_club_language(
    tmp_path: Path, app_language: str | None
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "de"}) as club:
        sb = club.sandbox
        lou = await admitted(club, "Lou")
        lou.language_code = app_language  # no French catalog; or no language reported
        msg = sb.bot_messages(lou)[-1]
        # An old keyboard (or a modified client) whose data no feature knows any more.
        msg.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": "v1:zz:1"}]]}
        sb.press_button(lou, msg, "v1:zz:1")
        await club.settle()
        assert sb.callback_answers[-1]["text"] == "Dieser Button ist nicht mehr aktiv."


async def test_a_cancel_press_by_someone_not_allowed_is_refused_in_their_language(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "en"}) as club:
        sb = club.sandbox
        gerd = await admitted(club, "Gerd")
        gerd.language_code = "de"
        msg = sb.bot_messages(gerd)[-1]
        # A modified client sends a preview's cancel data from a member's chat.
        cancel = {"text": "x", "callback_data": "v1:pv:cancel:1"}
        msg.reply_markup = {"inline_keyboard": [[cancel]]}
        sb.press_button(gerd, msg, "v1:pv:cancel:1")
        await club.settle()
        answer = sb.callback_answers[-1]
        assert answer["show_alert"] is True
        assert answer["text"] == (
            "Vorschauen können nur die Moderatoren des Clubs und das Markenteam absagen."
        )


async def test_with_several_clubs_the_fallback_is_the_pressers_club(tmp_path: Path) -> None:
    clubs = {"hamburg": {"language": "de"}}
    async with simulated_clubs(tmp_path / "club.db", clubs=clubs) as (_berlin, hamburg):
        sb = hamburg.sandbox
        lou = await admitted(hamburg, "Lou")  # a member of the German club only
        lou.language_code = "fr"
        msg = sb.bot_messages(lou)[-1]
        msg.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": "v1:zz:1"}]]}
        sb.press_button(lou, msg, "v1:zz:1")
        await hamburg.settle()
        assert sb.callback_answers[-1]["text"] == "Dieser Button ist nicht mehr aktiv."
