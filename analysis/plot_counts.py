"""Charts of counts and validation: events, confusion matrices, readability, corpus and cleaning.

Same conventions as :mod:`analysis.plot_charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.errors import InputError
from analysis.plot_axes import (
    _EVENT_TYPES,
    _bar_colors,
    _barh_axis,
    _building,
    _finish,
    _hatch_edge,
    _label,
    _legend,
    _new_figure,
    _require,
    _set_period_ticks,
    _text,
)
from analysis.plot_style import CYCLE_COLORS, MARKERS, SEQUENTIAL_CMAP

__all__ = [
    "event_counts",
    "confusion_matrix",
    "readability_vs_density",
    "articles_per_month",
    "removals_by_reason",
    "validation_by_outlet",
    "adaptation_curve",
]


def event_counts(
    events: pd.DataFrame,
    *,
    by: str | None = "type",
    top: int | None = None,
    hatch: bool = True,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Reported bilateral contacts per pair, stacked by event type.

    Parameters
    ----------
    events : pandas.DataFrame
        ``events.events`` output: ``doc_id, date, type, host, guest, ..., dyad``
        (one row per contact).  Rows without a pair count as "(no pair)".
    by : str or None, default "type"
        Column that splits each bar (None: one total bar per pair).  Event types
        are stacked in the order reception, meeting, talks, phone_call, message,
        congratulation, condolence, visit, signing, then others alphabetically.
    top : int, optional
        Keep the *top* pairs with most events.
    hatch : bool, default True
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Pairs sorted by total (largest at top; ties by pair).  Plotted data:
        ``dyad, <by>, n`` (counts, zero rows omitted).
    """
    need = ["dyad"] + ([by] if by else [])
    _require(events, need, "event_counts")
    df = events[need].copy()
    df["dyad"] = df["dyad"].fillna("").astype(str).replace("", "(no pair)")
    key = by or "_all"
    if by is None:
        df[key] = "all"
    df[key] = df[key].fillna("(unknown)").astype(str)
    counts = df.groupby(["dyad", key], sort=True).size().rename("n").reset_index()
    totals = counts.groupby("dyad")["n"].sum()
    order = sorted(totals.index, key=lambda d: (-int(totals[d]), d))
    if top is not None:
        order = order[:top]
    present = set(counts[key])
    kinds = [t for t in _EVENT_TYPES if t in present] + sorted(present - set(_EVENT_TYPES))
    wide = counts.pivot(index="dyad", columns=key, values="n").reindex(index=order, columns=kinds).fillna(0)
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(order) + 2, labels=order)
        ax = fig.add_subplot()
        left = np.zeros(len(order))
        handles = []
        for kind, (color, hat) in zip(kinds, _bar_colors(len(kinds), hatch)):
            vals = wide[kind].to_numpy(dtype=float)
            handles.append(
                ax.barh(range(len(order)), vals, left=left, height=0.7, color=color, hatch=hat,
                        edgecolor=_hatch_edge(color, hat), linewidth=0.3)
            )
            left = left + vals
        _barh_axis(ax, order, p, "Country pair (dyad)")
        ax.set_xlabel("Events (count)")
        ax.xaxis.get_major_locator().set_params(integer=True)
        if by is not None:
            _legend(fig, handles, [_text(k.replace("_", " ")) for k in kinds], p)
    plotted = counts[counts["dyad"].isin(order)].copy()
    plotted["_d"] = plotted["dyad"].map({d: i for i, d in enumerate(order)})
    plotted["_k"] = plotted[key].map({k: i for i, k in enumerate(kinds)})
    plotted = plotted.sort_values(["_d", "_k"], kind="mergesort").drop(columns=["_d", "_k"])
    if by is None:
        plotted = plotted.drop(columns=[key])
    return _finish(fig, plotted, title)


def _label_sort_key(v: Any) -> tuple[int, float, str]:
    try:
        return (0, float(v), str(v))
    except (TypeError, ValueError):
        return (1, 0.0, str(v))


def confusion_matrix(
    cm: pd.DataFrame,
    *,
    labels: Sequence[Any] | None = None,
    normalize: bool = False,
    xlabel: str = "Predicted label",
    ylabel: str = "Gold label",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Annotated confusion matrix from a tidy (gold, predicted, n) table.

    Parameters
    ----------
    cm : pandas.DataFrame
        ``gold, predicted, n`` (``validate`` output).
    labels : sequence, optional
        Label order (default: all labels of either column, numeric labels
        numerically, e.g. -1, 0, 1).
    normalize : bool, default False
        Colour by the share of each gold row (recall); cells then show the count
        and the row percentage.
    xlabel, ylabel : str
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Sequential colour map viridis (colour-blind safe, monotone in
        grayscale); plotted data: every (gold, predicted) cell with ``n`` (0 where
        absent) and ``share`` of the gold row.
    """
    _require(cm, ["gold", "predicted", "n"], "confusion_matrix")
    df = cm[["gold", "predicted", "n"]].copy()
    if df.duplicated(["gold", "predicted"]).any():
        raise InputError("confusion_matrix: more than one row per (gold, predicted)")
    found = set(df["gold"]) | set(df["predicted"])
    if labels is None:
        order = sorted(found, key=_label_sort_key)
    else:
        order = list(labels)
        missing = sorted((str(v) for v in found if v not in order))
        if missing:
            raise InputError(f"confusion_matrix: labels {missing} occur in the table but not in labels=")
    mat = (
        df.pivot(index="gold", columns="predicted", values="n").reindex(index=order, columns=order).fillna(0)
    ).to_numpy(dtype=float)
    row_tot = mat.sum(axis=1, keepdims=True)
    share = np.divide(mat, row_tot, out=np.zeros_like(mat), where=row_tot > 0)
    shown = share if normalize else mat
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(order) + 3)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps[SEQUENTIAL_CMAP]
        vmax = 1.0 if normalize else max(1.0, float(mat.max()) if mat.size else 1.0)
        im = ax.imshow(shown, cmap=cmap, vmin=0, vmax=vmax, aspect="equal", interpolation="nearest")
        for i in range(len(order)):
            for j in range(len(order)):
                r, g, b, _ = cmap(shown[i, j] / vmax)
                dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45
                txt = f"{int(mat[i, j])}" + (f"\n{100 * share[i, j]:.0f}%" if normalize else "")
                ax.text(j, i, txt, ha="center", va="center", fontsize=p.small_pt,
                        color="white" if dark else "black")
        names = [_text(v) for v in order]
        ax.set_xticks(range(len(order)), labels=names)
        ax.set_yticks(range(len(order)), labels=names)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        cb = fig.colorbar(im, ax=ax, shrink=0.9, aspect=20)
        cb.set_label("Share of gold row (0–1)" if normalize else "Items (count)")
        cb.outline.set_linewidth(p.axes_line_pt)
    plotted = pd.DataFrame(
        [(order[i], order[j], int(mat[i, j]), float(share[i, j])) for i in range(len(order)) for j in range(len(order))],
        columns=["gold", "predicted", "n", "share"],
    )
    return _finish(fig, plotted, title)


def readability_vs_density(
    table: pd.DataFrame,
    *,
    x: str = "density_per_1000",
    y: str = "flesch_reading_ease",
    group: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Scatter of readability against protocol density, one marker per group.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per article with ``density_per_1000`` (protocol matched tokens per
        1,000 words) and ``flesch_reading_ease`` (Flesch 1948), optionally a group
        column (e.g. source).
    x, y : str
        Columns on the axes.
    group : str, optional
        Column giving marker/colour per value; default ``"group"`` when present.
    xlabel, ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Rows with a missing x or y are not drawn (nor in the plotted data).

    References
    ----------
    Flesch, R. (1948). A new readability yardstick. *Journal of Applied
    Psychology* 32(3), 221-233.
    """
    if group is None and "group" in table.columns:
        group = "group"
    need = [c for c in ("doc_id",) if c in table.columns] + ([group] if group else []) + [x, y]
    _require(table, need, "readability_vs_density")
    df = table[need].copy()
    df = df[np.isfinite(df[x].to_numpy(dtype=float)) & np.isfinite(df[y].to_numpy(dtype=float))]
    sort_cols = ([group] if group else []) + (["doc_id"] if "doc_id" in df.columns else []) + [x, y]
    if group:
        df[group] = df[group].astype(str)
    df = df.sort_values(sort_cols, kind="mergesort")
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        parts = df.groupby(group, sort=True) if group else [("", df)]
        handles, names = [], []
        for i, (g, part) in enumerate(parts):
            h = ax.scatter(
                part[x].to_numpy(dtype=float),
                part[y].to_numpy(dtype=float),
                s=(p.marker_pt**2),
                marker=MARKERS[i % len(MARKERS)],
                color=CYCLE_COLORS[i % len(CYCLE_COLORS)],
                alpha=0.75,
                linewidths=0,
            )
            handles.append(h)
            names.append(_text(g))
        ax.set_xlabel(_label(x, xlabel))
        ax.set_ylabel(_label(y, ylabel))
        _legend(fig, handles, names, p)
    return _finish(fig, df, title)


def articles_per_month(
    articles: pd.DataFrame,
    *,
    by: str | None = "source",
    hatch: bool = True,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Articles per calendar month (UTC), stacked by source.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles table with ``date`` (tz-aware UTC timestamps or NaT; naive ones
        are taken as UTC) and optionally *by*.
    by : str or None, default "source"
        Column that splits each bar; ignored when absent; None: totals.
    hatch : bool, default True
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Every month from the first to the last is shown (empty months as gaps);
        articles without a date are counted in the x-axis label.  Plotted data:
        ``month, <by>, n`` (all months x groups, zeros included).
    """
    _require(articles, ["date"], "articles_per_month")
    use_by = by if (by is not None and by in articles.columns) else None
    dates = pd.to_datetime(articles["date"], utc=True, errors="coerce")
    undated = int(dates.isna().sum())
    df = pd.DataFrame({"date": dates})
    df["group"] = articles[use_by].fillna("(unknown)").astype(str).to_numpy() if use_by else "all"
    df = df[df["date"].notna()]
    if df.empty:
        raise InputError("articles_per_month: no article has a date")
    df["month"] = df["date"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    months = pd.period_range(df["month"].min(), df["month"].max(), freq="M")
    groups = sorted(df["group"].unique())
    counts = df.groupby(["month", "group"]).size()
    full = pd.MultiIndex.from_product([months, groups], names=["month", "group"])
    counts = counts.reindex(full, fill_value=0).rename("n").reset_index()
    counts["month"] = counts["month"].astype(str)
    wide = counts.pivot(index="month", columns="group", values="n").reindex(
        index=[str(m) for m in months], columns=groups
    )
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        bottom = np.zeros(len(months))
        handles = []
        for g, (color, hat) in zip(groups, _bar_colors(len(groups), hatch)):
            vals = wide[g].to_numpy(dtype=float)
            handles.append(ax.bar(range(len(months)), vals, bottom=bottom, width=0.85, color=color, hatch=hat,
                                  edgecolor=_hatch_edge(color, hat) if hat else color, linewidth=0.2 if hat else 0))
            bottom = bottom + vals
        _set_period_ticks(ax, list(range(len(months))), [str(m) for m in months], p)
        ax.set_xlim(-0.6, len(months) - 0.4)
        note = f"; {undated} undated article{'s' if undated != 1 else ''} not shown" if undated else ""
        ax.set_xlabel(f"Month (UTC){note}")
        ax.set_ylabel("Articles (count per month)")
        ax.yaxis.get_major_locator().set_params(integer=True)
        if use_by:
            _legend(fig, handles, [_text(g) for g in groups], p)
    plotted = counts.rename(columns={"group": use_by}) if use_by else counts.drop(columns=["group"])
    return _finish(fig, plotted, title)


def removals_by_reason(
    summary: pd.DataFrame,
    *,
    value: str = "count",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """What cleaning removed, by reason: horizontal bars.

    Parameters
    ----------
    summary : pandas.DataFrame
        Either the removals table (``doc_id, field, start, end, text, reason,
        replacement``; one row per removal) or a summary with ``reason`` and a
        count column (``n``, ``count``, ``removals`` or ``n_removals``), e.g.
        ``corpus.summary`` (only its ``table == "removals"`` rows are used).  Rows
        with an empty reason are skipped; counts of the same reason in several
        fields (text, title) are added.
    value : {"count", "chars"}, default "count"
        Number of removals, or characters removed (``end - start`` of the
        removals table, or the summary's ``chars`` column).
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Reasons sorted by size (largest at top; ties by reason).  Plotted data:
        ``reason, <value>``.
    """
    _require(summary, ["reason"], "removals_by_reason")
    if value not in ("count", "chars"):
        raise InputError(f"removals_by_reason: value must be 'count' or 'chars', got {value!r}")
    df = summary.copy()
    if "table" in df.columns:  # corpus.summary: keep the removal rows, not the record report
        df = df[df["table"].astype(str) == "removals"]
    df["reason"] = df["reason"].fillna("").astype(str)
    df = df[df["reason"] != ""]
    count_col = next((c for c in ("n", "count", "removals", "n_removals") if c in df.columns), None)
    if value == "chars":
        if {"start", "end"} <= set(df.columns):
            agg = (df["end"] - df["start"]).groupby(df["reason"]).sum()
        else:
            _require(df, ["chars"], "removals_by_reason")
            agg = df.groupby("reason")["chars"].sum()
    elif count_col is not None and not {"start", "end"} <= set(df.columns):
        agg = df.groupby("reason")[count_col].sum()
    else:
        agg = df.groupby("reason").size()
    out = agg.rename(value).reset_index()
    out[value] = out[value].astype(int)
    out = out.sort_values([value, "reason"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    with _building(preset) as p:
        fig = _new_figure(
            p, height_ratio=height_ratio, rows=len(out) + 2, min_ratio=0.35, labels=out["reason"].tolist()
        )
        ax = fig.add_subplot()
        bars = ax.barh(range(len(out)), out[value].to_numpy(dtype=float), height=0.7, color=CYCLE_COLORS[0])
        ax.bar_label(bars, labels=[f"{v:,}" for v in out[value]], padding=2, fontsize=p.small_pt)
        _barh_axis(ax, out["reason"].tolist(), p, "Reason for removal")
        top_value = float(out[value].max()) if len(out) else 1.0
        ax.set_xlim(0, top_value * 1.25 if top_value > 0 else 1.0)
        ax.set_xlabel("Removals (count)" if value == "count" else "Removed text (characters)")
    return _finish(fig, out, title)


def validation_by_outlet(
    metrics: pd.DataFrame,
    *,
    metric: str = "tone_macro_f1",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """One metric per held-out outlet (and pooled) with its 95% CI, beside the baseline.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The ``validate`` metrics table (``outlet, metric, ours, ci_low, ci_high, baseline,
        baseline_name, baseline_ci_low, baseline_ci_high, n``).
    metric : str, default "tone_macro_f1"

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal point-and-interval chart on a 0-1 axis (scores are shares: the axis
        starts at zero); the row label carries n.  Plotted data: the selected rows.
    """
    _require(metrics, ["outlet", "metric", "ours", "ci_low", "ci_high", "baseline", "baseline_name",
                       "baseline_ci_low", "baseline_ci_high", "n"], "validation_by_outlet")
    df = metrics[metrics["metric"] == metric].copy()
    if df.empty:
        raise InputError(f"validation_by_outlet: no rows for metric {metric!r}")
    df["_pooled"] = df["outlet"] == "all"
    df = df.sort_values(["_pooled", "outlet"], kind="mergesort").drop(columns="_pooled").reset_index(drop=True)
    labels = [f"{('all outlets (pooled)' if o == 'all' else o)}\nn = {int(n)}" for o, n in zip(df["outlet"], df["n"])]
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=2 * len(df) + 2, labels=labels)
        ax = fig.add_subplot()
        y = np.arange(len(df))[::-1].astype(float)
        ax.errorbar(df["ours"], y + 0.15, xerr=[df["ours"] - df["ci_low"], df["ci_high"] - df["ours"]],
                    fmt="o", color=CYCLE_COLORS[0], capsize=2, label="this package (leave-one-outlet-out)")
        ax.errorbar(df["baseline"], y - 0.15,
                    xerr=[df["baseline"] - df["baseline_ci_low"], df["baseline_ci_high"] - df["baseline"]],
                    fmt="s", color=CYCLE_COLORS[1], capsize=2, label=str(df["baseline_name"].iloc[0]))
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(df) - 0.4)
        ax.set_xlim(0, 1)
        ax.set_xlabel(_text(f"{metric.replace('_', ' ')} (95% bootstrap CI over articles)"))
        fig.legend(loc="outside upper center", frameon=False, ncols=2)
        ax.grid(axis="x", linewidth=0.3)
    return _finish(fig, df, title)


def adaptation_curve(
    curve: pd.DataFrame,
    *,
    metric: str = "tone_macro_f1",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """A metric on each outlet's held-out articles against the number of its own coded sentences
    in the training pool (:func:`analysis.adaptation.adaptation_curve`), with 95% CIs.

    Parameters
    ----------
    curve : pandas.DataFrame
        The adaptation table (``outlet, n_own, metric, value, ci_low, ci_high``).
    metric : str, default "tone_macro_f1"

    Returns
    -------
    matplotlib.figure.Figure
        One line per outlet (markers and colours by outlet, points dodged sideways so that
        the intervals do not overlap), on a 0-1 axis; at ``n_own = 0`` the model is
        leave-one-outlet-out.  Plotted data: the selected rows.
    """
    _require(curve, ["outlet", "n_own", "metric", "value", "ci_low", "ci_high"], "adaptation_curve")
    df = curve[curve["metric"] == metric].sort_values(["outlet", "n_own"], kind="mergesort").reset_index(drop=True)
    if df.empty:
        raise InputError(f"adaptation_curve: no rows for metric {metric!r}")
    outlets = sorted(df["outlet"].unique().tolist())
    sizes = sorted(df["n_own"].unique().tolist())
    step = (max(sizes) - min(sizes)) / max(len(sizes) - 1, 1) if len(sizes) > 1 else 1.0
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        for k, o in enumerate(outlets):
            g = df[df["outlet"] == o]
            dx = (k - (len(outlets) - 1) / 2) * step * 0.06
            ax.errorbar(g["n_own"] + dx, g["value"], yerr=[g["value"] - g["ci_low"], g["ci_high"] - g["value"]],
                        fmt="-" + MARKERS[k % len(MARKERS)], color=CYCLE_COLORS[k % len(CYCLE_COLORS)],
                        capsize=2, linewidth=0.8, markersize=3, label=_text(o))
        ax.set_xticks(sizes)
        ax.set_ylim(0, 1)
        ax.set_xlabel(_text("coded sentences of the outlet in the training pool (0: leave-one-outlet-out); "
                            "scored on its held-out half of articles"))
        ax.set_ylabel(_text(f"{metric.replace('_', ' ')} (95% CI)"))
        ax.grid(axis="y", linewidth=0.3)
        fig.legend(loc="outside upper center", frameon=False, ncols=min(2, len(outlets)))
    return _finish(fig, df, title)
