"""/digest [YYYY-MM-DD] for moderators and the brand team."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler

from bot.context import ClubContext
from bot.core import handler_groups
from bot.core.access import may_use
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec
from bot.core.i18n import N_, Explained, Translator
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.digest.build import local_today
from bot.digest.render import html_parts

log = logging.getLogger(__name__)

COMMANDS = (
    CommandSpec(
        "digest",
        N_("/digest [YYYY-MM-DD]"),
        N_("the brand team's digest for a day (default: yesterday)"),
        Audience.BRAND_TEAM,
    ),
)

USAGE = N_("Usage: /digest [YYYY-MM-DD] — for example /digest 2026-12-01 (default: yesterday).")


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(CommandHandler("digest", digest_command), group=handler_groups.COMMANDS)


# No club has anything from before this; it also keeps the digest's look-back (a fortnight
# before the day, in the club's time zone) inside the dates Python can represent.
EARLIEST_DAY = date(2000, 1, 1)


def parse_day(args: list[str], today: date) -> date:
    """The day asked for: yesterday by default; ``Explained`` with a reason otherwise."""
    if not args:
        return today - timedelta(days=1)
    if len(args) > 1:
        raise Explained(N_("give one date at most"))
    try:
        day = date.fromisoformat(args[0].strip())
    except ValueError:
        raise Explained(
            N_("{value} is not a date in the form YYYY-MM-DD"), value=repr(args[0][:20])
        ) from None
    if day > today:
        raise Explained(N_("that day has not happened yet"))
    if day < EARLIEST_DAY:
        raise Explained(N_("that day is too far back"))
    return day


async def digest_command(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    tr = services.tr_in(message)
    in_brand_chat = message.chat.id == services.chats.brand_id
    # The brand chat reads its digest whoever asks; elsewhere the spec's audience decides.
    if not (in_brand_chat or may_use(COMMANDS[0], services, message)):
        await message.reply_text(tr._("The digest is for moderators and the brand team."))
        return
    service = context.features.digest
    today = local_today(services.clock.now(), services.settings)
    try:
        day = parse_day(list(context.args or []), today)
    except Explained as exc:
        await message.reply_text(f"{exc.sentence(tr)}. {tr._(USAGE)}")
        return
    digest = await service.build(day)
    heading = tr._("<i>Today so far.</i>") if day == today else ""
    parts = html_parts(digest, heading=heading)
    chart = service.chart(digest) if services.settings.digest.chart else None
    if message.chat.id == services.chats.community_id:
        # The digest quotes members: never post it in the members' own group.
        await _send_privately(services, message, user.id, parts, chart, tr)
        return
    # reply_* keeps a forum topic's thread: every part lands in the topic asked in.
    for index, part in enumerate(parts):
        if index == 0:
            await message.reply_text(part)
        else:
            await message.reply_text(part, do_quote=False)
    if chart is not None:
        caption = tr._("Last 14 days to {day}", day=tr.date(day, "medium"))
        await message.reply_photo(chart, caption=caption, do_quote=False)


async def _send_privately(
    services: Services,
    message: Message,
    user_id: int,
    parts: list[str],
    chart: bytes | None,
    tr: Translator,
) -> None:
    delivered = True
    for part in parts:
        if await services.messenger.dm(user_id, part) is None:
            delivered = False
            break
    if delivered and chart is not None:
        try:
            await services.messenger.bot.send_photo(user_id, chart)
        except (Forbidden, BadRequest) as exc:
            log.info("Could not send the digest chart to %s: %s", user_id, exc)
    if delivered:
        text = tr._("I sent you the digest in a private chat.")
    else:
        text = tr._(
            "The digest is not shown in this group. Start a private chat with me and ask "
            "again, or ask in the brand team's chat."
        )
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(text)
