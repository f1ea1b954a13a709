"""Outlets and their home countries; the pair mechanisms that use them (exact values on hand-written cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import outlets as O
from analysis import sentiment as S
from analysis.errors import DataFileError


def test_lookup_by_url_name_and_domain_in_source() -> None:
    o = O.default_outlets()
    assert o.home_country(url="https://en.kremlin.ru/events/president/news/70000") == "RUS"
    assert o.home_country(url="http://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/") == "CHN"
    assert o.home_country(source="whitehouse_readouts") == "USA"
    assert o.home_country(source="president.gov.ua/en (President of Ukraine, English news)") == "UKR"
    assert o.home_country(source="a blog") == "" and o.home_country(url="https://example.org/x") == ""
    assert o.is_party(url="https://en.kremlin.ru/x") and not o.is_party(url="https://tass.com/politics/1")
    assert o.home_country(url="https://tass.com/politics/1") == "RUS"


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
