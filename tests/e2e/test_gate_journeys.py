"""The gate end to end through the sandbox: both ways in, expiry, waitlist, strict gate."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.gate import is_member, member_ids
from bot.gate.service import GateService
from bot.sandbox import Sandbox, SentMessage, SimUser
from bot.simulation import SimulatedClub, simulated_club


def gate_of(club: SimulatedClub) -> GateService:
    return club.services.feature("gate", GateService)


async def make_codes(
    club: SimulatedClub, count: int = 1, uses: int = 1, label: str = "flyer"
) -> list[str]:
    return await gate_of(club).create_codes(count, uses, label, None, club.owner.id)


def last_text(sb: Sandbox, user: SimUser) -> str:
    messages = sb.bot_messages(user)
    return (messages[-1].text or "") if messages else ""


def buttons(msg: SentMessage) -> list[dict[str, Any]]:
    rows = (msg.reply_markup or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def accept_button(sb: Sandbox, user: SimUser) -> tuple[SentMessage, str]:
    for msg in reversed(sb.bot_messages(user)):
        for button in buttons(msg):
            if str(button.get("callback_data", "")).startswith("v1:gate:accept:"):
                return msg, str(button["callback_data"])
    raise AssertionError(f"no Accept button for {user.first_name}")


def join_link(sb: Sandbox, user: SimUser) -> str:
    for msg in reversed(sb.bot_messages(user)):
        for button in buttons(msg):
            if button.get("url"):
                return str(button["url"])
    raise AssertionError(f"no invite link for {user.first_name}")


async def redeem(club: SimulatedClub, user: SimUser, code: str) -> None:
    """Open the deep link with the code and accept the notice."""
    sb = club.sandbox
    sb.start_bot(user, code)
    await club.settle()
    msg, data = accept_button(sb, user)
    sb.press_button(user, msg, data)
    await club.settle()


async def test_deep_link_accept_join(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club, label="flyer")
        ada = sb.create_user("Ada")
        sb.start_bot(ada, code)
        await club.settle()
        assert "What the club stores" in last_text(sb, ada)
        msg, data = accept_button(sb, ada)
        assert len(data.encode()) <= 64
        sb.press_button(ada, msg, data)
        await club.settle()
        link = join_link(sb, ada)
        invite = next(li for li in sb.invite_links(club.group) if li.link == link)
        assert invite.member_limit == 1 and invite.name == "flyer"
        assert invite.expire_date is not None
        seat = await gate_of(club).repo.seat(ada.id)
        assert seat is not None and seat.state == "reserved" and seat.consent_at is not None
        sb.join_via_link(ada, link)
        await club.settle()
        assert sb.member_status(club.group, ada) == "member"
        assert await is_member(club.services.db, ada.id)
        assert await member_ids(club.services.db) == [ada.id]
        assert invite.is_revoked
        assert "The rules" in last_text(sb, ada)
        # Nothing about the join was posted in the group by the bot.
        assert sb.bot_messages(club.group) == []
