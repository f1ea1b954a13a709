"""The word stream every phrase measure counts on, and the shared counting helpers.

Each sentence's ``tokens`` are reduced to *word tokens*: punctuation tokens are dropped
with :func:`analysis.segment.is_word` (a token is a word when it contains a letter or a
digit) and the rest are case-folded with :func:`analysis.segment.norm_token` (lower case,
typographic apostrophes straightened).  The possessive ``'s`` that the tokenizer splits off
is therefore a word token of its own ("the president 's visit"), as in the Penn Treebank.
n-grams and collocation windows **never cross a sentence boundary**; dropping punctuation
means an n-gram may span a comma inside a sentence.

Counting is vectorised with numpy: n-grams of length *n* are given integer ids by
repeatedly combining the id of the (n-1)-gram at position *i* with the token at *i+n-1*,
and n-grams whose frequency (or document frequency) is below the requested minimum are
pruned before the next length is counted (an n-gram can never be more frequent than the
(n-1)-grams it contains: the Apriori property, Agrawal & Srikant 1994).  Each length is
counted in chunks of about :data:`_CHUNK` n-gram tokens that share a range of prefixes (the
kept (n-1)-gram), so that the working memory beyond the stream is a few bytes per word token
plus one chunk's arrays; an n-gram's occurrences all lie in its chunk, so its counts, the
thresholds and the ids it gets are those of counting all at once.

Use the measures through :mod:`analysis.phrases`, which re-exports the public names.

References
----------
Agrawal, R., & Srikant, R. (1994). Fast algorithms for mining association rules.
*Proceedings of the 20th VLDB Conference*, 487-499.
"""

from __future__ import annotations

import operator
import os
import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.errors import InputError
from analysis.lexicon import load_stopwords
from analysis.schema import MISSING_GROUP, NGRAM_COLUMNS, period
from analysis.segment import is_word, norm_token

__all__ = [
    "WordStream",
    "word_stream",
    "stream_piece",
    "merge_streams",
]


#: Group label used when ``by`` is None.
ALL_GROUP = "all"

StopwordsArg = Collection[str] | str | os.PathLike[str] | None


def _resolve_stopwords(stopwords: StopwordsArg) -> frozenset[str]:
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        return load_stopwords(None if stopwords == "default" else stopwords)
    if isinstance(stopwords, os.PathLike):
        return load_stopwords(stopwords)
    return frozenset(norm_token(w) for w in stopwords)


def _ns(n: int | Sequence[int] | range) -> list[int]:
    """n-gram lengths: an int; a 2-tuple ``(lo, hi)`` = inclusive range; any other sequence = those values."""
    if isinstance(n, (int, np.integer)):
        vals = [int(n)]
    elif isinstance(n, tuple) and len(n) == 2:
        lo, hi = int(n[0]), int(n[1])
        if lo > hi:
            raise InputError(f"n=(lo, hi) needs lo <= hi, got {n!r}")
        vals = list(range(lo, hi + 1))
    else:
        vals = sorted({int(v) for v in n})
    if not vals or min(vals) < 1:
        raise InputError(f"n-gram lengths must be positive integers, got {n!r}")
    return vals


def _check_sentences(sentences: pd.DataFrame | WordStream) -> None:
    if isinstance(sentences, WordStream):
        return
    if not isinstance(sentences, pd.DataFrame):
        raise InputError("sentences must be a pandas DataFrame (see analysis.segment.segment_articles)")
    missing = [c for c in ("doc_id", "tokens") if c not in sentences.columns]
    if missing:
        raise InputError(f"sentences table lacks column(s) {', '.join(missing)} (use analysis.segment.segment_articles)")


def _doc_group_map(
    doc_ids: Sequence[object], articles: pd.DataFrame | None, by: str | None
) -> dict[object, str] | None:
    """doc_id -> group label, or None when ``by`` is None (*doc_ids*: those of the sentences).

    ``by`` is a column of *articles*; ``"year"``, ``"quarter"`` or ``"month"`` (when not a
    column) are derived from ``articles["date"]`` with :func:`period`.
    """
    if by is None:
        return None
    if articles is None:
        raise InputError(f"by={by!r} needs the articles table (articles=...)")
    if "doc_id" not in articles.columns:
        raise InputError("articles table lacks column doc_id")
    if by in articles.columns:
        vals = articles[by]
        lab = vals.astype(object).where(vals.notna(), MISSING_GROUP).map(str)
    elif by in ("year", "quarter", "month") and "date" in articles.columns:
        lab = period(articles["date"], freq=by)  # type: ignore[arg-type]
    else:
        raise InputError(f"articles table has no column {by!r} to group by")
    if articles["doc_id"].duplicated().any():
        dup = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise InputError(f"articles table has duplicate doc_id {dup!r}")
    mapping = dict(zip(articles["doc_id"].tolist(), lab.tolist()))
    unknown = sorted({d for d in doc_ids if d not in mapping}, key=str)
    if unknown:
        raise InputError(
            f"{len(unknown)} doc_id(s) of the sentences table are not in the articles table (first: {unknown[0]!r})"
        )
    return mapping


@dataclass(eq=False)
class WordStream:
    """The word tokens of a sentences table, normalised once, with sentence and document bookkeeping.

    Build it with :func:`word_stream` and pass it to :func:`ngrams`, :func:`bundles`,
    :func:`collocations`, :func:`keyness` or :func:`formulaicity` in place of the sentences
    table to normalise the tokens only once (the functions also cache the stream of the
    last few sentences tables they were given, so this is only needed to control that
    explicitly).  A stream is a snapshot: build a new one after changing the table.

    Attributes
    ----------
    ids
        int64 word id per position (word tokens of all sentences, concatenated in row order).
    vocab
        object array, word id -> word (sorted, so ids are deterministic).
    room
        int32, word tokens from this position to the end of its sentence (>= 1; only compared,
        never multiplied, so the narrow type cannot overflow).
    doc
        int64 document index per position (into *doc_ids*).
    doc_ids
        Sorted distinct ``doc_id`` of the sentences (including documents without words).
    n_sentences
        Number of sentences (rows).
    """

    ids: np.ndarray
    vocab: np.ndarray
    room: np.ndarray
    doc: np.ndarray
    doc_ids: list[object]
    n_sentences: int
    _memo: dict[object, object] = field(default_factory=dict, repr=False)

    @property
    def n_words(self) -> int:
        return int(self.ids.size)

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def subset(self, docs: np.ndarray) -> "WordStream":
        """The stream of the sentences of the documents with ``docs[doc index]`` True.

        Identical to building the stream from those rows of the sentences table (same ids,
        vocabulary of the subset's words, document indices among the subset's documents).
        """
        docs = np.asarray(docs, dtype=bool)
        pos = docs[self.doc] if self.doc.size else np.zeros(0, dtype=bool)
        sub_ids = self.ids[pos]
        used = _sorted_unique(sub_ids)
        ids = np.searchsorted(used, sub_ids).astype(np.int64)
        doc_new = np.cumsum(docs) - 1
        doc_ids = [d for d, k in zip(self.doc_ids, docs.tolist()) if k]
        return WordStream(ids, self.vocab[used], self.room[pos], doc_new[self.doc[pos]].astype(np.int64), doc_ids, -1)


def _build_stream(sentences: pd.DataFrame, toks: list[object]) -> WordStream:
    doc_codes, doc_uniques = pd.factorize(sentences["doc_id"], sort=True)
    S = len(toks)
    raw_len = np.fromiter((len(t) for t in toks), dtype=np.int64, count=S)  # type: ignore[arg-type]
    flat = list(chain.from_iterable(toks))  # type: ignore[arg-type]
    if flat:
        # is_word / norm_token are applied once per distinct raw token, then mapped back;
        # the vocabulary holds word tokens only (sorted, so ids are deterministic)
        raw_codes, raw_uniques = pd.factorize(pd.Series(flat, dtype=object))
        del flat
        raw_uniques = raw_uniques.tolist()
        isw = np.fromiter((is_word(u) for u in raw_uniques), dtype=bool, count=len(raw_uniques))
        word_raw = np.flatnonzero(isw)
        norm_codes, vocab = pd.factorize(
            pd.Series([norm_token(raw_uniques[i]) for i in word_raw.tolist()], dtype=object), sort=True
        )
        raw_to_id = np.full(len(raw_uniques), -1, dtype=np.int64)
        raw_to_id[word_raw] = norm_codes
        wmask = isw[raw_codes]
        ids = raw_to_id[raw_codes[wmask]]
        sent_of = np.repeat(np.arange(S, dtype=np.int64), raw_len)
        lengths = np.bincount(sent_of[wmask], minlength=S).astype(np.int64)
        del raw_codes, wmask, sent_of
        vocab_arr = np.asarray(vocab, dtype=object)
    else:
        ids = np.zeros(0, dtype=np.int64)
        vocab_arr = np.zeros(0, dtype=object)
        lengths = np.zeros(S, dtype=np.int64)
    ends = np.cumsum(lengths)
    room = (np.repeat(ends, lengths) - np.arange(ids.size, dtype=np.int64)).astype(np.int32)
    doc = np.repeat(np.asarray(doc_codes, dtype=np.int64), lengths)
    return WordStream(ids, vocab_arr, room, doc, list(doc_uniques), S)


def stream_piece(sentences: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The word stream of one partition's sentences in compact form, for :func:`merge_streams`.

    Returns
    -------
    (vocab, ids)
        The partition's sorted distinct normalised words (object array) and the int32 id of
        every word token into it, concatenated over the sentences in row order.
    """
    _check_sentences(sentences)
    st = _build_stream(sentences, sentences["tokens"].tolist())
    dtype = np.int32 if len(st.vocab) < 2**31 else np.int64
    return st.vocab, st.ids.astype(dtype)


def merge_streams(sentences: pd.DataFrame, pieces: Sequence[tuple[np.ndarray, np.ndarray]]) -> WordStream:
    """The :class:`WordStream` of *sentences* from the :func:`stream_piece` of each partition.

    Parameters
    ----------
    sentences
        The merged sentences table (``doc_id`` and ``n_words``, the word tokens per sentence;
        no ``tokens`` needed): the partitions' rows concatenated in partition order.
    pieces
        ``stream_piece`` of each partition, in the same order.

    Returns
    -------
    WordStream
        Identical to ``word_stream(sentences)`` on the table with its tokens (tested): the
        vocabulary is the sorted union of the pieces' vocabularies, ids are mapped into it.
    """
    for c in ("doc_id", "n_words"):
        if c not in sentences.columns:
            raise InputError(f"sentences table lacks column {c!r}")
    lengths = sentences["n_words"].to_numpy(dtype=np.int64)
    n_ids = sum(int(p[1].size) for p in pieces)
    if int(lengths.sum()) != n_ids:
        raise InputError(f"the stream pieces hold {n_ids} word tokens, the sentences table counts {int(lengths.sum())}")
    doc_codes, doc_uniques = pd.factorize(sentences["doc_id"], sort=True)
    if pieces:
        # one sorted factorisation over all local vocabularies gives every local word its global id
        codes, vocab = pd.factorize(pd.Series(np.concatenate([np.asarray(p[0], dtype=object) for p in pieces]),
                                              dtype=object), sort=True)
        codes = np.asarray(codes, dtype=np.int64)
        parts = []
        at = 0
        for local_vocab, local_ids in pieces:
            parts.append(codes[at : at + len(local_vocab)][local_ids])
            at += len(local_vocab)
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        vocab_arr = np.asarray(vocab, dtype=object)
    else:
        ids = np.zeros(0, dtype=np.int64)
        vocab_arr = np.zeros(0, dtype=object)
    ends = np.cumsum(lengths)
    room = (np.repeat(ends, lengths) - np.arange(ids.size, dtype=np.int64)).astype(np.int32)
    doc = np.repeat(np.asarray(doc_codes, dtype=np.int64), lengths)
    return WordStream(ids.astype(np.int64, copy=False), vocab_arr, room, doc, list(doc_uniques), len(sentences))


#: Streams of recently seen sentences tables: id(table) -> (weak reference to the table,
#: row hashes of its ``doc_id``, its ``tokens`` tuples when the stream was built, the stream).
_CACHE: dict[int, tuple[weakref.ref, np.ndarray, list[object], WordStream]] = {}
#: At most this many cached streams (oldest dropped first).
_CACHE_SIZE = 4


def _forget(key: int, ref: weakref.ref) -> None:
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is ref:
        del _CACHE[key]


def word_stream(sentences: pd.DataFrame | WordStream) -> WordStream:
    """The normalised word stream of a sentences table, built once and reused.

    Every measure of this module first reduces the sentences' ``tokens`` to lower-cased word
    tokens (module docstring).  This does it once: pass the result to the measures in place
    of the table.  Streams are also cached for the last 4 tables seen (held weakly: a
    table that is garbage-collected leaves the cache) and reused only while the table's
    ``tokens`` cells are the very same tuples and its ``doc_id`` values are unchanged
    (checked on every call, a few milliseconds; tables whose tokens are not all tuples are
    not cached).

    Parameters
    ----------
    sentences
        The sentences table (``doc_id``, ``tokens``), or a :class:`WordStream` (returned as is).

    Returns
    -------
    WordStream
    """
    if isinstance(sentences, WordStream):
        return sentences
    _check_sentences(sentences)
    toks = sentences["tokens"].tolist()
    doc_hash = pd.util.hash_pandas_object(sentences["doc_id"], index=False).to_numpy()
    key = id(sentences)
    hit = _CACHE.get(key)
    if (
        hit is not None
        and hit[0]() is sentences
        and len(hit[2]) == len(toks)
        and all(map(operator.is_, hit[2], toks))
        and np.array_equal(hit[1], doc_hash)
    ):
        return hit[3]
    ws = _build_stream(sentences, toks)
    if all(type(t) is tuple for t in toks):
        _CACHE.pop(key, None)
        while len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
        try:
            ref = weakref.ref(sentences, lambda r, k=key: _forget(k, r))
        except TypeError:  # pragma: no cover - DataFrames support weak references
            return ws
        _CACHE[key] = (ref, doc_hash, toks, ws)
    return ws


def _stream(sentences: pd.DataFrame | WordStream) -> WordStream:
    return word_stream(sentences)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """Distinct values of an int array by sorting (much faster than numpy's hash path here)."""
    if a.size == 0:
        return a
    a = np.sort(a)
    mask = np.empty(a.size, dtype=bool)
    mask[0] = True
    np.not_equal(a[1:], a[:-1], out=mask[1:])
    return a[mask]


def _unique_inverse(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for an int64 array, by hashing.

    Same result (sorted distinct values, index of each element's value); pandas' hash
    factorisation sorts only the distinct values, which is an order of magnitude faster than
    numpy's full argsort on the repetitive keys of n-gram counting.
    """
    codes, uniq = pd.factorize(np.asarray(key, dtype=np.int64), sort=True)
    return np.asarray(uniq, dtype=np.int64), np.asarray(codes, dtype=np.int64)


@dataclass
class _Level:
    """The counted n-grams of one length n (only those kept after pruning)."""

    n: int
    features: list[str]  # empty unless counted with strings=True (see _level_strings)
    first: np.ndarray  # token id of the first word per kept n-gram
    last: np.ndarray  # token id of the last word
    frequency: np.ndarray
    docfreq: np.ndarray
    positions: np.ndarray  # start positions of kept n-gram tokens (int32 below 2**31 tokens)
    position_ids: np.ndarray  # kept n-gram id at each of those positions (same dtype)
    n_tokens: int  # all n-gram tokens of length n (before pruning)
    prefix: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # kept (n-1)-gram id


#: Word tokens per counting chunk of :func:`_count` (bounds its memory; tests set it small).
_CHUNK = 250_000


def _chunk_bounds(weights: np.ndarray, chunk: int) -> np.ndarray:
    """Cut points 0 = b0 < b1 < ... = len(weights) so that each range [b_i, b_i+1) of values
    weighs at most about *chunk* (a single heavier value gets a range of its own)."""
    K = int(weights.size)
    if K == 0:
        return np.asarray([0, 0], dtype=np.int64)
    cum = np.cumsum(weights, dtype=np.int64)
    targets = np.arange(chunk, int(cum[-1]), chunk, dtype=np.int64)
    cuts = np.searchsorted(cum, targets, side="left") + 1
    return np.unique(np.concatenate(([0], cuts[cuts < K], [K]))).astype(np.int64)


def _level_strings(levels: list[_Level], i: int, sel: np.ndarray, vocab: np.ndarray) -> list[str]:
    """The kept n-grams *sel* of ``levels[i]`` as words joined by one space.

    Words are read back along the ``prefix`` chain (level i's n-gram -> its (n-1)-gram in
    level i-1 -> ...), so strings are built only for the n-grams asked for.
    """
    cols = []
    ids = np.asarray(sel, dtype=np.int64)
    for j in range(i, -1, -1):
        cols.append(vocab[levels[j].last[ids]].tolist())
        if j:
            ids = levels[j].prefix[ids]
    if len(cols) == 1:
        return cols[0]
    cols.reverse()
    return [" ".join(t) for t in zip(*cols)]


def _count(
    stream: WordStream,
    max_n: int,
    *,
    min_frequency: int = 1,
    min_docs: int = 1,
    strings: bool = True,
    positions: Collection[int] | None = None,
    position_ids: bool = True,
) -> list[_Level]:
    """Count n-grams of length 1..max_n with Apriori pruning (see module docstring).

    With ``strings=False`` the levels' ``features`` are left empty (ids, counts and
    positions only; :func:`_level_strings` builds the strings of chosen n-grams later),
    which saves building one string per distinct n-gram.  *positions*: the lengths whose
    levels keep ``positions``/``position_ids`` (None: all); the others get empty arrays,
    which saves two integers per n-gram token and level (``position_ids=False``: keep the
    positions only).

    Memory: the n-grams of one length are counted in chunks of prefixes (the kept
    (n-1)-gram, for n = 1 the word) holding about :data:`_CHUNK` n-gram tokens each.  An
    n-gram lies in exactly one chunk, so its frequency and document frequency are complete
    there and the thresholds apply at once; chunks are ranges of prefix ids, taken in
    increasing order, so the kept n-grams get the same ids (sorted keys) as when counted
    at once.  Besides the stream, a level then needs about 20 bytes per word token plus
    the chunk's working arrays, instead of some 50 bytes per word token.
    """
    N, V = stream.n_words, max(len(stream.vocab), 1)
    pos_dtype = np.int32 if N < 2**31 - 8 else np.int64
    levels: list[_Level] = []
    # per-token arrays (n-gram ids < N) in int32 below 2**31 tokens; every product is
    # formed in int64 (key, dkey)
    prev_id = np.full(N, -1, dtype=pos_dtype)
    prev_feats: list[str] = []
    prev_first = np.zeros(0, dtype=np.int64)
    for n in range(1, max_n + 1):
        n_tokens = int(np.count_nonzero(stream.room >= n))
        # prefix of the n-gram starting at each position (-1: no n-gram there)
        if n == 1:
            pref = stream.ids
            K = len(stream.vocab)
            weights = np.bincount(pref, minlength=K) if N else np.zeros(K, dtype=np.int64)
        else:
            pref = prev_id  # updated in place: the previous level keeps copies only (lev_ids)
            if N:
                ok = stream.room >= n
                ok[:-1] &= prev_id[1:] >= 0
                ok[-1] = False
                pref[~ok] = -1
                del ok
            K = int(prev_first.size)
            weights = np.bincount(pref + 1, minlength=K + 1)[1:]
        bounds = _chunk_bounds(weights, _CHUNK)
        del weights
        P = bounds.size - 1
        if P <= 1:
            order = np.flatnonzero(pref >= 0) if n > 1 else np.arange(N, dtype=np.int64)
            starts = np.asarray([0, order.size], dtype=np.int64)
        else:
            # chunk number of every position (P: none), positions grouped by chunk in
            # increasing order by a stable (radix) sort of the small codes
            code_t = np.uint16 if P < 2**16 - 1 else np.int64
            lut = np.repeat(np.arange(P, dtype=code_t), np.diff(bounds))
            code = np.full(N, P, dtype=code_t)
            has = pref >= 0
            code[has] = lut[pref[has]]
            del has, lut
            order = np.argsort(code, kind="stable").astype(pos_dtype)
            starts = np.concatenate(([0], np.cumsum(np.bincount(code, minlength=P + 1))[:P]))
            del code
        cur_id = np.full(N, -1, dtype=pos_dtype)
        k_uniq, k_freq, k_doc = [], [], []
        base = 0
        for c in range(max(P, 1)):
            idx = order[starts[c] : starts[c + 1]].astype(np.int64)
            key = pref[idx].astype(np.int64)
            if n > 1:  # = prefix id * V + id of the last word, in place
                key *= V
                key += stream.ids[idx + (n - 1)]
            uniq, inv = _unique_inverse(key)
            del key
            U = uniq.size
            freq = np.bincount(inv, minlength=U).astype(np.int64)
            if U:
                dkey = stream.doc[idx]
                dkey *= U
                dkey += inv
                dkey = _sorted_unique(dkey)
                docfreq = np.bincount(dkey % U, minlength=U).astype(np.int64)
                del dkey
            else:
                docfreq = np.zeros(0, dtype=np.int64)
            keep = (freq >= min_frequency) & (docfreq >= min_docs)
            new_id = np.cumsum(keep) - 1 + base
            kept_pos = keep[inv]
            cur_id[idx[kept_pos]] = new_id[inv[kept_pos]]
            k_uniq.append(uniq[keep])
            k_freq.append(freq[keep])
            k_doc.append(docfreq[keep])
            base += int(np.count_nonzero(keep))
            del idx, uniq, inv, freq, docfreq, keep, new_id, kept_pos
        del order, pref
        kuniq = np.concatenate(k_uniq) if k_uniq else np.zeros(0, dtype=np.int64)
        kfreq = np.concatenate(k_freq) if k_freq else np.zeros(0, dtype=np.int64)
        kdoc = np.concatenate(k_doc) if k_doc else np.zeros(0, dtype=np.int64)
        del k_uniq, k_freq, k_doc
        if n == 1:
            last = kuniq.astype(np.int64)
            first = last
            prefix = np.zeros(0, dtype=np.int64)
            feats = stream.vocab[last].tolist() if strings else []
        else:
            prefix = kuniq // V
            last = (kuniq % V).astype(np.int64)
            first = prev_first[prefix]
            if strings:
                lastw = stream.vocab[last].tolist()
                feats = [prev_feats[p] + " " + w for p, w in zip(prefix.tolist(), lastw)]
            else:
                feats = []
        if positions is None or n in positions:
            # int32 halves the two per-token arrays a level keeps (positions < 2**31 here)
            lev_pos = np.flatnonzero(cur_id >= 0).astype(pos_dtype)
            lev_ids = cur_id[lev_pos] if position_ids else np.zeros(0, dtype=pos_dtype)
        else:
            lev_pos = lev_ids = np.zeros(0, dtype=np.int64)
        levels.append(_Level(n, feats, first, last, kfreq, kdoc, lev_pos, lev_ids, n_tokens, prefix))
        del lev_pos, lev_ids
        prev_id = None
        prev_id, prev_feats, prev_first = cur_id, feats, first
        del cur_id
        if not kuniq.size:
            # nothing longer can survive; record empty levels for the remaining lengths
            for m in range(n + 1, max_n + 1):
                e = np.zeros(0, dtype=np.int64)
                levels.append(_Level(m, [], e, e, e, e, e, e, int(np.count_nonzero(stream.room >= m)), e))
            break
    return levels


def _groups(
    sentences: pd.DataFrame | WordStream, articles: pd.DataFrame | None, by: str | None
) -> list[tuple[str, WordStream]]:
    """(group label, stream) pairs in sorted group order (group streams cut from one stream)."""
    ws = _stream(sentences)
    mapping = _doc_group_map(ws.doc_ids, articles, by)
    if mapping is None:
        return [(ALL_GROUP, ws)]
    labels = np.asarray([mapping[d] for d in ws.doc_ids], dtype=object)
    out = []
    for g in sorted(set(labels.tolist()), key=str):
        out.append((str(g), ws.subset(labels == g)))
    return out


def _empty_ngrams() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": pd.Series([], dtype=object),
            "n": pd.Series([], dtype="int64"),
            "frequency": pd.Series([], dtype="int64"),
            "docfreq": pd.Series([], dtype="int64"),
            "rank": pd.Series([], dtype="int64"),
            "per_million": pd.Series([], dtype="float64"),
            "group": pd.Series([], dtype=object),
        }
    )


def _levels_table(
    levels: list[_Level], ns: list[int], stream: WordStream, group: str, stop: frozenset[str]
) -> pd.DataFrame:
    parts = []
    stop_ids = np.isin(stream.vocab, list(stop)) if stop else np.zeros(len(stream.vocab), dtype=bool)
    for i, lev in enumerate(levels):
        if lev.n not in ns or not lev.frequency.size:
            continue
        mask = ~(stop_ids[lev.first] | stop_ids[lev.last]) if stop else np.ones(lev.frequency.size, dtype=bool)
        if lev.features:
            feats = np.asarray(lev.features, dtype=object)[mask]
        else:  # strings only for the rows kept
            feats = np.asarray(_level_strings(levels, i, np.flatnonzero(mask), stream.vocab), dtype=object)
        parts.append(
            pd.DataFrame(
                {
                    "feature": feats,
                    "n": np.full(int(mask.sum()), lev.n, dtype=np.int64),
                    "frequency": lev.frequency[mask],
                    "docfreq": lev.docfreq[mask],
                }
            )
        )
    if not parts:
        return _empty_ngrams()
    df = pd.concat(parts, ignore_index=True)
    df["rank"] = df.groupby("n")["frequency"].rank(method="min", ascending=False).astype("int64")
    df["per_million"] = df["frequency"] / stream.n_words * 1e6 if stream.n_words else np.nan
    df["group"] = group
    return df


_NGRAM_ORDER: tuple[str, ...] = ("group", "n", "rank", "feature")


def _sort_ngrams(df: pd.DataFrame) -> pd.DataFrame:
    """Rows by group, n, rank and feature (strings in code-point order), columns in schema order.

    The order is computed by Arrow's ``sort_indices`` on the four key columns: the same order as
    ``df.sort_values([...], kind="mergesort")`` (``(group, n, feature)`` is unique, so there are no
    ties; UTF-8 byte order is code-point order), about 4x faster on a million rows, where pandas
    factorises the string keys first (tested against that form)."""
    keys = list(_NGRAM_ORDER)
    if len(df) and not df[keys].isna().any().any():
        order = pc.sort_indices(pa.Table.from_pandas(df[keys], preserve_index=False),
                                sort_keys=[(k, "ascending") for k in keys]).to_numpy()
        df = df.take(order).reset_index(drop=True)
    else:
        df = df.sort_values(keys, kind="mergesort", ignore_index=True)
    return df[list(NGRAM_COLUMNS) + [c for c in df.columns if c not in NGRAM_COLUMNS]]


def _counts_by_key(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an int array and how often each occurs."""
    if not key.size:
        return key, np.zeros(0, dtype=np.int64)
    key = np.sort(key)
    start = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    counts = np.diff(np.append(start, key.size)).astype(np.int64)
    return key[start], counts


def _memo_put(ws: WordStream, key: tuple[object, ...], value: object, *, kind: str, limit: int) -> None:
    """Remember *value* on the stream, keeping at most *limit* entries of this kind."""
    same = [k for k in ws._memo if isinstance(k, tuple) and k and k[0] == kind]
    for k in same[: max(0, len(same) - limit + 1)]:
        del ws._memo[k]
    ws._memo[key] = value
