"""The straightforward CSV writer of a run's tables (oracle for tests/test_tableio.py): pandas'
``to_csv``, with a text cell holding a lone "\\r" forced into quotes (the csv module leaves it
unquoted when the line terminator is "\\n", and it would not read back)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.tableio import _unused_char


def write_csv_reference(df: pd.DataFrame, path: Path) -> None:
    cr = [c for c in df.columns if (df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype))
          and df[c].map(lambda v: isinstance(v, str) and "\r" in v).any()]
    if not cr:
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        return
    mark = _unused_char(df)  # "\r" -> "\n" + placeholder forces quoting; turned back after
    df = df.copy()
    for c in cr:
        df[c] = df[c].map(lambda v: v.replace("\r", "\n" + mark) if isinstance(v, str) else v)
    text = df.to_csv(None, index=False, lineterminator="\n", float_format="%.10g")
    path.write_text(text.replace("\n" + mark, "\r"), encoding="utf-8", newline="")
