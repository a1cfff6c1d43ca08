"""Hostile inputs to referrals and measurable links (review of issue #16)."""

from __future__ import annotations

import html
import re

import pytest

from bot.config import LinkSettings
from bot.links.tagging import brand_links, rewrite_html
from bot.referrals.service import parse_user_id


def test_user_id_arguments_are_plain_digits_of_a_plausible_length() -> None:
    assert parse_user_id("123456789") == 123456789
    for garbage in ("", "Ada", "-5", "1e9", "١٢٣", "²", "9" * 17, "99999999999999999999999"):
        assert parse_user_id(garbage) is None, garbage


SHOP = LinkSettings(domains=["shop.example"])


def mark(url: str) -> str:
    return url + "#tagged"


def visible(html_text: str) -> str:
    """What a reader sees: the text without tags, entities decoded (as Telegram shows it)."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


def test_escaped_brackets_and_quotes_end_a_bare_link_and_stay_whole() -> None:
    source = (
        "See &lt;https://shop.example/a&gt; or &quot;www.shop.example/b&quot;, shop.example/c&gt;"
    )
    out = rewrite_html(source, SHOP, mark)
    assert visible(out) == visible(source)
    assert brand_links(source, SHOP) == [
        "https://shop.example/a",
        "https://www.shop.example/b",
        "https://shop.example/c",
    ]
    # A query's escaped ampersand is part of the address.
    assert brand_links("https://shop.example/?a=1&amp;b=2.", SHOP) == [
        "https://shop.example/?a=1&b=2"
    ]


@pytest.mark.parametrize("configured", ["xn--bckerei-5wa.example", "Bäckerei.example"])
def test_an_international_host_is_the_brands_in_either_spelling(configured: str) -> None:
    settings = LinkSettings(domains=[configured])
    source = "https://bäckerei.example/brot https://XN--BCKEREI-5WA.example/ bäckerei.example/x"
    assert len(brand_links(source, settings)) == 3
    assert brand_links("https://bäckerei.example.evil/x", settings) == []
