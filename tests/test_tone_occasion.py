"""Condolences: hand-written hard cases of the tone mechanism of condolence formulas.

Condolence and sympathy formulas (tone lexicon 1.2.0, ``role: occasion``): the losses the
sentence names are the formula's occasion, so their negative words are not aimed at the pair
(the codebook codes condolences and sympathy offered as 1).

The sentences are written for these tests (forms of the register, not items of any coded file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import sentiment, tone_lexicon
from analysis import tone_rules as S
from analysis.errors import DataFileError

WH = {"source": "o", "source_countries": {"o": "USA"}}
ISR_CALL = "Readout of President Biden's Call with Prime Minister Netanyahu of Israel"


def _notes(ex: S.Explanation) -> dict[str, tuple[float, str]]:
    f = ex.to_frame()
    f = f[f["source"] == "lexicon"]
    return {m: (float(x), str(n)) for m, x, n in zip(f["matched"], f["factor"], f["note"])}


def test_lexicon_marks_condolence_formulas_as_occasions() -> None:
    lex = tone_lexicon.load_tone_lexicon()
    assert lex.version == "1.9.0"
    roles = {p.text: (p.category, p.role) for p in lex.patterns}
    assert roles["condolence*"] == ("warm", "occasion")
    assert roles["mourn with"] == ("warm", "occasion")


def test_unknown_role_is_rejected(tmp_path) -> None:
    src = (Path(tone_lexicon.__file__).parent / "data" / "tone_lexicon.yml").read_text(encoding="utf-8")
    bad = tmp_path / "tone.yml"
    bad.write_text(src.replace(", role: occasion}", ", role: occassion}", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown role 'occassion'"):
        tone_lexicon.load_tone_lexicon(bad)


def test_loss_named_in_a_condolence_is_its_occasion() -> None:
    ex = sentiment.explain("The President expressed his condolences for the victims of the terrorist attack in Haifa.",
                   title=ISR_CALL, model=False, **WH)
    notes = _notes(ex)
    assert (ex.dyad, ex.about_ties) == ("ISR-USA", True)
    assert notes["condolences"] == (1.0, "condolence*")
    assert notes["attack"] == (0.0, "the occasion of condolences")
    # the loss is masked for VADER ("victims", "terrorist" have negative valence there)
    assert "victims" not in ex.masked and "terrorist" not in ex.masked and "condolences" in ex.masked
    assert ex.rule_tone == 1


def test_negated_or_hostile_condolence_is_no_occasion() -> None:
    ex = sentiment.explain("The President did not express condolences for the attack.", title=ISR_CALL, model=False, **WH)
    assert _notes(ex)["attack"][1] != "the occasion of condolences"
    # an aggressor-victim pair: the aggression is the pair's relationship, condolences or not
    ex = sentiment.explain("Ukraine mourns with the families of those killed by Russia's missile strikes on Kyiv.",
                   title="Address by the President of Ukraine", source="o", source_countries={"o": "UKR"},
                   model=False)
    assert ex.dyad == "RUS-UKR" and ex.rule_tone == -1
    assert all(n != "the occasion of condolences" for _, n in _notes(ex).values())


def test_sympathy_formula_of_a_condolence_letter() -> None:
    # tone lexicon 1.3.0 / protocol lexicon 1.4.0: "deeply saddened by the news of ..." offers sympathy
    s = ("I was deeply saddened by the news of the devastating earthquake that claimed numerous lives "
         "in the brotherly country.")
    ex = sentiment.explain(s, title="President sent a letter of condolence to the President of Turkiye",
                   source="o", source_countries={"o": "AZE"}, model=False)
    notes = _notes(ex)
    assert ex.dyad == "AZE-TUR"
    assert notes["saddened by"] == (1.0, "saddened by")
    assert "devastating" not in ex.masked and "saddened" not in ex.masked  # negative VADER valence: masked
    assert ex.rule_tone == 1
    assert "condolence" in S._protocol.categories_of(s)
