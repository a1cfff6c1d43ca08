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
    def t(self, english: str, german: str) -> str: ...
    @property
    def language(self) -> str: ...
    def replies_seen(self, *chats: SimChat | SimUser) -> None: ...
    async def replies(self, *chats: SimChat | SimUser) -> list[SentMessage]: ...


# Telegram's member statuses, as the German narration names them.
_STATUS_DE = {
    "left": "ausgetreten",
    "kicked": "entfernt",
    "member": "Mitglied",
    "restricted": "eingeschränkt",
}


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
    narrator.heading(
        narrator.t(
            "The brand makes invite codes for a flyer campaign",
            "Die Marke erstellt Einladungscodes für eine Flyer-Aktion",
        )
    )
    sb.start_bot(owner)
    await club.settle()
    narrator.replies_seen(owner)
    sb.send_text(owner, owner, "/newcodes 2 1 flyer 14d")
    narrator.act(owner, owner, "/newcodes 2 1 flyer 14d")
    sent = await narrator.replies(owner)
    codes = _CODE.findall(sent[-1].text or "") if sent else []
    if len(codes) < 2:
        narrator.note(
            narrator.t(
                "no codes came back; skipping the gate scene",
                "keine Codes zurückbekommen; die Szene am Eingang entfällt",
            )
        )
        return []

    narrator.heading(
        narrator.t(
            "Ada opens the flyer's link, accepts, and joins",
            "Ada öffnet den Link vom Flyer, stimmt zu und tritt bei",
        )
    )
    ada = sb.create_user("Ada", username="ada_bakes", language_code=narrator.language)
    sb.start_bot(ada, codes[0])
    narrator.act(
        ada,
        ada,
        narrator.t("opens {}", "öffnet {}").format(
            f"t.me/{sb.bot_user.username}?start={codes[0]}"
        ),
    )
    await narrator.replies(ada)
    found = _button(sb.bot_messages(ada), "callback_data")
    if found is None:
        return []
    message, button = found
    sb.press_button(ada, message, str(button["callback_data"]))
    narrator.act(ada, ada, narrator.t("taps Accept", "tippt auf Einverstanden"))
    await narrator.replies(ada)
    link = _button(sb.bot_messages(ada), "url")
    if link is None:
        return []
    sb.join_via_link(ada, str(link[1]["url"]))
    narrator.act(
        ada,
        club.group,
        narrator.t("joins through her personal link", "tritt über ihren persönlichen Link bei"),
    )
    await narrator.replies(ada, club.group)

    narrator.heading(
        narrator.t(
            "Max has no code; Ada adds him anyway",
            "Max hat keinen Code; Ada fügt ihn trotzdem hinzu",
        )
    )
    max_ = sb.create_user("Max", language_code=narrator.language)
    sb.start_bot(max_)
    narrator.act(max_, max_, "/start")
    await narrator.replies(max_)
    sb.add_by(ada, max_, club.group)
    narrator.act(ada, club.group, narrator.t("adds Max to the group", "fügt Max zur Gruppe hinzu"))
    await narrator.replies(max_, club.group)
    status = sb.member_status(club.group, max_)
    if narrator.language == "de":
        status = _STATUS_DE.get(status, status)
    narrator.note(
        narrator.t(
            "Max is now '{}' in the group", "Max hat in der Gruppe jetzt den Status „{}“"
        ).format(status)
    )

    narrator.heading(
        narrator.t("The moderator checks the seats", "Die Moderatorin prüft die Plätze")
    )
    sb.send_text(owner, owner, "/members")
    narrator.act(owner, owner, "/members")
    await narrator.replies(owner)
    return [ada]
