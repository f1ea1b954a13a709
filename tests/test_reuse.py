"""Text reuse: shingles, MinHash/LSH near-duplicates verified exactly, clusters, templates."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pandas as pd
import pytest
from reference.reuse_reference import exact_pairs, near_duplicates_reference, shingle_ids_reference

from analysis import config, duplicates, reuse, templates
from analysis.errors import InputError
from analysis.segment import segment_articles

# --------------------------------------------------------------------------- shingles


def test_shingles_are_lowercased_word_runs_without_punctuation() -> None:
    assert reuse.shingles("The sides met. They agreed!", k=3) == {
        "the sides met", "sides met they", "met they agreed",
    }
    assert reuse.shingles("Only two", k=5) == {"only two"}  # shorter than k: one shingle
    assert reuse.shingles("", k=5) == set() and reuse.shingles(None, k=5) == set()  # type: ignore[arg-type]
    assert reuse.shingles("Azerbaijan’s  LEADER", k=2) == {"azerbaijan 's", "'s leader"}
    with pytest.raises(InputError):
        reuse.shingles("x", k=0)


def test_lsh_banding_gives_high_recall_at_the_threshold() -> None:
    b, r = reuse.lsh_params(0.5, 128)
    assert (b, r) == (42, 3)
    assert 1 - (1 - 0.5**r) ** b >= 0.99
    assert 1 - (1 - 0.5 ** (r + 1)) ** (128 // (r + 1)) < 0.99  # r is the largest that qualifies


# --------------------------------------------------------------------------- near duplicates

BASE = "the president received the governor of the region and discussed trade energy and culture"  # 14 words


def small_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d3", "d1", "d2", "d4", "d5"],
            "text": [
                BASE,
                BASE.replace("culture", "tourism"),  # last word changed: 9 of 10 shingles shared
                "A completely different text about weather and football in the spring season.",
                "",
                BASE + " today",  # one shingle added
            ],
        }
    )


def test_near_duplicates_exact_jaccard_on_hand_written_texts() -> None:
    arts = small_articles()
    before = arts.copy()
    out = reuse.near_duplicates(arts, k=5, threshold=0.5)
    pd.testing.assert_frame_equal(arts, before)
    assert list(out.columns) == ["doc_id_a", "doc_id_b", "jaccard"]
    # d1-d3: 10 shingles each, 9 shared -> 9/11; d3-d5: 10 vs 11, 10 shared -> 10/11;
    # d1-d5: 9 shared of 10 + 11 -> 9/12
    assert out[["doc_id_a", "doc_id_b"]].values.tolist() == [["d1", "d3"], ["d1", "d5"], ["d3", "d5"]]
    assert out["jaccard"].tolist() == pytest.approx([9 / 11, 9 / 12, 10 / 11], abs=1e-15)
    pd.testing.assert_frame_equal(out, exact_pairs(arts, k=5, threshold=0.5))
    assert reuse.near_duplicates(arts, threshold=0.8)[["doc_id_a", "doc_id_b"]].values.tolist() == [
        ["d1", "d3"], ["d3", "d5"],
    ]
    assert out.attrs["bands"] == 42 and out.attrs["rows"] == 3


MORE_TEXTS = [
    ("a", BASE),
    ("b", BASE + " and sport"),
    ("c", "Short text."),
    ("d", "short TEXT"),  # same single shingle as c
    ("e", BASE.replace("governor", "mayor").replace("energy", "oil")),
    ("f", "Weather and football in the spring season, and more weather."),
    ("g", None),
    ("h", "the president received the governor of the region"),
]


def more_articles() -> pd.DataFrame:
    return pd.concat([small_articles(), pd.DataFrame(MORE_TEXTS, columns=["doc_id", "text"])], ignore_index=True)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 0.9])
def test_near_duplicates_fast_path_equals_reference_implementations(threshold: float) -> None:
    arts = more_articles()
    fast = reuse.near_duplicates(arts, threshold=threshold)
    ref = near_duplicates_reference(arts, threshold=threshold)
    pd.testing.assert_frame_equal(fast, ref)
    pd.testing.assert_frame_equal(fast, exact_pairs(arts, threshold=threshold))
    pd.testing.assert_frame_equal(reuse.near_duplicates(arts, threshold=threshold, screen_loss=0.0), ref)
    assert fast.attrs["n_verified"] <= ref.attrs["n_candidates"]
    assert len(fast) >= 1


def test_near_duplicates_threshold_one_keeps_identical_shingle_sets() -> None:
    # one band of 128 rows (datasketch's MinHashLSH refuses fewer than 2 bands)
    out = reuse.near_duplicates(more_articles(), threshold=1.0)
    assert out[["doc_id_a", "doc_id_b"]].values.tolist() == [["a", "d3"], ["c", "d"]]  # a is BASE, like d3
    assert out["jaccard"].tolist() == [1.0, 1.0]
    pd.testing.assert_frame_equal(out, exact_pairs(more_articles(), threshold=1.0))
    assert out.attrs["bands"] == 1 and out.attrs["min_agreement"] == 128


def test_signatures_are_datasketch_minhashes() -> None:
    from datasketch import MinHash

    texts = [BASE, "Short text.", "Azerbaijan’s LEADER met the Minister of Foreign Affairs of Uzbekistan today"]
    ids, strings = duplicates._shingle_ids(texts, 5)
    assert [sorted(strings[i] for i in s) for s in ids] == [sorted(reuse.shingles(t, k=5)) for t in texts]
    hashed_ids, hv = duplicates._shingle_ids(texts, 5, hashed=True)
    assert [a.tolist() for a in hashed_ids] == [a.tolist() for a in ids]
    assert hv.dtype == np.uint32 and hv.tolist() == duplicates._hash_strings(strings).tolist()
    sig = duplicates._signatures(ids, hv, num_perm=64, seed=config.RANDOM_SEED)
    ref = MinHash.bulk([[x.encode("utf-8") for x in reuse.shingles(t, k=5)] for t in texts], num_perm=64,
                       seed=config.RANDOM_SEED)
    assert sig.dtype == np.uint32 and sig.shape == (3, 64)
    for row, m in zip(sig, ref):
        assert row.tolist() == m.hashvalues.tolist()


def test_band_pairs_hand_written_signatures() -> None:
    # 2 bands x 2 rows; docs 0 and 3 are identical (collide in both bands, reported once)
    sig = np.array([[1, 2, 3, 4], [1, 2, 3, 260], [7, 8, 3, 4], [1, 2, 3, 4]], dtype=np.uint32)
    low = (sig & np.uint32(0xFF)).astype(np.uint8)  # 260 has low byte 4: doc 1 looks like doc 0 in bytes
    i, j, coll = duplicates._band_pairs(sig, low, bands=2, rows=2, cut=0)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]
    assert coll == 6  # band 0: {0, 1, 3}, band 1: {0, 2, 3}
    # byte agreements 4, 2, 4, 4, 2 (full values: 3, 2, 4, 3, 2)
    i, j, _ = duplicates._band_pairs(sig, low, bands=2, rows=2, cut=3)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 3), (1, 3)]
    # the byte screen is conservative: 260 and 4 agree in their low byte, so (0, 1) and (1, 3)
    # stay for the exact check although their full signatures agree in only 3 positions
    i, j, _ = duplicates._band_pairs(sig, low, bands=2, rows=2, cut=4)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 3), (1, 3)]
    low[1, 3] = 5
    i, j, _ = duplicates._band_pairs(sig, low, bands=2, rows=2, cut=4)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 3)]


def test_intersections_of_sorted_id_sets() -> None:
    sets = [np.array([1, 2, 3, 9]), np.array([2, 3]), np.array([], dtype=np.int64), np.array([0, 9])]
    ci, cj = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 3])
    assert duplicates._intersections(sets, ci, cj, 10).tolist() == [2, 0, 1, 0]


def test_min_agreement_is_the_binomial_tail_cut() -> None:
    assert reuse.min_agreement(0.5, 128) == 43 and reuse.min_agreement(0.5, 128, loss=1e-6) == 37
    tail = sum(math.comb(128, x) for x in range(43)) / 2**128
    assert tail == pytest.approx(6.27e-5, rel=1e-2) and tail + math.comb(128, 43) / 2**128 > 1e-4
    # 16 permutations, J = 0.8: P(X <= 9) = 0.0267 <= 0.05 < P(X <= 10) = 0.0817
    assert reuse.min_agreement(0.8, 16, loss=0.05) == 10
    assert reuse.min_agreement(0.5, 128, loss=0.0) == 0 and reuse.min_agreement(1.0, 128, loss=0.0) == 128
    with pytest.raises(InputError):
        reuse.min_agreement(0.5, 128, loss=1.0)


def test_near_duplicates_input_errors() -> None:
    with pytest.raises(InputError, match="duplicate doc_id"):
        reuse.near_duplicates(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(InputError, match="lacks column"):
        reuse.near_duplicates(pd.DataFrame({"doc_id": ["a"]}))


def test_duplicate_clusters_are_components_named_by_smallest_id() -> None:
    pairs = pd.DataFrame(
        {"doc_id_a": ["b", "x", "a", "c"], "doc_id_b": ["c", "y", "b", "d"], "jaccard": [0.6, 0.9, 0.7, 0.5]}
    )
    out = reuse.duplicate_clusters(pairs)
    assert out.values.tolist() == [
        ["a", "a", 4], ["b", "a", 4], ["c", "a", 4], ["d", "a", 4], ["x", "x", 2], ["y", "x", 2],
    ]
    empty = reuse.duplicate_clusters(reuse.near_duplicates(small_articles(), threshold=0.95))
    assert empty.empty and list(empty.columns) == ["doc_id", "cluster", "cluster_size"]


def _read_jsonl(path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return pd.DataFrame({"doc_id": [r["id"] for r in rows], "text": [r["text"] for r in rows]})


@pytest.mark.shared
def test_planted_near_copies_found_with_high_precision_and_recall(shared_dir) -> None:
    arts = _read_jsonl(shared_dir / "corpora" / "whitehouse_readouts" / "readouts.jsonl")
    rng = random.Random(config.RANDOM_SEED)
    vocab = sorted({w for t in arts["text"].head(200) for w in t.split()})
    picked = sorted(rng.sample(range(len(arts)), 50))
    copies = []
    for i in picked:
        words = arts["text"].iloc[i].split()
        for j in rng.sample(range(len(words)), max(1, round(0.05 * len(words)))):
            words[j] = rng.choice(vocab)  # edit 5 % of the words at random
        copies.append({"doc_id": f"zz-copy-{i:04d}", "text": " ".join(words)})
    corpus = pd.concat([arts, pd.DataFrame(copies)], ignore_index=True)

    found = reuse.near_duplicates(corpus)
    truth = exact_pairs(corpus)
    f = set(map(tuple, found[["doc_id_a", "doc_id_b"]].values.tolist()))
    t = set(map(tuple, truth[["doc_id_a", "doc_id_b"]].values.tolist()))
    assert len(t) >= 45  # most planted copies are above 0.5 (plus the corpus' own near-duplicates)
    recall = len(f & t) / len(t)
    precision = len(f & t) / len(f)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
    planted = {tuple(sorted((arts["doc_id"].iloc[i], f"zz-copy-{i:04d}"))) for i in picked}
    assert len(planted & f) >= 45
    assert planted & t <= f  # the signature screen keeps every planted copy above the threshold
    pd.testing.assert_frame_equal(found, near_duplicates_reference(corpus))


@pytest.mark.shared
def test_near_duplicates_on_the_shared_press_corpora(shared_dir) -> None:
    files = [shared_dir / "corpora" / f for f in ("president_gov_ua_en/protocol.jsonl", "statedept_releases/articles.jsonl",
                                                  "whitehouse_readouts/readouts.jsonl")]
    arts = pd.concat([_read_jsonl(p) for p in files], ignore_index=True)
    assert len(arts) == 294 + 965 + 866
    out = reuse.near_duplicates(arts)
    # SOURCES.md: president_gov_ua_en-72173 / -71837 have identical text
    row = out[(out["doc_id_a"] == "president_gov_ua_en-71837") & (out["doc_id_b"] == "president_gov_ua_en-72173")]
    assert row["jaccard"].tolist() == [1.0]


# --------------------------------------------------------------------------- templates

TEMPLATE_TEXTS = [
    ("d1", "2021-03-01", "President Ilham Aliyev received Igor Babushkin, Governor of the Astrakhan Oblast."),
    ("d2", "2021-06-01", "President Joseph R. Biden received Ivan Petrov, Governor of the Kursk Oblast. Talks followed."),
    ("d3", "2022-01-15", "President Emmanuel Macron received Anna Ivanova, Governor of the Tver Oblast."),
    ("d4", "2023-02-01", "President Ilham Aliyev met with Oleg Sidorov, Governor of the Tver Oblast."),
    ("d5", "2023-05-01", "President Ilham Aliyev met with Pavel Orlov, Governor of the Omsk Oblast."),
    ("d6", "2023-07-01", "Glory to all. President Recep Erdogan met with Olga Orlova, Governor of the Omsk Oblast."),
]


def template_input() -> tuple[pd.DataFrame, pd.DataFrame]:
    arts = pd.DataFrame(TEMPLATE_TEXTS, columns=["doc_id", "date", "text"])
    arts["date"] = pd.to_datetime(arts["date"], utc=True)
    return segment_articles(arts), arts


def test_templates_slot_names_and_count_documents() -> None:
    s, arts = template_input()
    out = reuse.templates(s, articles=arts, min_docs=3)
    assert list(out.columns) == [
        "template_id", "template", "n_slots", "n_docs", "n_sentences", "first_date", "last_date", "example",
    ]
    # equal n_docs and n_sentences: ties broken by the template string
    assert out["template"].tolist() == [
        "President [1] met with [2] , Governor of the [3] .",
        "President [1] received [2] , Governor of the [3] .",
    ]
    assert out["n_docs"].tolist() == [3, 3] and out["n_sentences"].tolist() == [3, 3]
    assert out["n_slots"].tolist() == [3, 3]
    assert out["first_date"].tolist() == [pd.Timestamp("2023-02-01", tz="UTC"), pd.Timestamp("2021-03-01", tz="UTC")]
    assert out["last_date"].tolist() == [pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2022-01-15", tz="UTC")]
    assert out["example"].tolist() == [TEMPLATE_TEXTS[3][2], TEMPLATE_TEXTS[0][2]]  # earliest sentence
    assert reuse.templates(s, articles=arts, min_docs=4).empty
    # without dates: NaT, same templates
    nod = reuse.templates(s, min_docs=3)
    assert nod["template"].tolist() == out["template"].tolist() and nod["first_date"].isna().all()


def test_template_fillers_keep_original_spelling() -> None:
    s, arts = template_input()
    out = reuse.template_fillers(s, articles=arts, min_docs=3)
    assert list(out.columns) == ["template_id", "slot", "filler", "frequency", "docfreq"]
    t0 = out[out["template_id"] == 1]  # "received"
    assert t0[t0["slot"] == 1]["filler"].tolist() == ["Emmanuel Macron", "Ilham Aliyev", "Joseph R. Biden"]
    assert t0[t0["slot"] == 3][["filler", "frequency"]].values.tolist() == [
        ["Astrakhan Oblast", 1], ["Kursk Oblast", 1], ["Tver Oblast", 1],
    ]
    t1 = out[(out["template_id"] == 0) & (out["slot"] == 1)]  # "met with"
    assert t1[["filler", "frequency", "docfreq"]].values.tolist() == [["Ilham Aliyev", 2, 2], ["Recep Erdogan", 1, 1]]


def test_template_changes_show_variant_per_period() -> None:
    s, arts = template_input()
    out = reuse.template_changes(s, arts, freq="year", family_tokens=2, min_docs=3)
    assert out[["family", "template_id", "period", "n_sentences", "share"]].values.tolist() == [
        ["President [1]", 1, "2021", 2, 1.0],
        ["President [1]", 1, "2022", 1, 1.0],
        ["President [1]", 0, "2023", 3, 1.0],
    ]
    assert out["first_period"].tolist() == ["2021", "2021", "2023"]
    assert out["last_period"].tolist() == ["2022", "2022", "2023"]
    # a late "received" in 2023: the two wordings share that year 1 : 3
    more = pd.DataFrame(
        {"doc_id": ["d7"], "date": [pd.Timestamp("2023-09-01", tz="UTC")],
         "text": ["President Ilham Aliyev received Nina Belova, Governor of the Omsk Oblast."]}
    )
    arts7 = pd.concat([arts, more], ignore_index=True)
    out7 = reuse.template_changes(segment_articles(arts7), arts7, family_tokens=2, min_docs=3)
    y23 = out7[out7["period"] == "2023"]
    # "received" now has 4 documents, so it becomes template 0
    assert y23[["template_id", "n_sentences", "share"]].values.tolist() == [[1, 3, 0.75], [0, 1, 0.25]]
    assert out7.loc[out7["template_id"] == 0, ["first_period", "last_period"]].drop_duplicates().values.tolist() == [
        ["2021", "2023"]
    ]
    # with 3 prefix tokens the two wordings are different families of one variant each -> nothing
    assert reuse.template_changes(s, arts, family_tokens=3, min_docs=3).empty


def test_seed_article_repeated_lead_is_one_template(seed_path) -> None:
    text = seed_path.read_text(encoding="utf-8").split("\n", 1)[1]
    s = segment_articles(pd.DataFrame({"doc_id": ["seed"], "text": [text]}))
    out = reuse.templates(s, min_docs=1)
    lead = out[out["n_sentences"] == 2]
    assert lead["template"].tolist() == [
        "[1] , President of the Republic of [2] , received [3] , Governor of the [4] of the [5] Federation , "
        "[6] reports ."
    ]


@pytest.mark.parametrize("opts", [{"min_docs": 3}, {"min_docs": 1, "family_tokens": 2, "freq": "quarter"},
                                  {"min_docs": 2, "min_fixed_words": 5, "keep_words": ["governor"]}])
def test_template_tables_equal_the_three_functions(opts) -> None:
    s, arts = template_input()
    s_before, a_before = s.copy(), arts.copy()
    both = reuse.template_tables(s, arts, **opts)
    pd.testing.assert_frame_equal(s, s_before)
    pd.testing.assert_frame_equal(arts, a_before)
    shared = {k: v for k, v in opts.items() if k not in ("freq", "family_tokens")}
    pd.testing.assert_frame_equal(both["templates"], reuse.templates(s, articles=arts, **shared))
    pd.testing.assert_frame_equal(both["template_fillers"], reuse.template_fillers(s, articles=arts, **shared))
    pd.testing.assert_frame_equal(both["template_changes"], reuse.template_changes(s, arts, **opts))
    assert len(both["templates"]) >= 1 and len(both["template_fillers"]) >= 3
    with pytest.raises(InputError, match="date"):
        reuse.template_tables(s, arts.drop(columns="date"))


def test_templatize_token_cache_gives_the_same_templates() -> None:
    keep = reuse.TEMPLATE_KEEP_WORDS | templates._stopwords()
    toks = ("Glory", "to", "President", "Joseph", "R.", "Biden", ",", "Jr", ".", "and", "the", "3", "sides", ".")
    cache: dict[str, tuple[bool, bool]] = {}
    first = templates._templatize(toks, keep, {"glory"}, None, cache)
    assert first == ("Glory to President [1] , [2] and the [3] sides .", ["Joseph R. Biden", "Jr .", "3"], 6)
    assert cache["Biden"] == (True, True) and cache[","] == (False, False)
    assert templates._templatize(toks, keep, {"glory"}, None, cache) == first  # from the cache
    assert templates._templatize(toks, keep, set())[0].startswith("[1] to President")


def _brute_band_pairs(sig, low, bands, rows, cut):
    n = len(sig)
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            collide = any((sig[i, b * rows:(b + 1) * rows] == sig[j, b * rows:(b + 1) * rows]).all()
                          for b in range(bands))
            if collide and int((low[i] == low[j]).sum()) >= cut:
                out.append((i, j))
    return out


@pytest.mark.parametrize("n_docs", [12, 45])  # 45: one bucket above the small-bucket size
def test_band_pairs_equal_brute_force_on_small_and_large_buckets(n_docs: int) -> None:
    rng = np.random.default_rng(config.RANDOM_SEED)
    base = rng.integers(0, 2**32, 24, dtype=np.uint64).astype(np.uint32)
    sig = np.where(rng.random((n_docs, 24)) < 0.55, base, rng.integers(0, 2**32, (n_docs, 24), dtype=np.uint64))
    sig = sig.astype(np.uint32)
    sig[:, :2] = base[:2]  # every document in one bucket of band 0
    sig[: n_docs // 3, 2:4] = base[2:4]
    low = (sig & np.uint32(0xFF)).astype(np.uint8)
    for cut in (0, 12, 16):
        i, j, coll = duplicates._band_pairs(sig, low, bands=12, rows=2, cut=cut)
        got = list(zip(i.tolist(), j.tolist()))
        assert got == _brute_band_pairs(sig, low, 12, 2, cut)
        assert 0 < len(got) or cut == 16
    assert coll >= n_docs * (n_docs - 1) // 2


def test_near_duplicates_edge_inputs() -> None:
    empty = reuse.near_duplicates(pd.DataFrame({"doc_id": [], "text": []}))
    assert empty.empty and list(empty.columns) == ["doc_id_a", "doc_id_b", "jaccard"]
    assert reuse.near_duplicates(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]})).empty
    two = reuse.near_duplicates(pd.DataFrame({"doc_id": [2, 1], "text": ["x y", "X, y!"]}))
    assert two.values.tolist() == [["1", "2", 1.0]]


@pytest.mark.parametrize("n_frequent", [0, 3, 4096])
def test_intersections_equal_set_intersections(monkeypatch, n_frequent: int) -> None:
    monkeypatch.setattr(duplicates, "_FREQUENT_SHINGLES", n_frequent)
    rng = np.random.default_rng(config.RANDOM_SEED)
    sets = [np.unique(rng.integers(0, 30, rng.integers(1, 20))) for _ in range(25)]
    sets[3] = np.array([7])
    pairs = [(i, j) for i in range(25) for j in range(i + 1, 25) if (i * j) % 3 != 1]
    ci, cj = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    want = [len(set(sets[i].tolist()) & set(sets[j].tolist())) for i, j in pairs]
    assert duplicates._intersections(sets, ci, cj, 30).tolist() == want
    got = duplicates._intersections(sets, ci, cj, 30, threshold=0.4).tolist()
    for (i, j), w, g in zip(pairs, want, got):
        jac = w / (len(sets[i]) + len(sets[j]) - w)
        assert g == w or (g == -1 and jac < 0.4)
        assert g != -1 or jac < 0.4
    assert got.count(-1) > 0 and any(w / (len(sets[i]) + len(sets[j]) - w) >= 0.4 for (i, j), w in zip(pairs, want))


def test_token_starts_and_fillers_from_text_equal_fillers_from_spans():
    from analysis import segment

    text = "H.E.  Ilham Aliyev received\nU.S. Ambassador Mark Libby ’s team on 12 May 2022."
    tt = segment.tokenize(text)
    toks = tuple(t for _, _, t in tt)
    assert templates._token_starts(text, toks) == [s for s, _, _ in tt]
    assert templates._token_starts(text, ("H.E.", "Aliyev")) is None  # "Ilham" skipped: not cut from text
    bounds = [s for s, _, _ in tt] + [tt[-1][1]]
    surface = [text[bounds[i]:bounds[i + 1]] for i in range(len(tt))]
    keep = frozenset({"received", "on"})
    by_spans = templates._templatize(toks, keep, frozenset(), surface)
    by_text = templates._templatize(toks, keep, frozenset(), text=text)
    assert by_text == by_spans
    assert by_text[1][0] == "H.E. Ilham Aliyev"
    assert templates._templatize(toks, keep, frozenset(), text="unrelated")[1] == templates._templatize(toks, keep, frozenset())[1]


_SHINGLE_WORDS = ["the", "The", "President", "met", "Aliyev", "’s", "'s", ",", ".", "—", "talks", "1,000",
                  "on", "Ukraine", "U.S.", "said"]


@pytest.mark.parametrize("seed", range(12))
def test_shingle_ids_equal_the_string_dictionary_reference(seed: int, monkeypatch) -> None:
    """The vectorised shingle ids are those of building every shingle string (same ids in order of
    first occurrence, same strings, same dtype), for texts of every length, empty ones and None;
    odd seeds sort the per-document sets a few occurrences at a time (blocks of 1-7 runs)."""
    rng = random.Random(seed)
    if seed % 2:
        monkeypatch.setattr(duplicates, "_RUN_BLOCK", seed // 2 + 1)
        monkeypatch.setattr(duplicates, "_STRING_BLOCK", 3)
    texts: list[object] = [None, ""]
    for _ in range(40):
        texts.append(" ".join(rng.choice(_SHINGLE_WORDS) for _ in range(rng.choice([0, 1, 2, 4, 5, 6, 9, 30]))))
    rng.shuffle(texts)
    for k in (1, 2, 3, 5):
        ids, strings = duplicates._shingle_ids(texts, k)
        ref_ids, ref_strings = shingle_ids_reference(texts, k)
        assert strings == ref_strings
        assert len(ids) == len(ref_ids)
        for a, b in zip(ids, ref_ids):
            assert a.dtype == b.dtype and a.tolist() == b.tolist()
        hashed_ids, hv = duplicates._shingle_ids(texts, k, hashed=True)
        assert [a.tolist() for a in hashed_ids] == [a.tolist() for a in ids]
        assert hv.tolist() == duplicates._hash_strings(ref_strings).tolist()


def test_word_ids_and_shingle_ids_exact_values() -> None:
    flat, lengths, words = duplicates._word_ids(["The talks, the TALKS.", None, "", "Met"])
    assert flat.tolist() == [0, 1, 0, 1, 2] and lengths.tolist() == [4, 0, 0, 1]
    assert words == ["the", "talks", "met"]
    ids, strings = duplicates._shingle_ids(["a b c a b c", "x", "a b c", "x y"], 3)
    assert strings == ["a b c", "b c a", "c a b", "x", "x y"]
    assert [s.tolist() for s in ids] == [[0, 1, 2], [3], [0], [4]]
    assert duplicates._shingle_ids([], 3) == ([], [])


@pytest.mark.parametrize("copies", [1, 3])
def test_template_tables_from_text_equal_those_from_token_tuples(copies: int) -> None:
    """Sentences without ``tokens`` are tokenized here (token_strings, each distinct text once, its
    template kept for the text's repeats): the tables are those of the sentences with the tuples
    of the per-document stages, sentence by sentence.  With *copies*, every article is repeated
    under new ids, so that most texts repeat (in other documents and periods)."""
    base = pd.DataFrame(TEMPLATE_TEXTS, columns=["doc_id", "date", "text"])
    arts = pd.concat([base.assign(doc_id=base["doc_id"] + f"-{k}",
                                  date=pd.to_datetime(base["date"], utc=True) + pd.DateOffset(years=k))
                      for k in range(copies)], ignore_index=True)
    s = segment_articles(arts)
    assert s["text"].duplicated().any() == (copies > 1)  # repeats: the memo of distinct texts is used
    with_tokens = reuse.template_tables(s, arts, min_docs=2)
    from_text = reuse.template_tables(s.drop(columns=["tokens", "spans"]), arts, min_docs=2)
    for name, table in with_tokens.items():
        pd.testing.assert_frame_equal(from_text[name], table)
    assert len(with_tokens["templates"]) >= 1
    assert [list(t) for t in templates._token_lists(["Glory to all.", ""])] == [["Glory", "to", "all", "."], []]
