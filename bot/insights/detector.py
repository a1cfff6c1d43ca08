"""The spike detector: is the last window's negative talk unusual for this hour of the week?

Pure: it gets the window's messages and the club's hourly counts, and returns a
:class:`Decision` per key ("all" messages, and each aspect). ``bot.insights.alerts`` feeds it
from SQLite; ``benchmarks/alerts.py`` replays months of simulated chatter through the same
path. The statistics are explained in docs/insights.md.

Baseline for a window [s, e):

* the **same window of the week** over the last ``baseline_weeks`` weeks (weekly rhythm), on
  top of a prior from the **same window of the day** over the last 28 days (so a club with
  little history, or a week with a gap, still has a sensible expectation); together a Gamma
  posterior on the window's negative rate -> negative-binomial tail for the observed count;
* the **negative share** of all scored messages over the last 28 days, as a Beta with a
  capped weight -> beta-binomial tail for the window's share.

A spike needs the count's tail below ``max_p`` plus at least ``min_negative`` negative
messages from ``min_members`` different members, so one angry person never alerts. Both
tails and ``min_negative`` count at most ``PER_MEMBER`` negative messages per member: the
members-rule alone let one member's rant on top of the hour's usual two or three complaints
(already "3 members") make the whole excess. The
share's tail must be below ``max_p`` too for "all" (the day's mood moves the overall share),
and for an aspect whenever the window's volume is itself unusual (its own gamma-Poisson
tail <= 1%): a launch day brings more of everything, and only a share out of line with the
volume is a spike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.insights.stats import betabinom_sf, negbin_sf

HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY
ALL = "all"  # the key for every message, whatever its aspect
TOTAL = "*messages*"  # not a key: all scored messages, for the volume baseline
# Volume this unusual (or more) could explain an aspect's excess: then its share must be
# unusual too. At ordinary volume the count alone decides for an aspect.
VOLUME_P = 0.01
DAY_LAGS = 28
# Weight of the hour-of-day prior, in windows: two windows' worth of evidence.
PRIOR_WINDOWS = 2.0
PRIOR_SHAPE = 0.5  # keeps a rate of zero from making one negative message "impossible"
# The share baseline counts as at most this many messages: shares wobble from day to day.
# The overall negative share follows the day's mood (a Beta of ~60 messages matches a day-
# to-day spread of about 4 points around 12%); an aspect's negatives are rare enough that
# their count, not the mood, dominates the uncertainty. Tuned on the simulation's seed 1,
# checked on seeds 2 and 3 (docs/insights.md).
SHARE_WEIGHT = {ALL: 60.0}
ASPECT_SHARE_WEIGHT = 400.0
# A member's negative messages in the window count at most this many times in the tested
# count. Two, not one: people often split a complaint over two messages, and the baseline
# counts messages, so a cap that bit in ordinary hours would compare voices with messages
# and blunt real alerts; more than two from one person in an hour is a rant, and beyond
# that it says nothing more about the club. One member thus weighs as much as one ordinary
# member who complained twice, and can never make an alert by themselves.
PER_MEMBER = 2


@dataclass(frozen=True, slots=True)
class HourCounts:
    total: int  # scored member messages in the hour
    negative: int  # of which negative
    aspects: Mapping[str, int] = field(default_factory=dict)  # negative mentions per aspect

    def count(self, key: str) -> int:
        if key == TOTAL:
            return self.total
        return self.negative if key == ALL else int(self.aspects.get(key, 0))


@dataclass(frozen=True, slots=True)
class WindowMessage:
    message_id: int
    user_id: int
    sent_at: int
    label: str
    polarity: float
    aspects: Mapping[str, float]
    topics: Sequence[str]
    text: str

    def is_negative_for(self, key: str, negative_threshold: float) -> bool:
        if key == ALL:
            return self.label == "negative"
        value = self.aspects.get(key)
        return value is not None and value < negative_threshold


@dataclass(frozen=True, slots=True)
class DetectorParams:
    min_negative: int = 5
    min_members: int = 3
    max_p: float = 3e-4
    baseline_weeks: int = 8
    negative_threshold: float = -0.1


# Beta (a, b) for a key's negative share, the share itself, and the messages behind it.
SharePrior = tuple[float, float, float, int]


@dataclass(frozen=True, slots=True)
class Decision:
    key: str
    observed: int  # negative messages in the window
    counted: int  # of which tested: at most PER_MEMBER per member
    members: int  # distinct members who wrote them
    messages: int  # all scored messages in the window
    expected: float  # what the baseline expects for this window
    p_count: float
    share: float
    baseline_share: float
    baseline_messages: int  # scored messages the 28-day share is computed from
    p_share: float
    spike: bool

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("inf")

    @property
    def p_value(self) -> float:
        return max(self.p_count, self.p_share)


def lagged_count(
    hours: Mapping[int, HourCounts], start: int, end: int, lag: int, key: str
) -> float | None:
    """The key's count in [start - lag, end - lag), pro rata for partly covered hours;
    None when an hour of it is unknown (before the club's history began)."""
    lo, hi = start - lag, end - lag
    total = 0.0
    hour = lo - lo % HOUR
    while hour < hi:
        counts = hours.get(hour)
        if counts is None:
            return None
        overlap = min(hi, hour + HOUR) - max(lo, hour)
        total += counts.count(key) * overlap / HOUR
        hour += HOUR
    return total


def expected_rate(
    hours: Mapping[int, HourCounts], start: int, end: int, key: str, weeks: int
) -> tuple[float, float] | None:
    """Gamma (shape, rate) for the key's negative count in [start, end); None without history."""
    daily = [
        c for lag in range(1, DAY_LAGS + 1)
        if (c := lagged_count(hours, start, end, lag * DAY, key)) is not None
    ]  # fmt: skip
    if not daily:
        return None
    weekly = [
        c for lag in range(1, weeks + 1)
        if (c := lagged_count(hours, start, end, lag * WEEK, key)) is not None
    ]  # fmt: skip
    prior_mean = sum(daily) / len(daily)
    shape = PRIOR_SHAPE + PRIOR_WINDOWS * prior_mean + sum(weekly)
    rate = PRIOR_WINDOWS + len(weekly)
    return shape, rate


def share_prior(hours: Mapping[int, HourCounts], end: int, key: str) -> SharePrior:
    """Beta (a, b) for the key's negative share over the 28 days before ``end``, and the share."""
    negative = total = 0
    last = end - end % HOUR
    for hour in range(last - DAY_LAGS * DAY, last, HOUR):
        counts = hours.get(hour)
        if counts is not None:
            negative += counts.count(key)
            total += counts.total
    share = negative / total if total else 0.0
    cap = SHARE_WEIGHT.get(key, ASPECT_SHARE_WEIGHT)
    weight = min(1.0, cap / total) if total else 0.0
    return 0.5 + weight * negative, 0.5 + weight * (total - negative), share, total


def capped_count(negatives: Sequence[WindowMessage]) -> int:
    """Negative messages with at most ``PER_MEMBER`` counted per member."""
    per_member = Counter(m.user_id for m in negatives)
    return sum(min(n, PER_MEMBER) for n in per_member.values())


def evaluate(
    start: int,
    end: int,
    messages: Sequence[WindowMessage],
    hours: Mapping[int, HourCounts],
    keys: Iterable[str],
    params: DetectorParams,
    share_cache: dict[tuple[int, str], SharePrior] | None = None,
) -> list[Decision]:
    """A decision per key for the window [start, end); keys without history are left out.

    ``share_cache`` keeps the 28-day share per (hour, key) between calls: it only changes
    when an hour ends, and a check runs every few minutes.
    """
    scored = [m for m in messages if m.label != "unscored"]
    decisions: list[Decision] = []
    volume_p: float | None = None
    for key in keys:
        gamma = expected_rate(hours, start, end, key, params.baseline_weeks)
        if gamma is None:
            continue
        shape, rate = gamma
        negatives = [m for m in scored if m.is_negative_for(key, params.negative_threshold)]
        observed = len(negatives)
        counted = capped_count(negatives)
        # The messages left out of the count leave the share's n as well, so the share is
        # the one the window would have without the excess.
        tested = len(scored) - (observed - counted)
        members = len({m.user_id for m in negatives})
        cache_key = (end - end % HOUR, key)
        prior = share_cache.get(cache_key) if share_cache is not None else None
        if prior is None:
            prior = share_prior(hours, end, key)
            if share_cache is not None:
                share_cache[cache_key] = prior
        a, b, baseline_share, baseline_messages = prior
        p_count = negbin_sf(counted, shape, rate)
        p_share = betabinom_sf(counted, tested, a, b)
        if key != ALL and volume_p is None:
            volume = expected_rate(hours, start, end, TOTAL, params.baseline_weeks)
            volume_p = negbin_sf(len(scored), *volume) if volume is not None else 0.0
        share_needed = key == ALL or (volume_p is not None and volume_p <= VOLUME_P)
        spike = (
            counted >= params.min_negative
            and members >= params.min_members
            and p_count <= params.max_p
            and (p_share <= params.max_p or not share_needed)
        )
        decisions.append(
            Decision(
                key=key,
                observed=observed,
                counted=counted,
                members=members,
                messages=len(scored),
                expected=shape / rate,
                p_count=p_count,
                share=observed / len(scored) if scored else 0.0,
                baseline_share=baseline_share,
                baseline_messages=baseline_messages,
                p_share=p_share,
                spike=spike,
            )
        )
    return decisions
