"""The flood guard: counts every member post in the community, mutes a flooder, says why.

The counting itself is ``bot.moderation.flood.FloodTracker``; this is its Telegram side.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler
from telegram.ext import filters as F

from bot.context import ClubContext, Features
from bot.core.club import Clubs

log = logging.getLogger(__name__)

# At most one flood notice in the group per this many seconds: during a wave of flooders the
# bot must not become the flood.
GROUP_NOTICE_GAP = 60


class _MemberPost(F.MessageFilter):
    """A message someone wrote (not a service message such as a join or a pin).

    Stands in for ``~filters.StatusUpdate.ALL``, which checks some fifty sub-filters on every
    group message (~25 µs); these few attribute reads are the hot path's share of it.
    """

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        return (
            message.text is not None
            or message.caption is not None
            or bool(message.photo)
            or message.sticker is not None
            or message.video is not None
            or message.animation is not None
            or message.document is not None
            or message.voice is not None
            or message.video_note is not None
            or message.audio is not None
            or message.poll is not None
            or message.location is not None
            or message.contact is not None
            or message.dice is not None
        )


_MEMBER_POST = _MemberPost(name="member_post")


class FloodGuard(BaseHandler[Update, Any, None]):
    """Counts every member post in the community; calls the handler only for a flood.

    Counting is all that happens for nearly every group message, so it is done here, in
    ``check_update`` (PTB calls it once per update), instead of through a handler call with
    its filters, coroutine and context (~5 µs a message on the ingest path).
    Channel posts, anonymous admins, bots and moderators are never flood-limited.
    """

    __slots__ = ("_clubs",)

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(_not_called)
        self._clubs = clubs

    def check_update(self, update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        message = update.message
        if message is None:
            return None
        user = message.from_user
        club = self._clubs.of_chat(message.chat.id)
        services = club.services
        if (
            user is None
            or message.chat.id != services.chats.community_id
            or user.is_bot
            or message.sender_chat is not None
            or message.is_automatic_forward
            or services.permissions.is_moderator(user.id)
            or not _MEMBER_POST.filter(message)
        ):
            return None
        flood = club.features.moderation.flood
        # A message counts at the time its sender wrote it (Telegram's ``date``), not when it
        # reaches us: after downtime the backlog arrives at once (replayed updates too), and
        # a member who wrote calmly while the bot was away must not look like a flood.
        sent_at = message.date.timestamp()
        # One older than a flood mute's length is from a backlog: a mute for it would have
        # ended by now had the bot been up, so muting now only punishes the bot's outage.
        # (Not the flood window itself: a bot lagging a few seconds behind a spam wave would
        # then count none of it.)
        stale_after = services.settings.moderation.flood_mute_minutes * 60
        if services.clock.now().timestamp() - sent_at > stale_after:
            return None
        return flood.hit(user.id, sent_at, message.media_group_id)

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: object,
        context: ClubContext,
    ) -> None:
        assert isinstance(check_result, int)
        await flooded(update, context, check_result)


async def _not_called(update: Update, context: ClubContext) -> None:
    raise AssertionError("FloodGuard.handle_update calls flooded() itself")


async def flooded(update: Update, context: ClubContext, count: int) -> None:
    """A member's ``count``-th message inside the flood window: mute them and say why."""
    message = update.message
    assert message is not None and message.from_user is not None
    user = message.from_user
    services = context.services
    tracker = context.features.moderation.flood
    settings = services.settings.moderation
    until = await context.features.moderation.flood_mute(
        context.bot, user.id, count, settings.flood_seconds
    )
    if until is None:
        return
    tracker.muted(user.id, until)
    await _tell_flooder(context, message, settings.flood_mute_minutes)


async def _tell_flooder(context: ClubContext, message: Message, minutes: int) -> None:
    services = context.services
    assert message.from_user is not None
    user = message.from_user
    settings = services.settings.moderation
    tr = services.tr_for(user)
    length = tr.duration(timedelta(minutes=minutes))
    text = tr._(
        "You sent more than {count} messages in {seconds} seconds, so you are muted in "
        "{club} for {length}. Please slow down.",
        count=settings.flood_messages,
        seconds=settings.flood_seconds,
        club=services.settings.community.name,
        length=length,
    )
    person = await services.people.get(user.id)
    if (
        person is not None
        and person.can_receive_dm
        and await services.messenger.dm(user.id, text) is not None
    ):
        return
    moderation = context.features.moderation
    last = moderation.flood_notice_at
    now = services.now_ts()
    if last is not None and now - last < GROUP_NOTICE_GAP:
        return
    moderation.flood_notice_at = now
    try:
        group_tr = services.tr
        await message.reply_text(
            group_tr._(
                "{name} is muted for {length} for sending too many messages.",
                name=user.first_name,
                length=group_tr.duration(timedelta(minutes=minutes)),
            )
        )
    except TelegramError as exc:
        log.info("Could not post the flood notice: %s", exc)
