"""The sentence model's pair features: ``rule:adversary_pair`` (the rules' pair is the speaking side
and the outlet's adversary, :func:`analysis.dyads.infer_adversaries`) and ``rule:third_party_pair``
(a pair of two other countries). Hand-written sentences."""

from __future__ import annotations

from analysis import tone_model
from analysis import tone_rules as S

ADDRESS = "Address by the President of Ukraine"


def _feature(sentence: str, title: str = ADDRESS, adversary: str | None = "RUS",
             name: str = "rule:adversary_pair") -> float:
    ex = S.analyse_sentence(sentence, title=title, source="o", source_countries={"o": "UKR"},
                            adversaries={"o": adversary} if adversary else None, model=False)
    return tone_model.features(ex)[name]


def test_speaker_and_adversary() -> None:
    assert _feature("We withstood and repelled the enemy attacks.") == 1.0
    assert _feature("Russia shelled Kharkiv again today.") == 1.0


def test_other_pairs_and_no_adversary() -> None:
    assert _feature("Poland is one of the leaders in supporting our state.") == 0.0
    assert _feature("We withstood and repelled the enemy attacks.", adversary=None) == 0.0
    # the adversary with a third country is not the speaking side's pair
    assert _feature("Russia threatens Moldova.", title="News") == 0.0


def test_third_party_pair() -> None:
    assert _feature("Russia threatens Moldova.", title="News", name="rule:third_party_pair") == 1.0
    assert _feature("Poland is one of the leaders in supporting our state.", name="rule:third_party_pair") == 0.0
    assert _feature("The weather was fine.", name="rule:third_party_pair") == 0.0  # no pair


def test_the_features_are_in_the_tone_task() -> None:
    feats = tone_model.default_model().tasks["tone"].features
    assert "rule:adversary_pair" in feats and "rule:third_party_pair" in feats
