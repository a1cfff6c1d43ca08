"""Language identification on short chat messages: our detector against lingua.

Run: ``.venv/bin/python -m benchmarks.language_id``

Data: ``tests/data/language_id.csv`` (138 short messages, 1-12 words, emoji, names,
code-switching; en/de/fr/nl 25 each, es/it 12 each, a few others) and, as a second and
larger check, every message of the labelled sentiment sets with the set's language
(the English club set's foreign rows are skipped).

``lingua-language-detector`` is not a dependency of the bot (its wheel is ~96 MB); install it
to compare (``.venv/bin/pip install lingua-language-detector``). It is restricted to the
languages that occur in the data, which is what a club would configure, in both its default
(high accuracy) and low-accuracy modes.
"""

from __future__ import annotations

import csv
import gc
import time
from collections.abc import Callable
from pathlib import Path

from bot.sentiment import detect_language

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
SCORED = ("en", "de", "fr", "nl")


def short_messages() -> list[tuple[str, str]]:
    with (DATA_DIR / "language_id.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["language"]) for row in csv.DictReader(handle)]


def sentiment_messages() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in sorted(DATA_DIR.glob("sentiment_*.csv")):
        stem = path.stem.removeprefix("sentiment_")
        language = "en" if stem in ("labeled", "en_test") else stem[:2]
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["label"] != "unscored":
                    rows.append((row["text"], language))
    return rows


def _lingua_detectors() -> dict[str, Callable[[str], str]]:
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        return {}
    codes = ("en", "de", "fr", "nl", "es", "it", "pt", "pl", "sv", "tr", "ru")
    languages = [getattr(IsoCode639_1, code.upper()) for code in codes]
    detectors = {}
    for name, low in (("lingua", False), ("lingua low-acc", True)):
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*languages)
        if low:
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def detect(text: str, detector: object = detector) -> str:
            found = detector.detect_language_of(text)  # type: ignore[attr-defined]
            return "und" if found is None else str(found.iso_code_639_1.name).lower()

        detectors[name] = detect
    return detectors


def _evaluate(
    detect: Callable[[str], str], rows: list[tuple[str, str]]
) -> tuple[dict[str, tuple[int, int]], float]:
    per: dict[str, list[int]] = {}
    for text, language in rows:
        acc = per.setdefault(language, [0, 0])
        acc[0] += detect(text) == language
        acc[1] += 1
    texts = [text for text, _language in rows]
    for text in texts:  # warm-up: lazy model loads stay out of the timing
        detect(text)
    gc.collect()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            detect(text)
        best = min(best, time.perf_counter() - start)
    return {k: (v[0], v[1]) for k, v in per.items()}, best / len(texts) * 1e6


def main() -> None:
    detectors: dict[str, Callable[[str], str]] = {"ours": detect_language}
    detectors.update(_lingua_detectors())
    if len(detectors) == 1:
        print("(lingua-language-detector not installed: showing our detector only)")
    for title, rows in (
        ("short chat messages (language_id.csv)", short_messages()),
        ("sentiment sets (club chat, by set language)", sentiment_messages()),
    ):
        print(f"\n{title}: {len(rows)} messages")
        results = {name: _evaluate(detect, rows) for name, detect in detectors.items()}
        languages = sorted({lang for _t, lang in rows}, key=lambda c: (c not in SCORED, c))
        print(f"{'language':10}{'n':>5}" + "".join(f"{name:>16}" for name in results))
        for language in languages:
            n = results["ours"][0][language][1]
            cells = "".join(
                f"{per[language][0] / per[language][1]:>16.1%}" for per, _us in results.values()
            )
            print(f"{language:10}{n:>5}{cells}")
        for label, subset in (("en/de/fr/nl", SCORED), ("all", tuple(languages))):
            cells = ""
            for per, _us in results.values():
                right = sum(per[code][0] for code in subset if code in per)
                total = sum(per[code][1] for code in subset if code in per)
                cells += f"{right / total:>16.1%}"
            print(f"{label:15}" + cells)
        print(f"{'µs / message':15}" + "".join(f"{us:>16.1f}" for _per, us in results.values()))


if __name__ == "__main__":
    main()
