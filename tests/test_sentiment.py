"""Tests of analysis.sentiment: relation detection, tone rules, explanations, tables."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from reference.patterns_reference import match_reference, tone_sequences
from reference.tone_reference import dyad_tone_cells_reference

from analysis import sentiment as S
from analysis import tone_rules
from analysis.entities import Mention
from analysis.errors import DataFileError, InputError


class TinyGazetteer:
    """A hand-written gazetteer so that the tone tests do not depend on entities' coverage."""

    NAMES = {
        "Azerbaijan": "AZE", "Azerbaijani": "AZE", "Ilham Aliyev": "AZE", "Russian Federation": "RUS",
        "Russia": "RUS", "Russian": "RUS", "Ukraine": "UKR", "Ukrainian": "UKR", "Poland": "POL",
        "United States": "USA", "Biden": "USA", "France": "FRA", "Germany": "DEU", "Japan": "JPN",
        "China": "CHN", "Turkey": "TUR",
    }
    _RX = re.compile("|".join(rf"\b{re.escape(k)}\b" for k in sorted(NAMES, key=len, reverse=True)))

    def find(self, text: str, *, offset: int = 0) -> list[Mention]:
        return [Mention(m.start() + offset, m.end() + offset, m.group(), m.group(), self.NAMES[m.group()], "country")
                for m in self._RX.finditer(text)]


G = TinyGazetteer()
AZ_TITLE = "President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian Federation"
BIDEN_TITLE = "Readout of President Biden’s Call with Prime Minister Kishida of Japan"


def score(sentence: str, title: str = AZ_TITLE, prev: str = "") -> dict:
    """The rule layer alone (model=False): the pair and the rule score the model's features build on."""
    return S.score_sentence(sentence, title=title, prev=prev, gazetteer=G, model=False)


# ---------------------------------------------------------------- lexicon
def test_bundled_lexicon_loads_with_provenance():
    lex = S.load_tone_lexicon()
    assert lex.version and lex.licence == "CC0-1.0" and lex.citation
    cats = {p.category for p in lex.patterns}
    assert cats == set(S.CATEGORIES)


def test_lexicon_longest_match_and_wildcard():
    lex = S.default_tone_lexicon()
    words = ["the", "strategic", "partnership", "congratulated", "him"]
    got = [(i, j, p.text, p.category) for i, j, p in lex.match(words)]
    assert got == [(1, 3, "strategic partnership", "warm"), (3, 4, "congratulat*", "warm")]


def test_bad_lexicon_names_file_and_entry(tmp_path):
    p = tmp_path / "bad.yml"
    p.write_text("version: '1'\nsource: x\nlicence: y\ncitation: z\ncategories:\n"
                 "  warm:\n    entries:\n      - {patterns: ['good'], weight: nope}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.yml: categories\.warm\.entries\[0\]: 'weight'"):
        S.load_tone_lexicon(p)
    p.write_text("version: '1'\nsource: x\nlicence: y\ncategories: {}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"missing required key 'citation'"):
        S.load_tone_lexicon(p)


# ---------------------------------------------------------------- relation detection
def test_speaker_from_title_and_partner_from_sentence():
    r = score("It is reported that friendship relations between Azerbaijan and the Russian Federation "
              "have successfully developed in various fields.")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 1)


def test_pronoun_and_title_pair():
    r = score("He expressed his gratitude for the kind words.")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 1)
    assert S.analyse_sentence("He expressed his gratitude.", title=AZ_TITLE, gazetteer=G, model=False).directed == "AZE>RUS"


def test_procedural_formula_is_neutral():
    r = score("Exchange of views took place on issues related to the prospects of cooperation.")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 0)


def test_domestic_sentence_is_not_about_ties():
    r = score("The weather in the capital was cold.", title="President visited a school")
    assert r == {"about_ties": False, "dyad": "", "tone": None, "protocol": False, "score": None}


def test_third_country_in_passing_keeps_title_pair_and_tone():
    r = score("The leaders discussed Russia's continued military build-up on Ukraine's borders.", title=BIDEN_TITLE)
    assert (r["dyad"], r["tone"]) == ("JPN-USA", 0)


def test_praise_one_condemn_another():
    s = ("The leaders strongly condemned Russia's aggression against Ukraine and thanked Poland "
         "for its generous help.")
    r = score(s, title="President of Ukraine met with the President of Poland")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "RUS-UKR", -1)


def test_supported_victim_pair_is_positive():
    s = "The President welcomed the Prime Minister's resolute support to Ukraine against Russia's brutal aggression."
    r = score(s, title=BIDEN_TITLE)
    assert (r["dyad"], r["tone"]) == ("JPN-USA", 1)


# ---------------------------------------------------------------- tone rules
def test_negation_flips_satisfaction():
    pos = score("The President expressed satisfaction with the talks.")
    neg = score("The President did not express satisfaction with the talks.")
    assert pos["tone"] == 1 and neg["tone"] == -1


def test_coded_coolness():
    r = score("The sides had a frank exchange of views, but differences remain.")
    assert r["tone"] == -1


def test_contrast_clause_after_but_dominates():
    ex = S.explain("Relations were difficult, but the sides praised the friendship.", title=AZ_TITLE, gazetteer=G, model=False)
    notes = ex.to_frame().set_index("matched")["note"]
    assert "after 'but'" in notes["praised"]
    assert ex.tone == 1


def test_explain_contributions_sum_to_score():
    ex = S.explain("The governor congratulated the President and thanked Azerbaijan for its support.",
                   title=AZ_TITLE, gazetteer=G, model=False)
    df = ex.to_frame()
    assert list(df.columns) == ["source", "matched", "category", "weight", "factor", "contribution", "note"]
    assert df["contribution"].sum() == pytest.approx(ex.score, abs=1e-6)
    assert set(df["matched"]) >= {"congratulated", "thanked", "support", "compound"}
    assert "score=" in str(ex)


# ---------------------------------------------------------------- items / files
def test_score_items_order_and_fields():
    items = [{"item": "b", "title": AZ_TITLE, "prev": "", "sentence": "He thanked the governor.", "tone": -1},
             {"item": "a", "title": "x", "prev": "", "sentence": "Nothing here."}]
    out = S.score_items(items, gazetteer=G)
    assert [o["item"] for o in out] == ["b", "a"]
    assert set(out[0]) == {"item", "about_ties", "dyad", "tone", "protocol", "score", "home_country"}
    assert out[0]["tone"] == 1 and out[1]["about_ties"] is False


def test_score_items_home_country_from_source_url_or_field():
    """The outlet's country is the implied speaking side: from `home_country`, else the outlets file
    (by `source` or `url`); without any of them the title names no speaker and there is no pair."""
    base = {"item": 1, "title": "President met with the Ambassador", "prev": "",
            "sentence": "He thanked Russia for the support."}
    plain = S.score_items([base], gazetteer=G, model=False)
    assert plain[0]["home_country"] == "" and plain[0]["about_ties"] is False
    via_url = S.score_items([dict(base, url="https://apa.az/en/news/1")], gazetteer=G, model=False)
    via_src = S.score_items([dict(base, source="APA")], gazetteer=G, model=False)
    via_field = S.score_items([dict(base, home_country="AZE", source="some blog")], gazetteer=G, model=False)
    via_cli = S.score_items([base], gazetteer=G, model=False, home_country="AZE")
    for out in (via_url, via_src, via_field, via_cli):
        assert (out[0]["home_country"], out[0]["about_ties"], out[0]["dyad"]) == ("AZE", True, "AZE-RUS")


def test_score_sentence_and_explain_find_the_outlet_as_score_items_does():
    """`score_sentence(source=, url=)` and `explain(...)` look the outlet up in the outlets file as
    `score-sentences` does; before, they ignored it, so a spokesperson's "Japan's proposals do not
    meet our requirements" under a title naming no country got no pair."""
    title = "Foreign Ministry Spokesperson's Regular Press Conference on March 4, 2024"
    sent = "Japan's proposals do not meet our requirements."
    nobody = S.score_sentence(sent, title=title, gazetteer=G, model=False)
    assert (nobody["about_ties"], nobody["dyad"]) == (False, "")
    ways = [{"source": "Ministry of Foreign Affairs of the People's Republic of China"},
            {"url": "https://www.mfa.gov.cn/eng/xw/fyrbt/lxjzh/202403/t20240304.html"},
            {"source": "some blog", "home_country": "CHN"}]
    for kw in ways:
        one = S.score_sentence(sent, title=title, gazetteer=G, model=False, **kw)
        item = {"item": 1, "title": title, "prev": "", "sentence": sent, **kw}
        batch = S.score_items([item], gazetteer=G, model=False)[0]
        assert (one["about_ties"], one["dyad"]) == (True, "CHN-JPN"), kw
        assert one == {k: batch[k] for k in one}, kw
        ex = S.explain(sent, title=title, gazetteer=G, model=False, **kw)
        assert (ex.speaker, ex.dyad) == ("CHN", "CHN-JPN"), kw
    # an explicit mapping still wins over the outlets file
    ex = S.explain(sent, title=title, source="Xinhua", source_countries={"Xinhua": "KOR"}, gazetteer=G, model=False)
    assert (ex.speaker, ex.dyad) == ("KOR", "JPN-KOR")


def test_title_between_two_countries_gives_the_pair():
    r = score("The delegations agreed to meet again.", title="Negotiations between Ukraine and Russia")
    assert (r["about_ties"], r["dyad"]) == (True, "RUS-UKR")


def test_score_file_reports_bad_line(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"item": 1, "title": "", "prev": "", "sentence": "x"}) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        S.score_file(p, tmp_path / "out.jsonl")


# ---------------------------------------------------------------- tables
def _tiny_tone_table():
    st = pd.DataFrame({
        "doc_id": ["a", "a", "b", "c", "c"],
        "sentence_id": [0, 1, 0, 0, 1],
        "dyad": ["AZE-RUS", "AZE-RUS", "AZE-RUS", "AZE-RUS", ""],
        "about_ties": [True, True, True, True, False],
        "tone": pd.array([1, 0, -1, 1, None], dtype="Int64"),
        "score": [1.0, 0.0, -1.0, 1.0, float("nan")],
        "protocol": [True, False, False, True, False],
        "directed": ["AZE>RUS", "AZE>RUS", "RUS>AZE", "AZE>RUS", ""],
    })
    arts = pd.DataFrame({"doc_id": ["a", "b", "c"],
                         "date": pd.to_datetime(["2022-01-05", "2022-02-01", "2023-03-01"], utc=True)})
    return st, arts


def test_dyad_tone_cluster_bootstrap_exact():
    st, arts = _tiny_tone_table()
    before = st.copy()
    out = S.dyad_tone(st, arts, period="year", n_boot=200, seed=7, min_articles=1)
    pd.testing.assert_frame_equal(st, before)  # caller's frame untouched
    assert list(out.columns) == list(S.DYAD_TONE_COLUMNS)
    assert out[["dyad", "period", "n_sentences", "n_articles"]].values.tolist() == [
        ["AZE-RUS", "2022", 3, 2], ["AZE-RUS", "2023", 1, 1]]
    assert out["tone_mean"].tolist() == pytest.approx([0.0, 1.0])
    # baseline: mean of all 4 sentences = 0.25
    assert out["baseline_delta"].tolist() == pytest.approx([-0.25, 0.75])
    # 2022: resampling articles a (mean .5 over 2) and b (-1): possible means -1, 0, 0.5
    lo, hi = out.loc[0, ["ci_low", "ci_high"]]
    assert lo == pytest.approx(-1.0) and hi == pytest.approx(0.5)
    assert out.loc[1, ["ci_low", "ci_high"]].tolist() == pytest.approx([1.0, 1.0])
    again = S.dyad_tone(st, arts, period="year", n_boot=200, seed=7, min_articles=1)
    pd.testing.assert_frame_equal(out, again)
    assert not out["low_support"].any()


def test_dyad_tone_minimum_support_gives_no_interval():
    st, arts = _tiny_tone_table()
    out = S.dyad_tone(st, arts, period="year", n_boot=200, seed=7)  # default: 5 articles
    assert S.MIN_ARTICLES == 5
    assert out["low_support"].tolist() == [True, True]
    assert out["ci_low"].isna().all() and out["ci_high"].isna().all()
    assert out["tone_mean"].tolist() == pytest.approx([0.0, 1.0])  # the mean is still reported
    two = S.dyad_tone(st, arts, period="year", n_boot=200, seed=7, min_articles=2)
    assert two["low_support"].tolist() == [False, True]
    assert two["ci_low"].notna().tolist() == [True, False]
    with pytest.raises(InputError, match="min_articles"):
        S.dyad_tone(st, arts, min_articles=0)


def test_unresolved_pair_is_kept_and_counted():
    ex = S.analyse_sentence("Bilateral relations continue to develop dynamically.", title="News of the day")
    assert ex.about_ties and ex.dyad == ""
    assert ex.reason.startswith("unresolved pair")
    st = pd.DataFrame({"doc_id": ["a", "b"], "sentence_id": [0, 0], "dyad": ["", "AZE-RUS"],
                       "about_ties": [True, True], "tone": pd.array([1, 0], dtype="Int64"),
                       "score": [0.8, 0.0], "protocol": [False, False], "directed": ["", ""],
                       "pair_reason": ["unresolved pair (no pair); bilateral reference kept", "title pair"]})
    arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2022-01-05", "2022-02-01"], utc=True)})
    out = S.dyad_tone(st, arts, n_boot=10)
    assert out["dyad"].tolist() == ["(unresolved)", "AZE-RUS"] or out["dyad"].tolist() == ["AZE-RUS", "(unresolved)"]
    assert set(out["dyad"]) == {"AZE-RUS", S.UNRESOLVED_DYAD}
    assert S.dyad_tone(st, arts, n_boot=10, directed=True).empty


def test_dyad_tone_directed_and_quarter():
    st, arts = _tiny_tone_table()
    out = S.dyad_tone(st, arts, period="quarter", n_boot=50, directed=True)
    assert out["dyad"].tolist() == ["AZE>RUS", "AZE>RUS", "RUS>AZE"]
    assert out["period"].tolist() == ["2022-Q1", "2023-Q1", "2022-Q1"]
    assert out["n_sentences"].tolist() == [2, 1, 1]


def test_article_tone():
    st, _ = _tiny_tone_table()
    out = S.article_tone(st)
    assert out[["doc_id", "n_sentences", "tone_mean"]].values.tolist() == [["a", 2, 0.5], ["b", 1, -1.0], ["c", 1, 1.0]]


def test_sentence_tone_uses_title_and_previous_sentence():
    arts = pd.DataFrame({"doc_id": ["d"], "title": [AZ_TITLE], "source": ["apa"]})
    sents = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 1], "start": [0, 40],
                          "text": ["The weather was cold in the capital today.", "He thanked Russia for the support."]})
    out = S.sentence_tone(arts, sents, gazetteer=G)
    assert list(out.columns) == list(S.SENTENCE_TONE_COLUMNS)
    assert out["about_ties"].tolist() == [False, True]
    assert out["dyad"].tolist() == ["", "AZE-RUS"]
    assert out["tone"].tolist()[1] == 1 and out["directed"].tolist() == ["", "AZE>RUS"]


# ---------------------------------------------------------------- the seed article
def test_seed_relationship_sentences(seed_path):
    pytest.importorskip("analysis.entities", reason="analysis.entities not available yet")
    lines = [x.strip() for x in seed_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    title = lines[0]
    s1 = ("It is reported that friendship relations between Azerbaijan and the Russian Federation have "
          "successfully developed in various fields, highlighting the collaboration between multiple regions of "
          "Russia, including the Astrakhan province, contributing significantly to this endeavor.")
    assert s1 in lines
    r = S.score_sentence(s1, title=title)
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 1)
    r = S.score_sentence("President Ilham Aliyev expressed his gratitude for the congratulations and kind words.",
                         title=title)
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 1)
    r = S.score_sentence("Exchange of views took place on issues related to the prospects of cooperation.",
                         title=title)
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "AZE-RUS", 0)


# ---------------------------------------------------------------- register rules (exact contributions)
def _rows(ex):
    df = ex.to_frame()
    assert df["contribution"].sum() == pytest.approx(ex.raw_score, abs=1e-6)  # explain() stays truthful
    return {r.matched: (r.factor, r.contribution, r.note) for r in df.itertuples(index=False)}


def test_agenda_noun_inside_reported_topic_counts_zero():
    ex = S.explain("The sides discussed the prospects of strategic partnership in energy.", title=AZ_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["strategic partnership"][:2] == (0.0, 0.0)
    assert "agenda item after 'prospects'" in rows["strategic partnership"][2]
    assert ex.tone == 0


def test_reported_topic_without_agenda_noun_is_scaled():
    ex = S.explain("The sides discussed the strong partnership.", title=AZ_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["strong"][:2] == (0.5, 0.25) and rows["partnership"][:2] == (0.5, 0.3)
    assert rows["strong"][2] == "topic of 'discussed'"


def test_passive_topic_clause_ends_at_new_main_verb():
    ex = S.explain("Issues of friendly cooperation were discussed, and the President thanked the governor.",
                   title=AZ_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["friendly"][:2] == (0.0, 0.0) and rows["cooperation"][:2] == (0.0, 0.0)
    assert rows["thanked"][:2] == (1.0, 1.0)  # the new clause ("and ... thanked") is not a topic
    assert ex.tone == 1


def test_hostile_word_in_reported_topic_is_scaled():
    ex = S.explain("The leaders discussed tensions.", title=BIDEN_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["tensions"][:2] == (0.75, pytest.approx(-0.6))  # -0.8 * conflict_scale 1.5 * topic 0.5
    assert ex.tone == 0


def test_threat_from_third_country_does_not_count_against_pair():
    ex = S.explain("The President reaffirmed his commitment to Japan's security in the face of threats from China.",
                   title=BIDEN_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["threats"][:2] == (0.0, 0.0)
    assert rows["threats"][2] == "aimed at third party CHN (party after 'from')"
    assert (ex.dyad, ex.tone) == ("JPN-USA", 1)


def test_countered_threat_without_party_is_not_hostility_between_the_pair():
    ex = S.explain("The President welcomed joint efforts in deterring aggression.", title=BIDEN_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["aggression"][:2] == (0.0, 0.0)
    assert "countered ('deterring')" in rows["aggression"][2]
    # without the counter-frame the same word counts against the pair
    plain = _rows(S.explain("The President regretted the aggression.", title=BIDEN_TITLE, gazetteer=G, model=False))
    assert plain["aggression"][:2] == (1.5, -1.5)


def test_hostile_chain_inherits_actor_but_not_across_and_country():
    s = ("The President expressed support for Ukraine in the face of Russia's aggression against Ukraine "
         "and military build-up near Ukrainian borders.")
    ex = S.explain(s, title=BIDEN_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["aggression"][2] == "aimed at third party RUS (actor before)"
    assert rows["military build-up"][:2] == (0.0, 0.0)
    assert rows["military build-up"][2] == "aimed at third party RUS (actor of the preceding conflict term)"
    assert ex.tone == 1


def test_passive_condemnation_names_agent_not_target():
    title = "President of Ukraine met with the President of Poland"
    ex = S.explain("Russia's aggression was condemned by Poland, the President said.", title=title, gazetteer=G,
                   model=False)
    rows = _rows(ex)
    assert rows["condemned"][:2] == (1.5, -1.5)
    assert (ex.dyad, ex.tone, ex.reason) == ("POL-RUS", -1, "conflict: target and acting side")
    # with thanks from the speaking side to the title partner, the sentence is about their
    # cooperation against the third country: the conflict terms are aimed outside the pair
    s = "Russia's aggression was condemned by Poland and the President thanked Poland."
    ex = S.explain(s, title=title, gazetteer=G, model=False)
    rows = _rows(ex)
    assert (ex.dyad, ex.tone) == ("POL-UKR", 1)
    assert ex.reason == "cooperation against a third country: speaker side and title partner"
    assert rows["condemned"][:2] == (0.0, 0.0) and rows["thanked"][:2] == (1.0, 1.0)
    passive = ["russia's", "aggression", "was", "condemned", "by", "poland"]
    assert tone_rules._conflict_actor(passive, {0: "RUS", 5: "POL"}, 3, 4, "directed") == ("", "")
    active = ["poland", "condemned", "russia's", "aggression"]
    assert tone_rules._conflict_actor(active, {0: "POL", 2: "RUS"}, 1, 2, "directed") == ("RUS", "target after")
    assert tone_rules._conflict_actor(active, {0: "POL", 2: "RUS"}, 3, 4, "") == ("RUS", "actor before")
    victim = ["war", "against", "ukraine", "and", "military", "build-up"]
    assert tone_rules._conflict_actor(victim, {2: "UKR"}, 4, 6, "") == ("", "")  # "and" breaks the phrase
    assert tone_rules._conflict_actor(victim, {2: "UKR"}, 0, 1, "") == ("UKR", "party after 'against'")


def test_support_asked_for_is_not_support_given():
    rows = _rows(S.explain("We need your support, the governor said.", title=AZ_TITLE, gazetteer=G, model=False))
    assert rows["support"] == (0.0, 0.0, "support asked for, not given")
    rows = _rows(S.explain("He said that more assistance was required.", title=AZ_TITLE, gazetteer=G, model=False))
    assert rows["assistance"][:2] == (0.0, 0.0)
    rows = _rows(S.explain("He thanked Russia for the support.", title=AZ_TITLE, gazetteer=G, model=False))
    assert rows["support"][:2] == (1.0, 0.8)


def test_other_partners_and_schedules_are_procedural():
    ex = S.explain("The leaders agreed to consult with regional partners.", title=BIDEN_TITLE, gazetteer=G, model=False)
    rows = _rows(ex)
    assert rows["agreed to consult"][:2] == (1.0, 0.0) and rows["partners"] == (0.0, 0.0, "partners other than the pair")
    assert ex.tone == 0
    assert score("The leaders agreed to stay in touch.", title=BIDEN_TITLE)["tone"] == 0
    assert score("The two countries are strategic partners.", title=BIDEN_TITLE)["tone"] == 1


def test_candid_alone_is_not_negative_but_with_differences_it_is():
    assert score("The sides had a candid conversation.")["tone"] == 0
    assert score("The sides had a candid conversation and differences remain.")["tone"] == -1


def test_sanctions_relief_is_not_a_sanction():
    rows = _rows(S.explain("The President discussed sanctions relief with Japan.", title=BIDEN_TITLE, gazetteer=G, model=False))
    assert rows["sanctions relief"][:2] == (1.0, 0.0) and "sanctions" not in rows


def test_procedural_topic_verbs_open_a_topic_scope():
    for verb in ("touched upon", "talked about", "exchanged information on"):
        ex = S.explain(f"The sides {verb} the issues of friendly relations.", title=AZ_TITLE, gazetteer=G, model=False)
        rows = _rows(ex)
        assert rows["friendly"][:2] == (0.0, 0.0), verb
        assert ex.tone == 0


# ---------------------------------------------------------------- fast paths = straightforward versions
def _ref(seqs, words):
    return [(i, i + k, p) for i, k, p in match_reference(seqs, words)]


def test_lexicon_match_equals_plain_scan():
    lex = S.default_tone_lexicon()
    cases = [
        "the strategic partnership congratulated him",
        "we look forward to further developing mutually beneficial cooperation",
        "they discussed the issues of strategic partners and close cooperation",
        "sanctions against russia and aggression of the russian federation",
        "congratulat thank thanks thankful",  # wildcard stems themselves
        "",
        "strategic",  # a multi-word prefix cut off at the end
    ]
    seqs = tone_sequences(lex)
    for text in cases:
        words = text.split()
        assert lex.match(words) == _ref(seqs, words), text
    got = [(i, j, p.text) for i, j, p in lex.match("we look forward to further developing".split())]
    assert got == [(1, 3, "look* forward"), (4, 6, "further develop*")]


def test_lexicon_match_ties_longest_then_category(tmp_path):
    p = tmp_path / "lex.yml"
    p.write_text(
        "version: '1'\nsource: x\nlicence: y\ncitation: z\ncategories:\n"
        "  warm:\n    entries:\n      - {patterns: ['good*', 'good ties'], weight: 1}\n"
        "  coolness:\n    entries:\n      - {patterns: ['goo* ties', 'ties'], weight: -1}\n",
        encoding="utf-8")
    lex = S.load_tone_lexicon(p)
    words = ["good", "ties", "goodness", "goo", "ties", "ties"]
    got = [(i, j, q.text, q.category) for i, j, q in lex.match(words)]
    # two-token matches beat one-token ones; between "good ties" (warm) and "goo* ties"
    # (coolness), equally long, the category order (warm first) decides.
    assert got == [(0, 2, "good ties", "warm"), (2, 3, "good*", "warm"), (3, 5, "goo* ties", "coolness"),
                   (5, 6, "ties", "coolness")]
    assert lex.match(words) == _ref(tone_sequences(lex), words)


def _reference_sentence_tone(arts, sents, *, mentions=None, gazetteer=None, source_countries=None, model=None):
    """The straightforward table: analyse_sentence on every sentence with its title and the
    previous sentence (mentions shifted to sentence offsets)."""
    titles = dict(zip(arts["doc_id"], arts["title"]))
    sources = dict(zip(arts["doc_id"], arts["source"]))
    rows = []
    s = sents.sort_values(["doc_id", "sentence_id"], kind="mergesort")
    prev_doc, prev = None, ""
    for d, sid, start, text in zip(s["doc_id"], s["sentence_id"], s["start"], s["text"]):
        if d != prev_doc:
            prev = ""
        sm = None
        if mentions is not None:
            sm = [S._Mention(r.start - start, r.end - start, r.country, r.kind, r.surface)
                  for r in mentions.itertuples() if r.doc_id == d and r.sentence_id == sid]
        ex = S.analyse_sentence(text, title=titles[d], prev=prev, source=sources[d], gazetteer=gazetteer,
                                source_countries=source_countries or {}, sentence_mentions=sm, model=model)
        rows.append((d, int(sid), ex.dyad, ex.about_ties, ex.tone, ex.score, ex.protocol, ex.directed,
                     ex.reason if ex.about_ties else ""))
        prev_doc, prev = d, text
    out = pd.DataFrame(rows, columns=list(S.SENTENCE_TONE_COLUMNS))
    out["tone"] = pd.array(out["tone"].tolist(), dtype="Int64")
    out["score"] = pd.to_numeric(out["score"], errors="coerce").astype("float64")
    return out.astype({"sentence_id": "int64", "about_ties": "bool", "protocol": "bool"})


def _fast_path_corpus():
    from analysis import segment

    arts = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "source": ["az-wire", "az-wire", "wire"],
        "title": [AZ_TITLE, "Talks held in the capital", BIDEN_TITLE],
        "text": [
            "He thanked Russia for the support. The sides discussed the prospects of cooperation.",
            "Azerbaijan and Russia signed an agreement. They did not congratulate Russia. "
            "Russia's aggression against Ukraine was condemned.",
            "The President congratulated his counterpart. He did not congratulate China.",
        ],
    })
    sents = segment.segment_articles(arts, splitter=segment.SentenceSplitter())
    # A hand-made "sentence" that the untrained splitter of protocol.is_protocol splits in
    # two: the negation does not reach the second part there, but does over the whole tokens.
    extra = "He did not. He congratulated the President of Ukraine."
    start = len(arts.loc[2, "text"]) + 1
    arts.loc[2, "text"] = arts.loc[2, "text"] + " " + extra
    row = pd.DataFrame({"doc_id": ["c"], "sentence_id": [2], "start": [start], "end": [start + len(extra)],
                        "text": [extra]})
    sents = segment.add_tokens(pd.concat([sents[["doc_id", "sentence_id", "start", "end", "text"]], row],
                                         ignore_index=True))
    return arts, sents


def test_sentence_tone_fast_path_equals_per_sentence_analysis():
    from analysis import protocol as P

    arts, sents = _fast_path_corpus()
    homes = {"az-wire": "AZE"}
    m = P.match(sents)
    for model in (False, None):  # the rule layer alone, and with the bundled model
        ref = _reference_sentence_tone(arts, sents, gazetteer=G, source_countries=homes, model=model)
        assert len(ref) == 8
        for kw in ({}, {"protocol_matches": m}):
            got = S.sentence_tone(arts, sents, gazetteer=G, source_countries=homes, model=model, **kw)
            pd.testing.assert_frame_equal(got, ref)
            bare = sents[["doc_id", "sentence_id", "start", "end", "text"]]  # no tokens: tokenised here
            pd.testing.assert_frame_equal(S.sentence_tone(arts, bare, gazetteer=G, source_countries=homes,
                                                          model=model, **kw), ref)
        if model is False:
            # the case the protocol fast path must not change: is_protocol says True, the matches
            # over the whole token sequence are negated
            assert ref["protocol"].tolist()[-1] is True
            assert P.sentence_flags(sents, m)["protocol"].tolist()[-1] is False
            # exact values of the hand-written table (rule layer)
            # (title pair for "he"/"the sides"; the aggressor-victim pair for the condemnation)
            assert ref["dyad"].tolist() == ["AZE-RUS"] * 4 + ["RUS-UKR"] + ["JPN-USA"] * 3
            assert ref["tone"].tolist() == [1, 0, 0, -1, -1, 1, -1, -1]
            assert ref["protocol"].tolist() == [True, True, True, False, False, True, False, True]


def test_sentence_tone_fast_path_with_mentions_table():
    from analysis import protocol as P

    arts, sents = _fast_path_corpus()
    rows = []
    for d, sid, start, text in zip(sents["doc_id"], sents["sentence_id"], sents["start"], sents["text"]):
        for mm in G.find(text, offset=int(start)):
            rows.append((d, int(sid), mm.start, mm.end, mm.surface, mm.entity, mm.country, mm.kind))
    ment = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "start", "end", "surface", "entity", "country",
                                       "kind"])
    ref = _reference_sentence_tone(arts, sents, mentions=ment, gazetteer=G)
    got = S.sentence_tone(arts, sents, mentions=ment, gazetteer=G, protocol_matches=P.match(sents))
    pd.testing.assert_frame_equal(got, ref)
    pd.testing.assert_frame_equal(got, S.sentence_tone(arts, sents, gazetteer=G))


def test_single_plain_sentence_check():
    assert S._single_plain_sentence("The sides met in Baku.")
    assert not S._single_plain_sentence("He did not. He congratulated the President.")
    assert S._single_plain_sentence("Mr. Aliyev met Mr. Putin.")  # known abbreviations: one sentence
    assert not S._single_plain_sentence("")


def test_vader_compound_memo_same_value():
    text = "A great and warm meeting."
    first = S.vader_compound(text)
    assert S.vader_compound(text) == first == pytest.approx(tone_rules._vader().polarity_scores(text)["compound"])
    assert S.vader_compound("   ") == 0.0


def test_foreign_ministry_protest_register_is_cool() -> None:
    """Representations, protests and 'firmly opposes' are coded disapproval (coolness lexicon)."""
    r = S.score_sentence(
        "China firmly opposes the Lithuanian side's move and has lodged stern representations with Lithuania.",
        title="Foreign Ministry Spokesperson's Remarks on Lithuania")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "CHN-LTU", -1)
    rules = S.score_sentence(
        "China firmly opposes the Lithuanian side's move and has lodged stern representations with Lithuania.",
        title="Foreign Ministry Spokesperson's Remarks on Lithuania", model=False)
    assert rules["score"] == -4.5


def _article_tone_reference(sentence_tone: pd.DataFrame) -> pd.DataFrame:
    """The straightforward per-article loop that :func:`analysis.sentiment.article_tone` replaced."""
    st = sentence_tone.loc[sentence_tone["about_ties"].astype(bool) & sentence_tone["tone"].notna()]
    rows = []
    for d, g in sorted(st.groupby("doc_id"), key=lambda kv: str(kv[0])):
        vc = g["dyad"].value_counts()
        top = sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        t = g["tone"].astype("float64")
        rows.append((d, top, int(len(g)), float(t.mean()), float(g["score"].astype("float64").mean()),
                     float((t > 0).mean()), float((t < 0).mean())))
    return pd.DataFrame(rows, columns=["doc_id", "dyad", "n_sentences", "tone_mean", "score_mean",
                                       "share_positive", "share_negative"])


def test_article_tone_equals_reference_loop():
    import numpy as np

    rng = np.random.default_rng(7)
    n = 400
    st = pd.DataFrame({
        "doc_id": [f"d{int(i)}" for i in rng.integers(0, 60, n)],
        "about_ties": rng.random(n) < 0.7,
        "dyad": rng.choice(["AZE-RUS", "AZE-TUR", "CHN-USA"], n),
        "tone": pd.array([None if x < 0.1 else int(v) for x, v in zip(rng.random(n), rng.integers(-1, 2, n))],
                         dtype="Int64"),
        "score": rng.normal(size=n).round(3),
    })
    got = S.article_tone(st)
    ref = _article_tone_reference(st)
    assert got[["doc_id", "dyad", "n_sentences"]].values.tolist() == ref[["doc_id", "dyad", "n_sentences"]].values.tolist()
    for c in ("tone_mean", "score_mean", "share_positive", "share_negative"):
        assert np.allclose(got[c].to_numpy(), ref[c].to_numpy(), rtol=0, atol=1e-12), c
    assert S.article_tone(st.iloc[0:0]).columns.tolist() == ref.columns.tolist()


@pytest.mark.parametrize("directed", [False, True])
def test_dyad_tone_equals_the_per_cell_reference(directed: bool) -> None:
    """The single-grouping path gives the reference's cells (one pandas group per cell) on a
    random table with many pairs, periods, unresolved pairs and undated articles."""
    rng = np.random.default_rng(7)
    n = 3000
    docs = [f"d{i:04d}" for i in range(400)]
    pairs = ["AZE-RUS", "UKR-USA", "", "CHN-USA", "FRA-DEU"]
    st = pd.DataFrame({
        "doc_id": rng.choice(docs, n), "sentence_id": np.arange(n),
        "dyad": rng.choice(pairs, n), "about_ties": rng.random(n) < 0.8,
        "tone": pd.array(rng.choice([-1, 0, 1], n), dtype="Int64"),
        "directed": rng.choice(["AZE>RUS", "USA>UKR", ""], n),
    })
    st.loc[:6, ["dyad", "directed", "about_ties"]] = ["ARM-GEO", "GEO>ARM", True]  # low-support cells
    dates = pd.to_datetime(rng.choice(["2019-03-01", "2021-06-30", "2022-12-31", "2024-01-02"], len(docs)), utc=True)
    arts = pd.DataFrame({"doc_id": docs, "date": dates})
    arts.loc[::37, "date"] = pd.NaT
    got = S.dyad_tone(st, arts, directed=directed, n_boot=200, period="quarter")
    key = "directed" if directed else "dyad"
    ref_in = st.loc[st["about_ties"] & st["tone"].notna()].copy()
    if directed:
        ref_in = ref_in.loc[ref_in[key] != ""]
    else:
        ref_in[key] = ref_in[key].replace("", S.UNRESOLVED_DYAD)
    ref_in = ref_in.merge(arts, on="doc_id", how="left")
    ref_in["period"] = S._period_labels(ref_in["date"], "quarter")
    ref_in["tone"] = ref_in["tone"].astype("float64")
    ref = dyad_tone_cells_reference(ref_in, key, n_boot=200, ci=0.95, seed=S.config.RANDOM_SEED, min_articles=5)
    assert len(ref) > 10 and any(r[7] for r in ref) and not all(r[7] for r in ref)
    mine = list(zip(got["dyad"], got["period"], got["n_sentences"], got["n_articles"], got["tone_mean"],
                    got["ci_low"], got["ci_high"], got["low_support"]))
    assert len(mine) == len(ref)
    for a, b in zip(mine, ref):
        assert a[:5] == b[:5] and a[7] == b[7]
        assert (a[5] == b[5] or (np.isnan(a[5]) and np.isnan(b[5]))) and (a[6] == b[6] or (np.isnan(a[6]) and np.isnan(b[6])))


_ALTERNATIONS = ("_PAIR_REF_RE", "_MULTI_RE", "_ENEMY_RE", "_WAR_RE", "_PROCEDURAL_VERB_RE")


@pytest.mark.parametrize("name", [f"dyads.{n}" for n in _ALTERNATIONS]
                         + ["outlet_context._HOSTILE_RE", "tone_rules._BILATERAL_RE"])
def test_word_alternations_match_as_without_the_lookahead(name: str) -> None:
    """dyads.word_alternation adds a first-letter look-ahead: every character that re, ignoring
    case, lets start one of the top-level alternatives passes it, none other does, and the
    matches on the hand-coded sentences are those of the pattern without it."""
    import re
    import sys

    from analysis import coded, dyads, outlet_context, tone_rules

    modules = {"dyads": dyads, "outlet_context": outlet_context, "tone_rules": tone_rules}
    fast = getattr(modules[name.split(".")[0]], name.split(".")[1])
    look = re.search(r"\(\?=(\[[A-Za-z0-9]+\])\)", fast.pattern)
    assert look is not None
    ref = re.compile(fast.pattern.replace(look.group(0), ""))
    alternatives, depth, cur = [], 0, ""
    for ch in ref.pattern[len(r"(?i)\b(?:"):]:
        if ch == ")" and depth == 0:
            break
        if ch == "|" and depth == 0:
            alternatives.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    alternatives.append(cur)
    starts = re.compile("(?i)(?:" + "|".join(sorted({a[0] for a in alternatives})) + ")")
    allowed = re.compile("(?i)" + look.group(1))
    for cp in range(sys.maxunicode + 1):
        if cp < 0x80 or chr(cp).lower().isascii() or chr(cp).upper().isascii() or cp in (0x212A, 0x17F, 0x130, 0x131):
            ch = chr(cp)
            assert bool(starts.match(ch)) == bool(allowed.match(ch)), (name, hex(cp))
    items = coded.load_items()
    texts = [it["sentence"] for it in items] + [it["prev"] for it in items] + [it["title"] for it in items] + [
        "The ENEMY shelled Kharkiv; the occupiers and the aggressor state fired missiles.",
        "Occupying forces, war crimes and attacks against civilians on the front line.",
        "They discussed the talks, emphasized trilateral ties and thanked the summit's hosts.",
        "Both sides: bilateral relations between our two countries, the leaders of the delegation."]
    assert sum(bool(ref.search(t)) for t in texts) >= 2
    for t in texts:
        assert [m.span() for m in fast.finditer(t)] == [m.span() for m in ref.finditer(t)], t


def test_find_mentions_memo_gives_fresh_lists_and_takes_unhashable_gazetteers() -> None:
    """The gazetteer's mentions of a text are memoised per (text, gazetteer); every call still
    gets a list of its own, and a gazetteer that cannot be hashed is searched every time."""
    from analysis import dyads

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def find(self, text: str) -> list[Mention]:
            return [Mention(start=0, end=6, surface="Russia", entity="Russia", country="RUS", kind="country")]

    want = [dyads.Mention(0, 6, "RUS", "country", "Russia")]
    got = dyads.find_mentions("Russia and us", Unhashable())
    assert got == want
    first = dyads.find_mentions("Azerbaijan and Russia met.", None)
    assert [(m.start, m.end, m.country) for m in first] == [(0, 10, "AZE"), (15, 21, "RUS")]
    first.clear()
    again = dyads.find_mentions("Azerbaijan and Russia met.", None)
    assert [(m.start, m.end, m.country) for m in again] == [(0, 10, "AZE"), (15, 21, "RUS")]


def test_sentence_tone_previous_sentence_speaker_equals_per_sentence_analysis():
    """A title with a partner and no speaker side: the previous sentence names the speaker, so
    the context is made per sentence (elsewhere once per article); both ways the table of the
    per-sentence analysis."""
    from analysis import segment

    arts = pd.DataFrame({
        "doc_id": ["p", "q"],
        "source": ["wire", "wire"],
        "title": ["Meeting with the President of France", "Azerbaijan and Russia sign an agreement"],
        "text": ["Azerbaijan hosted the talks. The sides praised their friendship. Japan agreed.",
                 "The sides praised their friendship. He thanked them."],
    })
    sents = segment.segment_articles(arts, splitter=segment.SentenceSplitter())
    got = S.sentence_tone(arts, sents, gazetteer=G, source_countries={})
    pd.testing.assert_frame_equal(got, _reference_sentence_tone(arts, sents, gazetteer=G))
    assert got["dyad"].tolist()[:3] == ["AZE-FRA", "AZE-FRA", "FRA-JPN"]
    assert got["dyad"].tolist()[3:] == ["AZE-RUS", "AZE-RUS"]
