"""Tests of analysis.events on hand-written titles."""

from __future__ import annotations

import pandas as pd
import pytest
from test_sentiment import TinyGazetteer

from analysis import events as E
from analysis.errors import DataFileError

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


# ---------------------------------------------------------------- direction, nesting, ranks, codes
def _one(title, text="", source=""):
    arts = _arts([title], [source] if source else None)
    arts["text"] = [text]
    return E.events(arts, gazetteer=G)


def _cols(out, cols=("event_id", "parent", "type", "host", "guest", "initiator", "recipient")):
    return out[list(cols)].values.tolist()


def test_direction_of_calls():
    # "received a call from Y": Y called.
    out = _one("President of Ukraine received a phone call from the President of France")
    assert _cols(out) == [[0, -1, "phone_call", "UKR", "FRA", "FRA", "UKR"]]
    # "X called Y": X called.
    out = _one("President of France called the President of Ukraine")
    assert _cols(out) == [[0, -1, "phone_call", "FRA", "UKR", "FRA", "UKR"]]
    # "X spoke with Y", "had a phone conversation with": the text does not say who called.
    assert _cols(_one("President of Ukraine spoke with the President of France"))[0][5:] == ["", ""]
    assert _cols(_one("President of Ukraine had a phone conversation with the President of France"))[0][5:] == ["", ""]
    # ... unless the opening sentence does.
    out = _one("President of Ukraine had a phone conversation with the President of France",
               "The conversation took place at the initiative of the President of France. They discussed security.")
    assert _cols(out)[0][5:] == ["FRA", "UKR"]
    # "so-called" is no call, "Calls" in a readout title is a noun.
    assert E.event_type("Statement on the so-called referendum in Russia") == ""
    assert _cols(_one("Readout of President Biden’s Calls with President of France"))[0][5:] == ["", ""]


def test_direction_of_visits_and_receptions():
    out = _one("President of Ukraine received the Prime Minister of Poland")
    assert _cols(out) == [[0, -1, "reception", "UKR", "POL", "POL", "UKR"]]
    out = _one("President of Poland visited Ukraine")
    assert _cols(out) == [[0, -1, "visit", "UKR", "POL", "POL", "UKR"]]
    out = _one("President of Ukraine hosted the Chancellor of Germany")
    assert _cols(out) == [[0, -1, "reception", "UKR", "DEU", "DEU", "UKR"]]


def test_direction_of_messages_and_congratulations():
    out = _one("President of Ukraine sent a message of congratulations to the President of France")
    assert _cols(out) == [[0, -1, "congratulation", "UKR", "FRA", "UKR", "FRA"]]
    out = _one("President of Ukraine received a letter from the President of France")
    assert _cols(out) == [[0, -1, "message", "UKR", "FRA", "FRA", "UKR"]]
    out = _one("President of Ukraine congratulated the President of France on his re-election")
    assert _cols(out)[0][5:] == ["UKR", "FRA"]
    out = _one("President of Ukraine received congratulations from the President of France")
    assert _cols(out)[0][5:] == ["FRA", "UKR"]
    out = _one("Statement by President Biden Congratulating Prime Minister Kishida of Japan")
    assert _cols(out)[0][2:] == ["congratulation", "USA", "JPN", "USA", "JPN"]
    out = _one("Presidents of Ukraine and Poland congratulated each other on Independence Day")
    assert _cols(out)[0][5:] == ["", ""]
    assert E.initiator("Ukraine spoke with France", "phone_call", "UKR", "FRA", gazetteer=G) == ""
    assert E.initiator("Ukraine received a call from France", "phone_call", "UKR", "FRA", gazetteer=G) == "FRA"


def test_nested_congratulation_and_invitation_in_a_call():
    text = ("President Biden spoke today with Prime Minister Kishida of Japan. "
            "The President congratulated the Prime Minister on his election. "
            "Prime Minister Kishida invited the President to visit Japan in the spring.")
    out = _one("Readout of President Biden’s Call with Prime Minister Kishida of Japan", text)
    assert _cols(out) == [
        [0, -1, "phone_call", "USA", "JPN", "", ""],
        [1, 0, "congratulation", "USA", "JPN", "USA", "JPN"],
        [2, 0, "invitation", "JPN", "USA", "JPN", "USA"],
    ]
    assert out[["host_rank", "guest_rank"]].values.tolist() == [
        ["president", "prime minister"], ["president", "prime minister"], ["prime minister", "president"]]
    # "accepted an invitation to visit Y": Y invited.
    out = _one("Readout of President Biden’s Meeting with President of France",
               "The leaders met in Rome. The President accepted an invitation to visit France.")
    assert _cols(out)[1] == [1, 0, "invitation", "FRA", "USA", "FRA", "USA"]
    out = E.events(_arts(["Readout of President Biden’s Call with Prime Minister Kishida of Japan"]).assign(text=[text]),
                   gazetteer=G, nested=False)
    assert len(out) == 1


def test_ranks_spokesperson_is_not_president():
    titles = ["Statement by NSC Spokesperson Emily Horne on National Security Advisor Jake Sullivan’s Call with "
              "Ibrahim Kalin, Spokesperson and Chief Advisor to the President of Turkey",
              "Readout of President Biden’s Call with the President of France",
              "Readout of President Biden’s Call with the Chancellor of Germany"]
    out = E.events(_arts(titles, ["wh"] * 3), gazetteer=G)  # the outlet's home (USA) from its titles
    assert out[["doc_id", "host", "guest", "host_rank", "guest_rank"]].values.tolist()[0] == [
        "d0", "USA", "TUR", "national security advisor", "spokesperson"]
    out = _one("Statement by Press Secretary Jen Psaki on the Bilateral Meeting between President Biden and "
               "Prime Minister Kishida of Japan")
    assert out[["host", "guest", "host_rank", "guest_rank"]].values.tolist() == [
        ["USA", "JPN", "president", "prime minister"]]
    out = _one("Press Secretary of the President of Ukraine met with the Ambassador of France")
    assert out[["host_rank", "guest_rank"]].values.tolist() == [["spokesperson", "ambassador"]]
    r = E.load_ranks()
    assert r.meta["version"] and r.meta["citation"]
    assert r.first("Deputy Prime Minister of Ukraine") == "deputy prime minister"
    assert r.first("the Vice-President") == "vice president"
    assert r.first("Secretary of State Blinken") == "foreign minister"
    assert r.first("the weather") == ""


def test_event_codes_file_and_columns():
    codes = E.load_event_codes()
    assert list(codes.columns) == list(E.CODE_COLUMNS)
    assert set(codes.attrs["provenance"]) >= {"version", "source", "licence", "citation"}
    look = {(t, r): (c, p, m) for t, r, c, p, m in codes[["type", "role", "cameo", "plover", "plover_mode"]].values}
    assert look[("visit", "guest")] == ("042", "CONSULT", "visit")
    assert look[("reception", "host")] == ("043", "CONSULT", "visit")
    assert look[("phone_call", "host")] == ("041", "CONSULT", "phone")
    assert look[("congratulation", "host")] == ("051", "SUPPORT", "")
    assert look[("signing", "host")] == ("057", "AGREE", "")
    assert look[("invitation", "host")] == ("036", "", "")
    out = E.events(_arts(["President of Ukraine received the Prime Minister of Poland",
                          "President of Poland visited Ukraine",
                          "President of Ukraine had a phone conversation with the President of France"]), gazetteer=G)
    assert out[["type", "cameo", "cameo_label", "plover", "plover_mode"]].values.tolist() == [
        ["reception", "043", "Host a visit", "CONSULT", "visit"],
        ["visit", "042", "Make a visit", "CONSULT", "visit"],
        ["phone_call", "041", "Discuss by telephone", "CONSULT", "phone"]]


def test_event_codes_file_errors(tmp_path):
    head = "# version: 1\n# source: s\n# licence: l\n# citation: c\n" + ",".join(E.CODE_COLUMNS) + "\n"
    bad = tmp_path / "codes.csv"
    bad.write_text(head + "visit,visitor,042,Make a visit,CONSULT,visit,x,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"codes.csv:6: role must be host or guest"):
        E.load_event_codes(bad)
    bad.write_text(head + "visit,guest,42a,Make a visit,CONSULT,visit,x,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"CAMEO code '42a'"):
        E.load_event_codes(bad)
    ranks = tmp_path / "ranks.csv"
    ranks.write_text("# version: 1\n# source: s\n# licence: l\n# citation: c\nsurface,rank,note\nking,king,\nKing,queen,\n",
                     encoding="utf-8")
    with pytest.raises(DataFileError, match=r"ranks.csv:7: surface 'King' has two ranks"):
        E.load_ranks(ranks)


def test_called_as_a_description_is_no_call():
    assert E.event_type("The results can be called positive, says the President") == ""
    assert E.initiator("The results were called positive by Ukraine and France", "phone_call", "UKR", "FRA",
                       gazetteer=G) == ""


def test_initiator_clauses_and_objects():
    d = pd.Timestamp("2022-01-01", tz="UTC")
    # "spoke with Y to congratulate him": Y is the object of the contact verb.
    assert E.initiator("President Biden spoke today with the Prime Minister of Japan to congratulate him.",
                       "congratulation", "USA", "JPN", gazetteer=G, date=d) == "USA"
    # "..., in which Y congratulated": the verb's own clause names the congratulator.
    assert E.initiator("Biden received a call from the President of France, in which the President of France "
                       "congratulated him.", "congratulation", "USA", "FRA", gazetteer=G, date=d) == "FRA"
    assert E.initiator("President Biden welcomed the invitation of Japan to visit Tokyo.", "invitation", "USA", "JPN",
                       gazetteer=G) == "JPN"
    assert E.initiator("President Biden welcomed Prime Minister Kishida’s invitation to visit Japan.", "invitation",
                       "USA", "JPN", subject="USA", gazetteer=G) == "JPN"
    assert E.initiator("President Biden spoke with the Prime Minister of Japan to offer his congratulations.",
                       "congratulation", "USA", "JPN", gazetteer=G) == "USA"


def test_state_department_attribution_is_not_the_host():
    arts = _arts(["Meeting of the Advisory Committee"], ["statedept"])
    arts["text"] = ["Office of the Spokesperson The following is attributable to Spokesperson Ned Price: "
                    "Secretary Blinken of the United States met with the Foreign Minister of Japan. They talked."]
    out = E.events(arts, gazetteer=G)
    assert out[["type", "host", "guest", "host_rank", "guest_rank"]].values.tolist() == [
        ["meeting", "USA", "JPN", "minister", "foreign minister"]]
    r = E.load_ranks()
    assert r.first("the Secretary of State for Defence of the United Kingdom") == "minister"


def test_seed_article_nested_congratulation(seed_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    arts = pd.DataFrame({"doc_id": ["seed"], "title": [lines[0]], "text": ["\n".join(lines[1:])],
                         "date": [pd.Timestamp("2024-03-01", tz="UTC")]})
    out = E.events(arts)
    # "The governor of the Astrakhan province firstly congratulated Ilham Aliyev on his ... victory".
    assert out[["event_id", "parent", "type", "host", "guest", "initiator", "recipient", "cameo"]].values.tolist() == [
        [0, -1, "reception", "AZE", "RUS", "RUS", "AZE", "043"],
        [1, 0, "congratulation", "RUS", "AZE", "RUS", "AZE", "051"]]


def test_nested_equals_the_reference_on_hard_cases():
    """The nested events are searched in a contact's sentences only when the sentences joined by
    line breaks hold a trigger; the same as searching every sentence (hand-written cases: a
    trigger at a sentence's start or end, an invitation phrase cut by a sentence break, none)."""
    from reference.events_reference import nested_reference

    par = {"host": "USA", "guest": "JPN", "_speaker": "USA"}
    date = pd.Timestamp("2022-01-01", tz="UTC")
    cases = [
        ["The leaders met.", "Congratulations were sent.", "Prime Minister Kishida invited the President to visit."],
        ["The President invited", "to visit Japan the Prime Minister."],  # no sentence holds the invitation
        ["congratulated", "invit"], [], ["Nothing here."], ["Japan congratulated the United States; Biden invited "
                                                           "Kishida to come to Washington."],
    ]
    n_hits = 0
    for sents in cases:
        for n_parents in (1, 2):
            got = E._nested(sents, par, n_parents, G, date)
            assert got == nested_reference(sents, par, n_parents, G, date), sents
            n_hits += len(got)
    assert n_hits >= 4
    assert E._nested(["The President invited", "to visit Japan the Prime Minister."], par, 1, G, date) == []


def test_surname_re_whole_word_any_case():
    rx = E._surname_re("Kishida")
    assert [m.group(0) for m in rx.finditer("Kishida, KISHIDA-led, kishida's, Kishidas, Fumio Kishida")] == \
        ["Kishida", "kishida", "Kishida"]
    assert E._surname_re("Kishida") is rx
