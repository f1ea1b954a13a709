"""Table I/O of a run: the tables :func:`analysis.pipeline.run` writes, as CSV, and reading them back.

Layer 2 (pandas, :mod:`analysis.errors`); :mod:`analysis.pipeline` re-exports every name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .errors import InputError

__all__ = ["TABLES", "write_tables", "read_tables"]

#: Tables written by :func:`analysis.pipeline.run`, in order.
TABLES: tuple[str, ...] = (
    "articles",
    "cleaning_report",
    "removals",
    "cleaning_summary",
    "sentences",
    "mentions",
    "protocol_matches",
    "protocol_measures",
    "protocol_counts",
    "readability",
    "ngrams",
    "bundles",
    "collocations",
    "keyness",
    "formulaicity",
    "formulaicity_groups",
    "templates",
    "template_fillers",
    "template_changes",
    "near_duplicates",
    "duplicate_clusters",
    "sentence_tone",
    "article_tone",
    "dyad_tone",
    "dyad_tone_directed",
    "events",
)


_ARTICLE_COLUMNS = ["doc_id", "title", "date", "period", "source", "url", "text"]


def _for_csv(name: str, df: pd.DataFrame) -> pd.DataFrame:
    if name == "articles":
        df = df[[c for c in _ARTICLE_COLUMNS if c in df.columns]]
    df = df.drop(columns=[c for c in ("tokens", "spans") if c in df.columns])
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda t: "" if pd.isna(t) else pd.Timestamp(t).isoformat())
    return out


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write every table of :data:`TABLES` present in *tables* as ``<name>.csv`` (UTF-8, "\\n")."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if name not in tables:
            continue
        path = d / f"{name}.csv"
        _for_csv(name, tables[name]).to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    return written


def read_tables(tables_dir: str | os.PathLike[str], *, names: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read a run's tables back (strings stay strings; ``date`` columns become UTC timestamps).

    *names*: only these tables (default: every table of :data:`TABLES` that exists)."""
    d = Path(tables_dir)
    if not d.is_dir():
        raise InputError(f"tables folder not found: {d}")
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        if names is not None and name not in names:
            continue
        path = d / f"{name}.csv"
        if not path.exists():
            continue
        try:
            df = pd.read_csv(path, keep_default_na=False, na_values=[""],
                             dtype={"period": str, "doc_id": str, "doc_id_a": str, "doc_id_b": str})
        except pd.errors.EmptyDataError:  # a table with neither rows nor columns
            df = pd.DataFrame()
        for col in ("date", "first_date", "last_date"):
            if col in df.columns:
                df[col] = pd.to_datetime(df[col], utc=True, errors="coerce", format="ISO8601")
        out[name] = df
    return out
