"""Office-holders with their terms: a bare name resolves to a country for the article's date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reference.officials_reference import find_reference

from analysis import officials as O
from analysis import sentiment as S
from analysis.errors import DataFileError


def test_bundled_file_loads_with_provenance_and_covers_the_un_members() -> None:
    o = O.default_officials()
    assert {"version", "source", "licence", "citation"} <= set(o.meta)
    assert len({r.country for r in o.rows if r.office == "head_of_state"}) >= 190
    assert len(o.rows) > 3000


def test_a_bare_name_resolves_for_the_date_only() -> None:
    o = O.default_officials()
    assert o.at("Scholz", "2023-05-01") == "DEU"
    assert o.at("Scholz", "2015-05-01") == ""  # not in office then
    assert o.at("Erdoğan", "2022-01-01") == "TUR"  # diacritics folded
    assert o.at("Mirziyoyev", "2020-01-01") == "UZB"
    assert o.at("Mirziyoyev", None) == ""


def test_find_in_text_and_in_a_title_pair() -> None:
    o = O.default_officials()
    got = [(m.surface, m.country) for m in o.find("Meeting with Tokayev and Mirziyoyev in Samarkand", "2022-09-15")]
    assert got == [("Tokayev", "KAZ"), ("Mirziyoyev", "UZB")]
    assert o.find("Meeting with Tokayev and Mirziyoyev", None) == []
    # lower-case words and ordinary capitalised words are not surnames
    assert o.find("The President said the king will visit.", "2022-09-15") == []
    ex = S.analyse_sentence("The leaders discussed trade.", title="Meeting with Tokayev and Mirziyoyev",
                            date="2022-09-15", model=False)
    assert ex.pair == "KAZ-UZB"
    old = "Meeting with Nazarbayev and Karimov"  # office-holders of 2010, not in the gazetteer's 2021-2025 list
    assert S.analyse_sentence("The leaders discussed trade.", title=old, date="2010-05-01", model=False).pair == "KAZ-UZB"
    assert S.analyse_sentence("The leaders discussed trade.", title=old, model=False).pair == ""  # no date: unresolved


def test_explain_and_score_sentence_take_the_article_date() -> None:
    # a bare name in the sentence resolves for the date, as in run and score-sentences
    sentence = "Rousseff welcomed the agreement."  # a name the gazetteer does not hold
    home = {"title": "Telephone conversation", "source": "o"}
    ex = S.explain(sentence, **home, source_countries={"o": "FRA"}, date="2013-05-01")
    assert (ex.countries, ex.dyad) == (("BRA",), "BRA-FRA")
    for date in ("2022-05-01", None):  # out of office then; no date
        assert S.explain(sentence, **home, source_countries={"o": "FRA"}, date=date).countries == ()
    got = S.score_sentence(sentence, **home, home_country="FRA", date="2013-05-01")
    assert (got["about_ties"], got["dyad"]) == (True, "BRA-FRA")
    assert S.score_sentence(sentence, **home, home_country="FRA")["dyad"] == ""


def test_bad_file_is_named(tmp_path: Path) -> None:
    head = "# version: 1\n# source: s\n# licence: l\n# citation: c\nname,country,office,start,end,source\n"
    p = tmp_path / "o.csv"
    p.write_text(head + "A B,XX,head_of_state,2020-01-01,,s\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"o\.csv:6: country 'XX'"):
        O.load_officials(p)
    p.write_text(head + "A B,ABC,king,2020-01-01,,s\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown office 'king'"):
        O.load_officials(p)
    p.write_text(head + "A B,ABC,head_of_state,2020-01-01,2019-01-01,s\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="end 2019-01-01 before start"):
        O.load_officials(p)


def _texts_and_dates() -> list[tuple[str, str]]:
    """Hand-written hard cases: names at the start, middle and end, surnames alone, a lower-case
    word that is also a surname, names shared by two countries, and dates on a term's edges."""
    texts = [
        "President Joseph R. Biden, Jr. spoke today with President Volodymyr Zelenskyy of Ukraine.",
        "Biden and Zelenskyy discussed the war; Scholz and Macron joined later.",
        "Ilham Aliyev received Governor of the Astrakhan Oblast Igor Babushkin.",
        "Erdoğan, Erdogan and ERDOGAN; also erdogan in lower case.",
        "Secretary Blinken met Foreign Minister Kuleba and Prime Minister Shmyhal in Kyiv",
        "Scholz",
        "The Brown family and Prime Minister Gordon Brown; Moon Jae-in met Moon.",
        "",
        "No names here at all, only words.",
    ]
    dates = ["2023-05-01", "2015-03-10", "2008-01-01", "2022-02-24", "", "2021-12-08", "2021-12-09"]
    return [(t, d) for t in texts for d in dates]


@pytest.mark.parametrize(("text", "date"), _texts_and_dates())
def test_find_equals_the_reference(text: str, date: str) -> None:
    o = O.default_officials()
    assert o.find(text, date) == find_reference(o, text, date)


def test_find_equals_the_reference_on_shared_readouts(shared_dir: Path) -> None:
    """The indexed fast path gives the reference's mentions on 300 real readouts."""
    path = shared_dir / "corpora" / "whitehouse_readouts" / "readouts.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:300] if line.strip()]
    o = O.default_officials()
    n_found = 0
    for r in recs:
        got = o.find(r["text"], r.get("date") or "")
        assert got == find_reference(o, r["text"], r.get("date") or ""), r["id"]
        n_found += len(got)
    assert n_found > 100


def test_not_lower_runs_hold_every_token_not_starting_with_a_to_z() -> None:
    """The quick test of ``find`` reads strings that include every token of ``_TOKEN_RE`` whose
    first character is not a-z, in order (plus pieces of tokens that start with a-z), on
    hand-written hard cases (digits, "_", apostrophes and hyphens before and inside words,
    non-ASCII capitals, numerals that count as letters) and on the sample's titles and texts;
    ``find`` equals the reference there."""
    from analysis import config, pipeline

    articles, _report, _removals = pipeline.prepare(config.SAMPLE_CORPUS)
    hard = [
        "9Biden met x-Biden, -Biden and 'Biden’s aide; 12-ab-C3 _Xi__Jinping ’Erdoğan' Ⅻ-Olaf",
        "Žan and Éric met ÖZIL at the U.S.-Azerbaijani talks; 1st Scholz-led 2nd-Scholz ²Macron",
        "", "  ", "lower case only", "A", "a", "—Macron—", "İlham Aliyev", "ǅemal ǈ ǋ", "x-Scholz met McCain",
    ]
    texts = hard + [str(t) for t in articles["title"]] + [str(t) for t in articles["text"]]
    n_pieces = 0
    for t in texts:
        want = [w for w in O._TOKEN_RE.findall(t) if not ("a" <= w[0] <= "z")]
        got = iter(O._NOT_LOWER_RUN_RE.findall(t))
        assert all(any(g == w for g in got) for w in want), t  # want is a subsequence of got
        n_pieces += len(O._NOT_LOWER_RUN_RE.findall(t)) - len(want)
    assert n_pieces >= 3
    # "x-Biden" gives the piece "Biden", "ab-C3" the piece "C3"; "9", "-", "'", "_" and "’" lead runs
    assert O._NOT_LOWER_RUN_RE.findall(hard[0]) == ["Biden", "Biden", "Biden", "Biden’s", "C3", "Xi__Jinping",
                                                   "Erdoğan'", "Ⅻ-Olaf"]
    o = O.default_officials()
    for t in hard:
        for date in ("2023-05-01", "2021-12-08"):
            assert o.find(t, date) == find_reference(o, t, date), t
    # a piece that would start a name sends the text to the whole tokenizer, which finds none
    assert o.find("x-Scholz met", "2023-05-01") == find_reference(o, "x-Scholz met", "2023-05-01") == []
