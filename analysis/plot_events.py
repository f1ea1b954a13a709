"""Charts of the events layer: the two sides of one contact, and where a phrase falls in texts.

Each function takes a result table and returns a :class:`matplotlib.figure.Figure` built at
the width and type sizes of a preset of :mod:`analysis.plots` (through its public
:func:`analysis.plots.style` and :data:`analysis.plots.PRESETS`), with the table actually
drawn attached so that :func:`analysis.plots.plotted_data` returns it.  Nothing here writes
files (:func:`analysis.plots.save_figure` does).

* :func:`paired_tone`: a dumbbell chart of :func:`analysis.paired.paired_readouts`, one row
  per pair of readouts, the mean tone of each side's sentences about the pair;
* :func:`dispersion`: a dispersion ("x-ray") plot of a concordance
  (:func:`analysis.protocol.kwic`): one row per document (or per period, outlet, ...), a
  tick at each match's relative position in its text (0 = start, 1 = end).

References
----------
Anthony, L. (2005). AntConc: design and development of a freeware corpus analysis toolkit
for the technical writing classroom. IEEE International Professional Communication
Conference, 729-737 (the concordance plot).
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.errors import InputError

__all__ = ["paired_tone", "dispersion"]

_MM_PER_INCH = 25.4


def _require(df: Any, columns: list[str], func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{func}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{func}: missing column(s) {missing}; the table has {list(map(str, df.columns))}")


def _preset(preset: str | None) -> Any:
    name = preset or plots.active_preset()
    if name not in plots.PRESETS:
        raise InputError(f"unknown preset {name!r}; one of {', '.join(sorted(plots.PRESETS))}")
    return plots.PRESETS[name]


def _new(p: Any, rows: int, height_ratio: float | None) -> Figure:
    if height_ratio is not None:
        if not height_ratio > 0:
            raise InputError(f"height_ratio must be > 0, got {height_ratio!r}")
        return plots.figure(p.name, height_ratio=height_ratio)
    row_in = 2.0 * p.small_pt / 72.0
    height_in = max(p.width_in * 0.35, rows * row_in + 6.0 * p.font_pt / 72.0)
    return plots.figure(p.name, height_mm=height_in * _MM_PER_INCH)


def _finish(fig: Figure, data: pd.DataFrame, title: str | None, p: Any) -> Figure:
    if title:
        width = max(20, int(p.width_in * 72 / (0.6 * p.font_pt)))
        fig.suptitle(textwrap.fill(str(title).replace("$", r"\$"), width), x=0.01, ha="left",
                     fontsize=p.font_pt)
    # The attribute analysis.plots.plotted_data reads.
    setattr(fig, getattr(plots, "_PLOTTED_ATTR", "_analysis_plotted_data"), data.reset_index(drop=True))
    fig.draw_without_rendering()
    return fig


def _label(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).replace("$", r"\$")


def paired_tone(
    pairs: pd.DataFrame,
    *,
    top: int | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Dumbbell chart: each side's mean tone toward the pair, one row per pair of readouts.

    Parameters
    ----------
    pairs : pandas.DataFrame
        :func:`analysis.paired.paired_readouts` output (``doc_id_a, doc_id_b, date_a, dyad,
        type, home_a, home_b, tone_a, tone_b``).  Pairs with no tone on either side are
        left out.
    top : int, optional
        Keep the first *top* pairs (in date order).
    preset, height_ratio, title
        See :func:`analysis.plots.figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Rows in date order (first at the top), labelled ``date  dyad  type``; side a as
        circles, side b as squares, joined by a grey line.  Plotted data: ``label, doc_id_a,
        doc_id_b, home_a, home_b, tone_a, tone_b``.
    """
    need = ["doc_id_a", "doc_id_b", "date_a", "dyad", "type", "home_a", "home_b", "tone_a", "tone_b"]
    _require(pairs, need, "paired_tone")
    df = pairs[need].copy()
    df = df[df["tone_a"].notna() | df["tone_b"].notna()].reset_index(drop=True)
    if top is not None:
        df = df.head(top)
    dates = pd.to_datetime(df["date_a"], utc=True, errors="coerce")
    df["label"] = [f"{d:%Y-%m-%d}  {dy}  {t}" if not pd.isna(d) else f"{dy}  {t}"
                   for d, dy, t in zip(dates, df["dyad"], df["type"])]
    homes_a, homes_b = sorted(set(df["home_a"].astype(str))), sorted(set(df["home_b"].astype(str)))
    name_a = homes_a[0] if len(homes_a) == 1 else "side a"
    name_b = homes_b[0] if len(homes_b) == 1 else "side b"
    p = _preset(preset)
    with matplotlib.rc_context(plots.style(p.name)):
        fig = _new(p, len(df) + 2, height_ratio)
        ax = fig.add_subplot()
        y = np.arange(len(df))
        ta, tb = df["tone_a"].to_numpy(dtype=float), df["tone_b"].to_numpy(dtype=float)
        for yi, a, b in zip(y, ta, tb):
            if not (np.isnan(a) or np.isnan(b)):
                ax.plot([a, b], [yi, yi], color="0.6", linewidth=p.line_pt, linestyle="-", marker="", zorder=1)
        ax.scatter(ta, y, marker="o", color=plots.OKABE_ITO[1], s=p.marker_pt ** 2, zorder=2,
                   label=f"{name_a} outlet")
        ax.scatter(tb, y, marker="s", color=plots.OKABE_ITO[5], s=p.marker_pt ** 2, zorder=2,
                   label=f"{name_b} outlet")
        ax.axvline(0, color="0.8", linewidth=p.axes_line_pt, zorder=0)
        ax.set_yticks(y, labels=[_label(v) for v in df["label"]])
        ax.set_ylim(len(df) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("Mean tone toward the pair (−1 to +1)")
        ax.set_ylabel("Contact (date, pair, kind)")
        if len(df):
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    plotted = df[["label", "doc_id_a", "doc_id_b", "home_a", "home_b", "tone_a", "tone_b"]]
    return _finish(fig, plotted, title, p)


def dispersion(
    kwic: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    lengths: Any | None = None,
    by: str = "doc_id",
    top: int | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Dispersion ("x-ray") plot of a concordance: where in each text the matches fall.

    Parameters
    ----------
    kwic : pandas.DataFrame
        :func:`analysis.protocol.kwic` output (``doc_id, start``; :data:`analysis.protocol.KWIC_COLUMNS`).
    articles : pandas.DataFrame, optional
        ``doc_id, text``: each document's length is ``len(text)`` (characters of the clean
        text the offsets refer to).
    lengths : mapping or pandas.Series, optional
        doc_id -> length in characters, instead of *articles*.
    by : str, default "doc_id"
        What a row is: ``doc_id`` (one row per document), or a column of *kwic* or of
        *articles* (e.g. a period or an outlet: the matches of all its documents in one row,
        each at its relative position in its own document).
    top : int, optional
        Keep the *top* rows with most matches (ties by label); default all, in label order.
    preset, height_ratio, title
        See :func:`analysis.plots.figure`.

    Returns
    -------
    matplotlib.figure.Figure
        One row per document (or *by* value) with a match, a vertical tick at each match's
        relative position ``start / length`` (0-1), the number of matches at the right.
        Plotted data: ``<by>, doc_id, start, length, position`` (``doc_id, start, length,
        position`` when *by* is ``doc_id``).
    """
    _require(kwic, ["doc_id", "start"], "dispersion")
    if lengths is None and articles is None:
        raise InputError("dispersion: give articles (doc_id, text) or lengths (doc_id -> characters)")
    if lengths is None:
        _require(articles, ["doc_id", "text"], "dispersion")
        lens = dict(zip(articles["doc_id"], articles["text"].fillna("").astype(str).str.len()))
    else:
        lens = dict(lengths.items()) if hasattr(lengths, "items") else dict(lengths)
    df = kwic[["doc_id", "start"] + ([by] if by != "doc_id" and by in kwic.columns else [])].copy()
    if by not in df.columns:
        if articles is None or by not in articles.columns:
            raise InputError(f"dispersion: by={by!r} is a column of neither the kwic table nor the articles")
        df[by] = df["doc_id"].map(dict(zip(articles["doc_id"], articles[by])))
    df["length"] = df["doc_id"].map(lens)
    missing = sorted(set(df.loc[df["length"].isna(), "doc_id"].astype(str)))
    if missing:
        raise InputError(f"dispersion: no length for document(s) {missing[:5]}")
    df["length"] = df["length"].astype(int)
    df["position"] = (df["start"].astype(float) / df["length"].clip(lower=1)).clip(0.0, 1.0)
    df["_d"] = df[by].astype(str)
    counts = df.groupby("_d", sort=True).size()
    order = [str(d) for d in counts.index]
    if top is not None:
        order = [str(d) for d in sorted(counts.index, key=lambda d: (-int(counts[d]), str(d)))[:top]]
    df = df[df["_d"].isin(order)]
    row = {d: i for i, d in enumerate(order)}
    df = df.assign(_r=df["_d"].map(row), _doc=df["doc_id"].astype(str)).sort_values(["_r", "_doc", "start"],
                                                                                   kind="mergesort")
    p = _preset(preset)
    with matplotlib.rc_context(plots.style(p.name)):
        fig = _new(p, len(order) + 1, height_ratio)
        ax = fig.add_subplot()
        for d, i in row.items():
            xs = df.loc[df["_d"] == d, "position"].to_numpy(dtype=float)
            ax.vlines(xs, i - 0.35, i + 0.35, color=plots.OKABE_ITO[5], linewidth=p.line_pt)
            ax.text(1.01, i, str(len(xs)), va="center", ha="left", fontsize=p.small_pt,
                    transform=ax.get_yaxis_transform())
        ax.set_yticks(range(len(order)), labels=[_label(d) for d in order])
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, 1)
        ax.set_xlabel("Position in the text (0 = start, 1 = end)")
        ax.set_ylabel("Document" if by == "doc_id" else by.replace("_", " ").capitalize())
    plotted = df[([by] if by != "doc_id" else []) + ["doc_id", "start", "length", "position"]]
    return _finish(fig, plotted, title, p)
