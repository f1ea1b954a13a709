"""War vocabulary as the scene of a sentence, not its subject (pair rules): hand-written cases.

On a party outlet's site, a sentence with war vocabulary and no country named is about the
speaking side and the outlet's adversary ("This war has been going on for 105 days"), unless
the war only sets the scene ("Because of the war, not everything is yet possible"), "Occupied"
is part of a name, or "occupied" is not an occupation.
"""

from __future__ import annotations

import pytest

from analysis import dyads
from analysis import tone_rules as S

ADDRESS = "Address by the President of Ukraine"


def _about(sentence: str) -> tuple[bool, str]:
    ex = S.analyse_sentence(sentence, title=ADDRESS, source="o", source_countries={"o": "UKR"},
                            adversaries={"o": "RUS"}, party_outlets={"o"}, model=False)
    return ex.about_ties, ex.dyad


@pytest.mark.parametrize("sentence", [
    "This war has been going on for 105 days.",
    "They remain in the occupied territories and resist.",
    "Residents of temporarily occupied Melitopol took to the streets.",
    "The invasion destroyed our cities.",
])
def test_war_as_subject(sentence: str) -> None:
    assert dyads._war_topic(sentence)
    assert _about(sentence) == (True, "RUS-UKR")


@pytest.mark.parametrize("sentence", [
    "Because of the war, not everything is yet possible.",
    "The hospital described the special measures taken during the war.",
    "Cities affected by the war must be rebuilt to the most modern standards.",
    "We met here before the full-scale invasion.",
    "Currently, 50 thousand beds have been occupied.",
    "Minister for Reintegration of the Temporarily Occupied Territories Iryna Vereshchuk said so.",
])
def test_war_as_scene(sentence: str) -> None:
    assert not dyads._war_topic(sentence)
    assert _about(sentence) == (False, "")


def test_one_subject_word_is_enough() -> None:
    # a scene phrase and a war word as the subject: still the war
    assert dyads._war_topic("During the war, the shelling of Kharkiv never stopped.")


SPEECH = "Speech by the President of Ukraine in the Parliament of Italy"


def _pair(sentence: str) -> tuple[str, str]:
    ex = S.analyse_sentence(sentence, title=SPEECH, source="o", source_countries={"o": "UKR"},
                            adversaries={"o": "RUS"}, party_outlets={"o"}, model=False)
    return ex.dyad, ex.reason


def test_war_as_subject_with_a_partner_in_the_title() -> None:
    # a speech to a foreign parliament: the war is with the adversary, not with the host
    assert _pair("Having unleashed a cruel, bloody, senseless war against us.") == (
        "RUS-UKR", "war reference: speaker side and the outlet's adversary (partner in title)")
    assert _pair("The invasion has not stopped in 27 days.")[0] == "RUS-UKR"


def test_warmth_keeps_the_title_partner() -> None:
    assert _pair("Thank you for your support in this war.")[0] == "ITA-UKR"
    assert _pair("Italy helps us in this war.")[0] == "ITA-UKR"
    # the war only as the scene: the title partner as before
    assert _pair("During the war, your people opened their homes to ours.")[0] == "ITA-UKR"


@pytest.mark.parametrize("sentence", [
    "The events marking the 77th anniversary of Victory in the Great Patriotic War will be held in every city.",
    "The world today is much more complex than it was during the Cold War.",
    "Veterans of the Second World War were honoured at the ceremony.",
    "It is a World War Two kind of scenario.",
])
def test_a_war_of_history_is_not_the_present_war(sentence: str) -> None:
    """A war word inside the name of a war of history (round 6: "Victory in the Great Patriotic War"
    on the Kremlin's site was the speaking side and its adversary)."""
    assert not dyads._war_topic(sentence)
    assert _about(sentence) == (False, "")


def test_the_present_war_beside_a_war_of_history_is_still_the_war() -> None:
    s = "As in the Great Patriotic War, this war is a war for our freedom."
    assert dyads._war_topic(s)
    assert _about(s) == (True, "RUS-UKR")
