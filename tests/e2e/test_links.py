"""Measurable links end to end: every brand link the bot posts is tagged; clicks are counted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.config import LinkSettings
from bot.core.digest_api import DayWindow
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.links import clicks_for_preview, links_section
from bot.links.tagging import is_tagged
from bot.sandbox import SentMessage, SimUser
from tests.e2e.linkscan import brand_links_sent, links_of, untagged_brand_links
from tests.e2e.test_gate_journeys import join_link, redeem
from tests.e2e.test_previews import say

RULES = "1. Be kind.\n2. The menu is at https://bakery.example/menu?lang=en#today."
LINKS = {"domains": ["bakery.example"], "campaign": "vip", "medium": "club"}


async def new_member(club: SimulatedClub, name: str) -> SimUser:
    sb = club.sandbox
    gate = club.features.gate
    (code,) = await gate.create_codes(1, 1, "flyer", None, club.owner.id)
    user = sb.create_user(name)
    await redeem(club, user, code)
    sb.join_via_link(user, join_link(sb, user))
    await club.settle()
    return user


async def publish(club: SimulatedClub, draft: SentMessage, command: str) -> None:
    await say(club, club.brand_manager, command, reply_to=draft)
    await club.settle()


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_every_brand_link_the_bot_posts_carries_the_tags(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", community={"rules": RULES}, links=LINKS
    ) as club:
        sb, bruno = club.sandbox, club.brand_manager
        ada = await new_member(club, "Ada")
        sb.start_bot(bruno)
        await club.settle()
        text_draft = sb.send_text(
            bruno,
            bruno,
            "New rye: https://bakery.example/rye?size=l#top and www.bakery.example/shop. "
            "Partner: https://other.example/x. Group: https://t.me/c/1/2",
        )
        await publish(club, text_draft, "/preview now --title Rye --notify")
        photo_draft = sb.send_photo(bruno, bruno, caption="Croissant! https://bakery.example/c")
        await publish(club, photo_draft, "/preview now --title Croissant")
        album = sb.send_album(bruno, bruno, n=2, caption="Box: https://bakery.example/box")
        await club.settle()
        await publish(club, album[1], "/preview now --title Box")
        await club.settle()

        settings = club.services.settings.links
        assert untagged_brand_links(sb, settings) == []
        sent = brand_links_sent(sb, settings)
        # welcome, the text preview's two links, the caption's link, the album's caption
        assert len(sent) >= 5, sent
        assert any("utm_content=preview-3" in url for url in sent), sent
        group_links = [url for m in sb.bot_messages(club.group) for url in links_of(m)]
        assert any(
            url.startswith("https://bakery.example/rye?size=l&utm_source=telegram")
            and url.endswith("utm_content=preview-1#top")
            for url in group_links
        ), group_links
        assert "https://other.example/x" in group_links  # not the brand's: left alone
        assert "https://t.me/c/1/2" in " ".join(m.text or "" for m in sb.bot_messages(club.group))
        welcome = next(m for m in sb.bot_messages(ada) if "Welcome" in (m.text or ""))
        assert any("utm_content=welcome" in url for url in links_of(welcome))
        # The members' own messages are never rewritten.
        assert "utm_" not in (text_draft.text or "")


async def test_counted_links_redirect_and_show_in_results_and_digest(tmp_path: Path) -> None:
    links = {**LINKS, "redirect_base_url": "https://club.example/r", "redirect_port": 0}
    async with simulated_club(tmp_path / "club.db", links=links) as club:
        sb, bruno = club.sandbox, club.brand_manager
        sb.start_bot(bruno)
        await club.settle()
        draft = sb.send_text(bruno, bruno, "Order here: https://bakery.example/order")
        await publish(club, draft, "/preview now --title Order")
        settings: LinkSettings = club.services.settings.links
        (counted,) = [
            url
            for m in sb.bot_messages(club.group)
            for url in links_of(m)
            if url.startswith("https://club.example/r/")
        ]
        assert untagged_brand_links(sb, settings) == []
        service = club.features.links
        assert service.server is not None
        port = service.server.port
        local = counted.replace("https://club.example", f"http://127.0.0.1:{port}")
        async with httpx.AsyncClient() as client:
            answers = [await client.get(local) for _ in range(3)]
            bogus = await client.get(f"http://127.0.0.1:{port}/r/https://evil.example")
        assert [a.status_code for a in answers] == [302, 302, 302]
        target = answers[0].headers["location"]
        assert target.startswith("https://bakery.example/order?") and is_tagged(target, settings)
        assert bogus.status_code == 404
        await club.tick()  # the scheduler writes the counts

        assert "Link clicks: 3" in await say(club, bruno, "/previews")
        window = DayWindow.for_day(club.clock.now().date(), club.services.settings.community.tz)
        section = await links_section(club.services.db, window, club.services.settings)
        assert section is not None and section.data["by_content"] == {"preview-1": 3}
        # Counts survive a restart (written before storage closes), and a day later the
        # digest's 7-day figure still has them: also a click no scheduler tick has written.
        async with httpx.AsyncClient() as client:
            assert (await client.get(local)).status_code == 302
        await club.restart()
        await club.advance(timedelta(days=1))
        later = DayWindow.for_day(club.clock.now().date(), club.services.settings.community.tz)
        section = await links_section(club.services.db, later, club.services.settings)
        assert section is not None and section.data["clicks_7d"] == 4


async def test_poll_results_tag_the_brands_links(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", links=LINKS) as club:
        sb, olivia = club.sandbox, club.owner
        sb.start_bot(olivia)
        await say(
            club, olivia, "/poll Which box? See bakery.example/boxes | Paper | Tin --closes 1h"
        )
        await club.advance(timedelta(hours=1))
        await sb.wait_for(lambda: "Poll closed" in (sb.bot_messages(club.group)[-1].text or ""))
        results = sb.bot_messages(club.group)[-1]
        [url] = [url for url in links_of(results) if "bakery.example" in url]
        assert url.startswith("https://bakery.example/boxes?") and "utm_content=poll-1" in url


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_a_draft_edited_before_publication_goes_out_as_edited(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", links=LINKS) as club:
        sb, bruno = club.sandbox, club.brand_manager
        sb.start_bot(bruno)
        await club.settle()
        price = sb.send_text(bruno, bruno, "Croissants at https://bakery.example/old for 4 EUR")
        await publish(club, price, "/preview in 2h --title Croissant")
        dropped = sb.send_text(bruno, bruno, "Rye loaf: https://bakery.example/rye")
        await publish(club, dropped, "/preview in 2h --title Rye")
        album = sb.send_album(bruno, bruno, n=2, caption="Box: https://bakery.example/box")
        await club.settle()
        await publish(club, album[1], "/preview in 2h --title Box")
        # The brand fixes the drafts before they go out: a price, a link removed, a caption.
        sb.edit_text(price, "Croissants at https://bakery.example/new for 5 EUR")
        sb.edit_text(dropped, "Rye loaf: ask at the counter")
        sb.edit_text(album[0], "Big box: https://bakery.example/bigbox")
        await club.settle()
        await club.advance(timedelta(hours=2, minutes=1))
        texts = [m.text or "" for m in sb.bot_messages(club.group)]
        (croissant,) = [m for m in sb.bot_messages(club.group) if "Croissants" in (m.text or "")]
        assert "5 EUR" in (croissant.text or "")
        (url,) = links_of(croissant)
        assert url.startswith("https://bakery.example/new?")
        assert is_tagged(url, club.services.settings.links)
        assert "Rye loaf: ask at the counter" in texts and not any("/rye" in t for t in texts)
        (box,) = [m for m in sb.bot_messages(club.group) if "box" in (m.caption or "")]
        assert box.caption == "Big box: https://bakery.example/bigbox"
        (box_url,) = links_of(box)
        assert box_url.startswith("https://bakery.example/bigbox?utm_source=telegram")


# A brand link that already carries every campaign tag (copied from the newsletter, say):
# tagging leaves it as it is, so two previews carrying it post the same address.
PRETAGGED = (
    "https://bakery.example/order?utm_source=nl&utm_medium=mail"
    "&utm_campaign=dec&utm_content=banner"
)


@pytest.mark.parametrize(
    "tag",
    [
        True,
        # The same path as "pretagged" (the address is posted unchanged): the slow set only.
        pytest.param(False, marks=pytest.mark.slow(reason="same path as [pretagged]")),
    ],
    ids=["pretagged", "tagging-off"],
)
async def test_the_same_link_in_two_previews_is_counted_for_each(
    tmp_path: Path, tag: bool
) -> None:
    links = {
        **LINKS,
        "tag": tag,
        "redirect_base_url": "https://club.example/r",
        "redirect_port": 0,
    }
    async with simulated_club(tmp_path / "club.db", links=links) as club:
        sb, bruno = club.sandbox, club.brand_manager
        sb.start_bot(bruno)
        await club.settle()
        for title in ("One", "Two"):
            draft = sb.send_text(bruno, bruno, f"{title}: {PRETAGGED}")
            await publish(club, draft, f"/preview now --title {title}")
        counted = [
            url
            for m in sb.bot_messages(club.group)
            for url in links_of(m)
            if url.startswith("https://club.example/r/")
        ]
        assert len(counted) == 2 and counted[0] != counted[1], counted
        service = club.features.links
        assert service.server is not None
        local = counted[1].replace(
            "https://club.example", f"http://127.0.0.1:{service.server.port}"
        )
        async with httpx.AsyncClient() as client:
            answers = [await client.get(local) for _ in range(3)]
        assert [a.status_code for a in answers] == [302, 302, 302]
        assert {a.headers["location"] for a in answers} == {PRETAGGED}
        await club.tick()

        db = club.services.db
        assert (await clicks_for_preview(db, 1), await clicks_for_preview(db, 2)) == (0, 3)
        window = DayWindow.for_day(club.clock.now().date(), club.services.settings.community.tz)
        section = await links_section(db, window, club.services.settings)
        assert section is not None and section.data["by_content"] == {"preview-2": 3}
        two, one = (await say(club, bruno, "/previews")).split("#1 One")
        assert "Link clicks: 3" in two and "Link clicks" not in one
