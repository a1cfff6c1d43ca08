"""The previews and polls part of ``python -m bot demo``, for the demo to call.

``await preview_scene(club, narrator, members)``: the brand manager writes a preview, the
bot publishes it at its time (protected, pinned, with a rating keyboard and a poll), members
rate and vote, and the brand team sees the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.demo.simulation import SimulatedClub
from bot.sandbox import SentMessage, SimUser

if TYPE_CHECKING:
    from bot.demo.narrator import Narrator


async def preview_scene(
    club: SimulatedClub, narrator: Narrator, members: Sequence[SimUser] = ()
) -> SentMessage | None:
    """Returns the published preview message (None if it did not appear)."""
    sb, bruno = club.sandbox, club.brand_manager
    if not members:
        members = [
            await _seated_member(club, name, narrator.language) for name in ("Ada", "Ben", "Chloé")
        ]

    narrator.heading(
        narrator.t(
            "The brand team prepares an exclusive preview",
            "Das Markenteam bereitet eine exklusive Vorschau vor",
        )
    )
    if not sb.has_started(bruno):
        sb.start_bot(bruno)
    caption = narrator.t(
        "Coming soon: the pistachio croissant 🥐", "Bald im Laden: das Pistazien-Croissant 🥐"
    )
    original = sb.send_photo(bruno, bruno, caption=caption)
    narrator.act(bruno, bruno, f"{narrator.t('[picture]', '[Bild]')} „{caption}“")
    command = narrator.t(
        '/preview in 1h --title Pistachio croissant --poll "Would you buy it? | Every week '
        '| Now and then | Not for me"',
        '/preview in 1h --title Pistazien-Croissant --poll "Würdest du es kaufen? | Jede Woche '
        '| Ab und zu | Nichts für mich"',
    )
    sb.send_text(bruno, bruno, command, reply_to=original)
    narrator.act(
        bruno,
        bruno,
        narrator.t("(replying to the picture) {}", "(als Antwort auf das Bild) {}").format(
            command
        ),
    )
    await sb.wait_for(lambda: len(sb.bot_messages(bruno)) >= 1, timeout=10)
    await narrator.replies(bruno)

    narrator.heading(
        narrator.t(
            "An hour later the preview lands in the group",
            "Eine Stunde später erscheint die Vorschau in der Gruppe",
        )
    )
    await club.advance(timedelta(hours=1))
    await sb.wait_for(lambda: any(m.poll_id for m in sb.bot_messages(club.group)), timeout=10)
    posted = await narrator.replies(club.group, bruno)
    preview = next((m for m in posted if m.protect_content and not m.poll_id), None)
    poll = next((m for m in posted if m.poll_id), None)
    if preview is None or poll is None:
        narrator.note(
            narrator.t("the preview did not appear", "die Vorschau ist nicht erschienen")
        )
        return None

    narrator.heading(
        narrator.t("Members rate it and vote", "Mitglieder bewerten sie und stimmen ab")
    )
    for member, stars, option in zip(members, (5, 4, 5, 3, 4), (0, 1, 0, 2, 1), strict=False):
        sb.press_button(member, preview, f"v1:pv:rate:1:{stars}")
        narrator.act(member, club.group, narrator.t("taps {}★", "tippt auf {}★").format(stars))
        sb.vote(member, poll, [option])
        choice = sb.poll(poll.poll_id or "").options[option]
        narrator.act(
            member, club.group, narrator.t("votes “{}”", "stimmt für „{}“").format(choice)
        )
    sb.react(members[0], preview, ["🔥"])
    narrator.act(members[0], club.group, narrator.t("reacts 🔥", "reagiert mit 🔥"))
    await club.settle()
    await club.advance(timedelta(seconds=10))  # the keyboard tally refresh is due
    narrator.note(
        narrator.t(
            "the rating keyboard now shows the tally:",
            "die Bewertungsknöpfe zeigen jetzt den Zwischenstand:",
        )
    )
    if not narrator.quiet:
        labels = [
            button.get("text", "")
            for row in (preview.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        print(
            f"      [{narrator.t('buttons', 'Buttons')}: {' | '.join(labels)}]", file=narrator.out
        )

    narrator.heading(
        narrator.t(
            "The brand manager checks the results", "Der Markenmanager prüft die Ergebnisse"
        )
    )
    before = len(sb.bot_messages(bruno))
    sb.send_text(bruno, bruno, "/previews")
    narrator.act(bruno, bruno, "/previews")
    await sb.wait_for(lambda: len(sb.bot_messages(bruno)) > before, timeout=10)
    await narrator.replies(bruno)
    return preview


async def _seated_member(club: SimulatedClub, name: str, language: str = "en") -> SimUser:
    """A member with a seat (ratings count only from seated members), quietly admitted."""
    sb = club.sandbox
    gate = club.features.gate
    (code,) = await gate.create_codes(1, 1, "demo", None, club.owner.id)
    user = sb.create_user(name, language_code=language)
    sb.start_bot(user, code)
    await club.settle()
    for message in reversed(sb.bot_messages(user)):
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        data = [str(b["callback_data"]) for row in rows for b in row if "callback_data" in b]
        if data:
            sb.press_button(user, message, data[0])
            break
    await club.settle()
    links = [
        str(b["url"])
        for message in sb.bot_messages(user)
        for row in (message.reply_markup or {}).get("inline_keyboard") or []
        for b in row
        if "url" in b
    ]
    if links:
        sb.join_via_link(user, links[-1])
        await club.settle()
    return user
