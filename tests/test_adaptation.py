"""The adaptation curve: what coding sentences of one's own outlet buys, measured honestly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import adaptation, tone_fit
from analysis.errors import InputError
from analysis.schema import ADAPTATION_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
FIXED_C = {"tone": 1.0, "protocol": 1.0}


def _pool(n_art: int = 30) -> list[dict]:
    """Two outlets.  Outlet "home" states tone with plain evaluative words; outlet "new" with
    two made-up words ("zorpish" = -1, "blickful" = +1) that no other outlet uses, and in the
    opposite sense of the words the first outlet's sentences carry beside them, so a model fitted
    on "home" alone gets "new" wrong and its own coded sentences can put it right."""
    items = []
    for outlet, neg, pos in (("home", "bad hostile", "good friendly"), ("new", "good zorpish", "bad blickful")):
        for a in range(n_art):
            for s, (tone, words) in enumerate(((-1, neg), (1, pos), (0, "scheduled"))):
                items.append({
                    "item": f"{outlet}-{a}-{s}", "article_id": f"{outlet}-{a}", "source": outlet,
                    "title": "President of France met with the Chancellor of Germany",
                    "prev": "", "sentence": f"The talks between France and Germany were {words} today.",
                    "about_ties": True, "dyad": "DEU-FRA", "tone": tone, "protocol": s == 2,
                })
    return items


def test_split_is_by_article_and_covers_the_outlet_once() -> None:
    arts = np.array([f"a{k // 3}" for k in range(60)], dtype=object)
    own = np.arange(60)
    for r in range(5):
        test, cand = adaptation.split_outlet(arts, own, np.random.default_rng(r))
        assert set(arts[test].tolist()).isdisjoint(arts[cand].tolist())
        assert sorted(test.tolist() + cand) == list(range(60))
        assert len(set(arts[test].tolist())) == 10  # half of the 20 articles


def test_own_sentences_come_from_the_adaptation_half_nested_and_never_from_the_test_half(monkeypatch) -> None:
    """Every fit of outlet "new" sees only the other outlet plus a prefix of the adaptation half's
    sentences (the 10 are among the 20); no test item is ever fitted on."""
    pool = _pool(16)
    seen: list[set[str]] = []
    real_fit = tone_fit.fit

    def spy(items, feats, **kw):  # type: ignore[no-untyped-def]
        seen.append({str(it["item"]) for it in items})
        return real_fit(items, feats, **kw)

    monkeypatch.setattr(tone_fit, "fit", spy)
    real_split = adaptation.split_outlet
    splits = []

    def split_spy(articles, own, rng):  # type: ignore[no-untyped-def]
        out = real_split(articles, own, rng)
        splits.append(out)
        return out

    monkeypatch.setattr(adaptation, "split_outlet", split_spy)
    adaptation.adaptation_curve(pool, sizes=(0, 10, 20), repeats=2, outlets=["new"], n_boot=10, C=FIXED_C)
    ids = [str(it["item"]) for it in pool]
    home = {i for i in ids if i.startswith("home")}
    assert seen[0] == home  # n_own = 0: the other outlet only
    assert len(seen) == 1 + 2 * 2 and len(splits) == 2
    for r, (test, cand) in enumerate(splits):
        small, large = seen[1 + 2 * r], seen[2 + 2 * r]
        assert small - home == {ids[i] for i in cand[:10]} and large - home == {ids[i] for i in cand[:20]}
        assert small - home < large - home
        assert not ({ids[i] for i in test} & (small | large))


def test_own_coded_sentences_teach_the_outlets_own_words() -> None:
    curve = adaptation.adaptation_curve(_pool(), sizes=(0, 30), repeats=2, outlets=["new"], n_boot=50, C=FIXED_C)
    assert list(curve.columns) == list(ADAPTATION_COLUMNS)
    tone = curve[curve["metric"] == "tone_macro_f1"].set_index("n_own")
    assert tone.loc[0, "value"] < 0.5  # the home outlet's words point the wrong way
    assert tone.loc[30, "value"] > tone.loc[0, "value"] + 0.3
    assert tone.loc[30, "gain_ci_low"] > 0
    assert tone.loc[0, "gain"] == 0 and tone.loc[0, "gain_ci_low"] == 0 == tone.loc[0, "gain_ci_high"]
    row = tone.loc[30]
    assert row["ci_low"] <= row["value"] <= row["ci_high"]
    assert (row["n"], row["n_articles"], row["repeats"], row["C"]) == (45, 15, 2, 1.0)


def test_own_weight_reaches_the_fit_for_the_own_sentences_only(monkeypatch) -> None:
    weights: list[list[float]] = []
    real = tone_fit.fit_task

    def spy(name, feats, y, groups, **kw):  # type: ignore[no-untyped-def]
        if name == "protocol":  # None: every sentence weighs 1
            w = kw.get("sample_weight")
            weights.append([1.0] * len(feats) if w is None else list(w))
        return real(name, feats, y, groups, **kw)

    monkeypatch.setattr(tone_fit, "fit_task", spy)
    curve = adaptation.adaptation_curve(_pool(6), sizes=(4,), repeats=1, outlets=["new"], n_boot=5, C=FIXED_C,
                                        own_weight=7.5)
    assert weights == [[1.0] * 18, [1.0] * 18 + [7.5] * 4]
    assert set(curve["own_weight"]) == {7.5}


def test_sample_weight_of_ones_is_the_unweighted_fit_and_bad_weights_are_named() -> None:
    from analysis.training import item_features

    pool = _pool(5)
    feats, _ = item_features(pool)
    y = [it["tone"] for it in pool]
    groups = [it["source"] for it in pool]
    plain = tone_fit.fit_task("tone", feats, y, groups, C=1.0)
    ones = tone_fit.fit_task("tone", feats, y, groups, C=1.0, sample_weight=[1.0] * len(pool))
    np.testing.assert_allclose(ones.coef, plain.coef, atol=1e-6)
    heavy = tone_fit.fit_task("tone", feats, y, groups, C=1.0, sample_weight=[5.0 if g == "new" else 1.0
                                                                             for g in groups])
    assert not np.allclose(heavy.coef, plain.coef, atol=1e-3)
    with pytest.raises(InputError, match="sample_weight"):
        tone_fit.fit_task("tone", feats, y, groups, C=1.0, sample_weight=[1.0, -1.0])


def test_sizes_beyond_the_adaptation_half_are_left_out() -> None:
    curve = adaptation.adaptation_curve(_pool(6), sizes=(5, 500), repeats=1, outlets=["new"], n_boot=5, C=FIXED_C)
    assert sorted(curve["n_own"].unique().tolist()) == [0, 5]


@pytest.mark.parametrize("kwargs, match", [
    ({"outlets": ["nowhere"]}, "not in the pool"),
    ({"sizes": (-1,)}, ">= 0"),
    ({"repeats": 0}, "repeats"),
    ({"own_weight": 0}, "own_weight"),
    ({"own_weight": float("nan")}, "own_weight"),
])
def test_bad_arguments_are_named(kwargs: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        adaptation.adaptation_curve(_pool(3), n_boot=5, C=FIXED_C, **kwargs)


def test_a_single_outlet_is_refused() -> None:
    one = [it for it in _pool(3) if it["source"] == "home"]
    with pytest.raises(InputError, match="at least two outlets"):
        adaptation.adaptation_curve(one, n_boot=5, C=FIXED_C)


def test_cli_writes_the_table_and_figure_and_they_are_deterministic(tmp_path: Path) -> None:
    gold = tmp_path / "coded.jsonl"
    gold.write_text("".join(json.dumps(it) + "\n" for it in _pool(8)), encoding="utf-8")
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        proc = subprocess.run(
            [sys.executable, "-m", "analysis", "adaptation", "--train", str(gold), "--sizes", "0,6",
             "--repeats", "1", "--bootstrap", "20", "--outlet", "new", "--out", str(out), "--quiet"],
            cwd=ROOT, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "adaptation curve" in proc.stdout and "new" in proc.stdout
        outs.append(out)
    table = pd.read_csv(outs[0] / "tables" / "adaptation_curve.csv")
    assert list(table.columns) == list(ADAPTATION_COLUMNS) and set(table["n_own"]) == {0, 6}
    for name in ("tables/adaptation_curve.csv", "figures/adaptation_tone.png", "figures/adaptation_tone.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_cli_rejects_malformed_sizes(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "analysis", "adaptation", "--sizes", "0,fifty", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "--sizes" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_names_a_missing_gazetteer(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "analysis", "adaptation", "--gazetteer", str(tmp_path / "g.csv"),
                           "--quiet"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "g.csv" in proc.stderr and "gazetteer" in proc.stderr
    assert "Traceback" not in proc.stderr
