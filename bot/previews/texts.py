"""Everything the previews feature says, as functions of records and outcome values.

HTML parse mode unless a function says otherwise (button labels and callback answers are
plain text: Telegram shows them as they are). Every inserted value is escaped here.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import N_, Html, Translator
from bot.core.messaging import escape
from bot.polls import result_lines as poll_result_lines
from bot.previews.outcomes import Cancelled, Listing, PreviewResults, Rating, RatingAnswer
from bot.previews.replies import Reply
from bot.previews.repo import Feedback, PreviewRecord, PreviewStatus

STARS = "★"
# limit: 32 (a button label a phone shows whole)
CANCEL_BUTTON = N_("Cancel this preview")
# limit: 200 (answerCallbackQuery)
STALE_BUTTON = N_("This button is out of date.")
# limit: 200 (answerCallbackQuery)
CANCEL_NOT_ALLOWED = N_("Only the community's moderators and the brand team can cancel previews.")
CANCEL_USAGE = N_("Usage: /preview_cancel ID (the number /previews shows)")
NO_PREVIEWS = N_("No previews yet. Write one to me here, then reply to it with /preview in 2h.")
SENTIMENT_LABELS = ("positive", "neutral", "negative", "unscored")
_SENTIMENT_WORDS = {
    "positive": N_("{n} positive"),
    "neutral": N_("{n} neutral"),
    "negative": N_("{n} negative"),
    "unscored": N_("{n} unscored"),
}


_KINDS = {
    "text": N_("text"),
    "photo": N_("photo"),
    "video": N_("video"),
    "animation": N_("animation"),
    "document": N_("document"),
    "audio": N_("audio"),
    "voice": N_("voice message"),
    "album": N_("album"),
}


def kind_word(kind: str, tr: Translator) -> str:
    return tr._(_KINDS[kind]) if kind in _KINDS else escape(kind)


def local_time(ts: int, tz: ZoneInfo, tr: Translator) -> str:
    return tr.datetime(datetime.fromtimestamp(ts, UTC).astimezone(tz))


# --- buttons (plain text) ---------------------------------------------------------------------


def star_button(stars: int, count: int) -> str:
    return f"{stars}{STARS}" + (f" · {count}" if count else "")


def tally_button(feedback: Feedback, tr: Translator) -> str:
    average = feedback.average
    if average is None:
        # limit: 32 (a button label a phone shows whole)
        return tr._("Rate this preview: 1–5 stars")
    # limit: 32 (a button label a phone shows whole)
    return tr.n_(
        "⌀ {average}★ from {n} rating",
        "⌀ {average}★ from {n} ratings",
        feedback.votes,
        average=tr.decimal(average),
    )


# --- answers to button presses (plain text) ---------------------------------------------------


def rating(answer: Rating, tr: Translator) -> str:
    stars = f"{answer.stars}{STARS}"
    match answer.kind:
        case RatingAnswer.CLOSED:
            # limit: 200 (answerCallbackQuery)
            return tr._("This preview is not open for ratings.")
        case RatingAnswer.STALE_BUTTON:
            # limit: 200 (answerCallbackQuery)
            return tr._("This button is no longer active.")
        case RatingAnswer.MEMBERS_ONLY:
            # limit: 200 (answerCallbackQuery)
            return tr._("Only members of the club can rate previews.")
        case RatingAnswer.RATED:
            # limit: 200 (answerCallbackQuery)
            return tr._("You rated {stars}. Thank you!", stars=stars)
        case RatingAnswer.SAME:
            # limit: 200 (answerCallbackQuery)
            return tr._("You already rated {stars}.", stars=stars)
    # limit: 200 (answerCallbackQuery)
    return tr._(
        "You changed your rating to {stars} (was {previous}).",
        stars=stars,
        previous=str(answer.previous) + STARS,
    )


def average(feedback: Feedback, tr: Translator) -> str:
    if feedback.average is None:
        # limit: 200 (answerCallbackQuery)
        return tr._("No ratings yet: tap a star to rate.")
    # limit: 200 (answerCallbackQuery)
    return tr.n_(
        "Average {average}★ from {n} rating.",
        "Average {average}★ from {n} ratings.",
        feedback.votes,
        average=tr.decimal(feedback.average),
    )


def cancelled(outcome: Cancelled, preview_id: int, tr: Translator) -> str:
    """Plain text: it answers a button press, and is escaped where it goes out as HTML."""
    match outcome:
        case Cancelled.NO_SUCH_PREVIEW:
            # limit: 200 (answerCallbackQuery)
            return tr._("There is no preview #{id}. /previews lists them.", id=preview_id)
        case Cancelled.NOW:
            # limit: 200 (answerCallbackQuery)
            return tr._("Preview #{id} is cancelled; it will not be published.", id=preview_id)
        case Cancelled.ALREADY:
            # limit: 200 (answerCallbackQuery)
            return tr._("Preview #{id} was already cancelled.", id=preview_id)
        case Cancelled.TOO_LATE:
            # limit: 200 (answerCallbackQuery)
            return tr._(
                "Preview #{id} is already published; it can't be cancelled.", id=preview_id
            )
    # limit: 200 (answerCallbackQuery)
    return tr._(
        "Preview #{id} could not be published earlier; there is nothing to cancel.",
        id=preview_id,
    )


# --- messages to the author -----------------------------------------------------------------


def summary(record: PreviewRecord, tz: ZoneInfo, now: int, tr: Translator) -> str:
    """The confirmation under /preview: what will be published, when and how."""
    count = len(record.source_message_ids)
    what = (
        tr.n_("album of {n}", "album of {n}", count)
        if record.kind == "album"
        else kind_word(record.kind, tr)
    )
    lines = [tr._("<b>Preview {label}</b> ({what})", label=record.label, what=what)]
    if record.publish_at <= now:
        lines.append(tr._("Publishing in the group now."))
    else:
        lines.append(
            tr._(
                "Will be published in the group at {when} ({zone}).",
                when=local_time(record.publish_at, tz, tr),
                zone=tr.timezone(tz.key),
            )
        )
    lines.append(tr._("Members can't forward or save it, and can rate it 1–5★."))
    if record.poll_question:
        options = " / ".join(escape(o) for o in record.poll_options)
        lines.append(
            tr._(
                "Poll: {question} ({options})",
                question=record.poll_question,
                options=Html(options),
            )
        )
    if record.notify:
        lines.append(tr._("Members who started me get a short teaser in private."))
    return "\n".join(lines)


def album_rating_prompt(record: PreviewRecord, tr: Translator) -> str:
    if record.title:
        return tr._("⭐ Rate this preview: <b>{title}</b>", title=record.title)
    return tr._("⭐ Rate this preview")


def publish_failed(record: PreviewRecord, error: object, tr: Translator) -> str:
    return tr._("Preview {label} could not be published: {error}", label=record.label, error=error)


def published(record: PreviewRecord, link: str | None, tr: Translator) -> str:
    if link:
        return tr._(
            'Preview {label} is live in the group. <a href="{link}">See it in the group</a>.',
            label=record.label,
            link=link,
        )
    return tr._("Preview {label} is live in the group.", label=record.label)


def interrupted(record: PreviewRecord, tr: Translator) -> str:
    return tr._(
        "Preview {label} was being published when I stopped. Please check the group: if "
        "it is not there, send /preview again.",
        label=record.label,
    )


# --- results ------------------------------------------------------------------------------


def rating_text(feedback: Feedback, tr: Translator) -> str:
    if feedback.average is None:
        return tr._("No ratings yet")
    spread = " ".join(
        f"{n}{STARS}:{count}" for n, count in enumerate(feedback.distribution, start=1)
    )
    return tr._(
        "Rating {average}★ from {n} ({spread})",
        average=tr.decimal(feedback.average),
        n=tr.integer(feedback.votes),
        spread=spread,
    )


def reactions_text(reactions: dict[str, int]) -> str:
    return " ".join(f"{escape(key)} {count}" for key, count in reactions.items())


def sentiment_text(replies: list[Reply], tr: Translator) -> str:
    labels = Counter(reply.label for reply in replies)
    parts = [
        tr._(_SENTIMENT_WORDS[label], n=labels[label])
        for label in SENTIMENT_LABELS
        if labels[label]
    ]
    return f"{len(replies)} ({', '.join(parts)})"


def result_lines(results: PreviewResults, tr: Translator) -> list[str]:
    """Rating, reactions, replies, poll and clicks of one published preview."""
    feedback = results.feedback
    lines = [f"  {rating_text(feedback, tr)}"]
    if feedback.reactions:
        lines.append(
            "  " + tr._("Reactions: {list}", list=Html(reactions_text(feedback.reactions)))
        )
    if results.replies:
        lines.append(
            "  " + tr._("Replies: {list}", list=Html(sentiment_text(results.replies, tr)))
        )
    poll = results.poll
    if poll is not None:
        voted = tr.n_("{n} voted", "{n} voted", poll.total_voters)
        lines.append(
            "  " + tr._("Poll: {question} ({options})", question=poll.question, options=voted)
        )
        lines.extend(f"    {line}" for line in poll_result_lines(poll, tr))
    if results.clicks:
        lines.append("  " + tr._("Link clicks: {n}", n=tr.integer(results.clicks)))
    return lines


def listing(previews: Listing, tz: ZoneInfo, tr: Translator) -> str:
    if not previews.scheduled and not previews.published:
        return tr._(NO_PREVIEWS)
    lines: list[str] = []
    if previews.scheduled:
        lines.append(tr._("<b>Scheduled</b>"))
        for record in previews.scheduled:
            state = (
                tr._("publishing now")
                if record.status is PreviewStatus.PUBLISHING
                else tr._("at {when}", when=local_time(record.publish_at, tz, tr))
            )
            lines.append(f"{escape(record.label)} — {kind_word(record.kind, tr)}, {state}")
        lines.append("")
    if previews.published:
        lines.append(tr._("<b>Published</b>"))
        for record, results in previews.published:
            assert record.published_at is not None
            when = local_time(record.published_at, tz, tr)
            lines.append(f"{escape(record.label)} — {escape(when)}")
            lines.extend(result_lines(results, tr))
    return "\n".join(lines).strip()
