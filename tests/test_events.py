"""Tests of analysis.events on hand-written titles."""

from __future__ import annotations

import pandas as pd

from analysis import events as E
from test_sentiment import TinyGazetteer

G = TinyGazetteer()


def _arts(titles, sources=None):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(titles))], "title": titles,
                         "date": pd.to_datetime(["2022-01-01"] * len(titles), utc=True),
                         "source": sources or [""] * len(titles)})


def test_event_type_precedence():
    assert E.event_type("President received the Ambassador and held talks") == "reception"
    assert E.event_type("President of Ukraine had a phone conversation with the President of Poland") == "phone_call"
    assert E.event_type("President congratulated the King on National Day") == "congratulation"
    assert E.event_type("Condolences to the people of Turkey") == "condolence"
    assert E.event_type("The weather today") == ""


def test_events_from_titles():
    titles = [
        "President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian Federation-UPDATED",
        "Readout of President Biden’s Call with President Macron of France and Chancellor Scholz of Germany",
        "Presidents of Ukraine and Azerbaijan signed a Joint Declaration on Deepening Strategic Partnership",
        "President visited a school",
    ]
    arts = _arts(titles)
    before = arts.copy()
    out = E.events(arts, gazetteer=G)
    pd.testing.assert_frame_equal(arts, before)
    assert list(out.columns) == list(E.EVENT_COLUMNS)
    got = out[["doc_id", "type", "host", "guest", "host_rank", "guest_rank", "dyad"]].values.tolist()
    assert got == [
        ["d0", "reception", "AZE", "RUS", "president", "governor", "AZE-RUS"],
        ["d1", "phone_call", "USA", "DEU", "president", "chancellor", "DEU-USA"],
        ["d1", "phone_call", "USA", "FRA", "president", "president", "FRA-USA"],
        ["d2", "signing", "UKR", "AZE", "president", "president", "AZE-UKR"],
    ]


def test_visit_host_is_visited_country_and_outlet_home():
    titles = ["Readout of President Biden’s Call with Prime Minister Kishida of Japan",
              "Readout of President Biden’s Meeting with President Erdogan of Turkey",
              "Readout of Senior Administration Official Travel to Poland"]
    out = E.events(_arts(titles, ["wh"] * 3), gazetteer=G)
    row = out[out["doc_id"] == "d2"].iloc[0]
    assert (row["type"], row["host"], row["guest"], row["dyad"]) == ("visit", "POL", "USA", "POL-USA")


def test_seed_title_with_bundled_gazetteer(seed_path):
    title = seed_path.read_text(encoding="utf-8").splitlines()[0]
    out = E.events(pd.DataFrame({"doc_id": ["seed"], "title": [title], "date": [pd.NaT]}))
    assert out[["type", "host", "guest", "host_rank", "guest_rank", "dyad"]].values.tolist() == [
        ["reception", "AZE", "RUS", "president", "governor", "AZE-RUS"]]
