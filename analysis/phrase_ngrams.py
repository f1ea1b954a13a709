"""n-grams, lexical bundles and formulaicity, counted on the word stream of :mod:`analysis.phrase_stream`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.phrase_stream import (
    StopwordsArg,
    WordStream,
    _check_sentences,
    _count,
    _doc_group_map,
    _empty_ngrams,
    _groups,
    _levels_table,
    _memo_put,
    _ns,
    _resolve_stopwords,
    _sort_ngrams,
    _stream,
)

__all__ = [
    "ngrams",
    "bundles",
    "formulaicity",
]


def ngrams(
    sentences: pd.DataFrame | WordStream,
    *,
    n: int | Sequence[int] = (1, 6),
    articles: pd.DataFrame | None = None,
    by: str | None = None,
    min_frequency: int = 1,
    stopwords: StopwordsArg = None,
) -> pd.DataFrame:
    """Measure: frequency list of word n-grams (never crossing a sentence boundary).

    Parameters
    ----------
    sentences
        The sentences table (``doc_id``, ``tokens``); see the module docstring for how
        tokens become lower-cased word tokens.
    n
        n-gram lengths: an int, a 2-tuple ``(lo, hi)`` meaning the inclusive range
        lo..hi (default ``(1, 6)``), or any other sequence listing the lengths.
    articles, by
        Optional grouping: ``by`` names a column of *articles* (e.g. ``"source"``), or
        ``"year"``/``"quarter"``/``"month"`` derived from ``articles["date"]`` (UTC, see
        :func:`period`).  Counts, ranks and per-million rates are computed within each group.
    min_frequency
        Keep n-grams occurring at least this many times within their group (default 1).
        Also prunes the counting of longer n-grams (much faster and smaller on big corpora).
    stopwords
        None (default: no filtering), ``"default"`` (the bundled list, :func:`load_stopwords`),
        a path to a stopword file, or a collection of words.  An n-gram is dropped when its
        **first or last** word is a stopword (for unigrams: the word is a stopword);
        stopwords inside an n-gram are kept ("minister of foreign affairs").  Totals for
        ``per_million`` still count every word token.

    Returns
    -------
    pandas.DataFrame
        ``feature`` (words joined by one space), ``n``, ``frequency`` (occurrences),
        ``docfreq`` (range: number of documents containing it), ``rank`` (1 = most
        frequent; ties share the minimum rank, "1224" competition ranking as in quanteda's
        ``textstat_frequency``; within group and n), ``per_million`` (frequency per million
        **word tokens** of the group, whatever n is), ``group`` (``"all"`` when *by* is
        None).  Sorted by group, n, rank, feature.

    References
    ----------
    Benoit, K., et al. (2018). quanteda: An R package for the quantitative analysis of
    textual data. *Journal of Open Source Software*, 3(30), 774.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [
    ...     ("The", "sides", "met", "."), ("The", "sides", "agreed", "."), ("The", "sides", "met", "again", ".")]})
    >>> ngrams(s, n=2, min_frequency=2)[["feature", "frequency", "docfreq"]].values.tolist()
    [['the sides', 3, 2], ['sides met', 2, 2]]
    """
    _check_sentences(sentences)
    ns = _ns(n)
    if min_frequency < 1:
        raise InputError(f"min_frequency must be >= 1, got {min_frequency}")
    stop = _resolve_stopwords(stopwords)
    parts = []
    for group, stream in _groups(sentences, articles, by):
        levels = _count(stream, max(ns), min_frequency=min_frequency, strings=False, positions=())
        parts.append(_levels_table(levels, ns, stream, group, stop))
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty_ngrams()
    return _sort_ngrams(pd.concat(parts, ignore_index=True))


#: Corpora smaller than this (word tokens) use the small-corpus bundle rule.
SMALL_CORPUS_WORDS = 1_000_000


def bundles(
    sentences: pd.DataFrame | WordStream,
    *,
    n: int | Sequence[int] = (3, 4, 5),
    min_per_million: float = 20.0,
    min_docs: int = 5,
    articles: pd.DataFrame | None = None,
    by: str | None = None,
    small_corpus_fallback: bool = True,
) -> pd.DataFrame:
    """Measure: lexical bundles, recurrent word sequences above frequency and range cut-offs.

    Two rules, decided per group and reported in the ``rule`` column (and in
    ``result.attrs["rules"]``, a dict group -> rule):

    ``"per_million"`` (Biber et al. 1999; Biber, Conrad & Cortes 2004)
        frequency >= *min_per_million* per million word tokens of the group **and**
        docfreq >= *min_docs*.  The default 20 per million lies between Biber et al.'s
        (1999) 10 and Biber, Conrad & Cortes's (2004) 40 per million; 5 documents is the
        range criterion of both.
    ``"small_corpus"`` (used when *small_corpus_fallback* and the group has fewer than
    1,000,000 word tokens)
        frequency >= 3 **and** docfreq >= max(2, ceil(0.05 x number of documents)).
        Reason: a per-million cut-off was designed for corpora of millions of words; in a
        corpus of 100,000 words 20 per million is 2 occurrences, so bundles would be
        decided by a handful of chance repeats (or by one article repeating its own lead
        paragraph), and 5 documents may be most of a small corpus.  Requiring three
        occurrences spread over at least 5 % of the documents (never fewer than 2) keeps
        the range criterion meaningful at any corpus size.

    Parameters
    ----------
    sentences
        The sentences table.
    n
        Bundle lengths (default 3, 4 and 5 words); same conventions as :func:`ngrams`.
    min_per_million, min_docs
        Cut-offs of the per-million rule.
    articles, by
        Optional grouping as in :func:`ngrams`; thresholds apply within each group and the
        number of documents is the number of distinct ``doc_id`` of the group's sentences.
    small_corpus_fallback
        Use the small-corpus rule for groups under 1 M word tokens (default True).

    Returns
    -------
    pandas.DataFrame
        The :func:`ngrams` columns plus ``rule``; ``rank`` is the rank among all n-grams
        of that length in the group.  Sorted by group, n, rank, feature.

    References
    ----------
    Biber, D., Johansson, S., Leech, G., Conrad, S., & Finegan, E. (1999). *Longman Grammar
    of Spoken and Written English*. Harlow: Longman (ch. 13).

    Biber, D., Conrad, S., & Cortes, V. (2004). If you look at...: Lexical bundles in
    university teaching and textbooks. *Applied Linguistics*, 25(3), 371-405.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [
    ...     ("The", "sides", "met", "."), ("The", "sides", "agreed", "."), ("The", "sides", "met", "again", ".")]})
    >>> bundles(s, n=2, min_docs=2)[["feature", "frequency", "docfreq", "rule"]].values.tolist()
    [['the sides', 3, 2, 'small_corpus']]
    """
    _check_sentences(sentences)
    ns = _ns(n)
    parts = []
    rules: dict[str, str] = {}
    for group, stream in _groups(sentences, articles, by):
        if small_corpus_fallback and stream.n_words < SMALL_CORPUS_WORDS:
            rule = "small_corpus"
            need_docs = max(2, math.ceil(0.05 * stream.n_docs))
            need_freq = 3
        else:
            rule = "per_million"
            need_docs = int(min_docs)
            # smallest integer frequency whose rate reaches min_per_million (pruning bound only)
            need_freq = max(1, math.floor(min_per_million * stream.n_words / 1e6))
        rules[group] = rule
        # pruning by frequency only: ranks stay those among all n-grams of the group
        levels = _count(stream, max(ns), min_frequency=need_freq, strings=False, positions=())
        df = _levels_table(levels, ns, stream, group, frozenset())
        if rule == "per_million":
            ok = (df["frequency"] >= need_freq) & (df["per_million"] >= min_per_million) & (df["docfreq"] >= need_docs)
        else:
            ok = (df["frequency"] >= need_freq) & (df["docfreq"] >= need_docs)
        df = df.loc[ok].copy()
        df["rule"] = rule
        parts.append(df)
    parts = [p for p in parts if len(p)]
    if parts:
        out = _sort_ngrams(pd.concat(parts, ignore_index=True))
    else:
        out = _empty_ngrams()
        out["rule"] = pd.Series([], dtype=object)
    out.attrs["rules"] = rules
    return out


def formulaicity(
    sentences: pd.DataFrame | WordStream,
    *,
    n: int | Sequence[int] = (3, 4),
    min_docs: int = 3,
    articles: pd.DataFrame | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Measure: share of each document's word tokens covered by recurrent n-grams.

    Definition: an n-gram (n in *n*, word tokens within a sentence, as in :func:`ngrams`)
    is **recurrent** when it occurs in at least *min_docs* distinct documents of the whole
    input (Biber's range criterion; counted corpus-wide, not per group).  A word token is
    **covered** when at least one recurrent n-gram occurrence includes it.  A document's
    formulaicity = covered word tokens / word tokens (0..1; NaN for a document without
    word tokens).  Overlapping occurrences cover a token once.  Note that near-duplicate
    documents make each other's n-grams recurrent: remove them first
    (:func:`analysis.reuse.near_duplicates`) if reuse should not count as formula.

    Parameters
    ----------
    sentences
        The sentences table.
    n
        n-gram lengths (default 3 and 4; conventions as in :func:`ngrams`).
    min_docs
        Range threshold in documents (default 3).
    articles, by
        When *by* is given, return the per-group table instead (see Returns).

    Returns
    -------
    pandas.DataFrame
        Per document (by None): ``doc_id, n_words, covered_tokens, formulaicity``, sorted by
        doc_id.  Per group: ``group, n_docs, n_words, covered_tokens, formulaicity``
        (mean of the documents' shares, documents without words excluded) and
        ``formulaicity_pooled`` (covered / words over the group), sorted by group.

    References
    ----------
    Wray, A. (2002). *Formulaic Language and the Lexicon*. Cambridge University Press.

    Biber, D. (2009). A corpus-driven approach to formulaic language in English:
    Multi-word patterns in speech and writing. *International Journal of Corpus
    Linguistics*, 14(3), 275-311.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [
    ...     ("The", "sides", "met", "."), ("The", "sides", "agreed", "."), ("The", "sides", "met", "again", ".")]})
    >>> formulaicity(s, n=2, min_docs=2)[["doc_id", "n_words", "covered_tokens"]].values.tolist()
    [['a', 6, 5], ['b', 4, 3]]
    """
    _check_sentences(sentences)
    ns = _ns(n)
    if min_docs < 1:
        raise InputError(f"formulaicity: min_docs must be >= 1, got {min_docs}")
    st = _stream(sentences)
    mapping = _doc_group_map(st.doc_ids, articles, by)
    memo_key = ("formulaicity", tuple(ns), int(min_docs))
    hit = st._memo.get(memo_key)
    if hit is None:
        levels = _count(st, max(ns), min_docs=min_docs, strings=False, positions=ns, position_ids=False)
        N = st.n_words
        # +1 where a recurrent n-gram starts, -1 after it ends; the start positions of one
        # level are distinct, so plain fancy-index updates are exact (no per-token temporaries)
        diff = np.zeros(N + 1, dtype=np.int32)
        for lev in levels:
            if lev.n in ns and lev.positions.size:
                diff[lev.positions] += 1
                diff[lev.positions + lev.n] -= 1
        del levels
        covered = np.cumsum(diff[:N], dtype=np.int32) > 0
        del diff
        D = st.n_docs
        hit = (
            np.bincount(st.doc, minlength=D).astype(np.int64),
            np.bincount(st.doc[covered], minlength=D).astype(np.int64),
        )
        _memo_put(st, memo_key, hit, kind="formulaicity", limit=4)
    n_words, n_cov = (x.copy() for x in hit)  # type: ignore[union-attr]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n_words > 0, n_cov / np.maximum(n_words, 1), np.nan)
    per_doc = pd.DataFrame(
        {"doc_id": pd.Series(st.doc_ids, dtype=object), "n_words": n_words, "covered_tokens": n_cov, "formulaicity": share}
    )
    if mapping is None:
        return per_doc
    per_doc["group"] = per_doc["doc_id"].map(mapping)
    g = per_doc.groupby("group", sort=True)
    out = pd.DataFrame(
        {
            "n_docs": g["doc_id"].size().astype("int64"),
            "n_words": g["n_words"].sum().astype("int64"),
            "covered_tokens": g["covered_tokens"].sum().astype("int64"),
            "formulaicity": g["formulaicity"].mean(),
        }
    ).reset_index()
    out["formulaicity_pooled"] = out["covered_tokens"] / out["n_words"].where(out["n_words"] > 0)
    return out.sort_values("group", kind="mergesort", ignore_index=True)
