"""Measurable links without Telegram: tagging rules, and the redirect endpoint's counting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import LinkSettings
from bot.db import Database
from bot.links import redirect
from bot.links.repo import LinkRepository
from bot.links.tagging import brand_links, is_brand_link, is_tagged, rewrite_html, tag_url

SETTINGS = LinkSettings(campaign="vip", medium="club")
TAGS = "utm_source=telegram&utm_medium=club&utm_campaign=vip&utm_content=preview-7"


def tag(url: str, settings: LinkSettings = SETTINGS) -> str:
    return tag_url(url, settings, "preview-7")


def test_tags_are_appended_keeping_query_and_fragment() -> None:
    assert tag("https://shop.example/bread") == f"https://shop.example/bread?{TAGS}"
    assert (
        tag("https://shop.example/p?id=3&x=a%20b#reviews")
        == f"https://shop.example/p?id=3&x=a%20b&{TAGS}#reviews"
    )
    # A tag the brand set itself wins; only the missing ones are added.
    kept = tag("https://shop.example/?utm_campaign=summer")
    assert "utm_campaign=summer" in kept and "utm_campaign=vip" not in kept
    assert tag(tag("https://shop.example/")) == tag("https://shop.example/")  # idempotent


def test_parameter_names_and_values_are_configurable() -> None:
    custom = LinkSettings(source_param="src", content_param="c", medium="", campaign="x")
    tagged = tag("https://shop.example/", custom)
    assert tagged == "https://shop.example/?src=telegram&utm_campaign=x&c=preview-7"
    assert is_tagged(tagged, custom) and not is_tagged("https://shop.example/", custom)


def test_which_links_are_the_brands() -> None:
    assert is_brand_link("https://shop.example/x", SETTINGS)
    for other in ("https://t.me/c/123/4", "https://t.me/+AbCd", "mailto:a@b.c", "ftp://x.y/"):
        assert not is_brand_link(other, SETTINGS)
    only = LinkSettings(domains=["bakery.example"])
    assert is_brand_link("https://www.bakery.example/a", only)
    assert not is_brand_link("https://elsewhere.example/a", only)
    assert not is_brand_link("https://notbakery.example/a", only)


def test_html_links_and_bare_urls_are_rewritten_text_stays() -> None:
    source = (
        'New: <a href="https://shop.example/rye?a=1&amp;b=2">the rye</a>, see '
        "https://shop.example/menu. Or www.shop.example/x! Group: https://t.me/c/1/2 "
        "<code>https://shop.example/literal</code> (https://shop.example/w_(x))"
    )
    out = rewrite_html(source, SETTINGS, tag)
    assert f'href="https://shop.example/rye?a=1&amp;b=2&amp;{TAGS.replace("&", "&amp;")}"' in out
    assert f'<a href="https://shop.example/menu?{TAGS.replace("&", "&amp;")}">' in out
    assert ">https://shop.example/menu</a>." in out  # the sentence's full stop stays outside
    assert '<a href="https://www.shop.example/x?' in out and ">www.shop.example/x</a>!" in out
    assert "https://t.me/c/1/2 " in out and "t.me/c/1/2?" not in out
    assert "<code>https://shop.example/literal</code>" in out
    assert ">https://shop.example/w_(x)</a>)" in out
    # After rewriting, every clickable brand link carries the tags.
    assert brand_links(out, SETTINGS) and all(
        is_tagged(url, SETTINGS) for url in brand_links(out, SETTINGS)
    )
    assert rewrite_html("no links here &amp; <b>bold</b>", SETTINGS, tag) == (
        "no links here &amp; <b>bold</b>"
    )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "links.db")
    yield database
    await database.close()


async def start_counter(db: Database) -> tuple[redirect.ClickCounter, LinkRepository, int]:
    repo = LinkRepository(db)
    target = await repo.register(
        f"https://shop.example/?{TAGS}", "Abc123xyz", "preview-7", None, 1
    )
    counter = redirect.ClickCounter(lambda: "2026-11-29")
    counter.add_target(target.token, target.id, target.url)
    return counter, repo, target.id


async def click(port: int, path: str, gate: asyncio.Semaphore) -> tuple[str, str]:
    """One click on its own connection (as separate people would): status line, Location."""
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = (await reader.read()).decode()
        writer.close()
        await writer.wait_closed()
    head = answer.split("\r\n")
    location = next((h.split(": ", 1)[1] for h in head if h.lower().startswith("location:")), "")
    return head[0], location


@pytest.mark.parametrize("clicks", [200, pytest.param(1000, marks=pytest.mark.slow)])
async def test_concurrent_clicks_are_counted_exactly(db: Database, clicks: int) -> None:
    counter, repo, link_id = await start_counter(db)
    server = redirect.serve(counter, "127.0.0.1", 0)
    port = server.port
    gate = asyncio.Semaphore(100)
    try:
        first = [click(port, "/r/Abc123xyz", gate) for _ in range(clicks // 2)]
        second = [click(port, "/r/Abc123xyz", gate) for _ in range(clicks - clicks // 2)]

        async def write_midway() -> None:
            # A write while clicks stream in must neither lose nor double a count.
            await asyncio.sleep(0)
            await repo.add_clicks(counter.take())

        answers = await asyncio.gather(*first, write_midway(), *second)
    finally:
        server.stop()
    replies = [a for a in answers if a is not None]
    assert len(replies) == clicks
    assert {status for status, _ in replies} == {"HTTP/1.1 302 Found"}
    assert {location for _, location in replies} == {f"https://shop.example/?{TAGS}"}
    await repo.add_clicks(counter.take())
    assert await repo.total_clicks(link_id) == clicks


async def test_only_registered_links_redirect(db: Database) -> None:
    counter, _, _ = await start_counter(db)
    server = redirect.serve(counter, "127.0.0.1", 0)
    port = server.port
    try:
        async with httpx.AsyncClient() as client:
            base = f"http://127.0.0.1:{port}/r"
            for path in ("/unknown12", "/https://evil.example", "?url=https://evil.example", ""):
                answer = await client.get(base + path)
                assert answer.status_code == 404 and "location" not in answer.headers
            # A person whose browser prefers German reads the answer in German.
            german = await client.get(
                f"{base}/unknown12", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}
            )
            english = await client.get(f"{base}/unknown12", headers={"Accept-Language": "fr"})
            assert (german.text, english.text) == ("Unbekannter Link.\n", "Unknown link.\n")
            crawler = await client.get(
                f"{base}/Abc123xyz", headers={"User-Agent": "TelegramBot (like TwitterBot)"}
            )
            assert crawler.status_code == 302
            head = await client.head(f"{base}/Abc123xyz")
            assert head.status_code == 302
    finally:
        server.stop()
    assert counter.take() == {}  # previews and probes are not clicks


def test_the_brands_hosts_without_a_scheme_are_links_too() -> None:
    only = LinkSettings(domains=["bakery.example"])
    out = rewrite_html("Boxes: bakery.example/boxes. Mail me@bakery.example", only, tag)
    assert out.startswith('Boxes: <a href="https://bakery.example/boxes?utm_source=')
    assert ">bakery.example/boxes</a>. Mail me@bakery.example" in out
    assert rewrite_html("notbakery.example/x", only, tag) == "notbakery.example/x"


async def test_a_target_is_per_address_and_place_and_a_replay_gets_the_same(db: Database) -> None:
    repo = LinkRepository(db)
    url = "https://shop.example/?utm_source=nl&utm_medium=mail&utm_campaign=x&utm_content=y"
    one = await repo.register(url, "tokenOne1", "preview-1", 1, 1)
    two = await repo.register(url, "tokenTwo2", "preview-2", 2, 2)
    teaser = await repo.register(url, "tokenTsr3", "teaser-2", 2, 3)
    welcome = await repo.register(url, "tokenWlc4", "welcome", None, 4)
    assert len({one.id, two.id, teaser.id, welcome.id}) == 4
    assert (one.token, two.token, teaser.token, welcome.token) == (
        "tokenOne1",
        "tokenTwo2",
        "tokenTsr3",
        "tokenWlc4",
    )
    # Handlers run at least once: registering the same place again (a fresh token offered,
    # as after a restart) hands back the link already posted, for previews and elsewhere.
    assert await repo.register(url, "tokenNew5", "preview-2", 2, 5) == two
    assert await repo.register(url, "tokenNew6", "welcome", None, 6) == welcome
    assert len(await repo.targets()) == 4
    await repo.add_clicks({(two.id, "2026-11-29"): 3, (teaser.id, "2026-11-29"): 1})
    assert await repo.clicks_for_preview(1) == 0
    assert await repo.clicks_for_preview(2) == 4
    assert await repo.clicks_by_content("2026-11-29", "2026-11-29") == [
        ("preview-2", 3),
        ("teaser-2", 1),
    ]
