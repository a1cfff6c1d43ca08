"""Data protection end to end: /mydata, /forgetme, retention."""

from __future__ import annotations

import html
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.digest.records import RunState
from bot.digest.runs_repo import DigestRunRepository
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted, every_value, last_with, said

ADA_ID = 2**32 + 4242
BEN_ID = 2**32 + 5353
ADA_WORDS = [
    "The cardamom knots were heavenly this morning",
    "Please bring back the rye sourdough & <walnut> loaf",
]


def mentions(cells: list[tuple[str, str, Any]], user_id: int, words: list[str]) -> list[str]:
    found = []
    for table, column, value in cells:
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if value == user_id or str(user_id) in text:
            found.append(f"{table}.{column}: id")
        for sentence in words:
            # Any distinctive fragment of her words counts, escaped or not.
            for fragment in (sentence[:20], sentence[-20:], "cardamom", "walnut"):
                if fragment in text:
                    found.append(f"{table}.{column}: {fragment!r}")
    return found


async def busy_member(club: SimulatedClub) -> tuple[SimUser, SimUser]:
    """Ada and Ben are admitted; Ada writes, votes, is warned and quoted in a stored digest."""
    ada = await admitted(club, "Ada", ADA_ID)
    ben = await admitted(club, "Ben", BEN_ID)
    sb = club.sandbox
    sb.send_text(club.owner, club.group, "/poll Best bun? | Cinnamon | Cardamom --public")
    await club.settle()
    poll_msg = next(m for m in sb.messages_in(club.group) if m.poll_id)
    sb.vote(ada, poll_msg, [1])
    sb.vote(ben, poll_msg, [0])
    for words in ADA_WORDS:
        sb.send_text(ada, club.group, words)
    sb.send_text(ben, club.group, "Cinnamon rolls forever, best in town")
    await club.settle()
    sb.send_text(club.owner, club.group, f"/warn {ADA_ID} off topic")
    await club.settle()
    # A past digest that quoted her (stored as sent, HTML-escaped inside JSON), with the
    # record of whose line it is that the digest keeps with every stored quote.
    quote = f"<i>“{html.escape(ADA_WORDS[1], quote=False)}”</i>"
    await DigestRunRepository(club.services.db).record_intent(
        "2020-01-01", club.brand.id, [quote], False, 0, RunState.SENT, quotes=[(ADA_ID, quote)]
    )
    return ada, ben


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_mydata_sends_everything_stored_about_the_member(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada, _ = await busy_member(club)
        club.sandbox.send_text(ada, club.group, "/mydata")
        # Her data is never posted in the group.
        await club.sandbox.wait_for(
            lambda: "private chat" in (club.sandbox.bot_messages(club.group)[-1].text or "")
        )

        club.sandbox.send_text(ada, ada, "/mydata")
        await club.sandbox.wait_for(
            lambda: any(m.document for m in club.sandbox.bot_messages(ada))
        )
        name, content = next(m.document for m in club.sandbox.bot_messages(ada) if m.document)
        assert name.endswith(".json")
        data = json.loads(content)
        assert data["user_id"] == ADA_ID
        tables = data["tables"]
        assert tables["people"][0]["first_name"] == "Ada"
        assert tables["people"][0]["username"] == "ada_bakes"
        assert {row["text"] for row in tables["feedback_messages"]} == set(ADA_WORDS)
        assert tables["gate_seats"][0]["consent_at"] is not None
        assert json.loads(tables["poll_answers"][0]["option_ids"]) == [1]
        assert tables["moderation_log"][0]["reason"] == "off topic"
        assert tables["warnings"][0]["target_id"] == ADA_ID
        # Only Ada's rows: nothing of Ben's.
        assert str(BEN_ID) not in content.decode()
        assert "Cinnamon rolls forever" not in content.decode()


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_forgetme_erases_the_member_everywhere(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        ada, ben = await busy_member(club)
        sb = club.sandbox
        before = every_value(db_path)
        assert mentions(before, ADA_ID, ADA_WORDS)  # the test can see her

        # Cancelling erases nothing.
        sb.send_text(ada, ada, "/forgetme")
        await said(club, ada, "Forget me?")
        msg, no = last_with(club, ada, "v1:forget:no")
        sb.press_button(ada, msg, no)
        await said(club, ada, "Nothing was erased")
        assert mentions(every_value(db_path), ADA_ID, ADA_WORDS)

        sb.send_text(ada, ada, "/forgetme")
        await said(club, ada, "Forget me?")
        msg, yes = last_with(club, ada, "v1:forget:yes")
        assert "cannot be undone" in (msg.text or "")
        sb.press_button(ada, msg, yes)
        summary = (await said(club, ada, "has forgotten you")).text or ""
        assert "your messages and their scores: 2" in summary
        assert "your poll votes: 1" in summary
        assert "your membership and consent record: 1" in summary
        assert "quotes of your words removed from 1 stored report" in summary
        await club.settle()

        assert sb.member_status(club.group, ada) == "left"  # she left the club
        leftovers = mentions(every_value(db_path), ADA_ID, ADA_WORDS)
        assert leftovers == []

        # Ben is untouched; the poll's totals (an aggregate) still count both votes.
        cells = every_value(db_path)
        assert any(v == BEN_ID for t, c, v in cells if t == "gate_seats")
        assert any(
            "Cinnamon rolls forever" in str(v) for t, c, v in cells if t == "feedback_messages"
        )
        assert any(t == "polls" and c == "total_voters" and v == 2 for t, c, v in cells)

        # The club keeps working for her if she comes back: she is a stranger again.
        await club.restart()
        assert mentions(every_value(db_path), ADA_ID, ADA_WORDS) == []
        sb.send_text(ben, ben, "/mydata")
        await club.sandbox.wait_for(lambda: any(m.document for m in sb.bot_messages(ben)))


async def test_retention_erases_old_text_and_keeps_scores(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    # Two days keep the scenario short (the digest catches up on every day that passes).
    async with simulated_club(db_path, storage={"retention_days": 2}) as club:
        ada = await admitted(club, "Ada", ADA_ID)
        club.sandbox.send_text(ada, club.group, ADA_WORDS[0])
        await club.settle()
        await club.tick()
        db = club.services.db
        old = await db.fetchone("SELECT * FROM feedback_messages WHERE user_id = ?", (ADA_ID,))
        assert old is not None and old["text"] == ADA_WORDS[0]

        await club.advance(timedelta(days=1))
        club.sandbox.send_text(ada, club.group, "A day later the buns are still great")
        await club.settle()
        await club.advance(timedelta(days=1, hours=1))  # the first message is 2 days old

        rows = await db.fetchall(
            "SELECT * FROM feedback_messages WHERE user_id = ? ORDER BY sent_at", (ADA_ID,)
        )
        assert [row["text"] for row in rows] == ["", "A day later the buns are still great"]
        erased = rows[0]
        assert (erased["polarity"], erased["label"]) == (old["polarity"], old["label"])
        # Her sentence is gone everywhere; the extracted topic ("cardamom knot") is an
        # aggregate the digest counts and stays, like the scores.
        assert not any(ADA_WORDS[0] in str(v) for _, _, v in every_value(db_path))
        # The inbox keeps no raw update once it is processed.
        pending = await db.fetchall("SELECT update_id FROM inbox WHERE payload IS NOT NULL")
        assert pending == []
