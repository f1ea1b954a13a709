"""Charts of the text measures: protocol profile and density, bundles, keyness, formulaicity, tone.

Each chart function takes a result table (column names as in
:mod:`analysis.schema`) and returns a :class:`matplotlib.figure.Figure` with axes
labelled with units, built with constrained layout at the width of a preset.  The
table that was actually drawn is attached to the figure; get it with
:func:`analysis.plot_style.plotted_data` and pass it to
:func:`analysis.plot_style.save_figure` as ``data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.figure import Figure

from analysis.errors import InputError
from analysis.plot_axes import (
    LABELS,
    _bar_colors,
    _barh_axis,
    _building,
    _dated,
    _finish,
    _hatch_edge,
    _label,
    _legend,
    _lines,
    _new_figure,
    _periods,
    _require,
    _set_period_ticks,
    _text,
)
from analysis.plot_style import CYCLE_COLORS, DIVERGING_CMAP, HATCHES, Preset
from analysis.schema import MIN_ARTICLES

__all__ = [
    "protocol_profile",
    "density_over_time",
    "top_bundles",
    "keyness_chart",
    "formulaicity_over_time",
    "tone_heatmap",
    "tone_trends",
]


def protocol_profile(
    counts: pd.DataFrame,
    *,
    value: str = "per_1000",
    groups: Sequence[str] | None = None,
    hatch: bool = True,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Protocol-language profile: horizontal bars of a rate per category (and group).

    Parameters
    ----------
    counts : pandas.DataFrame
        ``protocol.category_counts`` output: ``group, category, frequency,
        docfreq, per_1000`` (``group`` optional).
    value : {"per_1000", "frequency", "docfreq"}, default "per_1000"
        Bar length: matches per 1,000 words, matches (count) or documents.
    groups : sequence of str, optional
        Groups to show, in this order (default: all, sorted).
    hatch : bool, default True
        Hatch the bars of the second and later groups (grayscale safety).
    xlabel, title : str, optional
        Override the axis label / add a title.
    preset, height_ratio
        See :func:`figure`; the height grows with the number of bars.

    Returns
    -------
    matplotlib.figure.Figure
        Categories sorted by their mean value over the groups (largest at top; ties
        by category name); plotted data: ``category, group, <value>``.
    """
    _require(counts, ["category", value], "protocol_profile")
    df = counts.copy()
    if "group" not in df.columns:
        df["group"] = "all"
    df["group"] = df["group"].astype(str)
    df["category"] = df["category"].astype(str)
    present = sorted(df["group"].unique())
    if groups is not None:
        unknown = [g for g in groups if g not in present]
        if unknown:
            raise InputError(f"protocol_profile: unknown group(s) {unknown}; the table has {present}")
        order_g = list(groups)
        df = df[df["group"].isin(order_g)]
    else:
        order_g = present
    if df.duplicated(["group", "category"]).any():
        raise InputError("protocol_profile: more than one row per (group, category)")
    wide = df.pivot(index="category", columns="group", values=value).reindex(columns=order_g).fillna(0.0)
    order = (
        pd.DataFrame({"category": wide.index, "mean": wide.mean(axis=1).to_numpy()})
        .sort_values(["mean", "category"], ascending=[False, True], kind="mergesort")["category"]
        .tolist()
    )
    wide = wide.loc[order]
    with _building(preset) as p:
        fig = _new_figure(
            p, height_ratio=height_ratio, rows=len(order) * max(1, len(order_g)) // 2 + len(order), labels=order
        )
        ax = fig.add_subplot()
        k = len(order_g)
        h = 0.8 / k
        handles = []
        for i, (g, (color, hat)) in enumerate(zip(order_g, _bar_colors(k, hatch))):
            y = np.arange(len(order)) - 0.4 + h * (i + 0.5)
            bars = ax.barh(y, wide[g].to_numpy(dtype=float), height=h, color=color, hatch=hat,
                           edgecolor=_hatch_edge(color, hat), linewidth=0.3, label=_text(g))
            handles.append(bars)
        _barh_axis(ax, order, p, "Protocol category")
        ax.set_xlabel(_label(value, xlabel))
        ax.set_xlim(left=0)
        _legend(fig, handles, [_text(g) for g in order_g], p)
    long = wide.reset_index().melt(id_vars="category", var_name="group", value_name=value)
    long["_c"] = long["category"].map({c: i for i, c in enumerate(order)})
    long["_g"] = long["group"].map({g: i for i, g in enumerate(order_g)})
    long = long.sort_values(["_c", "_g"], kind="mergesort").drop(columns=["_c", "_g"])
    return _finish(fig, long[["category", "group", value]], title)


def density_over_time(
    measures: pd.DataFrame,
    *,
    date_col: str = "period",
    value: str = "density_per_1000",
    group: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """A measure over time, one line per group (protocol density, warmth, ...).

    Parameters
    ----------
    measures : pandas.DataFrame
        One row per (period, group): ``<date_col>, <value>`` and optionally the
        group column.
    date_col : str, default "period"
        Periods as strings (``"2022"``, ``"2022-Q1"`` or ``"2022Q1"``, ``"2022-03"``,
        ``"2022-03-15"``), ``pandas.Period`` or timestamps (tz-aware ones are
        converted to UTC).  Placed on a true time axis (gaps show), ticks labelled
        with the period strings; rows of the period ``"undated"`` are left out.
    value : str, default "density_per_1000"
        Column on the y axis; known measures get a label with units (see
        :data:`LABELS`, e.g. ``warmth_index``), others their name: pass *ylabel*.
    group : str, optional
        Column giving one line per value; default: ``"group"`` when the table has
        it, else a single line.
    ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Lines in the Okabe-Ito colours with distinct line styles and markers;
        plotted data: the used columns sorted by group, period (rows of the period
        ``"undated"`` are left out).  Rates (density, shares) are drawn on a y-axis that
        starts at 0, so that small differences are not magnified; warmth and tone, which
        can be negative, get a line at 0 instead.
    """
    return _lines(
        measures,
        func="density_over_time",
        date_col=date_col,
        value=value,
        group=group,
        ci=None,
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
        zero_line=value in {"warmth_index", "warmth", "tone_mean", "baseline_delta"},
        from_zero=value not in {"warmth_index", "warmth", "tone_mean", "baseline_delta"},
    )


def formulaicity_over_time(
    table: pd.DataFrame,
    *,
    date_col: str = "period",
    value: str = "formulaicity",
    group: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Formulaicity (share of word tokens inside recurrent n-grams) over time, per group.

    Parameters
    ----------
    table : pandas.DataFrame
        ``period, group, formulaicity`` (one row per period and group).
    date_col, value, group, ylabel, preset, height_ratio, title
        As in :func:`density_over_time`.

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    Biber, D. (2009). A corpus-driven approach to formulaic language in English.
    *International Journal of Corpus Linguistics* 14(3), 275-311.
    """
    return _lines(
        table,
        func="formulaicity_over_time",
        date_col=date_col,
        value=value,
        group=group,
        ci=None,
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
        from_zero=True,
    )


def tone_trends(
    dyad_tone: pd.DataFrame,
    *,
    dyads: Sequence[str] | None = None,
    value: str = "tone_mean",
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Tone toward each pair over time with its confidence band.

    Parameters
    ----------
    dyad_tone : pandas.DataFrame
        ``sentiment.dyad_tone`` output: ``dyad, period, tone_mean, ci_low,
        ci_high`` (plus ``n_sentences, n_articles, baseline_delta``).
    dyads : sequence of str, optional
        Pairs to show (default: all; keep it to <= 6 for a single column).
    value : str, default "tone_mean"
    ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        One line per pair with a shaded band from ``ci_low`` to ``ci_high``
        (cluster-bootstrap interval of ``sentiment.dyad_tone``) and a reference
        line at 0.
    """
    _require(dyad_tone, ["dyad", "period", value, "ci_low", "ci_high"], "tone_trends")
    df = dyad_tone
    if dyads is not None:
        unknown = sorted(set(dyads) - set(df["dyad"].astype(str)))
        if unknown:
            raise InputError(f"tone_trends: unknown dyad(s) {unknown}")
        df = df[df["dyad"].astype(str).isin(list(dyads))]
    return _lines(
        df,
        func="tone_trends",
        date_col="period",
        value=value,
        group="dyad",
        ci=("ci_low", "ci_high"),
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
        zero_line=True,
    )


def top_bundles(
    bundles: pd.DataFrame,
    *,
    top: int = 20,
    group: str | None = None,
    n: int | None = None,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """The most frequent lexical bundles: bars of frequency per million words, range annotated.

    Parameters
    ----------
    bundles : pandas.DataFrame
        ``phrases`` n-gram/bundle table: ``feature, n, frequency, docfreq,
        per_million, group``.
    top : int, default 20
        Number of bundles (by ``per_million`` descending, then ``docfreq``
        descending, then ``feature``).
    group : str, optional
        Which group to show; required when the table holds more than one.
    n : int, optional
        Keep only bundles of this length (words).
    xlabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Each bar is labelled with its range ("k docs": number of documents the
        bundle occurs in).

    References
    ----------
    Biber, D., Conrad, S. & Cortes, V. (2004). If you look at...: Lexical bundles
    in university teaching and textbooks. *Applied Linguistics* 25(3), 371-405.
    """
    _require(bundles, ["feature", "docfreq", "per_million"], "top_bundles")
    if top < 1:
        raise InputError(f"top_bundles: top must be >= 1, got {top}")
    df = bundles.copy()
    if "group" in df.columns:
        groups = sorted(df["group"].astype(str).unique())
        if group is None and len(groups) > 1:
            raise InputError(f"top_bundles: the table has several groups {groups}; pass group=")
        if group is not None:
            if group not in groups:
                raise InputError(f"top_bundles: unknown group {group!r}; the table has {groups}")
            df = df[df["group"].astype(str) == group]
    if n is not None:
        _require(df, ["n"], "top_bundles")
        df = df[df["n"] == n]
    df["feature"] = df["feature"].astype(str)
    df = df.sort_values(["per_million", "docfreq", "feature"], ascending=[False, False, True], kind="mergesort")
    df = df.head(top)
    cols = [c for c in ("feature", "n", "frequency", "docfreq", "per_million", "group") if c in df.columns]
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(df), labels=df["feature"].tolist())
        ax = fig.add_subplot()
        bars = ax.barh(range(len(df)), df["per_million"].to_numpy(dtype=float), height=0.7, color=CYCLE_COLORS[0])
        ax.bar_label(
            bars,
            labels=[f"{int(d)} doc" + ("" if int(d) == 1 else "s") for d in df["docfreq"]],
            padding=2,
            fontsize=p.small_pt,
        )
        _barh_axis(ax, df["feature"].tolist(), p, "Lexical bundle")
        top_value = float(df["per_million"].max()) if len(df) else 1.0
        ax.set_xlim(0, top_value * 1.4 if top_value > 0 else 1.0)
        ax.set_xlabel(_label("per_million", xlabel))
    return _finish(fig, df[cols], title)


def keyness_chart(
    keyness: pd.DataFrame,
    *,
    top: int = 15,
    measure: str = "g2",
    target_label: str = "target",
    reference_label: str = "reference",
    hatch: bool = True,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Diverging bars of keyness: features key in the target (right) and in the reference (left).

    Parameters
    ----------
    keyness : pandas.DataFrame
        ``phrases.keyness`` output: ``feature, g2`` (signed: positive = more
        frequent in the target), ``log_ratio``, ...
    top : int, default 15
        Features shown on EACH side: the *top* largest positive values and the
        *top* most negative (ties by feature).
    measure : {"g2", "log_ratio"}, default "g2"
    target_label, reference_label : str
        Legend names of the two corpora.
    hatch : bool, default True
        Hatch the reference-side bars (grayscale safety).
    xlabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Plotted data: ``feature, <measure>, side`` from top to bottom.

    References
    ----------
    Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
    Hardie, A. (2014). Log Ratio: an informal introduction. CASS, Lancaster.
    """
    if measure not in ("g2", "log_ratio"):
        raise InputError(f"keyness_chart: measure must be 'g2' or 'log_ratio', got {measure!r}")
    _require(keyness, ["feature", measure], "keyness_chart")
    if top < 1:
        raise InputError(f"keyness_chart: top must be >= 1, got {top}")
    df = keyness[["feature", measure]].copy()
    df["feature"] = df["feature"].astype(str)
    df = df[np.isfinite(df[measure].to_numpy(dtype=float))]
    pos = df[df[measure] > 0].sort_values([measure, "feature"], ascending=[False, True], kind="mergesort").head(top)
    neg = df[df[measure] < 0].sort_values([measure, "feature"], ascending=[False, True], kind="mergesort").tail(top)
    pos = pos.assign(side=target_label)
    neg = neg.assign(side=reference_label)
    shown = pd.concat([pos, neg], ignore_index=True)
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(shown), labels=shown["feature"].tolist())
        ax = fig.add_subplot()
        (c_pos, _), (c_neg, _) = _bar_colors(2, False)
        handles = []
        if len(pos):
            handles.append(ax.barh(range(len(pos)), pos[measure].to_numpy(dtype=float), height=0.7, color=c_pos))
        if len(neg):
            handles.append(
                ax.barh(
                    range(len(pos), len(shown)),
                    neg[measure].to_numpy(dtype=float),
                    height=0.7,
                    color=c_neg,
                    hatch=HATCHES[1] if hatch else "",
                    edgecolor="black" if hatch else c_neg,
                    linewidth=0.3,
                )
            )
        ax.axvline(0, color="#000000", linewidth=p.axes_line_pt)
        _barh_axis(ax, shown["feature"].tolist(), p, "Feature")
        ax.set_xlabel(_label(measure, xlabel))
        names = ([f"key in {_text(target_label)}"] if len(pos) else []) + (
            [f"key in {_text(reference_label)}"] if len(neg) else []
        )
        _legend(fig, handles, names, p)
    return _finish(fig, shown, title)


def tone_heatmap(
    dyad_tone: pd.DataFrame,
    *,
    value: str = "tone_mean",
    small_n: int = MIN_ARTICLES,
    vlim: float | None = 1.0,
    cmap: str = DIVERGING_CMAP,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Pair x period heatmap of mean tone, diverging colours centred at 0.

    Parameters
    ----------
    dyad_tone : pandas.DataFrame
        ``dyad, period, n_sentences, n_articles, tone_mean, ci_low, ci_high,
        baseline_delta`` (one row per pair and period).
    value : str, default "tone_mean"
        Also ``"baseline_delta"``.
    small_n : int, default :data:`analysis.schema.MIN_ARTICLES` (5)
        Cells resting on fewer than *small_n* articles (the unit the bootstrap of
        ``sentiment.dyad_tone`` resamples; ``n_sentences`` when the table has no
        ``n_articles``) are annotated with ``n=<articles>``: their mean is unstable and
        ``dyad_tone`` gives them no interval.
    vlim : float or None, default 1.0
        Colour scale from ``-vlim`` to ``+vlim`` (tone is bounded by ±1, so the
        default keeps figures comparable); ``None``: the largest absolute value.
    cmap : str, default "RdBu"
        A diverging, colour-blind-safe map (red negative, blue positive); "PuOr"
        also works.  Empty cells are light grey.
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Rows: pairs (alphabetical); columns: periods (chronological; rows of the
        period ``"undated"`` are left out).  Plotted data: ``dyad, period, <value>,
        n_articles`` (or ``n_sentences``).
    """
    support = "n_articles" if "n_articles" in dyad_tone.columns else "n_sentences"
    _require(dyad_tone, ["dyad", "period", value, support], "tone_heatmap")
    df = _dated(dyad_tone[["dyad", "period", value, support]].copy(), "period")
    df["dyad"] = df["dyad"].astype(str)
    starts, labels, xlabel = _periods(df["period"])
    df["_start"], df["_label"] = starts, labels
    if df.duplicated(["dyad", "_start", "_label"]).any():
        raise InputError("tone_heatmap: more than one row per (dyad, period)")
    cols = df.drop_duplicates(["_start", "_label"]).sort_values(["_start", "_label"], kind="mergesort")["_label"].tolist()
    rows = sorted(df["dyad"].unique())
    mat = df.pivot(index="dyad", columns="_label", values=value).reindex(index=rows, columns=cols)
    nmat = df.pivot(index="dyad", columns="_label", values=support).reindex(index=rows, columns=cols)
    values = mat.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lim = float(vlim) if vlim is not None else (float(np.abs(finite).max()) if finite.size else 1.0)
    lim = lim if lim > 0 else 1.0
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(rows) + 3)
        ax = fig.add_subplot()
        cm = matplotlib.colormaps[cmap].with_extremes(bad="#DDDDDD")
        norm = mcolors.TwoSlopeNorm(vmin=-lim, vcenter=0.0, vmax=lim)
        im = ax.imshow(np.ma.masked_invalid(values), cmap=cm, norm=norm, aspect="auto", interpolation="nearest")
        small_cells = []
        for i in range(len(rows)):
            for j in range(len(cols)):
                nval = nmat.iat[i, j]
                if pd.notna(nval) and nval < small_n and np.isfinite(values[i, j]):
                    r, g, b, _ = cm(norm(values[i, j]))
                    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45
                    small_cells.append((i, j, int(nval), "white" if dark else "black"))
        _set_period_ticks(ax, list(range(len(cols))), cols, p)
        ax.set_yticks(range(len(rows)), labels=[_text(r) for r in rows])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_ylabel("Country pair (dyad)")
        cb = fig.colorbar(im, ax=ax, shrink=0.9, aspect=25)
        cb.set_label(LABELS.get(value, value))
        cb.outline.set_linewidth(p.axes_line_pt)
        unit = "articles" if support == "n_articles" else "sentences"
        note = _annotate_small_cells(fig, ax, small_cells, len(rows), len(cols), p, small_n, unit)
        ax.set_xlabel(xlabel + note)
    plotted = df.sort_values(["dyad", "_start", "_label"], kind="mergesort")[["dyad", "period", value, support]]
    return _finish(fig, plotted, title)


def _annotate_small_cells(
    fig: Figure, ax: Any, cells: list[tuple[int, int, int, str]], n_rows: int, n_cols: int, p: Preset, small_n: int,
    unit: str = "articles",
) -> str:
    """Mark low-support heatmap cells with "n=k", else "k", else a dot, whichever fits the cells.

    Returns the note for the axis label.
    """
    if not cells:
        return ""
    size = max(5.0, p.small_pt - 1)
    variants = (
        (lambda n: f"n={n}", f"; n: {unit} in cells with < {small_n} (no interval)"),
        (lambda n: f"{n}", f"; numbers: {unit} in cells with < {small_n} (no interval)"),
        (lambda n: "•", f"; • fewer than {small_n} {unit} (no interval)"),
    )
    for k, (fmt, note) in enumerate(variants):
        texts = [ax.text(j, i, fmt(n), ha="center", va="center", fontsize=size, color=c) for i, j, n, c in cells]
        if k == len(variants) - 1:
            return note
        fig.draw_without_rendering()
        cell_w = ax.bbox.width / max(1, n_cols)
        cell_h = ax.bbox.height / max(1, n_rows)
        ext = [t.get_window_extent() for t in texts]
        if all(e.width <= 0.9 * cell_w and e.height <= 0.9 * cell_h for e in ext):
            return note
        for t in texts:
            t.remove()
    return ""
