"""Reading the settings: which file, its TOML, the environment, and errors worded for people."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config.settings import Settings

DEFAULT_CONFIG_PATH = Path("config.toml")
CONFIG_PATH_ENV = "BOT_CONFIG"


class ConfigError(Exception):
    """A configuration problem, worded for the person running the bot."""


def resolve_config_path(path: str | Path | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(os.environ.get(CONFIG_PATH_ENV) or DEFAULT_CONFIG_PATH)


def load_settings(path: str | Path | None = None, *, require_file: bool = True) -> Settings:
    """Read settings from the TOML file and the environment, or raise ConfigError."""
    config_path = resolve_config_path(path)
    data: dict[str, Any] = {}
    if config_path.exists():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path}: cannot read the file: {exc}") from exc
    elif require_file and not _environment_has_settings():
        raise ConfigError(
            f"{config_path}: no such file. Copy config.example.toml to {config_path} and "
            f"fill it in, or pass --config PATH (or set {CONFIG_PATH_ENV})."
        )
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, config_path)) from None


def _environment_has_settings() -> bool:
    return any(key.upper().startswith("BOT_TELEGRAM__") for key in os.environ)


def describe_validation_error(exc: ValidationError, source: Path) -> str:
    lines = [f"{source}: invalid configuration:"]
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required but missing"
        elif error["type"] == "extra_forbidden":
            message = "is not a known setting (check the spelling)"
        if not error["loc"]:
            # The checks across clubs report each problem with its own key, "; "-joined.
            lines.extend(f"  {problem}" for problem in message.split("; "))
            continue
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)
