"""What a handler is given: ``context.club`` and ``context.features.<feature>``, typed.

PTB builds one ``ClubContext`` per update (``ContextTypes(context=ClubContext)`` in
``bot.app``, as in PTB's ``contexttypesbot.py`` example), so mypy checks every
``context.features.gate.begin(...)`` a handler writes. ``Features`` holds one service per
feature of one club; ``bot.wiring`` builds it once, in dependency order.

Each feature is reached here through its package root only (its public face); the roots never
import their handlers, which import this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.basics import Tracking
from bot.core.club import Club, CoreContext
from bot.digest import DigestService
from bot.feedback import FeedbackService
from bot.forum import ForumService
from bot.gate import GateService
from bot.insights import AlertService
from bot.links import LinkService
from bot.moderation import ModerationService
from bot.polls import PollService
from bot.previews import PreviewService
from bot.privacy import PrivacyService
from bot.referrals import ReferralService


@dataclass(frozen=True, slots=True)
class Features:
    """One club's feature services; each built once, before the first update."""

    tracking: Tracking
    gate: GateService
    feedback: FeedbackService
    forum: ForumService
    polls: PollService
    links: LinkService
    previews: PreviewService
    moderation: ModerationService
    privacy: PrivacyService
    digest: DigestService
    referrals: ReferralService
    insights: AlertService


class ClubContext(CoreContext):
    """The context of every feature handler."""

    @property
    def club(self) -> Club[Features]:
        return super().club

    @property
    def features(self) -> Features:
        return self.club.features


__all__ = ["ClubContext", "Features"]
