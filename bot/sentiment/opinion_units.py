"""One sentence's opinion units: the walk over its tokens that finds opinion words and phrases
and applies what changes them (negation with a short scope, also after the verb as in German,
Dutch and spoken French; intensifiers; "too <adj>" complaints; elongations and ALL CAPS;
"but" clauses weighted as VADER does; the constructions of constructions.py: French
"ne … pas", "could be better", "never had a better").

The scorer (scorer.py) sums these units per sentence and message; the walk is pure, reading
only the tokens, the language pack and the brand's words.
"""

from __future__ import annotations

import math
from typing import Final

from bot.sentiment import intensity, packs
from bot.sentiment import lexicon as lx
from bot.sentiment.chat_text import Token, _emoticon_value
from bot.sentiment.constructions import bare, modal_after, modal_before, ne_closer

_ELONGATED: Final = intensity.ELONGATED
# A negation reaches over this many unknown words ("not a very good", "isn't that great").
_NEGATION_REACH: Final = 3
# "not good" is mildly bad, "not bad" mildly good: Pattern's rule, kept for comparability.
_NEGATION_FACTOR: Final = -0.5
_TOO_COMPLAINT: Final = -0.4  # "zu viel", "c'est trop" with no adjective to turn round
_TOO_ADJECTIVE: Final = -0.3  # "too high", "zu klein": excess of a word with no polarity
# "couldn't be better" is top praise: at least this strong, or twice the comparative.
_TOP_PRAISE: Final = 0.7
_NEVER_SO: Final = 1.3  # "never had such a good": the negation strengthens instead
_BEFORE_BUT: Final = 0.5
_AFTER_BUT: Final = 1.5
_CAPS_FACTOR: Final = 1.25
_ELONGATION_FACTOR: Final = 1.2


def clamp(value: float) -> float:
    return -1.0 if value < -1.0 else 1.0 if value > 1.0 else value


def opinion_units(
    tokens: list[Token],
    pack: packs.LanguagePack,
    brand: frozenset[str],
    stretched: list[str] | None = None,
    turned: list[tuple[int, float]] | None = None,
) -> list[tuple[bool, float, float]]:
    """(is_word, polarity, subjectivity) for each opinion-bearing unit of a sentence.

    ``brand`` holds the brand lexicon's single words, which no built-in role (negation,
    intensifier, "but") may take over. Unknown words with a letter typed three times or more
    are added to ``stretched``. Comparatives a construction turned round ("could be better",
    "never had a better") are added to ``turned`` as (token index, polarity), so VADER's
    rules can read them the same way.
    """
    units: list[tuple[bool, float, float]] = []
    emit = units.append
    lookup = pack.find
    phrases = pack.phrases
    negations = pack.negations
    intensifiers = pack.intensifiers
    standalone = pack.standalone
    elision = pack.elision
    # German, Dutch and spoken French often negate after the verb ("gefällt mir nicht",
    # "reageert gewoon niet", "ça marche pas"): a negation that finds no opinion word
    # before its clause ends turns back to the last one before it.
    post_negations = pack.post_negations
    commentary = pack.commentary
    neg_at = -1  # units index where an unspent post-negation began
    contrast = pack.contrast
    but_at = -1  # units index where the last "but" clause began
    too_alone = pack.too_alone
    excess = False
    scope_breakers = pack.scope_breakers
    too_words = pack.too_words
    grammar = pack.grammar
    comparative = pack.comparative
    negated = 0  # remaining reach of a pending negation
    never = False  # the pending negation is "never"; a degree word makes it praise
    never_degree = False
    ne_at = -1  # token index of the closer of a French "ne" ("pas", "jamais")
    ne_spent = False  # whether the "ne" already negated a word before its closer
    clause_tok = 0  # token index where the current clause began
    mult = 1.0
    mult_reach = 0
    too = False
    too_at = -1  # token index just after the last "too" word
    # A praising intensifier ("super", "mega") not yet spent on a following word.
    pending = 0.0
    clause_start = 0  # index in units where the current clause began
    i = 0
    n = len(tokens)
    while i < n:
        kind, low, raw = tokens[i]
        i += 1
        if kind != "w":
            if kind == "p":
                if pending:
                    emit((True, pending, 0.8))
                if too and excess:
                    emit((True, _TOO_COMPLAINT, 0.8))
                if neg_at >= 0:
                    _negate_before(units, clause_start, neg_at)
                    neg_at = -1
                negated, never, ne_at = 0, False, -1
                mult, mult_reach, too, pending = 1.0, 0, False, 0.0
                clause_start, clause_tok = len(units), i
            elif kind == "e":
                value = lx.EMOJI.get(low)
                if value is not None:
                    emit((False, value, 1.0))
            elif kind == "m":
                emit((False, _emoticon_value(low), 1.0))
            else:  # "n/10" rating
                emit((False, (int(low.split("/")[0]) - 5) / 5.0, 1.0))
            continue
        closing = False  # this word closes a "ne" that already negated ("n'aime pas")
        if ne_at == i - 1:
            # "ne … pas" is one negation: the closer takes over from "ne" (a phrase such as
            # "pas top" carries it itself), or has nothing left to do.
            closing, ne_at, negated = ne_spent, -1, 0
        if elision and ("'" in low or "’" in low):
            low = low.replace("’", "'")
            if low not in phrases:  # "n'importe quoi" is a phrase, not a negation
                # French elision: "j'adore" reads "adore", "n'est" is a negation.
                head, _sep, low = low.rpartition("'")
                if head == "n":
                    negated, never, ne_at, ne_spent = _ne(tokens, i, pack, negated)
                if not low:
                    continue
        candidates = phrases.get(low)
        if candidates is not None:
            hit: float | None = None
            matched = False
            for rest, value in candidates:
                end = i + len(rest)
                if end <= n and all(tokens[i + k][1] == part for k, part in enumerate(rest)):
                    hit, matched = value, True
                    i = end
                    break
            if matched and hit is None:
                if not closing:
                    negated, never = _NEGATION_REACH, False
                    # "überhaupt nicht", "(j'aime) pas trop" may negate backwards too.
                    backwards = low in post_negations or tokens[i - 1][1] in post_negations
                    if neg_at < 0 and backwards:
                        neg_at = len(units)
                continue
            if matched and hit is not None:
                p = clamp(hit * mult)
                if negated:
                    p *= _NEGATION_FACTOR
                    neg_at = -1
                    ne_spent = True
                emit((True, p, 0.8 if hit else 0.0))
                negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                continue
        if low not in brand:
            if low in negations:
                if closing:
                    continue
                if low in grammar.ne:
                    negated, never, ne_at, ne_spent = _ne(tokens, i, pack, negated)
                    continue
                negated, never, never_degree = _NEGATION_REACH, low in grammar.never, False
                if neg_at < 0 and low in post_negations:
                    neg_at = len(units)
                continue
            if never and low in grammar.degree:
                never_degree = True  # "never so good", "nie so lecker", "nooit zo'n"
            if low in scope_breakers:
                if pending:
                    emit((True, pending, 0.8))
                if too and excess:
                    emit((True, _TOO_COMPLAINT, 0.8))
                if low in contrast:
                    but_at = len(units)
                if neg_at >= 0:
                    _negate_before(units, clause_start, neg_at)
                    neg_at = -1
                negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                never, ne_at = False, -1
                clause_start, clause_tok = len(units), i
                continue
            if low in too_words:
                too, too_at = True, i
                # "zu viel", "te veel", "c'est trop": excess with nothing to name is a
                # complaint too; "zu dritt", "zu Hause" and "me too" are not excess.
                excess = too_alone or (
                    i < n and tokens[i][1] in intensifiers and tokens[i][1] not in too_words
                )
                mult *= intensifiers.get(low, 1.2)
                mult_reach = 2
                continue
            boost = intensifiers.get(low)
            if boost is not None:
                mult *= boost
                mult_reach = 2
                pending = standalone.get(low, pending)
                continue
        emphasis = 1.0
        entry = lookup(low)
        if entry is None and len(low) > 2 and _ELONGATED.search(low) is not None:
            if stretched is not None:
                stretched.append(low)
            for form in (_ELONGATED.sub(r"\1\1", low), _ELONGATED.sub(r"\1", low)):
                boost = intensifiers.get(form)
                if boost is not None:
                    mult *= boost * _ELONGATION_FACTOR
                    mult_reach = 2
                    break
                entry = lookup(form)
                if entry is not None:
                    emphasis = _ELONGATION_FACTOR
                    break
            if boost is not None:
                continue
        if entry is None or (entry[0] == 0.0 and low not in brand):
            if too and too_at == i - 1 and low not in brand and pack.gradable(low):
                # "too high", "zu klein", "te lang": excess even of a neutral adjective,
                # right after "too" ("j'adore trop la nouvelle" is no excess of "nouvelle").
                p = clamp(_TOO_ADJECTIVE * mult)
                if negated:
                    p *= _NEGATION_FACTOR  # "not too big" is fine
                    neg_at = -1
                emit((True, p, 0.8))
                negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                continue
            # Unknown and neutral words ("much", "open") do not use up a pending
            # negation or intensifier: "used to be so much better".
            if entry is not None:
                emit((True, 0.0, entry[1]))
            if negated:
                negated -= 1
            if mult_reach:
                mult_reach -= 1
                if not mult_reach:
                    if pending:
                        emit((True, pending, 0.8))
                    mult, too, pending = 1.0, False, 0.0
            continue
        p, s = entry
        if len(raw) > 1 and raw.isupper():
            emphasis *= _CAPS_FACTOR
        direction = comparative(low) if low not in brand else None
        if direction is not None:
            at = i - 1
            counterfactual = modal_before(tokens, at, clause_tok, grammar, negations)
            if counterfactual is None:
                after = modal_after(tokens, at, grammar, negations)
                if after is not None:
                    counterfactual = (True, after[0])
                    i = after[1] + 1  # the negation in "beter kan niet" is spent here
            if counterfactual is not None:
                # "could be better" wishes for more; "couldn't be better" is top praise.
                if counterfactual[1] or negated:
                    p = math.copysign(max(_TOP_PRAISE, min(1.0, 2 * abs(direction))), direction)
                else:
                    p = _NEGATION_FACTOR * direction * mult
                emit((True, clamp(p * emphasis), max(s, 0.6)))
                if turned is not None:
                    turned.append((at, p))
                negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                neg_at, never, ne_spent = -1, False, True
                continue
        if too and p < 0.5:
            # "too sweet", "too loud": excess is a complaint whatever the adjective.
            p = min(p, -0.3) if p <= 0.0 else -max(0.3, p)
            p *= mult
        else:
            p *= mult * emphasis
        if (
            negated
            and never
            and (never_degree or direction is not None)
            and not (i < n and bare(tokens[i][1]) in grammar.comparison)
        ):
            # "never had a better", "noch nie so lecker": praise; "nie so gut wie" is not.
            p *= _NEVER_SO
            neg_at = -1
            if turned is not None:
                turned.append((i - 1, p))
        elif negated:
            p *= _NEGATION_FACTOR
            neg_at = -1
            ne_spent = True
        # Commentary ("leider") is not a unit a later negation can turn round.
        emit((low not in commentary, clamp(p), min(1.0, s * (mult if mult > 1.0 else 1.0))))
        negated, mult, mult_reach, too, pending, never = 0, 1.0, 0, False, 0.0, False
    if pending:
        emit((True, pending, 0.8))
    if too and excess:
        emit((True, _TOO_COMPLAINT, 0.8))
    if neg_at >= 0:
        _negate_before(units, clause_start, neg_at)
    if but_at >= 0:
        # What follows "but" is what the writer means (VADER's weighting).
        for k, (is_word, p, s) in enumerate(units):
            weight = _BEFORE_BUT if k < but_at else _AFTER_BUT
            units[k] = (is_word, clamp(p * weight), s)
    return units


def _ne(
    tokens: list[Token], i: int, pack: packs.LanguagePack, negated: int
) -> tuple[int, bool, int, bool]:
    """(negated, never, closer index, spent) after a French "ne" at ``tokens[i - 1]``."""
    closer = ne_closer(tokens, i, pack.grammar, pack.scope_breakers)
    if closer is None:  # "ne … que" is "only": no negation
        return negated, False, -1, False
    return _NEGATION_REACH, False, closer, False


def _negate_before(units: list[tuple[bool, float, float]], start: int, end: int) -> None:
    """Negate the last opinion word in ``units[start:end]`` (a negation that came after it)."""
    for k in range(end - 1, start - 1, -1):
        is_word, p, s = units[k]
        if is_word and p != 0.0:
            units[k] = (is_word, p * _NEGATION_FACTOR, s)
            return
