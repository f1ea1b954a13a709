"""Fitting the sentence model on hand-coded sentences (``python -m analysis train-tone``).

:func:`item_features` runs the rule analysis of :mod:`analysis.sentiment` (no fitted part:
country pair, lexicon matches with their rule factors, VADER of the masked sentence) on
gold-format items and turns each into the named features of :func:`analysis.tone_model.features`;
:func:`train_file` fits the two decisions, tone and the protocol flag (:func:`analysis.tone_fit.fit`), and writes the
model file with its provenance: what it was trained on (files, fingerprints, outlets, counts),
the regularisation chosen by leave-one-outlet-out CV, and the package version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import __version__ as _VERSION
from analysis import coded, protocol, tone_fit, tone_model
from analysis import sentiment as _s
from analysis.errors import InputError

__all__ = ["item_features", "train_items", "train_file"]


def item_features(items: Sequence[Mapping[str, Any]], *, gazetteer: Any | None = None
                  ) -> tuple[list[dict[str, float]], list[Any]]:
    """Rule analysis and model features of gold-format items: ``(features, explanations)``.

    The outlet's home country comes from ``home_country``, else ``source``/``url`` in the
    outlets file, and its adversary is inferred from the items of the same outlet, exactly
    as in :func:`analysis.sentiment.score_items`.
    """
    feats, exs = [], []
    for it, (home, party, adv) in zip(items, _s.item_contexts(items, gazetteer=gazetteer)):
        ex = _s.analyse_sentence(str(it["sentence"] or ""), title=str(it["title"] or ""), prev=str(it["prev"] or ""),
                                 source="item", source_countries={"item": home} if home else None,
                                 adversaries={"item": adv} if adv else None, party_outlets={"item"} if party else (),
                                 date=it.get("date") or None, gazetteer=gazetteer, model=False)
        feats.append(tone_model.features(ex, protocol.categories_of(ex.sentence)))
        exs.append(ex)
    return feats, exs


def train_items(items: Sequence[Mapping[str, Any]], *, meta: Mapping[str, Any]) -> tone_model.SentenceModel:
    """Fit the sentence model on *items* (gold fields plus ``source``)."""
    if not items:
        raise InputError("train-tone: no hand-coded items")
    feats, _ = item_features(items)
    return tone_fit.fit(items, feats, meta=meta)


def train_file(
    gold: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    standoff: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    corpora: coded.Folders | None = None,
    version: str = "1.0.0",
) -> Path:
    """Fit on the hand-coded files *gold* (plus the *standoff* file or files rebuilt from
    *corpora*) and write *out*.

    Raises
    ------
    analysis.errors.InputError
        A gold file is malformed, or *standoff* is given without *corpora*.
    """
    items: list[dict[str, Any]] = []
    files = []
    for g in gold:
        got = coded.load_items(g)
        items += got
        files.append({"file": Path(g).name, "sha256": hashlib.sha256(Path(g).read_bytes()).hexdigest()[:16],
                      "items": len(got)})
    offs = [] if standoff is None else [standoff] if isinstance(standoff, (str, os.PathLike)) else list(standoff)
    if offs and corpora is None:
        raise InputError("train-tone: --standoff needs --corpora (the corpora its offsets point into)")
    for so in offs:
        got = coded.load_standoff(so, corpora=corpora)  # type: ignore[arg-type]
        items += got
        files.append({"file": Path(so).name, "sha256": hashlib.sha256(Path(so).read_bytes()).hexdigest()[:16],
                      "items": len(got), "rebuilt_from": "corpora (standoff offsets)"})
    outlets = Counter(str(it.get("source", "")) for it in items)
    meta = {
        "format": "protocol-news sentence model (logistic regressions; see analysis/tone_model.py)",
        "version": version,
        "source": "fitted with `python -m analysis train-tone` on hand-coded sentences: "
                  + "; ".join(f"{f['file']} ({f['items']} items)" for f in files),
        "licence": "CC0-1.0 (coefficients)",
        "citation": "Protocol news analysis project (2026). Sentence model for tone toward bilateral ties, "
                    f"version {version}. Hand-coded sentences: data/coded/README.md.",
        "package_version": _VERSION,
        "trained_on": {"files": files, "n_items": len(items), "outlets": dict(sorted(outlets.items())),
                       "n_about_ties": sum(bool(it["about_ties"]) for it in items)},
        "selection": "C per task by leave-one-outlet-out macro-F1 over the training outlets, from "
                     + "; ".join(f"{t}: " + ", ".join(str(c) for c in tone_model.c_grid(t)) for t in tone_model.TASKS),
    }
    model = train_items(items, meta=meta)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
    tone_model.load_model(out)  # what is written must load
    return out
