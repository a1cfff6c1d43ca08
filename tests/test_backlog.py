"""bot.core.backlog: scheduled work waits for the updates that waited while the bot was down."""

from __future__ import annotations

import logging

import pytest

from bot.core import backlog as backlog_module
from bot.core.activity import Activity
from bot.core.backlog import Backlog


def _backlog() -> tuple[Activity, Backlog, list[str]]:
    activity = Activity()
    backlog = Backlog(activity)
    heard: list[str] = []
    backlog.on_caught_up(lambda: heard.append("caught up"))
    return activity, backlog, heard


def test_a_full_answer_means_more_is_waiting() -> None:
    _activity, backlog, heard = _backlog()
    backlog.batch_queued(100, None)
    assert not backlog.caught_up and heard == []


def test_caught_up_once_the_last_short_batch_is_handled() -> None:
    activity, backlog, heard = _backlog()
    backlog.batch_queued(100, None)
    # Told once the updater has queued the short batch (at its next getUpdates).
    activity.update_queued()
    activity.update_queued()
    backlog.batch_queued(2, None)
    assert not backlog.caught_up
    activity.update_done()
    assert not backlog.caught_up
    activity.update_done()
    assert backlog.caught_up and heard == ["caught up"]
    activity.update_queued()
    activity.update_done()
    assert heard == ["caught up"]  # told once


def test_a_smaller_limit_counts_as_full() -> None:
    _activity, backlog, heard = _backlog()
    backlog.batch_queued(10, 10)
    assert heard == []
    backlog.batch_queued(0, 10)
    assert heard == ["caught up"]


def test_webhook_waits_for_telegram_to_deliver_everything() -> None:
    activity, backlog, heard = _backlog()
    activity.update_queued()
    backlog.webhook_pending(3)
    assert heard == []
    backlog.webhook_pending(0)
    assert heard == []  # one still being handled
    activity.update_done()
    assert heard == ["caught up"]


def test_waiting_stops_after_the_limit(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1_000.0]
    monkeypatch.setattr(backlog_module.time, "monotonic", lambda: now[0])
    _activity, backlog, _heard = _backlog()
    assert not backlog.caught_up  # the first question starts the wait
    now[0] += backlog_module.WAIT_LIMIT - 1
    assert not backlog.caught_up
    now[0] += 2
    with caplog.at_level(logging.WARNING, logger="bot.core.backlog"):
        assert backlog.caught_up
        assert backlog.caught_up
    assert len([r for r in caplog.records if "not all in" in r.getMessage()]) == 1


def test_caught_up_stops_listening_and_no_other_listener_misses_that_change() -> None:
    activity = Activity()
    backlog = Backlog(activity)
    heard: list[int] = []
    activity.listen(lambda: heard.append(activity.updates))
    activity.update_queued()
    backlog.webhook_pending(0)
    activity.update_done()  # caught up here: the listener after it still hears of it
    assert backlog.caught_up and heard == [1, 0]
    assert len(activity._listeners) == 1
