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


# The same day in a German bakery's club: the club's own words (name, rules, aspects with
# their German keywords, the brand's lexicon) and the members' chat, in German.
GERMAN_COMMUNITY: dict[str, Any] = {
    "name": "Bäckerei-Club",
    "language": "de",
    "rules": "1. Sei freundlich.\n2. Vorschauen bleiben im Club.\n3. Keine Werbung.",
}
GERMAN_SENTIMENT: dict[str, Any] = {
    "lexicon": {"Weihnachtsgebäck": 0.5, "matschig": -0.6},
    "aspects": {
        "Geschmack": ["Geschmack", "lecker", "fad", "trocken", "Kardamom", "köstlich"],
        "Preis": ["Preis", "teuer", "günstig", "Euro"],
        "Verpackung": ["Verpackung", "Tüte", "Box", "Plastik"],
        "Service": ["Service", "Team", "Filiale", "Schlange"],
    },
}
GERMAN_CHATTER = [
    ("Ada", "Das Weihnachtsgebäck ist der Wahnsinn, ich liebe den Kardamom 😍"),
    ("Ben", "ehrlich gesagt war das vegane Brötchen heute trocken und fad 😕"),
    ("Chloé", "Super Service heute früh in der Filiale am Markt, danke ans Team!"),
    ("Ben", "und 4,50 Euro für eine Zimtschnecke ist echt viel zu teuer"),
    ("Ada", "wann macht die Filiale in der Königstraße am Sonntag auf?"),
    ("Chloé", "der Apfelkuchen war richtig köstlich"),
    ("Ada", "die neue Papierbox ist so viel besser als die Plastiktüte 👍"),
    ("Ben", "Die Zimtschnecke war heute mega lecker, aber die Papiertüte ist total gerissen 😡"),
]


async def run_demo(quiet: bool = False, out: TextIO | None = None, language: str = "en") -> int:
    stream = out or sys.stdout
    german = language == "de"
    # The demo's digest day is a Tuesday: the weekly cohort section comes with it.
    insights = {**DEMO_INSIGHTS, "cohort_weekday": "tuesday"}
    club_setup: dict[str, Any] = (
        {
            "language_code": "de",
            "brand_title": "Markenteam",
            "community": GERMAN_COMMUNITY,
            "sentiment": GERMAN_SENTIMENT,
        }
        if german
        else {"sentiment": DEMO_SENTIMENT}
    )
    chatter = GERMAN_CHATTER if german else CHATTER
    async with simulated_club(insights=insights, **club_setup) as club:
        narrator = Narrator(club, stream, quiet=quiet, language=language)
        await seed_history(club)  # three ordinary weeks: the spike alert's baseline
        sandbox = club.sandbox
        community = club.services.settings.community
        print(
            narrator.t(
                "Demo: a day in '{name}' ({seats} seats), played against a local Telegram "
                "sandbox (no token, no network).",
                "Demo: ein Tag im „{name}“ ({seats} Plätze), gespielt gegen eine lokale "
                "Telegram-Sandbox (kein Token, kein Netz).",
            ).format(name=community.name, seats=community.max_members),
            file=stream,
        )

        members = await gate_demo(club, narrator)
        gate = club.features.gate
        narrator.heading(
            narrator.t(
                "Two more fans join with newsletter codes",
                "Zwei weitere Fans treten mit Newsletter-Codes bei",
            )
        )
        for name in ("Ben", "Chloé"):
            fan = sandbox.create_user(name, language_code=language)
            [code] = await gate.create_codes(1, 1, "newsletter", None, club.owner.id)
            if await admit_with_code(club, fan, code):
                members.append(fan)
                narrator.note(
                    narrator.t(
                        "{} redeemed a newsletter code and joined",
                        "{} hat einen Newsletter-Code eingelöst und ist beigetreten",
                    ).format(name)
                )
        await narrator.replies(*members)

        narrator.heading(
            narrator.t("Members chat in the group", "Mitglieder chatten in der Gruppe")
        )
        by_name = {member.first_name: member for member in members}
        for name, text in chatter:
            author = by_name.get(name)
            if author is None:
                continue
            sandbox.send_text(author, club.group, text)
            # Quoted, so the transcript shows which words are the members' own.
            narrator.act(author, club.group, narrator.t("“{}”", "„{}“").format(text))
        await narrator.replies(club.group)
        narrator.note(
            narrator.t(
                "every message above was scored and stored; nothing was posted back",
                "jede Nachricht oben wurde bewertet und gespeichert; zurückgepostet wurde nichts",
            )
        )

        preview = await preview_scene(club, narrator, members)

        narrator.heading(
            narrator.t(
                "Next morning at 09:00 the brand team gets the digest",
                "Am nächsten Morgen um 09:00 bekommt das Markenteam die Zusammenfassung",
            )
        )
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
        print(narrator.t("\nDemo finished.", "\nDemo beendet."), file=stream)
        if not digest_messages:
            print("error: the digest did not arrive", file=sys.stderr)
            return 1
    return 0
