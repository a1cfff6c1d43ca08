"""Checks every end-to-end test gets for free.

Untagged brand links: whatever a test does, every web link the bot sent to members (the
community group and private chats) must carry the campaign tags when it sends it. The
brand team's own chat is left out: the digest quotes members' words as they wrote them.
The check reads the sandbox just before it stops, with the ``[links]`` settings of the club
the test built (by default every non-Telegram web link is the brand's: the strictest reading).

Shared fixtures are here too (``club``); the helpers tests share are in helpers.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import LinkSettings, Settings
from bot.demo import simulation
from bot.demo.simulation import BRAND_CHAT_ID, SimulatedClub, simulated_club
from bot.links.tagging import is_brand_link, is_tagged
from bot.sandbox import Sandbox
from tests.e2e.linkscan import links_of


def _untagged(sandbox: Sandbox, settings: LinkSettings) -> list[tuple[int, str]]:
    found = []
    for chat in sandbox.world.chats.values():
        if chat.id == BRAND_CHAT_ID:
            continue
        for message in sandbox.bot_messages(chat):
            for url in links_of(message):
                if is_brand_link(url, settings) and not is_tagged(url, settings):
                    found.append((chat.id, url))
    return found


@pytest.fixture(autouse=True)
def no_untagged_brand_links(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    found: list[tuple[int, str]] = []
    built: list[Settings] = []
    original_stop = Sandbox.stop
    original_settings = simulation.club_settings

    def club_settings(*args: object, **kwargs: object) -> Settings:
        settings = original_settings(*args, **kwargs)  # type: ignore[arg-type]
        built.append(settings)
        return settings

    async def stop(self: Sandbox) -> None:
        found.extend(_untagged(self, built[-1].links if built else LinkSettings()))
        await original_stop(self)

    monkeypatch.setattr(simulation, "club_settings", club_settings)
    monkeypatch.setattr(Sandbox, "stop", stop)
    yield
    assert not found, f"the bot sent brand links without campaign tags: {found[:5]}"


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[SimulatedClub]:
    """A started club with default settings, on its own database (and its own port)."""
    async with simulated_club(tmp_path / "club.db") as started:
        yield started
