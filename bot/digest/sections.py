"""The digest's feature sections, in the order they appear (after the core sections).

A feature that has something to report writes ``async def section(db, window, settings)``
returning a ``bot.core.digest_api.DigestSection`` (or None) beside its own repository; the digest
lists it here. The features know only the contract; the digest owns the list.
"""

from __future__ import annotations

from bot.core.digest_api import SectionProvider
from bot.forum import topics_section
from bot.gate import members_section
from bot.insights import cohorts_section, segments_section
from bot.links import links_section
from bot.moderation import moderation_section
from bot.polls import polls_section
from bot.previews import previews_section
from bot.referrals import referrals_section


def section_providers() -> list[SectionProvider]:
    """Feature sections, in the order they appear in the digest (after the core sections)."""
    return [
        topics_section,
        members_section,
        previews_section,
        polls_section,
        moderation_section,
        referrals_section,
        links_section,
        segments_section,
        cohorts_section,
    ]
