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


def _pair(sentence: str, title: str = TITLE) -> tuple[str, str]:
    ex = S.analyse_sentence(sentence, title=title, source="o", source_countries={"o": "USA"},
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
