"""Near-duplicate articles: word shingles, MinHash/LSH candidates verified exactly, clusters.

A document is represented by its set of word *k*-shingles (default k = 5): consecutive
runs of k lower-cased word tokens (tokens of :func:`analysis.segment.tokenize`, punctuation
dropped with :func:`analysis.segment.is_word`, case-folded with
:func:`analysis.segment.norm_token`), taken over the whole text (shingles may span sentence
boundaries: reuse is a property of the running text).  Two documents are near-duplicates
when the Jaccard similarity of their shingle sets is >= a threshold (default 0.5;
Broder 1997).  Candidates come from MinHash signatures (``datasketch.MinHash``,
``num_perm`` = 128 permutations, ``seed`` = :data:`analysis.config.RANDOM_SEED`) banded
into the buckets of a ``datasketch.MinHashLSH`` index (Leskovec, Rajaraman & Ullman 2014,
ch. 3; the buckets are formed with numpy); **every candidate pair that passes the
signature screen below is verified with the exact shingle Jaccard**, so the output
contains no false positives, and misses only pairs the banding did not propose or the
screen dropped.  The banding
(b bands of r rows) is chosen so that a pair at exactly the threshold is proposed with
probability >= 0.99: 1 - (1 - t^r)^b >= 0.99 with the largest such r (fewest spurious
candidates); for t = 0.5 and 128 permutations that is r = 3, b = 42 (probability 0.9963,
higher for more similar pairs).  On formulaic text most pairs share some boilerplate and
collide in a band (about half of all pairs of the synthetic benchmark corpus), so before
the exact check a candidate must also agree in at least c of its num_perm signature
positions (:func:`min_agreement`): the agreement of a pair with Jaccard J is
Binomial(num_perm, J), and c is the largest cut with P(Binomial(num_perm, t) < c) <= 1e-4
(c = 43 of 128, an estimated Jaccard of 0.336, for t = 0.5), so the screen loses a pair at
the threshold with probability <= 1e-4 (less above it), on top of the banding's 0.0037.
Signatures are computed vectorised with exactly ``datasketch.MinHash``'s hash and
permutations and shingles are verified as sorted integer ids, so apart from the pairs the
screen drops the reported pairs and Jaccard values are those of the plain datasketch
implementation (the tests compare them with that plain form).

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents. *Proceedings of
Compression and Complexity of Sequences*, 21-29.

Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*
(2nd ed.). Cambridge University Press, ch. 3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

import numpy as np
import pandas as pd
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from analysis import config
from analysis.errors import InputError
from analysis.schema import NEAR_DUPLICATE_COLUMNS
from analysis.segment import is_word, norm_token, token_strings

__all__ = [
    "min_agreement",
    "shingles",
    "lsh_params",
    "near_duplicates",
    "duplicate_clusters",
]


def _words(text: object) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    return [norm_token(t) for t in token_strings(text) if is_word(t)]


def shingles(text: str, *, k: int = 5) -> set[str]:
    """Word k-shingles of *text*: the set of runs of *k* consecutive word tokens.

    Parameters
    ----------
    text
        Any string (``None``/NaN count as empty).
    k
        Shingle length in word tokens (default 5).

    Returns
    -------
    set of str
        Shingles as words joined by one space.  A text with fewer than *k* (but at least
        one) words has the single shingle of all its words; an empty text has none.

    Examples
    --------
    >>> sorted(shingles("The sides met. They agreed!", k=3))
    ['met they agreed', 'sides met they', 'the sides met']
    """
    if k < 1:
        raise InputError(f"shingles: k must be >= 1, got {k}")
    w = _words(text)
    if not w:
        return set()
    if len(w) < k:
        return {" ".join(w)}
    return {" ".join(w[i : i + k]) for i in range(len(w) - k + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def lsh_params(threshold: float, num_perm: int, *, recall: float = 0.99) -> tuple[int, int]:
    """LSH banding ``(b, r)`` for MinHash signatures of *num_perm* values.

    The largest number of rows per band r (with b = num_perm // r bands) such that a pair of
    Jaccard similarity exactly *threshold* becomes a candidate with probability
    1 - (1 - threshold^r)^b >= *recall*; r = 1 if none does.

    References
    ----------
    Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*, 3.4.
    """
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold must be in (0, 1], got {threshold}")
    for r in range(num_perm, 0, -1):
        b = num_perm // r
        if 1.0 - (1.0 - threshold**r) ** b >= recall:
            return b, r
    return num_perm, 1


def _word_ids(texts: Iterable[object]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Word tokens of every text as integer ids (:func:`_words`, one id per distinct word, in
    order of first occurrence): ``(ids of all texts concatenated, words per text, words by id)``.
    ``is_word``/``norm_token`` are evaluated once per distinct token.  The ids are int32 (int64
    past 2**31 distinct words): four bytes a word of the corpus."""
    cache: dict[str, int] = {}  # token -> word id, or -1 for punctuation
    word_id: dict[str, int] = {}
    parts: list[np.ndarray] = []  # int32 per text (Python ints would take 36 bytes a word)
    get = cache.get
    for text in texts:
        if not isinstance(text, str) or not text:
            parts.append(np.zeros(0, dtype=np.int32))
            continue
        row = []
        for t in token_strings(text):
            w = get(t)
            if w is None:
                w = cache[t] = word_id.setdefault(norm_token(t), len(word_id)) if is_word(t) else -1
            if w >= 0:
                row.append(w)
        parts.append(np.asarray(row, dtype=np.int32 if len(word_id) < 2**31 else np.int64))
    lengths = np.fromiter((len(r) for r in parts), dtype=np.int64, count=len(parts))
    dtype = np.int32 if len(word_id) < 2**31 else np.int64
    flat = np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
    return flat, lengths, list(word_id)


_STRING_BLOCK: Final = 65_536  # shingle strings built at a time by _shingle_ids
_RUN_BLOCK: Final = 1 << 22  # shingle occurrences sorted at a time into per-document sets


def _hash_strings(strings: list[str]) -> np.ndarray:
    """``datasketch``'s shingle hash, finalised: MurmurHash3's finaliser of ``sha1_hash32`` (uint32)."""
    return _fmix32(np.fromiter((sha1_hash32(s.encode("utf-8")) for s in strings), dtype=np.uint32, count=len(strings)))


def _shingle_ids(
    texts: Iterable[object], k: int, *, hashed: bool = False
) -> tuple[list[np.ndarray], list[str] | np.ndarray]:
    """Shingle sets as sorted arrays of integer ids (exact: one id per distinct shingle string).

    Returns the per-document id arrays (int32, or int64 past 2**31 distinct shingles; sorted,
    unique) and the shingle strings by id (ids in order of first occurrence: documents in
    order, shingles by position), or with *hashed* their hashes as MinHash takes them
    (:func:`_hash_strings`, uint32 by id; the strings are then built a block at a time and
    never held together).  Same sets as :func:`shingles`.

    Vectorised: a run of m words gets the id of its (m-1)-word prefix combined with its last
    word (``pandas.factorize``, m = 2..k), so the strings are built once per distinct shingle
    only; words never contain a space (tokens are cut at whitespace), so two runs are the
    same string exactly when they are the same words.  Memory: the corpus-long arrays are
    int32 positions and ids (int64 only for the keys being factorised, one level at a time),
    and the per-document sets are sorted a block of occurrences at a time.  The
    straightforward form (a string per shingle looked up in a dict) is
    ``tests/reference/reuse_reference.py``.
    """
    flat, lengths, words = _word_ids(texts)
    n_docs, n = len(lengths), int(flat.size)
    if n_docs == 0:
        return [], (np.zeros(0, dtype=np.uint32) if hashed else [])
    idx = np.int32 if n < 2**31 else np.int64  # positions, run ids and shingle ids: all < n
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    full = lengths >= k
    short = np.flatnonzero((lengths > 0) & ~full)  # documents of fewer than k words: one run of all of them
    short_key = np.zeros(short.size, dtype=np.int64)
    # level m: the id of the m words from each position (-1 where fewer than m words remain
    # in the text), from the level m - 1 id and the m-th word; only one level is held at a time
    room = np.repeat((starts + lengths).astype(idx), lengths)  # words to the text's end
    room -= np.arange(n, dtype=idx)
    cur = flat
    base = 0  # the keys of shorter runs lie below those of longer ones
    for m in range(1, k + 1):
        if m > 1:
            ok = room >= m  # then position + m - 1 < n: the m-th word is flat[m - 1:] under the same mask
            key = cur[ok].astype(np.int64)
            key *= len(words) + 1
            key += flat[m - 1 :][ok[: n - m + 1]]
            c, _ = pd.factorize(key, sort=False)
            del key
            cur = np.full(n, -1, dtype=idx)
            cur[ok] = c
            del ok, c
        sel = lengths[short] == m
        short_key[sel] = base + cur[starts[short[sel]]]
        if m < k:
            base += int(cur.max()) + 1 if n else 0
    del room
    # the runs of every document in order: its k-word runs, or its only (shorter) run
    n_runs = np.where(full, lengths - k + 1, np.where(lengths > 0, 1, 0))
    run_start = np.concatenate(([0], np.cumsum(n_runs)))  # runs of document d: run_start[d]:run_start[d + 1]
    pos = np.repeat((starts - run_start[:-1]).astype(idx), n_runs)
    pos += np.arange(int(run_start[-1]), dtype=idx)
    is_short = np.repeat(~full, n_runs)
    key = np.empty(pos.size, dtype=np.int64)
    key[~is_short] = base + cur[pos[~is_short]]
    key[is_short] = short_key  # one run per short document, in document order
    del cur, is_short
    ids = pd.factorize(key, sort=False)[0].astype(idx)  # ids in order of first occurrence
    del key
    n_ids = int(ids.max()) + 1 if ids.size else 0
    # the first run of every id (ids appear in increasing order of first occurrence)
    new = np.ones(ids.size, dtype=bool)
    new[1:] = ids[1:] > np.maximum.accumulate(ids)[:-1]
    first = np.flatnonzero(new).astype(idx)
    del new
    warr = np.asarray(words, dtype=object)
    fpos = pos[first]
    del pos
    fsize = np.where(full, k, lengths)[np.searchsorted(run_start, first, side="right") - 1]
    del first
    strings: list[str] = [] if hashed else [""] * n_ids
    hv = np.zeros(n_ids if hashed else 0, dtype=np.uint32)
    for m in np.unique(fsize).tolist():
        sel_m = np.flatnonzero(fsize == m)
        for b0 in range(0, sel_m.size, _STRING_BLOCK):  # a block of strings at a time (bounded lists)
            sel = sel_m[b0 : b0 + _STRING_BLOCK]
            cols = [warr[flat[fpos[sel] + j]].tolist() for j in range(m)]
            block = list(map(" ".join, zip(*cols)))
            if hashed:
                hv[sel] = _hash_strings(block)
            else:
                for q, text in zip(sel.tolist(), block):
                    strings[q] = text
    del fpos, fsize, warr, flat
    # per document: sorted distinct ids, a block of documents (about _RUN_BLOCK runs) at a time
    dtype = np.int32 if n_ids < 2**31 else np.int64  # halves the memory traffic of the exact intersections
    width = max(n_ids, 1)
    out: list[np.ndarray] = []
    d0 = 0
    while d0 < n_docs:
        d1 = max(d0 + 1, int(np.searchsorted(run_start, run_start[d0] + _RUN_BLOCK, side="right")) - 1)
        d1 = min(d1, n_docs)
        doc = np.repeat(np.arange(d1 - d0, dtype=np.int64), n_runs[d0:d1])
        both = _sorted_distinct(doc * width + ids[run_start[d0] : run_start[d1]])
        del doc
        vals = (both % width).astype(dtype)
        out.extend(np.split(vals, np.searchsorted(both // width, np.arange(1, d1 - d0))))
        d0 = d1
    return out, (hv if hashed else strings)


def _sorted_distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int array."""
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (as datasketch applies it before the affine permutations)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def _signatures(ids: list[np.ndarray], hv: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (docs x num_perm, uint32) of non-empty id sets, vectorised.

    Identical to ``datasketch.MinHash.bulk`` with default options (scheme ``affine32``:
    ``sha1_hash32`` of the UTF-8 shingle, MurmurHash3 finaliser, affine permutations
    ``a * h + b mod 2**32`` drawn from ``numpy.random.RandomState(seed)``; tested), but each
    distinct shingle is hashed once (*hv*: :func:`_hash_strings` of the shingles by id) and the
    permutations run on whole blocks of documents.
    """
    a, b = (np.asarray(p, dtype=np.uint32) for p in MinHash(num_perm=num_perm, seed=seed).permutations)
    sig = np.empty((len(ids), num_perm), dtype=np.uint32)
    a_col, b_col = a[:, None], b[:, None]
    block = max(1, 2**21 // num_perm)  # rows of (shingle x permutation) per block: ~8 MiB of uint32
    start = 0
    while start < len(ids):
        end, rows = start, 0
        while end < len(ids) and (end == start or rows + len(ids[end]) <= block):
            rows += len(ids[end])
            end += 1
        sizes = np.fromiter((len(ids[q]) for q in range(start, end)), dtype=np.int64, count=end - start)
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        h = hv[np.concatenate(ids[start:end])]
        # permutations x shingles in C order: each minimum runs along a contiguous row (several
        # times faster than along the columns of shingles x permutations; same values)
        phv = np.multiply(a_col, h[None, :])  # uint32 arithmetic wraps: mod 2**32
        phv += b_col
        sig[start:end] = np.minimum.reduceat(phv, offsets, axis=1).T
        start = end
    return sig


def min_agreement(threshold: float, num_perm: int, *, loss: float = 1e-4) -> int:
    """Signature-agreement cut: the largest c with P(Binomial(num_perm, threshold) < c) <= *loss*.

    Under the MinHash model each of the *num_perm* signature positions of two sets agrees
    independently with probability equal to their Jaccard similarity J, so the number of
    agreeing positions is Binomial(num_perm, J).  A pair with J >= *threshold* therefore has
    fewer than c agreeing positions with probability at most *loss* (the tail only shrinks as
    J grows).  For threshold 0.5 and 128 permutations: c = 43 (estimated Jaccard 0.336) for
    the default loss 1e-4, P(Binomial(128, 0.5) <= 42) = 6.3e-5; c = 37 (0.289) for loss
    1e-6, P(Binomial(128, 0.5) <= 36) = 3.9e-7.  ``loss=0`` gives the cut that drops only
    pairs that cannot reach the threshold (0 for threshold < 1).

    References
    ----------
    Broder, A. Z. (1997). On the resemblance and containment of documents.
    """
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold must be in (0, 1], got {threshold}")
    if num_perm < 1:
        raise InputError(f"num_perm must be >= 1, got {num_perm}")
    if not 0.0 <= loss < 1.0:
        raise InputError(f"loss must be in [0, 1), got {loss}")
    cdf = 0.0  # P(X <= c - 1)
    c = 0
    while c < num_perm:
        p_c = math.comb(num_perm, c) * threshold**c * (1.0 - threshold) ** (num_perm - c)
        if cdf + p_c > loss:
            break
        cdf += p_c
        c += 1
    return c


_SMALL_BUCKET: Final = 32  # buckets of fewer documents are screened as explicit pair lists


def _band_pairs(
    sig: np.ndarray, low: np.ndarray, *, bands: int, rows: int, cut: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Distinct pairs ``(i < j)`` that collide in at least one LSH band and pass the screen.

    For each band the documents are grouped by the band's *rows* signature values (exactly
    the buckets of ``datasketch.MinHashLSH`` with ``params=(bands, rows)``).  Within a bucket
    all pairs are screened on *low* (the low byte of every signature value): a pair is kept
    when at least *cut* bytes agree.  Equal values have equal low bytes, so the byte
    agreement is never below the agreement of the full signatures, and the screen keeps
    every pair whose full signatures agree in >= *cut* positions (plus the few whose bytes
    agree by chance).  Buckets of fewer than ``_SMALL_BUCKET`` documents are screened as
    explicit pair lists (all buckets of one size at once); in larger buckets (on formulaic
    text one bucket can hold half the corpus) the counts of a block of rows against the
    later members are accumulated one signature position at a time, without a pair list.

    Returns the arrays i, j (sorted by i, then j) and the number of (band, pair) collisions.
    """
    n, p = sig.shape
    codes: list[np.ndarray] = []
    collisions = 0
    for band in range(bands):
        cols = sig[:, band * rows : (band + 1) * rows]
        order = np.lexsort(cols.T[::-1]).astype(np.int64)  # stable: indices ascending within a bucket
        sc = cols[order]
        brk = np.ones(n, dtype=bool)
        brk[1:] = (sc[1:] != sc[:-1]).any(axis=1)
        starts = np.flatnonzero(brk)
        sizes = np.diff(np.append(starts, n))
        collisions += int((sizes * (sizes - 1) // 2).sum())
        # small buckets: explicit pair lists, all buckets of one size at once
        for m in sorted(set(sizes[(sizes >= 2) & (sizes < _SMALL_BUCKET)].tolist())):
            members = order[starts[sizes == m][:, None] + np.arange(m)]
            iu, ju = np.triu_indices(m, 1)
            i, j = members[:, iu].ravel(), members[:, ju].ravel()
            for c0 in range(0, len(i), 2**15):
                ci, cj = i[c0 : c0 + 2**15], j[c0 : c0 + 2**15]
                ok = (low[ci] == low[cj]).sum(axis=1, dtype=np.int32) >= cut
                codes.append(ci[ok] * n + cj[ok])
        # large buckets: agreement counts accumulated position by position over blocks of rows
        for s0, m in zip(starts[sizes >= _SMALL_BUCKET].tolist(), sizes[sizes >= _SMALL_BUCKET].tolist()):
            g = order[s0 : s0 + m]
            lt = np.ascontiguousarray(low[g].T)  # positions x bucket members, C order
            step = max(1, 2**20 // m)  # ~1 MiB of counts per block
            for r0 in range(0, m - 1, step):
                r1 = min(m - 1, r0 + step)
                acc = np.zeros((r1 - r0, m - r0 - 1), dtype=np.uint8 if p <= 255 else np.uint16)
                for q in range(p):
                    acc += lt[q, r0:r1, None] == lt[q, None, r0 + 1 :]
                a, b = np.nonzero(acc >= cut)
                # column b of the block is bucket member r0 + 1 + b, after row r0 + a when b >= a
                keep = b >= a
                codes.append(g[a[keep] + r0] * n + g[b[keep] + r0 + 1])
    u = np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)
    if not len(u):
        return u, u.copy(), collisions
    u.sort()  # sort-based distinct values (numpy's hash-based np.unique is slower here)
    u = u[np.r_[True, u[1:] != u[:-1]]]
    return u // n, u % n, collisions


_FREQUENT_SHINGLES: Final = 4096  # shingles held as bitsets in the exact intersections


def _intersections(
    sets: list[np.ndarray],
    ci: np.ndarray,
    cj: np.ndarray,
    vocab_size: int,
    *,
    threshold: float | None = None,
) -> np.ndarray:
    """Exact ``|sets[i] & sets[j]|`` for the pairs ``(ci, cj)`` (sorted by ci).

    The :data:`_FREQUENT_SHINGLES` shingles occurring in most documents (ties by id) are
    held as one bitset per document and intersected with AND and popcount; the other
    shingles of each left document are marked in a boolean table over the vocabulary and
    the other shingles of all its partners looked up in one gather.  With *threshold*, a
    pair whose upper bound (frequent intersection + the smaller count of other shingles)
    gives a Jaccard below *threshold* is not completed and gets -1: its Jaccard, which
    cannot exceed that bound, is below the threshold.
    """
    out = np.zeros(len(ci), dtype=np.int64)
    if not len(ci):
        return out
    n = len(sets)
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    df = np.zeros(vocab_size, dtype=np.int64)
    for s in sets:
        df[s] += 1  # ids are unique within a set
    top = np.argsort(-df, kind="stable")[: min(_FREQUENT_SHINGLES, int((df >= 2).sum()))]
    del df
    words = max(1, -(-len(top) // 64))
    slot = np.full(vocab_size, -1, dtype=np.int32)
    slot[top] = np.arange(len(top), dtype=np.int32)
    bits = np.zeros((n, words), dtype=np.uint64)
    rare: list[np.ndarray] = []
    for d, s in enumerate(sets):
        fs = slot[s]
        is_f = fs >= 0
        f = fs[is_f]
        np.bitwise_or.at(bits[d], f >> 6, np.left_shift(np.uint64(1), (f & 63).astype(np.uint64)))
        rare.append(s[~is_f])
    n_rare = np.fromiter((len(x) for x in rare), dtype=np.int64, count=n)
    mark = np.zeros(vocab_size, dtype=bool)
    starts = np.flatnonzero(np.r_[True, ci[1:] != ci[:-1]])
    ends = np.r_[starts[1:], len(ci)]
    for s, e in zip(starts.tolist(), ends.tolist()):
        i = int(ci[s])
        js = cj[s:e]
        inter = np.bitwise_count(bits[js] & bits[i]).sum(axis=1, dtype=np.int64)
        todo = np.arange(len(js))
        if threshold is not None:
            upper = inter + np.minimum(n_rare[i], n_rare[js])
            open_ = upper / (sizes[i] + sizes[js] - upper) >= threshold
            inter[~open_] = -1
            todo = todo[open_]
        if len(todo) and n_rare[i]:
            mark[rare[i]] = True
            partners = [rare[j] for j in js[todo].tolist()]
            lens = np.fromiter((len(x) for x in partners), dtype=np.int64, count=len(partners))
            hits = mark[np.concatenate(partners)] if lens.sum() else np.zeros(0, dtype=bool)
            counts = np.zeros(len(todo), dtype=np.int64)
            nonempty = lens > 0
            if nonempty.any():
                counts[nonempty] = np.add.reduceat(hits, np.r_[0, np.cumsum(lens)[:-1]][nonempty], dtype=np.int64)
            inter[todo] += counts
            mark[rare[i]] = False
        out[s:e] = inter
    return out


def _check_articles(articles: pd.DataFrame, text_column: str) -> None:
    if not isinstance(articles, pd.DataFrame):
        raise InputError("articles must be a pandas DataFrame")
    missing = [c for c in ("doc_id", text_column) if c not in articles.columns]
    if missing:
        raise InputError(f"articles table lacks column(s) {', '.join(missing)}")
    if articles["doc_id"].duplicated().any():
        dup = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise InputError(f"articles table has duplicate doc_id {dup!r}")


def _pairs_frame(rows: Iterable[tuple[str, str, float]]) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(NEAR_DUPLICATE_COLUMNS))
    out = out.astype({"doc_id_a": object, "doc_id_b": object, "jaccard": "float64"})
    return out.sort_values(["doc_id_a", "doc_id_b"], kind="mergesort", ignore_index=True)


def _ordered(a: object, b: object) -> tuple[str, str]:
    sa, sb = str(a), str(b)
    return (sa, sb) if sa < sb else (sb, sa)


def near_duplicates(
    articles: pd.DataFrame,
    *,
    k: int = 5,
    threshold: float = 0.5,
    num_perm: int = 128,
    text_column: str = "text",
    screen_loss: float = 1e-4,
) -> pd.DataFrame:
    """Measure: pairs of near-duplicate articles (MinHash/LSH candidates, exact verification).

    Candidates are the pairs that collide in at least one LSH band (``lsh_params``), exactly
    as ``datasketch.MinHashLSH`` proposes them; a candidate whose MinHash signatures agree in
    fewer than :func:`min_agreement` positions (43 of 128 for threshold 0.5, an estimated
    Jaccard below 0.336) is dropped without the exact check (a pair with Jaccard >= *threshold*
    is dropped with probability <= 1e-6); every other candidate is verified with the exact
    shingle Jaccard.  The signatures are those of ``datasketch.MinHash`` (same hash and
    permutations), computed vectorised.

    Parameters
    ----------
    articles
        Table with ``doc_id`` (unique) and *text_column*.
    k
        Shingle length in words (default 5).
    threshold
        Minimum Jaccard similarity of the shingle sets (default 0.5).
    num_perm
        MinHash permutations (default 128); seed :data:`analysis.config.RANDOM_SEED`.
    text_column
        Column with the text (default ``"text"``, the cleaned body).
    screen_loss
        Bound on the probability that the signature screen drops a pair of Jaccard exactly
        *threshold* (default 1e-4; see :func:`min_agreement`); ``0`` turns the screen off.

    Returns
    -------
    pandas.DataFrame
        ``doc_id_a, doc_id_b, jaccard`` (exact shingle Jaccard, 0..1), one row per pair with
        jaccard >= *threshold*, ``doc_id_a < doc_id_b`` (as strings), sorted by both ids.
        ``attrs``: ``n_collisions`` ((band, pair) collisions, counting a pair once per band it
        collides in), ``n_verified`` (distinct candidates that passed the signature screen and
        were checked exactly: with the shingle intersection, or with an exact upper bound
        on it when that bound already puts the pair below *threshold*), ``min_agreement``, ``bands``, ``rows``.
        Documents without words are never paired.

    References
    ----------
    Broder, A. Z. (1997). On the resemblance and containment of documents.

    Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*, ch. 3.
    """
    _check_articles(articles, text_column)
    b, r = lsh_params(threshold, num_perm)
    cut = min_agreement(threshold, num_perm, loss=screen_loss)
    ids = [str(d) for d in articles["doc_id"].tolist()]
    sets, hv = _shingle_ids(articles[text_column].tolist(), k, hashed=True)
    keep = np.array([i for i, s in enumerate(sets) if len(s)], dtype=np.int64)
    sig = _signatures([sets[i] for i in keep.tolist()], hv, num_perm=num_perm, seed=config.RANDOM_SEED)
    low = (sig & np.uint32(0xFF)).astype(np.uint8)
    ci, cj, collisions = _band_pairs(sig, low, bands=b, rows=r, cut=cut)
    ci, cj = keep[ci], keep[cj]
    inter = _intersections(sets, ci, cj, len(hv), threshold=threshold)
    rows = []
    for i, j, n_common in zip(ci.tolist(), cj.tolist(), inter.tolist()):
        if n_common < 0:
            continue  # bounded below the threshold
        jac = n_common / (len(sets[i]) + len(sets[j]) - n_common)
        if jac >= threshold:
            a, c = _ordered(ids[i], ids[j])
            rows.append((a, c, jac))
    out = _pairs_frame(rows)
    out.attrs.update({"n_collisions": collisions, "n_verified": len(ci), "min_agreement": cut, "bands": b, "rows": r})
    return out


def duplicate_clusters(pairs: pd.DataFrame) -> pd.DataFrame:
    """Measure: connected components of the near-duplicate graph.

    Parameters
    ----------
    pairs
        A near_duplicates table (``doc_id_a, doc_id_b``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, cluster, cluster_size`` for every document in at least one pair;
        ``cluster`` is the smallest doc_id (as string) of the component, so ids are
        deterministic.  Sorted by cluster, doc_id.

    Examples
    --------
    >>> pairs = pd.DataFrame({"doc_id_a": ["a", "b", "x"], "doc_id_b": ["b", "c", "y"]})
    >>> duplicate_clusters(pairs).values.tolist()
    [['a', 'a', 3], ['b', 'a', 3], ['c', 'a', 3], ['x', 'x', 2], ['y', 'x', 2]]
    """
    missing = [c for c in ("doc_id_a", "doc_id_b") if c not in pairs.columns]
    if missing:
        raise InputError(f"pairs table lacks column(s) {', '.join(missing)}")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(pairs["doc_id_a"].map(str).tolist(), pairs["doc_id_b"].map(str).tolist()):
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo  # the root is always the smallest id of the component
    docs = sorted(parent)
    clusters = [find(d) for d in docs]
    out = pd.DataFrame({"doc_id": pd.Series(docs, dtype=object), "cluster": pd.Series(clusters, dtype=object)})
    out["cluster_size"] = out.groupby("cluster")["doc_id"].transform("size").astype("int64")
    return out.sort_values(["cluster", "doc_id"], kind="mergesort", ignore_index=True)
