"""The sentence model's ``rule:adversary_pair`` feature: the rules' pair is the speaking side and
the outlet's adversary (:func:`analysis.dyads.infer_adversaries`). Hand-written sentences."""

from __future__ import annotations

from analysis import tone_model
from analysis import tone_rules as S

ADDRESS = "Address by the President of Ukraine"


def _feature(sentence: str, title: str = ADDRESS, adversary: str | None = "RUS") -> float:
    ex = S.analyse_sentence(sentence, title=title, source="o", source_countries={"o": "UKR"},
                            adversaries={"o": adversary} if adversary else None, model=False)
    return tone_model.features(ex)["rule:adversary_pair"]


def test_speaker_and_adversary() -> None:
    assert _feature("We withstood and repelled the enemy attacks.") == 1.0
    assert _feature("Russia shelled Kharkiv again today.") == 1.0


def test_other_pairs_and_no_adversary() -> None:
    assert _feature("Poland is one of the leaders in supporting our state.") == 0.0
    assert _feature("We withstood and repelled the enemy attacks.", adversary=None) == 0.0
    # the adversary with a third country is not the speaking side's pair
    assert _feature("Russia threatens Moldova.", title="News") == 0.0


def test_the_feature_is_in_the_tone_task() -> None:
    assert "rule:adversary_pair" in tone_model.default_model().tasks["tone"].features
