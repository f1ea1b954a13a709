"""Tone lexicon 1.4.0 and the own-relation reference: hand-written hard cases.

The forms are those of head-of-state readouts and spokesperson briefings, written for these
tests (not items of any gold file): ties affirmed as developing (the guidelines code "ties are
... developing" as 1), blame assigned to the other side, and a sentence in a bilateral item
that names no country but speaks of "our relations".
"""

from __future__ import annotations

import pytest
from lexicon_cases import lexicon_categories

from analysis import sentiment as S
from analysis import tone_lexicon

KREMLIN = "Meeting with President of the United Arab Emirates Mohamed bin Zayed Al Nahyan"
BRIEFING = "Foreign Ministry Spokesperson's Regular Press Conference on March 3, 2024"


def _cats(sentence: str, *, title: str = KREMLIN, home: str = "RUS") -> dict[str, str]:
    return lexicon_categories(sentence, title=title, home=home)


def test_lexicon_version() -> None:
    assert tone_lexicon.load_tone_lexicon().version == "1.9.0"  # 1.4.0 added these entries; later versions kept them


@pytest.mark.parametrize("sentence, matched", [
    ("Our relations are developing very well.", "relations are developing"),
    ("Cooperation continues to develop.", "Cooperation continues to develop"),
    ("Trade ties have been growing.", "ties have been growing"),
    ("Everything is developing successfully.", "developing successfully"),
])
def test_ties_affirmed_as_developing_are_warm(sentence: str, matched: str) -> None:
    assert _cats(sentence).get(matched) == "warm"


def test_developing_countries_is_not_warm() -> None:
    cats = _cats("Both sides discussed assistance to developing countries.")
    assert not any("developing" in m for m in cats)


@pytest.mark.parametrize("sentence, matched", [
    ("The Philippine side bears full responsibility.", "bears full responsibility"),
    ("Japan must bear the responsibility for the consequences.", "must bear the responsibility"),
    ("They keep shifting the blame onto others.", "shifting the blame"),
])
def test_blame_assigned_is_coolness(sentence: str, matched: str) -> None:
    assert _cats(sentence, title=BRIEFING, home="CHN").get(matched) == "coolness"


def test_bearing_responsibility_oneself_is_not_blame() -> None:
    # without a modifier or a modal, bearing responsibility is not blame
    assert _cats("We bear responsibility for the future of our peoples.", title=BRIEFING, home="CHN") == {}


def test_own_relation_reference_makes_a_countryless_sentence_about_the_pair() -> None:
    ex = S.explain("Our relations are developing very well, trade grew by a quarter last year.",
                   title=KREMLIN, source="o", source_countries={"o": "RUS"})
    assert (ex.about_ties, ex.dyad, ex.tone) == (True, "ARE-RUS", 1)
    # the same reference without lexicon words ("our contacts") is enough for about_ties
    ex = S.explain("Our contacts are regular.", title=KREMLIN, source="o", source_countries={"o": "RUS"})
    assert (ex.about_ties, ex.dyad) == (True, "ARE-RUS")


def test_countryless_sentence_without_relation_words_stays_not_about() -> None:
    ex = S.explain("The weather in the capital was sunny.", title=KREMLIN, source="o", source_countries={"o": "RUS"})
    assert ex.about_ties is False


def test_own_relation_reference_does_not_invent_a_pair() -> None:
    # no title pair and no country: "our cooperation" alone leaves the sentence not about ties
    ex = S.explain("Our cooperation is important.", title="General Debate of the 78th Session")
    assert ex.dyad == ""


XINHUA = "Xi Jinping holds talks with Brazilian President Lula"


@pytest.mark.parametrize("sentence, matched", [  # tone lexicon 1.8.0
    ("China is willing to work with Brazil to elevate bilateral ties to a new level.", "elevate bilateral ties"),
    ("China is willing to work with Brazil to elevate bilateral ties to a new level.", "new level"),
    ("The sides agreed to upgrade their partnership.", "upgrade their partnership"),
    ("Relations have reached a higher level.", "higher level"),
])
def test_ties_raised_to_a_new_level_are_warm(sentence: str, matched: str) -> None:
    assert _cats(sentence, title=XINHUA, home="CHN").get(matched) == "warm"


def test_elevated_tensions_and_upgraded_roads_are_not_warm() -> None:
    for sentence in ("Tensions remain elevated along the border.", "The roads were upgraded last year."):
        assert "warm" not in _cats(sentence, title=XINHUA, home="CHN").values()


def test_a_pledge_to_raise_ties_comes_out_warm() -> None:
    ex = S.explain("China is willing to work with Brazil to elevate bilateral ties to a new level, Xi said.",
                   title=XINHUA, source="Xinhua", date="2023-04-14")
    assert (ex.dyad, ex.tone) == ("BRA-CHN", 1)


@pytest.mark.parametrize("sentence, matched", [  # tone lexicon 1.8.0
    ("Our positions on most international issues are close or coincide.", "close or coincide"),
    ("The sides noted the closeness of their positions on regional issues.", "closeness of their positions"),
    ("Our views coincide on this.", "views coincide"),
])
def test_positions_that_coincide_are_warm(sentence: str, matched: str) -> None:
    assert _cats(sentence).get(matched) == "warm"


def test_a_visit_that_coincided_with_a_date_is_not_warm() -> None:
    assert "warm" not in _cats("The visit coincided with the anniversary.").values()


TASS = "Putin, Aliyev discuss bilateral cooperation by phone"


@pytest.mark.parametrize("sentence, matched", [  # tone lexicon 1.9.0
    ("Relations between the two countries have soured since the crash of the airliner.",
     "Relations between the two countries have soured"),
    ("Ties have deteriorated since 2020.", "Ties have deteriorated"),
    ("The diplomatic row between Moscow and Baku escalated.", "diplomatic row"),
    ("Moscow recalled its ambassador from Baku for consultations.", "recalled its ambassador"),
    ("The two countries have been at odds over the border.", "at odds"),
    ("Russia-Azerbaijan relations are at an all-time low.", "all-time low"),
])
def test_ties_reported_as_deteriorating_are_cool(sentence: str, matched: str) -> None:
    assert _cats(sentence, title=TASS, home="").get(matched) == "coolness"


def test_a_deteriorating_situation_is_not_a_cooling_of_ties() -> None:
    for sentence in ("The humanitarian situation deteriorated sharply.",
                     "The sides discussed ways to prevent a deterioration of the security situation."):
        assert "coolness" not in _cats(sentence, title=TASS, home="").values()


def test_a_news_agency_report_of_soured_ties_comes_out_negative() -> None:
    # a third-person agency item: no outlet voice, the pair from the sentence
    ex = S.explain("Relations between the two countries have soured since the crash of an Azerbaijani airliner.",
                   title=TASS, source="TASS", url="https://tass.com/politics/1")
    assert (ex.dyad, ex.tone) == ("AZE-RUS", -1)
