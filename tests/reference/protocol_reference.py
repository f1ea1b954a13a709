"""Reference implementation of :func:`analysis.protocol.match` (0.4.0): the normalised form and
the word flag of every token built one token at a time, for every sentence.  The oracle of the
version that maps the tokens through per-type caches and flags words only in sentences with a
match."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.protocol_measures import MATCH_COLUMNS, _effective_warmth, _negated, _resolve
from analysis.segment import add_tokens, is_word, norm_token


def match_reference(sentences: pd.DataFrame, *, lexicon: Any = None) -> pd.DataFrame:
    lex = _resolve(lexicon)
    sents = sentences if {"tokens", "spans"} <= set(sentences.columns) else add_tokens(sentences)
    rows: list[tuple[Any, ...]] = []
    for doc_id, sid, s0, text, toks, spans in zip(
        sents["doc_id"].tolist(), sents["sentence_id"].tolist(), sents["start"].tolist(),
        sents["text"].tolist(), sents["tokens"].tolist(), sents["spans"].tolist(),
    ):
        norms = [norm_token(t) for t in toks]
        isw = [is_word(w) for w in norms]
        for i, L, entry in lex.match_tokens(norms, toks):
            a = spans[i][0]
            b = spans[i + L - 1][1]
            neg = _negated(norms, isw, i)
            rows.append((doc_id, sid, a, b, entry.category, entry.id, text[a - s0 : b - s0],
                         _effective_warmth(entry.warmth, neg), neg, sum(isw[i : i + L])))
    out = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    out = out.astype({"sentence_id": "int64", "start": "int64", "end": "int64", "warmth": "int64",
                      "negated": "bool", "n_tokens": "int64"})
    return out.sort_values(["doc_id", "sentence_id", "start"], kind="mergesort").reset_index(drop=True)
