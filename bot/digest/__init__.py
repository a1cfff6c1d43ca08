"""The brand team's daily digest: build (data), render (HTML/text/JSON/CSV), chart (PNG),
the exactly-once daily send, /digest and ``python -m bot digest``. See docs/digest.md.

Public face: ``DigestService`` and ``build_digest(services)``; with several clubs,
``build_combined_digest`` (the clubs side by side in one chat). Handlers:
``bot.digest.handlers``. A feature adds a section by offering it from its package root;
``bot.digest.sections`` lists them.
"""

from collections.abc import Sequence

from bot.core.services import Services
from bot.digest.combined import ClubDigest, CombinedDigest
from bot.digest.service import DigestService


def build_digest(services: Services) -> DigestService:
    service = DigestService(
        services.settings,
        services.db,
        services.clock,
        services.chats,
        services.messenger,
        services.facts,
    )
    services.erasure.register("digest", service)  # quotes in stored digests, by person
    # Digests missed while the bot was down go out with the scheduler's first tick, which
    # comes once the updates that waited for the bot are in (bot.core.backlog).
    services.scheduler.add("digest:daily", service.send_due)
    return service


def build_combined_digest(
    first: Services, clubs: Sequence[tuple[str, DigestService]], chat_id: int
) -> CombinedDigest:
    """Every club side by side in ``chat_id``, once a day; run by the first club's
    scheduler (any one club's would do: it reads every club's digest service)."""
    combined = CombinedDigest(first, [ClubDigest(name, svc) for name, svc in clubs], chat_id)
    # The first run (the scheduler's first tick, once the waiting updates are in) notes its
    # day, so the first combined digest is of a day the clubs were already side by side.
    first.scheduler.add("digest:combined", combined.send_due)
    return combined


__all__ = ["CombinedDigest", "DigestService", "build_combined_digest", "build_digest"]
