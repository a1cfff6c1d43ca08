"""The brand team's daily digest: build (data), render (HTML/text/JSON/CSV), chart (PNG),
the exactly-once daily send, /digest and ``python -m bot digest``. See docs/digest.md.

Public face: ``DigestService`` and ``build_digest(services)``. Handlers:
``bot.digest.handlers``. A feature adds a section by offering it from its package root;
``bot.digest.sections`` lists them.
"""

from bot.core.services import Services
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
    services.scheduler.add("digest:daily", service.send_due)
    # Digests missed while the bot was down go out as soon as it is back.
    services.hooks.on_startup(service.send_due)
    return service


__all__ = ["DigestService", "build_digest"]
