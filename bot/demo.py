"""``python -m bot demo``: a scripted day in the club, played against the sandbox.

No token and no network: the sandbox is a local Telegram, the bot is the real Application
talking to it over HTTP, and a FakeClock moves the day along. Each step prints what a person
did and what the bot answered, ending with what the brand team receives.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any, TextIO

from bot.messaging import html_to_plain
from bot.sandbox import SentMessage, SimChat, SimUser
from bot.simulation import SimulatedClub, simulated_club


class Narrator:
    """Prints each person's action and every message the bot sent since the last step."""

    def __init__(self, club: SimulatedClub, out: TextIO, quiet: bool = False) -> None:
        self.club = club
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
            body = f"[picture] {body}".strip()
        if message.document is not None:
            body = f"[file {message.document[0]}] {body}".strip()
        if message.poll_id is not None:
            poll = self.club.sandbox.poll(message.poll_id)
            body = f"[poll] {poll.question} ({' / '.join(poll.options)})"
        flags = [
            label
            for label, on in (("protected", message.protect_content), ("pinned", message.pinned))
            if on
        ]
        suffix = f"  ({', '.join(flags)})" if flags else ""
        place = self.name(chat.id)
        lines = body.splitlines() or [""]
        verb = "edits its message to" if edited else "→"
        print(f"  bot {verb} {place}: {lines[0]}{suffix}", file=self.out)
        for line in lines[1:]:
            print(f"      {line}", file=self.out)
        buttons = [
            button.get("text", "")
            for row in (message.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        if buttons:
            print(f"      [buttons: {' | '.join(buttons)}]", file=self.out)


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


# The brand's vocabulary and aspects, as a real club would configure them (config.example.toml).
DEMO_SENTIMENT: dict[str, Any] = {
    "lexicon": {"festive bake": 0.5, "soggy": -0.6},
    "aspects": {
        "taste": ["taste", "flavour", "bland", "dry", "delicious", "lecker", "Geschmack"],
        "price": ["price", "expensive", "cheap", "worth", "Preis", "teuer"],
        "packaging": ["packaging", "box", "bag", "plastic", "Verpackung", "Tüte"],
        "service": ["service", "staff", "shop", "queue"],
    },
}

CHATTER = [
    ("Ada", "The festive bake is amazing, love the cardamom flavour 😍"),
    ("Ben", "honestly the vegan roll was dry and bland today 😕"),
    ("Chloé", "Great service at the Main St shop this morning, thanks team!"),
    ("Ben", "and 4.50 for a cinnamon bun is way too expensive tbh"),
    ("Ada", "what time does the Kings Road shop open on Sunday?"),
    ("Chloé", "la tarte aux pommes était délicieuse"),
    ("Ada", "the new paper box is so much better than the plastic bag 👍"),
    # German is scored like English: compounds ("Papiertüte" -> packaging), slang, litotes.
    ("Ben", "Die Zimtschnecke war heute mega lecker, aber die Papiertüte ist total gerissen 😡"),
]


async def run_demo(quiet: bool = False, out: TextIO | None = None) -> int:
    from bot.gate.demo import gate_demo
    from bot.gate.service import GateService
    from bot.insights.demo import DEMO_INSIGHTS, alert_scene, seed_history, verdict_scene
    from bot.previews.demo import preview_scene
    from bot.referrals.demo import referral_scene

    stream = out or sys.stdout
    # The demo's digest day is a Tuesday: the weekly cohort section comes with it.
    insights = {**DEMO_INSIGHTS, "cohort_weekday": "tuesday"}
    async with simulated_club(sentiment=DEMO_SENTIMENT, insights=insights) as club:
        narrator = Narrator(club, stream, quiet=quiet)
        await seed_history(club)  # three ordinary weeks: the spike alert's baseline
        sandbox = club.sandbox
        print(
            f"Demo: a day in '{club.services.settings.community.name}' "
            f"({club.services.settings.community.max_members} seats), played against a "
            "local Telegram sandbox (no token, no network).",
            file=stream,
        )

        members = await gate_demo(club, narrator)
        gate = club.services.feature("gate", GateService)
        narrator.heading("Two more fans join with newsletter codes")
        for name in ("Ben", "Chloé"):
            fan = sandbox.create_user(name)
            [code] = await gate.create_codes(1, 1, "newsletter", None, club.owner.id)
            if await admit_with_code(club, fan, code):
                members.append(fan)
                narrator.note(f"{name} redeemed a newsletter code and joined")
        await narrator.replies(*members)

        narrator.heading("Members chat in the group")
        by_name = {member.first_name: member for member in members}
        for name, text in CHATTER:
            author = by_name.get(name)
            if author is None:
                continue
            sandbox.send_text(author, club.group, text)
            narrator.act(author, club.group, text)
        await narrator.replies(club.group)
        narrator.note("every message above was scored and stored; nothing was posted back")

        preview = await preview_scene(club, narrator, members)

        narrator.heading("Next morning at 09:00 the brand team gets the digest")
        local_now = club.clock.now().astimezone(club.services.settings.community.tz)
        digest_at = datetime.combine(
            local_now.date() + timedelta(days=1),
            club.services.settings.digest.time,
            tzinfo=club.services.settings.community.tz,
        )
        club.clock.set(digest_at + timedelta(minutes=1))
        await club.tick()
        digest_messages = await narrator.replies(club.brand)
        await alert_scene(club, narrator, members, preview)
        await verdict_scene(club, narrator)
        await referral_scene(club, narrator, members)
        print("\nDemo finished.", file=stream)
        if not digest_messages:
            print("error: the digest did not arrive", file=sys.stderr)
            return 1
    return 0
