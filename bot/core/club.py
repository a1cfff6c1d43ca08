"""One club: its core services and its features; the clubs an Application serves.

A club is one community chat with its brand chat, its own settings and its own SQLite file.
Handlers are added once per Application and shared by every club it serves, so a handler
never holds a club: it asks for the club of the update it is handling (``context.club``,
resolved by ``Clubs.of_chat``). With several clubs, a private update's club is decided before its
handlers run (``bot.context.routing``) and kept in ``routed_club``.

The core cannot name the features (they stand above it), so ``Club`` is generic in its
features; ``bot.context`` fixes the type for handlers (``context.features.gate``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.core.app_hooks import Hooks
from bot.core.commands import CommandSpec
from bot.core.services import Services

F = TypeVar("F")


@dataclass(frozen=True, slots=True)
class Club(Generic[F]):
    """Everything one club runs on, built once at start-up (nothing is created lazily)."""

    services: Services
    features: F

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def key(self) -> str:
        return self.services.settings.community.key


class Clubs(Generic[F]):
    """The clubs one Application serves, and which club an update belongs to."""

    def __init__(self) -> None:
        self._all: list[Club[F]] = []
        # chat id -> club, filled as chats are seen. Asked several times per update, so a
        # dict instead of a walk over every club; an entry is checked against the club's
        # current ids on use, so a group upgraded to a supergroup (a new id) is found anew.
        self._by_chat: dict[int, Club[F]] = {}

    def add(self, club: Club[F]) -> None:
        self._all.append(club)
        self._by_chat.clear()

    def __iter__(self) -> Iterator[Club[F]]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    @property
    def first(self) -> Club[F]:
        """The first configured club: its file also keeps the bot-wide inbox (updates are
        stored before anyone knows their club), and a private update nobody claims is its."""
        return self._all[0]

    @property
    def only(self) -> Club[F]:
        """The one club (for the CLI, the demo and the tests, which run one club)."""
        if len(self._all) != 1:
            raise LookupError(f"{len(self._all)} clubs, not one")
        return self._all[0]

    def of_chat(self, chat_id: int | None) -> Club[F]:
        """The club whose community or brand chat this is; for any other chat (a private
        one) the club the Application routed the update to (``routed_club``).

        With one club every update is that club's (private chats included).
        """
        if len(self._all) == 1:
            return self._all[0]
        if chat_id is not None:
            club = self._by_chat.get(chat_id)
            if club is not None and _has_chat(club, chat_id):
                return club
            for club in self._all:
                if _has_chat(club, chat_id):
                    self._by_chat[chat_id] = club
                    return club
        routed = routed_club.get()
        # A chat of no club (the bot added to a stranger's group) falls to the first club,
        # as it did before there were several; features ignore chats that are not theirs.
        return routed if routed is not None and routed in self._all else self._all[0]


def _has_chat(club: Club[Any], chat_id: int) -> bool:
    chats = club.services.chats
    return chat_id == chats.community_id or chat_id == chats.brand_id


# The club the update being handled was routed to (set around its handlers by the app).
routed_club: ContextVar[Club[Any] | None] = ContextVar("routed_club", default=None)


class ClubApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application knowing its clubs and the commands its features offer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Filled by the wiring before the first update; typed per feature set in bot.context.
        self.clubs: Clubs[Any] = Clubs()
        self.commands: tuple[CommandSpec, ...] = ()
        # Start-up work for the whole bot (its command menu); each club has its own too.
        self.hooks = Hooks()
        # Commands a club offers only at times (/invite while its referrals are on):
        # name -> "does this club offer it now?". /help leaves out what its club does not
        # offer, the menu what no club offers.
        self.offered_now: dict[str, Callable[[Club[Any]], Awaitable[bool]]] = {}
        # Sends the command menu again (bot.basics.help sets it): for a feature whose
        # offer changed.
        self.refresh_menu: Callable[[], Awaitable[None]] = _no_menu


async def _no_menu() -> None:
    """No menu to refresh: the help feature is not wired (a test's partial bot)."""


class CoreContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context core handlers get: the club of the update and its services."""

    @property
    def clubs(self) -> Clubs[Any]:
        app = self.application
        if not isinstance(app, ClubApplication):
            raise TypeError("the bot runs on a ClubApplication (see bot.app)")
        return app.clubs

    @property
    def commands(self) -> tuple[CommandSpec, ...]:
        """Every command the bot's features offer (for /help)."""
        app = self.application
        return app.commands if isinstance(app, ClubApplication) else ()

    @property
    def club(self) -> Club[Any]:
        return self.clubs.of_chat(self._chat_id)

    @property
    def services(self) -> Services:
        return self.club.services
