"""Campaign cohorts and member segments count the same people on both sides of a share, and
only real actions (review 4c #9, #11)."""

from __future__ import annotations

from bot.config import InsightSettings
from bot.db import Database
from bot.insights.cohorts import WEEK, campaign_cohorts
from bot.insights.segments import Segment, segments
from tests.test_insights_units import CHAT, DAY, NOW, _insert, _seat


async def _poll_answer(db: Database, user: int, option_ids: str, at: int) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO polls (id, source_chat_id, source_message_id, created_by, "
        "question, options, status, created_at) VALUES (1, 1, 1, 1, 'Q?', '[\"A\",\"B\"]', "
        "'open', ?)",
        (at - DAY,),
    )
    await db.execute(
        "INSERT INTO poll_answers (poll_id, user_id, option_ids, answered_at) VALUES (1, ?, ?, ?)",
        (user, option_ids, at),
    )


async def test_the_week_one_share_is_of_members_whose_week_one_is_over(db: Database) -> None:
    # One member joined 30 days ago and never posted; three joined an hour ago and posted
    # at once. Their week 1 is still running: the share used to count them as active but not
    # as eligible, "active in week 1: 3 of 1".
    assert NOW - 3600 >= NOW // WEEK * WEEK  # the three joined in the running 7-day bucket
    await _seat(db, 1, "flyer", NOW - 30 * DAY)
    for user in (2, 3, 4):
        await _seat(db, user, "flyer", NOW - 3600)
    await _insert(db, [(user, user, NOW - 1800, "positive", {}) for user in (2, 3, 4)])
    [cohort] = await campaign_cohorts(db, CHAT, NOW)
    assert cohort.weekly_active[0] == (0, 0.0, 1)
    assert all(share <= 1.0 for _, share, _ in cohort.weekly_active)
    # Two weeks on, everyone's week 1 is over: three of the four were active in it.
    [later] = await campaign_cohorts(db, CHAT, NOW + 2 * WEEK)
    assert later.weekly_active[0] == (0, 0.75, 4)


async def test_a_retracted_poll_vote_is_no_action(db: Database) -> None:
    ada, ben = 10, 11
    await _seat(db, ada, "flyer", NOW - 60 * DAY)
    await _seat(db, ben, "flyer", NOW - 60 * DAY)
    await _insert(
        db, [(1, ada, NOW - 3 * DAY, "neutral", {}), (2, ben, NOW - 3 * DAY, "neutral", {})]
    )
    # Ada voted and took the vote back (Telegram's poll_answer with no options); Ben voted.
    await _poll_answer(db, ada, "[]", NOW - DAY)
    await _poll_answer(db, ben, "[1]", NOW - DAY)
    found = await segments(db, CHAT, NOW, InsightSettings())
    where = {m.user_id: s for s, members in found.items() for m in members}
    assert where[ada] is Segment.QUIET  # one message in 30 days: fewer than 2 actions
    assert where[ben] is not Segment.QUIET
    # In the cohort, a week whose only act was the retracted vote is not an active week.
    voted_in = NOW - 14 * DAY
    await db.execute("UPDATE poll_answers SET answered_at = ? WHERE user_id = ?", (voted_in, ada))
    await db.execute("UPDATE poll_answers SET answered_at = ? WHERE user_id = ?", (voted_in, ben))
    [cohort] = await campaign_cohorts(db, CHAT, NOW)
    week = (voted_in // WEEK * WEEK + WEEK - 1 - (NOW - 60 * DAY)) // WEEK
    assert (week, 0.5, 2) in cohort.weekly_active
