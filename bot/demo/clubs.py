"""``python -m bot demo --clubs 2``: one bot, two bakery clubs (Berlin and Hamburg).

The same sandbox and the same Application serve both clubs, each with its own group, brand
chat and SQLite file. The story shows what keeps them apart: a code admits to its own club,
a member of both is asked which club a command is for, a ban is shared (``[brand]
shared_bans``), and each brand chat gets only its club's digest, the head office both side
by side.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.demo.narrator import Narrator, admit_with_code, buttons
from bot.demo.simulation import SimulatedClub, simulated_clubs
from bot.sandbox import SimUser

HEAD_OFFICE_CHAT_ID = -1005550000000
RULES = {
    "berlin": {"rules": "1. Be kind.\n2. Rye bread is sacred."},
    "hamburg": {"rules": "1. Be kind.\n2. Franzbrötchen on Fridays."},
}
CHATTER = {
    "berlin": [("Ada", "The pretzel crust today was perfect, love it 😍")],
    "hamburg": [
        ("Hal", "Franzbrötchen were fresh and delicious this morning"),
        ("Eve", "the queue at the harbour shop was way too long 😕"),
    ],
}


async def join(club: SimulatedClub, narrator: Narrator, person: SimUser) -> None:
    (code,) = await club.features.gate.create_codes(1, 1, "flyer", None, club.owner.id)
    narrator.act(
        person, person, f"opens the deep link with a {club.club.settings.community.name} code"
    )
    if await admit_with_code(club, person, code):
        narrator.note(f"{person.first_name} joined {club.group.title}")


async def run_clubs_demo(quiet: bool = False, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    async with simulated_clubs(
        clubs=RULES,
        digest={"time": "09:00"},
        gate={"strict": False},
        brand={"shared_bans": True, "combined_digest_chat_id": HEAD_OFFICE_CHAT_ID},
    ) as (berlin, hamburg):
        sandbox = berlin.sandbox
        head_office = sandbox.create_supergroup("Head office", chat_id=HEAD_OFFICE_CHAT_ID)
        sandbox.make_bot_admin(head_office)
        narrator = Narrator(berlin, stream, quiet=quiet)
        print(
            "Demo: one bot, two clubs (Berlin Bakery Club and Hamburg Bakery Club), each with "
            "its own group, brand chat and database, played against a local Telegram sandbox.",
            file=stream,
        )

        narrator.heading("Codes admit to their own club")
        ada, hal, eve = (sandbox.create_user(name) for name in ("Ada", "Hal", "Eve"))
        await join(berlin, narrator, ada)
        await join(hamburg, narrator, hal)
        await join(berlin, narrator, eve)
        await join(hamburg, narrator, eve)

        await berlin.settle()
        narrator.quiet, quiet_before = True, narrator.quiet
        await narrator.replies(ada, hal, eve)  # the joins' messages: not this scene's
        narrator.quiet = quiet_before
        narrator.heading("Eve belongs to both: the bot asks which club /rules is for")
        sandbox.send_text(eve, eve, "/rules")
        narrator.act(eve, eve, "/rules")
        await narrator.replies(eve)
        question = sandbox.bot_messages(eve)[-1]
        choice = next(b for b in buttons(question) if b.get("callback_data") == "v1:club:hamburg")
        sandbox.press_button(eve, question, str(choice["callback_data"]))
        narrator.act(eve, eve, f"taps “{choice['text']}”")
        await narrator.replies(eve)
        sandbox.send_text(ada, ada, "/rules")
        narrator.act(ada, ada, "/rules (a member of Berlin only: no question)")
        await narrator.replies(ada)

        narrator.heading("Members chat in both groups")
        people = {"Ada": ada, "Hal": hal, "Eve": eve}
        for club in (berlin, hamburg):
            for name, text in CHATTER[club.key or ""]:
                sandbox.send_text(people[name], club.group, text)
                narrator.act(people[name], club.group, f"“{text}”")
        await berlin.settle()

        narrator.heading("A spammer banned in Berlin is banned in Hamburg too (shared bans)")
        spam = sandbox.create_user("Spam")
        await join(berlin, narrator, spam)
        await join(hamburg, narrator, spam)
        said = sandbox.send_text(spam, berlin.group, "cheap watches!!! click here")
        sandbox.send_text(berlin.owner, berlin.group, "/ban spam", reply_to=said)
        narrator.act(berlin.owner, berlin.group, "/ban spam (as a reply)")
        narrator.replies_seen(spam)
        await narrator.replies(berlin.group)
        for club in (berlin, hamburg):
            status = sandbox.member_status(club.group, spam)
            narrator.note(f"Spam in {club.group.title}: {status}")

        narrator.heading("Next morning: each brand chat gets its own club's digest")
        narrator.replies_seen(berlin.brand, hamburg.brand, head_office)
        berlin.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await berlin.tick()
        await narrator.replies(berlin.brand, hamburg.brand)
        narrator.heading("…and the head office both side by side")
        await berlin.tick()
        await narrator.replies(head_office)
        print("\nDemo finished.", file=stream)
    return 0
