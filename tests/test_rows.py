"""The generic row mapper: fields by column name, decoders from annotations, loud drift."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

import pytest

from bot.db import rows


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
