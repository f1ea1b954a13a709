"""Tables for papers: booktabs LaTeX and rounded, labelled CSV from result tables.

The LaTeX is written here (no pandas Styler, no Jinja2), so the output is a
pure function of the table and the options, and is tested character by
character.

Formatting rules (the same for LaTeX and CSV):

* Float columns are shown with a fixed number of decimals (``digits``: one
  number for all, or a mapping column -> decimals; default 2); ``-0.00`` is
  shown as ``0.00``.  Integer columns are shown as integers; digits do not apply.
* Missing values (None, NaN, NaT) are empty cells.
* Timestamps at midnight are shown as ``YYYY-MM-DD``, others in ISO format;
  booleans as ``True``/``False``; everything else with ``str``.
* In LaTeX, text cells, headers and the caption are escaped (``& % $ # _ { } ~
  ^ \\``), negative numbers get a typographic minus (``$-$1.50``), numeric
  columns are right-aligned and text columns left-aligned.
* The index is not written; call ``reset_index()`` first to include it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import InputError

__all__ = ["latex_escape", "format_table", "to_latex", "to_csv", "export_table"]

_LATEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_LATEX_RE = re.compile(r"[&%$#_{}~^\\]")
_LABEL_RE = re.compile(r"^[A-Za-z0-9:._+\-/]+$")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def latex_escape(text: str) -> str:
    r"""Escape the LaTeX special characters ``& % $ # _ { } ~ ^ \`` of plain text (one pass)."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (list, tuple, dict, set, np.ndarray)) else False
    except (TypeError, ValueError):
        return False


def _digits_for(column: Any, digits: int | Mapping[Any, int]) -> int:
    d = digits.get(column, 2) if isinstance(digits, Mapping) else digits
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0:
        raise InputError(f"digits for column {column!r} must be an integer >= 0, got {d!r}")
    return int(d)


def _cell(v: Any, d: int) -> tuple[str, bool]:
    """(text, is_number) of one value; text unescaped, minus as '-'."""
    if _is_missing(v):
        return "", False
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)), False
    if isinstance(v, (int, np.integer)):
        return str(int(v)), True
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isinf(f):
            return ("-inf" if f < 0 else "inf"), True
        s = f"{f:.{d}f}"
        if s.startswith("-") and float(s) == 0.0:
            s = s[1:]
        return s, True
    if isinstance(v, (pd.Timestamp, datetime)):
        ts = pd.Timestamp(v)
        return (ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()), False
    if isinstance(v, date):
        return v.isoformat(), False
    return str(v), False


def _select(df: pd.DataFrame, columns: Mapping[Any, str] | None, func: str) -> tuple[list[Any], list[str]]:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{func}: expected a pandas DataFrame, got {type(df).__name__}")
    if columns is None:
        cols = list(df.columns)
        return cols, [str(c) for c in cols]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{func}: column(s) {missing} not in the table {list(map(str, df.columns))}")
    return list(columns), [str(columns[c]) for c in columns]


def format_table(
    df: pd.DataFrame,
    *,
    columns: Mapping[Any, str] | None = None,
    digits: int | Mapping[Any, int] = 2,
) -> pd.DataFrame:
    """The table as display strings: selected, relabelled, rounded (see module notes).

    Parameters
    ----------
    df : pandas.DataFrame
        Any result table (not modified).
    columns : Mapping, optional
        Column -> label, in display order; only these columns are kept.
        Default: all columns, labelled by their names.
    digits : int or Mapping, default 2
        Decimals of float columns (a mapping gives them per original column
        name; columns not in it get 2).

    Returns
    -------
    pandas.DataFrame
        Same rows, string cells, columns named by the labels.
    """
    cols, labels = _select(df, columns, "format_table")
    if len(set(labels)) != len(labels):
        raise InputError(f"format_table: duplicate column labels {labels}")
    out = {}
    for c, lab in zip(cols, labels):
        d = _digits_for(c, digits)
        out[lab] = [_cell(v, d)[0] for v in df[c].tolist()]
    return pd.DataFrame(out, columns=labels, dtype=object)


def _numeric_column(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def to_latex(
    df: pd.DataFrame,
    path: str | Path | None = None,
    *,
    columns: Mapping[Any, str] | None = None,
    digits: int | Mapping[Any, int] = 2,
    caption: str | None = None,
    label: str | None = None,
) -> str:
    r"""A booktabs LaTeX table (``\toprule``, ``\midrule``, ``\bottomrule``).

    Parameters
    ----------
    df : pandas.DataFrame
        The table (not modified).
    path : str or Path, optional
        Also write the text there (UTF-8).
    columns : Mapping, optional
        Column -> header label, in display order (default: all columns, headed by
        their names).  Labels are escaped like text cells.
    digits : int or Mapping, default 2
        Decimals of float columns (see :func:`format_table`).
    caption : str, optional
        Caption (escaped).
    label : str, optional
        ``\label`` key, e.g. ``"tab:keyness"`` (letters, digits, ``: . _ + - /``).

    Returns
    -------
    str
        A ``tabular`` environment; wrapped in ``table`` (``[htbp]``,
        ``\centering``, caption above the table, label) when *caption* or *label*
        is given.  Lines end with ``\n``, including the last.  Needs
        ``\usepackage{booktabs}``.
    """
    cols, labels = _select(df, columns, "to_latex")
    if not cols:
        raise InputError("to_latex: no columns to write")
    if label is not None and not _LABEL_RE.match(label):
        raise InputError(f"to_latex: label {label!r} may contain only letters, digits and : . _ + - /")
    align = "".join("r" if _numeric_column(df[c]) else "l" for c in cols)
    body: list[str] = []
    columns_cells = []
    for c in cols:
        d = _digits_for(c, digits)
        cells = []
        for v in df[c].tolist():
            text, is_number = _cell(v, d)
            if is_number:
                text = "$-$" + text[1:] if text.startswith("-") else text
            else:
                text = latex_escape(text)
            cells.append(text)
        columns_cells.append(cells)
    for row in zip(*columns_cells):
        body.append(" & ".join(row) + r" \\")
    lines = [
        rf"\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(latex_escape(s) for s in labels) + r" \\",
        r"\midrule",
        *body,
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if caption is not None or label is not None:
        head = [r"\begin{table}[htbp]", r"\centering"]
        if caption is not None:
            head.append(rf"\caption{{{latex_escape(caption)}}}")
        if label is not None:
            head.append(rf"\label{{{label}}}")
        lines = head + lines + [r"\end{table}"]
    text = "\n".join(lines) + "\n"
    if path is not None:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return text


def to_csv(
    df: pd.DataFrame,
    path: str | Path,
    *,
    columns: Mapping[Any, str] | None = None,
    digits: int | Mapping[Any, int] = 2,
) -> Path:
    """Write the table as CSV with labelled columns and rounded numbers.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (not modified).
    path : str or Path
        Output file (UTF-8, ``,`` separated, ``\\n`` line ends, minimal quoting).
    columns, digits
        As in :func:`format_table`.

    Returns
    -------
    Path
        *path*.
    """
    table = format_table(df, columns=columns, digits=digits)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(p, index=False, lineterminator="\n", encoding="utf-8")
    return p


def export_table(
    df: pd.DataFrame,
    name: str,
    *,
    out_dir: str | Path,
    columns: Mapping[Any, str] | None = None,
    digits: int | Mapping[Any, int] = 2,
    caption: str | None = None,
    label: str | None = None,
) -> list[Path]:
    """Write ``<name>.tex`` (:func:`to_latex`) and ``<name>.csv`` (:func:`to_csv`).

    Parameters
    ----------
    df : pandas.DataFrame
    name : str
        File stem (letters, digits, ``.``, ``_``, ``-``).
    out_dir : str or Path
        Directory (created if missing).
    columns, digits, caption, label
        As in :func:`to_latex`.

    Returns
    -------
    list of Path
        The two files, sorted.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name) or ".." in name:
        raise InputError(f"export_table: bad table name {name!r} (letters, digits, '.', '_', '-' only)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tex = out / f"{name}.tex"
    to_latex(df, tex, columns=columns, digits=digits, caption=caption, label=label)
    csv = to_csv(df, out / f"{name}.csv", columns=columns, digits=digits)
    return sorted([tex, csv])
