"""What each ``[section]`` of the settings file holds, with the checks on its values.

One pydantic model per section; ``Settings`` (``bot/config/settings.py``) puts them
together. The checks the ``[[clubs]]`` entries share live in ``bot/core/club_settings.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from bot.core.club_settings import (
    DEFAULT_CLUB_KEY,
    check_chats,
    check_language,
    check_timezone,
    check_topic_name,
)

# Upper bounds for durations: a setting pydantic accepts must also be one the bot can use
# (timedelta(minutes=10**13) raised in every moderation command). Telegram treats a
# restriction of more than 366 days as forever, so a longer mute means nothing more.
_MUTE_MINUTES_MAX = 366 * 24 * 60
_DAYS_MAX = 3_650


class _Section(BaseModel):
    # A typo in a key is a mistake worth reporting, not a setting to ignore silently.
    model_config = ConfigDict(extra="forbid")


class WebhookSettings(_Section):
    url: str = ""  # public HTTPS URL Telegram posts to, e.g. https://bot.example.com/telegram
    listen: str = "127.0.0.1"
    port: int = Field(default=8443, ge=1, le=65535)
    path: str = "telegram"
    secret_token: SecretStr | None = None

    @field_validator("secret_token")
    @classmethod
    def _secret_token_charset(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - (setWebhook docs).
        if value is None:
            return value
        raw = value.get_secret_value()
        if not 1 <= len(raw) <= 256 or not all(c.isalnum() or c in "_-" for c in raw):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class TelegramSettings(_Section):
    token: SecretStr
    api_base_url: str = "https://api.telegram.org/bot"
    community_chat_id: int
    brand_chat_id: int
    moderators: list[int] = Field(default_factory=list)
    brand_team: list[int] = Field(default_factory=list)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value()
        bot_id, _, secret = raw.partition(":")
        if not (bot_id.isascii() and bot_id.isdecimal()) or not secret:
            # Say what is wrong without echoing the secret back.
            raise ValueError("must look like '123456789:AA...' (the token BotFather gave you)")
        return value

    @field_validator("api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _chats_apart(self) -> TelegramSettings:
        check_chats(self.community_chat_id, self.brand_chat_id)
        return self

    @property
    def bot_id(self) -> int:
        return int(self.token.get_secret_value().partition(":")[0])


class CommunitySettings(_Section):
    # Which club this is (button data, other clubs' file names); [[clubs]] set their own.
    key: str = DEFAULT_CLUB_KEY
    name: str = "Community"
    # Language of everything the group, the moderators and the brand team read; private
    # messages follow each member's Telegram language when the bot has it (bot/core/i18n.py).
    language: str = "en"
    max_members: int = Field(default=250, ge=1, le=200_000)
    timezone: str = "UTC"
    rules: str = (
        "1. Be kind.\n2. Keep previews to yourself: they are for members only.\n"
        "3. No spam or advertising."
    )
    # In a forum group (topics enabled): the topic previews and polls are posted in, by
    # name. The bot finds it, or creates it when it has the Manage Topics right; else it
    # posts in General. Unset: General. Ignored in a group without topics.
    previews_topic: str | None = Field(default=None, min_length=1, max_length=128)

    @field_validator("previews_topic")
    @classmethod
    def _topic_name(cls, value: str | None) -> str | None:
        return check_topic_name(value)

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        return check_language(value)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


MIN_SECRET_LENGTH = 16


class GateSettings(_Section):
    code_secret: SecretStr | None = None  # key for hashing invite codes; set it in production
    reservation_minutes: int = Field(default=30, ge=1, le=24 * 60)
    join_request_minutes: int = Field(default=5, ge=1, le=5)
    max_failures: int = Field(default=5, ge=1, le=100)
    failure_window_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    lockout_minutes: int = Field(default=60, ge=1, le=30 * 24 * 60)
    free_seat_on_leave: bool = True
    strict: bool = True
    # Launch waves and raids (docs/gate.md): unanswered asks allowed at once (each valid
    # answer widens it by one), when an ask counts as unanswered, and what a raid is.
    ask_window: int = Field(default=15, ge=1, le=1_000)
    silent_after_seconds: int = Field(default=30, ge=5, le=300)
    raid_valid_share: float = Field(default=0.3, ge=0.0, le=1.0)
    raid_min_outcomes: int = Field(default=10, ge=1, le=1_000)
    raid_probe_dms: int = Field(default=5, ge=0, le=100)
    raid_probe_seconds: int = Field(default=60, ge=1, le=3_600)
    raid_resume_valid: int = Field(default=3, ge=1, le=100)
    referrals_per_member: int = Field(default=0, ge=0, le=1000)  # /invite allowance; 0 = off

    @field_validator("code_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # The key of the HMAC over invite codes: a weak one lets a copy of the database test
        # guesses offline. Leave it out entirely to have a random key generated and stored.
        if value is None:
            return value
        raw = value.get_secret_value()
        if len(raw) < MIN_SECRET_LENGTH or len(set(raw)) < 6:
            raise ValueError(
                f"must be at least {MIN_SECRET_LENGTH} characters with some variety (e.g. "
                "the output of `python -c 'import secrets; print(secrets.token_hex(16))'`), "
                "or left out to have a random key generated and stored in the database"
            )
        return value


class SentimentSettings(_Section):
    positive_threshold: float = Field(default=0.1, ge=-1, le=1)
    negative_threshold: float = Field(default=-0.1, ge=-1, le=1)
    lexicon: dict[str, float] = Field(default_factory=dict)
    aspects: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered_thresholds(self) -> SentimentSettings:
        if self.negative_threshold >= self.positive_threshold:
            raise ValueError("negative_threshold must be below positive_threshold")
        bad = [word for word, value in self.lexicon.items() if not -1 <= value <= 1]
        if bad:
            raise ValueError(f"lexicon polarities must be within -1..1 (check {bad[0]!r})")
        return self


class DigestSettings(_Section):
    time: dt.time = dt.time(9, 0)
    show_names: bool = False
    chart: bool = True
    quotes: int = Field(default=3, ge=0, le=10)


class ModerationSettings(_Section):
    warn_limit: int = Field(default=3, ge=1, le=20)
    warn_action: Literal["mute", "ban"] = "mute"
    default_mute_minutes: int = Field(default=60, ge=1, le=_MUTE_MINUTES_MAX)
    flood_messages: int = Field(default=8, ge=2)
    flood_seconds: int = Field(default=10, ge=1, le=3_600)
    flood_mute_minutes: int = Field(default=10, ge=1, le=_MUTE_MINUTES_MAX)


class ReferralSettings(_Section):
    """Members inviting friends (/invite); the allowance is gate.referrals_per_member."""

    invite_days: int = Field(default=14, ge=1, le=365)  # how long a personal invite works
    # Only members who joined through this campaign's codes may invite ("" = any campaign).
    only_campaign: str = ""
    # Only members who joined before this date may invite (None = no limit).
    joined_before: dt.date | None = None
    # A referrer whose invites bring this many joins within flag_hours is reported once.
    flag_joins: int = Field(default=3, ge=2, le=1000)
    flag_hours: int = Field(default=24, ge=1, le=24 * 30)
    digest_day: Literal[
        "daily", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"


class LinkSettings(_Section):
    """Campaign tags on the brand's web links the bot posts, and the optional click counter."""

    tag: bool = True
    # Hosts whose links are the brand's (subdomains included); empty: every web link the bot
    # posts for the brand except Telegram's own (t.me and friends).
    domains: list[str] = Field(default_factory=list)
    source: str = "telegram"
    medium: str = "community"
    campaign: str = "club"
    source_param: str = "utm_source"
    medium_param: str = "utm_medium"
    campaign_param: str = "utm_campaign"
    content_param: str = "utm_content"
    # e.g. "https://bot.example.com/r": links then go through the bot's redirect endpoint,
    # which counts clicks per link and day (never who clicked). Empty: off.
    redirect_base_url: str = ""
    redirect_listen: str = "127.0.0.1"
    redirect_port: int = Field(default=8081, ge=0, le=65535)

    @field_validator("redirect_base_url")
    @classmethod
    def _redirect_base(cls, value: str) -> str:
        # Every counted link starts with this: a typo would send members to dead links.
        if value and (
            not value.startswith(("http://", "https://")) or "?" in value or "#" in value
        ):
            raise ValueError("must be empty or an address like 'https://bot.example.com/r'")
        return value

    @field_validator("domains")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for host in value:
            if not host.strip(".") or "/" in host or ":" in host or " " in host:
                raise ValueError(f"{host!r}: write hosts like 'shop.example', not addresses")
        return value


class StorageSettings(_Section):
    database: Path = Path("data/community.db")
    retention_days: int = Field(default=180, ge=1, le=_DAYS_MAX)


class RuntimeSettings(_Section):
    scheduler_seconds: float = Field(default=5.0, gt=0, le=86_400)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    polling_timeout: int = Field(default=30, ge=0, le=50)
    # Updates handled at once (different people at the same time, one person's in order);
    # 1 handles them strictly one after another (bot/core/concurrency.py).
    concurrent_updates: int = Field(default=64, ge=1, le=1_024)
    # Worker processes that score stored messages in batches (bot/sentiment/batch.py); 0
    # scores them on the event loop. One is all a batch can use (it is one call).
    scoring_processes: int = Field(default=1, ge=0, le=1)


class AlertSettings(_Section):
    """Spike alerts to the brand chat (bot/insights/alerts.py; docs/insights.md)."""

    enabled: bool = True
    check_minutes: int = Field(default=5, ge=1, le=60)
    window_minutes: int = Field(default=60, ge=15, le=360)
    baseline_weeks: int = Field(default=8, ge=1, le=26)
    # No alert before the club has this many days of history: no honest baseline yet.
    min_history_days: int = Field(default=7, ge=1, le=90)
    min_negative: int = Field(default=5, ge=1, le=100_000)
    min_members: int = Field(default=3, ge=1, le=100_000)
    # Tail probability under the baseline below which a count (and a share) is a spike.
    max_p: float = Field(default=3e-4, gt=0, lt=0.5)
    cooling_hours: float = Field(default=6, ge=0, le=168)
    mute_hours: float = Field(default=24, gt=0, le=24 * 30)
    quotes: int = Field(default=3, ge=0, le=10)


class InsightSettings(_Section):
    """Verdict cards, cohorts and segments (bot/insights/; docs/insights.md)."""

    verdict_after_hours: float = Field(default=24, gt=0, le=24 * 30)
    verdict_min_ratings: int = Field(default=5, ge=2)
    verdict_compare_last: int = Field(default=5, ge=1, le=50)
    advocate_min_actions: int = Field(default=5, ge=1, le=100_000)
    advocate_min_sentiment: float = Field(default=0.15, ge=-1, le=1)
    activity_days: int = Field(default=30, ge=1, le=_DAYS_MAX)
    at_risk_silent_days: int = Field(default=14, ge=1, le=_DAYS_MAX)
    newcomer_days: int = Field(default=14, ge=1, le=_DAYS_MAX)
    # The cohort section (with its retention chart) goes out with the digest of this weekday.
    cohort_weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
