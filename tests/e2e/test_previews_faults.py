"""Previews while Telegram has a bad minute: what the records say matches the group.

Several previews fall due in the same tick and are claimed together; one of them (or the
author's DM about it) failing must not strand the others, and a preview whose copies reached
the group is recorded published, whatever fails after them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SentMessage, SimUser
from tests.e2e.helpers import admitted, last_text, say

HOUR = timedelta(hours=1)
# The bot tries a request five times (four retries) before giving up on a 5xx answer.
ATTEMPTS = 5

pytestmark = pytest.mark.usefixtures("quick_network_retries")


def in_group(club: SimulatedClub) -> list[SentMessage]:
    """Copies of previews and their rating prompts in the group (the bot's protected ones)."""
    return [
        m for m in club.sandbox.bot_messages(club.group) if m.protect_content and not m.poll_id
    ]


async def statuses(club: SimulatedClub) -> list[tuple[int, str]]:
    found = await club.services.db.fetchall("SELECT id, status FROM previews ORDER BY id")
    return [(int(row["id"]), str(row["status"])) for row in found]


async def write_photo_preview(club: SimulatedClub, caption: str, command: str) -> None:
    """Bruno (brand team) writes a photo preview to the bot and replies to it."""
    sb, bruno = club.sandbox, club.brand_manager
    if not sb.has_started(bruno):
        sb.start_bot(bruno)
        await club.settle()
    original = sb.send_photo(bruno, bruno, caption=caption)
    await say(club, bruno, command, reply_to=original)


async def press(club: SimulatedClub, user: SimUser, msg: SentMessage, data: str) -> str:
    sb = club.sandbox
    before = len(sb.callback_answers)
    sb.press_button(user, msg, data)
    await sb.wait_for(lambda: len(sb.callback_answers) > before, message=f"{data} unanswered")
    await club.settle()
    return str(sb.callback_answers[-1]["text"])


async def test_a_failed_dm_to_the_author_never_strands_the_next_due_preview(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        bruno = club.brand_manager
        await write_photo_preview(club, "First", "/preview in 1h")
        await write_photo_preview(club, "Second", "/preview in 1h")
        # Both fall due in one tick; the "is live" DM about the first one fails every attempt.
        club.sandbox.faults.fail_next("sendMessage", status=502, times=ATTEMPTS)
        await club.advance(HOUR)
        club.sandbox.faults.clear()

        assert [m.caption for m in in_group(club)] == ["First", "Second"]
        assert await statuses(club) == [(1, "published"), (2, "published")]
        assert last_text(club, bruno).startswith("Preview #2 is live")

        # Nothing is left "publishing" for the next start to report as interrupted.
        await club.restart()
        await club.advance(HOUR)
        assert "when I stopped" not in last_text(club, bruno)
        assert [m.caption for m in in_group(club)] == ["First", "Second"]


# Slow set; same isolation: test_a_failed_dm_to_the_author_never_strands_the_next_due_preview
@pytest.mark.slow
async def test_a_preview_that_could_not_be_sent_fails_alone_even_if_its_author_is_not_told(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        await write_photo_preview(club, "First", "/preview in 1h")
        await write_photo_preview(club, "Second", "/preview in 1h")
        # The first copy fails every attempt, and so does the DM saying it failed.
        sb.faults.fail_next("copyMessage", status=502, times=ATTEMPTS)
        sb.faults.fail_next("sendMessage", status=502, times=ATTEMPTS)
        await club.advance(HOUR)
        sb.faults.clear()

        assert [m.caption for m in in_group(club)] == ["Second"]
        assert await statuses(club) == [(1, "failed"), (2, "published")]
        assert last_text(club, bruno).startswith("Preview #2 is live")
        # A failed preview is not sent again later, and nothing is reported as interrupted.
        await club.restart()
        await club.advance(HOUR)
        assert [m.caption for m in in_group(club)] == ["Second"]
        assert "when I stopped" not in last_text(club, bruno)


async def test_album_out_but_its_rating_prompt_failing_is_published_and_rated_later(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, bruno = club.sandbox, club.brand_manager
        ada = await admitted(club, "Ada", 2**32 + 4343)
        sb.start_bot(bruno)
        await club.settle()
        album = sb.send_album(bruno, bruno, n=3, caption="Three new tarts")
        await say(club, bruno, "/preview in 1h --title Tarts", reply_to=album[0])

        # A longer outage of sendMessage: the rating prompt under the album, the author's
        # DM and the prompt's first retry (in the same tick) all fail.
        sb.faults.fail_next("sendMessage", status=502, times=3 * ATTEMPTS)
        await club.advance(HOUR)

        photos = in_group(club)
        assert len(photos) == 3 and all(m.photo for m in photos)
        assert photos[0].pinned and not any(m.reply_markup for m in photos)
        # The truth: published (the copies are there), no message carries its keyboard yet.
        row = await club.services.db.fetchone("SELECT status, message_id FROM previews")
        assert (row["status"], row["message_id"]) == ("published", None)
        assert sb.faults.pending == []  # all three sends above were refused
        assert "could not be published" not in last_text(club, bruno)

        await club.advance(timedelta(minutes=1))  # Telegram is back: the next tick posts it
        [prompt] = in_group(club)[3:]
        assert prompt.reply_to == photos[0].message_id
        assert "Tarts" in (prompt.text or "")
        assert await press(club, ada, prompt, "v1:pv:rate:1:5") == "You rated 5★. Thank you!"
        await club.advance(timedelta(minutes=1))
        assert in_group(club)[3:] == [prompt]  # posted once
