"""Small samples of star ratings say what they can: no interval without spread, an interval
that does not collapse when a handful of raters happen to agree, and a caption that claims no
interval where the card and the chart say "too few ratings to tell"."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from bot.insights.records import RatingSummary, Verdict
from bot.insights.stats import MeanInterval, mean_interval, star_interval
from bot.insights.verdict_texts import verdict_caption, verdict_text


def _verdict(stars: Sequence[int], min_ratings: int = 5) -> Verdict:
    dist = [0] * 5
    for s in stars:
        dist[s - 1] += 1
    return Verdict(
        preview_id=1, label="#1 Rye", published_at=0,
        distribution=(dist[0], dist[1], dist[2], dist[3], dist[4]),
        interval=star_interval(stars) if len(set(stars)) > 1 else None,
        enough=len(stars) >= min_ratings, min_ratings=min_ratings,
        poll_question=None, poll_options=[], poll_voters=0, reactions={}, replies=0,
        repliers=0, reply_labels={}, aspects=[], themes=[],
    )  # fmt: skip


def test_a_t_interval_needs_a_spread_and_the_star_interval_never_collapses() -> None:
    assert mean_interval([5.0] * 5, lower=1, upper=5) is None  # not "5.0–5.0"
    agreed = star_interval([5] * 5)
    assert agreed is not None and agreed.mean == 5.0 and agreed.high == 5.0
    assert agreed.low < 4.7  # five raters cannot make the mean certain
    plain = mean_interval([5.0, 5.0, 5.0, 5.0, 4.0], lower=1, upper=5)
    pooled = star_interval([5, 5, 5, 5, 4])
    assert plain is not None and pooled is not None
    assert pooled.low < plain.low and pooled.mean == plain.mean == 4.8
    # With many raters the sample's own spread decides; the prior fades.
    many = [3] * 20 + [4] * 40 + [5] * 60
    wide = star_interval(many)
    classic = mean_interval([float(s) for s in many], lower=1, upper=5)
    assert wide is not None and classic is not None
    assert math.isclose(wide.high - wide.low, classic.high - classic.low, rel_tol=0.05)


def _samples(n: int, k: int = 5) -> Iterator[tuple[int, ...]]:
    """Every way n raters can spread over k stars (counts per star)."""
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in _samples(n - first, k - 1):
            yield (first, *rest)


def _coverage(shares: Sequence[float], n: int, interval: object) -> float:
    """Exact chance that the interval of n raters holds the true mean, over the samples
    that get an interval at all (unanimous ones are shown as counts)."""
    true_mean = sum(s * p for s, p in enumerate(shares, start=1))
    covered = total = 0.0
    for counts in _samples(n):
        if max(counts) == n:
            continue
        chance = float(math.factorial(n))
        for p, c in zip(shares, counts, strict=True):
            chance *= p**c / math.factorial(c)
        stars = [s for s, c in enumerate(counts, start=1) for _ in range(c)]
        iv = interval(stars)  # type: ignore[operator]
        assert isinstance(iv, MeanInterval)
        total += chance
        covered += chance * (iv.low <= true_mean <= iv.high)
    return covered / total


def test_the_star_interval_keeps_its_95_percent_for_a_skewed_club_at_small_n() -> None:
    # Half the club gives 5★, a few give 1★ or 2★: small samples often show little spread.
    shares = (0.05, 0.05, 0.1, 0.3, 0.5)

    def plain(stars: list[int]) -> MeanInterval | None:
        return mean_interval([float(s) for s in stars], lower=1, upper=5)

    for n in (5, 8, 12):
        assert _coverage(shares, n, star_interval) >= 0.94, n
        assert _coverage(shares, n, plain) < 0.91, n  # the plain t-interval falls short


def test_unanimous_raters_are_said_plainly_without_an_interval() -> None:
    v = _verdict([5] * 5)
    assert v.summary is RatingSummary.UNANIMOUS
    text = verdict_text(v)
    assert "<b>all 5 raters gave 5★</b>" in text
    assert "interval" not in text
    caption = verdict_caption(v)
    assert caption == "#1 Rye: ratings (n = 5), all 5 raters gave 5★"


def test_the_caption_claims_an_interval_only_when_the_card_shows_one() -> None:
    few = _verdict([5, 2])
    assert few.summary is RatingSummary.TOO_FEW
    assert "too few ratings to tell (need 5)" in verdict_text(few)
    assert verdict_caption(few) == "#1 Rye: ratings (n = 2), too few ratings to tell (need 5)"
    enough = _verdict([5, 2, 4, 4, 3])
    assert enough.summary is RatingSummary.INTERVAL
    assert "95% interval" in verdict_text(enough)
    assert "95% interval" in verdict_caption(enough)
