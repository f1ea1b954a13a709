"""Association measures between words and between corpora: collocations and keyness.

Collocations are word pairs within a window inside a sentence, scored by PMI,
log-likelihood, t-score and logDice; keyness compares the frequencies of n-grams in a
target group of documents with a reference group (G2 and Log Ratio).  Both count on the
word stream of :mod:`analysis.phrase_stream`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.phrase_stream import (
    _CHUNK,
    StopwordsArg,
    WordStream,
    _check_sentences,
    _chunk_bounds,
    _count,
    _counts_by_key,
    _doc_group_map,
    _memo_put,
    _resolve_stopwords,
    _sorted_unique,
    _stream,
    _unique_inverse,
)

__all__ = [
    "collocations",
    "keyness",
    "keyness_docs",
]


_SMALL = 1e-20  # NLTK's association.py constant, reproduced for exact agreement


#: Co-occurrences per chunk of first words when counting collocation pairs (bounds the memory).
_PAIR_BLOCK = 1_000_000


def _pair_counts(
    st: WordStream, window: int, V: int, *, min_frequency: int = 1, min_docs: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ordered pairs (key x * V + y) within *window*, their frequency and docfreq,
    for the pairs with frequency >= *min_frequency* and docfreq >= *min_docs*.

    Counted in chunks of first words x (ranges of word ids with about :data:`_PAIR_BLOCK`
    co-occurrences each): every occurrence of a pair lies in the chunk of its first word,
    so its counts are complete there and the thresholds apply at once; chunks are taken in
    increasing order of x, so the result is sorted by key as if counted at once.  Memory is
    then about 3 int64 per co-occurrence of one chunk plus 10 bytes per word token, and
    only the pairs kept are accumulated.
    """
    N = st.n_words
    e = np.zeros(0, dtype=np.int64)
    if not N:
        return e, e, e
    weights = np.bincount(st.ids, minlength=len(st.vocab)) * (window - 1)
    bounds = _chunk_bounds(weights, _PAIR_BLOCK)
    del weights
    P = bounds.size - 1
    if P <= 1:
        order = np.arange(N, dtype=np.int64)
        starts = np.asarray([0, N], dtype=np.int64)
    else:
        # positions grouped by the chunk of their word, in increasing order (radix sort)
        code_t = np.uint16 if P < 2**16 else np.int64
        code = np.repeat(np.arange(P, dtype=code_t), np.diff(bounds))[st.ids]
        order = np.argsort(code, kind="stable").astype(np.int32 if N < 2**31 else np.int64)
        starts = np.concatenate(([0], np.cumsum(np.bincount(code, minlength=P))))
        del code
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for c in range(P):
        pos = order[starts[c] : starts[c + 1]].astype(np.int64)
        rooms = [pos[st.room[pos] > d] for d in range(1, window)]
        total = sum(int(r.size) for r in rooms)
        key = np.empty(total, dtype=np.int64)
        doc = np.empty(total, dtype=np.int64)
        at = 0
        for d, idx in enumerate(rooms, start=1):
            np.multiply(st.ids[idx], V, out=key[at : at + idx.size])
            key[at : at + idx.size] += st.ids[idx + d]
            doc[at : at + idx.size] = st.doc[idx]
            at += idx.size
        del rooms, pos
        uniq, inv = _unique_inverse(key)
        del key
        U = uniq.size
        freq = np.bincount(inv, minlength=U).astype(np.int64)
        if U:
            doc *= U
            doc += inv
            del inv
            docfreq = np.bincount(_sorted_unique(doc) % U, minlength=U).astype(np.int64)
        else:
            docfreq = freq
        del doc
        keep = (freq >= min_frequency) & (docfreq >= min_docs)
        parts.append((uniq[keep], freq[keep], docfreq[keep]))
        del uniq, freq, docfreq, keep
    if not parts:
        return e, e, e
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def collocations(
    sentences: pd.DataFrame | WordStream,
    *,
    window: int = 5,
    min_frequency: int = 5,
    min_docs: int = 2,
    measures: Sequence[str] = ("pmi", "log_likelihood", "t_score", "log_dice"),
    stopwords: StopwordsArg = None,
) -> pd.DataFrame:
    """Measure: word pairs co-occurring within a window, with association scores.

    Window semantics are those of NLTK's ``BigramCollocationFinder.from_words(tokens,
    window_size=window)``, applied to the word tokens of each sentence separately (the
    equivalent single NLTK stream is the sentences' word tokens joined with
    ``window - 1`` ``None`` separators): for each word *x* at position *i*, every word *y*
    at positions *i+1 .. i+window-1* of the same sentence counts one co-occurrence of the
    ordered pair (x, y).  ``window=2`` gives adjacent bigrams.

    Scores reproduce NLTK's ``BigramAssocMeasures`` on NLTK's counts: with f(xy) the
    co-occurrence count, f(x), f(y) word frequencies and N the number of word tokens,
    NLTK scales the pair count by 1/(window - 1) (Church & Hanks 1990):
    o = f(xy) / (window - 1), and

    * ``pmi`` = log2(o N / (f(x) f(y)))  (``BigramAssocMeasures.pmi``)
    * ``log_likelihood`` = 2 sum O ln(O / E) over the 2x2 table of o, f(x)-o, f(y)-o
      (``.likelihood_ratio``, Dunning 1993)
    * ``t_score`` = (o - f(x) f(y) / N) / sqrt(o)  (``.student_t``)
    * ``log_dice`` = 14 + log2(2 f(xy) / (f(x) + f(y))) (Rychlý 2008; unscaled count)

    Parameters
    ----------
    sentences
        The sentences table.
    window
        Window size in word tokens including the node word (>= 2; default 5).
    min_frequency
        Minimum co-occurrence count f(xy) (NLTK ``apply_freq_filter`` semantics; default 5).
    min_docs
        Minimum number of documents in which the pair co-occurs within the window (default 2).
    measures
        Any of ``"pmi", "log_likelihood", "t_score", "log_dice"``.
    stopwords
        As in :func:`ngrams`; pairs with a stopword on either side are dropped after
        counting (NLTK ``apply_word_filter`` semantics: word frequencies and N unchanged).

    Returns
    -------
    pandas.DataFrame
        ``feature`` ("x y"), ``w1``, ``w2``, ``frequency`` (f(xy)), ``docfreq``, then the
        requested measures.  Sorted by the first requested measure descending (by
        frequency when *measures* is empty), then feature.

    References
    ----------
    Church, K. W., & Hanks, P. (1990). Word association norms, mutual information, and
    lexicography. *Computational Linguistics*, 16(1), 22-29.

    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics*, 19(1), 61-74.

    Manning, C. D., & Schütze, H. (1999). *Foundations of Statistical Natural Language
    Processing*. MIT Press (ch. 5).

    Rychlý, P. (2008). A lexicographer-friendly association score. *Proceedings of Recent
    Advances in Slavonic Natural Language Processing (RASLAN)*, 6-9.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [
    ...     ("The", "sides", "met", "."), ("The", "sides", "agreed", "."), ("The", "sides", "met", "again", ".")]})
    >>> collocations(s, window=2, min_frequency=2, min_docs=1)[["feature", "frequency", "docfreq"]].values.tolist()
    [['sides met', 2, 2], ['the sides', 3, 2]]
    """
    _check_sentences(sentences)
    if window < 2:
        raise InputError(f"collocations: window must be >= 2, got {window}")
    allowed = ("pmi", "log_likelihood", "t_score", "log_dice")
    bad = [m for m in measures if m not in allowed]
    if bad:
        raise InputError(f"collocations: unknown measure(s) {', '.join(bad)}; choose from {', '.join(allowed)}")
    stop = _resolve_stopwords(stopwords)
    st = _stream(sentences)
    V = max(len(st.vocab), 1)
    uniq, freq, docfreq = _pair_counts(st, window, V, min_frequency=min_frequency, min_docs=min_docs)
    U = uniq.size
    w1, w2 = uniq // V, uniq % V
    keep = (freq >= min_frequency) & (docfreq >= min_docs)
    if stop:
        stop_ids = np.isin(st.vocab, list(stop))
        keep &= ~(stop_ids[w1] | stop_ids[w2])
    w1, w2, freq, docfreq = w1[keep], w2[keep], freq[keep], docfreq[keep]
    word_fd = np.bincount(st.ids, minlength=len(st.vocab)).astype(np.float64)
    fx, fy = word_fd[w1], word_fd[w2]
    N = float(st.n_words)
    o = freq / (window - 1.0)
    s1 = st.vocab[w1] if U else np.zeros(0, dtype=object)
    s2 = st.vocab[w2] if U else np.zeros(0, dtype=object)
    out = pd.DataFrame(
        {
            "feature": [a + " " + b for a, b in zip(s1.tolist(), s2.tolist())],
            "w1": pd.Series(s1.tolist(), dtype=object),
            "w2": pd.Series(s2.tolist(), dtype=object),
            "frequency": freq,
            "docfreq": docfreq,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in measures:
            if m == "pmi":
                out[m] = np.log2(o * N) - np.log2(fx * fy)
            elif m == "t_score":
                out[m] = (o - fx * fy / N) / np.sqrt(o + _SMALL)
            elif m == "log_dice":
                out[m] = 14.0 + np.log2(2.0 * freq / (fx + fy))
            elif m == "log_likelihood":
                n_ii = o
                n_oi = fy - o
                n_io = fx - o
                n_oo = N - n_ii - n_oi - n_io
                cont = (n_ii, n_oi, n_io, n_oo)
                total = np.zeros_like(o)
                for i in range(4):
                    exp = (cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / N
                    total = total + cont[i] * np.log(cont[i] / (exp + _SMALL) + _SMALL)
                out[m] = 2.0 * total
    sort_col = measures[0] if measures else "frequency"
    out = out.sort_values([sort_col, "feature"], ascending=[False, True], kind="mergesort", ignore_index=True)
    return out


def _g2(a: np.ndarray, b: np.ndarray, c: float, d: float, formula: str) -> np.ndarray:
    """Signed G2 for frequencies a (target), b (reference) in corpora of sizes c, d."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)

    def term(o: np.ndarray, e: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(o > 0, o * np.log(o / e), 0.0)

    tot = c + d
    e1 = c * (a + b) / tot
    e2 = d * (a + b) / tot
    g = term(a, e1) + term(b, e2)
    if formula == "dunning":
        e3 = c * (tot - a - b) / tot
        e4 = d * (tot - a - b) / tot
        g = g + term(c - a, e3) + term(d - b, e4)
    g = 2.0 * g
    g = np.maximum(g, 0.0)
    sign = np.where(a / c >= b / d, 1.0, -1.0)
    return sign * g


@dataclass
class _GroupCounts:
    """n-gram counts of one length per group of documents (sparse: only pairs that occur)."""

    groups: list[str]  # sorted group labels
    n: int
    n_features: int  # U: distinct n-grams of the whole stream
    freq_key: np.ndarray  # group index * U + n-gram id, sorted
    freq: np.ndarray  # occurrences of that n-gram in that group
    doc_key: np.ndarray  # same keys, for
    docfreq: np.ndarray  # documents of that group containing the n-gram
    n_tokens: np.ndarray  # n-gram tokens of length n per group
    n_docs: np.ndarray  # documents per group
    rep: np.ndarray  # one start position per n-gram id (its first occurrence)

    def dense(self, keys: np.ndarray, vals: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Sum of *vals* over the groups with ``groups[g]`` True, as an int64 array per n-gram id."""
        U = self.n_features
        take = groups[keys // U] if keys.size else np.zeros(0, dtype=bool)
        out = np.zeros(U, dtype=np.int64)
        np.add.at(out, keys[take] % U, vals[take])
        return out

    def strings(self, ws: WordStream, sel: np.ndarray) -> list[str]:
        """The n-grams with ids *sel* as words joined by one space."""
        if not sel.size:
            return []
        start = self.rep[sel]
        words = ws.vocab[ws.ids[start[:, None] + np.arange(self.n, dtype=np.int64)[None, :]]]
        if self.n == 1:
            return words[:, 0].tolist()
        return [" ".join(w) for w in words.tolist()]


def _concat_sorted(keys: list[np.ndarray], vals: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate (distinct keys, values) pieces and sort them by key."""
    if not keys:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    k, v = np.concatenate(keys), np.concatenate(vals)
    if len(keys) > 1:
        o = np.argsort(k, kind="stable")
        k, v = k[o], v[o]
    return k, v


def _group_counts(ws: WordStream, doc_labels: list[str], n: int) -> _GroupCounts:
    """Count every n-gram of length *n* once per group (memoised on the stream)."""
    memo_key = ("keyness", n, tuple(doc_labels))
    hit = ws._memo.get(memo_key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    groups = sorted(set(doc_labels))
    index = {g: i for i, g in enumerate(groups)}
    g_doc = np.asarray([index[lab] for lab in doc_labels], dtype=np.int64)
    G = len(groups)
    lev = _count(ws, n, strings=False, positions=(n,))[-1]
    U = int(lev.frequency.size)
    pos, pid = lev.positions, lev.position_ids  # int32 below 2**31 tokens, positions ascending
    del lev
    # counted in chunks of n-gram ids (about _CHUNK tokens each): an n-gram's counts are
    # complete in its chunk; the keys of different chunks differ, one sort at the end orders
    # them as if counted at once
    weights = np.bincount(pid, minlength=U)
    bounds = _chunk_bounds(weights, _CHUNK)
    P = bounds.size - 1
    if P <= 1:
        order = None
        starts = np.asarray([0, pid.size], dtype=np.int64)
    else:
        code_t = np.uint16 if P < 2**16 else np.int64
        order = np.argsort(np.repeat(np.arange(P, dtype=code_t), np.diff(bounds))[pid], kind="stable")
        order = order.astype(pos.dtype)
        starts = np.concatenate(([0], np.cumsum(np.add.reduceat(weights, bounds[:-1]))))
    del weights
    fk, fv, dk, dv = [], [], [], []
    for c in range(max(P, 1)):
        sel = slice(starts[c], starts[c + 1]) if order is None else order[starts[c] : starts[c + 1]]
        p_doc = ws.doc[pos[sel]]
        p_id = pid[sel].astype(np.int64)
        k, v = _counts_by_key(g_doc[p_doc] * U + p_id)
        fk.append(k)
        fv.append(v)
        pairs = _sorted_unique(p_doc * U + p_id) if U else p_id
        del p_doc, p_id
        k, v = _counts_by_key(g_doc[pairs // max(U, 1)] * U + pairs % max(U, 1))
        dk.append(k)
        dv.append(v)
        del pairs
    freq_key, freq = _concat_sorted(fk, fv)
    doc_key, docfreq = _concat_sorted(dk, dv)
    del fk, fv, dk, dv
    D = ws.n_docs
    per_doc = np.bincount(ws.doc[ws.room >= n], minlength=D) if D else np.zeros(0, dtype=np.int64)
    n_tokens = np.bincount(g_doc, weights=per_doc, minlength=G).astype(np.int64)  # exact below 2**53
    n_docs = np.bincount(g_doc, minlength=G).astype(np.int64)
    rep = np.zeros(U, dtype=np.int64)
    rep[pid[::-1]] = pos[::-1]
    gc = _GroupCounts(groups, n, U, freq_key, freq, doc_key, docfreq, n_tokens, n_docs, rep)
    _memo_put(ws, memo_key, gc, kind="keyness", limit=2)
    return gc


def keyness(
    sentences: pd.DataFrame | WordStream,
    articles: pd.DataFrame,
    *,
    by: str,
    target: object,
    reference: object | Sequence[object] | None = None,
    n: int = 1,
    min_frequency: int = 5,
    basis: Literal["tokens", "docs"] = "tokens",
    formula: Literal["dunning", "rayson"] = "dunning",
) -> pd.DataFrame:
    """Measure: keywords (or key n-grams) of a target group against a reference group.

    For each feature, with a = count in the target, b = count in the reference and c, d
    the sizes of target and reference, the 2x2 table is (a, b; c-a, d-b).

    * ``basis="tokens"``: counts are n-gram occurrences and sizes are the numbers of
      n-gram tokens of length *n* (for n = 1, word tokens).
    * ``basis="docs"``: counts are documents containing the feature (``docfreq``) and
      sizes are numbers of documents (sentences' distinct ``doc_id``): dispersion-robust
      keyness that one long or repetitive article cannot drive.

    ``g2`` is the log-likelihood ratio statistic G2 (Dunning 1993) of that 2x2 table,
    ``2 sum O ln(O/E)`` over the four cells (``formula="dunning"``, default), or over the
    two cells a and b only as in Rayson & Garside's (2000) frequency-list comparison
    (``formula="rayson"``; nearly equal when a << c and b << d).  It is **signed**:
    negative when the relative frequency in the target (a/c) is below the reference
    (b/d).  ``p_value`` = P(chi2 with 1 df >= |g2|), the usual large-sample
    approximation (no correction for multiple testing).

    ``log_ratio`` (Hardie 2014) = log2((a/c) / (b/d)), the binary log of the ratio of
    relative frequencies; a zero count is replaced by 0.5 before taking the ratio
    (Hardie's adjustment) so that features absent from one side get a finite value.

    Parameters
    ----------
    sentences, articles
        The sentences table (or its :func:`word_stream`) and the articles table (``doc_id``
        and the *by* column).  The n-grams of every group are counted once per sentences
        table, *by* grouping and *n*, and reused for every target and reference.
    by
        Column of *articles* defining groups (or ``"year"``/``"quarter"``/``"month"``, see
        :func:`period`).
    target
        The group value of the target corpus (compared as a string label).
    reference
        Group value(s) of the reference corpus; default: every other document.
    n
        n-gram length (default 1: single words).
    min_frequency
        Keep features with a + b >= *min_frequency* (in the unit of *basis*; default 5).
    basis
        ``"tokens"`` (default) or ``"docs"``.
    formula
        ``"dunning"`` (4-cell G2, default) or ``"rayson"`` (2-cell).

    Returns
    -------
    pandas.DataFrame
        ``feature, frequency_target, frequency_reference, docfreq_target,
        docfreq_reference, g2, log_ratio, p_value``; sorted by g2 descending, then feature.
        ``attrs`` holds ``size_target``, ``size_reference`` and ``basis``.

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics*, 19(1), 61-74.

    Rayson, P., & Garside, R. (2000). Comparing corpora using frequency profiling.
    *Proceedings of the Workshop on Comparing Corpora (ACL 2000)*, 1-6.

    Hardie, A. (2014). Log Ratio: An informal introduction. ESRC Centre for Corpus
    Approaches to Social Science (CASS), Lancaster University.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [
    ...     ("The", "sides", "met", "."), ("The", "sides", "agreed", "."), ("The", "sides", "met", "again", ".")]})
    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "source": ["X", "Y"]})
    >>> k = keyness(s, arts, by="source", target="X", min_frequency=1)
    >>> k[["feature", "frequency_target", "frequency_reference"]].values.tolist()
    [['agreed', 1, 0], ['sides', 2, 1], ['the', 2, 1], ['met', 1, 1], ['again', 0, 1]]
    """
    _check_sentences(sentences)
    if basis not in ("tokens", "docs"):
        raise InputError(f"keyness: basis must be 'tokens' or 'docs', got {basis!r}")
    if formula not in ("dunning", "rayson"):
        raise InputError(f"keyness: formula must be 'dunning' or 'rayson', got {formula!r}")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"keyness: n must be a positive int, got {n!r}")
    ws = _stream(sentences)
    mapping = _doc_group_map(ws.doc_ids, articles, by)
    assert mapping is not None
    doc_labels = [mapping[d] for d in ws.doc_ids]
    tgt = str(target)
    if reference is None:
        ref_set = set(doc_labels) - {tgt}
    elif isinstance(reference, (str, int, np.integer)):
        ref_set = {str(reference)}
    else:
        ref_set = {str(r) for r in reference}  # type: ignore[union-attr]
    if tgt in ref_set:
        raise InputError(f"keyness: target {tgt!r} is also in the reference")
    if tgt not in doc_labels:
        raise InputError(f"keyness: no sentences in target group {tgt!r} of {by!r}")
    if not ref_set.intersection(doc_labels):
        raise InputError(f"keyness: no sentences in the reference group(s) of {by!r}")

    gc = _group_counts(ws, doc_labels, int(n))
    in_t = np.array([g == tgt for g in gc.groups], dtype=bool)
    in_r = np.array([g in ref_set for g in gc.groups], dtype=bool)
    fa, fb = gc.dense(gc.freq_key, gc.freq, in_t), gc.dense(gc.freq_key, gc.freq, in_r)
    da, db = gc.dense(gc.doc_key, gc.docfreq, in_t), gc.dense(gc.doc_key, gc.docfreq, in_r)
    t_tok, r_tok = int(gc.n_tokens[in_t].sum()), int(gc.n_tokens[in_r].sum())
    t_docs, r_docs = int(gc.n_docs[in_t].sum()), int(gc.n_docs[in_r].sum())
    if basis == "tokens":
        a_all, b_all, c, d = fa, fb, t_tok, r_tok
    else:
        a_all, b_all, c, d = da, db, t_docs, r_docs
    # features of target or reference, in the order of the straightforward outer merge
    # (lexicographic), kept when a + b reaches min_frequency
    sel = np.flatnonzero(((fa + fb) > 0) & ((a_all + b_all) >= min_frequency))
    feats = gc.strings(ws, sel)
    order = sorted(range(len(feats)), key=feats.__getitem__)
    sel = sel[np.asarray(order, dtype=np.int64)]
    feats = [feats[i] for i in order]
    if c == 0 or d == 0:
        raise InputError("keyness: target or reference has no n-gram tokens of this length")
    a, b = a_all[sel], b_all[sel]
    df = pd.DataFrame(
        {
            "feature": pd.array(feats, dtype="str"),
            "frequency_target": fa[sel],
            "frequency_reference": fb[sel],
            "docfreq_target": da[sel],
            "docfreq_reference": db[sel],
        }
    )
    df["g2"] = _g2(a, b, float(c), float(d), formula)
    aa = np.where(a == 0, 0.5, a).astype(np.float64)
    bb = np.where(b == 0, 0.5, b).astype(np.float64)
    df["log_ratio"] = np.log2((aa / c) / (bb / d))
    df["p_value"] = [math.erfc(math.sqrt(abs(g) / 2.0)) for g in df["g2"].tolist()]
    df = df.sort_values(["g2", "feature"], ascending=[False, True], kind="mergesort", ignore_index=True)
    df.attrs.update({"size_target": int(c), "size_reference": int(d), "basis": basis})
    return df


def keyness_docs(
    sentences: pd.DataFrame | WordStream,
    articles: pd.DataFrame,
    *,
    by: str,
    target: object,
    reference: object | Sequence[object] | None = None,
    n: int = 1,
    min_frequency: int = 5,
    formula: Literal["dunning", "rayson"] = "dunning",
) -> pd.DataFrame:
    """:func:`keyness` with ``basis="docs"``: documents containing the feature vs not."""
    return keyness(
        sentences, articles, by=by, target=target, reference=reference, n=n,
        min_frequency=min_frequency, basis="docs", formula=formula,
    )
