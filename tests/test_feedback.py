"""Feedback ingest without Telegram: what is stored, re-scored on edit, and what is left out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from telegram import Chat, Message, MessageEntity, PhotoSize, User

from bot.config import Settings
from bot.core.digest_api import DayWindow
from bot.core.services import Chats
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.digest import stats_repo as digest_repo
from bot.feedback import (
    BRAND_POST,
    SKIPPED_AS_CHANNEL,
    SKIPPED_AUTOMATIC_FORWARD,
    SKIPPED_BOT,
    SKIPPED_COMMAND,
    SKIPPED_NO_TEXT,
    SKIPPED_OTHER_CHAT,
    STORED,
    FeedbackService,
    build_analyzer,
)
from bot.feedback.repo import FeedbackRepository, forget_message, replies_to
from tests.conftest import BIG_CHAT_ID, BIG_USER_ID

COMMUNITY = BIG_CHAT_ID
WHEN = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADA = User(BIG_USER_ID, "Ada", is_bot=False)
BEN = User(BIG_USER_ID + 1, "Ben", is_bot=False)
GROUP = Chat(COMMUNITY, Chat.SUPERGROUP, title="Bakery VIP Club")


def settings() -> Settings:
    return Settings(
        telegram={
            "token": "1:x",
            "community_chat_id": COMMUNITY,
            "brand_chat_id": -100999,
        },
        sentiment={
            "aspects": {"taste": ["taste", "flavour"], "price": ["price", "expensive"]},
            "lexicon": {"cruffin": 0.0},
        },
    )


def service_for(db: Database) -> FeedbackService:
    config = settings()
    return FeedbackService(
        build_analyzer(config.sentiment),
        FeedbackRepository(db),
        Chats(config, FactsRepository(db)),
    )


def message(
    message_id: int,
    text: str | None = None,
    *,
    user: User | None = ADA,
    chat: Chat = GROUP,
    **kwargs: Any,
) -> Message:
    entities = kwargs.pop("entities", None)
    if text is not None and text.startswith("/") and entities is None:
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    return Message(
        message_id,
        kwargs.pop("date", WHEN),
        chat,
        from_user=user,
        text=text,
        entities=entities,
        **kwargs,
    )


async def test_text_is_stored_with_its_sentiment_aspects_and_topics(db: Database) -> None:
    feedback = service_for(db)
    preview = message(10, "New: the festive bake", user=User(1, "Club Bot", is_bot=True))
    reply = message(
        11, "The festive bake is amazing, love the flavour 😍", reply_to_message=preview
    )
    assert feedback.ingest(reply) == STORED
    await db.flush()
    stored = await feedback.repo.get(COMMUNITY, 11)
    assert stored is not None
    assert stored.user_id == BIG_USER_ID and stored.sent_at == int(WHEN.timestamp())
    assert stored.reply_to == 10 and stored.label == "positive" and stored.polarity > 0.3
    assert stored.language == "en" and 0 <= stored.subjectivity <= 1
    assert set(await feedback.repo.aspects_of(COMMUNITY, 11)) == {"taste"}
    assert "festive bake" in await feedback.repo.topics_of(COMMUNITY, 11)
    # The previews feature asks for the replies to its preview message.
    found = await replies_to(db, COMMUNITY, [10, 999])
    assert [(m.message_id, m.label) for m in found] == [(11, "positive")]


async def test_a_caption_counts_like_text(db: Database) -> None:
    feedback = service_for(db)
    photo = message(12, caption="this price is way too expensive, disappointing")
    assert feedback.ingest(photo) == STORED
    await db.flush()
    stored = await feedback.repo.get(COMMUNITY, 12)
    assert stored is not None and stored.label == "negative"
    assert await feedback.repo.aspects_of(COMMUNITY, 12) == pytest.approx(
        {"price": stored.polarity}, abs=0.5
    )


async def test_an_edit_rescores_the_same_row(db: Database) -> None:
    feedback = service_for(db)
    feedback.ingest(message(20, "the taste is great, love it"))
    await db.flush()
    before = await feedback.repo.get(COMMUNITY, 20)
    assert before is not None and before.label == "positive"
    edited = message(
        20,
        "actually the price is awful, terrible",
        edit_date=datetime(2026, 12, 1, 12, 5, tzinfo=UTC),
    )
    assert feedback.ingest(edited, edited=True) == STORED
    await db.flush()
    after = await feedback.repo.get(COMMUNITY, 20)
    assert after is not None and after.label == "negative" and after.edited_at is not None
    assert after.sent_at == before.sent_at  # still counted on the day it was written
    assert await feedback.repo.count(COMMUNITY) == 1
    assert set(await feedback.repo.aspects_of(COMMUNITY, 20)) == {"price"}  # taste is gone


async def test_an_edit_that_takes_the_words_back_removes_them(db: Database) -> None:
    """Review 4c #15: a deleted caption, or a text edited into a /command, leaves nothing to
    count, score or quote."""
    feedback = service_for(db)
    photo = (PhotoSize("f", "u", 10, 10),)
    later = {"edit_date": datetime(2026, 12, 1, 12, 5, tzinfo=UTC)}
    feedback.ingest(message(22, caption="This croissant is disgusting, awful", photo=photo))
    feedback.ingest(message(23, "the price is awful, terrible"))
    await db.flush()
    assert await feedback.repo.count(COMMUNITY) == 2
    no_caption = message(22, photo=photo, **later)
    assert feedback.ingest(no_caption, edited=True) == SKIPPED_NO_TEXT
    assert feedback.ingest(message(23, "/help", **later), edited=True) == SKIPPED_COMMAND
    await db.flush()
    assert await feedback.repo.get(COMMUNITY, 22) is None
    assert await feedback.repo.get(COMMUNITY, 23) is None
    # In one batch the last word wins: written, withdrawn, written again -> stored.
    feedback.ingest(message(24, "lovely bread"))
    feedback.ingest(message(24, "/start", **later), edited=True)
    feedback.ingest(message(24, "lovely bread, great taste", **later), edited=True)
    # ... and written, then withdrawn -> gone; a new message without words stays a skip.
    feedback.ingest(message(25, "dry and bland"))
    feedback.ingest(message(25, photo=photo, **later), edited=True)
    assert feedback.ingest(message(26, photo=photo)) == SKIPPED_NO_TEXT
    await db.flush()
    again = await feedback.repo.get(COMMUNITY, 24)
    assert again is not None and again.text == "lovely bread, great taste"
    assert await feedback.repo.get(COMMUNITY, 25) is None
    assert await feedback.repo.count(COMMUNITY) == 1


async def test_staff_posts_in_their_own_name_are_brand_posts(db: Database) -> None:
    """Review 4c #7: moderators, admins and the brand team speak for the brand; by id."""
    config = settings()
    staff = {BIG_USER_ID + 1}
    feedback = FeedbackService(
        build_analyzer(config.sentiment),
        FeedbackRepository(db),
        Chats(config, FactsRepository(db)),
        is_staff=staff.__contains__,
    )
    assert feedback.ingest(message(27, "the vegan roll was dry and bland")) == STORED
    assert feedback.ingest(message(28, "our new croissant is amazing!", user=BEN)) == BRAND_POST
    await db.flush()
    assert await feedback.repo.count(COMMUNITY) == 1
    assert await feedback.repo.brand_post_count(COMMUNITY) == 1
    assert await feedback.repo.get(COMMUNITY, 28) is None


async def test_an_old_member_message_edited_by_new_staff_is_no_member_feedback(
    db: Database,
) -> None:
    """A member made moderator later edits an old message of theirs: the edit is a brand
    post now, and the member row with the words they replaced must not stay counted, scored
    and quoted as member feedback (nor the message counted twice)."""
    config = settings()
    staff: set[int] = set()
    feedback = FeedbackService(
        build_analyzer(config.sentiment),
        FeedbackRepository(db),
        Chats(config, FactsRepository(db)),
        is_staff=staff.__contains__,
    )
    assert feedback.ingest(message(29, "the bread was awful and stale", user=BEN)) == STORED
    await db.flush()
    staff.add(BEN.id)  # promoted to admin
    later = {"edit_date": datetime(2026, 12, 1, 12, 5, tzinfo=UTC)}
    edit = message(29, "the bread was fine, sorry", user=BEN, **later)
    assert feedback.ingest(edit, edited=True) == BRAND_POST
    await db.flush()
    assert await feedback.repo.get(COMMUNITY, 29) is None  # the replaced words are gone
    assert await feedback.repo.count(COMMUNITY) == 0
    assert await feedback.repo.brand_post_count(COMMUNITY) == 1


async def test_a_staff_post_edited_after_a_demotion_is_counted_once(db: Database) -> None:
    """The other way round: a brand post edited by someone no longer staff is a member
    message now, and no longer a brand post as well."""
    config = settings()
    staff = {BEN.id}
    feedback = FeedbackService(
        build_analyzer(config.sentiment),
        FeedbackRepository(db),
        Chats(config, FactsRepository(db)),
        is_staff=staff.__contains__,
    )
    assert feedback.ingest(message(30, "our new croissant is here", user=BEN)) == BRAND_POST
    await db.flush()
    staff.clear()  # no longer an admin
    later = {"edit_date": datetime(2026, 12, 1, 12, 5, tzinfo=UTC)}
    edit = message(30, "the new croissant is too sweet", user=BEN, **later)
    assert feedback.ingest(edit, edited=True) == STORED
    await db.flush()
    assert await feedback.repo.count(COMMUNITY) == 1
    assert await feedback.repo.brand_post_count(COMMUNITY) == 0


async def test_a_replayed_update_has_one_effect(db: Database) -> None:
    feedback = service_for(db)
    for _ in range(2):
        feedback.ingest(message(21, "great flavour and a fair price"))
        await db.flush()
    assert await feedback.repo.count(COMMUNITY) == 1
    assert set(await feedback.repo.aspects_of(COMMUNITY, 21)) == {"taste", "price"}


async def test_what_is_not_feedback(db: Database) -> None:
    feedback = service_for(db)
    channel = Chat(-100777, Chat.CHANNEL, title="Brand channel")
    anonymous = User(1087968824, "Group", is_bot=True)
    cases = [
        (message(30, "I am a bot", user=User(5, "Other bot", is_bot=True)), SKIPPED_BOT),
        (message(31, "/help@club_bot"), SKIPPED_COMMAND),
        (
            message(
                32,
                "Our new post!",
                user=User(777000, "Telegram", is_bot=False),
                sender_chat=channel,
                is_automatic_forward=True,
            ),
            SKIPPED_AUTOMATIC_FORWARD,
        ),
        (message(33, "Hello from the team", user=anonymous, sender_chat=GROUP), BRAND_POST),
        (
            message(
                34,
                "posting as my channel",
                user=User(136817688, "Channel", is_bot=True),
                sender_chat=channel,
            ),
            SKIPPED_AS_CHANNEL,
        ),
        (message(35, "wrong chat", chat=Chat(-100555, Chat.SUPERGROUP)), SKIPPED_OTHER_CHAT),
        (message(36, None, new_chat_members=(BEN,)), SKIPPED_NO_TEXT),
        (message(37, None, sticker=None), SKIPPED_NO_TEXT),
    ]
    for msg, expected in cases:
        assert feedback.ingest(msg) == expected, msg.text
    await db.flush()
    assert await feedback.repo.count(COMMUNITY) == 0
    assert await feedback.repo.brand_post_count(COMMUNITY) == 1
    assert feedback.counts[BRAND_POST] == 1 and feedback.counts[SKIPPED_COMMAND] == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 4096,
        "great " * 682 + "ok",
        "😍😍😍",
        "🥐",
        "Очень вкусно, спасибо!",
        "美味しいパンでした",
        "<b>bold</b> & <script>alert(1)</script> &amp; </i>",
        "\u202egnirts desrever\u200b",
    ],
)
async def test_bad_input_is_scored_or_unscored_never_a_crash(db: Database, text: str) -> None:
    feedback = service_for(db)
    assert feedback.ingest(
        message(40, text, user=User(BIG_USER_ID, "<b>Eve</b> & co", False))
    ) == (STORED)
    await db.flush()
    stored = await feedback.repo.get(COMMUNITY, 40)
    assert stored is not None and stored.text == text
    assert stored.label in {"positive", "neutral", "negative", "unscored"}
    assert -1 <= stored.polarity <= 1
    if text.startswith("Очень"):
        assert stored.label == "unscored" and stored.language != "en"


async def test_members_get_stable_numbers_in_order_of_first_message(db: Database) -> None:
    feedback = service_for(db)
    feedback.ingest(message(50, "hi all", user=BEN))
    feedback.ingest(message(51, "hello", user=ADA))
    feedback.ingest(message(52, "me again", user=BEN))
    await db.flush()
    labels = await digest_repo.member_labels(
        db, [ADA.id, BEN.id], show_names=False, pseudonym=lambda n: f"Member #{n}"
    )
    assert labels == {BEN.id: "Member #1", ADA.id: "Member #2"}


async def test_a_late_message_refreshes_a_cached_day(db: Database) -> None:
    feedback = service_for(db)
    window = DayWindow.for_day(WHEN.date(), settings().community.tz)
    feedback.ingest(message(60, "love it"))
    await db.flush()
    now = window.end + 3600
    (first,) = await digest_repo.day_stats(db, COMMUNITY, [window], now)
    assert first.messages == 1
    # A replay after a crash stores another message of that day: the cache must not hide it.
    feedback.ingest(message(61, "awful, terrible", user=BEN))
    await db.flush()
    (second,) = await digest_repo.day_stats(db, COMMUNITY, [window], now)
    assert (second.messages, second.members, second.negative) == (2, 2, 1)
    assert await forget_message(db, COMMUNITY, 61)
    (third,) = await digest_repo.day_stats(db, COMMUNITY, [window], now)
    assert third.messages == 1


async def test_the_observer_scores_new_and_edited_messages_without_claiming_them(
    db: Database,
) -> None:
    from types import SimpleNamespace

    from telegram import Update

    from bot.core.club import Club, Clubs
    from bot.feedback.handlers import Observer

    feedback = service_for(db)
    # One club: the observer finds its feedback service by the message's chat.
    clubs: Clubs[Any] = Clubs()
    clubs.add(Club(services=cast(Any, None), features=SimpleNamespace(feedback=feedback)))
    observer = Observer(clubs)
    # PTB asks check_update once per update: the observer scores then, and never claims the
    # update (no handler call, no context), so the answer is always None.
    assert observer.check_update(Update(1, message=message(70, "the taste is great"))) is None
    edited = message(70, "the price is awful", edit_date=datetime(2026, 12, 1, 12, 5, tzinfo=UTC))
    assert observer.check_update(Update(2, edited_message=edited)) is None
    assert observer.check_update(Update(3)) is None
    assert observer.check_update("not an update") is None
    await db.flush()
    stored = await feedback.repo.get(COMMUNITY, 70)
    assert stored is not None and stored.label == "negative" and stored.edited_at is not None
    assert feedback.counts[STORED] == 2


async def test_topic_ties_sort_in_reading_order_whatever_the_case(db: Database) -> None:
    # German topics are capitalised ("Papiertüte"): in binary order every capital sorts
    # before every small letter, which would put them ahead of English ties.
    feedback = service_for(db)
    feedback.ingest(message(70, "the paper box was fine"))
    feedback.ingest(message(71, "Die Papiertüte war okay", user=BEN))
    await db.flush()
    window = DayWindow.for_day(WHEN.date(), settings().community.tz)
    topics = [topic for topic, _ in await digest_repo.top_topics(db, COMMUNITY, window, 10)]
    assert "paper box" in topics and "Papiertüte" in topics
    assert topics.index("paper box") < topics.index("Papiertüte")
