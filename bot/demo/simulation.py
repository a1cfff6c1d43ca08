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
from bot.core.timer import run_due_work
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
    # Which of the bot's clubs this is, when it serves several (simulated_clubs).
    key: str | None = None

    @property
    def club(self) -> Club[Features]:
        """This club of the bot (a restart builds a new one: never keep it across restarts)."""
        if self.key is None:
            return self.app.clubs.only
        return next(club for club in self.app.clubs if club.key == self.key)

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
        """Run due work now (as the scheduler's timer would) and let the bot settle: every
        club's, as the timer does."""
        await run_due_work(self.app)
        await self.settle()

    async def advance(self, delta: timedelta | float) -> None:
        """Move time forward for the bot and the world, then run what became due."""
        self.clock.advance(delta)
        await self.tick()

    async def restart(self) -> None:
        """Stop the bot and start a fresh Application on the same database and world."""
        settings = self.app.settings
        await stop_application(self.app)
        self.app = await build_application(settings, clock=self.clock)
        self._watch_bot()
        await start_application(self.app)
        await self.settle()


def club_settings(database: Path, base_url: str, **sections: dict[str, Any]) -> Settings:
    """Settings for a simulated club; ``sections`` override or extend each section."""
    # model_validate, not Settings(...): a simulation ignores BOT_* variables of the shell.
    return Settings.model_validate(_settings_data(database, base_url, sections))


def clubs_settings(
    database: Path, base_url: str, clubs: list[dict[str, Any]], **sections: dict[str, Any]
) -> Settings:
    """Settings for a bot serving several simulated clubs (``clubs``: ``[[clubs]]`` entries,
    each naming its own chats)."""
    data = _settings_data(database, base_url, sections)
    del data["telegram"]["community_chat_id"], data["telegram"]["brand_chat_id"]
    return Settings.model_validate({**data, "clubs": clubs})


def _settings_data(
    database: Path, base_url: str, sections: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
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
    return data


@asynccontextmanager
async def _sandbox_world(
    database: Path | None, clock: FakeClock, prefix: str
) -> AsyncIterator[tuple[Sandbox, Path]]:
    """A started sandbox, and the database path (``database``, or one in a scratch folder)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        sandbox = Sandbox(
            token=TOKEN, clock=clock, bot_username="club_bot", bot_first_name="Club Bot"
        )
        await sandbox.start()
        try:
            yield sandbox, database or Path(scratch) / "club.db"
        finally:
            await sandbox.stop()


def _club_chats(
    sandbox: Sandbox,
    *,
    title: str,
    brand_title: str,
    chat_ids: tuple[int, int],
    owner: SimUser,
    brand_manager: SimUser,
    forum: bool = False,
) -> tuple[SimChat, SimChat]:
    """A club's group (owned by ``owner``) and brand chat (``brand_manager``), the bot an
    admin of both with the rights the gate, moderation and previews use."""
    group = sandbox.create_supergroup(title, chat_id=chat_ids[0], forum=forum)
    brand = sandbox.create_supergroup(brand_title, chat_id=chat_ids[1])
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
    return group, brand


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
    async with _sandbox_world(database, clock, "club-") as (sandbox, db_path):
        owner = sandbox.create_user("Olivia", username="olivia_owner", language_code=language_code)
        brand_manager = sandbox.create_user(
            "Bruno", username="bruno_brand", language_code=language_code
        )
        group, brand = _club_chats(
            sandbox,
            title=sections.get("community", {}).get("name", "Bakery VIP Club"),
            brand_title=brand_title,
            chat_ids=(COMMUNITY_CHAT_ID, BRAND_CHAT_ID),
            owner=owner,
            brand_manager=brand_manager,
            forum=forum,
        )
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


# The clubs of a two-club world: (key, name, owner, brand manager). Chat ids count down
# from the single club's, so club 1 of several sits in the same chats as a single club.
CLUB_CAST = (
    ("berlin", "Berlin Bakery Club", "Olivia", "Bruno"),
    ("hamburg", "Hamburg Bakery Club", "Hanna", "Hauke"),
    ("munich", "Munich Bakery Club", "Mia", "Max"),
)


@asynccontextmanager
async def simulated_clubs(
    database: Path | None = None,
    *,
    count: int = 2,
    clock: FakeClock | None = None,
    clubs: dict[str, dict[str, Any]] | None = None,
    **sections: dict[str, Any],
) -> AsyncIterator[list[SimulatedClub]]:
    """One sandbox world, one bot serving ``count`` clubs (each its group, brand chat,
    owner and brand manager); one SimulatedClub per club, sharing the sandbox and the app.

    ``clubs``: extra values for each club's ``[[clubs]]`` entry, by key. The first club's
    database is ``database``; the others default to files beside it.
    """
    clock = clock or FakeClock()
    async with _sandbox_world(database, clock, "clubs-") as (sandbox, db_path):
        worlds, entries = [], []
        for index, (key, name, owner_name, manager_name) in enumerate(CLUB_CAST[:count]):
            owner = sandbox.create_user(owner_name, username=f"{owner_name.lower()}_owner")
            manager = sandbox.create_user(manager_name, username=f"{manager_name.lower()}_b")
            group, brand = _club_chats(
                sandbox,
                title=name,
                brand_title=f"{name} brand team",
                chat_ids=(COMMUNITY_CHAT_ID - index, BRAND_CHAT_ID - index),
                owner=owner,
                brand_manager=manager,
            )
            worlds.append((key, group, brand, owner, manager))
            entries.append(
                {
                    "key": key,
                    "name": name,
                    "community_chat_id": group.id,
                    "brand_chat_id": brand.id,
                    "brand_team": [manager.id],
                    **(clubs or {}).get(key, {}),
                }
            )
        settings = clubs_settings(db_path, sandbox.base_url, entries, **sections)
        app = await build_application(settings, clock=clock)
        simulated = [
            SimulatedClub(sandbox, clock, app, group, brand, owner, manager, key=key)
            for key, group, brand, owner, manager in worlds
        ]
        simulated[0]._watch_bot()
        await start_application(app)
        await simulated[0].settle()
        try:
            yield simulated
        finally:
            await stop_application(simulated[0].app)
