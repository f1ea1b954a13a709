"""Run parameters: analysis.params.Params (types, coercion from strings, unknown keys, n-gram lengths)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, pipeline
from analysis.errors import InputError
from analysis.params import Params, ngram_lengths, parse_assignments

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_typed_and_frozen() -> None:
    p = Params()
    assert p.period == "year" and p.bundle_n == (3, 4, 5) and p.formulaicity_n == (3, 4)
    assert p.ngram_n == (1, 2, 3, 4, 5, 6) and p.seed == config.RANDOM_SEED and p.tone_model is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.period = "month"  # type: ignore[misc]


def test_from_mapping_converts_strings() -> None:
    p = Params.from_mapping({"period": "Month", "bootstrap_n": "200", "bootstrap_ci": "0.9",
                             "bundle_min_per_million": "10", "bundle_n": "2-4", "ngram_n": "1,3"})
    assert (p.period, p.bootstrap_n, p.bootstrap_ci, p.bundle_min_per_million) == ("month", 200, 0.9, 10.0)
    assert p.bundle_n == (2, 3, 4) and p.ngram_n == (1, 3)


@pytest.mark.parametrize("value, expected", [
    ([3, 5], (3, 5)), ((3, 5), (3, 5)), ("3,5", (3, 5)), ("[3, 5]", (3, 5)),
    ("2-4", (2, 3, 4)), (range(2, 5), (2, 3, 4)), (4, (4,)), ("4", (4,)), ([5, 3, 3], (3, 5)),
])
def test_ngram_lengths_one_meaning_per_type(value: object, expected: tuple[int, ...]) -> None:
    """A list or tuple is exactly its values (never a range); ranges are "lo-hi" strings or range()."""
    assert ngram_lengths(value) == expected
    assert Params(bundle_n=value).bundle_n == expected  # type: ignore[arg-type]
    # normalised values survive a copy unchanged (a 2-tuple is not re-read as a range)
    assert dataclasses.replace(Params(bundle_n=value), seed=1).bundle_n == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["4-2", "0", [0, 3], "x", [True], 2.5, ""])
def test_bad_ngram_lengths(value: object) -> None:
    with pytest.raises(InputError, match="bundle_n"):
        Params.from_mapping({"bundle_n": value})


@pytest.mark.parametrize("key, value, message", [
    ("period", "week", "period"), ("bootstrap_n", "many", "bootstrap_n"), ("bootstrap_n", "0", "at least 1"),
    ("bootstrap_ci", "1", "bootstrap_ci"), ("near_duplicate_threshold", "0", "near_duplicate_threshold"),
    ("seed", "1.5", "seed"), ("keyness_min_frequency", True, "keyness_min_frequency"),
])
def test_bad_values_name_the_key(key: str, value: object, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        Params.from_mapping({key: value})
    assert "\n" not in str(exc.value)


def test_unknown_key_is_one_line_with_the_closest_name() -> None:
    with pytest.raises(InputError) as exc:
        Params.from_mapping({"bundle_min_doc": 3})
    assert str(exc.value) == "unknown parameter 'bundle_min_doc' (did you mean bundle_min_docs?)"
    with pytest.raises(InputError, match="unknown parameter 'zzz'") as exc:
        Params.from_mapping({"zzz": 1})
    assert "\n" not in str(exc.value)
    with pytest.raises(InputError, match="did you mean period"):
        Params().updated(perod="month")


def test_parse_assignments() -> None:
    assert parse_assignments(["period=month", "bundle-n=3,5"]) == {"period": "month", "bundle_n": "3,5"}
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_assignments(["period"])
    with pytest.raises(InputError, match="unknown parameter 'nope'"):
        parse_assignments(["nope=1"])


def test_manifest_matches_the_committed_run() -> None:
    """The defaults are recorded as before (tables/run.json of the sample is unchanged)."""
    committed = json.loads((ROOT / "tables" / "run.json").read_text(encoding="utf-8"))["parameters"]
    assert json.dumps(Params().manifest(), sort_keys=True) == json.dumps(committed, sort_keys=True)
    m = Params(lexicon=str(ROOT / "analysis" / "data" / "x.yml"), stopwords="default").manifest()
    assert m["lexicon"] == "analysis/data/x.yml" and m["stopwords"] == "default" and "gazetteer" not in m


def test_defaults_view_is_read_only_and_compatible() -> None:
    assert pipeline.DEFAULTS["period"] == "year" and pipeline.DEFAULTS["bundle_n"] == [3, 4, 5]
    with pytest.raises(TypeError):
        pipeline.DEFAULTS["period"] = "month"  # type: ignore[index]
    # a mapping of the old form is accepted wherever params are
    assert Params.from_mapping(dict(pipeline.DEFAULTS)) == Params()
    assert Params.from_mapping(Params(), period="month").period == "month"
    assert dict(Params())["period"] == "year"


def test_bundle_lengths_are_passed_as_exact_values() -> None:
    """bundle_n=[3, 5] gives 3- and 5-word bundles only (phrases reads a 2-tuple as a range)."""
    text = "The sides discussed the prospects of bilateral cooperation in the field of energy. "
    arts = pd.DataFrame({"doc_id": [f"d{i}" for i in range(4)], "title": ["t"] * 4, "text": [text * 2] * 4,
                         "source": ["A"] * 4, "url": [""] * 4,
                         "date": pd.to_datetime(["2021-01-01", "2021-02-01", "2022-01-01", "2022-02-01"], utc=True)})
    tables = pipeline.analyse(arts, params={"bundle_n": [3, 5], "bundle_min_docs": 2, "bundle_min_per_million": 1},
                              progress=False)
    assert set(tables["bundles"]["n"]) == {3, 5}


def test_data_files_flow_into_the_stages(tmp_path: Path) -> None:
    """--lexicon and --gazetteer reach the per-document stages (through the Context)."""
    from analysis import protocol

    cat = protocol.CATEGORIES[0]
    lex = tmp_path / "lexicon.yml"
    lex.write_text(f'version: "0.1"\nsource: test\nlicence: CC0-1.0\ncitation: test\nentries:\n'
                   f'  - id: test.partnership\n    category: {cat}\n    warmth: 2\n'
                   f'    patterns: ["strategic partnership"]\n', encoding="utf-8")
    gaz = tmp_path / "gazetteer.csv"
    gaz.write_text("# version: 0.1\n# source: test\n# licence: CC0-1.0\n# citation: test\n"
                   "surface,entity,country,kind,case,note\nUkraine,,UKR,country,,\nPoland,,POL,country,,\n",
                   encoding="utf-8")
    text = ("The President of Ukraine met the President of Poland and Azerbaijan. They praised the strategic "
            "partnership and the friendly relations. ")
    arts = pd.DataFrame({"doc_id": ["d1", "d2"], "title": ["Ukraine and Poland"] * 2, "text": [text] * 2,
                         "source": ["A"] * 2, "url": [""] * 2,
                         "date": pd.to_datetime(["2021-01-01", "2022-01-01"], utc=True)})
    tables = pipeline.analyse(arts, params={"lexicon": str(lex), "gazetteer": str(gaz)}, progress=False)
    m = tables["protocol_matches"]
    assert set(m["pattern"]) == {"test.partnership"} or set(m["category"]) == {cat}
    assert len(m) == 2
    assert set(tables["mentions"]["country"]) == {"UKR", "POL"}
    with pytest.raises(Exception, match="lexicon|no_such"):
        pipeline.analyse(arts, params={"lexicon": str(tmp_path / "no_such.yml")}, progress=False)
