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

from bot.demo.simulation import SimulatedClub
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
    sb = club.sandbox
    narrator.heading("The next morning: a dry batch, and members complain within minutes")
    narrator.note("(the club's last three weeks of ordinary chatter are its baseline)")
    speakers = list(members)[:3]
    for index, text in enumerate(COMPLAINTS):
        author = speakers[index % len(speakers)]
        sb.send_text(author, club.group, text, reply_to=preview)
        narrator.act(author, club.group, text + (" (replying to the preview)" if preview else ""))
    await narrator.replies(club.group)
    narrator.heading("Within the next check (every 5 minutes) the brand chat is alerted")
    await club.advance(timedelta(minutes=5))
    sent = await narrator.replies(club.brand)
    alert = next((m for m in sent if "is up" in (m.text or "")), None)
    if alert is None:
        narrator.note("no alert arrived")
        return
    data = next(
        b["callback_data"]
        for row in (alert.reply_markup or {}).get("inline_keyboard", [])
        for b in row
        if "callback_data" in b
    )
    narrator.heading("The brand manager has it in hand and mutes it for a day")
    sb.press_button(club.brand_manager, alert, str(data))
    narrator.act(club.brand_manager, club.brand, "taps “Mute these alerts for a day”")
    await club.settle()
    if sb.callback_answers:
        narrator.note(f"the bot answers: {sb.callback_answers[-1]['text']}")
    await narrator.replies(club.brand)


async def verdict_scene(club: SimulatedClub, narrator: Narrator) -> None:
    narrator.heading("24 hours after publication: the preview's verdict card")
    published = await club.services.db.read_one(
        "SELECT published_at FROM previews WHERE id = 1 AND status = 'published'"
    )
    if published is None:
        narrator.note("no published preview")
        return
    due = int(published[0]) + int(DEMO_INSIGHTS["verdict_after_hours"]) * 3600
    wait = due - club.services.now_ts()
    if wait > 0:
        await club.advance(timedelta(seconds=wait))
    await club.tick()
    await narrator.replies(club.brand)
