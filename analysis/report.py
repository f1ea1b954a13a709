"""Report shaping: the headline tables for papers and every chart, from a run's written tables.

:func:`render_figures` reads the tables back as written (:func:`analysis.tableio.read_run_tables`), so the
command line and the "figures for the paper" notebook produce byte-identical files; the data of a
chart is computed by a measure function of this module (table -> tidy table) and drawn by
:mod:`analysis.plots`.  :mod:`analysis.pipeline` re-exports the public names.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import plot_events, plots, sentiment
from . import tables as tables_mod
from .tableio import read_run_tables

__all__ = ["PAPER_TABLES", "FIGURE_TABLES", "KEYNESS_VS", "paper_tables", "density_by_period", "warmth_by_period",
           "render_figures", "write_validation"]

#: Separator of the two groups in the ``target`` column of a keyness table that contrasts periods
#: (``"2022 vs 2021"``: the latest period against the earliest, single-outlet corpora).
KEYNESS_VS = " vs "


def density_by_period(measures: pd.DataFrame) -> pd.DataFrame:
    """Measure: mean protocol density of the articles (per 1,000 words) by period and outlet.

    *measures*: the ``protocol_measures`` table (``period, source, density_per_1000``), dated rows.
    Returns ``period, group, density_per_1000`` (``group`` = outlet), sorted by period, group.
    """
    agg = (measures.groupby(["period", "source"], sort=True)[["density_per_1000"]]
           .mean().reset_index().rename(columns={"source": "group"}))
    return agg[["period", "group", "density_per_1000"]]


def warmth_by_period(measures: pd.DataFrame) -> pd.DataFrame:
    """Measure: warmth index by period and outlet: the mean warmth per protocol match, pooled over
    the group's matches (each article's ``warmth_index`` weighted by its ``n_matches``; articles
    without matches do not count), as :func:`analysis.protocol.group_measures` defines it.

    *measures*: the ``protocol_measures`` table (``period, source, n_matches, warmth_index``).
    Returns ``period, group, warmth_index`` (``group`` = outlet), sorted by period, group; groups
    without any match are left out.
    """
    m = measures[(measures["n_matches"] > 0) & measures["warmth_index"].notna()]
    m = m.assign(_w=m["warmth_index"] * m["n_matches"])
    agg = m.groupby(["period", "source"], sort=True)[["_w", "n_matches"]].sum().reset_index()
    agg["warmth_index"] = agg["_w"] / agg["n_matches"]
    return agg.rename(columns={"source": "group"})[["period", "group", "warmth_index"]]


#: The tables :func:`paper_tables` exports.
PAPER_TABLES: tuple[str, ...] = ("protocol_counts", "bundles", "dyad_tone")
#: Pairs shown in the paper table of tone by pair and period (those with the most articles), so
#: that it fits a page; the full table is ``tables/dyad_tone.csv``.
PAPER_TOP_PAIRS = 10


def dyad_tone_for_paper(dyad_tone: pd.DataFrame, *, top: int = PAPER_TOP_PAIRS) -> pd.DataFrame:
    """Measure: the paper version of ``dyad_tone``: the *top* pairs by articles (ties by name;
    the unresolved-pair row left out), dated periods, and the interval as one text column
    ``ci`` ("[-0.12, 0.40]", or "n.a." for a cell under the minimum support)."""
    dt = dyad_tone[(dyad_tone["dyad"].astype(str) != sentiment.UNRESOLVED_DYAD)]
    support = dt.groupby("dyad")["n_articles"].sum()
    order = sorted(support.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))[:top]
    keep = [d for d, _ in order]
    dt = dt[dt["dyad"].isin(keep)].copy()
    dt["_rank"] = dt["dyad"].map({d: i for i, d in enumerate(keep)})
    dt = dt.sort_values(["_rank", "period"], kind="mergesort")
    low = dt["low_support"].astype(bool) if "low_support" in dt.columns else dt["ci_low"].isna()
    dt["ci"] = [
        "n.a." if lo_flag or pd.isna(lo) else f"[{lo:.2f}, {hi:.2f}]"
        for lo_flag, lo, hi in zip(low, dt["ci_low"], dt["ci_high"])
    ]
    return dt[["dyad", "period", "n_sentences", "n_articles", "tone_mean", "ci", "baseline_delta"]].reset_index(drop=True)


def paper_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Export the headline result tables for papers (LaTeX booktabs + rounded CSV) into *out_dir*."""
    written: list[Path] = []
    if "protocol_counts" in tables:
        pc = tables["protocol_counts"]
        pc = pc[pc["by"] == "all"][["category", "frequency", "docfreq", "per_1000"]]
        written += tables_mod.export_table(
            pc, "protocol_categories", out_dir=out_dir,
            columns={"category": "Category", "frequency": "Matches", "docfreq": "Articles",
                     "per_1000": "Per 1,000 words"},
            digits={"per_1000": 2}, caption="Protocol formulas by category.", label="tab:protocol-categories")
    if "bundles" in tables:
        b = tables["bundles"].sort_values(["frequency", "feature"], ascending=[False, True], kind="mergesort")
        written += tables_mod.export_table(
            b.head(20)[["feature", "n", "frequency", "docfreq", "per_million"]], "top_bundles", out_dir=out_dir,
            columns={"feature": "Bundle", "n": "Words", "frequency": "Frequency", "docfreq": "Range (articles)",
                     "per_million": "Per million words"},
            digits={"per_million": 1}, caption="Most frequent lexical bundles.", label="tab:bundles")
    if "dyad_tone" in tables:
        dt = dyad_tone_for_paper(tables["dyad_tone"])
        written += tables_mod.export_table(
            dt, "dyad_tone", out_dir=out_dir,
            columns={"dyad": "Pair", "period": "Period", "n_sentences": "Sentences", "n_articles": "Articles",
                     "tone_mean": "Mean tone", "ci": "95% CI", "baseline_delta": "Change vs pair baseline"},
            digits=2, caption=(
                f"Tone toward bilateral ties by pair and period: the {PAPER_TOP_PAIRS} pairs with the most "
                f"articles (cluster bootstrap by article; n.a.: fewer than {sentiment.MIN_ARTICLES} articles, "
                "no interval computed)."),
            label="tab:dyad-tone")
    return sorted(written)


# ----------------------------------------------------------------------------------------------
# Figures


#: The tables the charts of :func:`render_figures` are drawn from.
FIGURE_TABLES: tuple[str, ...] = ("articles", "cleaning_summary", "protocol_counts", "protocol_measures",
                                  "readability", "bundles", "keyness", "formulaicity_groups", "dyad_tone", "events",
                                  "paired_readouts")


def _figure_specs(t: Mapping[str, pd.DataFrame]) -> list[tuple[str, Callable[[], Any]]]:
    """(name, figure factory) for every chart the tables support (charts of empty tables are skipped)."""
    specs: list[tuple[str, Callable[[], Any]]] = []

    def add(name: str, data: pd.DataFrame | None, make: Callable[[pd.DataFrame], Any]) -> None:
        if data is not None and not data.empty:
            specs.append((name, lambda d=data: make(d)))

    arts = t.get("articles")
    if arts is not None:
        add("articles_per_month", arts[["doc_id", "date", "source"]].dropna(subset=["date"]).reset_index(drop=True),
            lambda d: plots.articles_per_month(d))
    if "cleaning_summary" in t:
        rem = t["cleaning_summary"]
        add("removals_by_reason", rem[rem["table"] == "removals"].reset_index(drop=True),
            lambda d: plots.removals_by_reason(d))
    if "protocol_counts" in t:
        pc = t["protocol_counts"]
        add("protocol_profile", pc[pc["by"] == "all"].reset_index(drop=True), lambda d: plots.protocol_profile(d))
    if "protocol_measures" in t:
        pm = t["protocol_measures"]
        dated = pm[pm["period"].notna() & (pm["period"].astype(str) != "")]
        if not dated.empty:
            add("protocol_density_over_time", density_by_period(dated),
                lambda d: plots.density_over_time(d, group="group"))
            add("protocol_warmth_over_time", warmth_by_period(dated),
                lambda d: plots.density_over_time(d, value="warmth_index", group="group",
                                                  ylabel="Warmth index (mean warmth per match)"))
        if "readability" in t:
            rd = pm[["doc_id", "source", "density_per_1000"]].merge(
                t["readability"][["doc_id", "flesch_reading_ease"]], on="doc_id")
            add("readability_vs_density", rd, lambda d: plots.readability_vs_density(d, group="source"))
    if "bundles" in t:
        add("top_bundles", t["bundles"], lambda d: plots.top_bundles(d, top=20))
    if "keyness" in t and not t["keyness"].empty:
        kt = t["keyness"]
        first = sorted(kt["target"].astype(str).unique())[0]
        # an outlet against the other outlets, or "LATEST vs EARLIEST" (periods of a single outlet)
        target_label, sep, reference_label = first.partition(KEYNESS_VS)
        add("keyness_" + _slug(first), kt[kt["target"] == first].drop(columns="target").reset_index(drop=True),
            lambda d, f=target_label, r=(reference_label if sep else "other outlets"):
            plots.keyness_chart(d, top=15, target_label=f, reference_label=r))
    if "formulaicity_groups" in t:
        fg = t["formulaicity_groups"]
        per = fg[(fg["by"] == "period") & fg["group"].notna()].rename(columns={"group": "period"})
        add("formulaicity_over_time", per[["period", "formulaicity"]].reset_index(drop=True),
            lambda d: plots.formulaicity_over_time(d))
    if "dyad_tone" in t:
        dt = t["dyad_tone"]
        dt = dt[dt["period"].notna() & ~dt["period"].astype(str).isin(["", "undated"])]
        top = (dt.groupby("dyad")["n_sentences"].sum().sort_values(ascending=False, kind="mergesort")
               .head(8).index.tolist())
        sel = dt[dt["dyad"].isin(top)].reset_index(drop=True)
        add("tone_heatmap", sel, lambda d: plots.tone_heatmap(d))
        top4 = top[:4]
        add("tone_trends", sel[sel["dyad"].isin(top4)].reset_index(drop=True),
            lambda d: plots.tone_trends(d))
    if "events" in t:
        ev = t["events"]
        top_level = ev["parent"].fillna(-1).astype(int) < 0 if "parent" in ev.columns else True
        add("event_counts", ev[ev["dyad"].notna() & (ev["dyad"].astype(str) != "") & top_level]
            .reset_index(drop=True), lambda d: plots.event_counts(d, top=10))
    if "paired_readouts" in t:
        pr = t["paired_readouts"]
        add("paired_tone", pr[pr["tone_a"].notna() & pr["tone_b"].notna()].reset_index(drop=True),
            lambda d: plot_events.paired_tone(d, top=20))
    return specs


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def render_figures(
    tables_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    only: Sequence[str] | None = None,
) -> list[Path]:
    """Render every chart from a run's tables into *out_dir* (PDF, SVG, PNG + CSV/JSON sidecars).

    Figures are rendered from the tables as written (read back from CSV), so the
    CLI and the "figures for the paper" notebook produce byte-identical files.
    """
    manifest_path = Path(tables_dir) / "run.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    tables = read_run_tables(tables_dir, names=FIGURE_TABLES)
    written: list[Path] = []
    with plots.style_context("nature_single"):
        for name, make in _figure_specs(tables):
            if only is not None and name not in only:
                continue
            fig = make()
            # The CSV sidecar holds exactly what the chart drew (after top-N selection and sorting).
            written += plots.save_figure(
                fig, name, out_dir=out_dir, data=plots.plotted_data(fig), params=manifest.get("parameters", {}),
                corpus_fingerprint=manifest.get("corpus_fingerprint", ""),
            )
    return sorted(written)


def write_validation(result: Any, out: str | os.PathLike[str]) -> list[Path]:
    """Write a :class:`analysis.validate.ValidationResult` for papers: ``OUT/tables/validation_metrics.csv``
    (leave-one-outlet-out, per outlet and pooled, with 95% CIs), ``validation_confusion.csv`` (counts only:
    no gold text is written), ``validation_refits.csv`` when the result has refits (the held-out tone
    macro-F1 of each refit, for paired comparisons), and as figures in ``OUT/figures/`` the tone confusion
    matrices (this package and plain VADER) and tone macro-F1 by held-out outlet."""
    out_dir = Path(out)
    tables_dir, figures_dir = out_dir / "tables", out_dir / "figures"
    tables_dir.mkdir(parents=True, exist_ok=True)
    written = []
    tables = [("validation_metrics", result.metrics), ("validation_confusion", result.confusion)]
    if len(result.refits):
        tables.append(("validation_refits", result.refits))
    for name, df in tables:
        path = tables_dir / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    cm = result.confusion
    params = {"scheme": "leave-one-outlet-out", "bootstrap": result.n_boot, "seed": result.seed,
              "gold": Path(result.gold).name}
    with plots.style_context("nature_single"):
        for model, title in (("ours", "This package (leave-one-outlet-out)"), ("vader", "Plain VADER")):
            sel = cm[(cm["task"] == "tone") & (cm["model"] == model)][["gold", "predicted", "n"]]
            fig = plots.confusion_matrix(sel.reset_index(drop=True), title=title)
            written += plots.save_figure(fig, f"validation_confusion_tone_{model}", out_dir=figures_dir,
                                         data=plots.plotted_data(fig), params=params,
                                         corpus_fingerprint=result.gold_fingerprint)
        fig = plots.validation_by_outlet(result.metrics, metric="tone_macro_f1")
        written += plots.save_figure(fig, "validation_tone_by_outlet", out_dir=figures_dir,
                                     data=plots.plotted_data(fig), params=params,
                                     corpus_fingerprint=result.gold_fingerprint)
    return sorted(written)



def write_adaptation(curve: pd.DataFrame, out: str | os.PathLike[str], *,
                     params: Mapping[str, Any] | None = None) -> list[Path]:
    """Write an adaptation curve (:func:`analysis.adaptation.adaptation_curve`) for papers:
    ``OUT/tables/adaptation_curve.csv`` (figures only, no text) and the figure
    ``OUT/figures/adaptation_tone`` (tone macro-F1 against the outlet's own coded sentences)."""
    out_dir = Path(out)
    tables_dir, figures_dir = out_dir / "tables", out_dir / "figures"
    tables_dir.mkdir(parents=True, exist_ok=True)
    path = tables_dir / "adaptation_curve.csv"
    curve.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    written = [path]
    with plots.style_context("nature_single"):
        fig = plots.adaptation_curve(curve, metric="tone_macro_f1")
        written += plots.save_figure(fig, "adaptation_tone", out_dir=figures_dir, data=plots.plotted_data(fig),
                                     params={"scheme": "adaptation curve", **dict(params or {})})
    return sorted(written)

# ----------------------------------------------------------------------------------------------
