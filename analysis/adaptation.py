"""How much coding sentences of one's own outlet helps: the adaptation curve.

A researcher's outlet is one the shipped model was not fitted on (:mod:`analysis.validate`
measures that with leave-one-outlet-out figures).  The remedy the README gives is to code some
sentences of one's own outlet and refit (``train-tone --gold`` with the shipped set and one's
own file).  This module measures what that buys, per outlet of a labelled pool:

1. The outlet's articles are split at random (seeded, per repeat) into a **test half** and an
   **adaptation half**; the test half is never used for fitting.
2. The model is fitted on the other outlets only, with the regularisation strength chosen by
   leave-one-outlet-out CV over them (as in :func:`analysis.validate.validate`): ``n_own = 0``,
   the leave-one-outlet-out situation.
3. For each ``n_own`` > 0, that many sentences drawn at random from the adaptation half (nested:
   the 50 are among the 100) join the other outlets' sentences and the model is fitted again
   with the same C per task.  A researcher codes sentences, not only about-ties ones, so
   ``n_own`` counts every coded sentence; the tone decision learns from its about-ties part.
4. Every model predicts the same test half: tone macro-F1 on its gold about-ties sentences,
   protocol F1 on all of them, plain VADER beside (Hutto & Gilbert 2014).

Each figure is the mean over repeats; its 95% interval is the percentile interval of the
article bootstrap (Field & Welsh 2007) pooled over repeats, so it holds the sampling of the
coded sentences, the split and the test articles.  The gain over ``n_own = 0`` is bootstrapped
paired (the same resampled articles for both models).

Pair detection and ``about_ties`` are rules, the same for any training set, so they have no
curve.

References
----------
Hutto, C. J., & Gilbert, E. (2014). VADER. *Proceedings of ICWSM-14*.
Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69(3), 369-390.
Jiang, J., & Zhai, C. (2007). Instance weighting for domain adaptation in NLP. *Proceedings of
ACL 2007*, 264-271.
Daumé III, H. (2007). Frustratingly easy domain adaptation. *Proceedings of ACL 2007*, 256-263
(the supervised setting: a few labelled target-domain examples beside a source-domain set).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import config, tone_fit, tone_model
from analysis import sentiment as _s
from analysis.errors import InputError
from analysis.schema import ADAPTATION_COLUMNS
from analysis.training import item_features
from analysis.validate import article_bootstrap
from analysis.validate import binary_f1 as _f1
from analysis.validate import macro_f1 as _macro

__all__ = ["ADAPTATION_COLUMNS", "DEFAULT_SIZES", "adaptation_curve", "c_from_validation", "format_curve",
           "split_outlet"]

#: Coded sentences of one's own outlet added to the training pool (0: leave-one-outlet-out).
DEFAULT_SIZES: tuple[int, ...] = (0, 50, 100, 150, 200)

_META = {"version": "adaptation", "source": "adaptation fit", "licence": "-", "citation": "-"}


def split_outlet(articles: np.ndarray, own: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, list[int]]:
    """One random split of an outlet's items (indices *own* into *articles*) by article: the
    test items (the articles of a random half, rounded up) and the other items in a random order
    (the sentences a researcher would code, drawn in turn: the first *k* are the *k* coded).

    Examples
    --------
    >>> arts = np.array(["a", "a", "b", "c", "c", "d"], dtype=object)
    >>> test, cand = split_outlet(arts, np.arange(6), np.random.default_rng(0))
    >>> sorted(set(arts[test])), sorted(set(arts[cand])), sorted(test.tolist() + cand)
    (['a', 'c'], ['b', 'd'], [0, 1, 2, 3, 4, 5])
    """
    names = sorted(set(articles[own].tolist()))
    perm = [names[k] for k in rng.permutation(len(names))]
    test_arts = set(perm[: (len(perm) + 1) // 2])
    test = np.array([int(i) for i in own if articles[i] in test_arts], dtype=int)
    cand = [int(i) for i in own if articles[i] not in test_arts]
    return test, [cand[k] for k in rng.permutation(len(cand))]


def adaptation_curve(
    pool: Sequence[Mapping[str, Any]],
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    repeats: int = 3,
    outlets: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = config.RANDOM_SEED,
    C: Mapping[str, float] | None = None,
    own_weight: float = 1.0,
    gazetteer: Any | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Measure: tone and protocol on an outlet's held-out articles as its own coded sentences are added.

    Parameters
    ----------
    pool
        Labelled sentences (the gold fields of :data:`analysis.coded.GOLD_FIELDS`: ``item,
        article_id, source, title, prev, sentence, about_ties, dyad, tone, protocol``), of at
        least two outlets (``source``); e.g. the shipped coded set with its standoff part.
    sizes
        Numbers of the outlet's own coded sentences added (0 is the leave-one-outlet-out
        model and is always included).  A size larger than the outlet's adaptation half is
        left out for that outlet.
    repeats
        Random splits of the outlet's articles (and draws of its coded sentences) per outlet.
    outlets
        The outlets to hold out (default: every outlet of *pool*).
    n_boot
        Article-bootstrap resamples per repeat.
    C
        Inverse regularisation strength per task (``{"tone": ..., "protocol": ...}``) for every
        fit, or per held-out outlet (``{outlet: {"tone": ..., "protocol": ...}}``, e.g. the
        choices of :func:`analysis.validate.validate` in its ``training`` table, which were made
        without the outlet: :func:`c_from_validation`); default: chosen for each outlet by
        leave-one-outlet-out CV over the other outlets (:func:`analysis.tone_fit.fit_task`)
        and kept for the fits with its own sentences.
    own_weight
        Weight of each of the outlet's own coded sentences in the fit (the others' weigh 1):
        instance weighting, the simplest supervised domain adaptation (Jiang & Zhai 2007), so
        that a few hundred own sentences are not drowned by thousands of other outlets'.
    progress
        Called with a short message before each fit.

    Returns
    -------
    pandas.DataFrame
        :data:`ADAPTATION_COLUMNS`: one row per outlet, ``n_own`` and metric (``tone_macro_f1``,
        ``protocol_f1``): ``value`` (mean over repeats) with its 95% interval, ``gain`` over
        ``n_own = 0`` on the same test articles with its paired interval, plain VADER's tone
        macro-F1 on the same sentences (``baseline``; NaN for protocol), and the mean numbers of
        test sentences (``n``) and test articles.

    Raises
    ------
    analysis.errors.InputError
        Fewer than two outlets, an unknown outlet, a negative size or fewer than 1 repeat.

    Examples
    --------
    >>> from analysis import coded
    >>> curve = adaptation_curve(coded.load_items(), sizes=(0, 40), repeats=1, n_boot=50,
    ...                          outlets=["whitehouse_briefings"], C={"tone": 0.1, "protocol": 0.3})
    >>> curve[["outlet", "n_own", "metric"]].to_records(index=False).tolist()
    [('whitehouse_briefings', 0, 'protocol_f1'), ('whitehouse_briefings', 0, 'tone_macro_f1'), ('whitehouse_briefings', 40, 'protocol_f1'), ('whitehouse_briefings', 40, 'tone_macro_f1')]
    """
    pool = [dict(it) for it in pool]
    for it in pool:
        it.setdefault("source", "unknown outlet")
    srcs = np.array([str(it["source"]) for it in pool], dtype=object)
    names = sorted(set(srcs.tolist()))
    if len(names) < 2:
        raise InputError("adaptation: the labelled pool needs sentences of at least two outlets (field source)")
    held = list(outlets) if outlets is not None else names
    unknown = [o for o in held if o not in names]
    if unknown:
        raise InputError(f"adaptation: outlet(s) not in the pool: {', '.join(map(str, unknown))}")
    sizes = sorted({0, *(int(k) for k in sizes)})
    if sizes[0] < 0:
        raise InputError("adaptation: sizes must be >= 0")
    if repeats < 1:
        raise InputError("adaptation: repeats must be >= 1")
    if not (np.isfinite(own_weight) and own_weight > 0):
        raise InputError(f"adaptation: own_weight must be a number > 0, got {own_weight!r}")
    say = progress or (lambda _m: None)
    feats, _ = item_features(pool, gazetteer=gazetteer)
    g_about = np.array([bool(it["about_ties"]) for it in pool])
    g_tone = np.array([int(it["tone"]) if it.get("tone") is not None else 9 for it in pool])
    g_prot = np.array([bool(it["protocol"]) for it in pool])
    v_tone = np.array([_s.vader_tone(_s.vader_compound(str(it["sentence"] or ""))) for it in pool])
    arts = np.array([str(it["article_id"]) for it in pool], dtype=object)
    rows = []
    for o in held:
        own = np.nonzero(srcs == o)[0]
        own_arts = set(arts[own].tolist())
        others = [i for i in range(len(pool)) if srcs[i] != o and arts[i] not in own_arts]
        say(f"{o}: fitting on the other outlets")
        c_given = (C.get(o) if C is not None and not set(C) <= set(tone_model.TASKS) else C)
        if C is not None and c_given is None:
            raise InputError(f"adaptation: C gives no values for outlet {o!r}")
        base = tone_fit.fit([pool[i] for i in others], [feats[i] for i in others], meta=_META, C=c_given)
        c_o = {k: base.tasks[k].C for k in tone_model.TASKS}
        # per size and metric: values and bootstrap replicates (and gains) over repeats
        acc: dict[tuple[int, str], dict[str, list[Any]]] = {}
        for r in range(repeats):
            rng = np.random.default_rng([seed, zlib.crc32(o.encode("utf-8")), r])
            test, cand = split_outlet(arts, own, rng)
            test_arts = set(arts[test].tolist())
            boots = article_bootstrap(arts[test], np.arange(len(test)), n_boot, rng)
            preds: dict[int, tuple[np.ndarray, np.ndarray]] = {}
            for k in sizes:
                if k > len(cand):
                    continue
                if k == 0:
                    model = base
                else:
                    say(f"{o}: repeat {r + 1}/{repeats}, {k} own sentences")
                    tr = others + cand[:k]
                    model = tone_fit.fit([pool[i] for i in tr], [feats[i] for i in tr], meta=_META, C=c_o,
                                         sample_weight=[1.0] * len(others) + [float(own_weight)] * k)
                fs = [feats[i] for i in test]
                preds[k] = (model.tone(fs)[0], model.protocol(fs) >= 0.5)
            about = g_about[test]
            for k, (p_tone, p_prot) in preds.items():
                for metric in ("protocol_f1", "tone_macro_f1"):
                    def value(ix: np.ndarray, pt: np.ndarray = p_tone, pp: np.ndarray = p_prot,
                              m: str = metric) -> float:
                        if m == "protocol_f1":
                            return _f1(g_prot[test][ix], pp[ix])
                        sel = ix[about[ix]]
                        return _macro(g_tone[test][sel], pt[sel])

                    def vader(ix: np.ndarray) -> float:
                        sel = ix[about[ix]]
                        return _macro(g_tone[test][sel], v_tone[test][sel])

                    def zero(ix: np.ndarray, m: str = metric) -> float:
                        pt0, pp0 = preds[0]
                        return value(ix, pt0, pp0, m)

                    everything = np.arange(len(test))
                    a = acc.setdefault((k, metric), {"v": [], "g": [], "b": [], "bg": [], "vader": [], "n": [],
                                                     "na": []})
                    a["v"].append(value(everything))
                    a["g"].append(value(everything) - zero(everything))
                    a["b"].extend(value(ix) for ix in boots)
                    a["bg"].extend(value(ix) - zero(ix) for ix in boots)
                    a["vader"].append(vader(everything) if metric == "tone_macro_f1" else np.nan)
                    a["n"].append(int(about.sum()) if metric == "tone_macro_f1" else len(test))
                    a["na"].append(len(test_arts))
        for (k, metric), a in sorted(acc.items()):
            lo, hi = np.percentile(a["b"], [2.5, 97.5])
            glo, ghi = np.percentile(a["bg"], [2.5, 97.5]) if k else (0.0, 0.0)
            rows.append((o, k, metric, float(np.mean(a["v"])), float(lo), float(hi), float(np.mean(a["g"])),
                         float(glo), float(ghi), float(np.mean(a["vader"])), float(np.mean(a["n"])),
                         float(np.mean(a["na"])), len(a["v"]), c_o["tone" if metric == "tone_macro_f1" else "protocol"],
                         float(own_weight)))
    out = pd.DataFrame(rows, columns=list(ADAPTATION_COLUMNS))
    return out.astype({"n_own": "int64", "repeats": "int64"})


def c_from_validation(training: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per held-out outlet, the C per task that :func:`analysis.validate.validate` chose for it
    (its ``training`` table: ``held_out, C_tone, C_protocol``), by leave-one-outlet-out CV over
    the other outlets only; pass it as *C* of :func:`adaptation_curve` to skip choosing again.

    Examples
    --------
    >>> t = pd.DataFrame({"held_out": ["a"], "C_tone": [0.1], "C_protocol": [0.3]})
    >>> c_from_validation(t)
    {'a': {'tone': 0.1, 'protocol': 0.3}}
    """
    return {str(r["held_out"]): {k: float(r[f"C_{k}"]) for k in tone_model.TASKS} for _, r in training.iterrows()}


def format_curve(curve: pd.DataFrame) -> str:
    """A plain-text table of :func:`adaptation_curve` (tone and protocol, per outlet and size)."""
    lines = ["adaptation curve: the model fitted on the other outlets plus n_own coded sentences of the outlet,",
             "scored on the outlet's held-out half of articles (mean over repeats; 95% article-bootstrap CIs)",
             f"{'outlet':<24} {'n_own':>5}  {'tone F1 [CI]':<22} {'gain [CI]':<24} {'VADER':>6}  "
             f"{'protocol F1 [CI]':<22} {'gain [CI]':<24}"]
    for (o, k), g in curve.groupby(["outlet", "n_own"], sort=True):
        t = g[g["metric"] == "tone_macro_f1"].iloc[0]
        p = g[g["metric"] == "protocol_f1"].iloc[0]

        def cell(r: Any, v: str, lo: str, hi: str) -> str:
            return f"{r[v]:+.3f} [{r[lo]:+.3f}, {r[hi]:+.3f}]" if v == "gain" else \
                f"{r[v]:.3f} [{r[lo]:.3f}, {r[hi]:.3f}]"

        lines.append(f"{o:<24} {k:>5}  {cell(t, 'value', 'ci_low', 'ci_high'):<22} "
                     f"{cell(t, 'gain', 'gain_ci_low', 'gain_ci_high'):<24} {t['baseline']:>6.3f}  "
                     f"{cell(p, 'value', 'ci_low', 'ci_high'):<22} {cell(p, 'gain', 'gain_ci_low', 'gain_ci_high'):<24}")
    return "\n".join(lines)
