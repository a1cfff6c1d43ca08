"""Previews end to end through the sandbox: scheduled, published protected and pinned,
rated, surviving restarts, and every wrong input answered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.sandbox import SentMessage
from bot.simulation import SimulatedClub, simulated_club

HOUR = timedelta(hours=1)


def buttons(msg: SentMessage) -> list[tuple[str, str]]:
    rows = (msg.reply_markup or {}).get("inline_keyboard") or []
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def published(club: SimulatedClub) -> list[SentMessage]:
    """Copies of previews in the group: the bot's protected messages."""
    return [
        m for m in club.sandbox.bot_messages(club.group) if m.protect_content and not m.poll_id
    ]


def last_text(club: SimulatedClub, chat: object) -> str:
    messages = club.sandbox.bot_messages(chat)  # type: ignore[arg-type]
    return (messages[-1].text or "") if messages else ""


async def write_preview(club: SimulatedClub, command: str) -> SentMessage:
    """Bruno (brand team) writes a photo preview to the bot and replies to it."""
    sb, bruno = club.sandbox, club.brand_manager
    if not sb.has_started(bruno):
        sb.start_bot(bruno)
    original = sb.send_photo(bruno, bruno, caption="Our winter croissant 🥐")
    sb.send_text(bruno, bruno, command, reply_to=original)
    await club.settle()
    return original


async def test_preview_is_published_at_its_time_protected_pinned_and_rated(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = sb.create_user("Ada")
        sb.add_member(club.group, ada)
        await write_preview(club, "/preview in 2h --title Winter croissant")

        confirmation = sb.bot_messages(club.brand_manager)[-1]
        assert "Winter croissant" in (confirmation.text or "")
        assert ("Cancel this preview", "v1:pv:cancel:1") in buttons(confirmation)
        assert published(club) == []

        await club.advance(2 * HOUR - timedelta(minutes=1))
        assert published(club) == [], "published before its time"
        await club.advance(timedelta(minutes=1))

        [preview] = published(club)
        assert preview.caption == "Our winter croissant 🥐"
        assert preview.photo is not None
        assert preview.pinned
        data = [d for _, d in buttons(preview)]
        assert [f"v1:pv:rate:1:{n}" for n in range(1, 6)] == data[:5]
        assert all(len(d.encode()) <= 64 for d in data)
        # The Cancel button is gone once the preview is out; Bruno is told it is live.
        assert buttons(confirmation) == []
        assert "is live" in last_text(club, club.brand_manager)

        # Ada rates 4, then changes her mind to 2: one vote, the latest.
        sb.press_button(ada, preview, "v1:pv:rate:1:4")
        await club.settle()
        assert sb.callback_answers[-1]["text"] == "You rated 4★. Thank you!"
        sb.press_button(ada, preview, "v1:pv:rate:1:2")
        await club.settle()
        assert sb.callback_answers[-1]["text"] == "You changed your rating to 2★ (was 4★)."

        await club.advance(timedelta(seconds=10))  # the tally refresh is due
        labels = [text for text, _ in buttons(preview)]
        assert labels[:5] == ["1★", "2★ · 1", "3★", "4★", "5★"]
        assert "⌀ 2.0★ from 1 rating" in labels[5]
