"""Settings: the TOML file, environment overrides, and one clear message per bad value."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings

VALID = """
[telegram]
token = "123456:SECRET-TOKEN"
community_chat_id = -1001234567890
brand_chat_id = -1009876543210
moderators = [4294979641]

[community]
name = "Bakery VIP Club"
max_members = 250
timezone = "Europe/Berlin"
"""

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("BOT_"):
            monkeypatch.delenv(key)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert settings.telegram.community_chat_id == -1001234567890
    assert settings.telegram.moderators == [4294979641]
    assert settings.telegram.api_base_url == "https://api.telegram.org/bot"
    assert settings.community.tz.key == "Europe/Berlin"
    assert settings.storage.database == Path("data/community.db")
    assert settings.telegram.bot_id == 123456


def test_example_config_is_valid() -> None:
    settings = load_settings(REPO / "config.example.toml")
    assert settings.community.max_members == 250
    assert "taste" in settings.sentiment.aspects


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TELEGRAM__TOKEN", "999:FROM-ENV")
    monkeypatch.setenv("BOT_COMMUNITY__MAX_MEMBERS", "300")
    monkeypatch.setenv("BOT_TELEGRAM__API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(write(tmp_path, VALID))
    assert settings.telegram.token.get_secret_value() == "999:FROM-ENV"
    assert settings.community.max_members == 300
    assert settings.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.community.name == "Bakery VIP Club"  # untouched keys stay from the file


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, VALID)
    monkeypatch.setenv("BOT_CONFIG", str(path))
    assert load_settings().community.name == "Bakery VIP Club"


def test_token_is_never_shown(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert "SECRET-TOKEN" not in repr(settings)
    assert "SECRET-TOKEN" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("replace", "by", "key", "problem"),
    [
        ('token = "123456:SECRET-TOKEN"\n', "", "telegram.token", "required"),
        ('token = "123456:SECRET-TOKEN"', 'token = "nonsense"', "telegram.token", "BotFather"),
        (
            "community_chat_id = -1001234567890",
            'community_chat_id = "abc"',
            "telegram.community_chat_id",
            "integer",
        ),
        ("max_members = 250", "max_members = 0", "community.max_members", "greater than"),
        (
            'timezone = "Europe/Berlin"',
            'timezone = "Mars/Olympus"',
            "community.timezone",
            "unknown time zone",
        ),
        ("[community]", "[community]\ncolour = 3", "community.colour", "not a known setting"),
        (
            "moderators = [4294979641]",
            'moderators = ["@alice"]',
            "telegram.moderators.0",
            "integer",
        ),
    ],
)
def test_each_bad_value_is_named(
    tmp_path: Path, replace: str, by: str, key: str, problem: str
) -> None:
    text = VALID.replace(replace, by)
    assert text != VALID
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    message = str(caught.value)
    assert key in message
    assert problem in message
    assert "SECRET-TOKEN" not in message


def test_bad_toml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[telegram\ntoken = 1"))


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "absent.toml")


def test_thresholds_must_be_ordered(tmp_path: Path) -> None:
    text = VALID + "\n[sentiment]\npositive_threshold = -0.2\nnegative_threshold = 0.2\n"
    with pytest.raises(ConfigError, match="negative_threshold must be below"):
        load_settings(write(tmp_path, text))


def test_cli_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("max_members = 250", "max_members = -5"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "community.max_members" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_check_config_command_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, VALID)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        code = main(["check-config", "--config", str(path)])
    finally:  # main() points logging at this test's captured stderr
        root.handlers[:], root.level = handlers, level
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Configuration is valid" in err
    assert "SECRET-TOKEN" not in err + out


# The same in a fresh interpreter (seconds): the slow set. The default run still starts
# ``python -m bot`` once, in test_cli_bad_config_exits_2_without_traceback.
@pytest.mark.slow
def test_cli_check_config_ok(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Configuration is valid" in result.stderr
    assert "SECRET-TOKEN" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("head", "key"),
    [
        ("clubs = 5\n", "clubs: must be a list"),
        ("clubs = {a = 1}\n", "clubs: must be a list"),
        (
            'telegram = 5\nclubs = [{key = "a", name = "A", community_chat_id = -1001, '
            "brand_chat_id = -1002}]\n",
            "telegram: must be a [telegram] table",
        ),
    ],
)
def test_clubs_or_telegram_of_the_wrong_shape_is_named(
    tmp_path: Path, head: str, key: str
) -> None:
    # Raised inside a "before" validator, a TypeError escaped pydantic as a traceback.
    text = head if head.startswith("telegram") else head + VALID
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert key in str(caught.value)


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ("moderation", "default_mute_minutes"),
        ("moderation", "flood_mute_minutes"),
        ("gate", "lockout_minutes"),
        ("gate", "failure_window_minutes"),
        ("storage", "retention_days"),
    ],
)
def test_a_duration_too_long_to_use_is_refused(tmp_path: Path, section: str, setting: str) -> None:
    # Accepted before (only "at least 1"), then every command using it raised OverflowError.
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, VALID + f"\n[{section}]\n{setting} = 10000000000000\n"))
    assert f"{section}.{setting}" in str(caught.value)
