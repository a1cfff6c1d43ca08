"""Data protection: /mydata, /forgetme and retention. See docs/moderation.md.

Public face: ``PrivacyService``, ``build_privacy(services)``, and ``KINDS`` /
``export_rows`` (the club's data for ``python -m bot export``). Handlers:
``bot.privacy.handlers``. Other features take part in erasure through
``services.erasure`` (bot.core.erasure), never through this package.
"""

from bot.core.services import Services
from bot.privacy.export_repo import KINDS, export_rows
from bot.privacy.service import PrivacyService


def build_privacy(services: Services) -> PrivacyService:
    service = PrivacyService(services)
    services.scheduler.add("privacy:retention", service.retention_due)
    return service


__all__ = ["KINDS", "PrivacyService", "build_privacy", "export_rows"]
