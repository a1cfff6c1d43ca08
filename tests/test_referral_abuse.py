"""Hostile inputs to referrals and measurable links (review of issue #16)."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import socket
import stat
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.config import CommunitySettings, LinkSettings
from bot.core.messaging import split_message, visible_length
from bot.core.services import Services
from bot.db import Database
from bot.links import redirect
from bot.links.service import LinkService
from bot.links.tagging import brand_links, rewrite_html, tag_url
from bot.privacy.repo import PrivacyRepository
from bot.referrals.repo import ReferralRepository
from bot.referrals.service import parse_user_id
from tests.test_ops import write_config
from tests.test_referrals import ADA, BEN, club_with_referrals


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "club.db")
    yield database
    await database.close()


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


def entities_whole(html_text: str) -> bool:
    """Every "&" starts a complete entity (Telegram rejects or shows a cut-off one as is)."""
    return re.search(r"&(?![a-z]+;|#[0-9]+;|#x[0-9a-f]+;)", html_text, re.IGNORECASE) is None


def test_escaped_brackets_and_quotes_end_a_bare_link_and_stay_whole() -> None:
    source = (
        "See &lt;https://shop.example/a&gt; or &quot;www.shop.example/b&quot;, shop.example/c&gt;"
    )
    out = rewrite_html(source, SHOP, mark)
    assert visible(out) == visible(source) and entities_whole(out)
    assert brand_links(source, SHOP) == [
        "https://shop.example/a",
        "https://www.shop.example/b",
        "https://shop.example/c",
    ]
    # An entity at the end is not cut in half by trailing-punctuation rules.
    for ending in ("Cakes: https://shop.example/?q=a&amp; more", "https://shop.example/x&amp;!"):
        out = rewrite_html(ending, SHOP, mark)
        assert visible(out) == visible(ending) and entities_whole(out), out
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


async def raw_get(port: int, method: str, path: str) -> list[str]:
    """One request over a bare socket; the answer's header lines, as bytes decoded ASCII."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    head = answer.split(b"\r\n\r\n", 1)[0]
    return head.decode("ascii").split("\r\n")  # raises if a header carries non-ASCII bytes


async def test_redirects_to_international_or_odd_addresses_are_plain_ascii_http() -> None:
    counter = redirect.ClickCounter(lambda: "2026-11-29")
    counter.add_target("Intl123xyz", 1, "https://bäckerei.example/brötchen?sorte=mohn&süß=1#öl")
    counter.add_target("Crlf123xyz", 2, "https://shop.example/a\r\nSet-Cookie: x=1")
    counter.add_target("Kept123xyz", 3, "https://shop.example/a%20b?q=a%26b&utm_source=x")
    server = redirect.serve(counter, "127.0.0.1", 0)
    try:
        answers = {
            token: await raw_get(server.port, "GET", f"/r/{token}")
            for token in ("Intl123xyz", "Crlf123xyz", "Kept123xyz")
        }
    finally:
        server.stop()
    locations = {}
    for token, head in answers.items():
        assert head[0] == "HTTP/1.1 302 Found", token
        assert not any(line.lower().startswith("set-cookie") for line in head)
        locations[token] = next(h.split(": ", 1)[1] for h in head if h.startswith("Location"))
    assert locations["Intl123xyz"] == (
        "https://xn--bckerei-5wa.example/br%C3%B6tchen?sorte=mohn&s%C3%BC%C3%9F=1#%C3%B6l"
    )
    # Line breaks are dropped from a URL, as browsers do (WHATWG); nothing starts a header.
    assert locations["Crlf123xyz"] == "https://shop.example/aSet-Cookie:%20x=1"
    assert locations["Kept123xyz"] == "https://shop.example/a%20b?q=a%26b&utm_source=x"
    assert counter.take() == {(1, "2026-11-29"): 1, (2, "2026-11-29"): 1, (3, "2026-11-29"): 1}


async def test_other_methods_are_refused_without_a_traceback_per_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    counter = redirect.ClickCounter(lambda: "2026-11-29")
    counter.add_target("Abc123xyz", 1, "https://shop.example/")
    server = redirect.serve(counter, "127.0.0.1", 0)
    try:
        with caplog.at_level(logging.DEBUG, logger="bot.links.redirect"):
            for method in ("POST", "PUT", "DELETE", "OPTIONS"):
                head = await raw_get(server.port, method, "/r/Abc123xyz")
                assert head[0] == "HTTP/1.1 405 Method Not Allowed", method
    finally:
        server.stop()
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert noisy == []
    assert counter.take() == {}


def link_service(db: Database, port: int) -> LinkService:
    """A LinkService over a real database, with just the parts of Services it reads."""
    links = LinkSettings(
        domains=["shop.example"], redirect_base_url="https://club.example/r", redirect_port=port
    )
    settings = SimpleNamespace(links=links, community=CommunitySettings())
    services = SimpleNamespace(settings=settings, db=db, now_ts=lambda: 1_800_000_000)
    return LinkService(cast(Services, services))


async def test_a_busy_port_is_one_clear_line_and_links_stay_alive(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        service = link_service(db, busy.getsockname()[1])
        with caplog.at_level(logging.INFO, logger="bot.links"):
            service.start_server()
        tagged = await service.brand_html("Shop: https://shop.example/boxes", "welcome")
    assert service.server is None
    (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "redirect_port" in line.getMessage() and line.exc_info is None
    # Not routed through an endpoint nobody serves: straight to the shop, tagged.
    assert 'href="https://shop.example/boxes?utm_source=telegram' in tagged
    assert "club.example/r" not in tagged


async def test_the_endpoint_stops_promptly_with_a_client_still_connected(db: Database) -> None:
    service = link_service(db, 0)
    service.start_server()
    assert service.server is not None
    port = service.server.port
    thread = service.server._thread
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)  # an idle keep-alive
    try:
        service.stop_server()
        assert not thread.is_alive()
        with socket.socket() as again:
            # As a restarted bot would bind (tornado sets SO_REUSEADDR): the port is free.
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))
            again.listen()
    finally:
        writer.close()


async def test_an_export_file_is_readable_by_the_operator_only(tmp_path: Path) -> None:
    db_path = tmp_path / "export.db"
    database = await Database.open(db_path)
    await database.close()
    config = write_config(tmp_path, db_path)
    out = tmp_path / "referrals.csv"
    out.write_text("older, wider file")
    out.chmod(0o644)
    args = ["export", "--config", str(config), "--what", "referrals", "--out", str(out)]
    assert await asyncio.to_thread(main, args) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "older" not in out.read_text(encoding="utf-8")  # replaced, not appended to


def test_an_endpoint_that_cannot_start_says_so_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(counter: redirect.ClickCounter, language: str) -> None:
        raise RuntimeError("no application")

    monkeypatch.setattr(redirect, "make_app", broken)
    counter = redirect.ClickCounter(lambda: "2026-11-29")
    done: list[BaseException] = []

    def start() -> None:
        try:
            redirect.serve(counter, "127.0.0.1", 0)
        except OSError as exc:
            done.append(exc)

    runner = threading.Thread(target=start, daemon=True)
    runner.start()
    runner.join(timeout=5)
    assert not runner.is_alive(), "serve() hung"
    assert done and "no application" in str(done[0])


async def rows_naming(db: Database, user_id: int) -> list[str]:
    """A scan of every referral and link table, every integer column, for this id."""
    found = []
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND (name LIKE 'referral%' OR name LIKE 'link%' OR name LIKE 'preview_link%')"
    )
    for (table,) in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            if user_id in tuple(row):
                found.append(f"{table}: {tuple(row)}")
    return found


async def test_mydata_has_the_referral_rows_and_forgetme_leaves_none(db: Database) -> None:
    await club_with_referrals(db)
    privacy = PrivacyRepository(db)
    ada, ben = await privacy.export_person(ADA), await privacy.export_person(BEN)
    assert len(ada["referral_invites"]) == 3 and len(ada["referral_joins"]) == 3
    assert [row["referrer_user_id"] for row in ben["referral_joins"]] == [ADA]
    await db.execute(
        "INSERT INTO referral_flags (referrer_user_id, flagged_at, joins) VALUES (?, 1, 3)",
        (ADA,),
    )
    assert await rows_naming(db, ADA) != []
    await privacy.erase_person(ADA)
    assert await rows_naming(db, ADA) == []
    await privacy.erase_person(BEN)
    assert await rows_naming(db, BEN) == []


async def test_a_replay_drops_an_unused_invite_but_keeps_one_a_friend_used(db: Database) -> None:
    repo = ReferralRepository(db)
    for code_id, uses in ((5, 1), (6, 0)):
        await db.execute(
            "INSERT INTO gate_codes (id, code_hash, label, max_uses, uses, created_at) "
            "VALUES (?, ?, 'referral', 1, ?, 1)",
            (code_id, f"hash{code_id}", uses),
        )
        await db.execute(
            "INSERT INTO referral_invites (code_id, referrer_user_id, issued_at, update_id) "
            "VALUES (?, ?, 1, ?)",
            (code_id, ADA, 70 + code_id),
        )
    async with db.transaction() as conn:
        await repo.tx_forget_invite(conn, 5)
        await repo.tx_forget_invite(conn, 6)
    rows = await db.fetchall("SELECT code_id, update_id FROM referral_invites")
    assert [tuple(row) for row in rows] == [(5, None)]


@pytest.mark.parametrize("limit", [4096, 1024])
def test_tagging_a_message_at_telegrams_limit_keeps_it_within_the_limit(limit: int) -> None:
    """Telegram counts text after entities are parsed: an href is not counted, and tagging
    only ever changes hrefs, so a text or caption at the limit stays at it."""
    line = "Boxes: https://shop.example/boxes?size=xl&amp;n=2, www.shop.example!\n"
    source = line * (limit // visible_length(line))
    source += "x" * (limit - visible_length(source))
    assert visible_length(source) == limit
    tagged = rewrite_html(source, SHOP, lambda url: tag_url(url, SHOP, "preview-1234567"))
    assert len(tagged) > 2 * len(source)  # much longer HTML...
    assert visible_length(tagged) == limit  # ...the same text
    assert split_message(tagged, limit) == [tagged]


@pytest.mark.parametrize(
    "section",
    [
        {"redirect_base_url": "bot.example.com/r"},
        {"redirect_base_url": "https://bot.example.com/r?x=1"},
        {"domains": ["https://shop.example"]},
        {"domains": ["shop.example/boxes"]},
        {"domains": [""]},
    ],
)
def test_link_settings_that_would_make_dead_or_unmatched_links_are_refused(
    section: dict[str, object],
) -> None:
    with pytest.raises(ValidationError):
        LinkSettings.model_validate(section)


def test_link_settings_as_documented_are_accepted() -> None:
    settings = LinkSettings(domains=["shop.example", "bäckerei.example"], redirect_base_url="")
    assert settings.domains == ["shop.example", "bäckerei.example"]
    assert LinkSettings(redirect_base_url="https://bot.example.com/r").redirect_base_url
