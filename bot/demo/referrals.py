"""The referral and measurable-link part of ``python -m bot demo``, for the demo to call.

``await referral_scene(club, narrator, members)``: a moderator switches referrals on, a
member asks for an invite and her friend joins with it and posts; the moderator sees the
multiplier tree; the brand team publishes a preview whose shop link carries campaign tags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.demo.narrator import Narrator, admit_with_code
from bot.demo.simulation import SimulatedClub
from bot.sandbox import SimUser

_CODE = re.compile(r"start=([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


async def referral_scene(
    club: SimulatedClub, narrator: Narrator, members: Sequence[SimUser]
) -> bool:
    """Returns True when the friend got in through the invite and the link was tagged."""
    sb, olivia, bruno = club.sandbox, club.owner, club.brand_manager
    if not members:
        return False
    ada = members[0]
    if not sb.has_started(olivia):
        sb.start_bot(olivia)
        await club.settle()
        narrator.replies_seen(olivia)

    t = narrator.t
    narrator.heading(
        t(
            "A moderator lets members invite two friends each",
            "Eine Moderatorin erlaubt jedem Mitglied, zwei Leute einzuladen",
        )
    )
    sb.send_text(olivia, olivia, "/referrals on 2")
    narrator.act(olivia, olivia, "/referrals on 2")
    await narrator.replies(olivia)

    narrator.heading(
        t(
            "{} asks for a personal invite for a friend",
            "{} bittet um eine persönliche Einladung für einen Freund",
        ).format(ada.first_name)
    )
    sb.send_text(ada, ada, "/invite")
    narrator.act(ada, ada, "/invite")
    answer = await narrator.replies(ada)
    found = _CODE.search(answer[-1].text or "") if answer else None
    if found is None:
        narrator.note(t("no invite came back", "keine Einladung zurückbekommen"))
        return False

    friend = sb.create_user("Finn", language_code=narrator.language)
    narrator.act(
        friend,
        friend,
        t(
            "opens the link {} sent him and accepts",
            "öffnet den Link, den {} ihm geschickt hat, und stimmt zu",
        ).format(ada.first_name),
    )
    if not await admit_with_code(club, friend, found.group(1)):
        narrator.note(t("the friend did not get in", "der Freund ist nicht hineingekommen"))
        return False
    narrator.note(
        t(
            "Finn joined; the ledger records that {} brought him",
            "Finn ist beigetreten; das Register vermerkt, dass {} ihn gebracht hat",
        ).format(ada.first_name)
    )
    thanks = t(
        "Thanks for the invite! The rye is as good as promised",
        "Danke für die Einladung! Das Roggenbrot ist so gut wie versprochen",
    )
    sb.send_text(friend, club.group, thanks)
    narrator.act(friend, club.group, t("“{}”", "„{}“").format(thanks))
    await club.settle()

    narrator.heading(
        t(
            "The moderator looks at who multiplies the club",
            "Die Moderatorin sieht nach, wer den Club wachsen lässt",
        )
    )
    sb.send_text(olivia, olivia, "/multipliers")
    narrator.act(olivia, olivia, "/multipliers")
    await narrator.replies(olivia)

    narrator.heading(
        t(
            "A preview with a shop link: the link carries campaign tags",
            "Eine Vorschau mit Shop-Link: der Link trägt Kampagnen-Tags",
        )
    )
    draft = sb.send_text(
        bruno,
        bruno,
        t(
            "Pre-order the pistachio croissant: https://bakery.example/preorder",
            "Jetzt das Pistazien-Croissant vorbestellen: https://bakery.example/preorder",
        ),
    )
    narrator.act(bruno, bruno, t("“{}”", "„{}“").format(draft.text or ""))
    command = t("/preview now --title Pre-order", "/preview now --title Vorbestellung")
    sb.send_text(bruno, bruno, command, reply_to=draft)
    narrator.act(bruno, bruno, t("(replying to it) {}", "(als Antwort darauf) {}").format(command))
    await club.settle()
    posted = await narrator.replies(club.group, bruno)
    urls = [
        str(entity.get("url"))
        for message in posted
        for entity in message.entities
        if entity.get("type") == "text_link"
    ]
    tagged = [url for url in urls if "utm_source=" in url]
    for url in tagged:
        narrator.note(
            t("the link members click: {}", "der Link, den Mitglieder klicken: {}").format(url)
        )
    return bool(tagged)
