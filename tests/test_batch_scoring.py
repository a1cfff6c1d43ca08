"""Messages are scored in batches at write time, in a worker process, and never lost.

The handler only queues a message; ``Database.flush`` scores the queued batch (in the worker,
``bot.sentiment.worker``) and writes it in one transaction with the updates' marks.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from collections.abc import Sequence

import pytest

from bot.db import Database
from bot.feedback.records import QueuedMessage
from bot.feedback.repo import FeedbackRepository, UnscoredMessages
from bot.sentiment import worker as worker_module
from bot.sentiment.analyzer import Analyzer
from bot.sentiment.batch import AnalyzerConfig, InlineScoring, ProcessScoring, Scored
from bot.sentiment.worker import WorkerFailed, WorkerProcess, shared_worker
from tests.conftest import BIG_CHAT_ID, BIG_USER_ID

TEXTS = [
    "The cinnamon roll was amazing, love the price 😍",
    "Das Brot war leider total labbrig und viel zu teuer",
    "le croissant était pas ouf, trop sec",
    "De taart was echt lekker!",
    "🥐",
    "",
    "is the vegan roll good?",
]
ASPECTS = {"price": ["price", "teuer"], "texture": ["labbrig", "sec"]}
MARK = "INSERT INTO marks (update_id) VALUES (?)"


def _plain(scored: list[Scored]) -> list[tuple[object, ...]]:
    # Aspects are matched through sets, so their order in the JSON follows the process's
    # string hashing; what they say must be the same in any process.
    return [(*row[:4], row[4] and json.loads(row[4]), row[5]) for row in scored]


def _analyzer() -> Analyzer:
    return Analyzer(lexicon={"cruffin": 0.5}, aspects=ASPECTS)


def _config() -> AnalyzerConfig:
    return AnalyzerConfig({"cruffin": 0.5}, ASPECTS, 0.1, -0.1)


async def test_the_worker_scores_exactly_as_the_event_loop_would() -> None:
    inline = await InlineScoring(_analyzer())(TEXTS)
    scoring = ProcessScoring(_analyzer(), _config())
    in_worker = await scoring(TEXTS)
    assert _plain(in_worker) == _plain(inline)
    assert scoring.fallbacks == 0
    assert scoring.worker_cpu_seconds > 0
    # The German complaint is scored (not "unscored") and its aspects come along.
    assert in_worker[1][2] == "negative" and in_worker[1][3] == "de"
    assert in_worker[1][4] is not None and "texture" in in_worker[1][4]


async def test_text_that_is_not_valid_utf8_travels_to_the_worker_and_back() -> None:
    odd = ["broken \ud83d half of an emoji, lovely bread", "😍 Zimtschnecke 🥐"]
    scoring = ProcessScoring(_analyzer(), _config())
    assert _plain(await scoring(odd)) == _plain(await InlineScoring(_analyzer())(odd))
    assert scoring.fallbacks == 0


# Slow set; a worker dying: test_a_worker_dying_in_a_batch_costs_that_batch_on_the_event_loop
@pytest.mark.slow
async def test_a_worker_that_died_between_batches_is_replaced_unnoticed() -> None:
    scoring = ProcessScoring(_analyzer(), _config())
    await scoring(TEXTS[:1])  # the worker is up
    proc = shared_worker()._proc
    assert proc is not None
    proc.kill()
    proc.wait()
    assert _plain(await scoring(TEXTS)) == _plain(await InlineScoring(_analyzer())(TEXTS))
    assert scoring.fallbacks == 0


async def test_a_worker_dying_in_a_batch_costs_that_batch_on_the_event_loop() -> None:
    scoring = ProcessScoring(_analyzer(), _config())
    worker = shared_worker()
    await scoring(TEXTS[:1])
    worker.stop()
    # A "worker" that reads the request and dies without answering.
    worker._proc = subprocess.Popen(  # noqa: ASYNC220 - starting it is instant
        [sys.executable, "-c", "import sys; sys.stdin.readline()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    expected = _plain(await InlineScoring(_analyzer())(TEXTS))
    assert _plain(await scoring(TEXTS)) == expected
    assert scoring.fallbacks == 1
    assert worker._proc is None  # the dead one was let go
    worker._failed_at = None  # skip the pause before a new worker is tried
    assert _plain(await scoring(TEXTS)) == expected
    assert scoring.fallbacks == 1  # a new worker took over


async def test_a_worker_that_never_answers_is_killed_and_the_batch_scored_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_module, "ANSWER_TIMEOUT_SECONDS", 0.5)
    scoring = ProcessScoring(_analyzer(), _config())
    worker = shared_worker()
    worker.stop()
    # A "worker" that reads the request and then sleeps instead of answering.
    stuck = subprocess.Popen(  # noqa: ASYNC220 - starting it is instant
        [sys.executable, "-c", "import sys, time; sys.stdin.readline(); time.sleep(600)"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    worker._proc = stuck
    try:
        expected = _plain(await InlineScoring(_analyzer())(TEXTS))
        assert _plain(await asyncio.wait_for(scoring(TEXTS), timeout=15)) == expected
        assert scoring.fallbacks == 1
        assert stuck.poll() is not None  # killed, not left behind
    finally:
        if stuck.poll() is None:
            stuck.kill()
        worker._failed_at = None


def test_a_worker_that_answers_nonsense_is_replaced() -> None:
    worker = WorkerProcess()
    try:
        # A configuration the worker cannot build an analyzer from: it answers an error.
        with pytest.raises(WorkerFailed, match="KeyError"):
            worker.score('{"not": "a config"}', ["hello"])
        assert worker._proc is None
    finally:
        worker.stop()


class _Gated:
    """A scorer that waits until released, to hold a flush in the middle of scoring."""

    def __init__(self, fail: bool = False) -> None:
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.fail = fail
        self.inline = InlineScoring(_analyzer())

    async def __call__(self, texts: Sequence[str]) -> list[Scored]:
        self.started.set()
        await self.release.wait()
        if self.fail:
            raise RuntimeError("scoring failed")
        return await self.inline(texts)


def _queue(unscored: UnscoredMessages, message_id: int, text: str) -> None:
    unscored.add(
        QueuedMessage(
            chat_id=BIG_CHAT_ID,
            message_id=message_id,
            user_id=BIG_USER_ID,
            sent_at=1_700_000_000,
            edited_at=None,
            reply_to=None,
            thread_id=None,
            is_caption=False,
            text=text,
        )
    )


async def _texts(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetchall(
        "SELECT message_id, text, label FROM feedback_messages ORDER BY message_id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def test_a_mark_is_never_written_without_the_message_queued_before_it(
    db: Database,
) -> None:
    await db.execute("CREATE TABLE marks (update_id INTEGER)")
    gate = _Gated(fail=True)
    unscored = FeedbackRepository(db).unscored(gate)
    _queue(unscored, 1, "lovely bread")
    db.defer(MARK, (1,))
    assert db.deferred_count == 2
    flush = asyncio.create_task(db.flush())
    await gate.started.wait()
    assert db.deferred_count == 2  # in flight still counts: nothing is written yet
    gate.release.set()
    with pytest.raises(RuntimeError):
        await flush
    assert await _texts(db) == []
    assert await db.fetchall("SELECT * FROM marks") == []
    # Both are still queued, and the next flush writes them together.
    assert db.deferred_count == 2
    gate.fail = False
    await db.flush()
    assert await _texts(db) == [(1, "lovely bread", "positive")]
    assert [row[0] for row in await db.fetchall("SELECT update_id FROM marks")] == [1]
    assert db.deferred_count == 0


async def test_an_edit_queued_while_the_original_is_scored_is_written_after_it(
    db: Database,
) -> None:
    gate = _Gated()
    unscored = FeedbackRepository(db).unscored(gate)
    _queue(unscored, 7, "the bread was awful")
    first = asyncio.create_task(db.flush())
    await gate.started.wait()
    _queue(unscored, 7, "the bread was lovely (edited)")
    second = asyncio.create_task(db.flush())
    await asyncio.sleep(0.01)
    gate.release.set()
    await asyncio.gather(first, second)
    assert await _texts(db) == [(7, "the bread was lovely (edited)", "positive")]


async def test_an_edit_after_a_failed_write_is_written_after_its_original(db: Database) -> None:
    # A write that fails (here a trigger; in life a full disk) keeps its scored messages for
    # the next flush, and an edit queued meanwhile must not be overwritten by its original.
    await db.execute("CREATE TABLE marks (update_id INTEGER)")
    await db.execute("CREATE TABLE switch (broken INTEGER)")
    await db.execute("INSERT INTO switch VALUES (1)")
    await db.execute(
        "CREATE TRIGGER marks_fail BEFORE INSERT ON marks WHEN (SELECT broken FROM switch) "
        "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )
    unscored = FeedbackRepository(db).unscored(InlineScoring(_analyzer()))
    _queue(unscored, 7, "the bread was awful")
    db.defer(MARK, (1,))
    with pytest.raises(sqlite3.IntegrityError, match="the disk is full"):
        await db.flush()
    _queue(unscored, 7, "the bread was lovely (edited)")
    db.defer(MARK, (2,))
    await db.execute("UPDATE switch SET broken = 0")
    await db.flush()
    assert await _texts(db) == [(7, "the bread was lovely (edited)", "positive")]
    assert [row[0] for row in await db.fetchall("SELECT update_id FROM marks")] == [1, 2]
