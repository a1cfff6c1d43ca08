"""`python -m bot demo` tells the whole story and ends with the brand team's digest."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from bot.demo import run_demo


# Slow set; the same day in German: tests/e2e/test_demo_german.py
@pytest.mark.slow
async def test_demo_plays_the_whole_day() -> None:
    out = io.StringIO()
    assert await run_demo(out=out) == 0
    story = out.getvalue()
    # Members join with codes; one without a code is turned away.
    assert "Welcome to Bakery VIP Club" in story
    assert "invite-only, so I took you out" in story
    # The preview is published protected and pinned, rated, and voted on.
    assert "(protected, pinned)" in story
    assert "4.7★ from 3" in story
    # The digest reaches the brand chat, built from the demo's conversation.
    digest = story[story.index("Daily digest") :]
    assert "Messages: 8 from 3 members" in digest
    # Ben's German message is scored, its compound "Papiertüte" is a topic and counts for
    # packaging, and it is quoted beside the English ones.
    assert "Papiertüte (1)" in digest and "packaging: 2 mentions" in digest  # the topics line
    assert "“Die Zimtschnecke war heute mega lecker" in digest
    assert "festive bake" in digest
    assert "Member #" in digest
    assert "[picture]" in digest  # the chart
    assert "Campaign cohorts (weekly)" in digest
    assert "[picture] Campaign cohorts to Dec 1, 2026" in digest  # the weekly curves
    # The next morning's dry batch sets off one alert; the verdict card follows.
    assert story.count("🚨 Negative talk about taste is up") == 2  # sent, then edited (muted)
    assert "Muted alerts for taste" in story
    assert "Verdict: #1 Pistachio croissant" in story
    assert "95% interval" in story


# The default run plays the demo once (above, in process); this runs it again through
# ``python -m bot`` in a fresh interpreter, which costs seconds, so only in the slow set.
@pytest.mark.slow
def test_demo_command_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Demo finished." in result.stdout
