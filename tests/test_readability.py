"""Tests for analysis.readability: textstat formulas on the project's segmentation, and MTLD."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.readability_reference import mtld_pass_reference, text_counts_reference, word_info_reference
from textstat.backend.selections import list_words

from analysis import readability as R
from analysis.segment import segment_articles

AGREE = (
    "The two presidents met in the capital on Monday. They discussed bilateral cooperation in energy "
    "and transport. The governor expressed gratitude for the warm hospitality of the Azerbaijani side. "
    "Officials signed three agreements on trade, customs and education."
)


def test_formulas_equal_textstat_where_segmentations_agree() -> None:
    arts = pd.DataFrame({"doc_id": ["a"], "text": [AGREE]})
    sents = segment_articles(arts)
    assert len(sents) == textstat.sentence_count(AGREE) == 4
    r = R.readability(arts, sents).iloc[0]
    assert r.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(AGREE), rel=1e-12)
    assert r.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(AGREE), rel=1e-12)
    assert r.gunning_fog == pytest.approx(textstat.gunning_fog(AGREE), rel=1e-12)
    assert r.smog_index == pytest.approx(textstat.smog_index(AGREE), rel=1e-12)
    assert r.dale_chall == pytest.approx(textstat.dale_chall_readability_score(AGREE), rel=1e-12)


def test_project_sentence_count_is_used() -> None:
    # "H.E. Ilham Aliyev" is one sentence for the project; textstat's counter splits on the dots.
    text = "H.E. Ilham Aliyev received the new Ambassador of Italy in Baku today. The sides discussed trade."
    arts = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    sents = segment_articles(arts)
    assert len(sents) == 2
    r = R.readability(arts, sents).iloc[0]
    c = R.text_counts(sents.text.tolist())
    w = c["words"]
    assert c["words"] == textstat.lexicon_count(text)
    assert c["syllables"] == textstat.syllable_count(text)
    assert r.flesch_reading_ease == pytest.approx(206.835 - 1.015 * w / 2 - 84.6 * c["syllables"] / w)
    assert r.n_sentences == 2
    assert r.n_words == 16
    assert r.mean_sentence_length == pytest.approx(8.0)


def test_syllables_cached_per_word_type() -> None:
    R.text_counts(["Diplomatic diplomatic protocol."])
    assert "diplomatic" in {k.lower() for k in R._WORD_CACHE}
    assert R._WORD_CACHE["protocol"].syllables == 3


def test_mtld_hand_computed() -> None:
    # forward: a b a -> TTR 2/3 <= 0.72 closes a factor; "b a b" likewise: 2 factors, 6/2 = 3;
    # backward is the same sequence pattern: 3.  Mean 3.
    assert R.mtld("a b a b a b".split()) == pytest.approx(3.0)
    # "a b a c": forward closes one factor at "a b a", the rest "c" has TTR 1 (partial 0): 4/1 = 4.
    # backward "c a b a": TTR 3/4 = 0.75 never <= 0.72; partial (1-0.75)/(1-0.72) = 0.892857...
    # -> 4 / 0.892857 = 4.48.  Mean (4 + 4.48)/2 = 4.24.
    assert R.mtld("a b a c".split()) == pytest.approx(4.24)
    # all tokens distinct: no factor, one factor by convention -> token count
    assert R.mtld("a b c".split()) == pytest.approx(3.0)
    assert math.isnan(R.mtld([]))
    # threshold 0.5: no run falls to 0.5 (final TTR 3/4 both ways); partial (1-0.75)/(1-0.5) = 0.5
    # -> 4 / 0.5 = 8 in both directions
    assert R.mtld("a b a c".split(), threshold=0.5) == pytest.approx(8.0)


def test_readability_table_shape_and_empty_article() -> None:
    arts = pd.DataFrame({"doc_id": ["b", "a", "e"], "text": [AGREE, "Talks were held. They agreed.", ""]})
    sents = segment_articles(arts)
    before = sents.copy()
    r = R.readability(arts, sents)
    pd.testing.assert_frame_equal(sents, before)
    assert list(r.columns) == list(R.READABILITY_COLUMNS)
    assert list(r.doc_id) == ["a", "b", "e"]
    assert list(r.n_sentences) == [2, 4, 0]
    assert list(r.n_words) == [5, 38, 0]
    e = r.iloc[2]
    assert np.isnan([e.flesch_reading_ease, e.smog_index, e.dale_chall, e.mtld, e.mean_sentence_length]).all()
    # MTLD uses the project's lower-cased word tokens
    assert r.mtld[0] == pytest.approx(R.mtld(["talks", "were", "held", "they", "agreed"]))


def test_seed_article_runs_offline(seed_path: Path) -> None:
    # the suite's socket guard is active: any download attempt would fail this test
    text = seed_path.read_text(encoding="utf-8").split("\n", 1)[1]
    arts = pd.DataFrame({"doc_id": ["seed"], "text": [text]})
    r = R.readability(arts, segment_articles(arts)).iloc[0]
    assert r.n_sentences > 10
    assert 0 < r.flesch_kincaid_grade < 40
    assert r.mtld > 0


def test_load_dictionaries_leaves_them_loaded_for_forked_workers() -> None:
    """After load_dictionaries() the CMU syllable table and Pyphen are held by their module-level
    caches (a forked worker inherits them), and the counts are unchanged."""
    from textstat.backend.utils import get_pyphen

    before = R.text_counts(["The delegations discussed bilateral cooperation."])
    R.load_dictionaries()
    assert len(R._CMU_SYLLABLES) > 100_000
    table = R._CMU_SYLLABLES
    info = get_pyphen.cache_info()
    get_pyphen("en_US")
    assert get_pyphen.cache_info().hits == info.hits + 1
    R.load_dictionaries()
    assert R._CMU_SYLLABLES is table  # read once
    assert R.text_counts(["The delegations discussed bilateral cooperation."]) == before


def test_words_rule_exact_values() -> None:
    text = "Don't stop 'em, U.S.-Azerbaijani talks! It's the Ministers' “view” — 50%."
    assert R._words(text) == ["Don't", "stop", "em", "USAzerbaijani", "talks", "It's", "the", "Ministers",
                              "view", "50"]
    assert (R._syllables("Azerbaijani"), R._syllables("protocol"), R._syllables("don't")) == (5, 3, 1)
    assert R._syllables("Hashtrakan") == 2  # not in the CMU dictionary: Pyphen
    assert R._word_info("cooperation") == R._WordInfo(5, True, True)
    assert R._word_info("the") == R._WordInfo(1, False, False)


_TRICKY_WORDS = ["'T", "'t", "don't", "Don't", "O'Neill", "İstanbul", "U.S.-Azerbaijani", "ministers'",
                 "''s", "'ve", "rock'n'roll", "ΑΘΗΝΑ", "naïve", "Straße", "x", "", "a b", "2021", "COVID-19",
                 "Hashtrakan", "Zelenskyy", "ﬁnance", "’s", "'LL"]


@given(st.text(alphabet="aeioyTtsdvlr'’-. ,İıß5\n", max_size=30))
@settings(max_examples=400, deadline=None)
def test_word_rule_and_word_info_equal_textstat(text: str) -> None:
    """textstat's word rule with compiled patterns, and the syllable table read from the CMU file,
    give textstat's own words, syllables and difficult-word tests (generated strings of vowels,
    contraction letters, apostrophes and case-changing letters)."""
    assert R._words(text) == list_words(text)
    for word in [text, *text.split()]:
        info = R._word_info(word)
        assert (info.syllables, info.difficult3, info.difficult0) == word_info_reference(word), word


def test_word_info_equals_textstat_on_tricky_words_and_the_sample() -> None:
    from analysis import config

    texts = [json.loads(line)["text"] for line in
             (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    words = set(_TRICKY_WORDS)
    for t in texts:
        words.update(list_words(t))
        assert R._words(t) == list_words(t)
    assert len(words) > 1000
    for w in sorted(words):
        info = R._word_info(w)
        assert (info.syllables, info.difficult3, info.difficult0) == word_info_reference(w), w
    sents = [t.split(". ") for t in texts]
    for pieces in sents:
        assert R.text_counts(pieces) == text_counts_reference(pieces)


def test_cmu_syllable_table_equals_textstat_cmudict() -> None:
    from textstat.backend.utils import get_cmudict

    cmu = get_cmudict("en_US")
    table = R._cmu_syllables()
    assert table.keys() == cmu.keys()
    assert all(table[w] == sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmu.items())


@given(st.lists(st.sampled_from("abcdefg"), max_size=80),
       st.sampled_from([0.72, 0.5, 0.9, 0.0, 1.0, 1.5, 0.999, 0.2]))
@settings(max_examples=400, deadline=None)
def test_mtld_pass_equals_the_reference(tokens: list[str], threshold: float) -> None:
    """The pass that computes the ratio at repeated tokens only gives the every-token pass's value."""
    assert R._mtld_pass(tokens, threshold) == mtld_pass_reference(tokens, threshold)


def test_readability_of_unsorted_sentences_equals_sorted() -> None:
    arts = pd.DataFrame({"doc_id": ["b", "a"], "text": [AGREE, "Talks were held. They agreed. Fine."]})
    sents = segment_articles(arts)
    shuffled = sents.iloc[[4, 1, 0, 6, 2, 5, 3]]
    pd.testing.assert_frame_equal(R.readability(arts, shuffled), R.readability(arts, sents))


@given(st.lists(st.text(alphabet="ab'’ .,-tsdvelrAT\n", max_size=12), max_size=6))
@settings(max_examples=400, deadline=None)
def test_text_counts_of_joined_pieces_equal_the_piece_by_piece_reference(pieces: list[str]) -> None:
    """Counting the words of the pieces joined by spaces gives textstat's piece-by-piece counts
    (apostrophes and contraction letters at the ends of pieces)."""
    assert R.text_counts(pieces) == text_counts_reference(pieces)
