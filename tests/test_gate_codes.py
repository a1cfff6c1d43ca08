"""Invite codes: shape, randomness, forgiving reading, keyed hashing; /newcodes parsing."""

from __future__ import annotations

import logging
import math
from datetime import timedelta

import pytest

from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.gate.codes import (
    ALPHABET,
    CODE_SYMBOLS,
    GateError,
    code_key,
    generate_code,
    hash_code,
    normalize_code,
)
from bot.gate.handlers import parse_newcodes


def test_codes_are_grouped_unambiguous_and_carry_60_bits() -> None:
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) & set("ILOU")
    assert CODE_SYMBOLS * math.log2(len(ALPHABET)) >= 60
    # Every symbol turns up in every position (no fixed characters eating entropy).
    for position in (0, 5, 13):
        assert {code[position] for code in codes} == set(ALPHABET)


def test_reading_is_forgiving_but_strict_about_length_and_symbols() -> None:
    code = "7K3Q-M9XP-4HR1"
    canonical = "7K3QM9XP4HR1"
    for typed in (code, code.lower(), " 7k3q m9xp 4hr1 ", "7K3QM9XP4HRl", "7K3Q–M9XP–4HRI"):
        assert normalize_code(typed) == canonical, typed
    assert normalize_code("7K3Q-M9XO-4HR1") == "7K3QM9X04HR1"  # O read as zero
    for bad in (
        "",
        "hello",
        "7K3Q-M9XP-4HR",
        "7K3Q-M9XP-4HR1X",
        "7K3Q-M9XP-4HU1",
        "7K3Q-M9XP-4H!1",
    ):
        assert normalize_code(bad) is None, bad


def test_hash_is_keyed() -> None:
    assert hash_code("7K3QM9XP4HR1", b"a") != hash_code("7K3QM9XP4HR1", b"b")
    assert hash_code("7K3QM9XP4HR1", b"a") == hash_code("7K3QM9XP4HR1", b"a")
    assert "7K3QM9XP4HR1" not in hash_code("7K3QM9XP4HR1", b"a")


async def test_missing_secret_is_generated_once_with_a_warning(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    facts = FactsRepository(db)
    with caplog.at_level(logging.WARNING, logger="bot.gate"):
        first = await code_key(None, facts, now=1)
        second = await code_key(None, facts, now=2)
    assert first == second and len(first) >= 32
    assert sum("code_secret" in r.getMessage() for r in caplog.records) == 1
    assert await code_key("configured", facts, now=3) == b"configured"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["20", "1", "flyer", "14d"], (20, 1, "flyer", timedelta(days=14))),
        (["5"], (5, 1, "invite", None)),
        (["1", "100", "newsletter"], (1, 100, "newsletter", None)),
        (["3", "flyer", "2w"], (3, 1, "flyer", timedelta(weeks=2))),
    ],
)
def test_newcodes_arguments(args: list[str], expected: tuple[object, ...]) -> None:
    assert parse_newcodes(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["lots"],
        ["3", "1", "flyer", "99x"],
        ["3", "a", "b"],
        ["3", "1", "x", "1d", "1d"],
        ["1", "0"],  # an explicit 0 uses is refused, never made a silent 1
    ],
)
def test_bad_newcodes_arguments(args: list[str]) -> None:
    with pytest.raises(GateError):
        parse_newcodes(args)
