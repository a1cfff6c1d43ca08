""" "Which club?": the question a member of several clubs gets in private, as buttons.

The buttons' data carries the club's key (``v1:club:<key>``, or ``v1:club:*`` for every
club, offered by /forgetme only); the router checks the presser belongs to the club named
before anything runs (``bot.context.routing``): nothing from button data is trusted.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.i18n import Html, Translator, html_join

PREFIX = "v1:club:"
ALL = "*"
# The confirmation of "leave every club" (the per-club /forgetme asks its own).
ALL_YES = f"{PREFIX}{ALL}:yes"
ALL_NO = f"{PREFIX}{ALL}:no"


def choice_data(key: str) -> str:
    # A key is at most 16 plain characters (bot.core.club_settings): far within 64 bytes.
    return f"{PREFIX}{key}"


def question(tr: Translator) -> Html:
    return tr._("You belong to several clubs. Which club is this for?")


def keyboard(
    clubs: Sequence[tuple[str, str]], tr: Translator, *, offer_all: bool
) -> InlineKeyboardMarkup:
    """One button per (key, name), one per row; and "All clubs" when ``offer_all``."""
    rows = [[InlineKeyboardButton(name, callback_data=choice_data(key))] for key, name in clubs]
    if offer_all:
        rows.append([InlineKeyboardButton(tr._("All clubs"), callback_data=choice_data(ALL))])
    return InlineKeyboardMarkup(rows)


def confirm_all(tr: Translator, names: Sequence[str]) -> tuple[Html, InlineKeyboardMarkup]:
    text = tr._(
        "Leave every club ({clubs}) and erase everything stored about you in each?",
        clubs=", ".join(names),
    )
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(tr._("Yes, leave all"), callback_data=ALL_YES),
                InlineKeyboardButton(tr._("No"), callback_data=ALL_NO),
            ]
        ]
    )
    return text, buttons


def left_all(tr: Translator, names: Sequence[str], still_in: Sequence[str]) -> Html:
    done = tr._("Done. Everything stored about you in {clubs} is erased.", clubs=", ".join(names))
    if not still_in:
        return done
    # Erased all the same; the group removal failed (an admin, or Telegram refused).
    note = tr._(
        "I could not remove you from the group of {clubs}: please leave it yourself.",
        clubs=", ".join(still_in),
    )
    return html_join("\n\n", (done, note))


def nothing_erased(tr: Translator) -> Html:
    return tr._("Nothing was erased.")


def gone(tr: Translator) -> Html:
    # The question outlived a restart (pending commands are kept in memory only).
    return tr._("That question has expired: please send the command again.")


def already_answered(tr: Translator) -> Html:
    # limit: 200 (answerCallbackQuery)
    return tr._("You have already answered this question.")


def stale_button(tr: Translator) -> Html:
    # A button naming a club that has nothing to do with the presser (any more).
    # limit: 200 (answerCallbackQuery)
    return tr._("This button no longer works.")


def not_yours(tr: Translator) -> Html:
    return tr._("You are not a member of that club.")
