"""Straightforward forms of the word stream and of keyness (oracles for tests/test_phrases.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.phrase_association import _g2
from analysis.phrase_stream import WordStream, _check_sentences, _count, _doc_group_map
from analysis.segment import is_word, norm_token


def stream_reference(sentences: pd.DataFrame) -> WordStream:
    """The word stream of *sentences*, every token normalised in a loop."""
    doc_codes, doc_uniques = pd.factorize(sentences["doc_id"], sort=True)
    words = [[norm_token(t) for t in toks if is_word(t)] for toks in sentences["tokens"].tolist()]
    vocab = sorted({w for ws in words for w in ws})
    index = {w: i for i, w in enumerate(vocab)}
    lengths = np.array([len(ws) for ws in words], dtype=np.int64)
    ids = np.array([index[w] for ws in words for w in ws], dtype=np.int64)
    ends = np.cumsum(lengths)
    room = (np.repeat(ends, lengths) - np.arange(ids.size, dtype=np.int64)).astype(np.int32)
    doc = np.repeat(np.asarray(doc_codes, dtype=np.int64), lengths)
    return WordStream(ids, np.asarray(vocab, dtype=object), room, doc, list(doc_uniques), len(words))


def keyness_reference(
    sentences: pd.DataFrame,
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
    """:func:`analysis.phrases.keyness` by recounting target and reference and merging them."""
    _check_sentences(sentences)
    if basis not in ("tokens", "docs"):
        raise InputError(f"keyness: basis must be 'tokens' or 'docs', got {basis!r}")
    if formula not in ("dunning", "rayson"):
        raise InputError(f"keyness: formula must be 'dunning' or 'rayson', got {formula!r}")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"keyness: n must be a positive int, got {n!r}")
    mapping = _doc_group_map(sentences["doc_id"].unique().tolist(), articles, by)
    assert mapping is not None
    labels = sentences["doc_id"].map(mapping)
    tgt = str(target)
    if reference is None:
        ref_set = set(labels.tolist()) - {tgt}
    elif isinstance(reference, (str, int, np.integer)):
        ref_set = {str(reference)}
    else:
        ref_set = {str(r) for r in reference}  # type: ignore[union-attr]
    if tgt in ref_set:
        raise InputError(f"keyness: target {tgt!r} is also in the reference")
    if not (labels == tgt).any():
        raise InputError(f"keyness: no sentences in target group {tgt!r} of {by!r}")
    in_ref = labels.isin(ref_set)
    if not in_ref.any():
        raise InputError(f"keyness: no sentences in the reference group(s) of {by!r}")

    def table(mask: pd.Series) -> tuple[pd.DataFrame, int, int]:
        st = stream_reference(sentences.loc[mask])
        lev = _count(st, n)[-1]
        df = pd.DataFrame({"feature": pd.array(list(lev.features), dtype="str"), "frequency": lev.frequency,
                           "docfreq": lev.docfreq})
        return df, lev.n_tokens, st.n_docs

    t_df, t_tok, t_docs = table(labels == tgt)
    r_df, r_tok, r_docs = table(in_ref)
    df = t_df.merge(r_df, on="feature", how="outer", suffixes=("_target", "_reference"))
    for c in ("frequency_target", "frequency_reference", "docfreq_target", "docfreq_reference"):
        df[c] = df[c].fillna(0).astype("int64")
    if basis == "tokens":
        a, b, c, d = df["frequency_target"].to_numpy(), df["frequency_reference"].to_numpy(), t_tok, r_tok
    else:
        a, b, c, d = df["docfreq_target"].to_numpy(), df["docfreq_reference"].to_numpy(), t_docs, r_docs
    keep = (a + b) >= min_frequency
    df, a, b = df.loc[keep].reset_index(drop=True), a[keep], b[keep]
    if c == 0 or d == 0:
        raise InputError("keyness: target or reference has no n-gram tokens of this length")
    df["g2"] = _g2(a, b, float(c), float(d), formula)
    aa = np.where(a == 0, 0.5, a).astype(np.float64)
    bb = np.where(b == 0, 0.5, b).astype(np.float64)
    df["log_ratio"] = np.log2((aa / c) / (bb / d))
    df["p_value"] = [math.erfc(math.sqrt(abs(g) / 2.0)) for g in df["g2"].tolist()]
    df = df[["feature", "frequency_target", "frequency_reference", "docfreq_target", "docfreq_reference", "g2",
             "log_ratio", "p_value"]]
    df = df.sort_values(["g2", "feature"], ascending=[False, True], kind="mergesort", ignore_index=True)
    df.attrs.update({"size_target": int(c), "size_reference": int(d), "basis": basis})
    return df
