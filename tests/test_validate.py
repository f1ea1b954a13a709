"""Tests of analysis.validate: group folds, metrics on a tiny gold file, the shared gold set."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import validate as V
from analysis.errors import InputError


def test_group_kfold_keeps_groups_together_and_balances():
    groups = ["a", "a", "a", "b", "b", "c", "d", "e", "e", "f"]
    f = V.group_kfold(groups, folds=3, seed=1)
    for g in set(groups):
        assert len({f[i] for i, x in enumerate(groups) if x == g}) == 1
    assert sorted(np.bincount(f, minlength=3).tolist()) == [3, 3, 4]
    assert (V.group_kfold(groups, folds=3, seed=1) == f).all()
    with pytest.raises(InputError):
        V.group_kfold(["a", "b"], folds=3)


def test_f1_exact():
    assert V._f1([True, True, False, False], [True, False, True, False]) == 0.5
    m = V._tone_metrics(np.array([1, 0, -1, 1]), np.array([1, 0, 0, 0]))
    assert m["acc"] == 0.5 and m["f1_1"] == pytest.approx(2 / 3) and m["f1_-1"] == 0.0


def test_validate_tiny_gold(tmp_path):
    from test_sentiment import TinyGazetteer

    t = "President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian Federation"
    rows = []
    sents = [("He thanked Russia for the friendship.", True, "AZE-RUS", 1, True),
             ("Exchange of views took place on issues of cooperation.", True, "AZE-RUS", 0, True),
             ("The weather was cold.", False, "", None, False),
             ("The sides condemned the threats and voiced deep concern.", True, "AZE-RUS", -1, False)]
    for k in range(3):
        for j, (s, a, d, tone, p) in enumerate(sents):
            rows.append({"item": f"i{k}{j}", "article_id": f"art{k}", "source": "apa", "title": t, "prev": "",
                         "sentence": s, "about_ties": a, "dyad": d, "tone": tone, "protocol": p})
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = V.validate(path, folds=3, gazetteer=TinyGazetteer())
    m = res.metrics.set_index("metric")
    assert list(res.metrics.columns) == ["metric", "ours", "vader_baseline", "n"]
    assert m.loc["about_ties_f1", "ours"] == 1.0 and m.loc["dyad_accuracy", "ours"] == 1.0
    assert m.loc["tone_accuracy", "n"] == 9
    assert len(res.predictions) == 12 and set(res.confusion.columns) == {"task", "model", "gold", "predicted", "n"}
    assert "tone_macro_f1" in V.format_report(res)


@pytest.mark.shared
def test_shared_gold_vader_reference_and_targets(shared_dir):
    pytest.importorskip("analysis.entities", reason="analysis.entities not available yet")
    res = V.validate(shared_dir / "gold" / "dev_gold.jsonl")
    m = res.metrics.set_index("metric")
    # README reference point for plain VADER on the 192 about-ties sentences
    assert m.loc["tone_accuracy", "vader_baseline"] == pytest.approx(0.615, abs=5e-4)
    assert m.loc["tone_macro_f1", "vader_baseline"] == pytest.approx(0.482, abs=5e-4)
    assert m.loc["tone_accuracy", "n"] == 192
    assert m.loc["tone_macro_f1", "ours"] > m.loc["tone_macro_f1", "vader_baseline"]
    # regression guards at the targets for relation detection (met on dev_gold)
    assert m.loc["about_ties_f1", "ours"] >= 0.90
    assert m.loc["dyad_accuracy", "ours"] >= 0.85
