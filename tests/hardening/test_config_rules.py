"""Settings the hostile review found accepted: chat ids that quote members to members, and a
code secret too weak to protect the stored code hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, community: int, brand: int, secret: str | None) -> Path:
    gate = f'[gate]\ncode_secret = "{secret}"\n' if secret is not None else ""
    path = tmp_path / "config.toml"
    path.write_text(
        f'[telegram]\ntoken = "123456:SECRET-TOKEN"\ncommunity_chat_id = {community}\n'
        f"brand_chat_id = {brand}\n{gate}",
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("BOT_"):
            monkeypatch.delenv(key)


def test_brand_chat_must_not_be_the_community(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"brand_chat_id.*must not be the community"):
        load_settings(write(tmp_path, -1001, -1001, None))


def test_community_id_must_be_a_group(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"community_chat_id.*negative"):
        load_settings(write(tmp_path, 1001, -1002, None))


@pytest.mark.parametrize("secret", ["", "x", "short-secret", "aaaaaaaaaaaaaaaaaaaa"])
def test_weak_code_secret_refused(tmp_path: Path, secret: str) -> None:
    with pytest.raises(ConfigError, match="code_secret"):
        load_settings(write(tmp_path, -1001, -1002, secret))


def test_strong_or_absent_code_secret_accepted(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, -1001, -1002, "k8Jq-2mZx-77Lp-R4tw")).gate.code_secret
    # Absent: a random key is generated and stored, with a warning (test_gate_codes).
    assert load_settings(write(tmp_path, -1001, -1002, None)).gate.code_secret is None
