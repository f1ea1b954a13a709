"""Reference implementation of the cells of :func:`analysis.sentiment.dyad_tone` (0.3.0): one
pandas group per (pair, period) cell.  The oracle of the single-grouping fast path."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd


def dyad_tone_cells_reference(st: pd.DataFrame, key: str, *, n_boot: int, ci: float, seed: int,
                              min_articles: int) -> list[tuple]:
    """``(pair, period, n_sentences, n_articles, mean, ci_low, ci_high, low_support)`` per cell
    of *st* (columns *key*, ``period``, ``doc_id``, ``tone`` as float)."""
    rows = []
    alpha = (1 - ci) / 2
    for (dy, per), g in sorted(st.groupby([key, "period"]), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        per_doc = g.groupby("doc_id")["tone"].agg(["sum", "count"]).sort_index()
        sums, counts = per_doc["sum"].to_numpy(), per_doc["count"].to_numpy()
        mean = float(sums.sum() / counts.sum())
        low = len(sums) < min_articles
        if n_boot > 0 and not low:
            rng = np.random.default_rng([seed, zlib.crc32(f"{dy}|{per}".encode())])
            idx = rng.integers(0, len(sums), size=(n_boot, len(sums)))
            boots = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
            lo, hi = (float(v) for v in np.quantile(boots, [alpha, 1 - alpha]))
        else:
            lo = hi = float("nan")
        rows.append((dy, per, int(counts.sum()), int(len(sums)), mean, lo, hi, low))
    return rows
