"""A whole simulated club: the Telegram sandbox and the real bot, wired over HTTP.

Used by the end-to-end tests, ``python -m bot demo`` and the benchmarks. The bot is the
unmodified Application, talking to the sandbox through PTB's ``base_url``; both share one
FakeClock so a scenario can jump hours ahead without sleeping.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import CommunityApplication, build_application, start_application, stop_application
from bot.config import Settings
from bot.context import Features
from bot.core.clock import FakeClock
from bot.core.club import Club
from bot.core.services import Services
from bot.sandbox import Sandbox, SimChat, SimUser

TOKEN = "7000000001:SANDBOX-token-not-secret"
COMMUNITY_CHAT_ID = -1001234567890
BRAND_CHAT_ID = -1009876543210


@dataclass
class SimulatedClub:
    sandbox: Sandbox
    clock: FakeClock
    app: CommunityApplication
    group: SimChat
    brand: SimChat
    owner: SimUser  # the group's creator, an admin
    brand_manager: SimUser  # a brand-team member in the brand chat

    @property
    def club(self) -> Club[Features]:
        """The bot's one club (a restart builds a new one: never keep it across restarts)."""
        return self.app.clubs.only

    @property
    def services(self) -> Services:
        return self.club.services

    @property
    def features(self) -> Features:
        return self.club.features

    async def settle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a plain bound
        """Wait until the bot has fetched and handled everything and written it down.

        The sandbox alone cannot tell: a handler may still be waiting in the bot's rate
        limiter (no request in flight, every update already fetched). So the bot reports its
        own work in progress (``bot.core.activity``) and the sandbox waits until both are done.
        """
        try:
            await self.sandbox.wait_idle(timeout=timeout)
        except TimeoutError as exc:
            activity = self.app.activity
            raise TimeoutError(
                f"the bot was still busy after {timeout}s: {activity.updates} update(s), "
                f"{activity.calls} call(s), {activity.tasks} task(s), "
                f"{self.services.messenger.in_flight} background send(s); {exc}"
            ) from exc
        await self.services.db.flush()

    def bot_idle(self) -> bool:
        """Nothing in progress on the bot's side: updates, calls, tasks, due timer jobs."""
        if not self.app.activity.idle or self.services.messenger.in_flight:
            return False
        job_queue = self.app.job_queue
        if job_queue is None or not job_queue.scheduler.running:
            return True
        # The job queue runs on real time; a job past due is about to start.
        now = datetime.now(UTC)
        return not any(job.next_t is not None and job.next_t <= now for job in job_queue.jobs())

    def _watch_bot(self) -> None:
        self.app.activity.listen(self.sandbox.watch_bot(self.bot_idle))

    async def tick(self) -> None:
        """Run due work now (as the scheduler's timer would) and let the bot settle."""
        await self.services.scheduler.tick()
        await self.services.db.flush()
        await self.settle()

    async def advance(self, delta: timedelta | float) -> None:
        """Move time forward for the bot and the world, then run what became due."""
        self.clock.advance(delta)
        await self.tick()

    async def restart(self) -> None:
        """Stop the bot and start a fresh Application on the same database and world."""
        settings = self.services.settings
        await stop_application(self.app)
        self.app = await build_application(settings, clock=self.clock)
        self._watch_bot()
        await start_application(self.app)
        await self.settle()


def club_settings(database: Path, base_url: str, **sections: dict[str, Any]) -> Settings:
    """Settings for a simulated club; ``sections`` override or extend each section."""
    data: dict[str, dict[str, Any]] = {
        "telegram": {
            "token": TOKEN,
            "api_base_url": base_url,
            "community_chat_id": COMMUNITY_CHAT_ID,
            "brand_chat_id": BRAND_CHAT_ID,
        },
        "community": {"name": "Bakery VIP Club", "max_members": 250, "timezone": "UTC"},
        "gate": {"code_secret": "simulation-secret"},
        "storage": {"database": database},
        # The scheduler is driven by hand (SimulatedClub.tick); long polls stay short so a
        # restart or stop never waits long for a poll to return.
        "runtime": {"scheduler_seconds": 3600, "polling_timeout": 1, "log_level": "WARNING"},
    }
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    # model_validate, not Settings(...): a simulation ignores BOT_* variables of the shell.
    return Settings.model_validate(data)


@asynccontextmanager
async def simulated_club(
    database: Path | None = None,
    *,
    clock: FakeClock | None = None,
    start: bool = True,
    forum: bool = False,
    language_code: str = "en",
    brand_title: str = "Brand team",
    **sections: dict[str, Any],
) -> AsyncIterator[SimulatedClub]:
    """A sandbox world with the community group, the brand chat, an owner, and the bot.

    ``forum=True``: the group has topics and the bot may manage them (Manage Topics).
    ``language_code`` is what the owner's and the brand manager's Telegram apps report.
    """
    clock = clock or FakeClock()
    with tempfile.TemporaryDirectory(prefix="club-") as scratch:
        db_path = database or Path(scratch) / "club.db"
        sandbox = Sandbox(
            token=TOKEN, clock=clock, bot_username="club_bot", bot_first_name="Club Bot"
        )
        await sandbox.start()
        try:
            title = sections.get("community", {}).get("name", "Bakery VIP Club")
            group = sandbox.create_supergroup(title, chat_id=COMMUNITY_CHAT_ID, forum=forum)
            brand = sandbox.create_supergroup(brand_title, chat_id=BRAND_CHAT_ID)
            owner = sandbox.create_user(
                "Olivia", username="olivia_owner", language_code=language_code
            )
            brand_manager = sandbox.create_user(
                "Bruno", username="bruno_brand", language_code=language_code
            )
            sandbox.add_member(group, owner, status="creator")
            sandbox.add_member(brand, brand_manager, status="creator")
            sandbox.make_bot_admin(
                group,
                can_invite_users=True,
                can_restrict_members=True,
                can_pin_messages=True,
                can_delete_messages=True,
                can_manage_topics=forum,
            )
            sandbox.make_bot_admin(brand)
            telegram_overrides = sections.pop("telegram", {})
            settings = club_settings(
                db_path,
                sandbox.base_url,
                telegram={"brand_team": [brand_manager.id], **telegram_overrides},
                **sections,
            )
            app = await build_application(settings, clock=clock)
            club = SimulatedClub(
                sandbox=sandbox,
                clock=clock,
                app=app,
                group=group,
                brand=brand,
                owner=owner,
                brand_manager=brand_manager,
            )
            club._watch_bot()
            if start:
                await start_application(app)
                await club.settle()
            try:
                yield club
            finally:
                await stop_application(club.app)
        finally:
            await sandbox.stop()
