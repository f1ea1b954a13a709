"""Fitting the sentence model: the two decisions of :mod:`analysis.tone_model`, fitted on
hand-coded sentences with scikit-learn's logistic regression.

:func:`fit` fits both decisions (``python -m analysis train-tone``, validation and the adaptation
curve call it); :func:`fit_task` fits one, choosing the inverse regularisation strength C by
leave-one-outlet-out cross-validation over the training outlets (grouped by ``source``), from
the grid of :func:`analysis.tone_model.c_grid`, so that C is chosen for transfer to an outlet the
model has not seen.  The fitted :class:`analysis.tone_model.SentenceModel` is plain data
(coefficients, standardisation, feature names), and predicting with it needs nothing from this
module: fitting is the seam between the commands that fit (``train-tone``, ``validate``,
``adaptation``) and everything that only predicts.  References: those of
:mod:`analysis.tone_model` (Hosmer, Lemeshow & Sturdivant 2013; Pedregosa et al. 2011).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from analysis.errors import InputError
from analysis.tone_model import (
    _REQUIRED_META,
    MIN_DOCFREQ,
    TASK_FEATURES,
    TASKS,
    LinearTask,
    SentenceModel,
    c_grid,
)

__all__ = ["fit", "fit_task"]


def _design(feats: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    idx = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(feats), len(names)))
    for r, f in enumerate(feats):
        for k, v in f.items():
            i = idx.get(k)
            if i is not None:
                X[r, i] = v
    return X


def _feature_names(feats: Sequence[Mapping[str, float]], min_docfreq: int, families: Sequence[str]) -> list[str]:
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    fam = tuple(families)
    return sorted(k for k, n in df.items() if k.startswith(fam) and (not k.startswith("w:") or n >= min_docfreq))


def _fit_lr(X: np.ndarray, y: np.ndarray, C: float, sample_weight: np.ndarray | None = None) -> LogisticRegression:
    lr = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", tol=1e-6)
    lr.fit(X, y, sample_weight=sample_weight)
    return lr


def _score(y: np.ndarray, p: np.ndarray, classes: Sequence[Any]) -> float:
    """Macro-F1 over *classes* (the selection criterion)."""
    f = []
    for c in classes:
        tp = int(((y == c) & (p == c)).sum())
        den = 2 * tp + int(((y != c) & (p == c)).sum()) + int(((y == c) & (p != c)).sum())
        f.append(2 * tp / den if den else 0.0)
    return float(np.mean(f))


def fit_task(
    name: str,
    feats: Sequence[Mapping[str, float]],
    y: Sequence[Any],
    groups: Sequence[str],
    *,
    C: float | None = None,
    grid: Sequence[float] | None = None,
    min_docfreq: int = MIN_DOCFREQ,
    sample_weight: Sequence[float] | None = None,
) -> LinearTask:
    """Fit one decision on labelled sentences.

    Parameters
    ----------
    name
        ``"tone"`` or ``"protocol"``.
    feats, y, groups
        Feature dicts (:func:`features`), labels, and each sentence's outlet.
    C
        Inverse L2 strength; default: the value of *grid* with the best pooled macro-F1 in
        leave-one-outlet-out CV over *groups* (or 0.3 with a single outlet).  Equal scores
        keep the earlier (smaller) value.
    grid
        The values of C tried when *C* is None; default :func:`c_grid` of *name*.
    min_docfreq
        Minimum number of training sentences a word feature must occur in.
    sample_weight
        A weight per sentence (default 1 each), multiplied with the balanced class weights, in
        the fit and in the choice of C (e.g. a researcher's own outlet weighted up,
        :func:`analysis.adaptation.adaptation_curve`).
    """
    classes = (-1, 0, 1) if name == "tone" else (False, True)
    yy = np.asarray([c if name == "tone" else bool(c) for c in y], dtype=object)
    g = np.asarray([str(x) for x in groups])
    if len(set(yy.tolist())) < 2:
        raise InputError(f"train {name}: the labelled sentences have a single class")
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if sw is not None and (sw.shape != (len(yy),) or not np.all(np.isfinite(sw)) or np.any(sw < 0)):
        raise InputError(f"train {name}: sample_weight needs one finite weight >= 0 per sentence")
    if C is None:
        outlets = sorted(set(g.tolist()))
        if len(outlets) < 2:
            C = 0.3
        else:
            best = None
            for c in (tuple(grid) if grid is not None else c_grid(name)):
                pred = np.empty(len(yy), dtype=object)
                for o in outlets:
                    tr, te = g != o, g == o
                    if len(set(yy[tr].tolist())) < 2:
                        pred[te] = yy[tr][0]
                        continue
                    t = fit_task(name, [feats[i] for i in np.nonzero(tr)[0]], yy[tr].tolist(), g[tr].tolist(),
                                 C=c, min_docfreq=min_docfreq, sample_weight=None if sw is None else sw[tr])
                    pr = t.predict_proba([feats[i] for i in np.nonzero(te)[0]])
                    pred[te] = np.asarray(t.classes, dtype=object)[np.argmax(pr, axis=1)]
                key = round(_score(yy, pred, classes), 12)
                if best is None or key > best[0]:
                    best = (key, c)
            C = best[1] if best else 0.3
    names = _feature_names(feats, min_docfreq, TASK_FEATURES[name])
    X = _design(feats, names)
    word = np.array([n.startswith("w:") for n in names])
    mean = np.where(word, 0.0, X.mean(axis=0))
    sd = X.std(axis=0)
    scale = np.where(word | (sd == 0), 1.0, sd)
    Xs = (X - mean) / scale
    ycode = np.array([classes.index(v) for v in yy])
    present = sorted(set(ycode.tolist()))
    lr = _fit_lr(Xs, ycode, C, sw)
    if len(classes) == 2:
        coef, intercept = lr.coef_.copy(), lr.intercept_.copy()
    else:
        coef = np.full((3, len(names)), 0.0)
        intercept = np.full(3, -30.0)  # a class absent from training is never predicted
        for row, k in enumerate(present):
            coef[k], intercept[k] = lr.coef_[row], lr.intercept_[row]
        if len(present) == 2:  # sklearn fits one row for two classes: split it symmetrically
            k0, k1 = present
            coef[k1], intercept[k1] = lr.coef_[0] / 2, lr.intercept_[0] / 2
            coef[k0], intercept[k0] = -lr.coef_[0] / 2, -lr.intercept_[0] / 2
    return LinearTask(name, classes, tuple(names), mean, scale, coef, intercept, float(C))


def fit(
    items: Sequence[Mapping[str, Any]],
    feats: Sequence[Mapping[str, float]],
    *,
    meta: Mapping[str, Any],
    C: float | Mapping[str, float] | None = None,
    sample_weight: Sequence[float] | None = None,
) -> SentenceModel:
    """Fit the decisions on hand-coded items (fields ``source, about_ties, tone, protocol``)
    and their feature dicts; *meta* holds the provenance fields of the file.  *C*: one value,
    one per task (``{"tone": ..., "protocol": ...}``) or None (chosen, :func:`fit_task`);
    *sample_weight*: one per item (:func:`fit_task`)."""
    groups = [str(it.get("source", "") or "") for it in items]
    c = C if isinstance(C, Mapping) else dict.fromkeys(TASKS, C)
    w = None if sample_weight is None else list(sample_weight)
    tasks = {"protocol": fit_task("protocol", feats, [bool(it["protocol"]) for it in items], groups,
                                  C=c["protocol"], sample_weight=w)}
    sel = [i for i, it in enumerate(items) if it["about_ties"] and it.get("tone") is not None]
    tasks["tone"] = fit_task("tone", [feats[i] for i in sel], [int(items[i]["tone"]) for i in sel],
                             [groups[i] for i in sel], C=c["tone"], sample_weight=None if w is None else [w[i] for i in sel])
    missing = [k for k in _REQUIRED_META if not str(meta.get(k, "")).strip()]
    if missing:
        raise InputError(f"model provenance lacks {', '.join(missing)}")
    return SentenceModel(tasks, dict(meta))
