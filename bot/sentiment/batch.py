"""Scoring stored messages in batches, in a worker process, off the event loop.

Scoring is pure Python (~50 µs a message) and the event loop has one core: analysing each
message inside its handler made it about a third of the bot's per-update cost. The ingest path
now only queues the text; when the write-behind buffer is flushed, the whole batch is scored in
one call and the scores are written in the same transaction as the rest of the batch. A
:class:`ProcessScoring` makes that call in a worker process (:mod:`bot.sentiment.worker`), so
the event loop goes on parsing and dispatching the next updates on one core while the batch is
scored on another.

Nothing is lost if the worker dies: a batch whose call fails is scored on the event loop
instead (logged), and a new worker is tried a little later. Nothing is stored unscored either:
a message's row is written only with its scores, in the transaction that also marks its update
processed, so a crash before that replays the update from the inbox.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.sentiment.analyzer import Analyzer
from bot.sentiment.worker import Scored, WorkerFailed, analyze_batch, shared_worker

log = logging.getLogger(__name__)

__all__ = ["AnalyzerConfig", "BatchScorer", "InlineScoring", "ProcessScoring", "Scored"]


class BatchScorer(Protocol):
    async def __call__(self, texts: Sequence[str]) -> list[Scored]: ...


class InlineScoring:
    """Scores the batch on the event loop (``runtime.scoring_processes = 0``, and the tests
    that build a FeedbackService by hand)."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    async def __call__(self, texts: Sequence[str]) -> list[Scored]:
        return analyze_batch(self.analyzer, texts)


class AnalyzerConfig:
    """What builds an :class:`Analyzer`, as one string the worker keeps analyzers by."""

    def __init__(
        self,
        lexicon: Mapping[str, float],
        aspects: Mapping[str, Sequence[str]],
        positive_threshold: float,
        negative_threshold: float,
        language: str = "en",
    ) -> None:
        # Not sorted: the order of the aspects is the order their scores are stored in.
        self.key = json.dumps(
            {
                "lexicon": dict(lexicon),
                "aspects": {name: list(words) for name, words in aspects.items()},
                "positive": positive_threshold,
                "negative": negative_threshold,
                "language": language,
            }
        )


class ProcessScoring:
    """Scores the batch in the shared worker process; on the event loop if that fails."""

    def __init__(self, analyzer: Analyzer, config: AnalyzerConfig) -> None:
        self._inline = InlineScoring(analyzer)
        self._config = config.key
        self.worker_cpu_seconds = 0.0  # CPU the worker spent on our batches (benchmarks)
        self.fallbacks = 0  # batches scored on the event loop because the worker failed

    async def __call__(self, texts: Sequence[str]) -> list[Scored]:
        if not texts:
            return []
        loop = asyncio.get_running_loop()
        try:
            # A thread waits on the pipe, so the event loop runs on meanwhile.
            rows, cpu = await loop.run_in_executor(
                None, shared_worker().score, self._config, texts
            )
        except WorkerFailed as exc:
            self.fallbacks += 1
            log.warning("The scoring worker failed (%s); this batch is scored here", exc)
            return await self._inline(texts)
        self.worker_cpu_seconds += cpu
        return [tuple(row) for row in rows]  # JSON arrays back into Scored tuples

    def warm_up(self) -> None:
        """Start the worker and build this configuration's analyzer there, without waiting."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, shared_worker().score, self._config, ())
        # A failed warm-up is noticed (and logged) by the first real batch.
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
