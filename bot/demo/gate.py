"""The gate's part of ``python -m bot demo``: codes made, a member let in, a stranger out.

``await gate_demo(club, narrator)`` plays the scene with the demo's Narrator (bot.demo.narrator);
it returns the members who got in, so later scenes can use them.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from bot.demo.simulation import SimulatedClub
from bot.sandbox import SentMessage, SimChat, SimUser

_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


class _Narrator(Protocol):
    def heading(self, title: str) -> None: ...
    def act(self, who: SimUser, where: SimChat | SimUser, what: str) -> None: ...
    def note(self, text: str) -> None: ...
    def replies_seen(self, *chats: SimChat | SimUser) -> None: ...
    async def replies(self, *chats: SimChat | SimUser) -> list[SentMessage]: ...


def _button(messages: list[SentMessage], key: str) -> tuple[SentMessage, dict[str, Any]] | None:
    for message in reversed(messages):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if key in button:
                    return message, button
    return None


async def gate_demo(club: SimulatedClub, narrator: _Narrator) -> list[SimUser]:
    sb = club.sandbox
    owner = club.owner
    narrator.heading("The brand makes invite codes for a flyer campaign")
    sb.start_bot(owner)
    await club.settle()
    narrator.replies_seen(owner)
    sb.send_text(owner, owner, "/newcodes 2 1 flyer 14d")
    narrator.act(owner, owner, "/newcodes 2 1 flyer 14d")
    sent = await narrator.replies(owner)
    codes = _CODE.findall(sent[-1].text or "") if sent else []
    if len(codes) < 2:
        narrator.note("no codes came back; skipping the gate scene")
        return []

    narrator.heading("Ada opens the flyer's link, accepts, and joins")
    ada = sb.create_user("Ada", username="ada_bakes")
    sb.start_bot(ada, codes[0])
    narrator.act(ada, ada, f"opens t.me/{sb.bot_user.username}?start={codes[0]}")
    await narrator.replies(ada)
    found = _button(sb.bot_messages(ada), "callback_data")
    if found is None:
        return []
    message, button = found
    sb.press_button(ada, message, str(button["callback_data"]))
    narrator.act(ada, ada, "taps Accept")
    await narrator.replies(ada)
    link = _button(sb.bot_messages(ada), "url")
    if link is None:
        return []
    sb.join_via_link(ada, str(link[1]["url"]))
    narrator.act(ada, club.group, "joins through her personal link")
    await narrator.replies(ada, club.group)

    narrator.heading("Max has no code; Ada adds him anyway")
    max_ = sb.create_user("Max")
    sb.start_bot(max_)
    narrator.act(max_, max_, "/start")
    await narrator.replies(max_)
    sb.add_by(ada, max_, club.group)
    narrator.act(ada, club.group, "adds Max to the group")
    await narrator.replies(max_, club.group)
    narrator.note(f"Max is now '{sb.member_status(club.group, max_)}' in the group")

    narrator.heading("The moderator checks the seats")
    sb.send_text(owner, owner, "/members")
    narrator.act(owner, owner, "/members")
    await narrator.replies(owner)
    return [ada]
