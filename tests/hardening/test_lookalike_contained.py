"""Impersonation by adding to a moderator's name: "Olivia (Admin)", "Olivia Support"."""

from __future__ import annotations

import pytest

from bot.moderation.lookalike import find_resemblance

MODS = {7: "Olivia"}
BIG = 2**32 + 99


@pytest.mark.parametrize(
    "name",
    [
        "Olivia (Admin)",
        "Olivia Support",
        "Olivia B",
        "Olivia <b>",
        "Support Оlivia",
        "ADMIN olivia",
        "0livia_official",
    ],
)
def test_a_moderators_name_inside_a_members_name_is_reported(name: str) -> None:
    found = find_resemblance(BIG, name, MODS)
    assert found is not None and found.moderator_id == 7
    assert any("contains" in str(reason) for reason in found.reasons)


@pytest.mark.parametrize("name", ["Oliver", "Liv", "Viola", "Olive Branch", "Al Capone"])
def test_other_names_are_not(name: str) -> None:
    assert find_resemblance(BIG, name, MODS | {8: "Al"}) is None
