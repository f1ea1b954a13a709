"""Straightforward forms of near-duplicate detection (oracles for tests/test_reuse.py)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from analysis import config
from analysis.duplicates import _check_articles, _jaccard, _ordered, _pairs_frame, lsh_params, shingles
from analysis.segment import is_word, norm_token, token_strings


def near_duplicates_reference(
    articles: pd.DataFrame,
    *,
    k: int = 5,
    threshold: float = 0.5,
    num_perm: int = 128,
    text_column: str = "text",
) -> pd.DataFrame:
    """:func:`analysis.reuse.near_duplicates` with ``datasketch`` MinHash and MinHashLSH, every
    candidate verified exactly on string-shingle sets, no signature screen.
    ``attrs["n_candidates"]``: distinct pairs proposed by the LSH index.
    """
    _check_articles(articles, text_column)
    b, r = lsh_params(threshold, num_perm)
    ids = [str(d) for d in articles["doc_id"].tolist()]
    sets = [shingles(t, k=k) for t in articles[text_column].tolist()]
    keep = [i for i, s in enumerate(sets) if s]
    sigs = MinHash.bulk(
        [[x.encode("utf-8") for x in sorted(sets[i])] for i in keep], num_perm=num_perm, seed=config.RANDOM_SEED
    )
    lsh = MinHashLSH(num_perm=num_perm, params=(b, r))
    for i, m in zip(keep, sigs):
        lsh.insert(i, m, check_duplication=False)
    candidates: set[tuple[int, int]] = set()
    for i, m in zip(keep, sigs):
        for j in lsh.query(m):
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    rows = []
    for i, j in sorted(candidates):
        jac = _jaccard(sets[i], sets[j])
        if jac >= threshold:
            a, c = _ordered(ids[i], ids[j])
            rows.append((a, c, jac))
    out = _pairs_frame(rows)
    out.attrs.update({"n_candidates": len(candidates), "bands": b, "rows": r})
    return out


def exact_pairs(
    articles: pd.DataFrame,
    *,
    k: int = 5,
    threshold: float = 0.5,
    text_column: str = "text",
) -> pd.DataFrame:
    """:func:`analysis.reuse.near_duplicates` by the exact Jaccard of every pair.

    Quadratic in the number of articles.  The only shortcut is exact: a pair whose set
    sizes differ so much that min/max < *threshold* cannot reach it and is skipped.
    """
    _check_articles(articles, text_column)
    ids = [str(d) for d in articles["doc_id"].tolist()]
    sets = [shingles(t, k=k) for t in articles[text_column].tolist()]
    rows = []
    for i, j in combinations(range(len(ids)), 2):
        a, b = sets[i], sets[j]
        if not a or not b:
            continue
        la, lb = len(a), len(b)
        if min(la, lb) < threshold * max(la, lb):
            continue
        jac = _jaccard(a, b)
        if jac >= threshold:
            x, y = _ordered(ids[i], ids[j])
            rows.append((x, y, jac))
    return _pairs_frame(rows)


def shingle_ids_reference(texts: list[object], k: int) -> tuple[list[np.ndarray], list[str]]:
    """:func:`analysis.duplicates._shingle_ids` written straightforwardly: every shingle string
    built and looked up in a dict that gives each new string the next id."""
    vocab: dict[str, int] = {}
    out: list[np.ndarray] = []
    for text in texts:
        w = [norm_token(t) for t in token_strings(text) if is_word(t)] if isinstance(text, str) and text else []
        runs = [" ".join(w[i : i + k]) for i in range(len(w) - k + 1)] if len(w) >= k else ([" ".join(w)] if w else [])
        ids = np.unique(np.asarray([vocab.setdefault(s, len(vocab)) for s in runs], dtype=np.int64))
        out.append(ids.astype(np.int32 if len(vocab) < 2**31 else np.int64))
    dtype = np.int32 if len(vocab) < 2**31 else np.int64
    return [a.astype(dtype) for a in out], list(vocab)
