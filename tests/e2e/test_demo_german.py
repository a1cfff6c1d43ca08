"""`python -m bot demo --language de`: the same day in a German club, with no English left in
what the bot and the narration say (the members' own words and product names aside)."""

from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

from bot.core.i18n import translator
from bot.demo import run_demo
from bot.gate import texts as gate_texts

# English function words a German transcript must not contain (issue 14). "was" and "will"
# are German words too ("Was der Club speichert", "ich will"), so they count only where
# English grammar shows around them ("it was", "will be").
ENGLISH_WORDS = [
    "the",
    "and",
    "you",
    "your",
    "is",
    "are",
    "with",
    "for",
    "of",
    "to",
    "this",
    "that",
    "has",
    "have",
    "not",
    "please",
    "members",
    "member",
    "click",
]
ENGLISH_ONLY_AS = [
    r"\b(?:it|that|this|there|he|she|which|who) was\b",
    r"\bwas (?:a|an|the|not|too|so|very)\b",
    r"\bwill (?:be|not|get|send|have|go)\b",
    r"\b(?:you|we|it|they|this|i) will\b",
]
_WORD = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
_PHRASE = re.compile("|".join(ENGLISH_ONLY_AS), re.IGNORECASE)
# What members (and the brand, in its preview) wrote is quoted: „…“ in German, “…” in English.
_QUOTED = re.compile(r"„[^“\n]*“|“[^”\n]*”")
# Links and commands are machine text, not sentences (t.me/club_bot?start=..., /newcodes).
_MACHINE = re.compile(r"\S*://\S*|\bt\.me/\S*|(?<!\w)/\w+|--\w+")


def english_in(transcript: str) -> list[str]:
    """Each English word or phrase outside quotes, links and commands, with its line."""
    found: list[str] = []
    for line in transcript.splitlines():
        prose = _MACHINE.sub(" ", _QUOTED.sub(" ", line))
        found += [f"{hit.group(0)!r} in {line.strip()!r}" for hit in _WORD.finditer(prose)]
        found += [f"{hit.group(0)!r} in {line.strip()!r}" for hit in _PHRASE.finditer(prose)]
    return found


async def test_the_german_demo_speaks_german_the_whole_day() -> None:
    out = io.StringIO()
    assert await run_demo(out=out, language="de") == 0
    story = out.getvalue()
    # The story happened: the consent notice, a refusal, the preview and the digest.
    assert "Dein Code gilt für Bäckerei-Club" in story
    assert "deshalb habe ich dich aus der Gruppe genommen" in story
    assert "⌀ 4,7★ aus 3 Bewertungen" in story
    digest = story[story.index("Tagesbericht") :]
    assert "Nachrichten: 8 von 3 Mitgliedern" in digest
    assert "– Mitglied #" in digest  # pseudonyms in German
    # The members' German chat was scored: quoted among the most negative, with aspects.
    assert "„Die Zimtschnecke war heute mega lecker" in digest
    assert "• Verpackung: 2 Erwähnungen" in digest
    assert "Kampagnen-Kohorten (wöchentlich)" in digest
    # The next morning: the spike alert with its mute button, muted by the brand manager.
    alert = story[story.index("🚨") :]
    assert alert.startswith("🚨 Mehr negative Stimmen zu Geschmack als sonst")
    assert "6 negative Nachrichten von 3 Mitgliedern (6 Nachrichten insgesamt)" in alert
    assert "[Buttons: 🔕 Einen Tag stummschalten]" in alert
    muted = "der Bot antwortet: Warnungen für Geschmack und alle Themen stumm bis Donnerstag"
    assert muted in alert
    # The verdict card, with German numbers and plurals.
    assert "🧾 Fazit: #1 Pistazien-Croissant" in story
    assert "4,7★ von 3 Personen (95-%-Intervall 2,9–5,0★)" in story
    # A member invites a friend; the moderator sees who brought whom.
    assert "Hier ist eine persönliche Einladung zu Bäckerei-Club für eine Person" in story
    assert "Du kannst noch eine Person einladen." in story
    assert "Ein Mitglied brachte 1: eine Person ist noch Mitglied" in story
    assert "Finn (" in story and "): aktiv" in story
    assert "utm_source=telegram" in story
    assert story.rstrip().endswith("Demo beendet.")
    assert english_in(story) == []


def test_the_check_finds_english_and_spares_quotes_links_and_german() -> None:
    tz = ZoneInfo("UTC")
    english = gate_texts.consent_notice(gate_texts.Voice("Club", tz, 0, translator("en")))
    german = gate_texts.consent_notice(gate_texts.Voice("Club", tz, 0, translator("de")))
    assert any(hit.startswith("'your'") for hit in english_in(english))
    assert english_in(german) == []
    # One untranslated word in a German line is enough.
    assert english_in("Heute beigetreten: 3 members") == [
        "'members' in 'Heute beigetreten: 3 members'"
    ]
    # Word boundaries: German words that contain English ones are not English.
    assert english_in("Isolierte Thesen: Forderung, Tonne, Andenken, Hasen") == []
    # German "was" is German; "it was" is not.
    assert english_in("Was der Club speichert") == []
    assert english_in("Leider: it was dry") == ["'it was' in 'Leider: it was dry'"]
    # Members' words, links and commands are theirs, not the bot's.
    assert english_in("  Ben (in Bäckerei-Club): „the bun is the best“") == []
    assert english_in("öffnet t.me/club_bot?start=THE-CODE und /join the") == [
        "'the' in 'öffnet t.me/club_bot?start=THE-CODE und /join the'"
    ]
