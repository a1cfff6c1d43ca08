"""Hostile inputs to referrals and measurable links (review of issue #16)."""

from __future__ import annotations

from bot.referrals.service import parse_user_id


def test_user_id_arguments_are_plain_digits_of_a_plausible_length() -> None:
    assert parse_user_id("123456789") == 123456789
    for garbage in ("", "Ada", "-5", "1e9", "١٢٣", "²", "9" * 17, "99999999999999999999999"):
        assert parse_user_id(garbage) is None, garbage
