"""Several clubs in one configuration: views per club, today's file as one club, and one
clear error per overlap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TWO_CLUBS = """
[telegram]
token = "123456:SECRET-TOKEN"
moderators = [111]

[community]
timezone = "Europe/Berlin"
rules = "Be kind."

[storage]
database = "data/community.db"

[brand]
combined_digest_chat_id = -1005555555555

[[clubs]]
key = "berlin"
name = "Berlin bakery club"
community_chat_id = -1001111111111
brand_chat_id = -1002222222222
moderators = [222]

[[clubs]]
key = "hamburg"
name = "Hamburg bakery club"
community_chat_id = -1003333333333
brand_chat_id = -1004444444444
language = "de"
max_members = 80
digest_time = "08:30"
aspects = { crust = ["crust", "kruste"] }
"""


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


def with_clubs(*clubs: str) -> str:
    head = '[telegram]\ntoken = "123456:SECRET-TOKEN"\n'
    return head + "".join(f"\n[[clubs]]\n{club}\n" for club in clubs)


def club(key: str, community: int, brand: int, extra: str = "") -> str:
    return (
        f'key = "{key}"\nname = "{key}"\ncommunity_chat_id = {community}\n'
        f"brand_chat_id = {brand}\n{extra}"
    )


def test_each_club_reads_its_own_values_over_the_shared_sections(tmp_path: Path) -> None:
    berlin, hamburg = load_settings(write(tmp_path, TWO_CLUBS)).club_views()
    assert (berlin.community.key, hamburg.community.key) == ("berlin", "hamburg")
    assert berlin.telegram.community_chat_id == -1001111111111
    assert hamburg.telegram.brand_chat_id == -1004444444444
    # Moderators are the club's own when given, the bot-wide list otherwise.
    assert berlin.telegram.moderators == [222]
    assert hamburg.telegram.moderators == [111]
    assert (berlin.community.language, hamburg.community.language) == ("en", "de")
    assert (berlin.community.max_members, hamburg.community.max_members) == (250, 80)
    assert hamburg.digest.time == dt.time(8, 30)
    assert berlin.digest.time == dt.time(9, 0)
    assert hamburg.sentiment.aspects == {"crust": ["crust", "kruste"]}
    assert berlin.community.rules == hamburg.community.rules == "Be kind."
    assert berlin.community.timezone == "Europe/Berlin"
    # The first club keeps today's file; the others sit beside it.
    assert berlin.storage.database == Path("data/community.db")
    assert hamburg.storage.database == Path("data/community.hamburg.sqlite3")
    assert berlin.brand.combined_digest_chat_id == -1005555555555


def test_a_club_may_name_its_own_database(tmp_path: Path) -> None:
    text = with_clubs(
        club("a", -1001, -1002), club("b", -1003, -1004, 'database = "/srv/b.sqlite3"')
    )
    assert load_settings(write(tmp_path, text)).club_views()[1].storage.database == Path(
        "/srv/b.sqlite3"
    )


def test_todays_single_club_file_is_one_club_called_main(tmp_path: Path) -> None:
    text = """
[telegram]
token = "123456:SECRET-TOKEN"
community_chat_id = -1001234567890
brand_chat_id = -1009876543210
moderators = [7]
[community]
name = "Bakery VIP Club"
"""
    settings = load_settings(write(tmp_path, text))
    (only,) = settings.club_views()
    assert only is settings
    assert only.community.key == "main"
    assert only.telegram.moderators == [7]
    assert only.storage.database == Path("data/community.db")
    assert settings.brand.shared_bans is False


def fails(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    return str(caught.value)


def test_two_clubs_sharing_a_community_chat_is_an_error(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("a", -1001, -1002), club("b", -1001, -1004)))
    assert "clubs.1.community_chat_id: -1001 is already the community chat of club 'a'" in message


def test_two_clubs_sharing_a_brand_chat_is_an_error(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("a", -1001, -1002), club("b", -1003, -1002)))
    assert "clubs.1.brand_chat_id: -1002 is already the brand chat of club 'a'" in message


def test_a_community_chat_that_is_another_clubs_brand_chat_is_an_error(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("a", -1001, -1002), club("b", -1002, -1004)))
    assert "clubs.1.community_chat_id: -1002 is already the brand chat of club 'a'" in message


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("a", -1001, -1002), club("a", -1003, -1004)))
    assert "clubs.1.key: 'a' is also clubs.0's key" in message


def test_two_clubs_in_one_file_is_an_error(tmp_path: Path) -> None:
    text = with_clubs(
        club("a", -1001, -1002, 'database = "x.db"'), club("b", -1003, -1004, 'database = "x.db"')
    )
    assert "clubs.1.database: x.db is also club 'a''s file" in fails(tmp_path, text)


def test_a_key_unfit_for_buttons_and_file_names_is_an_error(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("Berlin Mitte", -1001, -1002)))
    assert "clubs.0.key: must be 1-16 of a-z" in message


def test_a_club_checks_its_own_chats_and_language(tmp_path: Path) -> None:
    message = fails(tmp_path, with_clubs(club("a", -1001, -1001, 'language = "fr"')))
    assert "clubs.0.language: must be one of" in message
    message = fails(tmp_path, with_clubs(club("a", 1001, -1002)))
    assert "clubs.0: community_chat_id must be the group's id" in message


def test_chat_ids_in_telegram_do_not_mix_with_clubs(tmp_path: Path) -> None:
    text = with_clubs(club("a", -1001, -1002)).replace(
        '"123456:SECRET-TOKEN"\n', '"123456:SECRET-TOKEN"\ncommunity_chat_id = -1009\n'
    )
    assert "telegram.community_chat_id and [[clubs]] do not mix" in fails(tmp_path, text)


def test_the_combined_digest_never_goes_to_a_community_chat(tmp_path: Path) -> None:
    text = with_clubs(club("a", -1001, -1002), club("b", -1003, -1004))
    text += "\n[brand]\ncombined_digest_chat_id = -1003\n"
    assert "brand.combined_digest_chat_id: must not be a community chat" in fails(tmp_path, text)


def test_commands_act_on_the_club_named_or_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    path = write(tmp_path, TWO_CLUBS.replace('"data/community.db"', f'"{tmp_path}/c.db"'))
    assert main(["check-config", "--config", str(path), "--club", "hamburg"]) == 0
    out = capsys.readouterr()
    assert "Hamburg bakery club" in out.out + out.err
    assert main(["check-config", "--config", str(path)]) == 0
    out = capsys.readouterr()
    assert "Berlin bakery club" in out.out + out.err
    assert main(["check-config", "--config", str(path), "--club", "munich"]) == 2
    assert "no club 'munich' (clubs: berlin, hamburg)" in capsys.readouterr().err
