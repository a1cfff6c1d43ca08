"""The ``[[clubs]]`` entries of a bot serving several clubs, and the checks they share with
``[community]``.

Apart from ``bot.config`` so its section models stay one screenful each; ``bot.config``
imports this module, never the other way round.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.core.i18n import SUPPORTED_LANGUAGES

# The key is written into button data (Telegram allows 64 bytes of callback data) and into
# the default file name of the club's database, so it stays short and plain.
CLUB_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,15}$")
# The key of the one club a file without ``[[clubs]]`` describes.
DEFAULT_CLUB_KEY = "main"


def check_language(value: str) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)} (got {value!r})")
    return value


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
        ) from exc
    return value


def check_topic_name(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("a topic name needs a letter (or leave previews_topic out)")
    return value.strip() if value is not None else None


def check_chats(community_chat_id: int, brand_chat_id: int) -> None:
    # Community chats are groups, and group ids are negative; a positive id is a person.
    if community_chat_id >= 0:
        raise ValueError(
            "community_chat_id must be the group's id, which is negative "
            "(e.g. -1001234567890); a positive id is a person's private chat"
        )
    if brand_chat_id == community_chat_id:
        # The digest quotes members: it must never be posted to the members.
        raise ValueError(
            "brand_chat_id must not be the community chat: the daily digest quotes "
            "members and goes to the brand chat"
        )


class ClubSettings(BaseModel):
    """One ``[[clubs]]`` entry. Left-out values come from the bot-wide sections
    (``[community]``, ``[digest]``, ``[telegram]`` moderators and brand team, ``[sentiment]``
    aspects), so a brand writes what all its clubs share once."""

    model_config = ConfigDict(extra="forbid")

    key: str
    name: str = Field(min_length=1, max_length=128)
    community_chat_id: int
    brand_chat_id: int
    max_members: int | None = Field(default=None, ge=1, le=200_000)
    language: str | None = None
    timezone: str | None = None
    digest_time: dt.time | None = None
    moderators: list[int] | None = None
    brand_team: list[int] | None = None
    rules: str | None = None
    aspects: dict[str, list[str]] | None = None
    previews_topic: str | None = Field(default=None, min_length=1, max_length=128)
    # The club's SQLite file. Left out: the first club's is [storage] database, another's
    # is "<stem>.<key>.sqlite3" beside it.
    database: Path | None = None

    @field_validator("key")
    @classmethod
    def _plain_key(cls, value: str) -> str:
        if not CLUB_KEY.match(value):
            raise ValueError(
                "must be 1-16 of a-z, 0-9, '-' and '_', starting with a letter or digit "
                "(e.g. 'berlin'): it goes into button data and file names"
            )
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return None if value is None else check_language(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)

    @field_validator("previews_topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        return check_topic_name(value)

    @model_validator(mode="after")
    def _chats_apart(self) -> ClubSettings:
        check_chats(self.community_chat_id, self.brand_chat_id)
        return self


class BrandSettings(BaseModel):
    """What the clubs of one brand share when one bot serves several (``[brand]``)."""

    model_config = ConfigDict(extra="forbid")

    # A ban in one club is applied in every other club of this bot (off: each club bans
    # on its own; a brand running unrelated clubs must not carry a ban across).
    shared_bans: bool = False
    # A chat that gets one digest with every club side by side, besides each club's own.
    combined_digest_chat_id: int | None = None


def default_database(first: Path, key: str) -> Path:
    """``data/community.db`` -> ``data/community.<key>.sqlite3``: beside the first club's."""
    return first.with_name(f"{first.stem}.{key}.sqlite3")


def overlaps(clubs: list[ClubSettings], first_database: Path) -> list[str]:
    """What makes a list of clubs ambiguous: each problem as a sentence (empty: none)."""
    problems: list[str] = []
    keys: dict[str, int] = {}
    chats: dict[int, str] = {}
    files: dict[Path, str] = {}
    for index, club in enumerate(clubs):
        where = f"clubs.{index}"
        if club.key in keys:
            problems.append(f"{where}.key: {club.key!r} is also clubs.{keys[club.key]}'s key")
        keys.setdefault(club.key, index)
        for role, chat in (("community", club.community_chat_id), ("brand", club.brand_chat_id)):
            other = chats.get(chat)
            if other is not None:
                # An update from a shared chat could not be told apart; a community chat
                # that is another club's brand chat would show members the other's digest.
                problems.append(f"{where}.{role}_chat_id: {chat} is already {other}")
            else:
                chats[chat] = f"the {role} chat of club {club.key!r}"
        path = club.database or (
            first_database if index == 0 else default_database(first_database, club.key)
        )
        if path in files:
            problems.append(f"{where}.database: {path} is also club {files[path]!r}'s file")
        files.setdefault(path, club.key)
    return problems
