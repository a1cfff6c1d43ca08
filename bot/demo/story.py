"""``python -m bot demo``: a scripted day in the club, played against the sandbox.

No token and no network: the sandbox is a local Telegram, the bot is the real Application
talking to it over HTTP, and a FakeClock moves the day along. Each step prints what a person
did and what the bot answered, ending with what the brand team receives.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any, TextIO

from bot.demo.gate import gate_demo
from bot.demo.insights import DEMO_INSIGHTS, alert_scene, seed_history, verdict_scene
from bot.demo.narrator import Narrator, admit_with_code
from bot.demo.previews import preview_scene
from bot.demo.referrals import referral_scene
from bot.demo.simulation import simulated_club

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
        gate = club.features.gate
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
