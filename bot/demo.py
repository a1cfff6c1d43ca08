"""``python -m bot demo``: a scripted day in the club, played against the sandbox.

No token and no network: the sandbox is a local Telegram, the bot is the real Application
talking to it over HTTP, and a FakeClock moves the day along. Each step prints what a person
did and what the bot answered, ending with what the brand team receives.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from typing import TextIO

from bot.sandbox import SentMessage, SimChat, SimUser
from bot.simulation import SimulatedClub, simulated_club

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """What a person sees of an HTML message (tags gone, entities decoded)."""
    return html.unescape(_TAG.sub("", text))


class Narrator:
    """Prints each person's action and every message the bot sent since the last step."""

    def __init__(self, club: SimulatedClub, out: TextIO, quiet: bool = False) -> None:
        self.club = club
        self.out = out
        self.quiet = quiet
        self._shown: dict[int, int] = {}
        self._names: dict[int, str] = {}

    def name(self, chat_id: int) -> str:
        if chat_id in self._names:
            return self._names[chat_id]
        user = self.club.sandbox.world.users.get(chat_id)
        if user is not None:
            return user.first_name
        chat = self.club.sandbox.world.chats.get(chat_id)
        return getattr(chat, "title", None) or str(chat_id)

    def heading(self, title: str) -> None:
        if not self.quiet:
            print(f"\n== {title} ==", file=self.out)

    def act(self, who: SimUser, where: SimChat | SimUser, what: str) -> None:
        if self.quiet:
            return
        place = "privately" if isinstance(where, SimUser) else f"in {self.name(where.id)}"
        print(f"  {who.first_name} ({place}): {what}", file=self.out)

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"  … {text}", file=self.out)

    async def replies(self, *chats: SimChat | SimUser) -> list[SentMessage]:
        """Let the bot settle, then print what it sent in these chats since last time."""
        await self.club.settle()
        new: list[SentMessage] = []
        for chat in chats:
            messages = self.club.sandbox.bot_messages(chat)
            start = self._shown.get(chat.id, 0)
            self._shown[chat.id] = len(messages)
            for message in messages[start:]:
                new.append(message)
                if not self.quiet:
                    self._print_bot_message(chat, message)
        return new

    def _print_bot_message(self, chat: SimChat | SimUser, message: SentMessage) -> None:
        body = plain(message.text or message.caption or "")
        if message.photo_bytes is not None or message.photo:
            body = f"[picture] {body}".strip()
        if message.document is not None:
            body = f"[file {message.document[0]}] {body}".strip()
        if message.poll_id is not None:
            body = f"[poll] {body}".strip()
        flags = [label for label, on in (("protected", message.protect_content),
                                         ("pinned", message.pinned)) if on]
        suffix = f"  ({', '.join(flags)})" if flags else ""
        place = self.name(chat.id)
        lines = body.splitlines() or [""]
        print(f"  bot → {place}: {lines[0]}{suffix}", file=self.out)
        for line in lines[1:]:
            print(f"      {line}", file=self.out)
        buttons = [
            button.get("text", "")
            for row in (message.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        if buttons:
            print(f"      [buttons: {' | '.join(buttons)}]", file=self.out)


Step = Callable[[SimulatedClub, Narrator], object]


async def run_demo(quiet: bool = False, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    async with simulated_club() as club:
        narrator = Narrator(club, stream, quiet=quiet)
        print(
            f"Demo: a day in '{club.services.settings.community.name}', played against a local "
            "Telegram sandbox (no token, no network).",
            file=stream,
        )
        ada = club.sandbox.create_user("Ada", username="ada_bakes")
        narrator.heading("A newcomer asks what this is")
        club.sandbox.start_bot(ada)
        narrator.act(ada, ada, "/start")
        club.sandbox.send_text(ada, ada, "/help")
        narrator.act(ada, ada, "/help")
        await narrator.replies(ada)
        print("\nDemo finished.", file=stream)
    return 0
