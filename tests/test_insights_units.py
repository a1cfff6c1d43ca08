"""Insights without Telegram: the small-count statistics, the detector, the alert facts,
segments and cohorts computed at query time (so erasure removes a person)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import math
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import InsightSettings, Settings
from bot.core.erasure import ERASED_QUOTE
from bot.db import Database
from bot.gate.ledger import Ledger
from bot.gate.repo import GateRepository
from bot.insights.alerts import AlertMonitor
from bot.insights.cohorts import campaign_cohorts
from bot.insights.detector import (
    ALL,
    PER_MEMBER,
    DetectorParams,
    HourCounts,
    WindowMessage,
    evaluate,
)
from bot.insights.records import AspectVerdict, Comparison, Verdict
from bot.insights.segments import MemberActivity, Segment, classify, segments
from bot.insights.stats import (
    betabinom_sf,
    clear_difference,
    mean_interval,
    negbin_sf,
    star_interval,
    wilson_interval,
)
from bot.insights.verdict_texts import verdict_text
from bot.privacy.repo import PrivacyRepository

CHAT = -1001234567890
DAY = 86400
NOW = 1_780_000_000 - 1_780_000_000 % 3600 + 1800  # half past an hour


def test_negbin_tail_matches_poisson_when_the_rate_is_certain() -> None:
    # A huge Gamma weight pins the rate at 2: the predictive becomes Poisson(2).
    poisson_ge_5 = 1 - sum(math.exp(-2) * 2**k / math.factorial(k) for k in range(5))
    assert math.isclose(negbin_sf(5, 2e6, 1e6), poisson_ge_5, rel_tol=1e-3)
    # Less history (a smaller weight) makes the same count less surprising.
    assert negbin_sf(5, 2 * 3, 3) > poisson_ge_5
    assert negbin_sf(0, 1, 1) == 1.0


def test_betabinomial_tail_sums_to_one_and_grows_with_the_share() -> None:
    assert math.isclose(betabinom_sf(1, 10, 2, 8) + (1 - betabinom_sf(1, 10, 2, 8)), 1.0)
    assert betabinom_sf(0, 10, 2, 8) == 1.0
    assert betabinom_sf(11, 10, 2, 8) == 0.0
    assert betabinom_sf(5, 20, 2, 18) < betabinom_sf(5, 20, 6, 14)


def test_mean_interval_and_clear_difference_admit_their_n() -> None:
    assert mean_interval([4.0]) is None
    few = mean_interval([5.0, 3.0, 4.0], lower=1, upper=5)
    many = mean_interval([5.0, 3.0, 4.0] * 20, lower=1, upper=5)
    assert few is not None and many is not None
    assert few.high - few.low > many.high - many.low  # fewer raters, wider interval
    assert few.low >= 1 and few.high <= 5
    assert not clear_difference(0.3, 0.4, 5, 0.1, 0.4, 5)  # 0.2 is noise at n = 5
    assert clear_difference(0.3, 0.4, 400, 0.1, 0.4, 400)  # not at n = 400
    low, high = wilson_interval(3, 10)
    assert 0 < low < 0.3 < high < 1


def _message(
    i: int, user: int, label: str, aspects: dict[str, float] | None = None
) -> WindowMessage:
    return WindowMessage(i, user, NOW - 600, label, -0.5 if label == "negative" else 0.3,
                         aspects or {}, [], f"text {i}")  # fmt: skip


def _steady_hours(total: int, negative: int, taste: int = 0) -> dict[int, HourCounts]:
    hour = NOW - NOW % 3600
    return {
        hour - h * 3600: HourCounts(total, negative, {"taste": taste}) for h in range(1, 60 * 24)
    }


def test_detector_alerts_on_a_burst_not_on_normal_or_one_angry_member() -> None:
    hours = _steady_hours(total=20, negative=2, taste=0)
    params = DetectorParams()
    start = NOW - 3600
    normal = [_message(i, i, "negative" if i < 2 else "neutral") for i in range(20)]
    [decision] = evaluate(start, NOW, normal, hours, [ALL], params)
    assert not decision.spike and decision.observed == 2
    burst = normal + [_message(100 + i, 100 + i, "negative", {"taste": -0.5}) for i in range(9)]
    decisions = {d.key: d for d in evaluate(start, NOW, burst, hours, [ALL, "taste"], params)}
    assert decisions["taste"].spike, decisions["taste"]
    assert decisions["taste"].observed == 9 and decisions["taste"].members == 9
    one_person = normal + [_message(200 + i, 7, "negative", {"taste": -0.5}) for i in range(9)]
    [alone] = evaluate(start, NOW, one_person, hours, ["taste"], params)
    assert alone.observed == 9 and alone.members == 1 and not alone.spike


def test_detector_ignores_a_launch_day_with_a_normal_share() -> None:
    hours = _steady_hours(total=20, negative=2)
    launch = [_message(i, i, "negative" if i % 10 == 0 else "positive") for i in range(150)]
    [decision] = evaluate(NOW - 3600, NOW, launch, hours, [ALL], DetectorParams())
    assert decision.observed == 15 and decision.p_count < 3e-4  # more negatives in volume...
    assert not decision.spike  # ...but the same share: not a spike


def test_no_decision_without_history() -> None:
    assert (
        evaluate(NOW - 3600, NOW, [_message(1, 1, "negative")], {}, [ALL], DetectorParams()) == []
    )


def _settings(db_path: Path) -> Settings:
    return Settings.model_validate(
        {
            "telegram": {"token": "1:x", "community_chat_id": CHAT, "brand_chat_id": -1009},
            "storage": {"database": db_path},
            "sentiment": {"aspects": {"taste": ["dry"]}},
        }
    )


async def _insert(db: Database, rows: list[tuple[int, int, int, str, dict[str, float]]]) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, "
            "polarity, subjectivity, label, language, aspects, topics) "
            "VALUES (?, ?, ?, ?, ?, ?, 0.5, ?, 'en', ?, ?)",
            [
                (CHAT, mid, uid, at, f"so dry today {mid}", -0.5 if label == "negative" else 0.3,
                 label, json.dumps(asp) if asp else None, json.dumps(["dry batch"]))
                for mid, uid, at, label, asp in rows
            ],
        )  # fmt: skip


async def _history_and_burst(db: Database) -> None:
    rows = []
    mid = 0
    for hour in range(1, 21 * 24):  # three weeks of 6 messages an hour, one negative
        for k in range(6):
            mid += 1
            rows.append(
                (
                    mid,
                    1000 + k,
                    NOW - hour * 3600 + k * 60,
                    "negative" if k == 0 else "positive",
                    {},
                )
            )
    for k in range(10):  # the dry batch: ten members in the last half hour
        mid += 1
        rows.append((mid, 2000 + k, NOW - 1800 + k * 60, "negative", {"taste": -0.6}))
    await _insert(db, rows)


async def test_alert_is_recorded_once_then_cools_down_and_survives_a_restart(
    db: Database, tmp_path: Path
) -> None:
    await _history_and_burst(db)
    monitor = AlertMonitor(db, _settings(tmp_path / "test.db"))
    [alert_id] = await monitor.check(CHAT, NOW)
    alert = await monitor.repo.get(alert_id)
    assert alert is not None and alert.key == "taste" and alert.state == "pending"
    assert "Negative talk about taste is up" in alert.text
    assert "https://t.me/c/1234567890/" in alert.text and "Member #" in alert.text
    assert await monitor.check(CHAT, NOW + 300) == []  # cooling: one alert per key
    restarted = AlertMonitor(db, _settings(tmp_path / "test.db"))
    assert await restarted.check(CHAT, NOW + 600) == []  # the fact is in SQLite
    assert len(await restarted.repo.all_alerts()) == 1


async def test_erasure_and_retention_remove_quotes_from_stored_alerts(
    db: Database, tmp_path: Path
) -> None:
    """Quotes in a stored alert are erased by who wrote them, and all of them by retention."""
    await _history_and_burst(db)
    monitor = AlertMonitor(db, _settings(tmp_path / "test.db"))
    [alert_id] = await monitor.check(CHAT, NOW)
    owners = await db.fetchall(
        "SELECT user_id, line FROM insight_alert_quotes WHERE alert_id = ?", (alert_id,)
    )
    stored = await _text(monitor, alert_id)
    assert len(owners) == 3 and all(row["line"] in stored for row in owners)
    erased, kept = owners[0], owners[1:]
    async with db.transaction() as conn:
        changed = await monitor.repo.tx_erase_quotes_of(conn, erased["user_id"])
    text = await _text(monitor, alert_id)
    assert changed == 1 and erased["line"] not in text and ERASED_QUOTE in text
    assert all(row["line"] in text for row in kept)
    async with db.transaction() as conn:
        assert await monitor.repo.tx_erase_quotes_before(conn, NOW - 1) == 0  # not old yet
        assert await monitor.repo.tx_erase_quotes_before(conn, NOW + 1) == 1
    text = await _text(monitor, alert_id)
    assert not any(row["line"] in text for row in owners) and "so dry today" not in text
    assert await db.fetchall("SELECT * FROM insight_alert_quotes") == []


async def _text(monitor: AlertMonitor, alert_id: int) -> str:
    alert = await monitor.repo.get(alert_id)
    assert alert is not None
    return alert.text


async def test_muted_key_does_not_alert(db: Database, tmp_path: Path) -> None:
    await _history_and_burst(db)
    monitor = AlertMonitor(db, _settings(tmp_path / "test.db"))
    await monitor.repo.mute(["taste", "all"], NOW + DAY, 42, 0, NOW - 60)
    assert await monitor.check(CHAT, NOW) == []


def test_segment_rules() -> None:
    s = InsightSettings()
    now = 100 * DAY

    def member(**kw: object) -> MemberActivity:
        base: dict[str, object] = dict(
            user_id=1, joined_at=now - 60 * DAY, recent_actions=0, earlier_actions=0,
            last_action_at=None, recent_scored=0, recent_sentiment=None, recent_ratings=0,
            recent_mean_stars=None,
        )  # fmt: skip
        base.update(kw)
        return MemberActivity(**base)  # type: ignore[arg-type]

    assert classify(member(joined_at=now - DAY), now, s) is Segment.NEWCOMER
    assert (
        classify(member(recent_actions=8, recent_scored=6, recent_sentiment=0.4), now, s)
        is Segment.ADVOCATE
    )
    assert (
        classify(member(recent_actions=8, recent_scored=6, recent_sentiment=-0.2), now, s)
        is Segment.REGULAR
    )
    assert (
        classify(member(earlier_actions=5, last_action_at=now - 20 * DAY), now, s)
        is Segment.AT_RISK
    )
    assert classify(member(), now, s) is Segment.QUIET


async def _seat(db: Database, user: int, label: str, joined: int, state: str = "member") -> None:
    await db.execute(
        "INSERT INTO gate_seats (user_id, label, state, seat, redeemed_at, joined_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (user, label, state, int(state == "member"), joined, joined, joined),
    )


async def test_cohorts_and_segments_forget_an_erased_member(db: Database) -> None:
    now = NOW
    await _seat(db, 1, "flyer", now - 40 * DAY)
    await _seat(db, 2, "flyer", now - 40 * DAY, state="left")
    await db.execute("UPDATE gate_seats SET left_at = ? WHERE user_id = 2", (now - 38 * DAY,))
    last_bucket = now // (7 * DAY) * (7 * DAY) - DAY  # in a finished 7-day bucket
    await _seat(db, 3, "newsletter", last_bucket - DAY)
    await _insert(
        db, [(1, 1, now - 39 * DAY, "positive", {}), (2, 3, last_bucket, "positive", {})]
    )
    cohorts = {c.label: c for c in await campaign_cohorts(db, CHAT, now)}
    flyer = cohorts["flyer"]
    assert flyer.joined == 2 and flyer.members_now == 1
    seven = next(r for r in flyer.retention if r.days == 7)
    assert (seven.still, seven.eligible) == (1, 2)
    assert flyer.weekly_active[0] == (0, 0.5, 2)  # one of two posted in week 1
    found = await segments(db, CHAT, now, InsightSettings())
    assert [m.user_id for m in found[Segment.NEWCOMER]] == [3]
    # /forgetme's erasure path (privacy discovers every table naming a person): user 3's
    # seat, messages and cached weeks go, and with them every cohort and segment row.
    assert await db.fetchone("SELECT 1 FROM insight_member_weeks WHERE user_id = 3")
    erasure = await PrivacyRepository(db).erase_person(3)
    assert erasure.deleted.get("insight_member_weeks") == 1
    assert "newsletter" not in {c.label for c in await campaign_cohorts(db, CHAT, now)}
    found = await segments(db, CHAT, now, InsightSettings())
    assert all(m.user_id != 3 for ms in found.values() for m in ms)


async def test_kicked_and_unbanned_recruits_stay_in_their_cohort_without_an_id(
    db: Database,
) -> None:
    """Review 4c #10: /kick and /unban delete the seat row (a new code is needed), and the
    cohort keeps the recruit as an anonymous departure: joined, and gone when they went."""
    now = NOW
    settings = Settings(telegram={"token": "1:x", "community_chat_id": CHAT, "brand_chat_id": -1})
    ledger = Ledger(db, GateRepository(db), settings)
    await _seat(db, 1, "flyer", now - 40 * DAY)
    await _seat(db, 2, "flyer", now - 40 * DAY)
    await _seat(db, 3, "flyer", now - 40 * DAY)
    await ledger.kick(2, now - 35 * DAY)  # stayed 5 days
    await ledger.ban(3, now - 20 * DAY)  # stayed 20 days ...
    await ledger.unban(3, now - 10 * DAY)  # ... the unban changes nothing about that
    cohorts = {c.label: c for c in await campaign_cohorts(db, CHAT, now)}
    flyer = cohorts["flyer"]
    assert (flyer.joined, flyer.members_now) == (3, 1)
    retention = {r.days: (r.still, r.eligible) for r in flyer.retention}
    assert retention[7] == (2, 3) and retention[30] == (1, 3)
    assert flyer.weekly_active[0][2] == 1  # weekly shares only of rows with an id
    assert [r[0] for r in await db.fetchall("SELECT user_id FROM gate_seats")] == [1]
    departures = await db.fetchall("SELECT * FROM gate_departures")
    assert len(departures) == 2
    assert sorted(departures[0].keys()) == ["id", "joined_at", "label", "left_at"]  # no person


async def test_export_campaigns_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "club.db"
    db = await Database.open(db_path)
    now = int(time.time())
    await _seat(db, 1, "flyer", now - 40 * DAY)
    await _seat(db, 2, "flyer", now - 10 * DAY, state="left")
    await db.close()
    config = tmp_path / "config.toml"
    config.write_text(
        '[telegram]\ntoken = "123456:TEST-token"\ncommunity_chat_id = -1001\n'
        f'brand_chat_id = -1002\n[storage]\ndatabase = "{db_path.as_posix()}"\n',
        encoding="utf-8",
    )
    capsys.readouterr()
    code = await asyncio.to_thread(
        main, ["export", "--config", str(config), "--what", "campaigns", "--format", "csv"]
    )
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["label"] == "flyer" and row["joined"] == "2" and row["members_now"] == "1"
    assert (row["eligible_30d"], row["still_members_30d"]) == ("1", "1")


def test_an_aspect_rising_with_launch_volume_at_its_usual_share_is_not_a_spike() -> None:
    # Normally 20 messages an hour, 1 negative about taste; a launch hour brings 150, and
    # taste negatives rise with them (8, the usual ~5%): volume explains it.
    hours = _steady_hours(total=20, negative=2, taste=1)
    launch = [
        _message(i, i, "negative" if i < 8 else "positive", {"taste": -0.5} if i < 8 else {})
        for i in range(150)
    ]
    [taste] = evaluate(NOW - 3600, NOW, launch, hours, ["taste"], DetectorParams())
    assert taste.observed == 8 and taste.p_count < 3e-4
    assert not taste.spike


def test_verdict_text_says_too_few_ratings_and_never_a_percentage_of_a_handful() -> None:
    few = Verdict(
        preview_id=2, label="#2 Rye loaf", published_at=0, distribution=(0, 1, 0, 1, 0),
        interval=star_interval([2, 4]), enough=False, min_ratings=5,
        poll_question="Would you buy it?", poll_options=[("Yes", 2), ("No", 1)], poll_voters=3,
        reactions={}, replies=0, repliers=0, reply_labels={}, aspects=[], themes=[],
    )  # fmt: skip
    text = verdict_text(few)
    assert "2 ratings (1★:0 2★:1 3★:0 4★:1 5★:0): too few ratings to tell (need 5)" in text
    assert "interval" not in text and "%" not in text
    assert "Poll “Would you buy it?” (n=3): Yes 2 · No 1" in text
    enough = Verdict(
        preview_id=3, label="#3 Bun", published_at=0, distribution=(0, 0, 2, 4, 6),
        interval=star_interval([3] * 2 + [4] * 4 + [5] * 6),
        enough=True, min_ratings=5, poll_question=None, poll_options=[], poll_voters=0,
        reactions={"🔥": 2}, replies=11, repliers=11,
        reply_labels={"positive": 5, "neutral": 2, "negative": 4, "unscored": 0},
        aspects=[AspectVerdict("price", 6, 4, 1, -0.2)], themes=[],
        previous=[Comparison(1, "#1 Roll", 4.1, 9)], rank=1,
    )  # fmt: skip
    text = verdict_text(enough)
    assert "<b>4.3★</b> from 12 raters (95% interval 3.8–4.9★), the best of the last 2" in text
    assert "price: mentioned by 6 of 11 repliers; negative 4, positive 1" in text


def test_one_angry_member_on_top_of_a_normal_hour_is_not_a_spike() -> None:
    # Review 4c #4: the usual hour (2 negatives from 2 members) plus one member's 15 angry
    # messages was "17 negative messages from 3 members", p ~ 2e-5. Without that member the
    # hour is exactly normal: the count tested takes at most PER_MEMBER from each member.
    hours = _steady_hours(total=20, negative=2)
    start = NOW - 3600
    normal = [_message(i, i, "negative" if i < 2 else "neutral") for i in range(20)]
    rant = normal + [_message(200 + i, 7, "negative") for i in range(15)]
    [decision] = evaluate(start, NOW, rant, hours, [ALL], DetectorParams())
    assert decision.observed == 17 and decision.members == 3
    assert decision.counted == 2 + PER_MEMBER
    assert not decision.spike, decision
    # The same 15 messages from 15 different members are a spike.
    many = normal + [_message(200 + i, 100 + i, "negative") for i in range(15)]
    [burst] = evaluate(start, NOW, many, hours, [ALL], DetectorParams())
    assert burst.counted == burst.observed == 17 and burst.spike, burst
