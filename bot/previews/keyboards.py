"""The previews' buttons and their callback data (``v1:pv:...``, within Telegram's 64 bytes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import club_buttons
from bot.core.i18n import Translator
from bot.previews import texts
from bot.previews.records import Feedback

CALLBACK_PREFIX = "v1:pv:"


def rate_data(preview_id: int, stars: int) -> str:
    return f"{CALLBACK_PREFIX}rate:{preview_id}:{stars}"


def cancel_data(preview_id: int, club_key: str) -> str:
    # In the private chat of a brand-team member: preview ids are per club, so it names its
    # club (bot.core.club_buttons). Rating buttons sit in a club's own group: no key needed.
    return club_buttons.keyed(f"{CALLBACK_PREFIX}cancel:{preview_id}", club_key)


def info_data(preview_id: int) -> str:
    return f"{CALLBACK_PREFIX}info:{preview_id}"


def rating_keyboard(preview_id: int, feedback: Feedback, tr: Translator) -> InlineKeyboardMarkup:
    """1★-5★ with the count of each, and a line with the average under them."""
    stars = [
        InlineKeyboardButton(texts.star_button(n, count), callback_data=rate_data(preview_id, n))
        for n, count in enumerate(feedback.distribution, start=1)
    ]
    summary = InlineKeyboardButton(
        texts.tally_button(feedback, tr), callback_data=info_data(preview_id)
    )
    return InlineKeyboardMarkup([stars, [summary]])


def cancel_keyboard(preview_id: int, club_key: str, tr: Translator) -> InlineKeyboardMarkup:
    label = tr._(texts.CANCEL_BUTTON)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=cancel_data(preview_id, club_key))]]
    )
