"""Feedback ingest: every member message in the community group, scored and stored.

The observer runs last (``handler_groups.OBSERVERS``) for each new or edited message in the
community group. It only *queues* the message (:class:`~bot.feedback.repo.UnscoredMessages`);
the write-behind flush analyses the whole batch at once (sentiment, aspects, topics; in a
worker process, :mod:`bot.sentiment.batch`) and writes it in one transaction with the updates'
"processed" marks. No await, no scoring, no transaction per message in the handler: the event
loop's share of a message is a few microseconds.

What is not feedback, and what happens to it (counted in ``FeedbackService.counts``):

* messages in other chats, messages without text or caption (stickers, service messages:
  joins, leaves, pins), bots, bot commands: skipped;
* automatic forwards from the linked channel (``is_automatic_forward``): skipped;
* anonymous admin posts (``sender_chat`` is the group itself): stored apart in ``brand_posts``
  (not scored, not in the sentiment figures; the digest counts them);
* posts made as some other channel (``sender_chat`` is a channel): skipped, as we cannot tell
  which member wrote them.

An edit re-scores the same row (upsert on ``(chat_id, message_id)``).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import Application, BaseHandler, ContextTypes

from bot.config import SentimentSettings
from bot.core import handler_groups
from bot.core.app_hooks import add_startup_hook
from bot.core.commands import CommandSpec
from bot.core.services import Chats, Services
from bot.core.topics import replied_to, topic_of
from bot.feedback.repo import FeedbackRepository
from bot.sentiment.analyzer import Analyzer
from bot.sentiment.batch import AnalyzerConfig, BatchScorer, InlineScoring, ProcessScoring

log = logging.getLogger(__name__)

NAME = "feedback"
COMMANDS: tuple[CommandSpec, ...] = ()

# Outcomes of ingest(), also the keys of FeedbackService.counts.
STORED = "stored"
BRAND_POST = "brand_post"
SKIPPED_OTHER_CHAT = "other_chat"
SKIPPED_NO_TEXT = "no_text"
SKIPPED_BOT = "bot"
SKIPPED_COMMAND = "command"
SKIPPED_AUTOMATIC_FORWARD = "automatic_forward"
SKIPPED_AS_CHANNEL = "as_channel"


def build_analyzer(settings: SentimentSettings) -> Analyzer:
    return Analyzer(
        lexicon=settings.lexicon,
        aspects=settings.aspects,
        positive_threshold=settings.positive_threshold,
        negative_threshold=settings.negative_threshold,
    )


def build_scoring(analyzer: Analyzer, settings: SentimentSettings, processes: int) -> BatchScorer:
    """The worker process (``processes`` = 1; ``analyzer`` if it fails) or the event loop (0)."""
    if not processes:
        return InlineScoring(analyzer)
    config = AnalyzerConfig(
        settings.lexicon,
        settings.aspects,
        settings.positive_threshold,
        settings.negative_threshold,
    )
    return ProcessScoring(analyzer, config)


class FeedbackService:
    """Queues member messages to be scored and stored; synchronous so the hot path never awaits.

    ``scoring`` scores each written batch; by default ``analyzer`` does it on the event loop.
    """

    def __init__(
        self,
        analyzer: Analyzer,
        repo: FeedbackRepository,
        chats: Chats,
        scoring: BatchScorer | None = None,
    ) -> None:
        self.analyzer = analyzer
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
            if text is None:
                return SKIPPED_NO_TEXT
        sent_at = int(message.date.timestamp())
        edited_at = int(message.edit_date.timestamp()) if message.edit_date else None
        sender_chat = message.sender_chat
        if sender_chat is not None:
            if message.is_automatic_forward:
                return SKIPPED_AUTOMATIC_FORWARD
            if sender_chat.id == chat_id:
                self.repo.defer_brand_post(chat_id, message.message_id, sent_at, edited_at, text)
                return BRAND_POST
            return SKIPPED_AS_CHANNEL
        user = message.from_user
        if user is None or user.is_bot:
            return SKIPPED_BOT
        if text.startswith("/") and _is_command(message):
            return SKIPPED_COMMAND
        reply = replied_to(message)
        self._unscored.add(
            chat_id,
            message.message_id,
            user.id,
            sent_at,
            edited_at if edited else None,
            reply.message_id if reply is not None else None,
            topic_of(message),
            is_caption,
            text,
        )
        return STORED


def _is_command(message: Message) -> bool:
    entities = message.entities
    return bool(
        entities and entities[0].type == MessageEntity.BOT_COMMAND and entities[0].offset == 0
    )


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    settings = services.settings
    analyzer = build_analyzer(settings.sentiment)
    scoring = build_scoring(analyzer, settings.sentiment, settings.runtime.scoring_processes)
    service = FeedbackService(analyzer, FeedbackRepository(services.db), services.chats, scoring)
    if isinstance(scoring, ProcessScoring):
        # The worker takes about a second to start (it imports TextBlob's lexicons): start it
        # with the bot, not with the first batch.
        async def warm_up() -> None:
            scoring.warm_up()

        add_startup_hook(app, warm_up)
    services.features[NAME] = service
    app.add_handler(Observer(service), group=handler_groups.OBSERVERS)


class Observer(BaseHandler[Update, Any, None]):
    """Scores each new or edited message while PTB checks the update; never claims it.

    Scoring is synchronous (the write is deferred), needs no context and never replies, so it
    happens in ``check_update`` (PTB calls it once per update) and the answer is always "not
    mine". For a plain member message no handler claims the update at all, and PTB builds no
    CallbackContext, refreshes no data and awaits no coroutine: ~4 µs of every message on the
    timed ingest path. Observers run last (``handler_groups.OBSERVERS``), so a guard that
    stops an update (flood, /forgetme echo) still stops it before it is scored.
    """

    __slots__ = ("_service",)

    def __init__(self, service: FeedbackService) -> None:
        super().__init__(_never_called)
        self._service = service

    def check_update(self, update: object) -> None:
        if not isinstance(update, Update):
            return None
        message = update.message
        edited = False
        if message is None:
            message = update.edited_message
            if message is None:
                return None
            edited = True
        try:
            self._service.ingest(message, edited=edited)
        except Exception:
            # An observer must never take an update down with it; the message is just not
            # scored.
            log.exception(
                "Could not score message %s in chat %s", message.message_id, message.chat.id
            )
        return None


async def _never_called(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise AssertionError("Observer.check_update never claims an update")
