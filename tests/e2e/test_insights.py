"""Insights through the sandbox: a dry batch sets off a spike alert in the brand chat, only
the brand team can mute it, and a preview's verdict card arrives once, also after a restart."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import COMMUNITY_CHAT_ID, SimulatedClub, simulated_club
from bot.insights.alerts import MuteOutcome
from tests.e2e.helpers import admitted
from tests.e2e.test_previews import buttons, press, published, say, write_preview

ASPECTS = {"sentiment": {"aspects": {"taste": ["dry", "bland", "taste"]}}}


async def _history(club: SimulatedClub) -> None:
    """Three quiet weeks before today: six messages an hour, one of them negative."""
    now = club.services.now_ts()
    rows = []
    mid = 10_000
    for hour in range(2, 21 * 24):
        for k in range(6):
            mid += 1
            negative = k == 0
            rows.append(
                (COMMUNITY_CHAT_ID, mid, 900 + k, now - hour * 3600 + k * 60, "history",
                 -0.4 if negative else 0.4, "negative" if negative else "positive",
                 json.dumps(["bun"]))
            )  # fmt: skip
    async with club.services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, "
            "polarity, subjectivity, label, language, topics) VALUES (?, ?, ?, ?, ?, ?, 0.5, ?, "
            "'en', ?)",
            rows,
        )


COMPLAINTS = [
    "The croissants are so dry today, awful 😡",
    "dry and bland batch this morning, really disappointing",
    "ugh the pastry was dry, terrible taste",
    "so dry!! not good at all",
    "bland and dry, what happened?",
    "The taste is awful today, dry as cardboard",
]


def _alerts(club: SimulatedClub) -> list[str]:
    return [
        m.text or "" for m in club.sandbox.bot_messages(club.brand) if "is up" in (m.text or "")
    ]


async def test_an_alert_telegram_refused_is_retried_after_a_pause_and_sent_once_across_a_restart(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", **ASPECTS) as club:
        sb = club.sandbox
        await _history(club)
        for i, text in enumerate(COMPLAINTS):
            member = sb.create_user(f"Member{i}")
            sb.add_member(club.group, member)
            sb.send_text(member, club.group, text)
        await club.settle()
        sb.faults.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        await club.advance(timedelta(minutes=5))
        assert _alerts(club) == []
        [alert] = await club.features.insights.repo.all_alerts()
        assert (alert.state, alert.attempts) == ("pending", 1)
        await club.advance(timedelta(seconds=20))
        assert _alerts(club) == []  # waiting out the pause
        await club.restart()
        await club.advance(timedelta(seconds=15))
        assert len(_alerts(club)) == 1
        await club.advance(timedelta(minutes=10))
        await club.restart()
        assert len(_alerts(club)) == 1


async def test_dry_batch_alert_reaches_the_brand_chat_and_only_the_brand_team_mutes_it(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", **ASPECTS) as club:
        sb = club.sandbox
        await _history(club)
        complaints = [
            "The croissants are so dry today, awful 😡",
            "dry and bland batch this morning, really disappointing",
            "ugh the pastry was dry, terrible taste",
            "so dry!! not good at all",
            "bland and dry, what happened?",
            "The taste is awful today, dry as cardboard",
        ]
        for i, text in enumerate(complaints):
            member = sb.create_user(f"Member{i}")
            sb.add_member(club.group, member)
            sb.send_text(member, club.group, text)
        await club.settle()
        await club.advance(timedelta(minutes=5))

        alerts = [m for m in sb.bot_messages(club.brand) if "is up" in (m.text or "")]
        assert len(alerts) == 1, [m.text for m in sb.bot_messages(club.brand)]
        alert = alerts[0]
        assert "Negative talk about taste is up" in (alert.text or "")
        assert "Member #" in (alert.text or "")
        [(_, data)] = buttons(alert)
        assert data.startswith("v1:al:mute:") and len(data.encode()) <= 64

        # Another check a little later: the same burst does not alert twice (cooling).
        await club.advance(timedelta(minutes=5))
        assert len([m for m in sb.bot_messages(club.brand) if "is up" in (m.text or "")]) == 1

        stranger = sb.create_user("Eve")
        assert await press(club, stranger, alert, data) == (
            "Only the brand team and moderators can mute alerts."
        )
        service = club.features.insights
        alert_id = int(data.rsplit(":", 1)[1])
        # The button's data is not trusted: the right person on another message is refused.
        wrong = await service.mute(
            alert_id, club.brand_manager.id, club.brand.id, alert.message_id + 1000
        )
        assert wrong.outcome is MuteOutcome.WRONG_MESSAGE
        answer = await press(club, club.brand_manager, alert, data)
        assert answer.startswith("Muted alerts for taste")
        assert "Muted alerts for taste" in (alert.text or "")
        assert buttons(alert) == []


async def test_verdict_card_is_sent_once_after_its_delay_also_across_a_restart(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db", insights={"verdict_after_hours": 2, "verdict_min_ratings": 3}
    ) as club:
        sb = club.sandbox
        await write_preview(club, "/preview now --title Winter croissant")
        [preview] = published(club)
        for i, stars in enumerate((5, 4, 5, 4)):
            member = await admitted(club, f"Rater{i}")  # only seated members' ratings count
            await press(club, member, preview, f"v1:pv:rate:1:{stars}")

        def cards() -> list[str]:
            return [
                m.text or "" for m in sb.bot_messages(club.brand) if "Verdict" in (m.text or "")
            ]

        await club.advance(timedelta(hours=1))
        assert cards() == []
        await club.restart()  # the due fact is in SQLite
        await club.advance(timedelta(hours=1, minutes=1))
        [card] = cards()
        assert "Verdict: #1 Winter croissant" in card
        assert "4.5★</b> from 4 raters" in card or "4.5★ from 4 raters" in card
        assert "95% interval" in card
        # The verdict's own picture (the weekly cohort chart may share the brand chat).
        photos = [
            m
            for m in sb.bot_messages(club.brand)
            if m.photo is not None and "ratings (n =" in (m.caption or "")
        ]
        assert len(photos) == 1
        await club.restart()
        await club.advance(timedelta(hours=3))
        assert len(cards()) == 1


# Slow set; a verdict card end to end: test_verdict_asked_in_the_group_is_answered_privately
@pytest.mark.slow
async def test_small_verdicts_say_what_they_can_in_the_card_and_the_photo(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        await write_preview(club, "/preview now --title Rye")
        await write_preview(club, "/preview now --title Bun")
        rye, bun = published(club)
        raters = [await admitted(club, f"Rater{i}") for i in range(5)]
        for member, stars in zip(raters, (5, 2), strict=False):
            await press(club, member, rye, f"v1:pv:rate:1:{stars}")
        for member in raters:  # everyone who rated the bun gave it 5★
            await press(club, member, bun, "v1:pv:rate:2:5")

        async def verdict(preview_id: int) -> tuple[str, str]:
            await say(club, club.brand_manager, f"/verdict {preview_id}")
            sent = sb.bot_messages(club.brand_manager)
            card = [m.text for m in sent if "Verdict" in (m.text or "")][-1] or ""
            photo = [m for m in sent if m.photo is not None][-1]
            return card, photo.caption or ""

        card, caption = await verdict(1)
        assert "2 ratings (1★:0 2★:1 3★:0 4★:0 5★:1): too few ratings to tell" in card
        assert caption == "#1 Rye: ratings (n = 2), too few ratings to tell (need 5)"
        card, caption = await verdict(2)
        assert "all 5 raters gave 5★" in card and "interval" not in card
        assert caption == "#2 Bun: ratings (n = 5), all 5 raters gave 5★"


async def test_insight_commands_answer_every_wrong_input(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        eve = sb.create_user("Eve")
        sb.add_member(club.group, eve)
        sb.start_bot(eve)
        await club.settle()
        assert (
            await say(club, eve, "/campaigns") == "Only the community's moderators can see this."
        )
        assert (
            await say(club, eve, "/verdict 1")
            == "Only the brand team and moderators can see verdicts."
        )
        bruno = club.brand_manager
        sb.start_bot(bruno)
        await club.settle()
        assert await say(club, bruno, "/verdict") == (
            "Usage: /verdict ID (the preview number /previews shows, e.g. 3)"
        )
        assert await say(club, bruno, "/verdict 42") == (
            "There is no published preview #42. /previews lists them."
        )
        # /campaigns and /segments name members: moderators only, and privately only.
        sb.send_text(club.owner, club.group, "/segments")
        await club.settle()
        assert "private chat only" in (sb.bot_messages(club.group)[-1].text or "")
        sb.start_bot(club.owner)
        await club.settle()
        assert "No members have joined with a code yet." in await say(
            club, club.owner, "/campaigns"
        )
        segments = await say(club, club.owner, "/segments")
        assert "Member segments" in segments and "(of 0 members)" in segments


async def test_verdict_asked_in_the_group_is_answered_privately(tmp_path: Path) -> None:
    """The card quotes replies as "Member #N": in the members' own group it would tell them
    who #N is. Like /digest, it goes to the asker's private chat."""
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        await write_preview(club, "/preview now --title Pistachio")
        await club.settle()
        sb.send_text(
            ada,
            club.group,
            "The pistachio filling is far too sweet, honestly",
            reply_to=published(club)[-1],
        )
        await club.settle()
        await press(club, ada, published(club)[-1], "v1:pv:rate:1:4")

        def in_group() -> list[str]:
            return [m.text or m.caption or "" for m in sb.bot_messages(club.group)]

        before = len(in_group())
        # The owner never started the bot: nothing can reach him privately.
        sb.send_text(club.owner, club.group, "/verdict 1")
        await club.settle()
        (answer,) = in_group()[before:]
        assert "not shown in this group" in answer and "far too sweet" not in answer

        sb.start_bot(club.owner)
        await club.settle()
        sb.send_text(club.owner, club.group, "/verdict 1")
        await club.settle()
        assert in_group()[before + 1 :] == ["I sent you the verdict card in a private chat."]
        private = sb.bot_messages(club.owner)
        card = next(m.text for m in private if "Verdict" in (m.text or ""))
        assert card is not None and "far too sweet" in card and "Member #1" in card
        assert any(m.photo is not None for m in private)  # the chart came along
