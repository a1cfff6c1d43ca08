"""Typed settings: a TOML file plus ``BOT_`` environment overrides.

Environment variables win over the file, nested keys join with ``__``
(``BOT_TELEGRAM__TOKEN`` overrides ``[telegram] token``), so a deployment can keep the
token out of the file entirely.

The package's public face; everything is imported from here (``from bot.config import
Settings, load_settings``). Inside, one module per job:

* ``sections.py``: one model per ``[section]`` and the checks on its values;
* ``settings.py``: ``Settings``, the whole tree: the ``[[clubs]]`` list, the checks across
  clubs, each club's view, and the environment's precedence over the file;
* ``loading.py``: which file, reading its TOML, and errors worded for the person running
  the bot.

The ``[[clubs]]`` and ``[brand]`` entries themselves live in ``bot/core/club_settings.py``.
"""

from bot.config.loading import (
    CONFIG_PATH_ENV,
    DEFAULT_CONFIG_PATH,
    ConfigError,
    describe_validation_error,
    load_settings,
    resolve_config_path,
)
from bot.config.sections import (
    MIN_SECRET_LENGTH,
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
    WebhookSettings,
)
from bot.config.settings import Settings
from bot.core.club_settings import BrandSettings, ClubSettings

__all__ = [
    "CONFIG_PATH_ENV",
    "DEFAULT_CONFIG_PATH",
    "MIN_SECRET_LENGTH",
    "AlertSettings",
    "BrandSettings",
    "ClubSettings",
    "CommunitySettings",
    "ConfigError",
    "DigestSettings",
    "GateSettings",
    "InsightSettings",
    "LinkSettings",
    "ModerationSettings",
    "ReferralSettings",
    "RuntimeSettings",
    "SentimentSettings",
    "Settings",
    "StorageSettings",
    "TelegramSettings",
    "WebhookSettings",
    "describe_validation_error",
    "load_settings",
    "resolve_config_path",
]
