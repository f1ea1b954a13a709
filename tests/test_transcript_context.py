"""Spokesperson transcripts and argued refusal: hand-written hard cases.

The forms are those of a foreign ministry's press-conference transcripts and of state-media
items, written for these tests (not items of any gold file):

* the country of the previous sentence (a journalist's question) is the partner of a following
  sentence that names no country but refers to a relation ("the visit"), when the title names
  no partner ("Regular Press Conference on March 3, 2024");
* a journalist's question ("Q: ... Can you confirm this?", "AFP: Is China ready to ...?") is not
  a rhetorical question: it does not set the ``cue:question`` feature, which the coded set learnt
  from speeches' rhetorical questions only (all of them tone -1);
* tone lexicon 1.5.0: refusal and provocation argued ("unwillingness to engage", "provoked
  trouble", "abused") and fire reported ("subjected the city to missile fire"); 1.6.0: the
  readiness formulas of state media and spokespersons ("is willing to", "stands ready to").
"""

from __future__ import annotations

import pandas as pd
import pytest
from lexicon_cases import lexicon_categories

from analysis import dyads, segment, tone_lexicon, tone_model
from analysis import sentiment as S
from analysis.sentiment import sentence_tone

BRIEFING = "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on March 3, 2024"
KREMLIN = "Meeting with President of the United Arab Emirates Mohamed bin Zayed Al Nahyan"
VISIT_Q = "Q: Yesterday Kenyan President William Ruto arrived in Beijing."


def _ex(sentence: str, *, prev: str = "", title: str = BRIEFING, home: str = "CHN",
        context_country: str | None = None) -> S.Explanation:
    """The analysis on an official outlet of *home*."""
    return S.analyse_sentence(sentence, title=title, prev=prev, source="o", source_countries={"o": home},
                              party_outlets={"o"}, context_country=context_country)


def _article_dyads(text: str, *, title: str, home: str) -> dict[str, str]:
    """Sentence text -> dyad of one whole article on an official outlet of *home* (as ``run`` does)."""
    arts = pd.DataFrame({"doc_id": ["a"], "source": ["o"], "title": [title], "text": [text]})
    sents = segment.segment_articles(arts, splitter=segment.SentenceSplitter())
    got = sentence_tone(arts, sents, source_countries={"o": home}, party_outlets={"o"})
    return dict(zip(sents.sort_values("sentence_id")["text"], got.sort_values("sentence_id")["dyad"]))


def test_previous_sentence_country_is_the_partner_in_a_transcript() -> None:
    ex = _ex("Could you share more about the visit?", prev=VISIT_Q)
    assert (ex.about_ties, ex.dyad, ex.directed) == (True, "CHN-KEN", "CHN>KEN")
    assert ex.reason == "speaker side (title) and the country of the previous sentence"


def test_journalist_follow_up_question_is_about_the_previous_pair() -> None:
    ex = _ex("What's your comment?", prev="Q: Malaysia's Prime Minister said Malaysia welcomes Chinese investment.")
    assert (ex.about_ties, ex.dyad, ex.tone) == (True, "CHN-MYS", 0)


def test_answer_naming_only_its_own_side_keeps_the_question_partner() -> None:
    # the article's earlier question named the Philippines; the answer names only China
    ex = _ex("The China Coast Guard took necessary measures and we urge the relevant side to stop its provocations.",
             prev="Mao Ning: The facts are clear.", context_country="PHL")
    assert (ex.about_ties, ex.dyad, ex.tone) == (True, "CHN-PHL", -1)
    assert ex.reason == "speaker in sentence, partner from the previous sentences"
    # without the carried country the sentence is the speaking side's own business
    assert _ex("The China Coast Guard took necessary measures and we urge the relevant side to stop its "
               "provocations.", prev="Mao Ning: The facts are clear.").dyad == ""


def test_corpus_table_takes_the_partner_from_the_previous_sentence_only() -> None:
    # the context the codebook gives a coder is the title and the previous sentence: an answer's
    # sentence right after the question's gets its partner, a later one does not (a coder shown
    # "Mao Ning: The facts are clear." cannot tell who "the relevant side" is)
    text = ("Q: The Philippine coast guard said Chinese vessels fired water cannons at its boat.\n\n"
            "Mao Ning: We urge the relevant side to stop its provocations. "
            "China will continue to deepen international cooperation.")
    by_text = _article_dyads(text, title=BRIEFING, home="CHN")
    assert by_text["Mao Ning: We urge the relevant side to stop its provocations."] == "CHN-PHL"
    assert by_text["China will continue to deepen international cooperation."] == ""
    text = ("Q: The Philippine coast guard said Chinese vessels fired water cannons at its boat. What's your comment?\n\n"
            "Mao Ning: The facts are clear. We urge the relevant side to stop its provocations.")
    by_text = _article_dyads(text, title=BRIEFING, home="CHN")
    assert by_text["What's your comment?"] == "CHN-PHL"
    assert by_text["We urge the relevant side to stop its provocations."] == ""


def test_previous_sentence_with_two_countries_gives_no_partner() -> None:
    ex = _ex("Could you share more about the visit?", prev="Q: Presidents of Kenya and Nigeria will visit Beijing.")
    assert ex.dyad == ""


@pytest.mark.parametrize("sentence, dyad", [
    ("Q: Armenia and Azerbaijan initialed a peace agreement in Washington last week.", "ARM-AZE"),
    ("Lin Jian: China welcomes the progress made by Armenia and Azerbaijan in the peace process.", "ARM-AZE"),
    ("Mao Ning: The escalation of the conflict between Israel and Iran is dangerous.", "IRN-ISR"),
    ("We have noted the Kazakhstan-Uzbekistan border agreement.", "KAZ-UZB"),
    # two objects listed, no relationship between them: the speaking side's support
    ("China supports Ukraine and Moldova in their development.", "CHN-UKR"),
    # the speaking side among the two: its own pair
    ("China and Cambodia are ironclad friends.", "CHN-KHM"),
    # places, partners of the speaking side, and lists of three are not a pair
    ("China is concerned about the conflicts in Syria and Yemen.", "CHN-SYR"),
    ("China will work with Egypt and Qatar to implement the ceasefire agreement.", "CHN-EGY"),
    ("China supports the ties between Egypt, Iraq and Jordan.", "CHN-EGY"),
])
def test_two_other_countries_joined_as_a_pair(sentence: str, dyad: str) -> None:
    ex = _ex(sentence)
    assert ex.dyad == dyad
    if dyad in ("ARM-AZE", "KAZ-UZB"):
        assert ex.reason == dyads.THIRD_PAIR_REASON


def test_two_other_countries_in_a_readout_with_a_partner_in_its_title() -> None:
    # a readout of a bilateral contact: the two others' relationship is a topic of the talks
    ex = _ex("During the conversation, the sides exchanged views on the relations between Armenia and Azerbaijan.",
             title="Telephone conversation with Prime Minister of Hungary", home="RUS")
    assert ex.dyad == "HUN-RUS"
    assert ex.reason != dyads.THIRD_PAIR_REASON


def test_follow_up_takes_the_previous_sentence_third_pair() -> None:
    ex = _ex("What's your comment?", prev="Q: Saudi Arabia and Iran held talks in Beijing.")
    assert (ex.dyad, ex.reason) == ("IRN-SAU", dyads.PREV_PAIR_REASON)
    # a sentence naming no country and referring to no pair keeps no pair
    assert _ex("The weather was sunny.", prev="Q: Saudi Arabia and Iran held talks in Beijing.").dyad == ""


def test_corpus_table_takes_the_third_pair_of_the_previous_sentence_only() -> None:
    text = ("Q: Could you share more about Indian Prime Minister Modi's visit? "
            "Lin Jian: China and India are important neighbors, and China and Russia are partners too. "
            "As for the specific visit, we will release information in due course. "
            "Q: Armenia and Azerbaijan initialed a peace agreement in Washington last week. What's your comment? "
            "Lin Jian: We hope the two sides will sign the agreement at an early date.")
    by_text = _article_dyads(text, title=BRIEFING, home="CHN")
    # two other countries in the previous sentence: no partner (India is two sentences back)
    assert by_text["As for the specific visit, we will release information in due course."] == ""
    assert by_text["What's your comment?"] == "ARM-AZE"
    # "the two sides" after "What's your comment?": nothing in the sentence before names them
    assert by_text["Lin Jian: We hope the two sides will sign the agreement at an early date."] == ""


def test_previous_sentence_country_needs_a_relation_reference() -> None:
    ex = _ex("The weather in the capital was sunny.", prev=VISIT_Q)
    assert (ex.about_ties, ex.dyad) == (False, "")


def test_title_partner_wins_over_the_previous_sentence() -> None:
    ex = _ex("The visit was very useful.", prev="He had visited Turkey the week before.", title=KREMLIN, home="RUS")
    assert ex.dyad == "ARE-RUS"


def test_previous_sentence_rule_is_the_same_in_the_corpus_table() -> None:
    """sentence_tone (the run's fast path) gives the pair analyse_sentence gives."""
    arts = pd.DataFrame({"doc_id": ["a"], "source": ["o"], "title": [BRIEFING],
                         "text": [VISIT_Q + " Could you share more about the visit?"]})
    sents = segment.segment_articles(arts, splitter=segment.SentenceSplitter())
    got = sentence_tone(arts, sents, source_countries={"o": "CHN"}, party_outlets={"o"})
    assert got["dyad"].iloc[1] == "CHN-KEN"
    texts = sents.sort_values("sentence_id")["text"].tolist()
    one = S.analyse_sentence(texts[1], title=BRIEFING, prev=texts[0], source="o",
                             source_countries={"o": "CHN"}, party_outlets={"o"})
    assert (got["dyad"].iloc[1], bool(got["about_ties"].iloc[1])) == (one.dyad, one.about_ties)


@pytest.mark.parametrize("sentence, press", [
    ("Q: India's Foreign Secretary said the two sides reached an agreement. Can you confirm this?", True),
    ("What's your comment?", True),
    ("Could you share more about the visit?", True),
    ("What is your response to the sanctions?", True),
    # a news organisation as the speaker label, as foreign ministries' transcripts write it
    ("AFP: Is China ready to hold talks with the Philippines?", True),
    ("Bloomberg: Will the two leaders meet in Lima?", True),
    ("China Daily: How will the visit deepen the partnership?", True),
    ("Phoenix TV (retranslated): Will Japan release more water this year?", True),
    ("Journalist: Will the agreement be signed?", True),
    # the bare capital "Q" of the White House's and the State Department's transcripts
    ("Q And just finally, is there a reason why the meeting with King Abdullah was not open?", True),
    ("Q Kirby, do you have any sense of whether the President will meet the delegation?", True),
    ("Q — would they have to agree to release the prisoners?", True),
    ("Qatar and Egypt are mediating: why did the talks fail?", False),
    ("Q4 figures are out: why did exports to China fall?", False),
    ("Q and A sessions followed: why did the talks fail?", False),
    # requests naming the speaker's side
    ("What is China's response?", True),
    ("Does the Chinese side have any comment?", True),
    ("Can such behavior go unpunished?", False),
    ("And then why are we not in the European Union?", False),
    # a label that is no news organisation, and a dateline
    ("Mao Ning: Why would anyone believe such lies?", False),
    ("BAKU: Why did the talks fail?", False),
])
def test_journalist_question_is_not_a_rhetorical_question(sentence: str, press: bool) -> None:
    f = _ex(sentence).features
    assert f["cue:question"] == (0.0 if press else 1.0)



def test_journalist_question_about_an_agreement_is_not_negative() -> None:
    ex = _ex("Q: India's Foreign Secretary said yesterday that India and China have reached an agreement "
             "on patrolling arrangements. Can you confirm this?")
    assert (ex.about_ties, ex.dyad) == (True, "CHN-IND")
    assert ex.tone != -1


def test_lexicon_version() -> None:
    assert tone_lexicon.load_tone_lexicon().version == "1.9.0"


def _cats(sentence: str) -> dict[str, str]:
    return lexicon_categories(sentence, title=BRIEFING, home="CHN")


@pytest.mark.parametrize("sentence, matched, category", [
    ("The Kiev authorities are demonstrating their unwillingness to engage in negotiations.", "unwillingness",
     "coolness"),
    ("The Philippine side had deliberately provoked trouble.", "provoked", "coolness"),
    ("The US side has abused export control measures.", "abused", "coolness"),
    ("Armenia subjected the city of Ganja to missile fire.", "missile fire", "conflict"),
    ("The village was shelled overnight by Armenian forces.", "shelled", "conflict"),
    ("It was an unprovoked attack.", "unprovoked", "conflict"),
    # tone lexicon 1.6.0: the readiness formulas of state media and spokespersons
    ("China is willing to import more high-quality agricultural products from Cambodia.", "willing to", "warm"),
    ("China stands ready to work with India.", "stands ready", "warm"),
    ("Cambodia firmly adheres to the one-China principle.", "one-China principle", "warm"),
    ("Building a China-Cambodia community with a shared future serves both peoples.", "shared future", "warm"),
    # the refusal keeps its own entry ("unwilling*"), not the readiness formula
    ("The other side is unwilling to negotiate.", "unwilling", "coolness"),
    # tone lexicon 1.7.0: agreement reached; a multilateral plan's bare "consensus" is not warm
    ("The two heads of state reached important consensus on trade.", "reached important consensus", "warm"),
    ("The talks produced important common understandings.", "common understandings", "warm"),
    ("The ministers urged the junta to implement ASEAN's five-point consensus.", "consensus", None),
])
def test_argued_refusal_reported_fire_and_readiness(sentence: str, matched: str, category: str) -> None:
    assert _cats(sentence).get(matched) == category


def test_press_question_feature_uses_the_model_feature_function() -> None:
    # the rule lives in the model's feature function, so train-tone and scoring agree
    ex = _ex("Q: What's your comment?", prev=VISIT_Q)
    assert tone_model.features(ex)["cue:question"] == 0.0


def test_agreement_reached_after_an_exchange_of_views_is_not_its_topic() -> None:
    """'... exchange of views and reached important common understandings': "reached" starts a
    new clause, so the warm formula is not discounted as the topic of the exchange (tone
    lexicon 1.7.0; "reached" and "achieved" end a reported-topic clause)."""
    f = S.explain("The two heads of state had an in-depth exchange of views and reached important "
                  "common understandings.", title=BRIEFING, source="o", source_countries={"o": "CHN"}).to_frame()
    hit = f[f["matched"] == "common understandings"]
    assert hit[["category", "factor"]].values.tolist() == [["warm", 1.0]]
    g = S.explain("The two heads of state had an in-depth exchange of views on important common "
                  "understandings.", title=BRIEFING, source="o", source_countries={"o": "CHN"}).to_frame()
    assert g.loc[g["matched"] == "common understandings", "factor"].tolist() == [0.5]


# A speech, not a press conference: the previous sentence states, it does not ask.  Warmth or
# conflict vocabulary alone then does not make a sentence that names no country about the
# speaking side and the country named before (in a speech the next sentence is often about the
# region, the world or the speaker's own country); a reference to the pair still does.
SPEECH = "Address by the Minister for Foreign Affairs of Iceland at the General Debate"
SYRIA = "The war in Syria has now entered its thirteenth year."


def test_conflict_words_after_a_statement_name_no_partner() -> None:
    ex = _ex("Attacks on civilians have been occurring on a regular basis.", prev=SYRIA, title=SPEECH, home="ISL")
    assert (ex.about_ties, ex.dyad) == (False, "")


def test_conflict_words_after_a_question_keep_its_country() -> None:
    ex = _ex("Attacks on civilians have been occurring on a regular basis.",
             prev="Q: What is your view of the war in Syria?", title=SPEECH, home="ISL")
    assert (ex.about_ties, ex.dyad) == (True, "ISL-SYR")
    assert ex.reason == "speaker side (title) and the country of the previous sentence"


def test_reference_to_the_pair_after_a_statement_keeps_its_country() -> None:
    ex = _ex("We discussed our cooperation with them at length.", prev=SYRIA, title=SPEECH, home="ISL")
    assert (ex.about_ties, ex.dyad) == (True, "ISL-SYR")


def test_carried_country_of_a_statement_needs_a_reference() -> None:
    # explicit context: the country was named by a statement, not by a journalist's question
    kw = {"prev": "Mao Ning: The facts are clear.", "context_country": "PHL"}
    s = "The China Coast Guard took necessary measures and we urge the relevant side to stop its provocations."
    assert _ex(s, **kw).dyad == "CHN-PHL"
    ex = S.analyse_sentence(s, title=BRIEFING, prev=kw["prev"], source="o", source_countries={"o": "CHN"},
                            party_outlets={"o"}, context_country="PHL", context_question=False)
    assert (ex.about_ties, ex.dyad) == (False, "")


def test_corpus_table_keeps_a_speech_statement_country_only_with_a_reference() -> None:
    text = (f"{SYRIA} We discussed our cooperation with them at length. Attacks on civilians have been occurring "
            "on a regular basis. We discussed our cooperation with them again.")
    by_text = _article_dyads(text, title=SPEECH, home="ISL")
    assert by_text["We discussed our cooperation with them at length."] == "ISL-SYR"
    assert by_text["Attacks on civilians have been occurring on a regular basis."] == ""
    # Syria is two sentences back: not the context of this one
    assert by_text["We discussed our cooperation with them again."] == ""


def test_is_question() -> None:
    assert dyads.is_question("What's your comment on the visit")
    assert dyads.is_question("Is the visit still on?")
    assert not dyads.is_question("The visit is still on.")
