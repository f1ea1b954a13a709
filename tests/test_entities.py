"""Tests for analysis.entities: gazetteer loading and validation, matching, mentions tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.entities_reference import find_tokens_reference

from analysis.entities import (
    MENTION_COLUMNS,
    Mention,
    country_profile,
    default_gazetteer,
    load_gazetteer,
    mentions,
)
from analysis.errors import DataFileError, InputError
from analysis.segment import add_tokens

META = "# version: 0.1\n# source: test\n# licence: CC0-1.0\n# citation: none\n"
HEADER = "surface,entity,country,kind,case,note\n"


def _found(text: str, gaz=None) -> list[tuple[str, str, str, str]]:
    g = gaz if gaz is not None else default_gazetteer()
    return [(m.surface, m.entity, m.country, m.kind) for m in g.find(text)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- seed cases
def test_hashtrakan_alias_is_astrakhan_oblast():
    assert default_gazetteer().find("Hashtrakan") == [
        Mention(0, 10, "Hashtrakan", "Astrakhan Oblast", "RUS", "region")
    ]
    assert _found("Həştərxan") == [("Həştərxan", "Astrakhan Oblast", "RUS", "region")]
    assert _found("the Astrakhan province") == [
        ("Astrakhan province", "Astrakhan Oblast", "RUS", "region")
    ]


def test_longest_match_region_and_country():
    assert default_gazetteer().find("Astrakhan Oblast of the Russian Federation") == [
        Mention(0, 16, "Astrakhan Oblast", "Astrakhan Oblast", "RUS", "region"),
        Mention(24, 42, "Russian Federation", "Russia", "RUS", "official_name"),
    ]


def test_demonym_and_leaders():
    assert _found("the Azerbaijani people") == [("Azerbaijani", "Azerbaijan", "AZE", "demonym")]
    assert _found("the Heydar Aliyev Foundation") == [
        ("Heydar Aliyev", "Heydar Aliyev", "AZE", "leader")
    ]
    assert _found("President Aliyev") == [("Aliyev", "Ilham Aliyev", "AZE", "leader")]


def test_seed_article(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    ms = default_gazetteer().find(text)
    assert {m.country for m in ms} == {"AZE", "RUS"}
    hasht = [m for m in ms if m.surface == "Hashtrakan"]
    assert len(hasht) == 1 and hasht[0].entity == "Astrakhan Oblast"
    assert text[hasht[0].start : hasht[0].end] == "Hashtrakan"
    # every mention's offsets point at its surface
    assert all(text[m.start : m.end] == m.surface for m in ms)
    assert sum(m.entity == "Ilham Aliyev" for m in ms) == 6


# ---------------------------------------------------------------- matching rules
def test_hyphenated_compounds_yield_both_countries():
    assert _found("U.S.-Azerbaijani ties") == [
        ("U.S.", "United States", "USA", "official_name"),
        ("Azerbaijani", "Azerbaijan", "AZE", "demonym"),
    ]
    assert default_gazetteer().find("Russian-Ukrainian") == [
        Mention(0, 7, "Russian", "Russia", "RUS", "demonym"),
        Mention(8, 17, "Ukrainian", "Ukraine", "UKR", "demonym"),
    ]
    assert [m.country for m in default_gazetteer().find("Azerbaijan-Russia")] == ["AZE", "RUS"]
    assert [m.country for m in default_gazetteer().find("Azerbaijan–Russia")] == ["AZE", "RUS"]
    # affixes are allowed next to an entry; unknown parts block the split
    assert _found("pro-Russian") == [("Russian", "Russia", "RUS", "demonym")]
    assert _found("Baikal-Amur Mainline") == []
    assert _found("Sino-American") == []
    # a hyphenated entry is matched whole, not split
    assert _found("Guinea-Bissau") == [("Guinea-Bissau", "Guinea-Bissau", "GNB", "country")]


def test_case_sensitive_acronyms():
    assert _found("US and EU") == [
        ("US", "United States", "USA", "official_name"),
        ("EU", "European Union", "EUU", "organisation"),
    ]
    assert _found("let us meet, eu") == []
    assert _found("UN") == [("UN", "United Nations", "UN", "organisation")]
    assert _found("turkey dinner") == []
    assert _found("Turkey and TURKEY") == [
        ("Turkey", "Türkiye", "TUR", "country"),
        ("TURKEY", "Türkiye", "TUR", "country"),
    ]
    assert _found("fine china") == []
    # case-insensitive entries match in any case
    assert _found("the kremlin and UKRAINE") == [
        ("kremlin", "Kremlin", "RUS", "office"),
        ("UKRAINE", "Ukraine", "UKR", "country"),
    ]


def test_possessives_and_curly_apostrophes():
    assert default_gazetteer().find("Azerbaijan's president") == [
        Mention(0, 10, "Azerbaijan", "Azerbaijan", "AZE", "country")
    ]
    assert _found("Biden’s call with the People’s Republic of China") == [
        ("Biden", "Joe Biden", "USA", "leader"),
        ("People’s Republic of China", "China", "CHN", "official_name"),
    ]


def test_diacritic_insensitive():
    a = _found("Erdogan")
    b = _found("Erdoğan")
    assert a == [("Erdogan", "Recep Tayyip Erdoğan", "TUR", "leader")]
    assert b == [("Erdoğan", "Recep Tayyip Erdoğan", "TUR", "leader")]
    assert _found("Cote d'Ivoire") == [("Cote d'Ivoire", "Côte d'Ivoire", "CIV", "country")]


def test_aliases_and_blocks():
    assert _found("Kiev and Kharkov") == [
        ("Kiev", "Kyiv", "UKR", "capital"),
        ("Kharkov", "Kharkiv", "UKR", "region"),
    ]
    assert _found("Zelensky met Zelenskiy") == [
        ("Zelensky", "Volodymyr Zelenskyy", "UKR", "leader"),
        ("Zelenskiy", "Volodymyr Zelenskyy", "UKR", "leader"),
    ]
    assert _found("Burma, Swaziland, Ivory Coast") == [
        ("Burma", "Myanmar", "MMR", "country"),
        ("Swaziland", "Eswatini", "SWZ", "country"),
        ("Ivory Coast", "Côte d'Ivoire", "CIV", "country"),
    ]
    assert _found("Latin American leaders in New Mexico") == [
        ("New Mexico", "New Mexico", "USA", "region")
    ]
    assert _found("Papua New Guinea") == [("Papua New Guinea", "Papua New Guinea", "PNG", "country")]


def test_offset_is_added():
    assert default_gazetteer().find("in Baku", offset=100) == [
        Mention(103, 107, "Baku", "Baku", "AZE", "capital")
    ]


def test_shipped_gazetteer_covers_all_states_and_parties():
    g = default_gazetteer()
    frame = g.to_frame()
    country_rows = frame[frame["kind"] == "country"]["country"].unique()
    assert len(country_rows) == 197  # 193 UN members + Kosovo, Taiwan, Palestine, Holy See
    assert {"XKX", "TWN", "PSE", "VAT"} <= set(country_rows)
    assert g.codes == set(country_rows) | {"EUU", "NATO", "UN"}
    for surface in ["NATO", "Stoltenberg", "Guterres", "von der Leyen", "European Commission",
                    "UN Security Council", "Zhongnanhai", "Élysée", "Downing Street", "White House"]:
        assert g.lookup(surface) is not None, surface
    for name in ("gazetteer.csv", "aliases.csv"):
        meta = g.meta[f"analysis/data/{name}"]
        assert set(meta) == {"version", "source", "licence", "citation"}


def test_default_gazetteer_is_cached():
    assert default_gazetteer() is default_gazetteer()


# ---------------------------------------------------------------- loading and validation
def test_bad_csv_unknown_code_names_file_and_line(tmp_path):
    p = _write(tmp_path / "gaz.csv", META + HEADER + "Azerbaijan,,AZE,country,,\nBaku,,AZX,capital,,\n")
    with pytest.raises(DataFileError, match=r"gaz\.csv:7: unknown country code 'AZX'"):
        load_gazetteer(p)


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        ("Azerbaijan,,AZE,country,,\n,Baku,AZE,capital,,\n", r":7: missing field 'surface'"),
        ("Azerbaijan,,AZE,country,,\nBaku,,AZE,city,,\n", r":7: unknown kind 'city'"),
        ("Azerbaijan,,AZE,country,,\nBaku,,AZE,capital\n", r":7: 4 fields, expected 6"),
        ("Azerbaijan,,Az,country,,\n", r":6: country code 'Az' is not three capital letters"),
        ("Azerbaijan,,AZE,country,,\nRussia,,RUS,country,,\nBaku,,AZE,capital,,\nbaku,,RUS,capital,,\n",
         r":9: duplicate surface 'baku' with conflicting country \(RUS here, AZE at line 8\)"),
        ("Azerbaijan,,AZE,country,xx,\n", r":6: case must be cs, ci or empty"),
    ],
)
def test_bad_csv_problems(tmp_path, body, pattern):
    p = _write(tmp_path / "g.csv", META + HEADER + body)
    with pytest.raises(DataFileError, match=pattern):
        load_gazetteer(p)


def test_missing_metadata_and_header(tmp_path):
    p = _write(tmp_path / "g.csv", "# version: 1\n" + HEADER + "Azerbaijan,,AZE,country,,\n")
    with pytest.raises(DataFileError, match=r"g\.csv:2: missing '# source: \.\.\.' metadata"):
        load_gazetteer(p)
    q = _write(tmp_path / "h.csv", META + "surface,entity,kind\n")
    with pytest.raises(DataFileError, match=r"h\.csv:5: header lacks column\(s\) country"):
        load_gazetteer(q)
    with pytest.raises(DataFileError, match=r"nope\.csv: file not found"):
        load_gazetteer(tmp_path / "nope.csv")


def test_alias_validation(tmp_path):
    g = _write(tmp_path / "g.csv", META + HEADER + "Azerbaijan,,AZE,country,,\nRussia,,RUS,country,,\n")
    bad = _write(tmp_path / "a.csv", META + "variant,canonical,case,note\nAzerbaycan,Azerbaijan,,\nRossiya,Rusia,,\n")
    with pytest.raises(DataFileError, match=r"a\.csv:7: alias 'Rossiya' points to unknown canonical surface 'Rusia'"):
        load_gazetteer(g, aliases=bad)
    clash = _write(tmp_path / "b.csv", META + "variant,canonical,case,note\nRussia,Azerbaijan,,\n")
    with pytest.raises(DataFileError, match=r"b\.csv:6: alias 'Russia' -> AZE conflicts with 'Russia' -> RUS"):
        load_gazetteer(g, aliases=clash)
    ok = _write(tmp_path / "c.csv", META + "variant,canonical,case,note\nAzərbaycan,Azerbaijan,,\n")
    gaz = load_gazetteer(g, aliases=ok)
    assert _found("Azerbaycan", gaz) == [("Azerbaycan", "Azerbaijan", "AZE", "country")]
    # a user gazetteer gets no shipped aliases unless asked
    assert _found("Hashtrakan", load_gazetteer(g)) == []


def test_user_extra_adds_and_overrides(tmp_path):
    extra = _write(
        tmp_path / "mine.csv",
        HEADER
        + "Absheron,,AZE,region,,added\n"
        + "Georgia,Georgia (US state),USA,region,,override\n"
        + "Narnia,,NRN,country,,a new code is valid once it has a country row\n"
        + "Cair Paravel,,NRN,capital,,\n",
    )
    g = load_gazetteer(extra=extra)
    assert _found("Absheron and Georgia", g) == [
        ("Absheron", "Absheron", "AZE", "region"),
        ("Georgia", "Georgia (US state)", "USA", "region"),
    ]
    assert _found("Cair Paravel", g) == [("Cair Paravel", "Cair Paravel", "NRN", "capital")]
    assert "NRN" in g.codes
    # the shipped gazetteer is untouched
    assert _found("Georgia") == [("Georgia", "Georgia", "GEO", "country")]
    # an extra file is validated like the shipped one, with its own name and line
    bad = _write(tmp_path / "bad.csv", HEADER + "Absheron,,ABC,region,,\n")
    with pytest.raises(DataFileError, match=r"bad\.csv:2: unknown country code 'ABC'"):
        load_gazetteer(extra=[extra, bad])


# ---------------------------------------------------------------- tables
def _sentences() -> pd.DataFrame:
    text0 = "Ilham Aliyev received the Governor of Hashtrakan."
    text1 = "Azerbaijan-Russia ties grow; the Kremlin agreed."
    text2 = "Nothing here."
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d2"],
            "sentence_id": [0, 1, 0],
            "start": [0, 50, 0],
            "end": [49, 98, 13],
            "text": [text0, text1, text2],
        }
    )


def test_mentions_table_exact():
    sents = _sentences()
    before = sents.copy()
    out = mentions(sents)
    pd.testing.assert_frame_equal(sents, before)
    assert list(out.columns) == list(MENTION_COLUMNS)
    assert out.values.tolist() == [
        ["d1", 0, 0, 12, "Ilham Aliyev", "Ilham Aliyev", "AZE", "leader"],
        ["d1", 0, 38, 48, "Hashtrakan", "Astrakhan Oblast", "RUS", "region"],
        ["d1", 1, 50, 60, "Azerbaijan", "Azerbaijan", "AZE", "country"],
        ["d1", 1, 61, 67, "Russia", "Russia", "RUS", "country"],
        ["d1", 1, 83, 90, "Kremlin", "Kremlin", "RUS", "office"],
    ]
    assert str(out["start"].dtype) == "int64" and str(out["sentence_id"].dtype) == "int64"
    # same result from the tokens/spans columns
    pd.testing.assert_frame_equal(mentions(add_tokens(sents)), out)
    # ... and without text (surface rebuilt from tokens)
    no_text = add_tokens(sents).drop(columns=["text"])
    pd.testing.assert_frame_equal(mentions(no_text), out)


def test_mentions_errors_and_empty():
    with pytest.raises(InputError, match="lacks column"):
        mentions(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))
    empty = mentions(pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "text": ["no names"]}))
    assert list(empty.columns) == list(MENTION_COLUMNS) and len(empty) == 0


def test_country_profile_exact():
    prof = country_profile(mentions(_sentences()))
    assert list(prof.columns) == ["doc_id", "country", "n_mentions", "n_sentences", "first_sentence_id"]
    assert prof.values.tolist() == [["d1", "RUS", 3, 2, 0], ["d1", "AZE", 2, 2, 0]]
    assert len(country_profile(mentions(_sentences().iloc[2:]))) == 0


# ---------------------------------------------------------------- development gold
@pytest.mark.shared
def test_gold_dyad_coverage(shared_dir):
    rows = [json.loads(line) for line in (shared_dir / "gold" / "dev_gold.jsonl").open(encoding="utf-8")]
    g = default_gazetteer()
    n = hit = 0
    for r in rows:
        if not r["dyad"]:
            continue
        a, b = r["dyad"].split("-")
        found = set(g.countries("\n".join([r["title"] or "", r["prev"] or "", r["sentence"]])))
        n += 1
        hit += a in found and b in found
    assert n > 100
    assert hit / n >= 0.95


def test_gazetteer_pickles_for_worker_processes():
    import pickle

    g = pickle.loads(pickle.dumps(default_gazetteer()))
    assert g.find("Hashtrakan and Baku") == default_gazetteer().find("Hashtrakan and Baku")


# ---------------------------------------------------------------- fast path against the reference
_WORDS = (
    "the The THE to of and in talks President Moon Petro United States Kingdom Arab Emirates America Latin "
    "American South North Korea Korean Peninsula peninsula Republic of Azerbaijan Azerbaijani Russia Russian "
    "Ukraine Ukrainian pro-Russian Russia-Ukraine Kremlin-backed U.S. US EU UN NATO Hashtrakan Baku Kyiv "
    "Netherlands Hague Gulf Mexico Sea Japan China language Normandy format Four St. Sophia Cathedral Georgia "
    "Tech New Guinea Indian Ocean region Erdoğan Bakı Aliyev Ilham ’s 's , . - Inter-American x-y"
).split()


def _mixed_gazetteer():
    """Case-sensitive and case-insensitive entries of one, two and three tokens sharing first
    tokens, a block, a compound part."""
    from analysis.entities import Entry, Gazetteer

    rows = [("US Army", "USA", "organisation", True), ("US", "USA", "country", True),
            ("Team Europe", "EUU", "organisation", True), ("team", "FRA", "region", False),
            ("the team of", "DEU", "region", False), ("Team Europe Initiative", "", "block", False),
            ("Holy Father", "VAT", "leader", True), ("holy", "ITA", "region", False),
            ("Russia", "RUS", "country", False), ("Russia Today", "", "block", False)]
    return Gazetteer([Entry(surf, surf, code, kind, cs, "test") for surf, code, kind, cs in rows],
                     codes=["USA", "EUU", "FRA", "DEU", "VAT", "ITA", "RUS"])


_MIXED = _mixed_gazetteer()
_WORDS += "US us Army army ARMY Team team TEAM Europe europe Initiative Holy holy Father father Today of".split()


@given(st.lists(st.sampled_from(_WORDS), max_size=30), st.booleans(), st.booleans())
@settings(max_examples=600, deadline=None)
def test_find_tokens_equals_the_reference(words: list[str], with_text: bool, mixed: bool) -> None:
    """What happens at a token, looked up once per token, gives the every-token search's mentions
    (sequences of entry tokens, first tokens of longer entries, blocks and compounds; the shipped
    gazetteer and one with case-sensitive entries of several tokens)."""
    g = _MIXED if mixed else default_gazetteer()
    text = " ".join(words)
    spans, pos = [], 0
    for w in words:
        spans.append((pos + 7, pos + 7 + len(w)))
        pos += len(w) + 1
    kw = {"text": text, "text_offset": 7} if with_text else {}
    assert g.find_tokens(words, spans, **kw) == find_tokens_reference(g, words, spans, **kw)


def test_find_tokens_equals_the_reference_on_the_sample() -> None:
    from analysis import config
    from analysis.segment import segment_articles

    texts = [json.loads(line)["text"] for line in
             (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    sents = segment_articles(pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts}))
    g = default_gazetteer()
    n = 0
    for row in sents.itertuples():
        got = g.find_tokens(row.tokens, row.spans, text=row.text, text_offset=row.start)
        assert got == find_tokens_reference(g, row.tokens, row.spans, text=row.text, text_offset=row.start)
        n += len(got)
    assert n > 300


def test_action_per_token_exact() -> None:
    from analysis.entities import _Longer

    g = load_gazetteer()
    the = g._action("the")
    assert isinstance(the, _Longer) and the.one is None and not the.compound
    assert "netherlands" in the.ci_next and not the.cs_next
    aze = g._action("Azerbaijan")
    assert (aze.entity, aze.country, aze.kind) == ("Azerbaijan", "AZE", "country")
    assert g._action("talks") is False
    assert g._action("talks-based") is True  # no entry starts with it: the compound rule
    assert g._actions["talks"] is False  # memoised
    assert g.find_tokens(["The", "Netherlands"], [(0, 3), (4, 15)])[0].country == "NLD"
