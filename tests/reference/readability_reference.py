"""Reference implementations of :mod:`analysis.readability` (0.4.0): textstat's own functions
for every word (``count_syllables``, ``is_difficult_word``, ``list_words`` on each sentence) and
the MTLD pass that recomputes the type-token ratio at every token.  The oracles of the versions
with the syllable table read once from the CMU dictionary file, textstat's word rule applied
with precompiled patterns, and the MTLD pass that looks at repeated tokens only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from textstat.backend.counts import count_syllables
from textstat.backend.selections import list_words
from textstat.backend.validations import is_difficult_word

LANG = "en_US"


def word_info_reference(word: str) -> tuple[int, bool, bool]:
    """(syllables, difficult with >= 3 syllables, off the Dale-Chall list) by textstat."""
    return (int(count_syllables(word, LANG)), bool(is_difficult_word(word, 3, LANG)),
            bool(is_difficult_word(word, 0, LANG)))


def text_counts_reference(texts: Sequence[str]) -> dict[str, int]:
    """textstat's counts over several text pieces, word by word."""
    w = y = p = d3 = d0 = 0
    for text in texts:
        for word in list_words(text):
            syl, diff3, diff0 = word_info_reference(word)
            w += 1
            y += syl
            p += syl >= 3
            d3 += diff3
            d0 += diff0
    return {"words": w, "syllables": y, "polysyllables": p, "difficult3": d3, "difficult": d0}


def words_reference(texts: Sequence[str]) -> Counter[str]:
    """textstat's words of several pieces, counted."""
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(list_words(text))
    return seen


def mtld_pass_reference(tokens: Sequence[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    count = 0
    ttr = 1.0
    for tok in tokens:
        count += 1
        types.add(tok)
        ttr = len(types) / count
        if ttr <= threshold:
            factors += 1
            types = set()
            count = 0
            ttr = 1.0
    if count > 0:
        factors += (1 - ttr) / (1 - threshold)
    if factors == 0:
        factors = 1.0
    return len(tokens) / factors
