"""Everything the previews feature says, as functions of records and outcome values.

HTML parse mode unless a function says otherwise (button labels and callback answers are
plain text: Telegram shows them as they are). Every inserted value is escaped here.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.messaging import escape
from bot.polls import result_lines as poll_result_lines
from bot.previews.outcomes import Cancelled, Listing, PreviewResults, Rating, RatingAnswer
from bot.previews.replies import Reply
from bot.previews.repo import Feedback, PreviewRecord, PreviewStatus

STARS = "★"
CANCEL_BUTTON = "Cancel this preview"
STALE_BUTTON = "This button is out of date."
CANCEL_USAGE = "Usage: /preview_cancel ID (the number /previews shows)"
NO_PREVIEWS = "No previews yet. Write one to me here, then reply to it with /preview in 2h."
SENTIMENT_LABELS = ("positive", "neutral", "negative", "unscored")


def local_time(ts: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


# --- buttons (plain text) ---------------------------------------------------------------------


def star_button(stars: int, count: int) -> str:
    return f"{stars}{STARS}" + (f" · {count}" if count else "")


def tally_button(feedback: Feedback) -> str:
    average = feedback.average
    if average is None:
        return "Rate this preview: 1–5 stars"
    plural = "s" if feedback.votes != 1 else ""
    return f"⌀ {average:.1f}{STARS} from {feedback.votes} rating{plural}"


# --- answers to button presses (plain text) ---------------------------------------------------


def rating(answer: Rating) -> str:
    stars = f"{answer.stars}{STARS}"
    match answer.kind:
        case RatingAnswer.CLOSED:
            return "This preview is not open for ratings."
        case RatingAnswer.STALE_BUTTON:
            return "This button is no longer active."
        case RatingAnswer.MEMBERS_ONLY:
            return "Only members of the club can rate previews."
        case RatingAnswer.RATED:
            return f"You rated {stars}. Thank you!"
        case RatingAnswer.SAME:
            return f"You already rated {stars}."
    return f"You changed your rating to {stars} (was {answer.previous}{STARS})."


def average(feedback: Feedback) -> str:
    if feedback.average is None:
        return "No ratings yet: tap a star to rate."
    return f"Average {feedback.average:.1f}{STARS} from {feedback.votes} rating(s)."


def cancelled(outcome: Cancelled, preview_id: int) -> str:
    """Plain text: it answers a button press, and is escaped where it goes out as HTML."""
    match outcome:
        case Cancelled.NO_SUCH_PREVIEW:
            return f"There is no preview #{preview_id}. /previews lists them."
        case Cancelled.NOW:
            return f"Preview #{preview_id} is cancelled; it will not be published."
        case Cancelled.ALREADY:
            return f"Preview #{preview_id} was already cancelled."
        case Cancelled.TOO_LATE:
            return f"Preview #{preview_id} is already published; it can't be cancelled."
    return f"Preview #{preview_id} could not be published earlier; there is nothing to cancel."


# --- messages to the author -----------------------------------------------------------------


def summary(record: PreviewRecord, tz: ZoneInfo, now: int) -> str:
    """The confirmation under /preview: what will be published, when and how."""
    count = len(record.source_message_ids)
    what = f"album of {count}" if record.kind == "album" else record.kind
    lines = [f"<b>Preview {escape(record.label)}</b> ({escape(what)})"]
    if record.publish_at <= now:
        lines.append("Publishing in the group now.")
    else:
        lines.append(
            f"Will be published in the group at {local_time(record.publish_at, tz)} "
            f"({escape(tz.key)})."
        )
    lines.append("Members can't forward or save it, and can rate it 1–5★.")
    if record.poll_question:
        options = " / ".join(escape(o) for o in record.poll_options)
        lines.append(f"Poll: {escape(record.poll_question)} ({options})")
    if record.notify:
        lines.append("Members who started me get a short teaser in private.")
    return "\n".join(lines)


def album_rating_prompt(record: PreviewRecord) -> str:
    title = f": <b>{escape(record.title)}</b>" if record.title else ""
    return f"⭐ Rate this preview{title}"


def publish_failed(record: PreviewRecord, error: object) -> str:
    return f"Preview {escape(record.label)} could not be published: {escape(error)}"


def published(record: PreviewRecord, link: str | None) -> str:
    where = f' <a href="{escape(link)}">See it in the group</a>.' if link else ""
    return f"Preview {escape(record.label)} is live in the group.{where}"


def interrupted(record: PreviewRecord) -> str:
    return (
        f"Preview {escape(record.label)} was being published when I stopped. Please "
        "check the group: if it is not there, send /preview again."
    )


# --- results ------------------------------------------------------------------------------


def rating_text(feedback: Feedback) -> str:
    if feedback.average is None:
        return "No ratings yet"
    spread = " ".join(
        f"{n}{STARS}:{count}" for n, count in enumerate(feedback.distribution, start=1)
    )
    return f"Rating {feedback.average:.1f}{STARS} from {feedback.votes} ({spread})"


def reactions_text(reactions: dict[str, int]) -> str:
    return " ".join(f"{escape(key)} {count}" for key, count in reactions.items())


def sentiment_text(replies: list[Reply]) -> str:
    labels = Counter(reply.label for reply in replies)
    parts = [f"{labels[label]} {label}" for label in SENTIMENT_LABELS if labels[label]]
    return f"{len(replies)} ({', '.join(parts)})"


def result_lines(results: PreviewResults) -> list[str]:
    """Rating, reactions, replies, poll and clicks of one published preview."""
    feedback = results.feedback
    lines = [f"  {rating_text(feedback)}"]
    if feedback.reactions:
        lines.append(f"  Reactions: {reactions_text(feedback.reactions)}")
    if results.replies:
        lines.append(f"  Replies: {sentiment_text(results.replies)}")
    poll = results.poll
    if poll is not None:
        lines.append(f"  Poll: {escape(poll.question)} ({poll.total_voters} voted)")
        lines.extend(f"    {line}" for line in poll_result_lines(poll))
    if results.clicks:
        lines.append(f"  Link clicks: {results.clicks}")
    return lines


def listing(previews: Listing, tz: ZoneInfo) -> str:
    if not previews.scheduled and not previews.published:
        return NO_PREVIEWS
    lines: list[str] = []
    if previews.scheduled:
        lines.append("<b>Scheduled</b>")
        for record in previews.scheduled:
            state = (
                "publishing now"
                if record.status is PreviewStatus.PUBLISHING
                else f"at {local_time(record.publish_at, tz)}"
            )
            lines.append(f"{escape(record.label)} — {record.kind}, {state}")
        lines.append("")
    if previews.published:
        lines.append("<b>Published</b>")
        for record, results in previews.published:
            assert record.published_at is not None
            lines.append(f"{escape(record.label)} — {local_time(record.published_at, tz)}")
            lines.extend(result_lines(results))
    return "\n".join(lines).strip()
