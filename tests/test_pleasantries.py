"""Protocol lexicon 1.2.0-1.3.0: the greetings and pleasantries of remarks and press availabilities
(1.2.0) and the closing formulas of congratulatory and national-day messages (1.3.0).

Hand-written forms of the register (not items of any coded file): the codebook counts greetings
as protocol, and remarks open with them ("Good afternoon, everyone", "It's a great pleasure to
welcome ...") where readouts say "received" or "met with".
"""

from __future__ import annotations

import pytest

from analysis import protocol


def test_lexicon_version() -> None:
    assert protocol.load_lexicon().meta[0]["version"] == "1.4.0"


@pytest.mark.parametrize("sentence", [
    "SECRETARY BLINKEN: Good afternoon, everyone.",
    "It's a great pleasure to be here with my friend and colleague.",
    "Very good to see you again, Minister.",
    "We are delighted to welcome the Prime Minister to Washington.",
    "I thank you for your warm hospitality.",
])
def test_pleasantries_are_protocol(sentence: str) -> None:
    assert "greeting_congratulation" in protocol.categories_of(sentence)
    assert protocol.is_protocol(sentence)


@pytest.mark.parametrize("sentence", [
    "The ministry said the plant resumed work with pleasure boats moored nearby.",
    "The good news is that exports rose by 4 percent.",
    "Inflation is hitting our citizens very hard.",
])
def test_plain_sentences_stay_plain(sentence: str) -> None:
    assert "greeting_congratulation" not in protocol.categories_of(sentence)


def test_negated_pleasantry_is_not_protocol() -> None:
    # a negator within three words flags the match as negated, which the sentence flag ignores
    hits = [m for m in protocol.match_text("It was not a pleasure to see them walk out.")
            if m.category == "greeting_congratulation"]
    assert [(m.matched, m.negated) for m in hits] == [("a pleasure", True)]
    assert not protocol.is_protocol("It was not a pleasure to see them walk out.")


@pytest.mark.parametrize("sentence", [
    "I wish you good health and success, and the friendly people of Kazakhstan peace and prosperity.",
    "On this festive day, I wish the brotherly people of Turkey everlasting peace.",
    "Please accept the assurances of my highest consideration.",
])
def test_message_formulas_are_protocol(sentence: str) -> None:
    assert "greeting_congratulation" in protocol.categories_of(sentence)


@pytest.mark.parametrize("sentence", [
    "We wish the war would end soon.",
    "I wish to note that exports grew by 4 percent.",
])
def test_wishes_that_are_no_formula(sentence: str) -> None:
    assert "greeting_congratulation" not in protocol.categories_of(sentence)
