"""Clubs.of_chat: the club of a group update, found by chat id and never stale."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.core.club import Club, Clubs


def _club(community: int, brand: int) -> Club[Any]:
    chats = SimpleNamespace(community_id=community, brand_id=brand)
    return Club(services=SimpleNamespace(chats=chats), features=None)  # type: ignore[arg-type]


def test_each_chat_finds_its_club_and_an_upgraded_group_is_found_anew() -> None:
    clubs: Clubs[Any] = Clubs()
    berlin, hamburg = _club(-101, -102), _club(-201, -202)
    clubs.add(berlin)
    clubs.add(hamburg)
    assert clubs.of_chat(-201) is hamburg
    assert clubs.of_chat(-102) is berlin
    assert clubs.of_chat(-201) is hamburg  # asked again: the remembered answer
    # Hamburg's group becomes a supergroup with a new id: the new id is Hamburg's, and the
    # old one (remembered above) is nobody's any more, so it falls to the first club.
    hamburg.services.chats.community_id = -301
    assert clubs.of_chat(-301) is hamburg
    assert clubs.of_chat(-201) is berlin
    # A chat of no club falls to the first club.
    assert clubs.of_chat(-999) is berlin
