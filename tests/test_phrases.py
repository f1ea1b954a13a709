"""Recurring phrases: n-grams, bundles, collocations, keyness, formulaicity (exact values on toy input)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.phrases_reference import keyness_reference, stream_reference

from analysis import phrase_association, phrase_stream, phrases
from analysis.errors import DataFileError, InputError
from analysis.segment import is_word, norm_token, segment_articles


def sents(docs: dict[str, list[str]]) -> pd.DataFrame:
    """A sentences table from {doc_id: [sentence, ...]}, tokens split on spaces."""
    rows = []
    for doc_id, ss in docs.items():
        for i, s in enumerate(ss):
            rows.append({"doc_id": doc_id, "sentence_id": i, "tokens": tuple(s.split())})
    return pd.DataFrame(rows)


TOY = sents({"a": ["The cat sat .", "The cat ran !"], "b": ["A cat sat ."]})


def naive_ngrams(table: pd.DataFrame, n: int) -> tuple[Counter, Counter]:
    freq: Counter = Counter()
    docs: dict[tuple, set] = {}
    for doc_id, toks in zip(table["doc_id"], table["tokens"]):
        w = [norm_token(t) for t in toks if is_word(t)]
        for i in range(len(w) - n + 1):
            g = " ".join(w[i : i + n])
            freq[g] += 1
            docs.setdefault(g, set()).add(doc_id)
    return freq, Counter({g: len(d) for g, d in docs.items()})


# --------------------------------------------------------------------------- ngrams


def test_ngrams_exact_counts_on_toy_corpus() -> None:
    before = TOY.copy()
    out = phrases.ngrams(TOY, n=(1, 2))
    pd.testing.assert_frame_equal(TOY, before)  # caller's frame untouched
    assert list(out.columns) == ["feature", "n", "frequency", "docfreq", "rank", "per_million", "group"]
    uni = out[out["n"] == 1]
    assert uni["feature"].tolist() == ["cat", "sat", "the", "a", "ran"]
    assert uni["frequency"].tolist() == [3, 2, 2, 1, 1]
    assert uni["docfreq"].tolist() == [2, 2, 1, 1, 1]
    assert uni["rank"].tolist() == [1, 2, 2, 4, 4]  # min ("competition") ranks
    # 9 word tokens (punctuation dropped): cat = 3 / 9 per word token
    assert uni["per_million"].iloc[0] == pytest.approx(3 / 9 * 1e6)
    bi = out[out["n"] == 2]
    assert dict(zip(bi["feature"], bi["frequency"])) == {"cat sat": 2, "the cat": 2, "a cat": 1, "cat ran": 1}
    assert dict(zip(bi["feature"], bi["docfreq"])) == {"cat sat": 2, "the cat": 1, "a cat": 1, "cat ran": 1}
    assert "sat the" not in set(bi["feature"])  # never across a sentence boundary
    assert set(out["group"]) == {"all"}
    # per_million of bigrams is still per million *word* tokens
    assert bi.loc[bi["feature"] == "cat sat", "per_million"].iloc[0] == pytest.approx(2 / 9 * 1e6)


def test_ngrams_n_conventions_min_frequency_and_stopwords() -> None:
    assert set(phrases.ngrams(TOY, n=2)["n"]) == {2}
    assert set(phrases.ngrams(TOY, n=[1, 3])["n"]) == {1, 3}
    assert set(phrases.ngrams(TOY, n=(1, 3))["n"]) == {1, 2, 3}
    out = phrases.ngrams(TOY, n=(1, 2), min_frequency=2)
    assert out["feature"].tolist() == ["cat", "sat", "the", "cat sat", "the cat"]
    st_out = phrases.ngrams(TOY, n=(1, 2), stopwords={"the", "a"})
    assert "the" not in set(st_out["feature"]) and "the cat" not in set(st_out["feature"])
    assert "cat sat" in set(st_out["feature"])
    assert st_out.loc[st_out["feature"] == "cat", "per_million"].iloc[0] == pytest.approx(3 / 9 * 1e6)
    with pytest.raises(InputError):
        phrases.ngrams(TOY, n=0)
    with pytest.raises(InputError):
        phrases.ngrams(TOY.drop(columns="tokens"))


def test_ngrams_by_group_and_period() -> None:
    arts = pd.DataFrame(
        {"doc_id": ["a", "b"], "source": ["X", "Y"],
         "date": pd.to_datetime(["2021-01-31T23:00:00Z", "2022-03-01T00:00:00Z"], utc=True)}
    )
    out = phrases.ngrams(TOY, n=1, articles=arts, by="source")
    x = out[out["group"] == "X"]
    assert dict(zip(x["feature"], x["frequency"])) == {"cat": 2, "the": 2, "ran": 1, "sat": 1}
    assert x.loc[x["feature"] == "cat", "per_million"].iloc[0] == pytest.approx(2 / 6 * 1e6)
    assert x["rank"].tolist() == [1, 1, 3, 3]
    assert out["group"].tolist() == sorted(out["group"].tolist())
    yr = phrases.ngrams(TOY, n=1, articles=arts, by="year")
    assert sorted(set(yr["group"])) == ["2021", "2022"]
    assert phrases.period(arts["date"], freq="month").tolist() == ["2021-01", "2022-03"]
    assert phrases.period(arts["date"], freq="quarter").tolist() == ["2021-Q1", "2022-Q1"]
    with pytest.raises(InputError, match="not in the articles table"):
        phrases.ngrams(TOY, articles=arts[arts["doc_id"] == "a"], by="source")
    with pytest.raises(InputError, match="no column"):
        phrases.ngrams(TOY, articles=arts, by="nope")


def test_ngrams_match_naive_counter_on_seed_article(seed_path) -> None:
    lines = seed_path.read_text(encoding="utf-8").split("\n", 1)
    arts = pd.DataFrame({"doc_id": ["seed"], "text": [lines[1]]})
    s = segment_articles(arts)
    out = phrases.ngrams(s, n=(1, 6))
    for n in range(1, 7):
        freq, docfreq = naive_ngrams(s, n)
        got = out[out["n"] == n]
        assert dict(zip(got["feature"], got["frequency"])) == dict(freq)
        assert set(got["docfreq"]) == {1}
    # the repeated lead paragraph shows up as a recurring 6-gram
    assert out[(out["n"] == 6)]["frequency"].max() >= 2


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.lists(st.sampled_from(list("abcd")), min_size=0, max_size=8), min_size=1, max_size=3),
        min_size=1, max_size=4,
    ),
    min_frequency=st.integers(min_value=1, max_value=3),
)
def test_ngrams_with_pruning_equal_naive_counts(docs, min_frequency) -> None:
    table = sents({f"d{i}": [" ".join(s) for s in d] for i, d in enumerate(docs)})
    out = phrases.ngrams(table, n=(1, 4), min_frequency=min_frequency)
    for n in range(1, 5):
        freq, docfreq = naive_ngrams(table, n)
        want = {g: c for g, c in freq.items() if c >= min_frequency}
        got = out[out["n"] == n]
        assert dict(zip(got["feature"], got["frequency"])) == want
        assert dict(zip(got["feature"], got["docfreq"])) == {g: docfreq[g] for g in want}


# --------------------------------------------------------------------------- stopwords


def test_bundled_stopword_list_loads_and_bad_file_is_named(tmp_path) -> None:
    words = phrases.load_stopwords()
    assert {"the", "of", "and", "'s"} <= words and "president" not in words
    bad = tmp_path / "stop.txt"
    bad.write_text("# version: 1\n# source: x\n# licence: y\nthe\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="citation"):
        phrases.load_stopwords(bad)
    bad.write_text("# version: 1\n# source: x\n# licence: y\n# citation: z\nthe\nof the\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 6"):
        phrases.load_stopwords(bad)


# --------------------------------------------------------------------------- bundles

BUNDLE_DOCS = sents(
    {
        "d1": ["on behalf of the people", "x y"],
        "d2": ["on behalf of the state"],
        "d3": ["on behalf of us"],
        "d4": ["in the light of"],
    }
)


def test_bundles_small_corpus_rule() -> None:
    out = phrases.bundles(BUNDLE_DOCS, n=(3, 4))
    # 4 docs -> min docs = max(2, ceil(0.2)) = 2; min frequency 3
    assert out["feature"].tolist() == ["on behalf of"]
    assert out["frequency"].tolist() == [3] and out["docfreq"].tolist() == [3]
    assert out["rule"].tolist() == ["small_corpus"] and out.attrs["rules"] == {"all": "small_corpus"}
    assert out["rank"].tolist() == [1]


def test_bundles_per_million_rule_thresholds() -> None:
    # 20 word tokens; "on behalf of": 3 times in 3 docs = 150,000 per million;
    # "behalf of the": 2 times in 2 docs = 100,000 per million
    kw = dict(n=3, small_corpus_fallback=False)
    out = phrases.bundles(BUNDLE_DOCS, min_per_million=99_999, min_docs=2, **kw)
    assert out["feature"].tolist() == ["on behalf of", "behalf of the"]
    assert out["per_million"].tolist() == pytest.approx([150_000.0, 100_000.0])
    assert out["rank"].tolist() == [1, 2]
    assert set(out["rule"]) == {"per_million"}
    out = phrases.bundles(BUNDLE_DOCS, min_per_million=100_001, min_docs=2, **kw)
    assert out["feature"].tolist() == ["on behalf of"]
    out = phrases.bundles(BUNDLE_DOCS, min_per_million=1.0, min_docs=4, **kw)
    assert out.empty and out.attrs["rules"] == {"all": "per_million"}
    out = phrases.bundles(BUNDLE_DOCS, min_per_million=1.0, min_docs=3, **kw)
    assert out["feature"].tolist() == ["on behalf of"]


# --------------------------------------------------------------------------- collocations

COLL_DOCS = sents(
    {
        "a": ["the prime minister met the king", "the prime minister spoke ."],
        "b": ["prime minister and king met", "the king met the prime minister"],
        "c": ["ministers met , the king said"],
    }
)


def nltk_finder(table: pd.DataFrame, window: int):
    from nltk.collocations import BigramCollocationFinder

    stream: list = []
    for toks in table["tokens"]:
        stream.extend(norm_token(t) for t in toks if is_word(t))
        stream.extend([None] * (window - 1))  # keeps every window inside one sentence
    return BigramCollocationFinder.from_words(stream, window_size=window)


@pytest.mark.parametrize("window", [2, 3, 5])
def test_collocations_equal_nltk_counts_and_scores(window: int) -> None:
    from nltk.collocations import BigramAssocMeasures as M

    out = phrases.collocations(COLL_DOCS, window=window, min_frequency=1, min_docs=1)
    finder = nltk_finder(COLL_DOCS, window)
    assert dict(zip(zip(out["w1"], out["w2"]), out["frequency"])) == dict(finder.ngram_fd)
    for row in out.itertuples():
        assert row.pmi == pytest.approx(finder.score_ngram(M.pmi, row.w1, row.w2), abs=1e-9)
        assert row.log_likelihood == pytest.approx(finder.score_ngram(M.likelihood_ratio, row.w1, row.w2), abs=1e-9)
        assert row.t_score == pytest.approx(finder.score_ngram(M.student_t, row.w1, row.w2), abs=1e-9)
    # sorted by pmi descending, then feature
    keys = list(zip(-out["pmi"], out["feature"]))
    assert keys == sorted(keys)


def test_collocations_filters_equal_nltk_filters_and_log_dice_by_hand() -> None:
    stop = {"the", "and"}
    out = phrases.collocations(COLL_DOCS, window=2, min_frequency=2, min_docs=1, stopwords=stop)
    finder = nltk_finder(COLL_DOCS, 2)
    finder.apply_freq_filter(2)
    finder.apply_word_filter(lambda w: w in stop)
    assert dict(zip(zip(out["w1"], out["w2"]), out["frequency"])) == dict(finder.ngram_fd)
    pm = out[out["feature"] == "prime minister"].iloc[0]
    # f(prime minister) = 4, f(prime) = 4, f(minister) = 4 -> logDice = 14 + log2(8/8) = 14
    assert (pm["frequency"], pm["docfreq"], pm["log_dice"]) == (4, 2, 14.0)
    km = out[out["feature"] == "king met"].iloc[0]
    # f(king met) = 2, f(king) = 4, f(met) = 4 -> 14 + log2(4/8) = 13
    assert (km["frequency"], km["docfreq"], km["log_dice"]) == (2, 1, 13.0)  # both in doc b
    only2 = phrases.collocations(COLL_DOCS, window=2, min_frequency=2, min_docs=3, stopwords=stop)
    assert only2.empty
    assert list(phrases.collocations(COLL_DOCS, window=2, min_frequency=1, measures=("log_dice",)).columns) == [
        "feature", "w1", "w2", "frequency", "docfreq", "log_dice",
    ]
    with pytest.raises(InputError):
        phrases.collocations(COLL_DOCS, window=1)


# --------------------------------------------------------------------------- keyness

KEY_SENTS = sents(
    {
        "t1": ["x x y y y"],
        "t2": ["y y z y y"],
        "r1": ["x y y y y y y y y y"],
        "r2": ["y y y y y y y y y y"],
    }
)
KEY_ARTS = pd.DataFrame({"doc_id": ["t1", "t2", "r1", "r2"], "side": ["T", "T", "R", "R"]})


def test_keyness_g2_log_ratio_p_on_hand_computed_table() -> None:
    out = phrases.keyness(KEY_SENTS, KEY_ARTS, by="side", target="T", min_frequency=1)
    assert list(out.columns) == [
        "feature", "frequency_target", "frequency_reference", "docfreq_target", "docfreq_reference",
        "g2", "log_ratio", "p_value",
    ]
    row = out.set_index("feature")
    # target: 10 words (x 2, y 7, z 1); reference: 20 words (x 1, y 19)
    # x: table (2, 1; 8, 19), N = 30, expected (1, 2; 9, 18)
    g2_x = 2 * (2 * math.log(2 / 1) + 1 * math.log(1 / 2) + 8 * math.log(8 / 9) + 19 * math.log(19 / 18))
    assert g2_x == pytest.approx(1.5563, abs=1e-4)
    assert row.loc["x", "g2"] == pytest.approx(g2_x, abs=1e-12)
    # y: table (7, 19; 3, 1) -- under-used in the target, so negative
    g2_y = 2 * (7 * math.log(7 / (10 * 26 / 30)) + 19 * math.log(19 / (20 * 26 / 30))
                + 3 * math.log(3 / (10 * 4 / 30)) + 1 * math.log(1 / (20 * 4 / 30)))
    assert row.loc["y", "g2"] == pytest.approx(-g2_y, abs=1e-12)
    assert row.loc["x", "log_ratio"] == pytest.approx(math.log2((2 / 10) / (1 / 20)))  # = 2
    # z: zero in the reference -> 0.5 adjustment: log2((1/10) / (0.5/20)) = 2
    assert row.loc["z", "log_ratio"] == pytest.approx(2.0)
    assert row.loc["x", "p_value"] == pytest.approx(math.erfc(math.sqrt(g2_x / 2)), abs=1e-15)
    scipy_stats = pytest.importorskip("scipy.stats")
    assert row.loc["x", "p_value"] == pytest.approx(scipy_stats.chi2.sf(g2_x, 1), rel=1e-9)
    # z: table (1, 0; 9, 20), expected (1/3, 2/3; 29/3, 58/3)
    g2_z = 2 * (1 * math.log(3) + 9 * math.log(9 / (29 / 3)) + 20 * math.log(20 / (58 / 3)))
    assert row.loc["z", "g2"] == pytest.approx(g2_z, abs=1e-12) and g2_z > g2_x
    assert out["feature"].tolist() == ["z", "x", "y"]  # g2 descending
    assert (row.loc["x", "frequency_target"], row.loc["x", "frequency_reference"]) == (2, 1)
    assert (row.loc["x", "docfreq_target"], row.loc["x", "docfreq_reference"]) == (1, 1)
    assert out.attrs["size_target"] == 10 and out.attrs["size_reference"] == 20

    ray = phrases.keyness(KEY_SENTS, KEY_ARTS, by="side", target="T", min_frequency=1, formula="rayson")
    # two-cell form: 2 (2 ln(2/1) + 1 ln(1/2)) = 2 ln 2
    assert ray.set_index("feature").loc["x", "g2"] == pytest.approx(2 * math.log(2), abs=1e-12)


def test_keyness_docs_basis_and_errors() -> None:
    out = phrases.keyness_docs(KEY_SENTS, KEY_ARTS, by="side", target="T", min_frequency=1)
    row = out.set_index("feature")
    # docs: x in 1 of 2 target docs and 1 of 2 reference docs -> no difference
    assert row.loc["x", "g2"] == pytest.approx(0.0, abs=1e-12)
    # z: docs table (1, 0; 1, 2), N = 4, expected (0.5, 0.5; 1.5, 1.5)
    g2_z = 2 * (1 * math.log(1 / 0.5) + 1 * math.log(1 / 1.5) + 2 * math.log(2 / 1.5))
    assert row.loc["z", "g2"] == pytest.approx(g2_z, abs=1e-12)
    assert out.attrs["basis"] == "docs" and out.attrs["size_target"] == 2
    assert phrases.keyness(KEY_SENTS, KEY_ARTS, by="side", target="T", min_frequency=3)["feature"].tolist() == [
        "x", "y",
    ]
    with pytest.raises(InputError, match="no sentences in target"):
        phrases.keyness(KEY_SENTS, KEY_ARTS, by="side", target="Q")
    with pytest.raises(InputError, match="also in the reference"):
        phrases.keyness(KEY_SENTS, KEY_ARTS, by="side", target="T", reference=["T", "R"])


# --------------------------------------------------------------------------- formulaicity

FORM = sents(
    {
        "d1": ["we met the minister today"],
        "d2": ["they met the minister", "today we"],
        "d3": ["nothing in common here"],
    }
)


def test_formulaicity_on_three_documents() -> None:
    out = phrases.formulaicity(FORM, n=(2, 3), min_docs=2)
    assert out["doc_id"].tolist() == ["d1", "d2", "d3"]
    assert out["n_words"].tolist() == [5, 6, 4]
    # recurrent (>= 2 docs): "met the", "the minister", "met the minister"; "today we" in d2 is
    # not a bigram of d1 ("minister today" is), and "we" ends d2's second sentence only
    assert out["covered_tokens"].tolist() == [3, 3, 0]
    assert out["formulaicity"].tolist() == pytest.approx([3 / 5, 3 / 6, 0.0])
    arts = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "source": ["X", "Y", "X"]})
    g = phrases.formulaicity(FORM, n=(2, 3), min_docs=2, articles=arts, by="source")
    assert g["group"].tolist() == ["X", "Y"]
    assert g["n_docs"].tolist() == [2, 1]
    assert g["formulaicity"].tolist() == pytest.approx([0.3, 0.5])
    assert g["formulaicity_pooled"].tolist() == pytest.approx([3 / 9, 3 / 6])
    # a sentence boundary stops n-grams: across d2's boundary "minister today" would recur
    # (d1, d2) and cover d1's "today"
    assert phrases.formulaicity(FORM, n=2, min_docs=2)["covered_tokens"].tolist() == [3, 3, 0]
    assert phrases.formulaicity(FORM, n=2, min_docs=3)["covered_tokens"].tolist() == [0, 0, 0]


# --------------------------------------------------------------------------- fast paths


# unsorted doc ids, punctuation-only and empty sentences, case, curly apostrophes, a document
# without any word token, a token that is punctuation in one place only
FAST = pd.DataFrame(
    {
        "doc_id": ["b", "b", "a", "c", "a", "d", "c"],
        "sentence_id": [0, 1, 0, 0, 1, 0, 1],
        "tokens": [
            ("The", "Minister", "\u2019s", "visit", ",", "the", "minister", "'s", "talks", "."),
            ("--", "!"),
            ("the", "MINISTER", "met", "the", "Minister", "of", "Trade", "."),
            ("Talks", "held", ";", "the", "minister", "met", "the", "minister", "."),
            (),
            ("...", "?"),
            ("Minister", "met", "the", "minister", "of", "trade", "in", "Baku", "."),
        ],
    }
)
FAST_ARTS = pd.DataFrame(
    {"doc_id": ["a", "b", "c", "d"], "source": ["X", "Y", "X", "Z"], "date": ["2021-01-05"] * 2 + ["2022-03-01"] * 2}
)


def assert_streams_equal(fast: phrases.WordStream, ref: phrases.WordStream) -> None:
    for name in ("ids", "vocab", "room", "doc"):
        assert getattr(fast, name).tolist() == getattr(ref, name).tolist(), name
    assert fast.doc_ids == ref.doc_ids


def test_word_stream_equals_reference_builder_and_subsets() -> None:
    fast, ref = phrases.word_stream(FAST.copy()), stream_reference(FAST)
    assert_streams_equal(fast, ref)
    assert fast.n_sentences == 7 and fast.doc_ids == ["a", "b", "c", "d"]
    # exact stream: a = "the minister met the minister of trade", b = ..., "'s" twice (curly straightened)
    assert fast.vocab.tolist() == [
        "'s", "baku", "held", "in", "met", "minister", "of", "talks", "the", "trade", "visit",
    ]
    assert fast.room[:8].tolist() == [8, 7, 6, 5, 4, 3, 2, 1]  # b's first sentence: 8 words
    # a group's stream cut from the whole stream = the stream built from the group's rows
    for docs in (["a", "c"], ["b"], ["d"], ["b", "d"]):
        mask = np.array([d in docs for d in fast.doc_ids])
        assert_streams_equal(fast.subset(mask), stream_reference(FAST[FAST["doc_id"].isin(docs)]))


def test_word_stream_cache_is_reused_and_invalidated() -> None:
    table = FAST.copy()
    ws = phrases.word_stream(table)
    assert phrases.word_stream(table) is ws and phrases.word_stream(ws) is ws
    assert phrases.word_stream(table.copy()) is not ws  # another table, same content: rebuilt
    table.at[4, "tokens"] = ("Trade", "talks")  # a changed cell is noticed
    ws2 = phrases.word_stream(table)
    assert ws2 is not ws and ws2.n_words == ws.n_words + 2
    assert_streams_equal(ws2, stream_reference(table))
    table["doc_id"] = ["b", "b", "a", "c", "b", "d", "c"]  # a changed doc_id too
    ws3 = phrases.word_stream(table)
    assert ws3 is not ws2 and ws3.doc[22:24].tolist() == [1, 1]  # the 2 words of row 4 are b's
    # list tokens (not the contract's tuples) work but are not cached
    lists = FAST.assign(tokens=[list(t) for t in FAST["tokens"]])
    assert phrases.word_stream(lists) is not phrases.word_stream(lists)


def test_measures_accept_a_word_stream_with_identical_results() -> None:
    ws = phrases.word_stream(FAST.copy())
    pairs = [
        (phrases.ngrams, {"n": (1, 3)}),
        (phrases.ngrams, {"n": 2, "articles": FAST_ARTS, "by": "source"}),
        (phrases.bundles, {"n": 2, "articles": FAST_ARTS, "by": "year"}),
        (phrases.collocations, {"window": 3, "min_frequency": 1, "min_docs": 1}),
        (phrases.formulaicity, {"n": 2, "min_docs": 2}),
        (phrases.formulaicity, {"n": 2, "min_docs": 2, "articles": FAST_ARTS, "by": "source"}),
    ]
    for fn, kw in pairs:
        pd.testing.assert_frame_equal(fn(ws, **kw), fn(FAST, **kw))
        pd.testing.assert_frame_equal(fn(ws, **kw), fn(ws, **kw))  # memoised results are not shared
    k = phrases.keyness(ws, FAST_ARTS, by="source", target="X", n=2, min_frequency=1)
    pd.testing.assert_frame_equal(k, phrases.keyness(FAST, FAST_ARTS, by="source", target="X", n=2, min_frequency=1))
    # formulaicity of d (no words) is NaN, the others exact: only "the minister" is in 3 docs
    # (a, b, c); it covers 4 words of a and b and 2 + 4 of c
    f = phrases.formulaicity(ws, n=2, min_docs=3)
    assert f["covered_tokens"].tolist() == [4, 4, 6, 0] and math.isnan(f["formulaicity"].iloc[3])


@pytest.mark.parametrize("n", [1, 2, 3])
def test_keyness_fast_path_equals_reference(n: int) -> None:
    for by, target, reference in [
        ("source", "X", None), ("source", "Y", None), ("source", "X", "Y"), ("source", "Z", ["X", "Y"]),
        ("year", "2021", None), ("year", 2022, "2021"),
    ]:
        for basis in ("tokens", "docs"):
            for formula in ("dunning", "rayson"):
                for min_frequency in (1, 2, 3):
                    kw = dict(by=by, target=target, reference=reference, n=n, min_frequency=min_frequency,
                              basis=basis, formula=formula)
                    try:
                        want = keyness_reference(FAST, FAST_ARTS, **kw)
                    except InputError as exc:
                        with pytest.raises(InputError, match=re.escape(str(exc))):
                            phrases.keyness(FAST, FAST_ARTS, **kw)
                        continue
                    got = phrases.keyness(FAST, FAST_ARTS, **kw)
                    pd.testing.assert_frame_equal(got, want, check_exact=True)
                    assert got.attrs == want.attrs
    # exact values of one table: "minister" (n = 1) in X = a + c (7 + 15 words) vs Y = b (8 words)
    k = phrases.keyness(FAST, FAST_ARTS, by="source", target="X", reference="Y", min_frequency=1)
    row = k.set_index("feature").loc["minister"]
    assert (row["frequency_target"], row["frequency_reference"], row["docfreq_target"]) == (6, 2, 2)
    assert k.attrs["size_target"] == 22 and k.attrs["size_reference"] == 8


def test_keyness_without_ngrams_of_that_length_has_a_str_feature_column() -> None:
    # basis="docs": both groups have documents but no 12-grams; the empty table's feature
    # column is str (a float64 column came from an outer merge of two empty tables)
    kw = dict(by="source", target="X", n=12, min_frequency=1, basis="docs")
    got = phrases.keyness(FAST, FAST_ARTS, **kw)
    assert got.empty and str(got["feature"].dtype) == "str"
    pd.testing.assert_frame_equal(got, keyness_reference(FAST, FAST_ARTS, **kw), check_exact=True)


def test_collocations_counted_in_chunks_of_first_words_are_identical(monkeypatch) -> None:
    whole = phrases.collocations(FAST, window=3, min_frequency=1, min_docs=1)
    assert dict(zip(whole["feature"], whole["docfreq"]))["the minister"] == 3  # a, b, c
    kept = phrases.collocations(FAST, window=3, min_frequency=2, min_docs=2)
    assert 0 < len(kept) < len(whole)
    for block in (1, 5, 9, 20):
        monkeypatch.setattr(phrase_association, "_PAIR_BLOCK", block)
        pd.testing.assert_frame_equal(phrases.collocations(FAST.copy(), window=3, min_frequency=1, min_docs=1), whole)
        pd.testing.assert_frame_equal(phrases.collocations(FAST.copy(), window=3, min_frequency=2, min_docs=2), kept)


def test_chunk_bounds_cover_all_values_in_order() -> None:
    w = np.asarray([3, 0, 1, 7, 2, 2, 0, 5], dtype=np.int64)
    for chunk in (1, 2, 4, 6, 100):
        b = phrase_stream._chunk_bounds(w, chunk)
        assert b[0] == 0 and b[-1] == w.size and np.all(np.diff(b) > 0)
        for lo, hi in zip(b[:-1], b[1:]):  # over the chunk only where one value alone is heavier
            assert w[lo:hi].sum() <= chunk or hi - lo == 1 or w[lo:hi - 1].sum() < chunk
    assert phrase_stream._chunk_bounds(np.zeros(0, dtype=np.int64), 5).tolist() == [0, 0]
    assert phrase_stream._chunk_bounds(w, 100).tolist() == [0, w.size]


def test_measures_counted_in_small_chunks_are_identical(monkeypatch) -> None:
    """n-grams, bundles, keyness and formulaicity with counting chunks of a few tokens."""
    arts = FAST_ARTS
    by = [c for c in arts.columns if c != "doc_id"][0]

    def run() -> list[pd.DataFrame]:
        t = FAST.copy()
        out = [
            phrases.ngrams(t, n=(1, 4)),
            phrases.ngrams(t, n=(1, 3), min_frequency=2, stopwords=["the"]),
            phrases.bundles(t, n=(2, 3), min_docs=2),
            phrases.formulaicity(t, n=(2, 3), min_docs=2),
        ]
        for n in (1, 2):
            for basis in ("tokens", "docs"):
                tgt = sorted(arts[by].astype(str).unique())[0]
                out.append(phrases.keyness(t, arts, by=by, target=tgt, n=n, min_frequency=1, basis=basis))
        return out

    whole = run()
    assert all(len(df) for df in whole)
    for chunk in (1, 3, 7):
        monkeypatch.setattr(phrase_stream, "_CHUNK", chunk)
        monkeypatch.setattr(phrase_association, "_CHUNK", chunk)
        for got, want in zip(run(), whole):
            pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_unique_inverse_equals_numpy_unique() -> None:
    for key in ([], [7], [5, -3, 5, 0, 2**40, -3, 7, 5], list(range(20, 0, -2)) * 3):
        arr = np.asarray(key, dtype=np.int64)
        want_u, want_inv = np.unique(arr, return_inverse=True)
        got_u, got_inv = phrase_stream._unique_inverse(arr)
        assert got_u.tolist() == want_u.tolist() and got_inv.tolist() == want_inv.ravel().tolist()
        assert got_u.dtype == np.int64 and got_inv.dtype == np.int64
    # n-gram levels without positions keep the same counts
    ws = phrases.word_stream(FAST)
    full, lean = phrase_stream._count(ws, 3), phrase_stream._count(ws, 3, positions=(2,))
    for a, b in zip(full, lean):
        assert a.features == b.features and a.frequency.tolist() == b.frequency.tolist()
        assert a.docfreq.tolist() == b.docfreq.tolist() and a.n_tokens == b.n_tokens
        assert b.positions.tolist() == (a.positions.tolist() if a.n == 2 else [])


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.lists(st.sampled_from(["a", "b", "B", "c", ",", "."]), max_size=6), min_size=1, max_size=3),
        min_size=2,
        max_size=5,
    ),
    n=st.integers(1, 3),
    basis=st.sampled_from(["tokens", "docs"]),
)
def test_keyness_fast_path_equals_reference_on_random_tables(docs, n, basis) -> None:
    table = sents({f"d{i}": [" ".join(s) for s in ss] for i, ss in enumerate(docs)})
    table["tokens"] = [tuple(t) for t in table["tokens"]]
    arts = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "g": [i % 2 for i in range(len(docs))]})
    assert_streams_equal(phrases.word_stream(table), stream_reference(table))
    kw = dict(by="g", target=0, n=n, min_frequency=1, basis=basis)
    try:
        want = keyness_reference(table, arts, **kw)
    except InputError as exc:
        with pytest.raises(InputError, match=re.escape(str(exc))):
            phrases.keyness(table, arts, **kw)
        return
    pd.testing.assert_frame_equal(phrases.keyness(table, arts, **kw), want, check_exact=True)


# --------------------------------------------------------------------------- shared corpora


@pytest.mark.shared
def test_phrases_on_shared_corpus(shared_dir) -> None:
    rows = []
    with open(shared_dir / "corpora" / "president_gov_ua_en" / "protocol.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append({"doc_id": r["id"], "text": r["text"], "date": r["date"], "source": "ua"})
    arts = pd.DataFrame(rows)
    s = segment_articles(arts)
    ng = phrases.ngrams(s, n=(1, 6), min_frequency=2)
    b = phrases.bundles(s)
    c = phrases.collocations(s)
    f = phrases.formulaicity(s)
    assert b.attrs["rules"] == {"all": "small_corpus"} and len(b) > 0
    assert "president of ukraine" in set(ng.loc[ng["n"] == 3, "feature"].head(20))
    assert (c["frequency"] >= 5).all() and (c["docfreq"] >= 2).all()
    assert f["formulaicity"].between(0, 1).all()


def test_merge_streams_of_pieces_equals_the_stream_of_the_whole_table():
    from analysis import phrases, segment

    sents = segment.add_tokens(pd.DataFrame({
        "doc_id": ["b", "b", "a", "c"], "sentence_id": [0, 1, 0, 0], "start": [0, 10, 0, 0],
        "end": [9, 20, 12, 1], "text": ["Zeta met Alpha.", "Alpha thanked zeta!", "The sides met.", "."],
    }))
    ref = phrases.word_stream(sents)
    pieces = [phrases.stream_piece(sents.iloc[:2]), phrases.stream_piece(sents.iloc[2:])]
    assert pieces[0][0].tolist() == ["alpha", "met", "thanked", "zeta"] and pieces[0][1].dtype == np.int32
    got = phrases.merge_streams(sents.drop(columns=["tokens", "spans"]), pieces)
    assert got.vocab.tolist() == ["alpha", "met", "sides", "thanked", "the", "zeta"] == ref.vocab.tolist()
    assert got.ids.tolist() == ref.ids.tolist() == [5, 1, 0, 0, 3, 5, 4, 2, 1]
    assert got.room.tolist() == ref.room.tolist() == [3, 2, 1, 3, 2, 1, 3, 2, 1]
    assert got.doc.tolist() == ref.doc.tolist() == [1, 1, 1, 1, 1, 1, 0, 0, 0]
    assert got.doc_ids == ref.doc_ids == ["a", "b", "c"] and got.n_sentences == 4
    pd.testing.assert_frame_equal(phrases.ngrams(got, n=(1, 2)), phrases.ngrams(sents, n=(1, 2)))
    with pytest.raises(InputError, match="stream pieces hold"):
        phrases.merge_streams(sents.drop(columns=["tokens", "spans"]), pieces[:1])


@pytest.mark.parametrize("seed", range(4))
def test_sort_ngrams_is_the_mergesort_of_pandas(seed: int) -> None:
    """The Arrow-ordered n-gram table equals pandas' stable sort by (group, n, rank, feature),
    non-ASCII features and several groups included."""
    rng = np.random.default_rng(seed)
    words = ["talks", "Talks", "éclat", "zebra", "Ärger", "a b", "ab", "a", "中", "z", "’s", "_x"]
    rows = {(g, n, w) for g, n, w in zip(rng.choice(["all", "2022", "Éire", "b"], 300), rng.integers(1, 4, 300),
                                          rng.choice(words, 300))}
    df = pd.DataFrame(sorted(rows), columns=["group", "n", "feature"]).sample(frac=1.0, random_state=seed)
    df["frequency"] = rng.integers(1, 5, len(df))
    df["docfreq"] = df["frequency"]
    df["rank"] = rng.integers(1, 4, len(df))
    df["per_million"] = df["frequency"] * 1.5
    got = phrase_stream._sort_ngrams(df)
    want = df.sort_values(["group", "n", "rank", "feature"], kind="mergesort", ignore_index=True)[got.columns.tolist()]
    pd.testing.assert_frame_equal(got, want)
