from __future__ import annotations

import sys

# Compiled modules are cached even where the environment says not to write bytecode
# (PYTHONDONTWRITEBYTECODE): otherwise every test worker, and every bot, world and scoring
# process a test starts, compiles the whole package again and rewrites every test module's
# asserts: about a fifth of the default run's CPU on 2 cores. Set before the first ``bot``
# import; the processes tests start inherit the variable but read the cache.
sys.dont_write_bytecode = False

import asyncio
import compileall
import functools
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

from bot.core.ratelimit import OVERALL_PER_SECOND, TelegramRateLimiter
from bot.db import Database

# Telegram ids need more than 32 bits; tests use such ids wherever an id is made up.
BIG_USER_ID = 2**32 + 12_345
BIG_CHAT_ID = -(10**12) - 4_242

# Fuzz tests (hypothesis) run in both sets: a quick pass in the default run, which must stay
# under a minute on 2 cores, and a thorough one in the slow set (`-m slow`), where every
# hypothesis test is selected too. A test that sets max_examples itself keeps its number.
FUZZ_EXAMPLES_DEFAULT = 50
FUZZ_EXAMPLES_SLOW = 1_000
settings.register_profile(
    "default-set",
    max_examples=FUZZ_EXAMPLES_DEFAULT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "slow-set",
    max_examples=FUZZ_EXAMPLES_SLOW,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _runs_the_slow_set(config: pytest.Config) -> bool:
    """True for `-m slow` (the CI's second step), false for the default `-m 'not slow'`."""
    words = str(config.option.markexpr or "").replace("(", " ").replace(")", " ").split()
    return "slow" in words and "not" not in words


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile("slow-set" if _runs_the_slow_set(config) else "default-set")
    if not hasattr(config, "workerinput"):
        # Once, before xdist starts its workers: on a fresh clone they would otherwise all
        # compile the same package side by side (~6 s of a first run on 2 cores).
        compileall.compile_dir(Path(__file__).parent.parent / "bot", quiet=1)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Before `-m` deselects: in the slow set, fuzz tests count as slow, so they run there
    # with the large profile.
    if not _runs_the_slow_set(config):
        return
    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with every migration applied, made once per test process.

    Tests copy it instead of running the migrations each time (test_migrations.py runs them
    from scratch). Closing the last connection checkpoints the WAL into the file, so the
    file alone is the whole database.
    """
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def build() -> None:
        database = await Database.open(path)
        await database.close()

    asyncio.run(build())
    leftovers = [p.name for p in path.parent.iterdir() if p != path]
    assert not leftovers, f"the template database left files behind: {leftovers}"
    return path


def migrated_copy(template: Path, path: Path) -> Path:
    """A fresh, fully migrated database file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return path


@pytest.fixture
async def db(tmp_path: Path, migrated_template: Path) -> AsyncIterator[Database]:
    database = await Database.open(migrated_copy(migrated_template, tmp_path / "test.db"))
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def private_replies_unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's per-private-chat budget raised to the overall one, for this test only.

    For end-to-end tests in which the bot sends several messages to one private chat within a
    second (every wrong input, every command edited, an export in several parts) and whose
    subject is what it sends, not how fast: at 3 a second per chat they spend seconds waiting
    for the limiter, not checking anything. Every other limit stays as in production. The
    per-chat limit itself is proven where it is the subject: tests/test_fair_share.py,
    tests/e2e/test_idle.py (settle waits for replies the limiter holds back) and the tests
    that turn on the sandbox's rate checker.
    """
    monkeypatch.setattr(
        TelegramRateLimiter,
        "__init__",
        functools.partialmethod(
            TelegramRateLimiter.__init__, private_per_second=OVERALL_PER_SECOND
        ),
    )


@pytest.fixture
def quick_network_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot retries 5xx answers and dropped connections after 10 ms instead of 0.5 s
    (doubling), for tests that inject such faults to prove something else (the seat cap
    holds while Telegram has a bad minute). The same requests are retried the same number
    of times; only the pause is shorter. Retries with the production pauses run in
    tests/faults/test_telegram_faults.py.
    """
    monkeypatch.setattr(
        TelegramRateLimiter,
        "__init__",
        functools.partialmethod(TelegramRateLimiter.__init__, backoff=0.01),
    )
