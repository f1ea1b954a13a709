"""Tests of analysis.tone_model: the model file, fitting, contributions, and the shipped model on
hand-written hard cases of the registers the rules used to miss."""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from reference.tone_model_reference import features_reference

from analysis import sentiment as S
from analysis import tone_fit as TF
from analysis import tone_model as TM
from analysis.errors import DataFileError, InputError


def test_shipped_model_loads_with_provenance_and_three_tasks() -> None:
    m = TM.load_model()
    for k in ("version", "source", "licence", "citation"):
        assert str(m.meta[k]).strip()
    assert set(m.tasks) == set(TM.TASKS)
    assert m.tasks["tone"].classes == (-1, 0, 1)
    assert m.meta["trained_on"]["n_items"] >= 1500
    assert len(m.meta["trained_on"]["outlets"]) >= 2
    # the protocol decision uses the sentence's own words only (no relation/title features)
    assert not any(f.startswith(("rel:", "rule:")) for f in m.tasks["protocol"].features)


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


def test_bad_model_files_name_the_problem(tmp_path: Path) -> None:
    good = TM.load_model().to_json()
    bad = dict(good)
    bad.pop("citation")
    with pytest.raises(DataFileError, match="missing provenance field"):
        TM.load_model(_write(tmp_path, bad))
    bad = json.loads(json.dumps(good))
    bad["tasks"]["tone"]["coef"] = bad["tasks"]["tone"]["coef"][:2]
    with pytest.raises(DataFileError, match=r"tasks\.tone: shapes do not match"):
        TM.load_model(_write(tmp_path, bad))
    bad = json.loads(json.dumps(good))
    bad["tasks"]["protocol"]["classes"] = [0, 1, 2]
    with pytest.raises(DataFileError, match=r"tasks\.protocol"):
        TM.load_model(_write(tmp_path, bad))
    (tmp_path / "x.json").write_text("not json", encoding="utf-8")
    with pytest.raises(DataFileError, match="cannot read"):
        TM.load_model(tmp_path / "x.json")
    with pytest.raises(DataFileError, match="file not found"):
        TM.load_model(tmp_path / "missing.json")


def _toy(n: int = 60):
    rng = np.random.default_rng(0)
    feats, y, g = [], [], []
    for i in range(n):
        c = (-1, 0, 1)[i % 3]
        f = {"lex:warm": float(c == 1) + rng.normal(0, 0.1), "lex:conflict": float(c == -1) + rng.normal(0, 0.1),
             f"w:{'good' if c == 1 else 'bad' if c == -1 else 'met'}": 1.0}
        feats.append(f)
        y.append(c)
        g.append("a" if i % 2 else "b")
    return feats, y, g


def test_fit_task_learns_a_separable_toy_problem_and_contributions_add_up() -> None:
    feats, y, g = _toy()
    t = TF.fit_task("tone", feats, y, g, C=1.0, min_docfreq=1)
    pred = np.asarray(t.classes)[t.predict_proba(feats).argmax(axis=1)]
    assert (pred == np.asarray(y)).mean() == 1.0
    # contributions toward +1 against -1 sum to the log-odds difference
    f = feats[2]
    cf = t.contributions(f, toward=1, against=-1)
    z = t.vector(f) @ t.coef.T + t.intercept
    assert cf["contribution"].sum() == pytest.approx(float(z[2] - z[0]), abs=1e-9)
    assert cf["feature"].iloc[-1] != "" and "(intercept)" in set(cf["feature"])


def test_fit_task_chooses_C_by_leave_one_outlet_out_and_rejects_one_class() -> None:
    feats, y, g = _toy()
    t = TF.fit_task("tone", feats, y, g, min_docfreq=1)
    assert t.C in TM.c_grid("tone")
    with pytest.raises(InputError, match="single class"):
        TF.fit_task("protocol", feats, [True] * len(feats), g)


def _tried_Cs(monkeypatch: pytest.MonkeyPatch, name: str, **kw) -> tuple[set[float], float]:
    """The values of C that fit_task(name) fitted with (inner LOOO fits and the final fit)."""
    tried: list[float] = []
    real = TF._fit_lr

    def spy(X, y, C, sample_weight=None):
        tried.append(C)
        return real(X, y, C, sample_weight)

    monkeypatch.setattr(TF, "_fit_lr", spy)
    feats, y, g = _toy()
    if name == "protocol":
        y = [c == 1 for c in y]
    t = TF.fit_task(name, feats, y, g, min_docfreq=1, **kw)
    return set(tried), t.C


def test_tone_searches_its_own_wider_grid_and_protocol_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert TM.c_grid("tone") == TM.TASK_C_GRID["tone"] != TM.C_GRID
    assert min(TM.c_grid("tone")) < min(TM.C_GRID)  # reaches stronger regularisation
    assert TM.c_grid("protocol") == TM.C_GRID
    tried, c = _tried_Cs(monkeypatch, "tone")
    assert tried == set(TM.TASK_C_GRID["tone"]) and c in TM.TASK_C_GRID["tone"]
    tried, c = _tried_Cs(monkeypatch, "protocol")
    assert tried == set(TM.C_GRID) and c in TM.C_GRID
    # an explicit grid wins; a fixed C is fitted once, without a search
    assert _tried_Cs(monkeypatch, "tone", grid=(0.5, 2.0))[0] == {0.5, 2.0}
    assert _tried_Cs(monkeypatch, "tone", C=0.7) == ({0.7}, 0.7)


def test_shipped_model_records_the_grid_each_task_was_chosen_from() -> None:
    m = TM.load_model()
    sel = m.meta["selection"]
    for task in TM.TASKS:
        grid = ", ".join(str(c) for c in TM.c_grid(task))
        assert f"{task}: {grid}" in sel
        assert m.tasks[task].C in TM.c_grid(task)


def test_model_round_trips_through_json(tmp_path: Path) -> None:
    m = TM.load_model()
    p = _write(tmp_path, m.to_json())
    again = TM.load_model(p)
    f = {"lex:warm": 1.0, "vader:compound": 0.6, "w:friendship": 1.0}
    assert again.tone([f])[1][0] == pytest.approx(m.tone([f])[1][0], abs=1e-6)


# ---------------------------------------------------------------- the shipped model on hard cases
KREMLIN = "Telephone conversation with President of France Emmanuel Macron"


def _score(sentence: str, title: str, **kw) -> dict:
    return S.score_sentence(sentence, title=title, **kw)


def test_warm_first_person_statement_in_a_transcript_is_positive() -> None:
    r = _score("Our cooperation has shown its advantages and we agreed to keep promoting exchanges between our "
               "countries.", "Press statements following Russian-French talks", home_country="RUS")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "FRA-RUS", 1)


def test_criticism_phrased_as_argument_is_negative() -> None:
    r = _score("The other side is sabotaging the talks, and its proposals do not meet our requirements; we urge "
               "it to stop these actions.", "Foreign Ministry Spokesperson's regular press conference on Lithuania",
               home_country="CHN")
    assert (r["about_ties"], r["dyad"], r["tone"]) == (True, "CHN-LTU", -1)


def test_outlet_country_is_the_implied_host_of_a_contact_title() -> None:
    r = _score("The presidents discussed bilateral trade.", KREMLIN, home_country="RUS")
    assert (r["about_ties"], r["dyad"]) == (True, "FRA-RUS")
    assert _score("The presidents discussed bilateral trade.", KREMLIN)["dyad"] != "FRA-RUS"


def test_explain_lists_each_features_contribution() -> None:
    ex = S.explain("The leaders praised the strategic partnership.", title="Turkish-Azerbaijani talks")
    assert ex.dyad == "AZE-TUR" and ex.tone == 1
    mf = ex.model_frame("tone")
    assert list(mf.columns) == ["feature", "value", "weight", "contribution"]
    assert {"w:praised", "(intercept)"} <= set(mf["feature"])
    assert "largest contributions to the tone decision" in str(ex)


def test_one_sentence_decisions_equal_the_batch_decisions() -> None:
    """protocol_one/tone_one and decide_one (the per-sentence fast path of sentence_tone) give exactly the floats
    of protocol/tone on a one-sentence batch, on the features of every shipped hand-coded sentence
    and on perturbed copies that move the logits over a wide range."""
    from analysis import coded

    m = TM.load_model()
    feats = []
    for it in coded.load_items()[:600]:
        ex = S.analyse_sentence(it["sentence"], title=it.get("title", ""), prev=it.get("prev", ""),
                                source=it.get("source"), model=False)
        feats.append(TM.features(ex, []))
    rng = np.random.default_rng(0)
    for f in feats[:200]:
        feats.append({k: v * float(rng.uniform(-8, 8)) for k, v in f.items()})
    tones = set()
    for f in feats:
        p = float(m.protocol([f])[0])
        assert m.protocol_one(f) == p
        t, s = m.tone([f])
        t1, s1 = m.tone_one(f)
        assert (t1, s1) == (int(t[0]), float(s[0]))
        assert m.decide_one(f) == (p, t1, s1)
        assert m.decide_one(f, tone=False) == (p, None, None)
        tones.add(t1)
        assert m.tasks["tone"].proba_one(f) == m.tasks["tone"].predict_proba([f])[0].tolist()
    assert tones == {-1, 0, 1}


_VADER_CASES = (
    "I ❤️ this", "Great!!!", ":)", "no", "but good", "VERY GOOD people", "It was kind of good", "", "   ",
    "never so good", "never this bad", "without doubt great", "not the bomb", "he is the bomb", "at least good",
    "least good", "no good or bad", "cut the mustard was bad", "kiss of death for him",
    "It isn't a horrible book, but excellent.", "Not at all nice!!?", "hand to mouth bad",
    "He  was   not very   good", "NOT GOOD", "sort of nice", "The talks were “very productive”.",
)


def test_vader_analyser_scores_exactly_as_vadersentiment() -> None:
    """The analyser with less repeated work against vaderSentiment's own, on hand-written cases
    of every rule it touches (emoji, negation, idioms, boosters, "but", caps) and the hand-coded
    sentences."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis import coded

    ref, fast = SentimentIntensityAnalyzer(), TM.vader_analyser()
    texts = list(_VADER_CASES) + [it["sentence"] for it in coded.load_items()] + [it["prev"] for it in coded.load_items()]
    nonzero = 0
    for t in texts:
        want, got = ref.polarity_scores(t), fast.polarity_scores(t)
        assert got == want and repr(got) == repr(want), t
        nonzero += want["compound"] != 0
    assert nonzero > 500
    assert fast.polarity_scores("never so good")["compound"] != ref.polarity_scores("good")["compound"]



def test_vader_analyser_text_without_lexicon_words() -> None:
    """A text none of whose words is in VADER's lexicon gets the scores of all-zero valences at
    once (neutral 1, or 0 without any word), as vaderSentiment gives them, punctuation
    emphasis included (it only amplifies a non-zero sum)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    ref, fast = SentimentIntensityAnalyzer(), TM.vader_analyser()
    zero = {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    for t in ("The ministers met in Baku.", "Talks held in Baku!!!", "THE MINISTERS MET?", "!!!", "  Baku  "):
        assert fast.polarity_scores(t) == zero == ref.polarity_scores(t), t
    assert fast.polarity_scores("") == dict(zero, neu=0.0) == ref.polarity_scores("")
    assert TM.vader_scores("Talks held in Baku!!!") == (0.0, 0.0, 0.0)

#: The cue patterns as written before the first-letter look-ahead (the oracle).
_CUES_REFERENCE = {
    "_NEGATION_RE": r"(?i)\b(?:not|no|never|neither|nor|without|cannot|can't|won't|don't|doesn't|didn't|n't)\b",
    "_CONTRAST_RE": r"(?i)\b(?:but|however|although|though|yet|while|whereas|despite|nevertheless)\b",
    "_URGE_RE": r"(?i)\b(?:urge[sd]?|urging|call(?:s|ed)? on|call(?:s|ed)? upon|demand(?:s|ed)?|must|should|"
                r"insist(?:s|ed)?|warn(?:s|ed)?|stop|cease|refrain)\b",
    "_FIRST_RE": r"(?i)\b(?:we|our|us|i|my)\b",
    "_MULTI_RE": r"(?i)\b(?:trilateral|multilateral|summit|g7|g20|quad|asean|all countries|"
                 r"international community|member states|allies and partners)\b",
}


@functools.lru_cache(maxsize=1)
def _ascii_alnum_folds() -> tuple[str, ...]:
    """Every code point that re, ignoring case, matches to an ASCII letter or digit (the only
    characters either side of the look-ahead comparison can match)."""

    rx = re.compile("(?i)[a-z0-9]")
    return tuple(chr(cp) for cp in range(sys.maxunicode + 1) if rx.match(chr(cp)))


@pytest.mark.parametrize("name", sorted(_CUES_REFERENCE))
def test_cue_lookahead_changes_no_match(name: str) -> None:
    """The look-ahead of a cue lists every character (case-insensitively, as re folds it: any code
    point) that can start one of its alternatives, and the cue finds the same matches as before."""

    fast = getattr(TM, name)
    ref = re.compile(_CUES_REFERENCE[name])
    look = re.search(r"\(\?=(\[[a-z]+\])\)", fast.pattern)
    assert look and fast.pattern.replace(look.group(0), "") == ref.pattern
    body = ref.pattern.split("(?:", 1)[1]
    firsts, depth, at_start = set(), 0, True  # first characters of the top-level alternatives
    for ch in body:
        if at_start:
            firsts.add(ch)
            at_start = False
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch == "|" and depth == 0:
            at_start = True
    assert firsts and all(c.isalnum() for c in firsts)
    starts = re.compile("(?i)(?:" + "|".join(firsts) + ")")
    allowed = re.compile("(?i)" + look.group(1))
    assert {c for c in look.group(1)[1:-1]} == set(firsts)
    for ch in _ascii_alnum_folds():
        assert bool(starts.match(ch)) == bool(allowed.match(ch)), (name, hex(ord(ch)))
    from analysis import coded

    texts = [it["sentence"] for it in coded.load_items()] + [
        "We can't, but WON'T; they didn't.", "Neither nor", "calls upon ALL COUNTRIES", "G20 and Quad", "I", "Us",
        "ſtop", "İnsist", "KEEP calm", "n't", "dont", "members states", "Summit-level talks"]
    assert sum(bool(ref.search(t)) for t in texts) > 5
    for t in texts:
        assert [m.span() for m in fast.finditer(t)] == [m.span() for m in ref.finditer(t)], t


def test_features_equal_the_reference_in_names_values_and_order() -> None:
    """features() (constant families and word features filled in bulk) gives the reference's
    dict item for item, in the same order (the model's sums follow that order), on every
    shipped hand-coded sentence with the title as context and with protocol categories."""
    from analysis import coded

    n = 0
    for it in coded.load_items():
        ex = S.analyse_sentence(it["sentence"], title=it.get("title", ""), prev=it.get("prev", ""),
                                source=it.get("source"), model=False)
        cats = ["gratitude", "honorific", "gratitude", "unlisted"][: n % 5]
        assert list(TM.features(ex, cats).items()) == list(features_reference(ex, cats).items())
        n += 1
    assert n > 500


def test_protocol_without_vader_is_the_decision_with_any_vader_scores() -> None:
    """A decision taken without the VADER features is the one taken with them, for the sentence's
    own VADER scores and for the extreme scores; undecided sentences exist (then VADER runs)."""
    from analysis import coded

    m = TM.load_model()
    decided = undecided = 0
    for it in coded.load_items()[:600]:
        ex = S.analyse_sentence(it["sentence"], title=it.get("title", ""), model=False)
        f = TM.features(ex, [])
        got = m.protocol_without_vader(TM.features(ex, [], vader=(0.0, 0.0, 0.0)))
        if got is None:
            undecided += 1
            continue
        decided += 1
        for vader in ((f["vader:compound"], f["vader:pos"], f["vader:neg"]), (1.0, 1.0, 0.0), (-1.0, 0.0, 1.0),
                      (1.0, 0.0, 1.0), (-1.0, 1.0, 0.0)):
            assert got == (m.protocol_one(TM.features(ex, [], vader=vader)) >= 0.5), it["sentence"]
    assert decided > 100 and undecided > 10


_CUE_CASES = (
    "We must not, but all countries called on us; the G20 summit. I don't", "nothing but", "usurp",
    "international community", "internationally i", "Allies and partners must", "call upon our allies",
    "called on", "calls onward", "mYself MY", "n't", "do n't stop", "without doubt", "yet-to-come",
    "member states’ demands", "summitry", "g7g20", "whilst", "ASEAN QUAD", "we'd", "our-", "can'tt",
)


def test_joint_cue_scan_equals_the_five_cue_patterns() -> None:
    """One scan with the joint cue pattern flags a cue exactly when that cue's own pattern finds a
    match, on hand-written cases (adjacent and nested cues) and every coded sentence, title and
    previous sentence."""
    from analysis import coded

    items = coded.load_items()
    texts = list(_CUE_CASES) + [str(it.get(k) or "") for it in items for k in ("sentence", "title", "prev")]
    hits = dict.fromkeys(TM._CUES, 0)
    for t in texts:
        found = {m.lastgroup for m in TM._CUES_RE.finditer(t)}
        for cue in TM._CUES:
            own = bool(cue[1].search(t))
            assert own == (cue[0][4:] in found), (cue[0], t)
            hits[cue] += own
    assert min(hits.values()) >= 10


def test_cue_scan_of_a_lower_cased_ascii_text_equals_the_case_insensitive_scan() -> None:
    """An ASCII sentence's cues are read from its lower-cased form with the pattern without
    ``(?i)``: the same cues as the case-insensitive scan (hand-written cases in any case, every
    coded sentence, title and previous sentence that is ASCII); ``features`` gives the same
    cue and word-count values either way."""
    from analysis import coded

    items = coded.load_items()
    texts = list(_CUE_CASES) + [t.upper() for t in _CUE_CASES] + [
        "WE URGE Russia", "But G20 and ASEAN", "DON'T stop", "Our Allies And Partners", "I", "i", "G7summit"]
    texts += [str(it.get(k) or "") for it in items for k in ("sentence", "title", "prev")]
    n_ascii = n_cues = 0
    for t in texts:
        if not t.isascii():
            continue
        n_ascii += 1
        want = {m.lastgroup for m in TM._CUES_RE.finditer(t)}
        assert {m.lastgroup for m in TM._CUES_LOWER_RE.finditer(t.lower())} == want, t
        assert TM._WORD_RE.findall(t.lower()) == TM._words(t)
        n_cues += bool(want)
    assert n_ascii > 1000 and n_cues > 300
    assert {m.lastgroup for m in TM._CUES_LOWER_RE.finditer("we urge but g20")} == {
        "first_person", "urge", "contrast", "multilateral"}


def test_multiword_formulas_are_counted_for_the_protocol_decision() -> None:
    """proto:multiword counts the non-negated protocol matches of two or more words ("friendly
    relations"), not single words ("friendly"): in the project's coded sentences 71-92% of the
    sentences with such a formula are protocol, against 32-83% with single-word matches only."""
    from analysis import protocol

    assert protocol.categories_of("Kenya is a friendly nation.") == ["relationship_formula"]
    assert protocol.categories_of("We value the friendly relations.") == ["relationship_formula", "multiword"]
    assert protocol.categories_of("They did not express gratitude.") == []  # negated: neither
    ex = S.analyse_sentence("The sides noted the friendly relations and thanked the hosts.", model=False)
    f = TM.features(ex, protocol.categories_of(ex.sentence))
    assert (f["proto:multiword"], f["proto:relationship_formula"]) == (2.0, 1.0)
    assert "proto:multiword" in TM.load_model().tasks["protocol"].features
