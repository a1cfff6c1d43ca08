"""Which commands a sender may reach: predicates over the shared services, and a decorator.

The facts (who is an admin, who is on the brand team) live in ``bot.core.permissions``; this
module combines them with the services a handler receives, so permissions need not know
the services.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Message, Update

from bot.core.club import CoreContext
from bot.core.commands import CommandSpec
from bot.core.permissions import Audience
from bot.core.services import Services

# Feature handlers take bot.context's ClubContext (a CoreContext that knows the features).
C = TypeVar("C", bound=CoreContext)
Allowed = Callable[[Services, Message], bool]
CommandCallback = Callable[[Update, C], Coroutine[Any, Any, None]]
GuardedCallback = Callable[[Update, C, Services, Message], Awaitable[None]]


def restricted(
    allowed: Allowed, refusal: str
) -> Callable[[GuardedCallback[C]], CommandCallback[C]]:
    """A command handler that only ``allowed`` senders reach; everyone else gets ``refusal``
    (an English message id, marked with ``N_`` and translated for the sender).

    The wrapped callback also receives the services and the message, which every such
    handler needs first.
    """

    def decorate(callback: GuardedCallback[C]) -> CommandCallback[C]:
        @functools.wraps(callback)
        async def handler(update: Update, context: C) -> None:
            message = update.effective_message
            if message is None:
                return
            services = context.services
            if not allowed(services, message):
                await message.reply_text(services.tr_in(message)._(refusal))
                return
            await callback(update, context, services, message)

        return handler

    return decorate


def sender_may(audience: Audience, services: Services, message: Message) -> bool:
    """Whether the sender of ``message`` is in ``audience``: the one check behind every
    restricted command, and behind what /help lists for the sender (``may_use``).

    An anonymous admin posts as the group itself: a moderator, and one the bot restricts
    for (Telegram shows neither who nor which rights), but not on the brand team, which
    needs a person."""
    if audience is Audience.MEMBER:
        return True
    permissions = services.permissions
    if audience is Audience.BRAND_TEAM:
        user = message.from_user
        return user is not None and permissions.is_brand_team(user.id)
    if not permissions.message_is_from_moderator(message, services.chats.community_id):
        return False
    if audience is Audience.MODERATOR or message.sender_chat is not None:
        return True
    # RESTRICTOR, writing as themselves: only an admin with the right counts.
    return message.from_user is not None and permissions.may_restrict(message.from_user.id)


def may_use(spec: CommandSpec, services: Services, message: Message) -> bool:
    """Whether the sender of ``message`` would get past ``spec``'s command's check."""
    return sender_may(spec.audience, services, message)


def from_moderator(services: Services, message: Message) -> bool:
    return sender_may(Audience.MODERATOR, services, message)


def from_brand_team(services: Services, message: Message) -> bool:
    """The brand team and moderators, writing as themselves."""
    return sender_may(Audience.BRAND_TEAM, services, message)
