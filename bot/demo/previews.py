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
        members = [await _seated_member(club, name) for name in ("Ada", "Ben", "Chloé")]

    narrator.heading("The brand team prepares an exclusive preview")
    if not sb.has_started(bruno):
        sb.start_bot(bruno)
    original = sb.send_photo(bruno, bruno, caption="Coming soon: the pistachio croissant 🥐")
    narrator.act(bruno, bruno, "[picture] Coming soon: the pistachio croissant 🥐")
    command = (
        '/preview in 1h --title Pistachio croissant --poll "Would you buy it? | Every week '
        '| Now and then | Not for me"'
    )
    sb.send_text(bruno, bruno, command, reply_to=original)
    narrator.act(bruno, bruno, f"(replying to the picture) {command}")
    await sb.wait_for(lambda: len(sb.bot_messages(bruno)) >= 1, timeout=10)
    await narrator.replies(bruno)

    narrator.heading("An hour later the preview lands in the group")
    await club.advance(timedelta(hours=1))
    await sb.wait_for(lambda: any(m.poll_id for m in sb.bot_messages(club.group)), timeout=10)
    posted = await narrator.replies(club.group, bruno)
    preview = next((m for m in posted if m.protect_content and not m.poll_id), None)
    poll = next((m for m in posted if m.poll_id), None)
    if preview is None or poll is None:
        narrator.note("the preview did not appear")
        return None

    narrator.heading("Members rate it and vote")
    for member, stars, option in zip(members, (5, 4, 5, 3, 4), (0, 1, 0, 2, 1), strict=False):
        sb.press_button(member, preview, f"v1:pv:rate:1:{stars}")
        narrator.act(member, club.group, f"taps {stars}★")
        sb.vote(member, poll, [option])
        narrator.act(member, club.group, f"votes “{sb.poll(poll.poll_id or '').options[option]}”")
    sb.react(members[0], preview, ["🔥"])
    narrator.act(members[0], club.group, "reacts 🔥")
    await club.settle()
    await club.advance(timedelta(seconds=10))  # the keyboard tally refresh is due
    narrator.note("the rating keyboard now shows the tally:")
    if not narrator.quiet:
        labels = [
            button.get("text", "")
            for row in (preview.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        print(f"      [buttons: {' | '.join(labels)}]", file=narrator.out)

    narrator.heading("The brand manager checks the results")
    before = len(sb.bot_messages(bruno))
    sb.send_text(bruno, bruno, "/previews")
    narrator.act(bruno, bruno, "/previews")
    await sb.wait_for(lambda: len(sb.bot_messages(bruno)) > before, timeout=10)
    await narrator.replies(bruno)
    return preview


async def _seated_member(club: SimulatedClub, name: str) -> SimUser:
    """A member with a seat (ratings count only from seated members), quietly admitted."""
    sb = club.sandbox
    gate = club.features.gate
    (code,) = await gate.create_codes(1, 1, "demo", None, club.owner.id)
    user = sb.create_user(name)
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
