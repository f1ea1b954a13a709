"""Outlets and their home countries; the pair mechanisms that use them (exact values on hand-written cases)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import outlet_context as O_context
from analysis import outlets as O
from analysis import segment
from analysis import sentiment as S
from analysis.dyads import title_base, title_context
from analysis.errors import DataFileError
from analysis.outlet_context import infer_home_countries_from_text as infer
from analysis.outlet_context import item_contexts


def test_lookup_by_url_name_and_domain_in_source() -> None:
    o = O.default_outlets()
    assert o.home_country(url="https://en.kremlin.ru/events/president/news/70000") == "RUS"
    assert o.home_country(url="http://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/") == "CHN"
    assert o.home_country(source="whitehouse_readouts") == "USA"
    assert o.home_country(source="president.gov.ua/en (President of Ukraine, English news)") == "UKR"
    assert o.home_country(source="a blog") == "" and o.home_country(url="https://example.org/x") == ""
    assert o.is_party(url="https://en.kremlin.ru/x") and not o.is_party(url="https://tass.com/politics/1")
    assert o.home_country(url="https://tass.com/politics/1") == "RUS"


@pytest.mark.parametrize(("source", "url", "country", "party"), [
    ("KCNA", "", "PRK", False),  # short names a researcher's file carries (outlets 1.1.0)
    ("Azertag", "", "AZE", False),
    ("Kyodo", "", "JPN", False),
    ("WAM", "", "ARE", False),
    ("Chinese Foreign Ministry", "", "CHN", True),
    ("xinhuanet", "", "CHN", False),
    ("", "http://en.people.cn/n3/2024/0101/c90000-1.html", "CHN", False),
    ("", "https://www.mofa.gov.sa/en/news/1", "SAU", True),
    ("Presidency of the Republic of Türkiye", "", "TUR", True),
    ("APP", "", "PAK", False),
    ("Apple Daily", "", "", False),  # a short name matches a whole word only
    ("WAMPUM", "", "", False),
])
def test_short_names_and_further_outlets(source: str, url: str, country: str, party: bool) -> None:
    o = O.default_outlets()
    assert o.home_country(source=source, url=url) == country
    assert o.is_party(source=source, url=url) is party


def test_user_file_first_and_errors_named(tmp_path: Path) -> None:
    head = "# version: 1\n# source: me\n# licence: CC0\n# citation: me\nname,domain,country,kind\n"
    p = tmp_path / "mine.csv"
    p.write_text(head + "My Wire,kremlin.ru,AZE,news_agency\n", encoding="utf-8")
    assert O.load_outlets(p).home_country(url="https://kremlin.ru/x") == "AZE"  # user rows win
    p.write_text(head + "X,x.org,Azerbaijan,news_agency\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"mine\.csv:6: country 'Azerbaijan'"):
        O.load_outlets(p)
    p.write_text(head + "X,x.org,AZE,blog\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown kind 'blog'"):
        O.load_outlets(p)
    p.write_text("name,domain,country,kind\nX,x.org,AZE,blog\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing '# version"):
        O.load_outlets(p)


@pytest.mark.parametrize("title, pair", [
    ("Turkish-Azerbaijani talks", "AZE-TUR"),
    ("Statements for the press following Russian-Uzbek talks", "RUS-UZB"),
    ("Kazakhstan–Uzbekistan relations", "KAZ-UZB"),
    ("U.S.-Japan Joint Leaders’ Statement", "JPN-USA"),
    ("Negotiations between the delegations of Ukraine and Russia", "RUS-UKR"),
])
def test_title_forms_give_the_pair(title: str, pair: str) -> None:
    ex = S.analyse_sentence("The sides noted the high level of relations.", title=title, model=False)
    assert ex.pair == pair


def test_outlet_speaks_for_its_country_when_the_title_names_another() -> None:
    """'Poland's National Day' on the State Department's site: the United States greets Poland."""
    kw = dict(title="Poland’s National Day", model=False)
    sent = "We congratulate the people of Poland on this day."
    assert S.analyse_sentence(sent, source="s", source_countries={"s": "USA"}, party_outlets={"s"}, **kw).pair == "POL-USA"
    # a news agency is not a party: its country is only the fallback speaker
    assert S.analyse_sentence(sent, source="s", source_countries={"s": "USA"}, **kw).pair != "POL-USA"


def test_unnamed_adversary_resolves_to_the_outlets_adversary() -> None:
    texts = {"ua": ["Russia's aggression against our state continues.", "Russian occupiers shelled Kharkiv.",
                    "The war crimes of Russia will be punished.", "Meeting with Poland on trade."]}
    adv = S.infer_adversaries(texts, {"ua": "UKR"})
    assert adv == {"ua": "RUS"}
    ex = S.analyse_sentence("We successfully repel enemy attacks.", title="Address by the President",
                            source="ua", source_countries={"ua": "UKR"}, adversaries=adv, model=False)
    assert (ex.pair, ex.reason.split(":")[0]) == ("RUS-UKR", "enemy reference")
    assert S.infer_adversaries(texts, {}) == {}


def test_condemned_aggression_against_the_title_partner_is_the_aggressor_victim_pair() -> None:
    ex = S.analyse_sentence("The Secretary strongly condemned Russia’s brutal attacks on civilians.",
                            title="Secretary Blinken’s Meeting With Ukraine’s First Lady Zelenska",
                            source="s", source_countries={"s": "USA"}, model=False)
    assert ex.pair == "RUS-UKR"
    ex = S.analyse_sentence("Secretary Blinken condemned Russia’s unprovoked attack on Ukraine.",
                            title="Secretary Blinken’s Call with Central Asian Foreign Ministers", model=False)
    assert ex.pair == "RUS-UKR"


def test_support_for_a_third_country_is_the_speaker_and_that_country() -> None:
    t = "Readout of President Biden’s Call with Prime Minister Sunak of the United Kingdom"
    ex = S.analyse_sentence("The leaders reiterated their support for Ukraine as it defends itself.", title=t, model=False)
    assert ex.pair == "UKR-USA"
    ex = S.analyse_sentence("The President welcomed the Prime Minister's support to Ukraine.", title=t, model=False)
    assert ex.pair == "GBR-USA"


def test_support_inside_the_title_pairs_own_cooperation_stays_the_title_pair() -> None:
    t = "Readout of President Biden’s Call with Prime Minister Sunak of the United Kingdom"
    ex = S.analyse_sentence("The leaders committed to continuing their close coordination on global challenges, "
                            "including support for Ukraine.", title=t, model=False)
    assert ex.pair == "GBR-USA"
    ex = S.analyse_sentence("They agreed to work together on delivering assistance to civilians in Gaza.",
                            title=t, model=False)
    assert ex.pair == "GBR-USA"


# --- The pair mechanisms for outlets the project never saw (hand-written cases, exact values) -------------

def _on(home: str, *, party: bool = True) -> dict:
    """Keyword arguments of analyse_sentence for an item of an outlet of *home*."""
    return dict(source="s", source_countries={"s": home}, party_outlets={"s"} if party else (), model=False)


def test_head_of_state_site_titles_name_only_the_other_side() -> None:
    """A head of state's own site: the host is the outlet's country."""
    t = "Telephone conversation with President of Egypt Abdel Fattah el-Sisi"
    ex = S.analyse_sentence("They discussed bilateral trade.", title=t, date="2023-05-01", **_on("RUS"))
    assert (ex.about_ties, ex.dyad, ex.reason) == (True, "EGY-RUS", "title pair (reference in sentence)")
    ex = S.analyse_sentence("Our countries share a long history of friendship.", title="Meeting with Sisi",
                            date="2023-05-01", **_on("RUS"))
    assert ex.dyad == "EGY-RUS"
    # "Meeting with <name> and <name>": the host and two guests; a sentence on the three is multilateral,
    # one naming a guest is that guest's pair with the host
    t = "Meeting with Tokayev and Mirziyoyev"
    ex = S.analyse_sentence("The leaders discussed trade.", title=t, date="2022-09-15", **_on("RUS"))
    assert (ex.about_ties, ex.dyad, ex.reason) == (False, "", "title pair (reference in sentence); multilateral")
    ex = S.analyse_sentence("Vladimir Putin thanked Tokayev for the hospitality.", title=t, date="2022-09-15", **_on("RUS"))
    assert (ex.about_ties, ex.dyad) == (True, "KAZ-RUS")
    # received / called with the outlet's country as the implied host, no title at all
    ex = S.analyse_sentence("The President received the Ambassador of France.", **_on("RUS"))
    assert (ex.about_ties, ex.dyad, ex.reason) == (True, "FRA-RUS", "speaker side (title) and sentence country")


def test_a_bare_leaders_name_resolves_by_the_date() -> None:
    """Karimov (President of Uzbekistan to 2016, not in the gazetteer) is Uzbekistan in 2010, nobody in 2023."""
    s = "The President had a telephone conversation with Karimov."
    assert S.analyse_sentence(s, date="2010-05-01", **_on("RUS")).dyad == "RUS-UZB"
    ex = S.analyse_sentence(s, date="2023-05-01", **_on("RUS"))
    assert (ex.about_ties, ex.dyad, ex.countries) == (False, "", ())


def test_party_outlet_keeps_a_compound_pair_of_two_other_countries() -> None:
    """'Kazakhstan–Uzbekistan relations' on the Kremlin's site is about KAZ-UZB; 'the Russia-Ukraine war' on
    the White House's site is no compound pair of a contact: the United States still speaks."""
    s = "The sides noted the high level of relations."
    ex = S.analyse_sentence(s, title="Kazakhstan–Uzbekistan relations", **_on("RUS"))
    assert (ex.about_ties, ex.dyad) == (True, "KAZ-UZB")
    ex = S.analyse_sentence(s, title="Statements for the press following Russia-Egypt talks", **_on("RUS"))
    assert ex.dyad == "EGY-RUS"
    ex = S.analyse_sentence("We will continue to support Ukraine.", title="Statement on the Russia-Ukraine war", **_on("USA"))
    assert (ex.speaker, ex.dyad) == ("USA", "UKR-USA")


def test_spokesperson_transcript_whose_title_names_no_country() -> None:
    """A foreign ministry's press conference: 'we' is the outlet's country; a bilateral reference whose
    pair cannot be resolved is kept with an empty dyad and the reason."""
    t = "Foreign Ministry Spokesperson's Regular Press Conference on May 5, 2023"
    ex = S.analyse_sentence("We firmly oppose the interference of the US in our internal affairs.", title=t, **_on("CHN"))
    assert ex.dyad == "CHN-USA"
    ex = S.analyse_sentence("The relationship between the two countries is strong.", title=t, **_on("CHN"))
    assert (ex.about_ties, ex.dyad, ex.reason) == (True, "", "unresolved pair (no pair); bilateral reference kept")


def test_news_agency_item_bilateral_relations_named_without_lexicon_words() -> None:
    """'bilateral relations' is relation vocabulary even where the tone lexicon has no word of it."""
    ex = S.analyse_sentence("He said bilateral relations are developing well.", title="Putin, Tokayev hold talks in Moscow",
                            date="2022-09-15", **_on("RUS", party=False))
    assert (ex.about_ties, ex.dyad) == (True, "KAZ-RUS")
    assert not S.analyse_sentence("He said the weather is fine.", title="Putin, Tokayev hold talks in Moscow",
                                  date="2022-09-15", **_on("RUS", party=False)).about_ties


def test_items_find_the_outlet_by_web_domain() -> None:
    items = [
        {"item": "k1", "title": "Telephone conversation with President of Egypt Abdel Fattah el-Sisi", "prev": "",
         "sentence": "They discussed bilateral trade.", "url": "https://en.kremlin.ru/events/president/news/1",
         "date": "2023-05-01"},
        {"item": "k2", "title": "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference", "prev": "",
         "sentence": "We firmly oppose the interference of the US in our internal affairs.",
         "url": "https://www.fmprc.gov.cn/eng/xw/fyrbt/1.html"},
        {"item": "k3", "title": "Xi Jinping meets Pakistani Prime Minister", "prev": "",
         "sentence": "The two countries agreed to expand cooperation.", "url": "https://english.news.cn/x.htm"},
    ]
    got = [(r["home_country"], r["about_ties"], r["dyad"]) for r in S.score_items(items, model=False)]
    assert got == [("RUS", True, "EGY-RUS"), ("CHN", True, "CHN-USA"), ("CHN", True, "CHN-PAK")]


def test_the_outlets_adversary_makes_a_sentence_naming_only_the_home_country_about_ties() -> None:
    adv = {"ua": "RUS"}
    kw = dict(source="ua", source_countries={"ua": "UKR"}, adversaries=adv, party_outlets={"ua"}, model=False)
    ex = S.analyse_sentence("The occupiers took them to the territory not controlled by Ukraine.",
                            title="The President visited two orphans", **kw)
    assert (ex.about_ties, ex.dyad) == (True, "RUS-UKR")
    ex = S.analyse_sentence("Ukraine will hold elections in the spring.", title="The President visited two orphans", **kw)
    assert (ex.about_ties, ex.dyad) == (False, "")


def test_third_country_of_conflict_vocabulary_in_a_readout_and_support_by_others() -> None:
    t = "Readout of Vice President Harris’s Meeting with President Yoon of the Republic of Korea"
    ex = S.analyse_sentence("The Vice President underscored that the DPRK’s actions threaten peace and security in the region.",
                            title=t, **_on("USA"))
    assert (ex.dyad, ex.reason) == ("PRK-USA", "speaker side (title) and the third country of conflict vocabulary")
    # an agenda ("discussed ...") stays the readout's pair
    ex = S.analyse_sentence("They discussed the threats posed by the DPRK.", title=t, **_on("USA"))
    assert ex.dyad == "KOR-USA"
    # support by a third country, or "international support", is not the speaker's support
    t = "Readout of President Biden’s Call with President Sánchez of Spain"
    ex = S.analyse_sentence("President Biden praised Spain’s leadership in rallying international support for Afghan women.",
                            title=t, **_on("USA"))
    assert ex.dyad == "ESP-USA"
    t = "Readout of President Biden’s Call with President Xi Jinping of China"
    ex = S.analyse_sentence("He warned of the consequences if China provides material support to Russia.", title=t, **_on("USA"))
    assert ex.dyad == "CHN-USA"
    ex = S.analyse_sentence("He reaffirmed U.S. support for Ukraine.", title=t, **_on("USA"))
    assert ex.dyad == "UKR-USA"


def test_the_united_nations_merely_named_beside_the_speaker_is_not_a_relationship() -> None:
    """A speech at the General Assembly names the UN as a forum: no pair; a directed act toward it is one."""
    t = "General Debate statement of Botswana, 75th session (2020)"
    ex = S.analyse_sentence("It is beyond doubt that the United Nations remains more relevant now than it was 75 years ago.",
                            title=t, **_on("BWA"))
    assert (ex.about_ties, ex.dyad) == (False, "")
    assert ex.reason.endswith("; organisation named, no relation vocabulary")
    ex = S.analyse_sentence("We urge the United Nations to lift the arms embargo on our country.", title=t, **_on("BWA"))
    assert (ex.about_ties, ex.dyad) == (True, "BWA-UN")
    ex = S.analyse_sentence("The President met with United Nations Secretary-General Antonio Guterres.",
                            title="Readout of the President's Meeting with the UN Secretary-General", **_on("USA"))
    assert (ex.about_ties, ex.dyad) == (True, "UN-USA")


# ---------------------------------------------------------------- run: --home-country and --outlets
def _briefings(source: str = "briefings"):
    import pandas as pd

    t = "Foreign Ministry Spokesperson's Regular Press Conference"
    return pd.DataFrame({"doc_id": ["a", "b"], "title": [t, t], "source": [source, source], "url": ["", ""],
                         "text": ["We firmly oppose the interference of the US in our internal affairs.",
                                  "China and Brazil are comprehensive strategic partners."]})


def test_run_home_country_parameter_over_the_inference() -> None:
    from analysis import pipeline

    assert "briefings" not in pipeline.fit_context(_briefings()).home_countries  # titles name no country
    ctx = pipeline.fit_context(_briefings(), home_country="briefings=CHN")
    assert ctx.home_countries == {"briefings": "CHN"} and ctx.party_outlets == frozenset({"briefings"})
    ctx = pipeline.fit_context(_briefings("whitehouse_readouts"), home_country="RUS")  # one code for every outlet
    assert ctx.home_countries == {"whitehouse_readouts": "RUS"}


def test_run_outlets_file_is_looked_up_before_the_bundled_list(tmp_path: Path) -> None:
    from analysis import pipeline

    f = tmp_path / "my_outlets.csv"
    f.write_text("# version: 1\n# source: test\n# licence: CC0-1.0\n# citation: test\n"
                 "name,domain,country,kind\nbriefings,example.org,CHN,foreign_ministry\n", encoding="utf-8")
    ctx = pipeline.fit_context(_briefings(), outlets=f)
    assert ctx.home_countries == {"briefings": "CHN"} and "briefings" in ctx.party_outlets


@pytest.mark.parametrize("bad", ["China", "a=CHN;CHN", "=CHN", "briefings=12"])
def test_home_country_parameter_rejects_malformed_values(bad: str) -> None:
    from analysis.errors import InputError
    from analysis.params import Params

    with pytest.raises(InputError, match="home_country"):
        Params(home_country=bad)


def test_home_country_parameter_is_normalised_and_recorded_only_when_given() -> None:
    from analysis.params import Params

    assert Params(home_country="b = chn ; k=RUS").home_country == "b=CHN;k=RUS"
    assert "home_country" not in Params().manifest() and "outlets" not in Params().manifest()


def test_sentence_tone_takes_the_home_country_and_outlets_options() -> None:
    """Notebook 04 measures tone itself: the same options as run give the same pairs."""
    from analysis import pipeline

    arts = _briefings()
    sents = pipeline.segment.segment_articles(arts)
    plain = S.sentence_tone(arts, sents)
    given = S.sentence_tone(arts, sents, home_country="briefings=CHN")
    assert given.loc[given.doc_id == "a", "dyad"].tolist() == ["CHN-USA"]
    assert plain.loc[plain.doc_id == "a", "dyad"].tolist() != ["CHN-USA"]


# --- an outlet neither the outlets file nor its titles place: its home from its own texts

_PRESSERS = [
    "Q: The Philippines said a Chinese vessel collided with its boat. What is China's response? "
    "A: The Philippine vessels intruded without China's permission. We urge the Philippine side to stop.",
    "Q: How do you view the visit of the German foreign minister? A: China and Germany are partners. We welcome the visit.",
    "Q: Japan will release more treated water. What's your comment? A: The plan does not meet our requirements, "
    "and China firmly opposes it.",
    "Q: The President of Kenya will visit. A: China looks forward to the visit. We will exchange views with Kenya.",
    "Q: The Forum concluded yesterday. A: The Forum was a full success and China thanks all participants. We are grateful.",
]


def test_home_country_from_the_texts_of_a_first_person_outlet() -> None:
    docs = [(t, "2024-03-05") for t in _PRESSERS]
    assert infer({"pressers": docs}) == {"pressers": "CHN"}
    # a third-person wire naming Russia in every story is not Russia's voice
    wire = [(f"Russia and {c} held talks, officials said. The talks covered trade.", None)
            for c in ("Turkey", "Iran", "India", "Egypt", "Brazil")]
    assert infer({"wire": wire}) == {}
    # speakers of different countries (a debate): no country dominates
    debate = [(f"We, the people of {c}, call on all states to act. {c} stands ready.", None)
              for c in ("Chile", "Kenya", "Nepal", "Peru", "Fiji")]
    assert infer({"debate": debate}) == {}
    # the runner-up too close (every document names both): none
    both = [(f"We discussed it. China and Japan {v}.", None) for v in ("met", "talked", "agreed", "spoke")]
    assert infer({"both": both}) == {}
    assert infer({"few": docs[:2]}) == {}  # fewer than three documents


def test_run_and_score_sentences_place_an_unlisted_spokesperson_outlet() -> None:
    arts = pd.DataFrame({"doc_id": [f"p{k}" for k in range(5)], "source": "mfa_pressers", "url": "",
                         "title": [f"Foreign Ministry Spokesperson's Regular Press Conference on March {k + 5}, 2024"
                                   for k in range(5)],
                         "date": pd.to_datetime([f"2024-03-{k + 5:02d}" for k in range(5)], utc=True),
                         "text": _PRESSERS})
    sents = segment.segment_articles(arts)
    tone = S.sentence_tone(arts, sents).merge(sents[["doc_id", "sentence_id", "text"]])
    row = tone.loc[tone["text"].str.startswith("We urge the Philippine side")].iloc[0]
    assert (row["dyad"], row["about_ties"], row["directed"]) == ("CHN-PHL", True, "CHN>PHL")
    items = [{"source": "mfa_pressers", "article_id": f"p{k}", "title": t, "sentence": s, "prev": ""}
             for k, (t, s) in enumerate(zip(arts["title"], _PRESSERS))]
    assert {c[:2] for c in item_contexts(items)} == {("CHN", True)}
    assert {c[:2] for c in item_contexts(items[:2])} == {("", False)}  # too few documents to tell


def test_transcripts_that_name_another_country_in_every_document_still_get_their_own() -> None:
    # a spokesperson asked about the United States in every briefing: both countries are named in
    # every document, but China more often than any other in each, so China is the voice
    docs = [(f"Q: The US announced new {x}. What is your comment? A: China firmly opposes it. We urge the "
             "US to stop. China will take measures. China's position is consistent.", None)
            for x in ("tariffs", "sanctions", "export controls", "visa rules", "arms sales")]
    assert infer({"pressers": docs}) == {"pressers": "CHN"}
    # both named equally often in every document: neither is the voice
    even = [(f"Q: China and the US held {x}. A: We welcome it. China and the US agreed.", None)
            for x in ("talks", "a meeting", "a call", "a dialogue", "consultations")]
    assert infer({"even": even}) == {}


def test_score_sentences_places_an_unlisted_outlet_by_its_titles() -> None:
    # third-person readouts under a key the outlets file does not know and without URLs: the
    # subject of the titles (an office-holder at the item's date) places the outlet, as in run;
    # it is not taken as an official voice (a news agency's titles look the same)
    titles = ["Secretary Blinken's Call with Japanese Foreign Minister Hayashi",
              "Secretary Blinken's Meeting with Polish Foreign Minister Rau",
              "Secretary Blinken's Call with Indian External Affairs Minister Jaishankar"]
    items = [{"item": f"r{k}", "article_id": f"a{k}", "source": "my_readouts", "date": "2022-03-01", "title": t,
              "prev": "", "sentence": "The Secretary and the Foreign Minister discussed bilateral cooperation."}
             for k, t in enumerate(titles)]
    assert {c[:2] for c in item_contexts(items)} == {("USA", False)}
    got = [r["dyad"] for r in S.score_items(items, model=False)]
    assert got == ["JPN-USA", "POL-USA", "IND-USA"]
    assert [r["dyad"] for r in S.score_items([dict(it, title="Department Press Briefing") for it in items],
                                             model=False)] == ["", "", ""]  # no title to place it: no side
    # the same titles in run
    homes, parties = O_context.outlet_homes_and_parties(
        {f"a{k}": "my_readouts" for k in range(3)}, {}, titles={f"a{k}": t for k, t in enumerate(titles)},
        dates={f"a{k}": "2022-03-01" for k in range(3)})
    assert (homes, parties) == ({"my_readouts": "USA"}, set())


def test_score_sentences_places_a_first_person_outlet_from_excerpts() -> None:
    # coded items are excerpts: three of five use the first person (0.6, above
    # EXCERPT_MIN_FIRST_PERSON); whole articles would be held to 0.8
    sents = ["China firmly opposes the US sanctions.", "We urge Japan to stop. China is concerned.",
             "China and Kenya are good friends.", "We welcome the visit, China said.", "We thank China's partners."]
    items = [{"item": f"m{k}", "article_id": f"d{k}", "source": "pressers_x", "title": "Regular Press Conference",
              "prev": "", "sentence": s} for k, s in enumerate(sents)]
    assert O_context.EXCERPT_MIN_FIRST_PERSON == 0.45
    assert {c[:2] for c in item_contexts(items)} == {("CHN", True)}
    third = [dict(it, sentence=it["sentence"].replace("We ", "They ")) for it in items]
    assert sum("We " in it["sentence"] for it in third) == 0
    assert {c[:2] for c in item_contexts(third)} == {("", False)}  # no first person: no voice


_REMARKS = "Foreign Ministry Spokesperson's Remarks on the US Arms Sales to Taiwan"


def test_a_topic_after_remarks_on_is_not_the_titles_speaker() -> None:
    # the subject ends at "on": the countries after it are the topic (partners)
    assert title_context(_REMARKS, None, source_country="CHN").speaker == "CHN"
    assert tuple(title_context(_REMARKS, None, source_country="CHN").partners) == ("USA", "TWN")
    assert title_base("Statement of the Ministry of Foreign Affairs of Ukraine on Russia's shelling", None) == (
        "UKR", ["RUS"])
    # without a home country the pair still gives the article's context, but it is no speaker
    # for the outlet's home country: transcripts and remarks titled so do not make the US the home
    assert title_base(_REMARKS, None, pair_fallback=False) == ("", ["USA", "TWN"])
    titles = ["Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on March 5, 2024", _REMARKS,
              "Foreign Ministry Spokesperson's Remarks on the US Sanctions against Chinese Companies"]
    assert O_context.infer_home_countries({"mfa": titles}) == {}


@pytest.mark.parametrize(("source", "country"), [
    ("kremlin_transcripts", "RUS"),  # a listed name followed by the researcher's own words
    ("xinhua-english", "CHN"),
    ("president_of_ukraine_en", "UKR"),
    ("white_house_briefings", "USA"),
    ("en_kremlin_ru", "RUS"),  # a listed domain, dots written as "_"
    ("english news cn", "CHN"),
    ("fox_news_cnn", ""),  # "news.cn" is not a domain inside "news.cnn"
    ("Apple_Daily", ""),
])
def test_outlet_keys_with_separators_find_listed_names_and_domains(source: str, country: str) -> None:
    assert O.default_outlets().home_country(source=source) == country


@pytest.mark.parametrize(("source", "country", "kind"), [
    ("mfa_china", "CHN", "foreign_ministry"),
    ("Chinese MFA", "CHN", "foreign_ministry"),
    ("prc_foreign_ministry", "CHN", "foreign_ministry"),
    ("russian-mfa", "RUS", "foreign_ministry"),
    ("us_state_dept", "USA", "foreign_ministry"),
    ("uk_foreign_office", "GBR", "foreign_ministry"),
    ("azerbaijan_presidency", "AZE", "head_of_state"),
    ("japan_pm", "JPN", "head_of_government"),
    ("georgia_government", "GEO", "government"),
    ("mongolia_news_agency", "MNG", "news_agency"),
])
def test_an_unlisted_outlet_key_naming_one_country_and_an_institution(source: str, country: str, kind: str) -> None:
    assert O.default_outlets().lookup(source=source) is None
    got = O_context.named_outlet(source)
    assert (got.country, got.kind) == (country, kind)


@pytest.mark.parametrize("source", ["reuters_china", "us_embassy_china", "china_us_state_dept", "nato_press",
                                    "mfa", "my_corpus"])
def test_an_outlet_key_without_an_institution_or_with_two_countries_names_no_outlet(source: str) -> None:
    assert O_context.named_outlet(source) is None


def test_score_sentences_and_run_place_an_outlet_by_the_country_and_institution_of_its_key() -> None:
    title = "Foreign Ministry Spokesperson's Regular Press Conference on May 5, 2023"
    sent = "We urge the US side to stop interfering in our internal affairs."
    items = [{"item": "m1", "source": "mfa_china", "title": title, "prev": "", "sentence": sent},
             {"item": "m2", "source": "reuters_china", "title": title, "prev": "", "sentence": sent}]
    got = [(r["home_country"], r["dyad"]) for r in S.score_items(items, model=False)]
    assert got == [("CHN", "CHN-USA"), ("", "")]  # a news agency's key: no speaking side, so no pair
    assert item_contexts(items[:1])[0][:2] == ("CHN", True)
    homes, parties = O_context.outlet_homes_and_parties(
        {"a": "mfa_china", "b": "belarus_state_tv", "c": "russia_government_news"},
        {"c": "https://tass.com/politics/1"}, titles={"a": title, "b": "News", "c": "News"})
    assert homes == {"mfa_china": "CHN", "belarus_state_tv": "BLR", "russia_government_news": "RUS"}
    # an official voice; state television is not, nor a key whose URLs are on a listed news agency's site
    assert parties == {"mfa_china"}
