"""A dotted abbreviation ("U.S.") before a capitalised name is not a sentence end, even when a
corpus-trained Punkt has learnt the next word as a frequent sentence starter."""

from __future__ import annotations

import pytest
from nltk.tokenize.punkt import PunktParameters

from analysis.segment import DEFAULT_ABBREVIATIONS, SentenceSplitter


@pytest.fixture
def trained_like() -> SentenceSplitter:
    """Punkt parameters as learnt from a press-release corpus where these words often start sentences."""
    p = PunktParameters()
    p.sent_starters = {"secretary", "national", "department", "the", "in"}
    return SentenceSplitter(DEFAULT_ABBREVIATIONS, p)


@pytest.mark.parametrize("text, expected", [
    ("The U.S. National Science Foundation funds research. It is large.",
     ["The U.S. National Science Foundation funds research.", "It is large."]),
    ("The U.S. Department of State issued a statement.", ["The U.S. Department of State issued a statement."]),
    ("Talks with the U.S. Secretary of State went well.", ["Talks with the U.S. Secretary of State went well."]),
    ("He arrived in the U.S. The President met him on Monday.",
     ["He arrived in the U.S.", "The President met him on Monday."]),
    ("The delegation left for the U.S. In Washington, talks began.",
     ["The delegation left for the U.S.", "In Washington, talks began."]),
])
def test_us_before_a_name_is_not_a_boundary(trained_like, text, expected):
    assert trained_like.split(text) == expected
