"""The insights part of ``python -m bot demo``: a dry batch sets off a spike alert, the
brand manager mutes it, and later the preview's verdict card arrives.

``await seed_history(club)`` first, then ``await alert_scene(club, narrator, members,
preview)`` and ``await verdict_scene(club, narrator)``. The alert needs a baseline, so
``seed_history`` writes three ordinary weeks of club chatter (counts only: "history"
messages, about one in eight negative) into the database, as a club that has been running
for a while would have.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.demo.narrator import buttons
from bot.demo.simulation import SimulatedClub
from bot.insights.alerts import CALLBACK_PREFIX
from bot.sandbox import SentMessage, SimUser

if TYPE_CHECKING:
    from bot.demo.narrator import Narrator

DEMO_INSIGHTS = {"verdict_min_ratings": 3, "verdict_after_hours": 24}

COMPLAINTS = [
    "the pistachio croissants today are so dry 😕",
    "dry and bland batch this morning, disappointing",
    "mine was dry too, awful taste today",
    "yes, really dry, not good at all",
    "so dry, what happened to the batch?",
    "bland and dry, sadly not the usual",
]
# The same morning in the German club (scored by the German scorer; "trocken" and "fad" are
# its taste keywords, see GERMAN_SENTIMENT in bot/demo/story.py).
GERMAN_COMPLAINTS = [
    "die Croissants sind heute so trocken 😕",
    "die Charge heute früh ist trocken und fad, echt enttäuschend",
    "mein Croissant war auch trocken, schmeckt heute furchtbar",
    "ja, wirklich trocken, gar nicht gut",
    "so trocken, schon wieder eine schlechte Charge?",
    "fader Geschmack und trocken, leider nicht wie sonst",
]


async def seed_history(club: SimulatedClub) -> None:
    """Three ordinary weeks before the demo's day; call before anything is posted (the
    detector learns the club's first message once, as a running bot would)."""
    now = club.services.now_ts()
    today = now - now % 86400  # the demo's club runs on UTC
    rows = []
    message_id = 500_000
    for hour in range(1, 21 * 24):
        at = now - hour * 3600
        if at >= today or at // 3600 % 24 < 7:
            continue  # the demo's own day is its own; nights are quiet
        for k in range(4):
            message_id += 1
            negative = (hour + k) % 8 == 0
            rows.append(
                (club.group.id, message_id, 7_000 + (hour * 4 + k) % 40, now - hour * 3600
                 + k * 600, "history", -0.4 if negative else 0.4,
                 "negative" if negative else "positive", json.dumps(["croissant"]))
            )  # fmt: skip
    async with club.services.db.transaction() as conn:
        await conn.executemany(
            "INSERT OR IGNORE INTO feedback_messages (chat_id, message_id, user_id, sent_at, "
            "text, polarity, subjectivity, label, language, topics) "
            "VALUES (?, ?, ?, ?, ?, ?, 0.5, ?, 'en', ?)",
            rows,
        )


async def alert_scene(
    club: SimulatedClub,
    narrator: Narrator,
    members: Sequence[SimUser],
    preview: SentMessage | None,
) -> None:
    sb, t = club.sandbox, narrator.t
    narrator.heading(
        t(
            "The next morning: a dry batch, and members complain within minutes",
            "Am nächsten Morgen: eine trockene Charge, und binnen Minuten beschweren sich "
            "Mitglieder",
        )
    )
    narrator.note(
        t(
            "(the club's last three weeks of ordinary chatter are its baseline)",
            "(die letzten drei Wochen gewöhnlicher Chat im Club sind die Vergleichsbasis)",
        )
    )
    speakers = list(members)[:3]
    complaints = GERMAN_COMPLAINTS if narrator.language == "de" else COMPLAINTS
    for index, text in enumerate(complaints):
        author = speakers[index % len(speakers)]
        sb.send_text(author, club.group, text, reply_to=preview)
        said = t("“{}”", "„{}“").format(text)
        if preview:
            said += t(" (replying to the preview)", " (als Antwort auf die Vorschau)")
        narrator.act(author, club.group, said)
    await narrator.replies(club.group)
    narrator.heading(
        t(
            "Within the next check (every 5 minutes) the brand chat is alerted",
            "Bei der nächsten Prüfung (alle 5 Minuten) wird der Markenchat gewarnt",
        )
    )
    await club.advance(timedelta(minutes=5))
    sent = await narrator.replies(club.brand)
    # The alert is the message with the mute button (its callback data is never translated).
    found = next(
        (
            (message, str(button["callback_data"]))
            for message in sent
            for button in buttons(message)
            if str(button.get("callback_data", "")).startswith(CALLBACK_PREFIX)
        ),
        None,
    )
    if found is None:
        narrator.note(t("no alert arrived", "keine Warnung angekommen"))
        return
    alert, data = found
    narrator.heading(
        t(
            "The brand manager has it in hand and mutes it for a day",
            "Der Markenmanager kümmert sich darum und schaltet die Warnung einen Tag stumm",
        )
    )
    sb.press_button(club.brand_manager, alert, data)
    label = buttons(alert)[0].get("text", "")
    narrator.act(club.brand_manager, club.brand, t("taps “{}”", "tippt auf „{}“").format(label))
    await club.settle()
    if sb.callback_answers:
        answer = sb.callback_answers[-1]["text"]
        narrator.note(t("the bot answers: {}", "der Bot antwortet: {}").format(answer))
    await narrator.replies(club.brand)


async def verdict_scene(club: SimulatedClub, narrator: Narrator) -> None:
    narrator.heading(
        narrator.t(
            "24 hours after publication: the preview's verdict card",
            "24 Stunden nach der Veröffentlichung: das Fazit zur Vorschau",
        )
    )
    published = await club.services.db.read_one(
        "SELECT published_at FROM previews WHERE id = 1 AND status = 'published'"
    )
    if published is None:
        narrator.note(narrator.t("no published preview", "keine veröffentlichte Vorschau"))
        return
    due = int(published[0]) + int(DEMO_INSIGHTS["verdict_after_hours"]) * 3600
    wait = due - club.services.now_ts()
    if wait > 0:
        await club.advance(timedelta(seconds=wait))
    await club.tick()
    await narrator.replies(club.brand)
