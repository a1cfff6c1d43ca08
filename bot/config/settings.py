"""The whole settings tree: every section, the ``[[clubs]]`` list and each club's view.

The environment wins over the file (``settings_customise_sources``), so a deployment can
keep the token out of the file entirely.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.config.sections import (
    AlertSettings,
    CommunitySettings,
    DigestSettings,
    GateSettings,
    InsightSettings,
    LinkSettings,
    ModerationSettings,
    ReferralSettings,
    RuntimeSettings,
    SentimentSettings,
    StorageSettings,
    TelegramSettings,
)
from bot.core.club_settings import BrandSettings, ClubSettings, default_database, overlaps

T = TypeVar("T")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    telegram: TelegramSettings
    community: CommunitySettings = Field(default_factory=CommunitySettings)
    gate: GateSettings = Field(default_factory=GateSettings)
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    moderation: ModerationSettings = Field(default_factory=ModerationSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    referrals: ReferralSettings = Field(default_factory=ReferralSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    insights: InsightSettings = Field(default_factory=InsightSettings)
    # Several clubs from one bot (README "Several clubs"); none: the file is one club.
    clubs: list[ClubSettings] = Field(default_factory=list)
    brand: BrandSettings = Field(default_factory=BrandSettings)

    @model_validator(mode="before")
    @classmethod
    def _chats_come_from_clubs(cls, data: Any) -> Any:
        # With [[clubs]] each club names its chats; [telegram] keeps the first club's so the
        # bot-wide view (the inbox's owner) stays a complete, typed Settings.
        if not isinstance(data, dict) or not data.get("clubs"):
            return data
        # Checked here, in words: in a "before" validator any other error (a TypeError from
        # `clubs = 5`) would escape pydantic as a traceback instead of a config error.
        clubs, telegram = data["clubs"], data.get("telegram") or {}
        if not isinstance(clubs, list):
            raise ValueError("clubs: must be a list of [[clubs]] tables")
        if not isinstance(telegram, dict):
            raise ValueError("telegram: must be a [telegram] table")
        telegram = dict(telegram)
        first = clubs[0]
        for key in ("community_chat_id", "brand_chat_id"):
            if key in telegram:
                raise ValueError(
                    f"telegram.{key} and [[clubs]] do not mix: give each club its own "
                    f"{key} in its [[clubs]] entry"
                )
            if isinstance(first, dict) and key in first:
                telegram[key] = first[key]
        return {**data, "telegram": telegram}

    @model_validator(mode="after")
    def _clubs_apart(self) -> Settings:
        problems = overlaps(self.clubs, self.storage.database)
        combined = self.brand.combined_digest_chat_id
        if combined is not None and any(
            combined == view.telegram.community_chat_id for view in self.club_views()
        ):
            # The digest quotes members: one club's members must not read the others'.
            problems.append("brand.combined_digest_chat_id: must not be a community chat")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def club_views(self) -> list[Settings]:
        """One Settings per club, as that club's features read them.

        Without [[clubs]]: this file is the one club. With them: each club's values over the
        bot-wide sections (a view shares every other section with this object).
        """
        if not self.clubs:
            return [self]
        return [self._view(index, club) for index, club in enumerate(self.clubs)]

    def _view(self, index: int, club: ClubSettings) -> Settings:
        first = self.storage.database
        database = club.database or (first if index == 0 else default_database(first, club.key))
        telegram = self.telegram.model_copy(
            update={
                "community_chat_id": club.community_chat_id,
                "brand_chat_id": club.brand_chat_id,
                "moderators": _given(club.moderators, self.telegram.moderators),
                "brand_team": _given(club.brand_team, self.telegram.brand_team),
            }
        )
        community = self.community.model_copy(
            update={
                "key": club.key,
                "name": club.name,
                "max_members": _given(club.max_members, self.community.max_members),
                "language": _given(club.language, self.community.language),
                "timezone": _given(club.timezone, self.community.timezone),
                "rules": _given(club.rules, self.community.rules),
                "previews_topic": _given(club.previews_topic, self.community.previews_topic),
            }
        )
        digest = self.digest.model_copy(
            update={"time": _given(club.digest_time, self.digest.time)}
        )
        sentiment = self.sentiment.model_copy(
            update={"aspects": _given(club.aspects, self.sentiment.aspects)}
        )
        storage = self.storage.model_copy(update={"database": database})
        return self.model_copy(
            update={
                "telegram": telegram,
                "community": community,
                "digest": digest,
                "sentiment": sentiment,
                "storage": storage,
            }
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init kwargs; the environment must win over it.
        return (env_settings, init_settings)


def _given(value: T | None, default: T) -> T:
    # A club's entry leaves a value out (None) to take the bot-wide one.
    return default if value is None else value
