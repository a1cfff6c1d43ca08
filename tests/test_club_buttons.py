"""Private buttons that act on one club's data name their club, within Telegram's 64 bytes."""

from __future__ import annotations

from bot.core import club_buttons
from bot.gate.handlers import attempt_callback
from bot.previews.keyboards import cancel_data
from bot.privacy.handlers import CANCEL, CONFIRM

LONGEST_KEY = "k" * 16  # bot.core.club_settings.CLUB_KEY allows 1-16 characters
LARGEST_ID = 2**63 - 1  # SQLite's largest rowid


def test_every_keyed_button_fits_telegrams_64_bytes() -> None:
    for data in (
        attempt_callback(LARGEST_ID, LONGEST_KEY),
        cancel_data(LARGEST_ID, LONGEST_KEY),
        club_buttons.keyed(CONFIRM, LONGEST_KEY),
        club_buttons.keyed(CANCEL, LONGEST_KEY),
    ):
        assert len(data.encode()) <= 64, data


def test_the_club_and_the_features_own_data_come_back_apart() -> None:
    data = attempt_callback(5, "berlin")
    assert data == "v1:gate:accept:5@berlin"
    assert club_buttons.club_of(data) == "berlin"
    assert club_buttons.unkeyed(data) == "v1:gate:accept:5"


def test_a_button_made_before_keys_names_no_club() -> None:
    assert club_buttons.club_of("v1:forget:yes") is None
    assert club_buttons.unkeyed("v1:forget:yes") == "v1:forget:yes"
    assert club_buttons.club_of("v1:forget:yes@") is None


def test_a_button_of_another_club_is_no_data_for_this_one() -> None:
    assert club_buttons.for_club("v1:gate:accept:5@berlin", "berlin") == "v1:gate:accept:5"
    # Made before keys: still this club's (the router chose it).
    assert club_buttons.for_club("v1:gate:accept:5", "berlin") == "v1:gate:accept:5"
    # Another club's, or a club no longer served: never this club's attempt 5.
    assert club_buttons.for_club("v1:gate:accept:5@munich", "berlin") is None
