"""The generic row mapper: fields by column name, decoders from annotations, loud drift."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

import pytest

from bot.db import Database, people_repo, rows
from bot.db import records as db_records
from bot.digest import records as digest_records
from bot.digest import runs_repo as digest_runs_repo
from bot.digest import stats_repo as digest_stats_repo
from bot.feedback import records as feedback_records
from bot.feedback import repo as feedback_repo
from bot.gate import codes_repo as gate_codes_repo
from bot.gate import records as gate_records
from bot.gate import repo as gate_repo
from bot.gate import waves_repo
from bot.insights import records as insight_records
from bot.insights import repo as insights_repo
from bot.links import records as link_records
from bot.links import repo as links_repo
from bot.moderation import records as moderation_records
from bot.moderation import repo as moderation_repo
from bot.polls import records as poll_records
from bot.polls import repo as polls_repo
from bot.previews import reads as previews_reads
from bot.previews import records as preview_records
from bot.previews import repo as previews_repo
from bot.privacy import repo as privacy_repo
from bot.referrals import records as referral_records
from bot.referrals import repo as referrals_repo


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def _json_tuple(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


@dataclass(frozen=True, slots=True)
class Thing:
    id: int
    name: str
    colour: Colour
    shade: Colour | None
    shiny: bool
    tags: tuple[str, ...] = field(metadata=rows.decode_with(_json_tuple))


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    connection.execute(
        "CREATE TABLE things (id INTEGER, name TEXT, colour TEXT, shade TEXT, shiny INTEGER,"
        " tags TEXT, renamed TEXT)"
    )
    connection.executemany(
        "INSERT INTO things VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(1, "kite", "red", None, 1, '["a", "b"]', "x"), (2, "cup", "blue", "red", 0, "[]", "y")],
    )
    yield connection
    connection.close()


def test_maps_by_name_whatever_the_column_order(conn: sqlite3.Connection) -> None:
    row = conn.execute("SELECT tags, shiny, shade, colour, name, id FROM things").fetchone()
    thing = rows.one(Thing, row)
    assert thing == Thing(1, "kite", Colour.RED, None, True, ("a", "b"))
    assert type(thing.colour) is Colour
    assert thing.shiny is True


def test_all_decodes_every_row(conn: sqlite3.Connection) -> None:
    found = conn.execute(f"SELECT {rows.columns(Thing)} FROM things ORDER BY id").fetchall()
    assert rows.all(Thing, found) == [
        Thing(1, "kite", Colour.RED, None, True, ("a", "b")),
        Thing(2, "cup", Colour.BLUE, Colour.RED, False, ()),
    ]


def test_maybe_passes_none_through() -> None:
    assert rows.maybe(Thing, None) is None


def test_a_renamed_column_fails_loudly(conn: sqlite3.Connection) -> None:
    row = conn.execute(
        "SELECT id, renamed AS title, colour, shade, shiny, tags FROM things"
    ).fetchone()
    with pytest.raises(rows.ColumnMismatch, match=r"missing \['name'\], extra \['title'\]"):
        rows.one(Thing, row)


def test_an_extra_column_fails_loudly(conn: sqlite3.Connection) -> None:
    with pytest.raises(rows.ColumnMismatch, match=r"extra \['renamed'\]"):
        rows.all(Thing, conn.execute("SELECT * FROM things").fetchall())


def test_check_compares_names_without_a_row() -> None:
    rows.check(Thing, ["id", "name", "colour", "shade", "shiny", "tags"])
    with pytest.raises(rows.ColumnMismatch):
        rows.check(Thing, ["id", "name", "colour", "shade", "shiny"])
    with pytest.raises(rows.ColumnMismatch):
        rows.check(Thing, ["id", "id", "name", "colour", "shade", "shiny", "tags"])


def test_an_unknown_state_in_the_table_is_not_passed_off_as_text(
    conn: sqlite3.Connection,
) -> None:
    row = conn.execute(
        "SELECT id, name, 'green' AS colour, shade, shiny, tags FROM things"
    ).fetchone()
    with pytest.raises(ValueError, match="green"):
        rows.one(Thing, row)


# Every record a repository reads through bot.db.rows, with the SELECT it is read by: run
# against the real migrated schema, so a migration that renames a column breaks this test
# before it breaks a read in production.
_REPOSITORY_SELECTS = [
    (gate_records.Code, gate_codes_repo._CODE),
    (gate_records.Seat, gate_repo._SEAT),
    (gate_records.Attempt, gate_repo._ATTEMPT),
    (gate_records.PendingRequest, gate_repo._REQUEST),
    (preview_records.PreviewRecord, previews_repo._PREVIEW),
    (preview_records.PreviewRecord, previews_reads._PREVIEW),
    (moderation_records.LogEntry, moderation_repo._LOG_ENTRY),
    (poll_records.PollRecord, polls_repo._POLL),
    (feedback_records.StoredMessage, feedback_repo._STORED_MESSAGE),
    (db_records.Person, people_repo._PERSON),
    (digest_records.DigestRun, digest_runs_repo._RUN),
    (digest_records.DayStats, digest_stats_repo._CACHED_DAY),
    (digest_records.DayStats, digest_stats_repo._DAY_FIGURES),
    (digest_records.QuoteRow, digest_stats_repo._QUOTE),
    (gate_records.QueuedRequest, waves_repo._QUEUED),
    (gate_records.AskRecord, waves_repo._ASK),
    (insight_records.AlertRecord, insights_repo._ALERT),
    (link_records.Target, links_repo._TARGET),
    (link_records.TaggedText, links_repo._TAGGED_TEXT),
    (privacy_repo.Column, privacy_repo._COLUMNS.replace("?", "'people'")),
    (referral_records.Multiplier, referrals_repo._MULTIPLIERS),
    (referral_records.ReferralLink, referrals_repo._LINKS),
]


@pytest.mark.parametrize(
    ("record", "select"),
    _REPOSITORY_SELECTS,
    ids=[f"{record.__name__}:{select.split()[-1]}" for record, select in _REPOSITORY_SELECTS],
)
async def test_repository_selects_match_their_records(
    db: Database, record: type[object], select: str
) -> None:
    # Named parameters (":start") are bound to NULL: LIMIT 0 reads no row, only the columns.
    params = dict.fromkeys(re.findall(r":(\w+)", select))
    async with db.transaction() as conn, conn.execute(select + " LIMIT 0", params) as cursor:
        names = [column[0] for column in cursor.description]
    rows.check(record, names)
