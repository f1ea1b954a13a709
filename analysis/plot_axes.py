"""Building blocks of the chart modules: axis labels, legends, period axes, line and bar helpers.

Internal to :mod:`analysis.plot_charts` and :mod:`analysis.plot_counts`; the
public chart functions are re-exported by :mod:`analysis.plots`.  Period values
equal to :data:`analysis.schema.MISSING_PERIOD` (``"undated"``) are left out of
period axes.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.errors import InputError
from analysis.plot_style import (
    _PLOTTED_ATTR,
    CYCLE_COLORS,
    HATCHES,
    LINESTYLES,
    MARKERS,
    Preset,
    _preset,
    style,
)
from analysis.schema import MISSING_PERIOD

#: Axis labels (with units) of the measures the package produces.
LABELS: dict[str, str] = {
    "per_1000": "Rate (matches per 1,000 words)",
    "frequency": "Frequency (count)",
    "docfreq": "Range (documents)",
    "per_million": "Frequency (per million words)",
    "density_per_1000": "Protocol density (matched tokens per 1,000 words)",
    "warmth_index": "Warmth index (mean lexicon warmth, −2 to +2)",
    "warmth": "Warmth (mean lexicon warmth, −2 to +2)",
    "sentence_share": "Protocol sentences (share of sentences, 0–1)",
    "honorific_rate": "Honorifics (matches per 1,000 words)",
    "formulaicity": "Formulaicity (share of word tokens in recurrent n-grams, 0–1)",
    "tone_mean": "Mean tone toward the pair (−1 to +1)",
    "baseline_delta": "Tone minus the pair's mean (tone units)",
    "g2": "Signed log-likelihood G² (+ target, − reference)",
    "log_ratio": "Log ratio (log₂ of relative-frequency ratio)",
    "flesch_reading_ease": "Flesch Reading Ease (score; higher = easier)",
    "flesch_kincaid_grade": "Flesch-Kincaid grade (US school grade)",
    "n_words": "Length (words)",
    "n": "Count",
}

_EVENT_TYPES = (
    "reception",
    "meeting",
    "talks",
    "phone_call",
    "message",
    "congratulation",
    "condolence",
    "visit",
    "signing",
)


def _label(column: str, override: str | None) -> str:
    if override is not None:
        return override
    return LABELS.get(column, column.replace("_", " "))


def _require(df: Any, columns: Iterable[str], func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{func}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{func}: missing column(s) {missing}; the table has {list(map(str, df.columns))}")


def _text(value: Any) -> str:
    """A data value as label text: literal dollar signs (no mathtext)."""
    s = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return s.replace("$", r"\$")


def _wrap(value: Any, width: int) -> str:
    s = _text(value)
    return "\n".join(textwrap.wrap(s, width=width, break_long_words=True)) or s


def _wrap_width(p: Preset) -> int:
    # Category labels may take about 40% of the figure width.
    return max(12, int(0.4 * p.width_in * 72 / (0.6 * p.small_pt)))


@contextmanager
def _building(preset: str | None) -> Iterator[Preset]:
    p = _preset(preset)
    with matplotlib.rc_context(style(p.name)):
        yield p


def _new_figure(
    p: Preset, *, height_ratio: float | None, rows: int = 0, min_ratio: float = 0.0, labels: Sequence[Any] = ()
) -> Figure:
    """A figure of the preset width; tall enough for *rows* bar/heatmap rows at the small type size.

    *labels* are the row labels: when some wrap onto several lines, every row gets that many lines.
    """
    ratio = p.height_ratio if height_ratio is None else float(height_ratio)
    if not ratio > 0:
        raise InputError(f"height_ratio must be > 0, got {height_ratio!r}")
    height = max(p.width_in * ratio, p.width_in * min_ratio)
    if rows and height_ratio is None:
        lines = max((_wrap(v, _wrap_width(p)).count("\n") + 1 for v in labels), default=1)
        row_in = (1.2 * lines + 0.8) * p.small_pt / 72.0
        height = max(height, rows * row_in + 5.0 * p.font_pt / 72.0)
    return Figure(figsize=(p.width_in, height), layout="constrained", dpi=150 if p.is_print else 100)


def _finish(fig: Figure, data: pd.DataFrame, title: str | None) -> Figure:
    """Attach the plotted table, set the title and lay out once inside the style context.

    Drawing once here creates the tick labels while the preset's rcParams are
    active, so the figure looks the same wherever it is later drawn.
    """
    if title:
        fig.suptitle(_text(title), x=0.01, ha="left")
    setattr(fig, _PLOTTED_ATTR, data.reset_index(drop=True))
    fig.draw_without_rendering()
    _fit_axis_labels(fig)
    return fig


def _fit_axis_labels(fig: Figure) -> None:
    """Wrap axis labels (incl. colour-bar labels) that are longer than their axes, then lay out again."""
    for _ in range(3):
        changed = False
        for ax in fig.axes:
            for label, along in ((ax.xaxis.label, ax.bbox.width), (ax.yaxis.label, ax.bbox.height)):
                text = label.get_text()
                if not text or along <= 0:
                    continue
                ext = label.get_window_extent()
                length = max(ext.width, ext.height) if label is ax.yaxis.label else ext.width
                if length <= along * 1.02:
                    continue
                flat = " ".join(text.split())
                lines = text.count("\n") + 2
                width = max(8, math.ceil(len(flat) / lines) + 1)
                new = "\n".join(textwrap.wrap(flat, width=width, break_long_words=False))
                if new != text:
                    label.set_text(new)
                    changed = True
        if not changed:
            return
        fig.draw_without_rendering()


def _legend_columns(labels: Sequence[str], p: Preset) -> int:
    """Most legend columns whose entries fit the figure width (matplotlib fills columns first)."""
    n = len(labels)
    available = 0.95 * p.width_in * 72
    for ncols in range(n, 0, -1):
        nrows, large = divmod(n, ncols)
        sizes = [nrows + 1] * large + [nrows] * (ncols - large)
        width, start = 0.0, 0
        for size in sizes:
            column = labels[start:start + size]
            start += size
            longest = max((len(line) for s in column for line in s.split("\n")), default=0)
            width += (longest + 5) * 0.62 * p.small_pt  # handle ~2.5 em + label + padding
        if width <= available:
            return ncols
    return 1


def _legend(fig: Figure, handles: list[Any], labels: list[str], p: Preset, title: str | None = None) -> None:
    """One legend above the axes (outside, so it never covers data), long labels wrapped."""
    if len(handles) < 2:
        return
    width = max(12, int(0.45 * p.width_in * 72 / (0.62 * p.small_pt)))
    wrapped = ["\n".join(textwrap.wrap(s, width=width, break_long_words=False)) or s for s in labels]
    ncols = _legend_columns(wrapped, p)
    fig.legend(handles, wrapped, loc="outside upper center", ncols=ncols, title=title, handlelength=2.5)


def _period_key(value: Any) -> tuple[pd.Timestamp, str, str]:
    """(start timestamp, label, kind) of one period value."""
    if isinstance(value, pd.Period):
        freq = value.freqstr
        kind = {"Y": "year", "Q": "quarter", "M": "month", "D": "date"}.get(freq[:1], "period")
        return value.start_time, str(value), kind
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat"):
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        label = ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
        return ts, label, "date"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = str(int(value))
    if isinstance(value, str):
        s = value.strip()
        kind = (
            "year"
            if re.fullmatch(r"\d{4}", s)
            else "quarter"
            if re.fullmatch(r"\d{4}-?Q[1-4]", s, flags=re.I)
            else "month"
            if re.fullmatch(r"\d{4}-\d{2}", s)
            else "date"
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s)
            else None
        )
        if kind is not None:
            try:
                per = pd.Period(s.upper())
            except (ValueError, TypeError):
                per = None
            if per is not None:
                return per.start_time, s, kind
    raise InputError(
        f"cannot read period {value!r}: use '2022', '2022-Q1', '2022-03', '2022-03-15', a Period or a timestamp"
    )


def _dated(df: pd.DataFrame, date_col: str) -> pd.DataFrame:
    """*df* without the rows whose period is :data:`~analysis.schema.MISSING_PERIOD` (``"undated"``)."""
    return df.loc[df[date_col].astype(str) != MISSING_PERIOD]


def _periods(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Start timestamps and labels of a period column, and the axis label."""
    keys = [_period_key(v) for v in values]
    starts = pd.Series([k[0] for k in keys], index=values.index, dtype="datetime64[ns]")
    labels = pd.Series([k[1] for k in keys], index=values.index, dtype=object)
    kinds = {k[2] for k in keys}
    kind = kinds.pop() if len(kinds) == 1 else "period"
    axis = {
        "year": "Period (year)",
        "quarter": "Period (quarter)",
        "month": "Period (month)",
        "date": "Date",
        "period": "Period",
    }[kind]
    return starts, labels, axis


_NICE_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120, 240)


def _max_ticks(p: Preset, label_len: int) -> int:
    """How many flat labels of *label_len* characters fit along the axes (about 80% of the width)."""
    return max(2, int(0.8 * p.width_in * 72 / ((label_len + 2) * 0.65 * p.small_pt)))


def _set_period_ticks(ax: Any, positions: Sequence[Any], labels: Sequence[str], p: Preset, *, axis: str = "x") -> None:
    """Tick every period, or every k-th so flat labels never collide.

    k is a round step: 1, 2, 3, 4, 6, 12, ... (months), 1, 2, 4, 8, ... (quarters), 1, 2, 5, 10, ... (years).
    """
    n = len(labels)
    if n == 0:
        return
    longest = max(len(s) for s in labels)
    need = math.ceil(n / _max_ticks(p, longest))
    if all(re.fullmatch(r"\d{4}-?Q[1-4]", s, flags=re.I) for s in labels):
        steps: Sequence[int] = (1, 2, 4, 8, 12, 20, 40)  # quarters: whole years when thinned
    elif all(re.fullmatch(r"\d{4}", s) for s in labels):
        steps = (1, 2, 5, 10, 20, 50, 100)
    else:
        steps = _NICE_STEPS
    step = next((k for k in steps if k >= need), need)
    idx = list(range(0, n, step))
    set_ticks = ax.set_xticks if axis == "x" else ax.set_yticks
    set_ticks([positions[i] for i in idx], labels=[labels[i] for i in idx])


def _lines(
    table: pd.DataFrame,
    *,
    func: str,
    date_col: str,
    value: str,
    group: str | None,
    ci: tuple[str, str] | None,
    ylabel: str | None,
    preset: str | None,
    height_ratio: float | None,
    title: str | None,
    zero_line: bool = False,
    from_zero: bool = False,
) -> Figure:
    if group is None and "group" in table.columns:
        group = "group"
    need = [date_col, value] + ([group] if group else []) + (list(ci) if ci else [])
    _require(table, need, func)
    df = _dated(table[need].copy(), date_col)
    if group is None:
        group = "_series"
        df[group] = ""
    df[group] = df[group].astype(str)
    starts, labels, xlabel = _periods(df[date_col])
    df["_start"] = starts
    df["_label"] = labels
    dup = df.duplicated([group, "_start", "_label"])
    if dup.any():
        row = df[dup].iloc[0]
        raise InputError(
            f"{func}: more than one row for {group}={row[group]!r}, {date_col}={row['_label']!r}; aggregate first"
        )
    df = df.sort_values([group, "_start", "_label"], kind="mergesort")
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        handles, names = [], []
        no_interval = False
        for i, (g, part) in enumerate(df.groupby(group, sort=True)):
            x = part["_start"].to_numpy()
            y = part[value].to_numpy(dtype=float)
            color = CYCLE_COLORS[i % len(CYCLE_COLORS)]
            (line,) = ax.plot(
                x,
                y,
                color=color,
                linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)],
                markevery=max(1, math.ceil(len(part) / 12)),  # at most ~12 markers per line
                label=_text(g),
            )
            if ci:
                lo = part[ci[0]].to_numpy(dtype=float)
                ax.fill_between(x, lo, part[ci[1]].to_numpy(dtype=float), color=color, alpha=0.18, linewidth=0)
                bare = np.isnan(lo) & np.isfinite(y)  # a point without an interval (too few articles)
                if bare.any():
                    ax.plot(x[bare], y[bare], linestyle="none", marker=MARKERS[i % len(MARKERS)],
                            markerfacecolor="white", markeredgecolor=color, zorder=3)
                    no_interval = True
            handles.append(line)
            names.append(_text(g))
        if zero_line:
            ax.axhline(0, color="#000000", linewidth=p.axes_line_pt, zorder=0)
        if from_zero and (df[value].dropna() >= 0).all():  # a rate or share: the axis starts at 0
            ax.set_ylim(bottom=0)
        ticks = df.drop_duplicates(["_start", "_label"]).sort_values(["_start", "_label"], kind="mergesort")
        _set_period_ticks(ax, list(ticks["_start"]), list(ticks["_label"]), p)
        ax.set_xlabel(xlabel + ("; open markers: no interval (too few articles)" if no_interval else ""))
        ax.set_ylabel(_label(value, ylabel))
        if group != "_series":
            _legend(fig, handles, names, p)
    plotted = df.drop(columns=["_start", "_label"] + (["_series"] if group == "_series" else []))
    plotted = plotted[[c for c in need if c in plotted.columns]]
    return _finish(fig, plotted, title)


def _bar_colors(n: int, hatch: bool) -> list[tuple[str, str]]:
    """(colour, hatch) of n bar series; past 8 series the hatches shift so no pair repeats."""
    k = len(CYCLE_COLORS)
    return [(CYCLE_COLORS[i % k], HATCHES[(i + i // k) % len(HATCHES)] if hatch else "") for i in range(n)]


def _hatch_edge(color: str, hatch: str) -> str:
    """Edge (= hatch) colour: black lines, white on the black bar; bars without hatch get white gaps."""
    if not hatch:
        return "white"
    return "white" if color.upper() == "#000000" else "black"


def _barh_axis(ax: Any, labels: list[str], p: Preset, ylabel: str) -> None:
    ax.set_yticks(range(len(labels)), labels=[_wrap(s, _wrap_width(p)) for s in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row at the top
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="y", length=0)
