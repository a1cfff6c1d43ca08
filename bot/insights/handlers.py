"""Telegram handlers for insights: thin (parse, call a service, reply)."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import ClubContext
from bot.core import handler_groups
from bot.core.access import from_brand_team, from_moderator, restricted
from bot.core.club import ClubApplication
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.ids import parse_id
from bot.core.messaging import answer_query, html_to_plain
from bot.core.permissions import Audience
from bot.core.services import Services
from bot.insights import texts, verdict_texts
from bot.insights.alerts import CALLBACK_PREFIX, MuteOutcome
from bot.insights.charts import retention_chart, verdict_chart
from bot.insights.cohorts import campaign_cohorts
from bot.insights.segments import Segment, segments
from bot.insights.verdicts import build_verdict

log = logging.getLogger(__name__)

COMMANDS = (
    CommandSpec("verdict", N_("/verdict ID"), N_("a preview's verdict card"), Audience.BRAND_TEAM),
    CommandSpec(
        "campaigns", "/campaigns", N_("cohorts per campaign label (privately)"), Audience.MODERATOR
    ),
    CommandSpec(
        "segments",
        "/segments",
        N_("advocates, quiet, at-risk members (privately)"),
        Audience.MODERATOR,
    ),
)


def add_handlers(app: ClubApplication) -> None:
    new_messages = filters.UpdateType.MESSAGE
    for name, callback in (
        ("verdict", verdict_command),
        ("campaigns", campaigns_command),
        ("segments", segments_command),
    ):
        app.add_handler(
            CommandHandler(name, callback, filters=new_messages), group=handler_groups.COMMANDS
        )
    app.add_handler(
        CallbackQueryHandler(on_mute, pattern=f"^{CALLBACK_PREFIX}mute:"),
        group=handler_groups.COMMANDS,
    )


def _args(message: Message) -> str:
    text = message.text or ""
    return text.partition(" ")[2].strip()


async def on_mute(update: Update, context: ClubContext) -> None:
    """``v1:al:mute:<alert id>``: nothing in it is trusted (see AlertService.mute)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    services = context.services
    alert_id = parse_id(query.data.removeprefix(CALLBACK_PREFIX + "mute:"))
    message = query.message
    if alert_id is None or message is None:
        await answer_query(query, services.tr._(texts.OUT_OF_DATE))
        return
    result = await context.features.insights.mute(
        alert_id, query.from_user.id, message.chat.id, message.message_id
    )
    tz = services.settings.community.tz
    # The brand chat reads the club's language (the alert itself was written in it).
    tr = services.tr
    if result.outcome is MuteOutcome.MUTED:
        await answer_query(query, texts.muted_text(result.keys, result.until, tz, tr))
        alert = await context.features.insights.alert(alert_id)
        if alert is not None:
            # The button goes; the alert says who can still see it was muted, and until when.
            await services.messenger.bot.edit_message_text(
                alert.text + texts.muted_note(result.keys, result.until, tz, tr),
                chat_id=message.chat.id,
                message_id=message.message_id,
            )
        return
    refusal = {
        MuteOutcome.NOT_ALLOWED: texts.NOT_ALLOWED_MUTE,
        MuteOutcome.UNKNOWN_ALERT: texts.UNKNOWN_ALERT,
        MuteOutcome.WRONG_MESSAGE: texts.NOT_THIS_ALERT,
    }[result.outcome]
    log.info("Mute refused (%s) for user %s", result.outcome.value, query.from_user.id)
    await answer_query(query, tr._(refusal), show_alert=True)


@restricted(from_brand_team, texts.NOT_BRAND_TEAM)
async def verdict_command(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    tr = services.tr_in(message)
    preview_id = parse_id(_args(message).lstrip("#"))
    if preview_id is None:  # parse_id: ASCII digits of a size SQLite can hold, else None
        await message.reply_text(tr._(texts.VERDICT_USAGE))
        return
    verdict = await build_verdict(services.db, services.settings, preview_id, tr)
    if verdict is None:
        await message.reply_text(tr._(texts.NO_SUCH_PREVIEW, id=preview_id))
        return
    card = verdict_texts.verdict_text(verdict, tr)
    chart = verdict_chart(verdict, tr) if verdict.raters else None
    caption = verdict_texts.verdict_caption(verdict, tr)
    if message.chat.id == services.chats.community_id:
        # The card quotes replies under their "Member #N": in the members' own group it would
        # tell everyone who #N is, in every digest and alert. The asker gets it privately.
        user = message.from_user
        assert user is not None  # from_brand_team let only a person through
        sent = await _send_privately(services, user.id, card, chart, caption)
        await message.reply_text(
            tr._(texts.VERDICT_SENT_PRIVATELY if sent else texts.VERDICT_NOT_HERE)
        )
        return
    await services.messenger.to_chat(message.chat.id, card)
    if chart is not None:
        await services.messenger.bot.send_photo(
            chat_id=message.chat.id, photo=chart, caption=caption
        )


async def _send_privately(
    services: Services, user_id: int, card: str, chart: bytes | None, caption: str
) -> bool:
    """Whether the card reached the person's private chat (not if they never started us)."""
    if await services.messenger.dm(user_id, card) is None:
        return False
    if chart is not None:
        try:
            await services.messenger.bot.send_photo(user_id, chart, caption=caption)
        except (Forbidden, BadRequest) as exc:
            # The card itself arrived; a chart that fails is logged, not retried.
            log.info("Could not send the verdict chart to %s: %s", user_id, exc)
    return True


def _private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


@restricted(from_moderator, texts.NOT_MODERATOR)
async def campaigns_command(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    if not _private(message):
        await message.reply_text(services.tr_in(message)._(texts.PRIVATE_ONLY))
        return
    cohorts = await campaign_cohorts(services.db, services.chats.community_id, services.now_ts())
    tr = services.tr_in(message)
    body = "\n".join([tr._("📈 <b>Campaign cohorts</b>"), *texts.cohort_lines(cohorts, tr)])
    await services.messenger.to_chat(message.chat.id, body)
    if cohorts:
        await services.messenger.bot.send_photo(
            chat_id=message.chat.id,
            photo=retention_chart(
                cohorts,
                html_to_plain(tr._("Share of each campaign's members active, by week")),
                tr,
            ),
            caption=tr._("Weekly active share by campaign (n = members who joined)"),
        )


@restricted(from_moderator, texts.NOT_MODERATOR)
async def segments_command(
    update: Update, context: ClubContext, services: Services, message: Message
) -> None:
    if not _private(message):
        await message.reply_text(services.tr_in(message)._(texts.PRIVATE_ONLY))
        return
    found = await segments(
        services.db, services.chats.community_id, services.now_ts(), services.settings.insights
    )
    named: dict[str, list[str]] = {}
    for segment, members in found.items():
        names = []
        for m in members:
            person = await services.people.get(m.user_id)
            names.append(f"{person.display_name if person else 'a member'} (id {m.user_id})")
        named[segment.value] = names
    counts = {s.value: len(found[s]) for s in Segment}
    await services.messenger.to_chat(
        message.chat.id, texts.segment_list_text(named, counts, services.tr_in(message))
    )
