"""Sentence and token segmentation (no downloaded data)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktParameters, PunktTrainer
from reference.segment_reference import (
    abbreviation_continues_reference,
    ends_unfinished_reference,
    punkt_spans_reference,
    spans_reference,
)

from analysis import segment
from analysis.segment import SentenceSplitter, tokenize, train_splitter


def toks(text: str) -> list[str]:
    return [t for _, _, t in tokenize(text)]


def test_tokens_keep_abbreviations_compounds_and_numbers() -> None:
    assert toks("H.E. Mr. Aliyev met U.S. officials on U.S.-Azerbaijani ties, 1,000 km and 3.5%.") == [
        "H.E.", "Mr", ".", "Aliyev", "met", "U.S.", "officials", "on", "U.S.-Azerbaijani", "ties", ",",
        "1,000", "km", "and", "3.5", "%", ".",
    ]


def test_possessive_is_split_but_contractions_stay() -> None:
    assert toks("Azerbaijan’s and Russia's leaders didn't stop") == [
        "Azerbaijan", "’s", "and", "Russia", "'s", "leaders", "didn't", "stop",
    ]


def test_token_offsets_point_into_the_text() -> None:
    text = "  The sides noted: long-term partnership."
    for s, e, t in tokenize(text, offset=10):
        assert text[s - 10 : e - 10] == t


def test_norm_token_and_is_word() -> None:
    assert segment.norm_token("Ukraine’S") == "ukraine's"
    assert segment.is_word("U.S.") and segment.is_word("50th") and not segment.is_word("—")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("President Joseph R. Biden, Jr. spoke with H.E. Mr. Aliyev. They agreed.",
         ["President Joseph R. Biden, Jr. spoke with H.E. Mr. Aliyev.", "They agreed."]),
        ("The U.S. and Azerbaijan signed it in St. Petersburg on Monday. Dr. Smith attended.",
         ["The U.S. and Azerbaijan signed it in St. Petersburg on Monday.", "Dr. Smith attended."]),
        ("They met in St Petersburg. Gen. Smith was there.",
         ["They met in St Petersburg.", "Gen. Smith was there."]),
        ("First paragraph ends here\n\nSecond paragraph. Third sentence!",
         ["First paragraph ends here", "Second paragraph.", "Third sentence!"]),
    ],
)
def test_sentence_splitter_handles_titles_initials_and_abbreviations(text: str, expected: list[str]) -> None:
    assert SentenceSplitter().split(text) == expected


def test_sentences_table_on_the_seed(seed_path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    title, body = raw.split("\n", 1)
    arts = pd.DataFrame({"doc_id": ["seed"], "text": [body]})
    before = arts.copy()
    sents = segment.segment_articles(arts)
    pd.testing.assert_frame_equal(arts, before)  # caller's frame untouched
    assert list(sents.columns) == ["doc_id", "sentence_id", "start", "end", "text", "tokens", "spans", "n_words"]
    # 11 body sentences + the repeated lead + 2 boilerplate lines (the raw body is not cleaned here)
    assert len(sents) == 14
    assert sents.loc[10, "text"] == "Exchange of views took place on issues related to the prospects of cooperation."
    for row in sents.itertuples():
        assert body[row.start : row.end] == row.text
        for (s, e), t in zip(row.spans, row.tokens):
            assert body[s:e] == t
    assert sents.loc[10, "n_words"] == 13


def test_training_is_deterministic_and_learns_abbreviations() -> None:
    texts = ["Gov. Smith met Amb. Jones. Then Amb. Jones left. Amb. Lee arrived later."] * 5
    a = train_splitter(texts)
    b = train_splitter(texts)
    assert a.split(texts[0]) == b.split(texts[0])


def test_a_small_corpus_does_not_teach_punkt_that_words_are_abbreviations() -> None:
    """One spokesperson transcript: "it." ends a sentence once, and Punkt alone learns "it" as an
    abbreviation, merging the next sentence into its."""
    text = ("Mao Ning: The US has been abusing state power to suppress Chinese companies. "
            "China firmly opposes it. We will take resolute measures. "
            "Our cooperation proceeds in accordance with international law. The two sides agreed to meet. "
            "Gen. Li attended. He spoke at No. 5 Street. The Ambassador left on Tuesday.")
    nltk_only = PunktTrainer()
    nltk_only.train(text)
    assert "it" in nltk_only.get_params().abbrev_types  # the failure the filter removes
    sp = train_splitter([text])
    assert {"it", "law"}.isdisjoint(sp._params.abbrev_types)
    assert {"gen", "no"} <= sp._params.abbrev_types  # word-like abbreviations kept by the defaults
    assert sp.split(text) == [
        "Mao Ning: The US has been abusing state power to suppress Chinese companies.",
        "China firmly opposes it.", "We will take resolute measures.",
        "Our cooperation proceeds in accordance with international law.", "The two sides agreed to meet.",
        "Gen. Li attended.", "He spoke at No. 5 Street.", "The Ambassador left on Tuesday.",
    ]


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_raises_and_spans_are_exact(text: str) -> None:
    for s, e in SentenceSplitter().spans(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
    for s, e, t in tokenize(text):
        assert text[s:e] == t


@pytest.mark.shared
def test_sentence_splitting_on_shared_corpora(shared_dir) -> None:
    """No sentence ends on a title or dotted abbreviation in the real corpora."""
    texts = []
    for path in sorted((shared_dir / "corpora").glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh][:150]
    splitter = train_splitter(texts)
    bad_endings = ("Mr.", "Mrs.", "Ms.", "Dr.", "H.E.", "St.", "Gen.", "Jr.")
    n = 0
    bad = []
    for t in texts:
        for s in splitter.split(t):
            n += 1
            if s.endswith(bad_endings) or s.split()[-1] in {"U.S.", "U.K."} and len(s.split()) < 4:
                bad.append(s[-60:])
    assert n > 5000
    assert len(bad) / n < 0.002, bad[:10]


def test_token_tuples_and_token_strings_equal_the_tokens_of_add_tokens():
    from analysis import segment as S

    texts = ["H.E. Biden’s U.S.-Azerbaijani talks, 1,000 km.", "", "Mr. Aliyev  received\nthe envoy."]
    sents = pd.DataFrame({"doc_id": ["a", "b", "c"], "sentence_id": [0, 0, 0], "start": [0, 0, 5],
                          "end": [len(t) for t in texts], "text": texts})
    ref = S.add_tokens(sents)["tokens"].tolist()
    assert S.token_tuples(texts) == ref
    assert [tuple(S.token_strings(t)) for t in texts] == ref
    a, b = S.token_tuples(["talks talks", "talks"])
    assert a[0] is a[1] is b[0]  # one string object per token type


_END_CASES = (
    "", ".", "A.", " A.", "(A.", "xA.", "Thank you, Mr.", "Mr.", "H.E.", "said H.E.\n", "met Dr.\n\n",
    "the U.S.", "the U.S. ", "in the U.S.\n", "a.B.C.", "U.S.A.", "_U.S.", "é.U.S.", "1U.S.", "(U.S.",
    "of J. ", "of J.\n", "word.", "word..", "St.", "mr", "Gen. Lt.", "Ms.\r", "x\nA.", "ends\n",
    "Prof. Dr.", "x.MR.", "n.B.", "Ü.S.", "the E.U.\t\n",
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="AUSbrMH.E \n(_é1\t", max_size=12), st.sampled_from(["The", "U.S. aid", "", "...", "Mr"]))
def test_sentence_end_rules_equal_the_reference(text: str, following: str) -> None:
    """The merge rules that look at the sentence's end first give the whole-sentence patterns'
    answers (generated endings of letters, capitals, dots and white space)."""
    assert segment._ends_unfinished(text) == ends_unfinished_reference(text)
    assert segment._abbreviation_continues(text, following) == abbreviation_continues_reference(text, following)


def test_sentence_end_rules_equal_the_reference_on_cases_and_coded_sentences() -> None:
    from analysis import coded

    texts = list(_END_CASES) + [str(it.get(k) or "") for it in coded.load_items() for k in ("sentence", "title")]
    n = 0
    for t in texts:
        for x in (t, t + " Mr.", t + " J.", t + " U.S.", t + "\n"):
            assert segment._ends_unfinished(x) == ends_unfinished_reference(x), x
            for f in ("The talks", "U.S. aid", ""):
                assert segment._abbreviation_continues(x, f) == abbreviation_continues_reference(x, f), x
            n += ends_unfinished_reference(x)
    assert n > 100


def _trained_like() -> SentenceSplitter:
    """Punkt parameters with every kind of learnt evidence: sentence starters, collocations and
    orthographic contexts (upper case mid-sentence, lower case at a start, ...)."""
    from nltk.tokenize import punkt

    p = PunktParameters()
    p.abbrev_types = {"approx", "fig", "seq", "ch"}
    p.sent_starters = {"the", "president", "however", "in", "bach", "i"}
    p.collocations = {("j", "bach"), ("##number##", "june"), ("st", "louis")}
    for typ, flag in (("president", punkt._ORTHO_MID_UC), ("the", punkt._ORTHO_BEG_UC | punkt._ORTHO_MID_LC),
                      ("bach", punkt._ORTHO_MID_UC | punkt._ORTHO_BEG_UC), ("june", punkt._ORTHO_MID_UC),
                      ("however", punkt._ORTHO_BEG_UC | punkt._ORTHO_MID_LC), ("talks", punkt._ORTHO_BEG_LC),
                      ("minister", punkt._ORTHO_UNK_UC | punkt._ORTHO_MID_LC), ("i", punkt._ORTHO_MID_UC)):
        p.add_ortho_context(typ, flag)
    return SentenceSplitter(segment.DEFAULT_ABBREVIATIONS, p)


_PIECES = (
    "Mr.", "U.S.", "J.", "j.", "Bach", "bach", "the", "The", "President", "president", "said.", "talks", "Talks",
    "1.", "3.5", "12.", "June", "...", "..", ".", "!", "?", "!!!", "?!", '"', "”", "“", ")", "(", "]", "»", "«",
    "--", "-", "etc.", "e.g.", "Dr.", "no.", "approx.", "Fig.", "seq.", "ch.", "St.", "Louis", "COVID-19.",
    "A.", "é.", "Ü.", "II.", "i.", "I", "However", "however,", "Minister", "minister.", "In", "'", "’", "‘",
    ",", ";", ":", "word", "end.", "end.)", "end.”", "(end.)", "U.S.-Azerbaijani", "H.E.", "a.m.", "5", "x.y.",
)


@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", " ", " ", "", "\n", "  ", "\n\n", "\t",
                                                                       "\r\n", "\xa0", "\x0b", " \n "])),
                max_size=40))
@settings(max_examples=600, deadline=None)
def test_punkt_boundaries_equal_nltk_span_tokenize(pieces) -> None:
    """The cached decisions give nltk's spans, for the default and a trained-like splitter, on
    texts built of abbreviations, initials, numbers, ellipses, quotes, brackets and white space."""
    text = "".join(p + sep for p, sep in pieces)
    for splitter in (SentenceSplitter(), _TRAINED_LIKE):
        assert splitter._boundaries.spans(text) == punkt_spans_reference(splitter, text)
        assert splitter.spans(text) == spans_reference(splitter, text)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_punkt_boundaries_equal_nltk_on_arbitrary_text(text: str) -> None:
    for splitter in (SentenceSplitter(), _TRAINED_LIKE):
        assert splitter._boundaries.spans(text) == punkt_spans_reference(splitter, text)


_TRAINED_LIKE = _trained_like()


def test_punkt_boundaries_equal_nltk_on_the_sample_and_coded_sentences() -> None:
    from analysis import coded, config

    texts = [json.loads(line)["text"] for line in
             (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [str(it.get("sentence") or "") for it in coded.load_items()]
    trained = train_splitter(texts)
    n = 0
    for splitter in (SentenceSplitter(), trained, _TRAINED_LIKE):
        for t in texts:
            got = splitter.spans(t)
            assert got == spans_reference(splitter, t), t[:200]
            n += len(got)
    assert n > 1000


def test_punkt_boundaries_cases() -> None:
    """Exact spans where nltk's rules are easy to get wrong: overlapping candidates ("!!!"), a
    white space at the start of the text before a candidate, realigned closing quotes."""
    sp = SentenceSplitter()
    assert sp._boundaries.spans("Very bad acting!!! I promise.") == [(0, 18), (19, 29)]
    assert sp._boundaries.spans(" word. Next one") == [(0, 6), (7, 15)]
    assert sp._boundaries.spans(" a. B. c") == [(0, 8)]  # initials before a capital
    assert sp._boundaries.spans('He said "Go." Then left.') == [(0, 13), (14, 24)]
    assert sp._boundaries.spans("(Sent1.) Sent2.") == [(0, 8), (9, 15)]
    assert sp._boundaries.spans("   ") == []


def test_splitter_pickles_without_its_caches() -> None:
    import pickle

    sp = SentenceSplitter()
    sp.split("The talks ended. The sides agreed.")
    assert sp._boundaries._first and sp._boundaries._next
    copy = pickle.loads(pickle.dumps(sp))
    assert copy._boundaries._first == {} and copy._boundaries._next == {}
    assert copy.split("The talks ended. The sides agreed.") == ["The talks ended.", "The sides agreed."]


@pytest.mark.shared
def test_punkt_boundaries_equal_nltk_on_shared_corpora(shared_dir) -> None:
    """Every paragraph of the real corpora (first 300 texts of each) gets nltk's spans."""
    texts = []
    for path in sorted((shared_dir / "corpora").glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh][:300]
    splitter = train_splitter(texts)
    n = 0
    for t in texts:
        for para in segment._PARA_RE.split(t):
            got = splitter._boundaries.spans(para)
            assert got == punkt_spans_reference(splitter, para), para[:200]
            n += len(got)
    assert n > 5000


def _learnt(splitter: SentenceSplitter) -> tuple:
    p = splitter._params
    return (sorted(p.abbrev_types), sorted(p.collocations), sorted(p.sent_starters),
            sorted((k, v) for k, v in p.ortho_context.items() if v))


def test_training_token_equals_nltk_token() -> None:
    """The memoised training token has nltk's attributes and values, fresh or cached."""
    from nltk.tokenize.punkt import PunktToken

    for tok in ["The", "U.S.", "1,000.", "...", "..", ".", "Mr.", "é.", "-3.5", "a", "A.", "x..", "3rd."] * 2:
        for params in ({}, {"parastart": True, "linestart": True}):
            a, b = segment._TrainingToken(tok, **params), PunktToken(tok, **params)
            for attr in ("tok", "type", "period_final", *PunktToken._properties, "type_no_period",
                         "type_no_sentperiod", "first_case", "is_number"):
                assert getattr(a, attr) == getattr(b, attr), (tok, attr)
            assert bool(a.is_ellipsis) == bool(b.is_ellipsis) and bool(a.is_initial) == bool(b.is_initial)


def test_training_learns_what_nltk_learns_on_the_sample_and_coded_sentences() -> None:
    from reference.segment_reference import train_splitter_reference

    from analysis import coded, config

    texts = [json.loads(line)["text"] for line in
             (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [str(it.get("sentence") or "") for it in coded.load_items()]
    got = train_splitter(texts)
    assert _learnt(got) == _learnt(train_splitter_reference(texts))
    assert got.abbreviations == segment.DEFAULT_ABBREVIATIONS and len(got._params.ortho_context) > 1000


@pytest.mark.shared
def test_training_learns_what_nltk_learns_on_shared_corpora(shared_dir) -> None:
    from reference.segment_reference import train_splitter_reference

    texts = []
    for path in sorted((shared_dir / "corpora").glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh][:300]
    assert _learnt(train_splitter(texts)) == _learnt(train_splitter_reference(texts))


@given(st.text(alphabet="abzAZsS'’-._ 1,éÉ\n\t", max_size=40) | st.text(max_size=40))
@settings(max_examples=500, deadline=None)
def test_token_pattern_equals_the_reference(text: str) -> None:
    """The first rule for plain words finds exactly the reference pattern's tokens and offsets."""
    from reference.segment_reference import TOKEN_RE_REFERENCE

    assert [(m.span(), m.group()) for m in segment._TOKEN_RE.finditer(text)] == \
        [(m.span(), m.group()) for m in TOKEN_RE_REFERENCE.finditer(text)]


def test_token_pattern_equals_the_reference_on_the_sample() -> None:
    from reference.segment_reference import TOKEN_RE_REFERENCE

    from analysis import config

    text = (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8")
    assert segment._TOKEN_RE.findall(text) == TOKEN_RE_REFERENCE.findall(text)
    assert [m.span() for m in segment._TOKEN_RE.finditer(text)] == [m.span() for m in TOKEN_RE_REFERENCE.finditer(text)]


def test_untested_nltk_version_uses_nltk_span_tokenize(monkeypatch) -> None:
    """With an nltk version the fast path was not checked against, the splitter calls nltk's own
    span_tokenize; both paths give the same spans on the sample."""
    from analysis import config
    from analysis import segment as seg

    fast = SentenceSplitter()
    assert isinstance(fast._boundaries, seg._PunktBoundaries)
    monkeypatch.setattr(seg, "_FAST_NLTK_VERSIONS", ())
    slow = SentenceSplitter()
    assert isinstance(slow._boundaries, seg._NltkBoundaries)
    texts = [json.loads(line)["text"] for line in
             (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    n = 0
    for t in texts:
        got = slow.spans(t)
        assert got == fast.spans(t), t[:200]
        n += len(got)
    assert n > 100
