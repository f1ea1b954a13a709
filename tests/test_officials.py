"""Office-holders with their terms: a bare name resolves to a country for the article's date."""

from __future__ import annotations

from pathlib import Path

import pytest

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
