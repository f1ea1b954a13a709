"""Pair rules for sentences that name a conflict beside a cooperating partner: hand-written hard cases.

The forms are written for these tests (not items of any coded or gold file): a party outlet's
own country named after another country in the title, thanks to a partner for measures against
a third country, support thanked for, the United Nations invoked as a norm, and a speech to a
foreign parliament about an aggression against "our land".
"""

from __future__ import annotations

from analysis import sentiment as S

UKR = {"source": "o", "source_countries": {"o": "UKR"}, "party_outlets": {"o"}}
USA = {"source": "o", "source_countries": {"o": "USA"}, "party_outlets": {"o"}}


def _pair(sentence: str, title: str, **kw) -> tuple[str, str]:
    ex = S.analyse_sentence(sentence, title=title, model=False, **kw)
    return ex.dyad, ex.reason


def test_party_outlet_speaks_when_the_title_names_its_country_second() -> None:
    title = "Every shot of Russia at Ukraine is a step towards its own defeat - address by the President"
    ex = S.analyse_sentence("They will answer for every destroyed home.", title=title, model=False, **UKR)
    assert (ex.speaker, ex.partners) == ("UKR", ("RUS",))
    # the same title on an outlet that is not a party: the title's subject speaks
    ex = S.explain("They will answer for every destroyed home.", title=title, model=False)
    assert ex.speaker == "RUS"


def test_thanks_to_a_partner_for_sanctions_is_about_the_cooperating_pair() -> None:
    title = "Readout of the Vice President's Meeting with Prime Minister of Singapore"
    dyad, reason = _pair("The Vice President thanked the Prime Minister for Singapore's support, including "
                         "financial sanctions on Russia.", title, **USA)
    assert (dyad, reason) == ("SGP-USA", "cooperation against a third country: speaker side and title partner")
    # without warmth the conflict's pair stays
    dyad, _ = _pair("Singapore imposed financial sanctions on Russia.", title, **USA)
    assert dyad == "RUS-SGP"


def test_aggression_against_the_speaking_side_stays_that_pair_despite_thanks() -> None:
    ex = S.explain("The leaders condemned Russia's aggression against Ukraine and thanked Poland for its help.",
                   title="President of Ukraine met with the President of Poland", model=False)
    assert (ex.dyad, ex.tone) == ("RUS-UKR", -1)


def test_support_thanked_for_is_the_partners() -> None:
    title = "Readout of the National Security Advisor's Call with the Foreign Minister of Kuwait"
    dyad, reason = _pair("Mr. Sullivan thanked Kuwait for its generous humanitarian aid to the Ukrainian people.",
                         title, **USA)
    assert dyad == "KWT-USA" and not reason.startswith("support for a third country")
    dyad, reason = _pair("Mr. Sullivan reaffirmed U.S. support for Ukraine.", title, **USA)
    assert (dyad, reason) == ("UKR-USA", "support for a third country: speaker side and the supported country")


def test_united_nations_invoked_as_a_norm_is_not_the_acting_side() -> None:
    sentence = "The Secretary condemned the DPRK's missile launches, in violation of UN Security Council resolutions."
    dyad, reason = _pair(sentence, "Statement by the Department Spokesperson", **USA)
    assert (dyad, reason) == ("PRK-USA", "conflict: target and speaker side")
    # "attacks on" makes the organisation a party
    dyad, _ = _pair("The Secretary condemned the DPRK's attacks on UN personnel.", "Statement by the Department "
                    "Spokesperson", **USA)
    assert dyad == "PRK-UN"


def test_aggression_against_our_land_in_a_speech_abroad_is_the_speakers_pair() -> None:
    title = "Speech by the President of Ukraine in the Parliament of Luxembourg"
    ctx = dict(UKR, adversaries={"o": "RUS"})
    dyad, reason = _pair("Eight years ago the Russian army invaded our land.", title, **ctx)
    assert (dyad, reason) == ("RUS-UKR", "conflict: target and speaker side")
    # without a first-person word the aggression is taken to be against the title partner
    dyad, _ = _pair("The Russian army invaded the land.", title, **ctx)
    assert dyad == "LUX-RUS"


def test_only_the_speakers_country_named_without_relation_vocabulary_is_domestic() -> None:
    title = "President of Ukraine met with the Prime Minister of Japan"
    ex = S.analyse_sentence("In 2019 the Armed Forces of Ukraine bought new trucks.", title=title, model=False,
                            **UKR)
    assert (ex.about_ties, ex.dyad) == (False, "")
    assert ex.reason == "speaker in sentence, partner from title; no relation vocabulary"
    # with a reference to the other side, or relation vocabulary, the title's partner is meant
    ex = S.analyse_sentence("They said that Ukraine bought new trucks.", title=title, model=False, **UKR)
    assert (ex.about_ties, ex.dyad) == (True, "JPN-UKR")


def test_the_united_nations_named_with_warmth_alone_is_a_general_statement() -> None:
    title = "General Debate statement of Bolivia, 76th session (2021)"
    ex = S.analyse_sentence("In this Assembly, I reaffirm Bolivia's commitment to the principles of the UN Charter.",
                            title=title, model=False)
    assert (ex.about_ties, ex.dyad) == (False, "")
    assert ex.reason == "speaker side and sentence country; organisation named, no relation vocabulary"
    # criticism or a demand addressed to the organisation makes it a party
    ex = S.analyse_sentence("I urge the United Nations to send observers to Bolivia.", title=title, model=False)
    assert (ex.about_ties, ex.dyad) == (True, "BOL-UN")


def test_sentence_under_a_title_naming_only_the_adversary_needs_conflict_or_a_pair_reference() -> None:
    adv = {**UKR, "adversaries": {"o": "RUS"}}
    title = "Pressure on Russia is a matter of saving lives - address by the President of Ukraine"
    ex = S.analyse_sentence("I am grateful to our team.", title=title, model=False, **adv)
    assert (ex.about_ties, ex.dyad) == (False, "")
    assert ex.reason == "title pair (reference in sentence); title names only the adversary, no conflict in the sentence"
    # conflict vocabulary, a war reference or a reference to the pair keep the adversary pair
    for sentence in ("They must stop the shelling of our cities.", "This war has to end.",
                     "The two sides agreed to continue the dialogue."):
        ex = S.analyse_sentence(sentence, title=title, model=False, **adv)
        assert (ex.about_ties, ex.dyad) == (True, "RUS-UKR"), sentence
    # a title reporting a contact with the adversary keeps its sentences about that pair
    contact = "President of Ukraine held talks with President of Russia"
    ex = S.analyse_sentence("I am grateful to our team.", title=contact, model=False, **adv)
    assert (ex.about_ties, ex.dyad) == (True, "RUS-UKR")
    # the same sentence under a title naming a partner that is not the adversary is unchanged
    ex = S.analyse_sentence("I am grateful to our team.", title="Address to the Danish people", model=False, **adv)
    assert ex.reason != ("title pair (reference in sentence); title names only the adversary, no conflict in the "
                         "sentence")
