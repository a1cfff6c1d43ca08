"""The one registration point for per-person erasure (``/forgetme``).

Privacy's generic sweep deletes every row whose subject column names the person, so a new
table with a ``user_id`` column is covered without any code. What the sweep cannot know is
kept here: a feature that holds a person's data in another shape (a copy of their words in a
stored report, a state in memory, a seat that must go back to the club) registers a
participant when it is wired, and privacy calls every participant on every erasure:

* ``erase_person(conn, user_id, now) -> {table: rows scrubbed}`` runs inside the erasure's
  transaction, *before* the sweep, while the person's rows still exist (so it can find what
  belongs to them);
* ``forget_person(user_id)`` runs after the commit: drop in-memory state, notify others;
* optionally ``expire_text(conn, cutoff) -> {table: rows scrubbed}``: retention's twin of
  ``erase_person``, for copies of members' words older than ``cutoff`` that the generic
  retention sweep cannot date (a quote inside a stored digest).

A copy of a member's words or name outside her own rows is erased only this way: privacy
never searches text for her words (they may be a poll option or another member's words too).
So whoever stores such a copy records whose it is at that moment (``digest_quotes``,
``insight_alert_quotes``) and erases it by person.

A feature takes part like this (in its ``build_<feature>``)::

    services.erasure.register("gate", gate)   # gate has both methods

Nothing else is needed; a participant that fails makes the whole erasure fail (and roll
back), so an erasure is never reported done while something was missed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

import aiosqlite
from telegram import ChatMember, Update

from bot.core.i18n import N_
from bot.core.late_window import LateWindows


class ErasureParticipant(Protocol):
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        """Inside the erasure's transaction, before the generic sweep.

        Returns what it scrubbed from shared records, as {table: rows changed}: the member's
        summary says "quotes of your words removed from N stored report(s)" from these."""

    async def forget_person(self, user_id: int) -> None:
        """After the commit: drop per-person state kept in memory."""


# What replaces an erased member's quote in a stored report (a digest, an alert): an
# English message id, written in the club's language, the report's own (repositories take
# the translated text; the English one is their default).
ERASED_QUOTE = N_("“[erased at the member's request]”")


def replace_line(text: str, line: str, replacement: str) -> str:
    """``text`` with every whole line equal to ``line`` replaced.

    Whole lines only: "“Love it” — Member #1" must not match the start of another member's
    "“Love it” — Member #12". ``line`` may itself span lines (a quote kept with its breaks)."""
    if not line:
        return text
    out: list[str] = []
    start = 0
    while (found := text.find(line, start)) != -1:
        end = found + len(line)
        whole = (found == 0 or text[found - 1] == "\n") and (end == len(text) or text[end] == "\n")
        out.append(text[start:found] + (replacement if whole else line))
        start = end
    out.append(text[start:])
    return "".join(out)


@runtime_checkable
class RetentionParticipant(Protocol):
    async def expire_text(self, conn: aiosqlite.Connection, cutoff: int) -> dict[str, int]:
        """Inside retention's transaction: scrub copies of words written before ``cutoff``."""


class ErasureRegistry:
    def __init__(self, late: LateWindows) -> None:
        self._participants: dict[str, ErasureParticipant] = {}
        # Who was erased lately (SQLite, mirrored in memory: a restart within the window is
        # when the inbox replays what arrived about them).
        self.late = late

    def register(self, name: str, participant: ErasureParticipant) -> None:
        if name in self._participants:
            raise ValueError(f"erasure participant {name!r} is registered twice")
        self._participants[name] = participant

    @property
    def names(self) -> list[str]:
        return list(self._participants)

    def participants(self) -> Iterable[ErasureParticipant]:
        return list(self._participants.values())

    def retention_participants(self) -> Iterable[RetentionParticipant]:
        return [p for p in self._participants.values() if isinstance(p, RetentionParticipant)]

    # --- what arrives about someone just erased -------------------------------------------
    def anyone_lately(self, now: Callable[[], int]) -> bool:
        """Was anyone erased lately? (Nearly always no: every update asks.) Also while only
        the member updates of their removal are still to come."""
        return self.late.any_open(now)

    def erased_lately(self, user_id: int, now: Callable[[], int]) -> bool:
        """Erased less than LATE_WINDOW ago, and not back since.

        A dict lookup unless the person was just erased (``now`` is called only then)."""
        return self.late.late(user_id, now)

    def is_late(self, update: Update, user_id: int, now: Callable[[], int]) -> bool:
        """``update`` is about ``user_id``, erased lately, and is not something new they
        did: it must not store them again. Something new (``comes_back``) ends the window.
        Runs for every update."""
        if not self.erased_lately(user_id, now):
            return False
        if comes_back(update, user_id):
            self.late.end_late(user_id)
            return False
        return True


def comes_back(update: Update, user_id: int) -> bool:
    """A message they wrote, a join request, or joining the group: a start, not a tail.

    One person's updates are handled in Telegram's order, so a message of theirs handled after
    their erasure was sent after it. A button press, an edit, a reaction, a vote, a member or
    block update may be the tail of what came before."""
    if update.message is not None or update.chat_join_request is not None:
        return True
    member = update.chat_member
    return (
        member is not None
        and member.new_chat_member.user.id == user_id
        and member.new_chat_member.status in (ChatMember.MEMBER, ChatMember.RESTRICTED)
        and member.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
    )


class MemoryCaches:
    """A participant for plain per-person caches (sets or dicts keyed by user id)."""

    def __init__(self, *caches: set[int] | dict[int, Any]) -> None:
        self._caches = caches

    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        return {}

    async def forget_person(self, user_id: int) -> None:
        for cache in self._caches:
            if isinstance(cache, dict):
                cache.pop(user_id, None)
            else:
                cache.discard(user_id)
