"""Table I/O of a run: the tables :func:`analysis.pipeline.run` writes, as CSV, and reading them back.

Layer 2 (pandas, :mod:`analysis.errors`); :mod:`analysis.pipeline` re-exports every name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .errors import InputError

__all__ = ["TABLES", "FORMATS", "LARGE_TABLES", "write_tables", "read_tables", "write_run_tables", "read_run_tables"]

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
    "paired_readouts",
)


_ARTICLE_COLUMNS = ["doc_id", "title", "date", "period", "source", "url", "text"]


def _for_csv(name: str, df: pd.DataFrame) -> pd.DataFrame:
    if name == "articles":
        df = df[[c for c in _ARTICLE_COLUMNS if c in df.columns]]
    df = df.drop(columns=[c for c in ("tokens", "spans") if c in df.columns])
    dates = [c for c in df.columns
             if isinstance(df[c].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(df[c])]
    # a shallow copy (copy-on-write: assigning a column never changes the caller's frame); a deep
    # copy of a large table would double it while it is written
    out = df.copy(deep=False)
    for col in dates:
        out[col] = out[col].map(lambda t: "" if pd.isna(t) else pd.Timestamp(t).isoformat())
    return out


def _unused_char(frame: pd.DataFrame) -> str:
    """A noncharacter absent from every text cell of *frame* (a placeholder while writing)."""
    cells = [v for c in frame.columns for v in frame[c].tolist() if isinstance(v, str)]
    for code in range(0xFDD0, 0xFDF0):
        ch = chr(code)
        if not any(ch in v for v in cells):
            return ch
    raise InputError("every noncharacter U+FDD0-U+FDEF occurs in the tables: cannot write them safely")


#: Rows formatted and written at a time by :func:`_csv_chunks` (bounds the cell strings held).
_CSV_CHUNK_ROWS = 65_536


def _quoted(cells: list[str]) -> list[str]:
    """*cells* with the ones that need it quoted (quotes doubled), as the csv module's minimal
    quoting with line terminator "\\n", plus a lone "\\r" (see :func:`write_tables`)."""
    joined = "\x00".join(cells)  # one scan of the C string methods decides most columns
    if not ("," in joined or '"' in joined or "\n" in joined or "\r" in joined):
        return cells
    need = pc.match_substring_regex(pa.array(cells, type=pa.large_string()), pattern='[,"\\n\\r]')
    out = list(cells)
    for i in np.flatnonzero(need.to_numpy(zero_copy_only=False)).tolist():
        out[i] = '"' + out[i].replace('"', '""') + '"'
    return out


def _cells(col: pd.Series, kind: str) -> list[str]:
    """The CSV cells of one column of kind *kind* (:func:`_column_kind`) as pandas'
    ``to_csv(na_rep="", float_format="%.10g")`` writes them."""
    values = col.tolist()
    if kind == "b":
        return ["True" if v else "False" for v in values]
    if kind == "i":
        return list(map(str, values))
    if kind == "f":
        return ["" if v != v else "%.10g" % v for v in values]
    # text: str, or missing (None, NaN, pd.NA) written as ""
    missing = col.isna().to_numpy()
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            values[i] = ""
    return _quoted(values)


def _column_kind(col: pd.Series) -> str | None:
    """``"b"`` (bool), ``"i"`` (int), ``"f"`` (float) for numpy dtypes, ``"s"`` for text (a pandas
    string column, or an object column whose values are all text or missing), None for anything
    else (nullable numbers, categories, an object column holding a number...)."""
    dt = col.dtype
    if isinstance(dt, pd.StringDtype):
        return "s"
    if not isinstance(dt, np.dtype):
        return None
    if dt.kind == "O":
        return "s" if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty") else None
    return {"b": "b", "i": "i", "u": "i", "f": "f"}.get(dt.kind)


def _csv_chunks(df: pd.DataFrame) -> Iterator[str] | None:
    """The text of ``df.to_csv(index=False, lineterminator="\\n", float_format="%.10g")``, a
    block of rows at a time, with a lone "\\r" quoted; None when a column's type is not
    handled (the caller then writes with pandas).  Cells are built a column at a time with
    the C string methods; the oracle is pandas itself (``tests/test_tableio.py``)."""
    kinds = [_column_kind(df[c]) for c in df.columns]
    if None in kinds or df.shape[1] < 2 or not all(isinstance(c, str) for c in df.columns):
        return None  # (one column: the csv module quotes a row of one empty cell)
    cols = [df[c] for c in df.columns]

    def chunks() -> Iterator[str]:
        yield ",".join(_quoted(list(df.columns))) + "\n"
        for a in range(0, len(df), _CSV_CHUNK_ROWS):
            cells = [_cells(col.iloc[a : a + _CSV_CHUNK_ROWS], kind) for col, kind in zip(cols, kinds)]
            yield "\n".join(map(",".join, zip(*cells))) + "\n"

    return chunks()


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write *df* as :func:`write_tables` does: the fast writer, else pandas."""
    chunks = _csv_chunks(df)
    if chunks is not None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            for text in chunks:
                fh.write(text)
        return
    cr = [c for c in df.columns if (df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype))
          and df[c].map(lambda v: isinstance(v, str) and "\r" in v).any()]
    if not cr:
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    else:  # "\r" -> "\n" + placeholder forces quoting; the placeholder is turned back into "\r" after
        mark = _unused_char(df)
        df = df.copy()
        for c in cr:
            df[c] = df[c].map(lambda v: v.replace("\r", "\n" + mark) if isinstance(v, str) else v)
        text = df.to_csv(None, index=False, lineterminator="\n", float_format="%.10g")
        path.write_text(text.replace("\n" + mark, "\r"), encoding="utf-8", newline="")


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write every table of :data:`TABLES` present in *tables* as ``<name>.csv`` (UTF-8, "\\n").

    Every cell reads back exactly with :func:`read_tables`: a text cell holding a lone ``"\\r"``
    (which the csv module leaves unquoted when the line terminator is ``"\\n"``) is quoted.
    The bytes are those of pandas' ``to_csv(index=False, lineterminator="\\n",
    float_format="%.10g")`` apart from that quoting; tables of plain column types (numpy bool,
    int and float, text) are formatted by this module a block of rows at a time (about four
    times faster on the n-gram table), the others by pandas."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if name not in tables:
            continue
        path = d / f"{name}.csv"
        _write_csv(_for_csv(name, tables[name]), path)
        written.append(path)
    return written


#: Text columns read as str with "" kept as "" (not NaN), so the cleaning provenance round-trips.
_TEXT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "articles": ("doc_id", "title", "source", "url", "text"),
    "removals": ("doc_id", "field", "text", "reason", "replacement"),
    "cleaning_report": ("input", "record", "doc_id", "status", "reason", "note"),
}
_ID_COLUMNS: tuple[str, ...] = ("period", "doc_id", "doc_id_a", "doc_id_b", "cameo")


def read_tables(tables_dir: str | os.PathLike[str], *, names: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read a run's tables back (strings stay strings; ``date`` columns become UTC timestamps).

    The text columns of ``articles``, ``removals`` and ``cleaning_report`` keep an empty cell
    as ``""`` (an empty ``replacement`` is a removal, not a missing value), so
    ``corpus.restore`` rebuilds every raw field from ``articles.csv`` and ``removals.csv``
    alone; in other tables an empty cell is missing (NaN).

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
            header = list(pd.read_csv(path, nrows=0).columns)
            text = [c for c in header if c in _TEXT_COLUMNS.get(name, ())]
            df = pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in header if c not in text},
                             dtype={c: str for c in header if c in text or c in _ID_COLUMNS})
        except pd.errors.EmptyDataError:  # a table with neither rows nor columns
            df = pd.DataFrame()
        for col in ("date", "first_date", "last_date"):
            if col in df.columns:
                df[col] = pd.to_datetime(df[col], utc=True, errors="coerce", format="ISO8601")
        out[name] = df
    return out


# ----------------------------------------------------------------------------------------------
# Output formats of the large tables

#: Output formats of :func:`write_run_tables`.
FORMATS: tuple[str, ...] = ("csv", "parquet")

#: The large tables (rows per sentence, match or mention) that ``--format parquet`` writes as Parquet.
LARGE_TABLES: tuple[str, ...] = ("articles", "sentences", "mentions", "sentence_tone", "protocol_matches")


def _for_parquet(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as written to Parquet: the columns of the CSV (no token tuples), native types
    (timestamps stay UTC timestamps), a fresh index."""
    if name == "articles":
        df = df[[c for c in _ARTICLE_COLUMNS if c in df.columns]]
    return df.drop(columns=[c for c in ("tokens", "spans") if c in df.columns]).reset_index(drop=True)


def write_run_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str], *,
                     format: str = "csv") -> list[Path]:
    """Write the tables of a run: every table as CSV (:func:`write_tables`), or with
    ``format="parquet"`` the :data:`LARGE_TABLES` as ``<name>.parquet`` (pyarrow, zstd, no
    index; the same bytes for the same table) and the others as CSV."""
    if format not in FORMATS:
        raise InputError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    if format == "csv":
        return write_tables(tables, out_dir)
    written = write_tables({k: v for k, v in tables.items() if k not in LARGE_TABLES}, out_dir)
    d = Path(out_dir)
    for name in TABLES:
        if name not in tables or name not in LARGE_TABLES:
            continue
        path = d / f"{name}.parquet"
        table = pa.Table.from_pandas(_for_parquet(name, tables[name]), preserve_index=False)
        pq.write_table(table, path, compression="zstd", write_statistics=False)
        written.append(path)
    return sorted(written, key=lambda p: TABLES.index(p.stem))


def read_run_tables(tables_dir: str | os.PathLike[str], *,
                    names: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """:func:`read_tables`, plus the tables written as ``<name>.parquet`` (``--format parquet``)
    where no ``<name>.csv`` exists; same columns and types as from CSV (``doc_id`` and ``period``
    as str, dates as UTC timestamps)."""
    out = read_tables(tables_dir, names=names)
    d = Path(tables_dir)
    for name in TABLES:
        if name in out or (names is not None and name not in names):
            continue
        path = d / f"{name}.parquet"
        if path.exists():
            df = pd.read_parquet(path)
            text = _TEXT_COLUMNS.get(name, ())
            for col in df.columns:  # as read_tables reads the CSV: "" is missing except in text columns
                if pd.api.types.is_string_dtype(df[col]) and col not in text:
                    df[col] = df[col].mask(df[col] == "")
                elif col in text:
                    df[col] = df[col].fillna("")
            for col in ("date", "first_date", "last_date"):
                if col in df.columns:
                    df[col] = pd.to_datetime(df[col], utc=True, errors="coerce")
            out[name] = df
    return {k: out[k] for k in TABLES if k in out}
