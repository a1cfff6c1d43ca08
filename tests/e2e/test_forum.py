"""A forum club end to end: the previews topic, ratings, replies scored per topic, answers in
the topic asked in, the digest's per-topic section, and where posts go without the right."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import start_application
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.feedback.repo import FeedbackRepository
from bot.sandbox import SentMessage
from tests.e2e.helpers import admitted
from tests.e2e.test_previews import press, published, write_preview

DIGEST = {"time": "09:00", "quotes": 3}
FORUM = {"previews_topic": "Previews"}


def digests(club: SimulatedClub) -> list[SentMessage]:
    return [
        m
        for m in club.sandbox.bot_messages(club.brand)
        if m.text is not None and "Daily digest" in m.text
    ]


async def test_a_forum_club_from_preview_to_digest(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        forum=True,
        community=FORUM,
        digest=DIGEST,
        gate={"strict": False},
    ) as club:
        sb, group = club.sandbox, club.group
        # At start the bot made the previews topic (it has Manage Topics).
        previews = sb.topic_named(group, "Previews")
        assert previews is not None and previews.creator_id == sb.bot_user.id
        # Ratings count only from seated members: both come in with a code.
        ada = await admitted(club, "Ada", 2**32 + 1)
        ben = await admitted(club, "Ben", 2**32 + 2)
        tasting = sb.create_topic(club.owner, group, "Tasting notes")
        await club.advance(timedelta(hours=1))

        # Bruno's preview (with a poll) is published into the Previews topic.
        await write_preview(club, '/preview now --title Croissant --poll "Buy it? | Yes | No"')
        await club.tick()
        [preview] = published(club)
        assert preview.thread_id == previews.thread_id
        [poll] = [m for m in sb.bot_messages(group) if m.poll_id]
        assert poll.thread_id == previews.thread_id
        assert await press(club, ada, preview, "v1:pv:rate:1:5") == "You rated 5★. Thank you!"
        assert await press(club, ben, preview, "v1:pv:rate:1:4") == "You rated 4★. Thank you!"

        # Members talk: a reply to the preview in its topic, a note in Tasting, hello in General.
        reply = sb.send_text(
            ada, group, "Love this croissant, so flaky and buttery!", reply_to=preview
        )
        note = sb.send_text(ben, group, "The rye was dry and bland today", topic=tasting)
        hello = sb.send_text(ada, group, "Good morning everyone")
        await club.settle()
        assert reply.thread_id == previews.thread_id  # a reply lands in the preview's topic
        stored = FeedbackRepository(club.services.db)
        scored_reply = await stored.get(group.id, reply.message_id)
        assert scored_reply is not None and scored_reply.label == "positive"
        assert (scored_reply.thread_id, scored_reply.reply_to) == (
            previews.thread_id,
            preview.message_id,
        )
        scored_note = await stored.get(group.id, note.message_id)
        # In a topic every message "replies" to the topic's first message: not a reply here.
        assert scored_note is not None and scored_note.label == "negative"
        assert (scored_note.thread_id, scored_note.reply_to) == (tasting.thread_id, None)
        scored_hello = await stored.get(group.id, hello.message_id)
        assert scored_hello is not None and scored_hello.thread_id is None

        # A command typed in a topic is answered in that topic.
        sb.send_text(ben, group, "/rules", topic=tasting)
        await club.settle()
        answer = sb.bot_messages(group)[-1]
        assert "Be kind" in (answer.text or "") and answer.thread_id == tasting.thread_id

        # The next morning's digest has a section per topic, with its n.
        club.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await club.tick()
        (digest,) = digests(club)
        text = digest.text or ""
        assert "Topics" in text
        assert "Previews: 1 message from 1 member; 1 positive, 0 negative of 1 scored" in text
        assert "Tasting notes: 1 message from 1 member; 0 positive, 1 negative" in text
        assert "General: 1 message from 1 member" in text
        assert text.count("too few to tell the mood") == 3


async def test_without_manage_topics_posts_go_to_general_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.forum")
    async with simulated_club(
        tmp_path / "club.db", forum=True, start=False, community=FORUM, gate={"strict": False}
    ) as club:
        sb, group = club.sandbox, club.group
        sb.make_bot_admin(group, can_pin_messages=True, can_delete_messages=True)
        await start_application(club.app)
        await club.settle()
        assert sb.topics(group) == []
        await write_preview(club, "/preview now --title First")
        await club.tick()
        await write_preview(club, "/preview now --title Second")
        await club.tick()
        assert [m.thread_id for m in published(club)] == [None, None]
        fallbacks = [r for r in caplog.records if "go to General" in r.getMessage()]
        assert len(fallbacks) == 1, "the fallback is logged once, not per post"
        assert "Manage Topics" in fallbacks[0].getMessage()

        # The owner makes the topic by hand: from then on previews go there.
        made = sb.create_topic(club.owner, group, "Previews")
        await club.settle()
        await write_preview(club, "/preview now --title Third")
        await club.tick()
        assert published(club)[-1].thread_id == made.thread_id


async def test_a_deleted_or_closed_previews_topic_never_loses_a_post(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", forum=True, community=FORUM, gate={"strict": False}
    ) as club:
        sb, group = club.sandbox, club.group
        first = sb.topic_named(group, "Previews")
        assert first is not None
        sb.delete_topic(club.owner, group, first)  # tidied away; the bot is not told
        await write_preview(club, "/preview now --title After delete")
        await club.tick()
        again = sb.topic_named(group, "Previews")
        assert again is not None and again.thread_id != first.thread_id
        assert published(club)[-1].thread_id == again.thread_id

        # Closed, and the bot loses Manage Topics: the post goes to General, not nowhere.
        sb.close_topic(club.owner, group, again)
        sb.make_bot_admin(group, can_pin_messages=True, can_delete_messages=True)
        await club.settle()
        await write_preview(club, "/preview now --title While closed")
        await club.tick()
        assert published(club)[-1].thread_id is None
        sb.reopen_topic(club.owner, group, again)
        await club.settle()
        await write_preview(club, "/preview now --title Reopened")
        await club.tick()
        assert published(club)[-1].thread_id == again.thread_id
