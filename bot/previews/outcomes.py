"""What the previews service answers, as values (bot/previews/texts.py words them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.polls import PollRecord
from bot.previews.records import Feedback, PreviewRecord
from bot.previews.replies import Reply


class Cancelled(StrEnum):
    NOW = "now"  # it was scheduled; it will not be published
    ALREADY = "already"
    TOO_LATE = "too_late"  # published, or being published
    NOTHING_TO_CANCEL = "nothing_to_cancel"  # its publication failed earlier
    NO_SUCH_PREVIEW = "no_such_preview"


class RatingAnswer(StrEnum):
    CLOSED = "closed"  # not published (or no such preview), or stars out of 1-5
    STALE_BUTTON = "stale_button"  # pressed anywhere but on the preview's own message
    MEMBERS_ONLY = "members_only"
    RATED = "rated"
    SAME = "same"  # the same stars again: nothing changes
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Rating:
    kind: RatingAnswer
    stars: int = 0
    previous: int | None = None


@dataclass(frozen=True, slots=True)
class PreviewResults:
    """Everything known about how one published preview landed."""

    feedback: Feedback
    replies: list[Reply]
    poll: PollRecord | None
    clicks: int


@dataclass(frozen=True, slots=True)
class Listing:
    """/previews: the scheduled ones, and the published ones with their results."""

    scheduled: list[PreviewRecord]
    published: list[tuple[PreviewRecord, PreviewResults]]
