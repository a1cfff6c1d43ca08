"""Accuracy and cost of our sentiment scorer against plain TextBlob on the labeled chat set.

Run: ``.venv/bin/python -m benchmarks.sentiment_accuracy`` (``--quick`` for fewer timing rounds).
Macro-F1 and accuracy are over the three English classes; rows labeled "unscored" (other
languages) only feed ``scorer_unscored_accuracy``.
"""

from __future__ import annotations

import csv
import sys
import timeit
from pathlib import Path

from textblob import TextBlob

from bot.sentiment import SentimentScorer
from bot.sentiment.analyzer import Analyzer

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "sentiment_labeled.csv"
CLASSES = ("positive", "neutral", "negative")
THRESHOLD = 0.1

#: A realistic brand configuration for timing ``Analyzer.analyze``.
BAKERY_ASPECTS: dict[str, list[str]] = {
    "price": ["price", "expensive", "cheap", "overpriced", "value for money", "discount"],
    "staff": ["staff", "barista", "cashier", "service", "team", "manager"],
    "pastry": ["croissant", "bun", "babka", "danish", "tart", "scone", "brownie", "cookie"],
    "bread": ["bread", "loaf", "sourdough", "rye", "focaccia"],
    "coffee": ["coffee", "latte", "chai", "hot chocolate", "flat white"],
    "digital": ["app", "click and collect", "delivery", "website", "wifi"],
    "shop": ["shop", "branch", "kiosk", "queue", "seating area"],
}
BAKERY_LEXICON: dict[str, float] = {"festive bake": 0.6, "soggy": -0.7}


def load_rows(path: Path = DATA) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle)]


def textblob_label(text: str) -> str:
    polarity = TextBlob(text).sentiment.polarity
    if polarity > THRESHOLD:
        return "positive"
    if polarity < -THRESHOLD:
        return "negative"
    return "neutral"


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    scores = []
    for cls in CLASSES:
        tp = sum(1 for gold, pred in pairs if gold == cls and pred == cls)
        fp = sum(1 for gold, pred in pairs if gold != cls and pred == cls)
        fn = sum(1 for gold, pred in pairs if gold == cls and pred != cls)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return sum(scores) / len(scores)


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(gold == pred for gold, pred in pairs) / len(pairs) if pairs else 0.0


def _us_per_message(func: object, texts: list[str], rounds: int) -> float:
    def run_all() -> None:
        for text in texts:
            func(text)  # type: ignore[operator]

    run_all()  # warm caches and lazy loads outside the timing
    best = min(timeit.repeat(run_all, number=rounds, repeat=5 if rounds > 1 else 3))
    return best / rounds / len(texts) * 1e6


def run(quick: bool = False) -> dict[str, float]:
    rows = load_rows()
    scorer = SentimentScorer()
    english = [(text, label) for text, label in rows if label in CLASSES]
    foreign = [(text, label) for text, label in rows if label not in CLASSES]
    tb_pairs = [(label, textblob_label(text)) for text, label in english]
    our_pairs = [(label, scorer.score(text).label) for text, label in english]
    unscored_ok = sum(scorer.score(text).label == "unscored" for text, _label in foreign)

    texts = [text for text, _label in rows]
    analyzer = Analyzer(lexicon=BAKERY_LEXICON, aspects=BAKERY_ASPECTS)
    rounds = 2 if quick else 20
    textblob_us = _us_per_message(lambda t: TextBlob(t).sentiment, texts, rounds)
    scorer_us = _us_per_message(scorer.score, texts, rounds)
    analyze_us = _us_per_message(analyzer.analyze, texts, rounds)
    return {
        "messages": float(len(english)),
        "textblob_macro_f1": macro_f1(tb_pairs),
        "scorer_macro_f1": macro_f1(our_pairs),
        "textblob_accuracy": accuracy(tb_pairs),
        "scorer_accuracy": accuracy(our_pairs),
        "scorer_unscored_accuracy": unscored_ok / len(foreign) if foreign else 1.0,
        "textblob_us_per_msg": textblob_us,
        "scorer_us_per_msg": scorer_us,
        "analyze_us_per_msg": analyze_us,
        "analyze_vs_textblob": analyze_us / textblob_us,
    }


def main() -> None:
    result = run(quick="--quick" in sys.argv)
    print(f"labeled English messages: {int(result['messages'])}")
    print(f"{'':28}{'TextBlob':>12}{'ours':>12}")
    print(f"{'macro-F1':28}{result['textblob_macro_f1']:>12.3f}{result['scorer_macro_f1']:>12.3f}")
    print(f"{'accuracy':28}{result['textblob_accuracy']:>12.3f}{result['scorer_accuracy']:>12.3f}")
    print(f"{'non-English -> unscored':28}{'':>12}{result['scorer_unscored_accuracy']:>12.3f}")
    print()
    print(f"{'cost per message':28}{'µs':>12}{'x TextBlob':>12}")
    base = result["textblob_us_per_msg"]
    for name, key in (
        ("TextBlob(t).sentiment", "textblob_us_per_msg"),
        ("score(t)", "scorer_us_per_msg"),
        ("Analyzer.analyze(t)", "analyze_us_per_msg"),
    ):
        print(f"{name:28}{result[key]:>12.1f}{result[key] / base:>12.2f}")


if __name__ == "__main__":
    main()
