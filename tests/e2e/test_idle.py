"""The bot says when it is done: settle() waits for that, not for a quiet period."""

from __future__ import annotations

from bot.demo.simulation import SimulatedClub


async def test_settle_waits_for_replies_the_rate_limiter_holds_back(club: SimulatedClub) -> None:
    sb = club.sandbox
    ada = sb.create_user("Ada")
    sb.start_bot(ada)
    await club.settle()
    before = len(sb.bot_messages(ada))
    # Telegram allows a private chat only a few messages a second: the last replies wait in
    # the bot's rate limiter with every update fetched and no request open, for about a
    # second, which is longer than any quiet window would have waited.
    for _ in range(3):
        sb.send_text(ada, ada, "/help")
    await club.settle()
    assert len(sb.bot_messages(ada)) - before == 3
    assert club.app.activity.idle


async def test_the_counts_come_back_to_zero(club: SimulatedClub) -> None:
    sb = club.sandbox
    ada = sb.create_user("Ada")
    sb.start_bot(ada)
    sb.send_text(ada, ada, "/help")
    await club.settle()
    activity = club.app.activity
    assert (activity.updates, activity.calls, activity.tasks) == (0, 0, 0)
    assert club.bot_idle()
    # A restart counts afresh, on the new application.
    await club.restart()
    sb.send_text(ada, ada, "/help")
    await club.settle()
    assert club.app.activity is not activity and club.app.activity.idle
    assert sb.bot_messages(ada)[-1].text == sb.bot_messages(ada)[-2].text
