"""Tests of analysis.plots: presets, byte-reproducible saving, sidecars, every chart on tiny tables."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import analysis
from analysis import plots, schema
from analysis.errors import InputError

PROJECT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- tiny tables


def t_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["AZE", "AZE", "AZE", "RUS", "RUS"],
            "category": ["reception", "congratulation", "ritual relationship formula", "reception", "honorific"],
            "frequency": [10, 4, 3, 6, 2],
            "docfreq": [5, 3, 2, 4, 2],
            "per_1000": [12.5, 5.0, 3.75, 8.0, 2.5],
        }
    )


def t_measures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2022-04", "2022-01", "2022-02", "2022-02", "2022-01"],
            "group": ["a", "a", "a", "b", "b"],
            "density_per_1000": [9.0, 10.0, 12.0, 7.0, 5.0],
        }
    )


def t_bundles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": ["the two countries", "in the framework of", "$5 billion deal", "on the occasion of",
                        "at the invitation of"],
            "n": [3, 4, 3, 4, 4],
            "frequency": [18, 20, 9, 15, 9],
            "docfreq": [10, 12, 1, 9, 7],
            "per_million": [360.0, 400.0, 180.0, 300.0, 180.0],
            "group": ["all"] * 5,
        }
    )


def t_keyness() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": ["reception", "warm", "strategic", "war", "sanctions", "talks", "neutral"],
            "g2": [25.1, 10.2, 3.3, -30.5, -12.0, -1.5, 0.0],
            "log_ratio": [2.0, 1.0, 0.5, -3.0, -1.5, -0.2, 0.0],
        }
    )


def t_formulaicity() -> pd.DataFrame:
    return pd.DataFrame(
        {"period": ["2022", "2021", "2021", "2022"], "group": ["x", "x", "y", "y"],
         "formulaicity": [0.25, 0.21, 0.30, 0.28]}
    )


def t_dyad_tone() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dyad": ["AZE-RUS", "AZE-RUS", "AZE-RUS", "ARM-AZE", "ARM-AZE"],
            "period": ["2021-Q3", "2021-Q1", "2021-Q2", "2021-Q1", "2021-Q3"],
            "n_sentences": [55, 40, 12, 8, 31],
            "n_articles": [12, 10, 4, 3, 9],
            "tone_mean": [0.7, 0.6, 0.4, -0.5, -0.2],
            "ci_low": [0.6, 0.5, 0.1, -0.9, -0.4],
            "ci_high": [0.8, 0.7, 0.7, -0.1, 0.0],
            "baseline_delta": [0.13, 0.03, -0.17, -0.15, 0.15],
        }
    )


def t_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "date": pd.to_datetime(["2022-01-01"] * 6, utc=True),
            "type": ["reception", "phone_call", "phone_call", "meeting", "congratulation", "reception"],
            "host": ["AZE"] * 6,
            "guest": ["RUS", "RUS", "TUR", "TUR", "RUS", ""],
            "host_rank": ["president"] * 6,
            "guest_rank": ["governor"] * 6,
            "dyad": ["AZE-RUS", "AZE-RUS", "AZE-TUR", "AZE-TUR", "AZE-RUS", ""],
        }
    )


def t_confusion() -> pd.DataFrame:
    return pd.DataFrame({"gold": [1, -1, -1, 0, 0, 1], "predicted": [1, -1, 1, 0, 1, 0], "n": [50, 10, 2, 30, 5, 3]})


def t_readability() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "group": ["s1", "s1", "s2", "s2"],
            "density_per_1000": [10.0, 20.0, 5.0, 30.0],
            "flesch_reading_ease": [30.0, 25.0, 50.0, 10.0],
        }
    )


def t_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": list("abcde"),
            "date": pd.to_datetime(["2022-01-05", "2022-01-20", "2022-03-02", None, "2022-03-30"], utc=True),
            "source": ["wh", "wh", "ua", "ua", "wh"],
        }
    )


def t_removals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "field": ["text", "title", "text"],
            "start": [0, 10, 5],
            "end": [50, 18, 25],
            "text": ["x" * 50, "-UPDATED", "y" * 20],
            "reason": ["boilerplate", "title marker", "boilerplate"],
            "replacement": ["", "", ""],
        }
    )


CHARTS = {
    "protocol_profile": (plots.protocol_profile, t_counts, {}),
    "density_over_time": (plots.density_over_time, t_measures, {}),
    "top_bundles": (plots.top_bundles, t_bundles, {}),
    "keyness_chart": (plots.keyness_chart, t_keyness, {"top": 2}),
    "formulaicity_over_time": (plots.formulaicity_over_time, t_formulaicity, {}),
    "tone_heatmap": (plots.tone_heatmap, t_dyad_tone, {}),
    "tone_trends": (plots.tone_trends, t_dyad_tone, {}),
    "event_counts": (plots.event_counts, t_events, {}),
    "confusion_matrix": (plots.confusion_matrix, t_confusion, {}),
    "readability_vs_density": (plots.readability_vs_density, t_readability, {}),
    "articles_per_month": (plots.articles_per_month, t_articles, {}),
    "removals_by_reason": (plots.removals_by_reason, t_removals, {}),
}


@pytest.fixture(autouse=True)
def _restore_style():
    """use_style changes global state: restore it after every test."""
    saved = matplotlib.rcParams.copy()
    preset = plots._active["preset"]
    yield
    matplotlib.rcParams.update(saved)
    plots._active["preset"] = preset


def _texts(fig: Figure) -> list[Text]:
    """The texts a draw actually shows (tick labels outside the view limits are not drawn)."""
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = 1e-9 * max(1.0, abs(hi - lo))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if loc is None or not (lo - eps <= loc <= hi + eps):
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [
        t for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


# --------------------------------------------------------------------------- style


def test_import_changes_no_rcparams_and_no_backend() -> None:
    code = (
        "import sys, matplotlib\n"
        "keys = [k for k in matplotlib.rcParams if k != 'backend']  # reading 'backend' resolves it\n"
        "before = {k: repr(matplotlib.rcParams[k]) for k in keys}\n"
        "backend = matplotlib.rcParams._get_backend_or_none()\n"
        "import analysis.plots, analysis.tables\n"
        "after = {k: repr(matplotlib.rcParams[k]) for k in keys}\n"
        "assert before == after, sorted(k for k in before if before[k] != after[k])\n"
        "assert matplotlib.rcParams._get_backend_or_none() == backend\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "print('ok')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


def test_presets_widths_and_print_type_sizes() -> None:
    assert plots.PRESETS["nature_single"].width_mm == 89.0
    assert plots.PRESETS["nature_double"].width_mm == 183.0
    assert "slide" in plots.PRESETS
    for p in plots.PRESETS.values():
        if p.is_print:
            assert 5.0 <= p.small_pt <= p.font_pt <= 8.0, p.name
        assert p.source


def test_style_params() -> None:
    rc = plots.style("nature_single")
    assert rc["pdf.fonttype"] == 42 and rc["ps.fonttype"] == 42
    assert rc["svg.fonttype"] == "path"
    assert rc["svg.hashsalt"] == plots.SVG_HASHSALT
    assert rc["font.sans-serif"] == ["DejaVu Sans"]
    assert rc["figure.figsize"] == pytest.approx((89 / 25.4, 89 / 25.4 * 0.75))
    cyc = list(rc["axes.prop_cycle"])
    assert [c["color"] for c in cyc] == list(plots.CYCLE_COLORS)
    assert set(plots.CYCLE_COLORS) == set(plots.OKABE_ITO)
    assert len({c["linestyle"] for c in cyc}) == len(cyc) == len({c["marker"] for c in cyc})
    with pytest.raises(InputError, match="unknown figure preset"):
        plots.style("nature")


def test_use_style_sets_rcparams_and_default_preset() -> None:
    plots.use_style("slide")
    assert matplotlib.rcParams["font.size"] == plots.PRESETS["slide"].font_pt
    assert matplotlib.rcParams["pdf.fonttype"] == 42
    assert plots.active_preset() == "slide"
    fig = plots.top_bundles(t_bundles())
    assert fig.get_size_inches()[0] == pytest.approx(10.0)


def test_figure_helper_size() -> None:
    fig = plots.figure("nature_double", height_ratio=0.5)
    assert isinstance(fig, Figure)
    assert fig.get_size_inches() == pytest.approx((183 / 25.4, 183 / 25.4 * 0.5))
    assert plots.figure("nature_single", height_mm=50).get_size_inches()[1] == pytest.approx(50 / 25.4)


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_returns_labelled_readable_figure(name: str) -> None:
    func, make, kwargs = CHARTS[name]
    table = make()
    before = table.copy()
    # a hostile global style must not leak into the chart: the preset is applied while building
    with matplotlib.rc_context({"font.size": 20, "font.family": "serif", "xtick.labelsize": 18}):
        fig = func(table, **kwargs)
    pd.testing.assert_frame_equal(table, before)  # caller's frame untouched
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert fig.get_size_inches()[0] == pytest.approx(89 / 25.4)
    assert isinstance(plots.plotted_data(fig), pd.DataFrame) and len(plots.plotted_data(fig)) > 0

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = _texts(fig)
    fig_box = fig.bbox
    boxes = []
    for t in texts:
        assert t.get_fontname() == "DejaVu Sans", (name, t.get_text())
        assert 5.0 <= t.get_fontsize() <= 8.0, (name, t.get_text(), t.get_fontsize())
        box = t.get_window_extent(renderer)
        # inside the figure (1 px tolerance)
        assert box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1, (name, t.get_text())
        assert box.y0 >= fig_box.y0 - 1 and box.y1 <= fig_box.y1 + 1, (name, t.get_text())
        boxes.append((t.get_text(), box))
    for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
        overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_w <= 0.5 or overlap_h <= 0.5, f"{name}: {ta!r} overlaps {tb!r}"


def test_protocol_profile_order_and_data() -> None:
    fig = plots.protocol_profile(t_counts())
    data = plots.plotted_data(fig)
    # categories by mean per_1000 over groups: reception 10.25, congratulation 2.5, ritual 1.875, honorific 1.25
    assert data["category"].tolist() == ["reception"] * 2 + ["congratulation"] * 2 + [
        "ritual relationship formula"] * 2 + ["honorific"] * 2
    assert data["group"].tolist() == ["AZE", "RUS"] * 4
    assert data["per_1000"].tolist() == [12.5, 8.0, 5.0, 0.0, 3.75, 0.0, 0.0, 2.5]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "reception", "congratulation", "ritual relationship formula", "honorific"]
    assert fig.axes[0].get_xlabel() == "Rate (matches per 1,000 words)"


def test_density_over_time_sorts_periods_and_keeps_gaps() -> None:
    fig = plots.density_over_time(t_measures())
    ax = fig.axes[0]
    line_a = ax.lines[0]
    x = pd.to_datetime(np.asarray(line_a.get_xdata()))
    assert [d.strftime("%Y-%m") for d in x] == ["2022-01", "2022-02", "2022-04"]
    assert list(line_a.get_ydata()) == [10.0, 12.0, 9.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022-01", "2022-02", "2022-04"]
    assert ax.get_xlabel() == "Period (month)"
    # long labels are wrapped to the axes height: compare the words
    assert " ".join(ax.get_ylabel().split()) == "Protocol density (matched tokens per 1,000 words)"
    # the two groups differ in colour, line style and marker
    a, b = ax.lines[:2]
    assert a.get_color() != b.get_color() and a.get_linestyle() != b.get_linestyle()
    assert a.get_marker() != b.get_marker()


@pytest.mark.parametrize(
    "periods, labels, axis",
    [
        (["2022", "2021", "2023"], ["2021", "2022", "2023"], "Period (year)"),
        (["2022Q1", "2021Q4", "2022Q2"], ["2021Q4", "2022Q1", "2022Q2"], "Period (quarter)"),
        (["2022-Q1", "2021-Q4", "2022-Q2"], ["2021-Q4", "2022-Q1", "2022-Q2"], "Period (quarter)"),
        (
            list(pd.to_datetime(["2022-03-01", "2021-12-01", "2022-01-01"], utc=True)),
            ["2021-12-01", "2022-01-01", "2022-03-01"],
            "Date",
        ),
        (list(pd.PeriodIndex(["2022-03", "2021-12", "2022-01"], freq="M")), ["2021-12", "2022-01", "2022-03"],
         "Period (month)"),
    ],
)
def test_period_forms(periods, labels, axis) -> None:
    df = pd.DataFrame({"period": periods, "warmth_index": [1.0, 0.5, -0.5]})
    fig = plots.density_over_time(df, value="warmth_index")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == labels
    assert ax.get_xlabel() == axis
    assert ax.get_ylabel().startswith("Warmth index (")


def test_bad_period_and_duplicates() -> None:
    with pytest.raises(InputError, match="cannot read period 'spring'"):
        plots.density_over_time(pd.DataFrame({"period": ["spring"], "density_per_1000": [1.0]}))
    dup = pd.DataFrame({"period": ["2022", "2022"], "density_per_1000": [1.0, 2.0]})
    with pytest.raises(InputError, match="more than one row"):
        plots.density_over_time(dup)


def test_top_bundles_order_annotation_and_dollar() -> None:
    fig = plots.top_bundles(t_bundles(), top=4)
    data = plots.plotted_data(fig)
    # per_million desc, docfreq desc, feature: the 180-tie goes to the bundle in more documents
    assert data["feature"].tolist() == [
        "in the framework of", "the two countries", "on the occasion of", "at the invitation of"]
    ax = fig.axes[0]
    annotations = [t.get_text() for t in ax.texts]
    assert annotations == ["12 docs", "10 docs", "9 docs", "7 docs"]
    fig = plots.top_bundles(t_bundles())
    # a literal dollar is kept literal (no mathtext)
    assert r"\$5 billion deal" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert fig.axes[0].get_xlabel() == "Frequency (per million words)"
    multi = pd.concat([t_bundles(), t_bundles().assign(group="other")])
    with pytest.raises(InputError, match="pass group="):
        plots.top_bundles(multi)
    assert len(plots.plotted_data(plots.top_bundles(multi, group="other"))) == 5


def test_keyness_chart_sides() -> None:
    fig = plots.keyness_chart(t_keyness(), top=2)
    data = plots.plotted_data(fig)
    assert data["feature"].tolist() == ["reception", "warm", "sanctions", "war"]
    assert data["side"].tolist() == ["target", "target", "reference", "reference"]
    fig = plots.keyness_chart(t_keyness(), top=5, measure="log_ratio")
    assert plots.plotted_data(fig)["feature"].tolist() == [
        "reception", "warm", "strategic", "talks", "sanctions", "war"]
    assert fig.axes[0].get_xlabel().startswith("Log ratio")
    with pytest.raises(InputError, match="measure"):
        plots.keyness_chart(t_keyness(), measure="pmi")


def test_tone_heatmap_matrix_and_annotations() -> None:
    fig = plots.tone_heatmap(t_dyad_tone())
    ax = fig.axes[0]
    arr = ax.images[0].get_array()
    assert arr.shape == (2, 3)
    # rows ARM-AZE, AZE-RUS; columns 2021Q1..Q3; ARM-AZE has no 2021Q2
    assert bool(arr.mask[0, 1])
    assert arr[0, 0] == pytest.approx(-0.5) and arr[1, 2] == pytest.approx(0.7)
    # cells under 5 articles (the bootstrap's unit): AZE-RUS 2021-Q2 (4), ARM-AZE 2021-Q1 (3)
    assert sorted(t.get_text() for t in ax.texts) == ["n=3", "n=4"]
    assert "articles" in ax.get_xlabel() and "no interval" in ax.get_xlabel()
    # without n_articles the sentences count, with the threshold given
    by_sentences = plots.tone_heatmap(t_dyad_tone().drop(columns="n_articles"), small_n=30)
    assert sorted(t.get_text() for t in by_sentences.axes[0].texts) == ["n=12", "n=8"]
    norm = ax.images[0].norm
    assert (norm.vmin, norm.vcenter, norm.vmax) == (-1.0, 0.0, 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021-Q1", "2021-Q2", "2021-Q3"]
    assert fig.axes[1].get_ylabel() == "Mean tone toward the pair (−1 to +1)"


def test_period_charts_leave_undated_rows_out() -> None:
    dt = pd.concat([t_dyad_tone(), t_dyad_tone().iloc[[0]].assign(period=schema.MISSING_PERIOD)], ignore_index=True)
    fig = plots.tone_heatmap(dt)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2021-Q1", "2021-Q2", "2021-Q3"]
    pd.testing.assert_frame_equal(plots.plotted_data(fig), plots.plotted_data(plots.tone_heatmap(t_dyad_tone())))
    trend = plots.tone_trends(dt, dyads=["AZE-RUS"])
    assert list(trend.axes[0].lines[0].get_ydata()) == [0.6, 0.4, 0.7]
    assert schema.MISSING_PERIOD not in set(plots.plotted_data(trend)["period"])


def test_tone_trends_bands_and_filter() -> None:
    fig = plots.tone_trends(t_dyad_tone(), dyads=["AZE-RUS"])
    ax = fig.axes[0]
    assert len(ax.collections) == 1  # one CI band
    assert list(ax.lines[0].get_ydata()) == [0.6, 0.4, 0.7]
    with pytest.raises(InputError, match="unknown dyad"):
        plots.tone_trends(t_dyad_tone(), dyads=["USA-CHN"])


def test_event_counts_table() -> None:
    data = plots.plotted_data(plots.event_counts(t_events()))
    assert data.to_dict("list") == {
        "dyad": ["AZE-RUS", "AZE-RUS", "AZE-RUS", "AZE-TUR", "AZE-TUR", "(no pair)"],
        "type": ["reception", "phone_call", "congratulation", "meeting", "phone_call", "reception"],
        "n": [1, 1, 1, 1, 1, 1],
    }
    assert plots.plotted_data(plots.event_counts(t_events(), by=None, top=1)).to_dict("list") == {
        "dyad": ["AZE-RUS"], "n": [3]}


def test_confusion_matrix_values() -> None:
    fig = plots.confusion_matrix(t_confusion())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-1", "0", "1"]
    assert ax.images[0].get_array().tolist() == [[10, 0, 2], [0, 30, 5], [0, 3, 50]]
    assert [t.get_text() for t in ax.texts] == ["10", "0", "2", "0", "30", "5", "0", "3", "50"]
    fig = plots.confusion_matrix(t_confusion(), normalize=True)
    share = plots.plotted_data(fig).set_index(["gold", "predicted"])["share"]
    assert share[(-1, -1)] == pytest.approx(10 / 12) and share[(1, 0)] == pytest.approx(3 / 53)
    with pytest.raises(InputError, match="not in labels"):
        plots.confusion_matrix(t_confusion(), labels=[-1, 0])


def test_readability_scatter_points() -> None:
    fig = plots.readability_vs_density(t_readability())
    ax = fig.axes[0]
    assert ax.collections[0].get_offsets().tolist() == [[10.0, 30.0], [20.0, 25.0]]
    assert ax.get_ylabel().startswith("Flesch Reading Ease")


def test_articles_per_month_counts_and_undated_note() -> None:
    fig = plots.articles_per_month(t_articles())
    data = plots.plotted_data(fig)
    assert data.to_dict("list") == {
        "month": ["2022-01", "2022-01", "2022-02", "2022-02", "2022-03", "2022-03"],
        "source": ["ua", "wh", "ua", "wh", "ua", "wh"],
        "n": [0, 2, 0, 0, 1, 1],
    }
    assert fig.axes[0].get_xlabel() == "Month (UTC); 1 undated article not shown"


def test_removals_by_reason_counts_chars_and_summary() -> None:
    assert plots.plotted_data(plots.removals_by_reason(t_removals())).to_dict("list") == {
        "reason": ["boilerplate", "title marker"], "count": [2, 1]}
    assert plots.plotted_data(plots.removals_by_reason(t_removals(), value="chars")).to_dict("list") == {
        "reason": ["boilerplate", "title marker"], "chars": [70, 8]}
    summary = pd.DataFrame({"status": ["loaded", "removed", "removed"], "reason": ["", "repeated paragraph", "x"],
                            "n": [100, 3, 3]})
    assert plots.plotted_data(plots.removals_by_reason(summary)).to_dict("list") == {
        "reason": ["repeated paragraph", "x"], "count": [3, 3]}


def test_missing_column_is_one_line_input_error() -> None:
    with pytest.raises(InputError, match=r"tone_heatmap: missing column\(s\) \['n_sentences'\]"):
        plots.tone_heatmap(t_dyad_tone().drop(columns=["n_sentences", "n_articles"]))


# --------------------------------------------------------------------------- saving


def _build_and_save(out: Path) -> list[Path]:
    fig = plots.tone_heatmap(t_dyad_tone())
    return plots.save_figure(
        fig,
        "tone_heatmap",
        out_dir=out,
        data=plots.plotted_data(fig),
        params={"period": "quarter", "n_boot": 1000, "gold": PROJECT / "data" / "x.jsonl", "ci": 0.95},
        corpus_fingerprint="0123456789abcdef",
    )


def test_save_figure_byte_identical_and_sidecars(tmp_path: Path) -> None:
    a = _build_and_save(tmp_path / "a")
    b = _build_and_save(tmp_path / "b")
    names = [p.name for p in a]
    assert names == sorted(names) == [
        "tone_heatmap.csv", "tone_heatmap.json", "tone_heatmap.pdf", "tone_heatmap.png", "tone_heatmap.svg"]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name

    meta_text = (tmp_path / "a" / "tone_heatmap.json").read_text(encoding="utf-8")
    assert meta_text.endswith("}\n")
    meta = json.loads(meta_text)
    assert meta["figure"] == "tone_heatmap"
    assert meta["corpus_fingerprint"] == "0123456789abcdef"
    assert meta["parameters"] == {"ci": 0.95, "gold": "data/x.jsonl", "n_boot": 1000, "period": "quarter"}
    assert meta["package_version"] == analysis.__version__
    assert meta["matplotlib_version"] == matplotlib.__version__
    assert meta["columns"] == ["dyad", "period", "tone_mean", "n_articles"]
    assert meta["rows"] == 5
    assert list(meta) == sorted(meta)
    assert meta["size_mm"][0] == 89.0

    csv = pd.read_csv(tmp_path / "a" / "tone_heatmap.csv")
    expected = plots.plotted_data(plots.tone_heatmap(t_dyad_tone()))
    pd.testing.assert_frame_equal(csv, expected.reset_index(drop=True), check_dtype=False)
    assert csv["dyad"].tolist() == ["ARM-AZE", "ARM-AZE", "AZE-RUS", "AZE-RUS", "AZE-RUS"]

    # no timestamps or machine paths in any file
    for p in a:
        raw = p.read_bytes()
        assert b"CreationDate" not in raw and b"<dc:date>" not in raw
        assert str(PROJECT).encode() not in raw


def test_png_dpi_and_size(tmp_path: Path) -> None:
    from PIL import Image

    paths = _build_and_save(tmp_path)
    png = next(p for p in paths if p.suffix == ".png")
    with Image.open(png) as im:
        assert im.size == (round(89 / 25.4 * 300), round(89 / 25.4 * 0.75 * 300))
        assert round(im.info["dpi"][0]) == 300
        assert "Software" not in im.info


def _pdf_streams(raw: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, flags=re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return out


def test_pdf_fonts_are_truetype(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    paths = _build_and_save(tmp_path)
    raw = next(p for p in paths if p.suffix == ".pdf").read_bytes()
    assert b"/FontFile2" in raw  # TrueType font program embedded
    assert re.search(rb"/Subtype\s*/(TrueType|CIDFontType2)", raw)
    assert not re.search(rb"/Subtype\s*/Type[13]\b", raw)
    assert b"/FontFile3" not in raw and b"/FontFile " not in raw
    assert b"DejaVuSans" in raw
    fonts = [s for s in _pdf_streams(raw) if s[:4] in (b"\x00\x01\x00\x00", b"true")]
    assert fonts, "no embedded TrueType program found"
    for s in fonts:
        tt = TTFont(BytesIO(s))
        assert "glyf" in tt


def test_save_is_reproducible_across_processes(tmp_path: Path) -> None:
    here = _build_and_save(tmp_path / "here")
    code = (
        "import sys; from pathlib import Path\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        "import test_plots\n"
        "test_plots._build_and_save(Path(sys.argv[1]))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], capture_output=True, text=True,
                         cwd=PROJECT, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    for p in here:
        assert p.read_bytes() == (tmp_path / "there" / p.name).read_bytes(), p.name


def test_save_figure_validation(tmp_path: Path) -> None:
    fig = plots.removals_by_reason(t_removals())
    data = plots.plotted_data(fig)
    with pytest.raises(InputError, match="bad figure name"):
        plots.save_figure(fig, "../escape", out_dir=tmp_path, data=data)
    with pytest.raises(InputError, match="unsupported format"):
        plots.save_figure(fig, "x", out_dir=tmp_path, data=data, formats=("jpg",))
    with pytest.raises(InputError, match="DataFrame"):
        plots.save_figure(fig, "x", out_dir=tmp_path, data=data.to_dict())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not JSON-serialisable"):
        plots.save_figure(fig, "x", out_dir=tmp_path, data=data, params={"f": object()})
    with pytest.raises(InputError, match="not made by an analysis.plots"):
        plots.plotted_data(Figure())
    paths = plots.save_figure(fig, "only_svg", out_dir=tmp_path, data=data, formats=("svg",))
    assert [p.name for p in paths] == ["only_svg.csv", "only_svg.json", "only_svg.svg"]
    assert b"<dc:date>" not in (tmp_path / "only_svg.svg").read_bytes()


def test_long_time_axis_is_thinned_to_round_steps() -> None:
    months = [str(m) for m in pd.period_range("2021-01", "2024-12", freq="M")]
    df = pd.DataFrame({"period": months, "density_per_1000": np.arange(48, dtype=float)})
    ax = plots.density_over_time(df).axes[0]
    # 48 monthly labels do not fit 89 mm; every 12th does (round step, Januaries)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021-01", "2022-01", "2023-01", "2024-01"]
    assert [t.get_text() for t in plots.density_over_time(df, preset="nature_double").axes[0].get_xticklabels()][
        :3] == ["2021-01", "2021-07", "2022-01"]
    quarters = [f"{y}Q{q}" for y in range(2019, 2025) for q in range(1, 5)]
    dt = pd.DataFrame({"dyad": "AZE-RUS", "period": quarters, "n_sentences": 50, "tone_mean": 0.1})
    ax = plots.tone_heatmap(dt).axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2019Q1" and all(s.endswith("Q1") for s in labels)  # whole years


def test_heatmap_low_support_marks_fit_their_cells() -> None:
    quarters = [f"{y}Q{q}" for y in range(2021, 2025) for q in range(1, 5)]
    dt = pd.DataFrame({"dyad": "AZE-RUS", "period": quarters, "n_sentences": 12, "tone_mean": 0.5})
    fig = plots.tone_heatmap(dt, small_n=30)
    ax = fig.axes[0]
    # 16 columns in 89 mm: "n=12" does not fit a cell, the bare number does, and the axis label says so
    assert {t.get_text() for t in ax.texts} == {"12"}
    assert "sentences in cells with < 30" in " ".join(ax.get_xlabel().split())
    fig = plots.tone_heatmap(dt, preset="nature_double", small_n=30)
    assert {t.get_text() for t in fig.axes[0].texts} == {"n=12"}


def test_removals_by_reason_accepts_corpus_summary() -> None:
    # the shape of corpus.summary: table, status, reason, count, chars, docs
    summary = pd.DataFrame(
        {
            "table": ["report", "report", "removals", "removals", "removals"],
            "status": ["loaded", "rejected", "text", "text", "title"],
            "reason": ["", "empty text", "boilerplate", "repeated paragraph", "boilerplate"],
            "count": [1800, 4, 30, 12, 2],
            "chars": [0, 0, 3000, 5000, 40],
            "docs": [1800, 4, 25, 12, 2],
        }
    )
    assert plots.plotted_data(plots.removals_by_reason(summary)).to_dict("list") == {
        "reason": ["boilerplate", "repeated paragraph"], "count": [32, 12]}
    assert plots.plotted_data(plots.removals_by_reason(summary, value="chars")).to_dict("list") == {
        "reason": ["repeated paragraph", "boilerplate"], "chars": [5000, 3040]}


def test_style_context_restores() -> None:
    size = matplotlib.rcParams["font.size"]
    with plots.style_context("slide"):
        assert plots.active_preset() == "slide"
        assert matplotlib.rcParams["font.size"] == plots.PRESETS["slide"].font_pt
    assert plots.active_preset() == plots.DEFAULT_PRESET
    assert matplotlib.rcParams["font.size"] == size


def test_inline_png_formatter_is_deterministic() -> None:
    """A figure that is a cell's value is shown as a PNG without version or time chunks."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert plots.inline_png(dpi=100) is True
        fig = plots.figure("nature_single")
        fig.add_subplot().plot([0, 1], [1, 0])
        data, _ = shell.display_formatter.format(fig)
        png = data["image/png"]
        raw = png if isinstance(png, bytes) else __import__("base64").b64decode(png)
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"Software" not in raw and b"tIME" not in raw
        again, _ = shell.display_formatter.format(fig)
        assert again["image/png"] == png
        assert data["text/plain"].startswith("<Figure size")
    finally:
        InteractiveShell.clear_instance()


def test_inline_png_outside_ipython_does_nothing() -> None:
    assert plots.inline_png() is False


def test_rates_start_at_zero_and_signed_measures_do_not() -> None:
    df = pd.DataFrame({"period": ["2021", "2022", "2023"], "formulaicity": [0.66, 0.70, 0.68]})
    assert plots.formulaicity_over_time(df).axes[0].get_ylim()[0] == 0
    dens = pd.DataFrame({"period": ["2021", "2022"], "density_per_1000": [100.0, 114.0]})
    assert plots.density_over_time(dens).axes[0].get_ylim()[0] == 0
    warm = pd.DataFrame({"period": ["2021", "2022"], "warmth_index": [0.8, 1.1]})
    assert plots.density_over_time(warm, value="warmth_index").axes[0].get_ylim()[0] < 0  # a line at 0, no clamp
