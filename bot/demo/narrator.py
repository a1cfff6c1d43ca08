"""The demo's narration: what a person did and what the bot answered, as plain text.

Also the member journey without narration (``admit_with_code``) that several scenes use.
"""

from __future__ import annotations

from typing import Any, TextIO

from bot.core.messaging import html_to_plain
from bot.demo.simulation import SimulatedClub
from bot.sandbox import SentMessage, SimChat, SimUser


class Narrator:
    """Prints each person's action and every message the bot sent since the last step."""

    def __init__(
        self, club: SimulatedClub, out: TextIO, quiet: bool = False, language: str = "en"
    ) -> None:
        self.club = club
        # The narration follows the club's language, so a German demo reads German
        # throughout (the demo narrates for the developer; the bot's texts use the catalogs).
        self.language = language
        self.out = out
        self.quiet = quiet
        self._shown: dict[int, int] = {}
        self._edits: dict[tuple[int, int], int] = {}
        self._names: dict[int, str] = {}

    def name(self, chat_id: int) -> str:
        if chat_id in self._names:
            return self._names[chat_id]
        user = self.club.sandbox.world.users.get(chat_id)
        if user is not None:
            return user.first_name
        chat = self.club.sandbox.world.chats.get(chat_id)
        return getattr(chat, "title", None) or str(chat_id)

    def t(self, english: str, german: str) -> str:
        """The narration in the demo's language."""
        return german if self.language == "de" else english

    def heading(self, title: str) -> None:
        if not self.quiet:
            print(f"\n== {title} ==", file=self.out)

    def act(self, who: SimUser, where: SimChat | SimUser, what: str) -> None:
        if self.quiet:
            return
        place = (
            self.t("privately", "privat")
            if isinstance(where, SimUser)
            else self.t("in {}", "in {}").format(self.name(where.id))
        )
        print(f"  {who.first_name} ({place}): {what}", file=self.out)

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"  … {text}", file=self.out)

    def replies_seen(self, *chats: SimChat | SimUser) -> None:
        """Skip what the bot sent in these chats so far (setup the story need not show)."""
        for chat in chats:
            self._shown[chat.id] = len(self.club.sandbox.bot_messages(chat))

    async def replies(self, *chats: SimChat | SimUser) -> list[SentMessage]:
        """Let the bot settle, then print what it sent in these chats since last time."""
        await self.club.settle()
        new: list[SentMessage] = []
        for chat in chats:
            messages = self.club.sandbox.bot_messages(chat)
            start = self._shown.get(chat.id, 0)
            self._shown[chat.id] = len(messages)
            for message in messages[:start]:
                # A message the bot changed in place (a notice turned into a link, say).
                key = (chat.id, message.message_id)
                if len(message.edits) > self._edits.get(key, 0):
                    self._edits[key] = len(message.edits)
                    new.append(message)
                    if not self.quiet:
                        self._print_bot_message(chat, message, edited=True)
            for message in messages[start:]:
                self._edits[(chat.id, message.message_id)] = len(message.edits)
                new.append(message)
                if not self.quiet:
                    self._print_bot_message(chat, message)
        return new

    def _print_bot_message(
        self, chat: SimChat | SimUser, message: SentMessage, edited: bool = False
    ) -> None:
        body = html_to_plain(message.text or message.caption or "")
        if message.photo_bytes is not None or message.photo:
            body = f"{self.t('[picture]', '[Bild]')} {body}".strip()
        if message.document is not None:
            body = f"[{self.t('file', 'Datei')} {message.document[0]}] {body}".strip()
        if message.poll_id is not None:
            poll = self.club.sandbox.poll(message.poll_id)
            body = f"{self.t('[poll]', '[Umfrage]')} {poll.question} ({' / '.join(poll.options)})"
        flags = [
            label
            for label, on in (
                (self.t("protected", "geschützt"), message.protect_content),
                (self.t("pinned", "angeheftet"), message.pinned),
            )
            if on
        ]
        suffix = f"  ({', '.join(flags)})" if flags else ""
        place = self.name(chat.id)
        lines = body.splitlines() or [""]
        verb = self.t("edits its message to", "ändert seine Nachricht an") if edited else "→"
        print(f"  {self.t('bot', 'Bot')} {verb} {place}: {lines[0]}{suffix}", file=self.out)
        for line in lines[1:]:
            print(f"      {line}", file=self.out)
        buttons = [
            button.get("text", "")
            for row in (message.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        if buttons:
            print(f"      [{self.t('buttons', 'Buttons')}: {' | '.join(buttons)}]", file=self.out)


def buttons(message: SentMessage) -> list[dict[str, Any]]:
    return [
        button for row in (message.reply_markup or {}).get("inline_keyboard", []) for button in row
    ]


async def admit_with_code(club: SimulatedClub, person: SimUser, code: str) -> bool:
    """The member journey without narration: deep link, Accept, join via the personal link."""
    sandbox = club.sandbox
    sandbox.start_bot(person, code)
    await club.settle()
    accept = next(
        (
            (message, button["callback_data"])
            for message in reversed(sandbox.bot_messages(person))
            for button in buttons(message)
            if "callback_data" in button
        ),
        None,
    )
    if accept is None:
        return False
    sandbox.press_button(person, accept[0], str(accept[1]))
    await club.settle()
    link = next(
        (
            button["url"]
            for message in reversed(sandbox.bot_messages(person))
            for button in buttons(message)
            if "url" in button
        ),
        None,
    )
    if link is None:
        return False
    sandbox.join_via_link(person, str(link))
    await club.settle()
    return sandbox.member_status(club.group, person) == "member"
