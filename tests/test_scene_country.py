"""A country named only as the scene of a sentence (pair rules): hand-written cases.

In a readout whose title names a partner, a sentence that names another country only after a
locative word ("the situation in Syria", "escalation in the West Bank", "here in Brussels") and
does not name the partner is about the title's pair talking about that place; a country named
otherwise ("Syria's future", "support for Syria"), or an organisation ("in the European Union"),
keeps the sentence-country rules.
"""

from __future__ import annotations

import pytest

from analysis import dyads
from analysis import tone_rules as S

TITLE = "Readout of Vice President Harris's Meeting with King Abdullah II of Jordan"


def _pair(sentence: str, title: str = TITLE, home: str = "USA") -> tuple[str, str]:
    """The rules' pair and reason for *sentence* on an official outlet of *home*."""
    ex = S.analyse_sentence(sentence, title=title, source="o", source_countries={"o": home},
                            party_outlets={"o"}, model=False)
    return ex.pair, ex.reason


@pytest.mark.parametrize("sentence", [
    "The United States and the King discussed the deteriorating humanitarian situation in Syria.",
    "The Vice President expressed U.S. concern about escalation in the West Bank.",
    "The United States will keep working to address the crisis inside Sudan and across the Sahel.",
    "U.S. ideas for reconstruction in Gaza were discussed.",
])
def test_scene_country_gives_the_title_pair(sentence: str) -> None:
    assert _pair(sentence) == ("JOR-USA", "title pair (the country named is the scene)")


@pytest.mark.parametrize("sentence, want", [
    ("The United States is concerned about Syria's future and the situation in Syria.", "SYR-USA"),
    ("U.S. sanctions relief for Syria was discussed.", "SYR-USA"),
    ("The United States and the King discussed the situation in Syria and Jordan's role.", "JOR-USA"),
])
def test_a_country_named_otherwise_keeps_the_sentence_rules(sentence: str, want: str) -> None:
    pair, reason = _pair(sentence)
    assert pair == want and "scene" not in reason


def test_an_organisation_is_never_a_scene() -> None:
    s = "Why are we not in the European Union?"
    assert not dyads._scene_only(s, dyads.find_mentions(s, None), ["EUU"])
    pair, reason = _pair("The United States welcomed the reforms under way in the European Union.")
    assert pair == "EUU-USA" and "scene" not in reason


def test_without_a_title_partner_there_is_no_title_pair_to_take() -> None:
    pair, reason = _pair("The United States discussed the situation in Syria.", title="Secretary Blinken's Remarks")
    assert pair == "SYR-USA" and "scene" not in reason


SPEECH = "General Debate statement of Sweden"


@pytest.mark.parametrize("sentence, want", [
    ("Russia has abducted thousands of Ukrainian children.", "RUS-UKR"),
    ("Brazil's President, you know, talked to Russia.", "BRA-RUS"),
    ("Hundreds of thousands of Ukrainian citizens have been deported to Russia.", "RUS-UKR"),
])
def test_two_other_countries_without_the_speaking_side_are_the_pair(sentence: str, want: str) -> None:
    assert _pair(sentence, SPEECH, "SWE") == (want, dyads.OTHERS_PAIR_REASON)


@pytest.mark.parametrize("sentence", [
    "We urge Russia to withdraw its troops from Ukraine.",        # the speaking side in the first person
    "The Prime Minister thanked Spain and Denmark for their help.",  # the speaking side thanks
    "At the summit in Bucharest, Russia was the main subject.",     # a scene is not a party
    "Sweden condemns Russia's war against Ukraine.",                 # the speaking side is named
])
def test_the_speaking_side_present_or_a_scene_keeps_the_other_rules(sentence: str) -> None:
    assert _pair(sentence, SPEECH, "SWE")[1] != dyads.OTHERS_PAIR_REASON


def test_agreements_named_after_a_place_name_no_country() -> None:
    text = "Both sides must implement the Minsk agreements, the Paris Agreement and the Geneva Conventions."
    assert dyads.find_mentions(text, None) == []
    assert [m.country for m in dyads.find_mentions("He flew from Minsk to Paris.", None)] == ["BLR", "FRA"]


READOUT = "Secretary Blinken's Meeting with French President Macron"


@pytest.mark.parametrize("sentence", [
    "Both agreed on the need to respond to food insecurity, exacerbated by Russia's continued brutal war in Ukraine.",
    "In addition, they highlighted the growing crisis of food insecurity, exacerbated by Russia's full-scale invasion.",
])
def test_conflict_named_as_a_cause_keeps_the_title_pair(sentence: str) -> None:
    assert _pair(sentence, READOUT)[0] == "FRA-USA"


def test_conflict_as_the_subject_gives_the_third_country() -> None:
    pair, reason = _pair("They shared their concerns about the threat posed by Iran's aggressive behavior.", READOUT)
    assert pair == "IRN-USA" and reason == "speaker side (title) and the third country of conflict vocabulary"
    assert dyads._conflict_as_cause("needs exacerbated by russia 's invasion".split(), [(5, 6, "")])
    assert not dyads._conflict_as_cause("they condemned russia 's invasion".split(), [(4, 5, "")])
