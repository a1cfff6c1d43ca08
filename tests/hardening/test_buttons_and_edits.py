"""Edits never re-run a command; every button press is answered; forged ids stay harmless;
a rating counts only from a seated member pressing the preview's own message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo.simulation import simulated_club
from bot.sandbox import SentMessage
from tests.e2e.helpers import admitted
from tests.hardening.helpers import answer_to, forge_press

# A plausible argument for each command, so the edit would do real work if it ran again.
ARGS = {
    "warn": "{ada} spam",
    "mute": "{ada} 1h",
    "kick": "{ada}",
    "ban": "{ada}",
    "unban": "{ada}",
    "unmute": "{ada}",
    "newcodes": "1 1 edited",
    "poll": "Best? | A | B",
    "poll_close": "1",
    "revoke": "edited",
    "preview_cancel": "1",
    "modlog": "5",
    "digest": "",
    "join": "7K3Q-M9XP-4HRT",
}

GROUP_COMMANDS = {"warn", "mute", "unmute", "kick", "ban", "unban", "poll", "rules", "help"}


def _api_calls(club: object) -> list[str]:
    return [r.method for r in club.sandbox.requests if r.method != "getUpdates"]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_editing_any_command_never_runs_it_again(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        names = sorted({spec.name for spec in club.app.commands} | {"start"})
        assert {"warn", "kick", "ban", "poll", "forgetme", "mydata"} <= set(names)
        sent: list[SentMessage] = []
        sb.start_bot(club.owner)
        for name in names:
            if name in ("forgetme",):
                continue  # a button follows; its own press is tested elsewhere
            text = f"/{name} {ARGS.get(name, '')}".format(ada=ada.id).strip()
            # Every command privately; those meant for the group there too (the group's
            # sending budget is 20 messages a minute, so not all of them twice).
            sent.append(sb.send_text(club.owner, club.owner, text))
            if name in GROUP_COMMANDS:
                sent.append(sb.send_text(club.owner, club.group, text))
            await club.settle()
        # /forgetme in a private chat of a person who is not a member.
        stranger = sb.create_user("Stan")
        sb.start_bot(stranger)
        sent.append(sb.send_text(stranger, stranger, "/forgetme"))
        await club.settle()
        warnings = await club.services.db.fetchall("SELECT * FROM warnings")
        before = _api_calls(club)

        for message in sent:
            sb.edit_text(message, (message.text or "") + " ")
        await club.settle()

        assert _api_calls(club) == before, "an edit made the bot act again"
        assert await club.services.db.fetchall("SELECT * FROM warnings") == warnings


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_warn_edit_at_the_limit_does_not_mute(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", moderation={"warn_limit": 2}) as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        sb.send_text(club.owner, club.group, f"/warn {ada.id} one")
        await club.settle()
        second = sb.send_text(club.owner, club.group, f"/warn {ada.id} two")
        await club.settle()
        assert sb.member_status(club.group, ada) == "restricted"
        sb.send_text(club.owner, club.group, f"/unmute {ada.id}")
        await club.settle()
        first_count = len(await club.services.db.fetchall("SELECT * FROM warnings"))
        sb.edit_text(second, f"/warn {ada.id} two!")
        await club.settle()
        assert sb.member_status(club.group, ada) == "member"
        assert len(await club.services.db.fetchall("SELECT * FROM warnings")) == first_count


async def test_every_callback_is_answered_even_unknown_or_forged(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = sb.create_user("Ada")
        sb.start_bot(ada)
        await club.settle()
        anchor = sb.bot_messages(ada)[-1]
        forged = [
            "v0:old:keyboard",
            "garbage",
            "v1:gate:accept:99999999999999999999999",
            "v1:gate:accept:-5",
            "v1:pv:rate:99999999999999999999999:5",
            "v1:pv:rate:1:99999999999999999999999",
            "v1:pv:info:99999999999999999999999",
            "v1:pv:cancel:99999999999999999999999",
            "v1:forget:maybe",
        ]
        ids = [forge_press(club, ada, anchor, data) for data in forged]
        ids.append(forge_press(club, ada, None, "v1:pv:rate:1:5"))  # no message at all
        await club.settle()
        for data, qid in zip([*forged, "no message"], ids, strict=True):
            assert answer_to(club, qid) is not None, f"{data!r} left a spinner"
        stale = answer_to(club, ids[0])
        assert stale is not None and "no longer active" in str(stale["text"])


async def test_huge_ids_in_commands_get_a_clear_answer(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        huge = "9" * 40
        sb.start_bot(club.brand_manager)
        for command in (
            f"/poll_close {huge}",
            f"/revoke {huge}",
            f"/preview_cancel {huge}",
            f"/mute {sb.create_user('Eve').id} {huge}d",
            f"/newcodes 1 {huge}",
        ):
            before = len(sb.bot_messages(club.owner)) + len(sb.bot_messages(club.group))
            sb.send_text(club.owner, club.group, command)
            await sb.wait_for(
                lambda b=before: (
                    len(sb.bot_messages(club.owner)) + len(sb.bot_messages(club.group)) > b
                ),
                message=f"no answer to {command}",
            )
            await club.settle()
        # The brand team's /verdict, in private (it used to raise on a 40-digit id).
        before = len(sb.bot_messages(club.brand_manager))
        sb.send_text(club.brand_manager, club.brand_manager, f"/verdict {huge}")
        await sb.wait_for(
            lambda: len(sb.bot_messages(club.brand_manager)) > before,
            message="no answer to /verdict",
        )


async def test_forged_ratings_do_not_count(tmp_path: Path) -> None:
    from tests.e2e.test_previews import published, write_preview

    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        await write_preview(club, "/preview now --title Croissant")
        [preview] = published(club)
        # Four accounts that only pressed Start, a forged press on another message, and a
        # forged press on no message: none counts.
        strangers = [sb.create_user(f"Sock{i}") for i in range(4)]
        qids = []
        for sock in strangers:
            sb.start_bot(sock)
            qids.append(forge_press(club, sock, preview, "v1:pv:rate:1:5"))
        other = sb.bot_messages(ada)[-1]
        qids.append(forge_press(club, ada, other, "v1:pv:rate:1:1"))
        qids.append(forge_press(club, ada, None, "v1:pv:rate:1:1"))
        await club.settle()
        assert all(answer_to(club, q) is not None for q in qids)
        rows = await club.services.db.fetchall("SELECT * FROM preview_ratings")
        assert rows == []
        # Ada, seated, pressing the preview itself: counts.
        sb.press_button(ada, preview, "v1:pv:rate:1:4")
        await club.settle()
        rows = await club.services.db.fetchall("SELECT user_id, stars FROM preview_ratings")
        assert [(r[0], r[1]) for r in rows] == [(ada.id, 4)]
