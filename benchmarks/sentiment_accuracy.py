"""Accuracy and cost of our sentiment scorer against plain TextBlob, per language.

Run: ``.venv/bin/python -m benchmarks.sentiment_accuracy`` (``--quick`` for fewer timing rounds).

For every labelled set in ``tests/data`` it prints macro-F1 and accuracy over the three classes
and the share of messages left unscored, beside plain ``TextBlob(text).sentiment`` on the same
data (TextBlob reads everything as English, which is what a bot without this work does).
Tuning sets (looked at while building the lexicons) and held-out test sets (never tuned on)
are printed separately.

English correlation: with ``--tweets PATH`` (or ``SENTIMENT_TWEETS=PATH``) pointing at Hutto &
Gilbert's ``tweets_GroundTruth.txt`` (4,200 tweets, each the mean of 20 human ratings, -4..4;
shipped in the ``vaderSentiment`` source distribution under ``additional_resources``, MIT
licence; see docs/sentiment.md) it also prints Pearson r of our polarity, TextBlob's and
VADER's (if installed) against the human mean. That file is for evaluation only.

``--hutto DIR`` (the unpacked ``hutto_ICWSM_2014`` folder) prints the same for all four of
the authors' sets. The tweets are split by id into a tuning half (odd ids: the English rules
and the blend weight were chosen there), a held-out half (even ids: only ever evaluated) and
the whole set; the Amazon, movie-review and NYT snippets are a check of how the rules carry
to other kinds of text ("check"). Beside our blended polarity it shows its two parts alone:
our own scoring and VADER's rules.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textblob import TextBlob

from bot.sentiment import SentimentScorer
from bot.sentiment.analyzer import Analyzer

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
DATA = DATA_DIR / "sentiment_labeled.csv"
CLASSES = ("positive", "neutral", "negative")
THRESHOLD = 0.1

#: (name, language, file, role): role "tune" was looked at while building, "test" never.
SETS: tuple[tuple[str, str, str, str], ...] = (
    ("en club", "en", "sentiment_labeled.csv", "tune"),
    ("en fresh", "en", "sentiment_en_test.csv", "test"),
    ("de tune", "de", "sentiment_de_tune.csv", "tune"),
    ("de tune2", "de", "sentiment_de_tune2.csv", "tune"),
    ("de tune3", "de", "sentiment_de_tune3.csv", "tune"),
    ("de tune4", "de", "sentiment_de_tune4.csv", "tune"),
    ("de test", "de", "sentiment_de_test.csv", "test"),
    ("de fresh", "de", "sentiment_de_fresh.csv", "test"),
    ("fr tune", "fr", "sentiment_fr_tune.csv", "tune"),
    ("fr tune2", "fr", "sentiment_fr_tune2.csv", "tune"),
    ("fr tune3", "fr", "sentiment_fr_tune3.csv", "tune"),
    ("fr tune4", "fr", "sentiment_fr_tune4.csv", "tune"),
    ("fr test", "fr", "sentiment_fr_test.csv", "test"),
    ("fr fresh", "fr", "sentiment_fr_fresh.csv", "test"),
    ("nl tune", "nl", "sentiment_nl_tune.csv", "tune"),
    ("nl tune2", "nl", "sentiment_nl_tune2.csv", "tune"),
    ("nl tune3", "nl", "sentiment_nl_tune3.csv", "tune"),
    ("nl tune4", "nl", "sentiment_nl_tune4.csv", "tune"),
    ("nl tune5", "nl", "sentiment_nl_tune5.csv", "tune"),
    ("nl test", "nl", "sentiment_nl_test.csv", "test"),
    ("nl fresh", "nl", "sentiment_nl_fresh.csv", "test"),
)

#: A realistic brand configuration for timing ``Analyzer.analyze``: one keyword list per
#: aspect with its German, French and Dutch translations.
BAKERY_ASPECTS: dict[str, list[str]] = {
    "price": ["price", "expensive", "cheap", "overpriced", "value for money", "discount",
              "preis", "teuer", "rabatt", "prix", "cher", "réduc", "prijs", "duur", "korting"],
    "staff": ["staff", "barista", "cashier", "service", "team", "manager", "personal",
              "bedienung", "verkäuferin", "personnel", "vendeuse", "équipe", "personeel",
              "bediening", "medewerker"],
    "pastry": ["croissant", "bun", "babka", "danish", "tart", "scone", "brownie", "cookie",
               "schnecke", "kuchen", "torte", "brioche", "gâteau", "tarte", "taart", "broodje"],
    "bread": ["bread", "loaf", "sourdough", "rye", "focaccia", "brot", "brötchen", "pain",
              "baguette", "brood"],
    "coffee": ["coffee", "latte", "chai", "hot chocolate", "flat white", "kaffee", "café",
               "koffie"],
    "digital": ["app", "click and collect", "delivery", "website", "wifi", "lieferung",
                "versand", "livraison", "appli", "levering", "bezorging"],
    "packaging": ["packaging", "box", "bag", "verpackung", "tüte", "karton", "emballage",
                  "sac", "boîte", "verpakking", "zak", "doos"],
}  # fmt: skip
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


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


@dataclass(frozen=True)
class SetResult:
    name: str
    role: str
    messages: int
    f1: float
    acc: float
    unscored: float
    tb_f1: float
    tb_acc: float


def evaluate_set(
    scorer: SentimentScorer, name: str, language: str, filename: str, role: str
) -> SetResult:
    rows = [(t, label) for t, label in load_rows(DATA_DIR / filename) if label in CLASSES]
    ours = [(label, scorer.score(text).label) for text, label in rows]
    theirs = [(label, textblob_label(text)) for text, label in rows]
    unscored = sum(pred == "unscored" for _gold, pred in ours)
    return SetResult(
        name, role, len(rows), macro_f1(ours), accuracy(ours), unscored / len(rows),
        macro_f1(theirs), accuracy(theirs),
    )  # fmt: skip


def load_tweets(path: Path, half: str = "") -> list[tuple[str, float]]:
    """Hutto & Gilbert's ground truth: ``id<TAB>mean rating<TAB>text`` per line.

    ``half`` "tune" keeps the lines whose id ends in an odd number, "held" the even ones
    (a fixed split of the tweets: ids 1, 3, 5, ... tune; 2, 4, 6, ... held out).
    """
    out = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) == 3:
                if half and _half_of(parts[0]) != half:
                    continue
                out.append((parts[2], float(parts[1])))
    return out


def _half_of(item_id: str) -> str:
    digits = item_id.rstrip()[-1:]
    return "tune" if digits.isdigit() and int(digits) % 2 else "held"


#: Hutto & Gilbert's four human-rated sets: (name, file, half, role). The tweets are split
#: in two by id: the English rules and the blend were tuned on the odd half only.
HUTTO_SETS: tuple[tuple[str, str, str, str], ...] = (
    ("amazon", "amazonReviewSnippets_GroundTruth.txt", "", "check"),
    ("movies", "movieReviewSnippets_GroundTruth.txt", "", "check"),
    ("nyt", "nytEditorialSnippets_GroundTruth.txt", "", "check"),
    ("tw tune", "tweets_GroundTruth.txt", "tune", "tune"),
    ("tw held", "tweets_GroundTruth.txt", "held", "test"),
    ("tweets", "tweets_GroundTruth.txt", "", "all"),
)


def hutto_correlations(directory: Path) -> list[tuple[str, str, int, dict[str, float]]]:
    """Pearson r per Hutto set: blend, its two parts, TextBlob and VADER (if installed)."""
    scorers = {
        "ours": SentimentScorer(),
        "own part": SentimentScorer(english_blend=1.0),
        "rules part": SentimentScorer(english_blend=0.0),
    }
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        vader = None
    else:
        vader = SentimentIntensityAnalyzer()
    out = []
    for name, filename, half, role in HUTTO_SETS:
        path = directory / filename
        if not path.is_file():
            continue
        rows = load_tweets(path, half)
        human = [rating for _text, rating in rows]
        result = {
            key: pearson([scorer.score(text).polarity for text, _r in rows], human)
            for key, scorer in scorers.items()
        }
        result["textblob"] = pearson([TextBlob(t).sentiment.polarity for t, _r in rows], human)
        if vader is not None:
            result["vader"] = pearson(
                [vader.polarity_scores(t)["compound"] for t, _r in rows], human
            )
        out.append((name, role, len(rows), result))
    return out


def correlations(scorer: SentimentScorer, path: Path) -> dict[str, float]:
    tweets = load_tweets(path)
    human = [rating for _text, rating in tweets]
    result = {
        "tweets": float(len(tweets)),
        "ours": pearson([scorer.score(text).polarity for text, _r in tweets], human),
        "textblob": pearson([TextBlob(text).sentiment.polarity for text, _r in tweets], human),
    }
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return result
    vader = SentimentIntensityAnalyzer()
    result["vader"] = pearson(
        [vader.polarity_scores(text)["compound"] for text, _r in tweets], human
    )
    return result


def _us_per_message(func: Callable[[str], object], texts: list[str], rounds: int) -> float:
    def run_all() -> None:
        for text in texts:
            func(text)

    run_all()  # warm caches and lazy loads outside the timing
    best = min(timeit.repeat(run_all, number=rounds, repeat=5 if rounds > 1 else 3))
    return best / rounds / len(texts) * 1e6


def run(quick: bool = False) -> dict[str, float]:
    """The English club-set figures ``benchmarks.run`` records, plus per-language cost."""
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
    result = {
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
    for language in ("de", "fr", "nl"):
        lang_texts = [t for t, _l in load_rows(DATA_DIR / f"sentiment_{language}_tune.csv")]
        result[f"analyze_us_per_msg_{language}"] = _us_per_message(
            analyzer.analyze, lang_texts, rounds
        )
    return result


def _tweets_path(argv: list[str]) -> Path | None:
    if "--tweets" in argv:
        index = argv.index("--tweets")
        if index + 1 < len(argv):
            return Path(argv[index + 1])
    env = os.environ.get("SENTIMENT_TWEETS")
    return Path(env) if env else None


def _hutto_dir(argv: list[str]) -> Path | None:
    if "--hutto" in argv:
        index = argv.index("--hutto")
        if index + 1 < len(argv):
            return Path(argv[index + 1])
    return None


def main() -> None:
    argv = sys.argv[1:]
    scorer = SentimentScorer()
    print(f"{'set':10}{'role':>6}{'n':>5}{'macro-F1':>10}{'acc':>7}{'unscored':>10}"
          f"{'TextBlob F1':>13}{'TB acc':>8}")  # fmt: skip
    for name, language, filename, role in SETS:
        r = evaluate_set(scorer, name, language, filename, role)
        print(
            f"{r.name:10}{r.role:>6}{r.messages:>5}{r.f1:>10.3f}{r.acc:>7.3f}"
            f"{r.unscored:>10.1%}{r.tb_f1:>13.3f}{r.tb_acc:>8.3f}"
        )
    hutto = _hutto_dir(argv)
    tweets = _tweets_path(argv)
    if hutto is not None and hutto.is_dir():
        keys = ("ours", "own part", "rules part", "textblob", "vader")
        print("\nEnglish, Pearson r with the mean human rating (Hutto & Gilbert 2014):")
        print(f"{'set':8}{'role':>6}{'n':>7}" + "".join(f"{key:>12}" for key in keys))
        for name, role, count, corr in hutto_correlations(hutto):
            cells = "".join(f"{corr[key]:>12.3f}" if key in corr else f"{'-':>12}" for key in keys)
            print(f"{name:8}{role:>6}{count:>7}{cells}")
    elif tweets is not None and tweets.is_file():
        corr = correlations(scorer, tweets)
        print()
        print(f"English, Pearson r with the mean human rating ({int(corr['tweets'])} tweets):")
        for key in ("ours", "textblob", "vader"):
            if key in corr:
                print(f"  {key:10}{corr[key]:.3f}")
    else:
        print("\n(no --hutto DIR or --tweets PATH: English correlation skipped; see")
        print(" docs/sentiment.md)")
    result = run(quick="--quick" in argv)
    print()
    print(f"{'cost per message':28}{'µs':>12}{'x TextBlob':>12}")
    base = result["textblob_us_per_msg"]
    for name, key in (
        ("TextBlob(t).sentiment", "textblob_us_per_msg"),
        ("score(t)", "scorer_us_per_msg"),
        ("Analyzer.analyze(t) en", "analyze_us_per_msg"),
        ("Analyzer.analyze(t) de", "analyze_us_per_msg_de"),
        ("Analyzer.analyze(t) fr", "analyze_us_per_msg_fr"),
        ("Analyzer.analyze(t) nl", "analyze_us_per_msg_nl"),
    ):
        print(f"{name:28}{result[key]:>12.1f}{result[key] / base:>12.2f}")


if __name__ == "__main__":
    main()
