"""The tone lexicon's spoken and spokesperson register (lexicon 1.1.0): hand-written hard cases.

The forms are those of the register, written for these tests (not items of any gold file):
criticism argued rather than named, warmth without a protocol formula, and an adjective that
is not an act of advancing ties.
"""

from __future__ import annotations

import pytest
from lexicon_cases import lexicon_categories

from analysis import sentiment as S
from analysis import tone_lexicon

BRIEFING = "Foreign Ministry Spokesperson's Regular Press Conference on May 6, 2025"


def _cats(sentence: str) -> dict[str, str]:
    return lexicon_categories(sentence, title=BRIEFING, home="CHN")


def test_lexicon_version_and_register_entries_load() -> None:
    lex = tone_lexicon.load_tone_lexicon()
    assert lex.version == "1.9.0"  # 1.1.0 added these entries; later versions kept them


@pytest.mark.parametrize("sentence, matched", [
    ("The other side is sabotaging the talks.", "sabotaging"),
    ("They keep stirring up trouble in the region.", "stirring up trouble"),
    ("These are groundless accusations.", "groundless"),
    ("We urge the other side to stop these actions.", "urge"),
    ("Its proposals do not meet our requirements.", "do not meet"),
])
def test_argued_criticism_is_coolness(sentence: str, matched: str) -> None:
    assert _cats(sentence).get(matched) == "coolness"


@pytest.mark.parametrize("sentence, matched", [
    ("Relations between our two countries proceed at a high level.", "at a high level"),
    ("The two countries are all-weather partners.", "all-weather"),
    ("Cooperation has maintained a sound momentum.", "sound momentum"),
])
def test_warmth_without_a_protocol_formula_is_warm(sentence: str, matched: str) -> None:
    assert _cats(sentence).get(matched) == "warm"


def test_advanced_as_an_adjective_is_not_warm() -> None:
    assert "advanced" not in _cats("The United States announced export controls on advanced chips.")
    assert _cats("The visit advanced the relationship.").get("advanced the") == "warm"


def test_argued_criticism_on_a_briefing_is_negative_toward_the_pair() -> None:
    ex = S.explain("The other side is sabotaging the talks and deliberately stirring up trouble, Japan should stop.",
                   title=BRIEFING, source="o", source_countries={"o": "CHN"})
    assert (ex.about_ties, ex.dyad, ex.tone) == (True, "CHN-JPN", -1)
