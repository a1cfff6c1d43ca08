"""Rows as records: one generic mapper from a SELECT's row to a frozen dataclass.

A record's fields are named after the columns it is read from. The first time a record meets
a list of columns the mapper checks that the two match exactly, in any order, and raises
``ColumnMismatch`` naming what is missing and what is extra; so a renamed or dropped column
fails loudly at the first read instead of landing in the wrong field. The check and the plan
it produces (column index and decoder per field) are cached per (record, columns), so mapping
a row afterwards costs one tuple lookup and the constructor call.

Decoders come from the annotations, because SQLite stores neither booleans nor enums:
``bool`` fields get ``bool(value)``, ``StrEnum`` fields the enum member (``None`` stays
``None`` for optional ones). Anything else (JSON arrays, say) is declared on the field with
``field(metadata=decode_with(fn))``. ``columns(Record)`` gives the SELECT list, so a
repository's query and its record cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

R = TypeVar("R")

Decoder = Callable[[Any], Any]
_DECODE = "bot.db.rows.decode"

# (record, column names in row order) -> per field, in field order: (column index, decoder)
_plans: dict[tuple[type[Any], tuple[str, ...]], tuple[tuple[int, Decoder | None], ...]] = {}


class ColumnMismatch(LookupError):
    """A record's fields and a row's columns differ: the SQL and the record drifted apart."""


def decode_with(decode: Decoder) -> dict[str, Decoder]:
    """Field metadata for a column that needs ``decode`` (e.g. ``json.loads``) on the way out.

    Used as ``field(metadata=rows.decode_with(fn))``: a plain ``dataclasses.field`` call, so
    type checkers still see a field without a default.
    """
    return {_DECODE: decode}


def columns(record: type[Any]) -> str:
    """The record's fields as a SELECT list ("id, label, ..."); names come from code only."""
    return ", ".join(field.name for field in dataclasses.fields(record))


def one(record: type[R], row: sqlite3.Row) -> R:
    """One row as a ``record``."""
    plan = _plan_for(record, tuple(row.keys()))
    return record(*[row[i] if decode is None else decode(row[i]) for i, decode in plan])


def maybe(record: type[R], row: sqlite3.Row | None) -> R | None:
    """``one`` for a query that may find nothing."""
    return None if row is None else one(record, row)


def all(record: type[R], rows: Iterable[sqlite3.Row]) -> list[R]:
    """Every row as a ``record``; all rows of one query share their columns, checked once."""
    found: list[R] = []
    plan: tuple[tuple[int, Decoder | None], ...] | None = None
    for row in rows:
        if plan is None:
            plan = _plan_for(record, tuple(row.keys()))
        found.append(record(*[row[i] if d is None else d(row[i]) for i, d in plan]))
    return found


def check(record: type[Any], column_names: Sequence[str]) -> None:
    """Raise ``ColumnMismatch`` unless ``column_names`` are exactly the record's fields."""
    _plan_for(record, tuple(column_names))


def _plan_for(record: type[Any], names: tuple[str, ...]) -> tuple[tuple[int, Decoder | None], ...]:
    key = (record, names)
    plan = _plans.get(key)
    if plan is None:
        plan = _build_plan(record, names)
        _plans[key] = plan
    return plan


def _build_plan(
    record: type[Any], names: tuple[str, ...]
) -> tuple[tuple[int, Decoder | None], ...]:
    fields = dataclasses.fields(record)
    wanted = [field.name for field in fields]
    missing = sorted(set(wanted) - set(names))
    extra = sorted(set(names) - set(wanted))
    if missing or extra or len(names) != len(set(names)):
        raise ColumnMismatch(
            f"{record.__name__}: columns do not match fields "
            f"(missing {missing}, extra {extra}, columns {list(names)})"
        )
    hints = typing.get_type_hints(record)
    index = {name: i for i, name in enumerate(names)}
    return tuple(
        (index[field.name], field.metadata.get(_DECODE) or _decoder_for(hints[field.name]))
        for field in fields
    )


def _decoder_for(annotation: Any) -> Decoder | None:
    optional = False
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        if len(members) != 1:
            return None
        annotation = members[0]
    decode: Decoder
    if annotation is bool:
        decode = bool
    elif isinstance(annotation, type) and issubclass(annotation, StrEnum):
        decode = annotation
    else:
        return None
    if optional:
        return lambda value: None if value is None else decode(value)
    return decode
