"""Validation against hand-coded sentences, with the outlet as the unit of generalisation.

A researcher's outlet is always one the model was not fitted on, so every figure here is
**leave-one-outlet-out**: for each outlet (``source``) of the gold file, the fitted
decisions of :mod:`analysis.tone_model` (tone, protocol) are fitted on the labelled training sentences of
*all other* outlets (the training pool: by default the project's shipped hand-coded
sentences, plus the standoff part when the corpora are given, plus nothing of the held-out
outlet) and the held-out outlet's gold sentences are predicted with them.  The
regularisation strength is chosen inside that fit by leave-one-outlet-out CV over the
training outlets only (nested), so no label of the held-out outlet is ever used.

Pair detection (``dyad``) and ``about_ties`` are rule-based (no fitted part); their
figures are the same under any split.

Every metric has a 95% percentile bootstrap interval that resamples **articles** (all
sentences of an article together; 1,000 resamples, seeded), per outlet and pooled; the
difference to plain VADER is bootstrapped paired (same resamples).

Baselines on the same items: tone, plain VADER compound with the conventional +-0.05
band (Hutto & Gilbert 2014); ``about_ties`` and ``protocol``, the majority class of the
held-out items; ``dyad``, the most frequent gold pair.

References
----------
Hutto, C. J., & Gilbert, E. (2014). VADER. *Proceedings of ICWSM-14*.
Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69(3), 369-390.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import coded, config, tone_fit, tone_model
from analysis import sentiment as _s
from analysis.errors import InputError
from analysis.schema import CONFUSION_COLUMNS, METRIC_COLUMNS, REFIT_COLUMNS
from analysis.training import item_features

__all__ = ["METRIC_COLUMNS", "REFIT_COLUMNS", "ValidationResult", "load_gold", "validate", "format_report", "binary_f1",
           "macro_f1", "article_bootstrap"]

SCHEME = "leave-one-outlet-out"


@dataclass
class ValidationResult:
    """Output of :func:`validate`.

    Attributes
    ----------
    metrics
        :data:`METRIC_COLUMNS`: one row per outlet (and ``all``, pooled) and metric.
    confusion
        Pooled confusion counts ``task, model, gold, predicted, n``.
    predictions
        One row per gold item: gold and held-out predicted labels, VADER, the outlet the
        model was held out for.
    training
        Per held-out outlet: training sentences, outlets, and the C chosen per task.
    refits
        :data:`REFIT_COLUMNS`, with ``n_refit``: the held-out tone macro-F1 of every refit, per
        outlet and pooled (empty otherwise).  Refit *r* of an outlet draws the same resample of
        training articles in every run with the same seed and the same training articles, so two
        versions of a lexicon, rule or feature compare refit by refit (paired differences cancel
        most of the noise of a single fit; VALIDITY.md).
    """

    metrics: pd.DataFrame
    confusion: pd.DataFrame
    predictions: pd.DataFrame
    training: pd.DataFrame
    gold: str = ""
    gold_fingerprint: str = ""
    n_boot: int = 1000
    seed: int = config.RANDOM_SEED
    notes: list[str] = field(default_factory=list)
    refits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REFIT_COLUMNS)))


def load_gold(path: str | Path, *, corpora: coded.Folders | None = None) -> list[dict[str, Any]]:
    """Read a gold JSONL file (the fields of :data:`analysis.coded.GOLD_FIELDS`; ``source``
    optional, default "unknown outlet"), or a standoff file rebuilt from *corpora*
    (:func:`analysis.coded.load_gold`); a malformed line raises :class:`InputError` naming it."""
    items = coded.load_gold(path, corpora=corpora)
    for it in items:
        it.setdefault("source", "unknown outlet")
    return items


def binary_f1(y: np.ndarray, p: np.ndarray) -> float:
    """F1 of the positive class of two boolean arrays (0 when neither has a positive).

    Examples
    --------
    >>> binary_f1(np.array([True, True, False]), np.array([True, False, False]))
    0.6666666666666666
    """
    tp = int((y & p).sum())
    den = 2 * tp + int((~y & p).sum()) + int((y & ~p).sum())
    return 2 * tp / den if den else 0.0


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    """Macro-F1 over the tone classes -1, 0 and 1 (each class's :func:`binary_f1`, averaged).

    Examples
    --------
    >>> macro_f1(np.array([-1, 0, 1, 1]), np.array([-1, 0, 1, 0]))
    0.7777777777777777
    """
    return float(np.mean([binary_f1(y == c, p == c) for c in (-1, 0, 1)]))


def _metric_fns(d: Mapping[str, np.ndarray]) -> dict[str, tuple[Any, Any, str]]:
    """metric -> (ours(idx), baseline(idx), baseline name); idx indexes the items."""
    def tone_sel(idx: np.ndarray) -> np.ndarray:
        return idx[d["g_about"][idx]]

    def maj(v: np.ndarray) -> bool:
        return bool(v.mean() >= 0.5) if len(v) else True

    def dyad_base(idx: np.ndarray) -> float:
        t = tone_sel(idx)
        if not len(t):
            return float("nan")
        vals, counts = np.unique(d["g_dyad"][t].astype(str), return_counts=True)
        return float(counts.max() / len(t))

    def acc(a: np.ndarray, b: np.ndarray) -> float:
        return float((a == b).mean()) if len(a) else float("nan")

    return {
        "tone_macro_f1": (lambda i: macro_f1(d["g_tone"][tone_sel(i)], d["p_tone"][tone_sel(i)]),
                          lambda i: macro_f1(d["g_tone"][tone_sel(i)], d["v_tone"][tone_sel(i)]), "plain VADER"),
        "tone_accuracy": (lambda i: acc(d["g_tone"][tone_sel(i)], d["p_tone"][tone_sel(i)]),
                          lambda i: acc(d["g_tone"][tone_sel(i)], d["v_tone"][tone_sel(i)]), "plain VADER"),
        "about_ties_f1": (lambda i: binary_f1(d["g_about"][i], d["p_about"][i]),
                          lambda i: binary_f1(d["g_about"][i], np.full(len(i), maj(d["g_about"][i]))), "majority class"),
        "dyad_accuracy": (lambda i: acc(d["g_dyad"][tone_sel(i)], d["p_dyad"][tone_sel(i)]),
                          dyad_base, "most frequent pair"),
        "protocol_f1": (lambda i: binary_f1(d["g_prot"][i], d["p_prot"][i]),
                        lambda i: binary_f1(d["g_prot"][i], np.full(len(i), maj(d["g_prot"][i]))), "majority class"),
    }


def article_bootstrap(articles: np.ndarray, idx: np.ndarray, n_boot: int,
                      rng: np.random.Generator) -> list[np.ndarray]:
    """*n_boot* cluster-bootstrap resamples of the items *idx* (indices into *articles*): each
    draws as many articles as there are, with replacement, and takes all their items."""
    groups: dict[str, list[int]] = {}
    for i in idx:
        groups.setdefault(str(articles[i]), []).append(int(i))
    keys = sorted(groups)
    members = [np.asarray(groups[k]) for k in keys]
    out = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(keys), len(keys))
        out.append(np.concatenate([members[k] for k in pick]) if len(keys) else idx)
    return out


def _rows_for(label: str, idx: np.ndarray, d: Mapping[str, np.ndarray], n_boot: int, seed: int) -> list[tuple]:
    fns = _metric_fns(d)
    rng = np.random.default_rng(seed)
    boots = article_bootstrap(d["article"], idx, n_boot, rng)
    rows = []
    n_art = len(set(d["article"][idx].astype(str).tolist()))
    n_about = int(d["g_about"][idx].sum())
    for name, (ours, base, bname) in fns.items():
        o, b = ours(idx), base(idx)
        bo = np.array([ours(x) for x in boots])
        bb = np.array([base(x) for x in boots])
        n = n_about if name.startswith(("tone", "dyad")) else len(idx)

        def ci(v: np.ndarray) -> tuple[float, float]:
            v = v[np.isfinite(v)]
            return (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if len(v) else (np.nan, np.nan)

        rows.append((SCHEME, label, name, o, *ci(bo), b, bname, *ci(bb), n, n_art))
        if name == "tone_macro_f1":
            rows.append((SCHEME, label, "tone_macro_f1_minus_vader", o - b, *ci(bo - bb), 0.0, "no difference",
                         0.0, 0.0, n, n_art))
    return rows


def _refit_tones(fitted: Sequence[tuple[str, list[int], Any]], pool: Sequence[Mapping[str, Any]],
                 p_feats: Sequence[Mapping[str, float]], g_feats: Sequence[Mapping[str, float]], src: np.ndarray,
                 n_refit: int, seed: int) -> np.ndarray:
    """Tone predictions of every gold item by *n_refit* refits per held-out outlet (rows: refits):
    the tone decision fitted on an article-bootstrap resample of the outlet's training sentences
    about ties, C fixed at the value of the outlet's model (*fitted*: outlet, training indices
    into *pool*, model).  A resample with a single tone class predicts that class."""
    out = np.zeros((n_refit, len(src)), dtype=int)
    for k, (o, tr, model) in enumerate(fitted):
        idx = np.nonzero(src == o)[0]
        fs = [g_feats[i] for i in idx]
        sel = [i for i in tr if pool[i]["about_ties"] and pool[i].get("tone") is not None]
        arts = np.asarray([str(pool[i]["article_id"]) for i in sel], dtype=object)
        rng = np.random.default_rng([seed, 2000 + k])
        for r, draw in enumerate(article_bootstrap(arts, np.arange(len(sel)), n_refit, rng)):
            items = [sel[j] for j in draw]
            y = [int(pool[i]["tone"]) for i in items]
            if len(set(y)) < 2:
                out[r, idx] = y[0] if y else 0
                continue
            task = tone_fit.fit_task("tone", [p_feats[i] for i in items], y,
                                     [str(pool[i]["source"]) for i in items], C=model.tasks["tone"].C)
            out[r, idx] = tone_model.SentenceModel({**model.tasks, "tone": task}, model.meta).tone(fs)[0]
    return out


def _refit_values(idx: np.ndarray, d: Mapping[str, np.ndarray], refits: np.ndarray) -> np.ndarray:
    """The held-out tone macro-F1 of each refit (rows of *refits*) on the items *idx*."""
    return np.array([_metric_fns({**d, "p_tone": p})["tone_macro_f1"][0](idx) for p in refits])


def _refit_row(label: str, idx: np.ndarray, d: Mapping[str, np.ndarray], vals: np.ndarray) -> tuple:
    """The ``tone_macro_f1_refit`` row of *label*: the main figure and the 95% range of the refits'
    figures *vals* (:func:`_refit_values`)."""
    main = _metric_fns(d)["tone_macro_f1"][0](idx)
    vals = vals[np.isfinite(vals)]
    lo, hi = (float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))) if len(vals) else (np.nan, np.nan)
    n_art = len(set(d["article"][idx].astype(str).tolist()))
    return (SCHEME, label, "tone_macro_f1_refit", main, lo, hi, np.nan, "training articles resampled", np.nan,
            np.nan, int(d["g_about"][idx].sum()), n_art)


def validate(
    gold_path: str | Path | None = None,
    *,
    train: Sequence[Mapping[str, Any]] | None = None,
    corpora: coded.Folders | None = None,
    n_boot: int = 1000,
    seed: int = config.RANDOM_SEED,
    gazetteer: Any | None = None,
    n_refit: int = 0,
    blind_outlets: bool = False,
) -> ValidationResult:
    """Leave-one-outlet-out figures of the sentence model on a gold file.

    Parameters
    ----------
    gold_path
        Gold JSONL (fields of :data:`analysis.coded.GOLD_FIELDS`, plus ``source`` naming
        the outlet; ``url``/``home_country`` optional).  Default: the shipped coded
        sentences (with *corpora*: their standoff part too, every outlet of the set; the
        Chinese foreign ministry's part, ``standoff_mfa.jsonl``, only when its corpus is in one
        of the folders, and a note says when it is not).
    train
        Labelled training pool (same fields).  Default: the shipped coded sentences, plus
        the standoff sentences rebuilt from *corpora* when given (as for *gold_path*).  Items of the held-out
        outlet, and any item whose ``item`` id or ``article_id`` is in the gold file's held-out
        outlet, never enter its model.
    corpora
        Folder of the development corpora (or several folders), for the standoff part of the
        default pool, and for a gold file given as standoff labels (e.g.
        ``data/coded/standoff_mfa.jsonl``).
    n_boot
        Bootstrap resamples (articles).
    n_refit
        Refits for the spread of the model itself (default 0: none): each held-out outlet's tone
        decision is fitted again on *n_refit* article-bootstrap resamples of its training pool,
        with C fixed at the value chosen on the whole pool, and predicts the same held-out
        sentences.  Rows ``tone_macro_f1_refit`` (per outlet and pooled) give the main figure
        in ``ours`` and the 2.5 and 97.5 percentiles over the refits in ``ci_low``/``ci_high``.
        The bootstrap CIs of the other rows resample the test articles only; this spread shows
        how much a different training sample moves the figure (choosing C again in every refit,
        not done here, would add its own variation).
    blind_outlets
        Score the gold items as items of outlets the outlets file does not know: each outlet's
        ``source`` is replaced by a neutral key (``outlet-1``, ...) and ``url`` and
        ``home_country`` are dropped before the rules read them, so the home country comes
        from the items' titles and text
        (:func:`analysis.outlet_context.item_contexts`), as for a researcher's own outlet under
        a key of their own.  Rows, grouping and training are by the real outlet as without it.

    Returns
    -------
    ValidationResult
    """
    if n_refit < 0:
        raise InputError(f"validate: n_refit must be 0 or more, got {n_refit}")
    full_default = gold_path is None and corpora is not None
    gold_path = Path(gold_path) if gold_path is not None else config.CODED_SENTENCES
    gold = load_gold(gold_path, corpora=corpora)
    extra: list[dict[str, Any]] = []  # the shipped standoff part (and the MFA part, when its corpus is given)
    notes_in: list[str] = []
    if corpora is not None and (full_default or train is None):
        extra, notes_in = coded.shipped_standoff(corpora)
    if full_default:  # the whole shipped set, standoff outlets included
        gold += extra
    if train is None:
        pool = coded.load_items() + [dict(x) for x in extra]
    else:
        pool = [dict(x) for x in train]
    for it in pool:
        it.setdefault("source", "unknown outlet")
    key = lambda it: (str(it["sentence"]), str(it["title"]), str(it["prev"]), str(it.get("source")))  # noqa: E731
    scored = gold
    if blind_outlets:
        neutral = {o: f"outlet-{k + 1}" for k, o in enumerate(sorted({str(g["source"]) for g in gold}))}
        scored = [{k: v for k, v in dict(g, source=neutral[str(g["source"])]).items() if k not in ("url", "home_country")}
                  for g in gold]
    g_feats, g_exs = item_features(scored, gazetteer=gazetteer)
    cache = {key(it): (f, e) for it, f, e in zip(scored, g_feats, g_exs)}
    todo = [it for it in pool if key(it) not in cache]
    t_feats, t_exs = item_features(todo, gazetteer=gazetteer)
    cache.update({key(it): (f, e) for it, f, e in zip(todo, t_feats, t_exs)})
    p_feats = [cache[key(it)][0] for it in pool]

    n = len(gold)
    src = np.array([str(g["source"]) for g in gold], dtype=object)
    p_prot = np.zeros(n, bool)
    p_tone = np.zeros(n, int)
    p_score = np.zeros(n)
    training = []
    fitted: list[tuple[str, list[int], Any]] = []
    meta = {"version": "validation", "source": "validation fit", "licence": "-", "citation": "-"}
    for o in sorted(set(src.tolist())):
        held = src == o
        held_ids = {str(gold[i]["item"]) for i in np.nonzero(held)[0]}
        held_articles = {str(gold[i]["article_id"]) for i in np.nonzero(held)[0]}
        tr = [i for i, it in enumerate(pool) if str(it["source"]) != o and str(it["item"]) not in held_ids
              and str(it["article_id"]) not in held_articles]
        if not tr:
            raise InputError(f"validate: no training sentences outside outlet {o!r}; pass a training pool with "
                             "other outlets (the shipped coded sentences are the default)")
        model = tone_fit.fit([pool[i] for i in tr], [p_feats[i] for i in tr], meta=meta)
        idx = np.nonzero(held)[0]
        fs = [g_feats[i] for i in idx]
        fitted.append((o, tr, model))
        p_prot[idx] = model.protocol(fs) >= 0.5
        t, sc = model.tone(fs)
        p_tone[idx], p_score[idx] = t, sc
        training.append({"held_out": o, "n_train": len(tr),
                         "train_outlets": ",".join(sorted({str(pool[i]["source"]) for i in tr})),
                         **{f"C_{k}": model.tasks[k].C for k in tone_model.TASKS}})
    g_about = np.array([bool(g["about_ties"]) for g in gold])
    g_tone = np.array([int(g["tone"]) if g["tone"] is not None else 9 for g in gold])
    g_dyad = np.array([str(g["dyad"] or "") for g in gold], dtype=object)
    g_prot = np.array([bool(g["protocol"]) for g in gold])
    p_about = np.array([bool(e.rule_about) for e in g_exs])
    pairs = np.array([e.pair for e in g_exs], dtype=object)
    p_dyad = np.where(p_about, pairs, "").astype(object)
    vader = np.array([_s.vader_compound(str(g["sentence"] or "")) for g in gold])
    v_tone = np.array([_s.vader_tone(v) for v in vader])
    d = {"g_about": g_about, "g_tone": g_tone, "g_dyad": g_dyad, "g_prot": g_prot, "p_about": p_about,
         "p_tone": p_tone, "p_dyad": p_dyad, "p_prot": p_prot, "v_tone": v_tone,
         "article": np.array([str(g["article_id"]) for g in gold], dtype=object)}
    rows = []
    for k, o in enumerate(sorted(set(src.tolist()))):
        rows += _rows_for(o, np.nonzero(src == o)[0], d, n_boot, seed + k)
    rows += _rows_for("all", np.arange(n), d, n_boot, seed + 1000)
    per_refit = []
    if n_refit:
        refits = _refit_tones(fitted, pool, p_feats, g_feats, src, n_refit, seed)
        for o in [*sorted(set(src.tolist())), "all"]:
            idx = np.arange(n) if o == "all" else np.nonzero(src == o)[0]
            vals = _refit_values(idx, d, refits)
            rows.append(_refit_row(o, idx, d, vals))
            per_refit += [(o, r, float(v)) for r, v in enumerate(vals.tolist())]
    metrics = pd.DataFrame(rows, columns=list(METRIC_COLUMNS))
    refit_table = pd.DataFrame(per_refit, columns=list(REFIT_COLUMNS)).astype({"refit": "int64"})

    conf = []
    for model_name, pt in (("ours", p_tone), ("vader", v_tone)):
        for gv in (-1, 0, 1):
            for pv in (-1, 0, 1):
                conf.append(("tone", model_name, str(gv), str(pv), int(((g_tone == gv) & (pt == pv) & g_about).sum())))
    for task, gy, py in (("about_ties", g_about, p_about), ("protocol", g_prot, p_prot)):
        for gv in (False, True):
            for pv in (False, True):
                conf.append((task, "ours", str(gv), str(pv), int(((gy == gv) & (py == pv)).sum())))
    confusion = pd.DataFrame(conf, columns=list(CONFUSION_COLUMNS))
    preds = pd.DataFrame({
        "item": [g["item"] for g in gold], "article_id": [g["article_id"] for g in gold], "outlet": src,
        "sentence": [g["sentence"] for g in gold],
        "gold_about_ties": g_about, "about_ties": p_about, "gold_dyad": g_dyad, "dyad": p_dyad,
        "gold_tone": pd.array([int(t) if t != 9 else None for t in g_tone], dtype="Int64"),
        "tone": pd.array(np.where(g_about | p_about, p_tone, 0).tolist(), dtype="Int64"),
        "score": np.round(p_score, 6), "vader_compound": vader, "vader_tone": v_tone,
        "gold_protocol": g_prot, "protocol": p_prot, "reason": [e.reason for e in g_exs],
    })
    notes = notes_in + [
        "every figure is leave-one-outlet-out: the model predicting an outlet was fitted only on other outlets",
        "tone metrics on gold about-ties sentences (the model's tone, whatever its about_ties decision)",
        "95% CIs: percentile bootstrap over articles (1,000 resamples unless n_boot says otherwise)",
    ]
    if blind_outlets:
        notes.append("blind outlets: the gold items were scored under neutral outlet keys without URLs or home "
                     "countries (their home countries inferred from their titles and text)")
    if n_refit:
        notes.append(f"tone_macro_f1_refit: its interval is the 2.5-97.5 percentile range of the held-out figure over "
                     f"{n_refit} refits on article-bootstrap resamples of the training pool (C as chosen on the "
                     "whole pool), not a test-set bootstrap")
    fp = hashlib.sha256(gold_path.read_bytes()).hexdigest()[:16]
    return ValidationResult(metrics=metrics, confusion=confusion, predictions=preds,
                            training=pd.DataFrame(training), gold=config.relpath(gold_path), gold_fingerprint=fp,
                            n_boot=n_boot, seed=seed, notes=notes, refits=refit_table)


def format_report(result: ValidationResult) -> str:
    """The figures of a :class:`ValidationResult` as plain text (what the CLI prints)."""
    lines = [f"Validation on {result.gold}: {SCHEME} (each outlet predicted by a model fitted on the others)", ""]
    m = result.metrics
    lines.append(f"{'outlet':<24}{'metric':<28}{'ours':>7} {'95% CI':<15}{'baseline':>9} {'(name)':<20}{'n':>6}")
    for r in m.itertuples(index=False):
        lines.append(f"{r.outlet[:23]:<24}{r.metric:<28}{r.ours:>7.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}] "
                     f"{r.baseline:>8.3f}  {r.baseline_name[:19]:<20}{r.n:>6d}")
    lines += ["", "Training sets:", result.training.to_string(index=False), "", "Notes:"]
    lines += [f"- {x}" for x in result.notes]
    return "\n".join(lines)
