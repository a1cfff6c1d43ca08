"""The digest from the database: figures of a known conversation, rendering, formats, CLI."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Chat, Message, User

from bot.cli import main
from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.messaging import TEXT_LIMIT, escape, visible_length
from bot.core.services import Chats
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.digest import build as build_module
from bot.digest.build import Digest, build_digest, shorten
from bot.digest.chart import PNG_SIGNATURE, render_chart
from bot.digest.render import html_parts, render_csv, render_html, render_json, render_text
from bot.feedback import FeedbackService, build_analyzer
from bot.feedback.repo import FeedbackRepository
from tests.conftest import BIG_CHAT_ID, BIG_USER_ID

COMMUNITY = BIG_CHAT_ID
DAY = date(2026, 12, 1)
ADA = User(BIG_USER_ID, "Ada", is_bot=False)
BEN = User(BIG_USER_ID + 1, "Ben", is_bot=False)
CLEO = User(BIG_USER_ID + 2, "Cleo <script>", is_bot=False)
GROUP = Chat(COMMUNITY, Chat.SUPERGROUP, title="Club")
REPO_ROOT = Path(__file__).resolve().parents[1]


def make_settings(database: Path | None = None, **digest: object) -> Settings:
    return Settings(
        telegram={"token": "1:x", "community_chat_id": COMMUNITY, "brand_chat_id": -100999},
        community={"name": "Bakery <VIP> & Co", "timezone": "UTC"},
        sentiment={"aspects": {"taste": ["taste", "flavour", "bland"], "price": ["price"]}},
        digest=digest,
        storage={"database": database or Path("unused.db")},
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


CONVERSATION = [
    # (message id, who, when, text)
    (1, ADA, at(DAY - timedelta(days=1), 10), "love it, great taste"),
    (2, ADA, at(DAY, 9, 10), "The festive bake is amazing, love the flavour 😍"),
    (3, BEN, at(DAY, 9, 20), "the vegan roll was dry and bland"),
    (4, ADA, at(DAY, 18, 5), "when does the shop open tomorrow?"),
    (5, CLEO, at(DAY, 18, 30), "Очень вкусно, спасибо большое!"),
    (6, BEN, at(DAY, 18, 40), "this price is way too expensive, disappointing"),
]


async def store_conversation(db: Database, settings: Settings) -> FeedbackService:
    feedback = FeedbackService(
        build_analyzer(settings.sentiment),
        FeedbackRepository(db),
        _chats(settings, db),
    )
    for message_id, user, when, text in CONVERSATION:
        feedback.ingest(Message(message_id, when, GROUP, from_user=user, text=text))
    await db.flush()
    return feedback


def _chats(settings: Settings, db: Database) -> Chats:
    return Chats(settings, FactsRepository(db))


async def the_digest(db: Database, settings: Settings) -> Digest:
    return await build_digest(
        db, settings, DAY, now=int(at(DAY + timedelta(days=1), 9).timestamp())
    )


async def test_figures_of_a_known_conversation(db: Database) -> None:
    settings = make_settings()
    feedback = await store_conversation(db, settings)
    scores = {mid: feedback.analyzer.analyze(text).score for mid, _, _, text in CONVERSATION}
    digest = await the_digest(db, settings)

    assert (digest.messages, digest.active_members) == (5, 3)
    assert (digest.scored, digest.unscored) == (4, 1)
    assert sum(digest.unscored_languages.values()) == 1 and "en" not in digest.unscored_languages
    day_ids = [2, 3, 4, 6]
    expected_mean = sum(scores[i].polarity for i in day_ids) / 4
    assert digest.mean == pytest.approx(expected_mean)
    labels = [scores[i].label for i in day_ids]
    assert digest.positive_share == pytest.approx(labels.count("positive") / 4)
    assert digest.negative_share == pytest.approx(labels.count("negative") / 4)
    assert digest.change_vs_yesterday == pytest.approx(expected_mean - scores[1].polarity)
    # The 7 days before hold only message 1.
    assert digest.change_vs_week == pytest.approx(expected_mean - scores[1].polarity)
    assert digest.busiest_hours == [("18:00", 3), ("09:00", 2)]

    taste = next(a for a in digest.aspects if a.name == "taste")
    assert taste.mentions == 2  # "flavour" and "bland"
    assert taste.previous_mentions == 1 and taste.previous_mean is not None
    expected = build_module._direction(taste.mean, taste.previous_mean)
    assert taste.direction == expected != "new"
    assert any(t == "festive bake" for t, _ in digest.topics)

    # Ada wrote first (message 1), so she is Member #1; Ben is Member #2.
    assert digest.positive_quotes[0].author == "Member #1"
    assert digest.positive_quotes[0].text.startswith("The festive bake")
    assert [q.author for q in digest.negative_quotes] == ["Member #2", "Member #2"]
    assert digest.negative_quotes[0].polarity <= digest.negative_quotes[1].polarity
    assert len(digest.history) == 14 and digest.history[-1].day == "2026-12-01"
    assert digest.history[-2].messages == 1 and digest.history[0].messages == 0


async def test_names_instead_of_pseudonyms_when_configured(db: Database) -> None:
    settings = make_settings(show_names=True)
    await store_conversation(db, settings)
    await db.execute(
        "INSERT INTO people (user_id, first_name, first_seen_at, updated_at) VALUES (?, ?, 0, 0)",
        (ADA.id, "Ada <b>"),
    )
    digest = await the_digest(db, settings)
    assert digest.positive_quotes[0].author == "Ada <b>"
    assert "Ada &lt;b&gt;" in render_html(digest)


async def test_the_seven_day_figures_come_from_the_daily_cache(db: Database) -> None:
    settings = make_settings()
    await store_conversation(db, settings)
    await the_digest(db, settings)
    cached = await db.fetchall("SELECT day_start FROM feedback_daily ORDER BY day_start")
    assert len(cached) == 14  # every finished day of the chart, computed once
    # Poison the cache of the day before: the next build must read the cached figures.
    window = DayWindow.for_day(DAY - timedelta(days=1), settings.community.tz)
    await db.execute(
        "UPDATE feedback_daily SET messages = 99 WHERE day_start = ?", (window.start,)
    )
    digest = await the_digest(db, settings)
    assert digest.history[-2].messages == 99


async def test_a_failing_section_is_left_out(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(db: Database, window: DayWindow, settings: Settings) -> DigestSection:
        raise RuntimeError("provider bug")

    async def members(db: Database, window: DayWindow, settings: Settings) -> DigestSection:
        return DigestSection("members", "Members", ["Total: <b>12</b>"], {"total": 12})

    monkeypatch.setattr(build_module, "section_providers", lambda: [broken, members])
    settings = make_settings()
    with caplog.at_level(logging.ERROR, logger="bot.digest.build"):
        digest = await the_digest(db, settings)
    assert [s.key for s in digest.sections] == ["members"]
    assert any("failed" in r.getMessage() for r in caplog.records)
    html = render_html(digest)
    assert html.index("Members") < html.index("Activity")  # members come first


async def test_html_escapes_every_value_and_text_matches(db: Database) -> None:
    settings = make_settings()
    feedback = FeedbackService(
        build_analyzer(settings.sentiment), FeedbackRepository(db), _chats(settings, db)
    )
    nasty = "<b>love</b> it & <a href='x'>great</a> </i> 😍"
    feedback.ingest(Message(9, at(DAY, 12), GROUP, from_user=CLEO, text=nasty))
    await db.flush()
    digest = await the_digest(db, settings)
    html = render_html(digest)
    assert "&lt;b&gt;love&lt;/b&gt;" in html and "Bakery &lt;VIP&gt; &amp; Co" in html
    assert "<a href" not in html and "<script" not in html
    text = render_text(digest)
    assert "<b>love</b> it & <a href='x'>great</a>" in text and "Bakery <VIP> & Co" in text


def test_long_quotes_are_cut_at_a_word() -> None:
    short = shorten("word " * 100, 50)
    assert len(short) <= 50 and short.endswith("…") and "  " not in short
    assert shorten("line one\nline two") == "line one line two"
    assert shorten("😍" * 300, 10) == "😍" * 9 + "…"


async def test_a_long_digest_is_split_within_telegram_limits(db: Database) -> None:
    settings = make_settings()
    digest = await the_digest(db, settings)
    digest.sections = [
        DigestSection(
            "polls", "Polls", [f"<b>Poll {i}</b>: " + escape("é&<" * 60) for i in range(200)]
        )
    ]
    parts = html_parts(digest)
    assert len(parts) > 1
    assert all(visible_length(p) <= TEXT_LIMIT for p in parts)
    for part in parts:  # no tag cut in half: every part is balanced
        assert part.count("<b>") == part.count("</b>")


async def test_json_and_csv(db: Database) -> None:
    settings = make_settings()
    await store_conversation(db, settings)
    digest = await the_digest(db, settings)
    data = json.loads(render_json(digest))
    assert data["day"] == "2026-12-01" and data["messages"] == 5
    assert data["busiest_hours"][0] == {"hour": "18:00", "messages": 3}
    rows = list(csv.reader(io.StringIO(render_csv(digest))))
    assert rows[0] == ["section", "key", "value"]
    figures = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert figures[("activity", "messages")] == "5"
    assert float(figures[("sentiment", "mean")]) == pytest.approx(digest.mean, abs=1e-4)


async def test_csv_keeps_member_words_inert(db: Database) -> None:
    settings = make_settings()
    feedback = FeedbackService(
        build_analyzer(settings.sentiment), FeedbackRepository(db), _chats(settings, db)
    )
    feedback.ingest(
        Message(9, at(DAY, 12), GROUP, from_user=ADA, text='=HYPERLINK("x") love it great')
    )
    await db.flush()
    rows = list(csv.reader(io.StringIO(render_csv(await the_digest(db, settings)))))
    quote = next(r for r in rows if r[0] == "quote:positive")
    assert quote[2].startswith("'=")


async def test_an_empty_day_still_renders(db: Database) -> None:
    digest = await the_digest(db, make_settings())
    assert digest.messages == 0 and digest.mean is None
    assert "No scored messages" in render_html(digest)
    assert render_chart(digest.history, "empty")[:8] == PNG_SIGNATURE


async def test_the_chart_is_a_png(db: Database, tmp_path: Path) -> None:
    settings = make_settings()
    await store_conversation(db, settings)
    digest = await the_digest(db, settings)
    png = render_chart(digest.history, "Bakery VIP Club: last 14 days")
    assert png[:8] == PNG_SIGNATURE and len(png) > 10_000
    import matplotlib.image

    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 300 and image.shape[1] > 600


CliRun = Callable[[list[str]], Awaitable[tuple[int, str, str]]]


async def test_digest_command_on_a_database_copy(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def in_process(args: list[str]) -> tuple[int, str, str]:
        def call() -> int:
            root = logging.getLogger()
            handlers, level = root.handlers[:], root.level
            try:
                return main(args)
            except SystemExit as exc:  # argparse refuses bad arguments this way
                return int(exc.code or 0)
            finally:  # main() points logging at this test's captured stderr
                root.handlers[:], root.level = handlers, level

        code = await asyncio.to_thread(call)  # main() runs its own event loop
        out, err = capsys.readouterr()
        return code, out, err

    await digest_command_on_a_copy(db, tmp_path, in_process)


# The same through ``python -m bot`` in fresh interpreters: seconds, so only in the slow set.
@pytest.mark.slow
async def test_cli_digest_on_a_database_copy(db: Database, tmp_path: Path) -> None:
    async def in_a_subprocess(args: list[str]) -> tuple[int, str, str]:
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=60,
            check=False,
        )
        return result.returncode, result.stdout, result.stderr

    await digest_command_on_a_copy(db, tmp_path, in_a_subprocess)


async def digest_command_on_a_copy(db: Database, tmp_path: Path, run: CliRun) -> None:
    settings = make_settings()
    await store_conversation(db, settings)
    copy = tmp_path / "copy.db"
    await db.backup_to(copy)
    config = tmp_path / "config.toml"
    config.write_text(
        "[telegram]\n"
        'token = "1:x"\n'
        f"community_chat_id = {COMMUNITY}\n"
        "brand_chat_id = -100999\n"
        "[community]\n"
        'timezone = "UTC"\n'
        "[storage]\n"
        f'database = "{copy.as_posix()}"\n',
        encoding="utf-8",
    )
    chart = tmp_path / "out" / "chart.png"
    common = ["digest", "--config", str(config), "--date", "2026-12-01"]
    code, out, err = await run([*common, "--format", "json", "--chart", str(chart)])
    assert code == 0, err
    data = json.loads(out)
    assert data["messages"] == 5 and data["active_members"] == 3
    assert chart.read_bytes()[:8] == PNG_SIGNATURE
    code, out, err = await run([*common, "--format", "csv", "--out", str(tmp_path / "d.csv")])
    assert code == 0 and out == "", err
    assert "activity,messages,5" in (tmp_path / "d.csv").read_text(encoding="utf-8")
    code, out, err = await run(["digest", "--config", str(config), "--date", "1 Dec"])
    assert code == 2 and "YYYY-MM-DD" in err
    for edge in ("0001-01-01", "9999-12-31"):  # an OverflowError's name before
        code, out, err = await run(["digest", "--config", str(config), "--date", edge])
        assert code == 2 and "pick a day from 2000-01-01" in err, err


async def test_a_german_club_reads_its_digest_in_german(db: Database) -> None:
    settings = make_settings()
    settings.community.language = "de"
    feedback = FeedbackService(
        build_analyzer(settings.sentiment), FeedbackRepository(db), _chats(settings, db)
    )
    feedback.ingest(Message(9, at(DAY, 12), GROUP, from_user=CLEO, text="Lecker, wirklich toll!"))
    await db.flush()
    digest = await the_digest(db, settings)
    text = render_text(digest)
    assert text.startswith(f"📊 Tagesbericht · {settings.community.name}\n")
    assert "Nachrichten: 1 von 1 Mitglied" in text and "Am positivsten" in text
    # The member's words are quoted as written; the frame and the figures are German.
    assert "„Lecker, wirklich toll!“" in text
    assert "Messages" not in text and "Sentiment" not in text
    assert digest.to_dict()["language"] == "de"  # machine fields stay English keys


@pytest.mark.parametrize("asked", ["0001-01-01", "1999-12-31"])
def test_a_day_too_far_back_is_refused(asked: str) -> None:
    from bot.core.i18n import Explained
    from bot.digest.handlers import parse_day

    with pytest.raises(Explained):
        parse_day([asked], date(2026, 12, 1))
    assert parse_day(["2000-01-01"], date(2026, 12, 1)) == date(2000, 1, 1)
