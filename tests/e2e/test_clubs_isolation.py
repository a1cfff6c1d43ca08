"""No query returns another club's rows: a scan of every repository method with two clubs'
data, and today's single-club database opening as the first of two clubs with every row.

Isolation holds by construction (each club has its own SQLite file); the scan keeps it true
if a query ever reached past its file (an ATTACH, a shared connection, a cache keyed wrong).
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import importlib
import inspect
import sqlite3
import typing
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.app import build_application, stop_application
from bot.core.clock import FakeClock
from bot.core.digest_api import DayWindow
from bot.db import Database
from bot.demo.simulation import (
    BRAND_CHAT_ID,
    COMMUNITY_CHAT_ID,
    SimulatedClub,
    clubs_settings,
    simulated_club,
    simulated_clubs,
)
from bot.gate import member_ids
from tests.e2e.helpers import admitted, every_value

DAY = 86_400
SIM_DAY = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
REPO_ROOT = Path(__file__).resolve().parents[2]
REPOSITORY_MODULES = sorted(
    ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
    for path in (REPO_ROOT / "bot").rglob("*repo*.py")
)


async def lively(club: SimulatedClub, names: list[str], words: str) -> None:
    """Members admitted with codes, talking, warned, a poll: rows in most tables."""
    sb = club.sandbox
    people = [await admitted(club, name, label=f"{words.lower()}-flyer") for name in names]
    for person in people:
        sb.send_text(person, club.group, f"{words} from {person.first_name}, lovely crust")
    said = sb.send_text(people[0], club.group, f"{words} is too pricey")
    sb.send_text(club.owner, club.group, f"/warn {words} rudeness", reply_to=said)
    sb.send_text(club.owner, club.group, f"/poll {words} best bun? | Rye | Spelt")
    await club.settle()


def atoms(value: Any) -> Iterator[Any]:
    """Every int and str inside a result (records, rows, lists, dicts)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode(errors="replace")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.astuple(value):
            yield from atoms(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from atoms(key)
            yield from atoms(item)
    elif isinstance(value, list | tuple | set | frozenset | sqlite3.Row | aiosqlite.Row):
        for item in value:
            yield from atoms(item)


def unique_values(mine: Path, theirs: Path) -> tuple[list[int], list[str]]:
    """Ints and strings stored in ``mine`` and nowhere in ``theirs`` (plain small numbers
    and short words are left out: they occur everywhere)."""
    other = {value for _, _, value in every_value(theirs)}
    ints, strs = set(), set()
    for _, _, value in every_value(mine):
        if value in other:
            continue
        if isinstance(value, int) and abs(value) > 10_000:
            ints.add(value)
        elif isinstance(value, str) and len(value) >= 8:
            strs.add(value)
    return sorted(ints), sorted(strs)


def argument(name: str, hint: Any, ints: list[int], strs: list[str], turn: int) -> Any:
    """A value for parameter ``name`` that names the other club's rows where it can."""
    origin = typing.get_origin(hint)
    if hint is bool:
        return True
    if hint is int or (origin is typing.Union and int in typing.get_args(hint)):
        # Times around the simulation's (a FakeClock starts on 1 December 2026): wide enough
        # for every row, narrow enough for methods that walk a window hour by hour.
        if name in ("now", "until", "end", "cutoff", "live"):
            return SIM_DAY + 40 * DAY
        if name in ("since", "start", "published_after"):
            return SIM_DAY - 40 * DAY
        if name == "delay":
            return 0
        if name in ("limit", "days", "weeks", "count", "uses"):
            return 1000
        return ints[turn % len(ints)]
    if hint is float:
        return 0.0
    if hint is str or (origin is typing.Union and str in typing.get_args(hint)):
        return strs[turn % len(strs)]
    if origin in (list, tuple, set, frozenset) or str(origin).endswith(("Sequence", "Iterable")):
        (item,) = typing.get_args(hint)[:1] or (int,)
        pool = strs if item is str else ints
        return [pool[(turn + k) % len(pool)] for k in range(5)]
    if hint is DayWindow:
        return DayWindow(date(2026, 12, 1), ZoneInfo("UTC"), SIM_DAY - DAY, SIM_DAY + 2 * DAY)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    raise LookupError(f"no value for {name}: {hint}")


def repository_calls() -> Iterator[tuple[str, Any, Any]]:
    """(label, function, how to get its first argument from a Database) for every public
    coroutine of every repository module: the methods of each class (built on the
    database), and the module's functions taking the database first."""
    for module_name in REPOSITORY_MODULES:
        module = importlib.import_module(module_name)
        for name, member in vars(module).items():
            if getattr(member, "__module__", None) != module_name or name.startswith("_"):
                continue
            if inspect.isclass(member) and list(inspect.signature(member).parameters) == ["db"]:
                for attr, fn in vars(member).items():
                    if not attr.startswith("_") and inspect.iscoroutinefunction(fn):
                        yield f"{name}.{attr}", fn, member
            elif inspect.iscoroutinefunction(member) and list(
                inspect.signature(member).parameters
            )[:1] == ["db"]:
                yield name, member, lambda db: db


class Scan:
    """Every repository call on one club's file, given the other club's values.

    A write method given those values would store them here, and a later read would bring
    them back as if they had crossed over: so after any call that wrote, the file is put
    back as it was (a fresh copy of the untouched file)."""

    def __init__(self, path: Path, scratch: Path) -> None:
        self.pristine, self.path = scratch / "pristine.db", scratch / "scanned.db"
        with sqlite3.connect(path) as source, sqlite3.connect(self.pristine) as target:
            source.backup(target)
        self.found: list[str] = []
        self.ran = 0
        self.reached: set[str] = set()

    async def _open(self) -> Database:
        with sqlite3.connect(self.pristine) as source, sqlite3.connect(self.path) as target:
            source.backup(target)
        return await Database.open(self.path)

    async def run(self, ints: list[int], strs: list[str]) -> Scan:
        db = await self._open()
        try:
            for label, func, first in repository_calls():
                hints = typing.get_type_hints(func)
                params = list(inspect.signature(func).parameters.values())[1:]
                for turn in range(2):
                    try:
                        plain = {
                            p.name: argument(p.name, hints.get(p.name), ints, strs, turn)
                            for p in params
                            if "Connection" not in str(hints.get(p.name))
                        }
                    except LookupError:
                        break  # a parameter of a kind only the feature builds (a record)
                    before = db._writer.total_changes
                    result = await self._call(db, func, first(db), params, plain)
                    if db._writer.total_changes != before:
                        await db.close()
                        db = await self._open()
                    if result is _FAILED:
                        continue
                    self.ran += 1
                    self.reached.add(label.split(".")[0])
                    # What the call was given may come back (an id echoed): not a leak.
                    theirs = (set(ints) | set(strs)) - set(atoms(list(plain.values())))
                    leaked = [a for a in atoms(result) if a in theirs]
                    if leaked:
                        self.found.append(f"{label}({plain}): {leaked[:3]}")
        finally:
            await db.close()
        return self

    @staticmethod
    async def _call(
        db: Database, func: Any, first: Any, params: list[inspect.Parameter], plain: dict[str, Any]
    ) -> Any:
        try:
            if len(plain) < len(params):
                # tx_ methods run inside the caller's transaction: give them one.
                async with db.transaction() as conn:
                    named = {p.name: plain.get(p.name, conn) for p in params}
                    return await asyncio.wait_for(func(first, **named), 1)
            return await asyncio.wait_for(func(first, **plain), 1)
        except Exception:  # a write refused (a foreign key), a value of the wrong kind
            return _FAILED


_FAILED = object()


async def test_no_repository_method_returns_another_clubs_rows(tmp_path: Path) -> None:
    async with simulated_clubs(tmp_path / "club.db") as (berlin, hamburg):
        await lively(berlin, ["Ada", "Ben"], "BERLINWORDS")
        await lively(hamburg, ["Hal", "Ida", "Jo"], "HAMBURGWORDS")
        berlin.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await berlin.tick()
        a_file = berlin.services.settings.storage.database
        b_file = hamburg.services.settings.storage.database
    # The bot has stopped: the scan alone uses the files.
    b_ints, b_strs = unique_values(b_file, a_file)
    assert len(b_ints) >= 5 and any("HAMBURGWORDS" in s for s in b_strs)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    scan = await Scan(a_file, tmp_path / "a").run(b_ints, b_strs)
    assert scan.found == []
    # The scan is not vacuous: it reached every repository class and many functions...
    classes = {label.split(".")[0] for label, _, _ in repository_calls() if "." in label}
    assert len(classes) >= 15 and classes - scan.reached == set()
    assert scan.ran >= 150
    # ...and the same scan on Hamburg's own file finds Hamburg's rows.
    own = await Scan(b_file, tmp_path / "b").run(b_ints, b_strs)
    assert len(own.found) >= 10


def rows_by_table(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(map(tuple, conn.execute(f'SELECT * FROM "{name}"'))) for name in names
        }


async def test_todays_database_opens_as_the_first_of_two_clubs_with_every_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "community.db"
    # Made by today's single-club path: no [[clubs]], the file is the club.
    async with simulated_club(path) as single:
        await lively(single, ["Ada", "Ben"], "OLDWORDS")
        members = await member_ids(single.services.db)
    before = rows_by_table(path)
    assert len(members) == 2 and sum(map(len, before.values())) > 30

    entries = [
        {
            "key": "berlin",
            "name": "Berlin",
            "community_chat_id": COMMUNITY_CHAT_ID,
            "brand_chat_id": BRAND_CHAT_ID,
        },
        {
            "key": "hamburg",
            "name": "Hamburg",
            "community_chat_id": COMMUNITY_CHAT_ID - 1,
            "brand_chat_id": BRAND_CHAT_ID - 1,
        },
    ]
    settings = clubs_settings(path, "http://127.0.0.1:9/bot", entries)
    app = await build_application(settings, clock=FakeClock())
    try:
        berlin, hamburg = app.clubs
        assert berlin.services.settings.storage.database == path
        assert await member_ids(berlin.services.db) == members
        assert await member_ids(hamburg.services.db) == []
        assert hamburg.services.settings.storage.database == tmp_path / "community.hamburg.sqlite3"
        # The inbox stays in the first club's file (written last: app.databases).
        assert app.databases[-1] is berlin.services.db
    finally:
        await stop_application(app)
    assert rows_by_table(path) == before
    assert (tmp_path / "community.hamburg.sqlite3").exists()
