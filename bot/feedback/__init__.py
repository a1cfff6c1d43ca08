"""Feedback ingest: every member message in the community group, scored and stored.

The observer runs last (``handler_groups.OBSERVERS``) for each new or edited message in the
community group. It only *queues* the message (:class:`~bot.feedback.repo.UnscoredMessages`);
the write-behind flush analyses the whole batch at once (sentiment, aspects, topics, with the
club's analyzer configuration; in a worker process, :mod:`bot.sentiment.batch`) and writes it
in one transaction with the updates' "processed" marks. No await, no scoring, no transaction
per message in the handler: the event loop's share of a message is a few microseconds.

What is not feedback, and what happens to it (counted in ``FeedbackService.counts``):

* messages in other chats, messages without text or caption (stickers, service messages:
  joins, leaves, pins), bots, bot commands: skipped;
* automatic forwards from the linked channel (``is_automatic_forward``): skipped;
* anonymous admin posts (``sender_chat`` is the group itself), and posts in their own name
  by the club's moderators, its admins and the brand team: stored apart in ``brand_posts``
  (not scored, not in the sentiment figures; the digest counts them);
* posts made as some other channel (``sender_chat`` is a channel): skipped, as we cannot tell
  which member wrote them.

An edit re-scores the same row (upsert on ``(chat_id, message_id)``); an edit that leaves
nothing to score (the caption deleted, the text turned into a command) deletes the row.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from telegram import Message, MessageEntity

from bot.config import SentimentSettings
from bot.core.services import Chats, Services
from bot.core.topics import replied_to, topic_of
from bot.feedback.records import QueuedMessage
from bot.feedback.repo import FeedbackRepository, pseudonyms, replies_to
from bot.sentiment.analyzer import Analyzer
from bot.sentiment.batch import AnalyzerConfig, BatchScorer, InlineScoring, ProcessScoring

log = logging.getLogger(__name__)

# Outcomes of ingest(), also the keys of FeedbackService.counts.
STORED = "stored"
BRAND_POST = "brand_post"
SKIPPED_OTHER_CHAT = "other_chat"
SKIPPED_NO_TEXT = "no_text"
SKIPPED_BOT = "bot"
SKIPPED_COMMAND = "command"
SKIPPED_AUTOMATIC_FORWARD = "automatic_forward"
SKIPPED_AS_CHANNEL = "as_channel"


def build_analyzer(settings: SentimentSettings, language: str = "en") -> Analyzer:
    """The club's analyzer; ``language`` (the club's) decides short messages that could be
    in either language ("Schlecht.", "Top!")."""
    return Analyzer(
        lexicon=settings.lexicon,
        aspects=settings.aspects,
        positive_threshold=settings.positive_threshold,
        negative_threshold=settings.negative_threshold,
        language=language,
    )


def build_scoring(
    analyzer: Analyzer, settings: SentimentSettings, processes: int, language: str = "en"
) -> BatchScorer:
    """The worker process (``processes`` = 1; ``analyzer`` if it fails) or the event loop (0)."""
    if not processes:
        return InlineScoring(analyzer)
    config = AnalyzerConfig(
        settings.lexicon,
        settings.aspects,
        settings.positive_threshold,
        settings.negative_threshold,
        language,
    )
    return ProcessScoring(analyzer, config)


class FeedbackService:
    """Queues member messages to be scored and stored; synchronous so the hot path never awaits.

    ``scoring`` scores each written batch; by default ``analyzer`` does it on the event loop.
    ``is_staff`` tells, by numeric id, who posts for the brand (moderators, admins, the brand
    team): their posts are stored as brand posts.
    """

    def __init__(
        self,
        analyzer: Analyzer,
        repo: FeedbackRepository,
        chats: Chats,
        scoring: BatchScorer | None = None,
        is_staff: Callable[[int], bool] = lambda user_id: False,
    ) -> None:
        self.analyzer = analyzer
        self._is_staff = is_staff
        self.repo = repo
        self.scoring = scoring or InlineScoring(analyzer)
        self._unscored = repo.unscored(self.scoring)
        self._chats = chats
        self.counts: Counter[str] = Counter()

    def ingest(self, message: Message, *, edited: bool = False) -> str:
        """Store ``message`` if it is member feedback; returns what happened to it."""
        outcome = self._ingest(message, edited)
        self.counts[outcome] += 1
        return outcome

    def _ingest(self, message: Message, edited: bool) -> str:
        chat_id = message.chat.id
        if chat_id != self._chats.community_id:
            return SKIPPED_OTHER_CHAT
        text = message.text
        is_caption = False
        if text is None:
            text = message.caption
            is_caption = True
            # A new message without words is never feedback; an edit without them may take
            # back words already stored (a deleted caption), so it goes on to be checked.
            if text is None and not edited:
                return SKIPPED_NO_TEXT
        sent_at = int(message.date.timestamp())
        edited_at = int(message.edit_date.timestamp()) if message.edit_date else None
        sender_chat = message.sender_chat
        if sender_chat is not None:
            if message.is_automatic_forward:
                return SKIPPED_AUTOMATIC_FORWARD
            if sender_chat.id == chat_id:
                if text is None:
                    return SKIPPED_NO_TEXT
                self.repo.defer_brand_post(chat_id, message.message_id, sent_at, edited_at, text)
                return BRAND_POST
            return SKIPPED_AS_CHANNEL
        user = message.from_user
        if user is None or user.is_bot:
            return SKIPPED_BOT
        if text is None or (text.startswith("/") and _is_command(message)):
            if edited:
                # The member took the words back: what they said must not be counted, scored
                # or quoted any more (a no-op if the message was never stored).
                self._unscored.withdraw(chat_id, message.message_id)
            return SKIPPED_NO_TEXT if text is None else SKIPPED_COMMAND
        if self._is_staff(user.id):
            # The brand's own people in their own name speak for the brand, like an anonymous
            # admin: their words are not member sentiment.
            if edited:
                # Written as a member before they became staff: the words this edit replaces
                # must not stay counted and quoted as a member's (a no-op if never stored).
                self._unscored.withdraw(chat_id, message.message_id)
            self.repo.defer_brand_post(chat_id, message.message_id, sent_at, edited_at, text)
            return BRAND_POST
        if edited:
            # Posted for the brand by someone no longer staff: one message, counted once, as
            # what its author is now (a no-op for the usual edit of a member message).
            self.repo.defer_forget_brand_post(chat_id, message.message_id)
        reply = replied_to(message)
        self._unscored.add(
            QueuedMessage(
                chat_id=chat_id,
                message_id=message.message_id,
                user_id=user.id,
                sent_at=sent_at,
                edited_at=edited_at if edited else None,
                reply_to=reply.message_id if reply is not None else None,
                thread_id=topic_of(message),
                is_caption=is_caption,
                text=text,
            )
        )
        return STORED


def _is_command(message: Message) -> bool:
    entities = message.entities
    return bool(
        entities and entities[0].type == MessageEntity.BOT_COMMAND and entities[0].offset == 0
    )


def build_feedback(services: Services) -> FeedbackService:
    settings = services.settings
    language = settings.community.language
    analyzer = build_analyzer(settings.sentiment, language)
    scoring = build_scoring(
        analyzer, settings.sentiment, settings.runtime.scoring_processes, language
    )
    if isinstance(scoring, ProcessScoring):
        # The worker takes about a second to start (it imports TextBlob's lexicons): start it
        # with the bot, not with the first batch.
        async def warm_up() -> None:
            scoring.warm_up()

        services.hooks.on_startup(warm_up)
    return FeedbackService(
        analyzer,
        FeedbackRepository(services.db),
        services.chats,
        scoring,
        # By numeric id only (names can be changed by anyone): the configured moderators and
        # brand team, and the group's admins as the bot last learned them.
        is_staff=services.permissions.is_brand_team,
    )


__all__ = [
    "FeedbackRepository",
    "FeedbackService",
    "build_analyzer",
    "build_feedback",
    "pseudonyms",
    "replies_to",
]
