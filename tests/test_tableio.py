"""The CSV writer of a run's tables against pandas' ``to_csv`` (tests/reference/tableio_reference.py):
the same bytes for every column type it formats itself, and for the ones it hands to pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference.tableio_reference import write_csv_reference

from analysis import tableio

TEXTS = ["plain", "comma, inside", 'a "quoted" word', "line\nbreak", "lone\rreturn", "crlf\r\n", "",
         " leading space", "trailing ", "Ünïcödé – ‘quotes’", "tab\there", "semi;colon", "x" * 300, "\x00nul"]


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    floats = rng.normal(0, 1e3, n)
    floats[rng.random(n) < 0.1] = np.nan
    floats[:4] = [np.inf, -np.inf, -0.0, 1e-7][: min(4, n)]
    text = [TEXTS[i] for i in rng.integers(0, len(TEXTS), n)]
    with_missing = [None if rng.random() < 0.2 else t for t in text]
    return pd.DataFrame({
        "feature": text,
        "n": rng.integers(-5, 10**12, n),
        "small": rng.integers(0, 255, n).astype("uint8"),
        "per_million": floats,
        "ratio": rng.random(n) / 3,
        "flag": rng.random(n) < 0.5,
        "maybe": with_missing,
        "arrow": pd.array(with_missing, dtype="string[pyarrow]"),
        "python": pd.array(with_missing, dtype="string[python]"),
        "nan text": [np.nan if t is None else t for t in with_missing],
    })


def _check(df: pd.DataFrame, tmp_path, *, formatted_here: bool = True) -> None:
    tableio._write_csv(df, tmp_path / "fast.csv")
    write_csv_reference(df, tmp_path / "ref.csv")
    ref = (tmp_path / "ref.csv").read_bytes()
    assert (tmp_path / "fast.csv").read_bytes() == ref
    chunks = tableio._csv_chunks(df)
    if formatted_here:  # the module's own formatting, not pandas' (which _write_csv falls back to)
        assert chunks is not None and "".join(chunks).encode("utf-8") == ref


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_bytes_as_pandas(tmp_path, seed):
    _check(_frame(500, seed), tmp_path)


def test_blocks_of_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(tableio, "_CSV_CHUNK_ROWS", 7)
    df = _frame(50, 3)
    _check(df, tmp_path)


def test_special_header_and_empty_table(tmp_path):
    _check(pd.DataFrame({"a,b": [1], 'say "x"': ["y"]}), tmp_path)
    _check(pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype=object)}), tmp_path)
    _check(pd.DataFrame({"a": [None, None], "b": [1.5, np.nan]}), tmp_path)


@pytest.mark.parametrize("df", [
    pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": ["x", "y"]}),  # nullable integers
    pd.DataFrame({"a": [1, "two"], "b": ["x", "y"]}),  # a text column holding a number
    pd.DataFrame({"a": [True, None], "b": [1.0, 2.0]}),  # booleans with a gap (object)
    pd.DataFrame({"a": ["", None]}),  # one column: the csv module quotes a row of one empty cell
    pd.DataFrame({0: ["x"], 1: ["y"]}),  # column names that are not text
    pd.DataFrame({"a": pd.Categorical(["x", "y"]), "b": [1, 2]}),
])
def test_other_types_written_by_pandas(tmp_path, df):
    _check(df, tmp_path, formatted_here=False)


def test_run_tables_read_back(tmp_path):
    df = _frame(200, 4)[["feature", "n", "per_million", "flag"]]
    tableio.write_tables({"ngrams": df}, tmp_path)
    back = tableio.read_tables(tmp_path, names=["ngrams"])["ngrams"]
    assert back["feature"].fillna("").tolist() == df["feature"].tolist()
    assert back["n"].tolist() == df["n"].tolist()
    assert np.allclose(back["per_million"], df["per_million"], rtol=1e-9, equal_nan=True)
