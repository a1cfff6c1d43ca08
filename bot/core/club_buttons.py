"""A button in a private chat that acts on one club's data names its club.

A private chat belongs to no club, and each club numbers its rows in its own file: consent
attempt 5, a /forgetme question, preview 12 exist in every club. So such a button's callback
data ends with ``@<club key>`` (``v1:gate:accept:5@berlin``): with several clubs the router
(``bot.context.routing``) sends the press to that club, after checking the presser has
something to do with it; the club's handler then checks every id against its own file, as it
always did. The handler reads the data without the club (``for_club``), and takes a
button naming another club for stale: the router sends a press whose key is no club's now
(a club removed from the configuration) to the person's last club, and with one club every
press goes to that one.

Buttons made before the key existed (``v1:gate:accept:5``) still work: with one club every
press is that club's, with several they go where the router sends an unkeyed press.
"""

from __future__ import annotations

# A club key is 1-16 of a-z 0-9 - _ (bot.core.club_settings.CLUB_KEY), so never "@".
SEPARATOR = "@"


def keyed(data: str, club_key: str) -> str:
    """``data`` for a button of club ``club_key``.

    The longest (``v1:gate:accept:`` with a 19-digit id, "@", a 16-character key) is 51
    bytes: within the 64 Telegram allows (InlineKeyboardButton.callback_data)."""
    return f"{data}{SEPARATOR}{club_key}"


def club_of(data: str) -> str | None:
    """The club key a button's data names, or None (a button made before keys)."""
    _, separator, key = data.rpartition(SEPARATOR)
    return key if separator and key else None


def unkeyed(data: str) -> str:
    """The data without its club key: what the feature's own button said."""
    head, separator, _ = data.rpartition(SEPARATOR)
    return head if separator else data


def for_club(data: str, club_key: str) -> str | None:
    """The data without its club key, if the button is club ``club_key``'s (or made before
    keys); None for another club's button, which must not act on this club's rows of the
    same number."""
    key = club_of(data)
    if key is not None and key != club_key:
        return None
    return unkeyed(data)
