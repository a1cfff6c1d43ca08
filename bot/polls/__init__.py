"""Polls: native Telegram polls in the community group, closed on time, in the digest.

Moderators run ``/poll Question? | A | B [--multi] [--public] [--closes 24h]`` from a
private chat with the bot or in the group.

Public face for other features (previews post a poll with their preview):
  * ``PollService`` - one club's polls: ``create(spec, ...)`` posts one, ``close(id)``;
  * ``build_polls(services, links)`` - the club's PollService with its jobs and hooks;
  * ``parse_question_and_options``, ``telegram_length``, ``PollSpec``, ``PollParseError`` -
    read a poll written by a person, within Telegram's limits;
  * ``poll_results(db, poll_id)`` and ``result_lines(record)`` - a poll's results;
  * ``owns_poll(db, telegram_poll_id)`` - is this Telegram poll this club's?
  * ``polls_section`` - the digest's section.
Handlers: ``bot.polls.handlers``.
"""

from __future__ import annotations

from bot.core.services import Services
from bot.db import Database
from bot.links import LinkService
from bot.polls.digest import polls_section
from bot.polls.parse import PollParseError, PollSpec, parse_question_and_options, telegram_length
from bot.polls.records import PollRecord
from bot.polls.repo import PollRepository
from bot.polls.service import PollService, result_lines


def build_polls(services: Services, links: LinkService) -> PollService:
    service = PollService(services, links)
    services.scheduler.add("polls:close", service.close_due)
    services.hooks.on_startup(service.recover)
    return service


async def poll_results(db: Database, poll_id: int) -> PollRecord | None:
    """The poll with its counts so far (None if there is no such poll)."""
    return await PollRepository(db).get(poll_id)


async def owns_poll(db: Database, telegram_poll_id: str) -> bool:
    """Did this club post the poll Telegram calls ``telegram_poll_id``? (A vote names no
    chat: with several clubs, this finds the vote's club.)"""
    return await PollRepository(db).by_telegram_id(telegram_poll_id) is not None


__all__ = [
    "PollParseError",
    "PollRecord",
    "PollService",
    "PollSpec",
    "build_polls",
    "owns_poll",
    "parse_question_and_options",
    "poll_results",
    "polls_section",
    "result_lines",
    "telegram_length",
]
