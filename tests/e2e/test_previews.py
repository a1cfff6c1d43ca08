"""Previews end to end through the sandbox: scheduled, published protected and pinned,
rated, surviving restarts, and every wrong input answered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SentMessage, SimUser
from tests.e2e.helpers import admitted, last_text, say
from tests.e2e.helpers import button_pairs as buttons

HOUR = timedelta(hours=1)


def published(club: SimulatedClub) -> list[SentMessage]:
    """Copies of previews in the group: the bot's protected messages."""
    return [
        m for m in club.sandbox.bot_messages(club.group) if m.protect_content and not m.poll_id
    ]


async def press(club: SimulatedClub, user: SimUser, msg: SentMessage, data: str) -> str:
    """``user`` taps a button; the callback answer they see."""
    sb = club.sandbox
    before = len(sb.callback_answers)
    sb.press_button(user, msg, data)
    await sb.wait_for(lambda: len(sb.callback_answers) > before, message=f"{data} unanswered")
    await club.settle()
    return str(sb.callback_answers[-1]["text"])


async def write_preview(club: SimulatedClub, command: str) -> SentMessage:
    """Bruno (brand team) writes a photo preview to the bot and replies to it."""
    sb, bruno = club.sandbox, club.brand_manager
    if not sb.has_started(bruno):
        sb.start_bot(bruno)
    original = sb.send_photo(bruno, bruno, caption="Our winter croissant 🥐")
    await say(club, bruno, command, reply_to=original)
    return original


async def test_preview_is_published_at_its_time_protected_pinned_and_rated(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        # Ratings count only from seated members (a forged press from anyone else does not).
        ada = await admitted(club, "Ada", 2**32 + 4242)
        await write_preview(club, "/preview in 2h --title Winter croissant")

        confirmation = sb.bot_messages(club.brand_manager)[-1]
        assert "Winter croissant" in (confirmation.text or "")
        assert ("Cancel this preview", "v1:pv:cancel:1@main") in buttons(confirmation)
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
        assert await press(club, ada, preview, "v1:pv:rate:1:4") == "You rated 4★. Thank you!"
        assert await press(club, ada, preview, "v1:pv:rate:1:2") == (
            "You changed your rating to 2★ (was 4★)."
        )

        await club.advance(timedelta(seconds=10))  # the tally refresh is due
        labels = [text for text, _ in buttons(preview)]
        assert labels[:5] == ["1★", "2★ · 1", "3★", "4★", "5★"]
        assert "⌀ 2.0★ from 1 rating" in labels[5]


async def test_restart_before_publication_still_publishes_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        await write_preview(club, "/preview in 2h")
        await club.restart()
        assert published(club) == []
        await club.advance(2 * HOUR)
        await club.restart()  # the restart ticks at start: nothing is due twice
        await club.advance(HOUR)
        assert len(published(club)) == 1


async def test_preview_missed_while_the_bot_was_down_is_published_late_once(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        await write_preview(club, "/preview in 1h")
        club.clock.advance(5 * HOUR)  # the bot is "down" across the due time...
        await club.restart()  # ...and catches up at the first tick after it starts
        await club.tick()
        assert len(published(club)) == 1
        await club.advance(HOUR)
        assert len(published(club)) == 1


async def test_crash_while_publishing_never_publishes_twice(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        await write_preview(club, "/preview in 1h")
        # The bot claimed the preview and stopped before recording the result.
        await club.services.db.execute("UPDATE previews SET status = 'publishing' WHERE id = 1")
        await club.restart()
        await club.advance(2 * HOUR)
        assert published(club) == []
        assert "check the group" in last_text(club, club.brand_manager)


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_album_preview_with_poll_and_unpinning_the_previous_one(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        await write_preview(club, "/preview now --title First")
        [first] = published(club)
        assert first.pinned

        album = sb.send_album(bruno, bruno, n=3, caption="Three new tarts")
        await say(
            club,
            bruno,
            '/preview now --title Tarts --poll "Which first? | Lemon | Plum"',
            reply_to=album[1],
        )
        await sb.wait_for(lambda: any(m.poll_id for m in sb.bot_messages(club.group)))
        copies = published(club)[1:]
        photos = [m for m in copies if m.photo]
        assert len(photos) == 3 and photos[0].caption == "Three new tarts"
        keyboard = [m for m in copies if m.reply_markup]
        assert len(keyboard) == 1 and "v1:pv:rate:2:5" in [d for _, d in buttons(keyboard[0])]
        assert photos[0].pinned and not first.pinned
        polls = [m for m in sb.bot_messages(club.group) if m.poll_id]
        assert len(polls) == 1 and polls[0].reply_to == photos[0].message_id
        # Protected like the preview: a forwarded poll would count outsiders' votes.
        assert polls[0].protect_content
        assert sb.poll(polls[0].poll_id).question == "Which first?"


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_cancel_by_button_and_by_command(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        await write_preview(club, "/preview in 1h")
        confirmation = sb.bot_messages(bruno)[-1]
        assert await press(club, bruno, confirmation, "v1:pv:cancel:1@main") == (
            "Preview #1 is cancelled; it will not be published."
        )
        await write_preview(club, "/preview in 1h")
        assert await say(club, bruno, "/preview_cancel 2") == (
            "Preview #2 is cancelled; it will not be published."
        )
        assert await say(club, bruno, "/preview_cancel 2") == "Preview #2 was already cancelled."
        await club.advance(2 * HOUR)
        assert published(club) == []


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_every_wrong_input_gets_a_clear_reply(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        sb.start_bot(bruno)
        await club.settle()

        async def reply_to(
            text: str, reply: SentMessage | None = None, who: SimUser | None = None
        ) -> str:
            return await say(club, who or bruno, text, reply_to=reply)

        original = sb.send_text(bruno, bruno, "Secret: the winter menu")
        assert "as a reply to the preview" in await reply_to("/preview in 2h")
        assert "in the past" in await reply_to("/preview at 2020-01-01 09:00", original)
        assert "not a time" in await reply_to("/preview tomorrow-ish", original)
        assert "not a duration" in await reply_to("/preview in 2 fortnights", original)
        many = " | ".join(f"O{i}" for i in range(13))
        assert "Too many options (13)" in await reply_to(
            f'/preview in 1h --poll "Q? | {many}"', original
        )
        assert "Unknown option --loud" in await reply_to("/preview in 1h --loud", original)
        assert "no preview #42" in await reply_to("/preview_cancel 42")
        assert "Usage: /preview_cancel ID" in await reply_to("/preview_cancel soon")
        mine = sb.bot_messages(bruno)[-1]
        assert "not to one of my messages" in await reply_to("/preview in 1h", mine)

        eve = sb.create_user("Eve")
        sb.start_bot(eve)
        own = sb.send_text(eve, eve, "my fake preview")
        assert "Only the community's moderators and the brand team" in await reply_to(
            "/preview now", own, eve
        )
        assert "Only the community's moderators" in await reply_to("/previews", None, eve)
        assert "Only the community's moderators" in await reply_to("/preview_cancel 1", None, eve)
        assert published(club) == []


async def test_demo_scene_publishes_rates_and_votes(tmp_path: Path) -> None:
    import io

    from bot.demo.narrator import Narrator
    from bot.demo.previews import preview_scene

    async with simulated_club(tmp_path / "club.db") as club:
        out = io.StringIO()
        preview = await preview_scene(club, Narrator(club, out))
        assert preview is not None and preview.pinned and preview.protect_content
        text = out.getvalue()
        assert "⌀ 4.7★ from 3 ratings" in text
        assert "Would you buy it?" in text and "Rating 4.7★ from 3" in text
        assert "🔥 1" in text


async def test_reactions_are_counted_and_group_commands_are_redirected(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada, ben = sb.create_user("Ada"), sb.create_user("Ben")
        for member in (ada, ben):
            sb.add_member(club.group, member)
        await write_preview(club, "/preview now")
        [preview] = published(club)
        sb.react(ada, preview, ["🔥"])
        sb.react(ben, preview, ["🔥", "😍"])
        sb.react(ben, preview, ["😍"])  # Ben takes back his fire
        await club.settle()
        feedback = await club.features.previews.repo.feedback(1)
        assert feedback.reactions == {"🔥": 1, "😍": 1}

        # Previews are prepared privately: /preview in the group gets a pointer, nothing else.
        sb.send_text(club.owner, club.group, "/preview now", reply_to=preview)
        await sb.wait_for(
            lambda: "in a private chat" in (sb.bot_messages(club.group)[-1].text or "")
        )
        assert len(published(club)) == 1
