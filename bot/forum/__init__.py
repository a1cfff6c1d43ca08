"""Forum groups (topics enabled): the club's posts topic, and topics noted as they change.

What the bot does in a forum group:

* It answers in the topic where it was addressed (PTB's ``reply_text`` keeps a topic
  message's thread), and a /command typed in a topic never mistakes the topic's first
  message for the message it answers (bot.core.topics.replied_to).
* Previews and polls go to ``community.previews_topic`` (found, or created when the bot has
  the Manage Topics right, else General), through ``Messenger.in_posts_topic``.
* Topic service messages (created, renamed, closed, reopened, General hidden) are noted and
  never reach the features as member messages; messages in General count as the group's.
* The digest reports activity and sentiment per topic (bot/forum/digest.py).

Public face: ``ForumService``, ``build_forum(services)`` and ``topics_section``. Handlers:
``bot.forum.handlers``.
"""

from __future__ import annotations

from bot.core.services import Services
from bot.forum.digest import topics_section
from bot.forum.repo import TopicsRepository
from bot.forum.service import ForumService


def build_forum(services: Services) -> ForumService:
    service = ForumService(services, TopicsRepository(services.db))
    # Previews and polls go to the posts topic through the messenger.
    services.messenger.use_posts_topic(service)
    services.hooks.on_startup(service.prepare)
    return service


__all__ = ["ForumService", "build_forum", "topics_section"]
