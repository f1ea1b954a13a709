"""The shipped hand-coded sentences: contract, agreement table, adjudication record, standoff rebuild."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from analysis import coded
from analysis.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CODED = ROOT / "data" / "coded"


def _jsonl(p: Path) -> list[dict]:
    return [json.loads(x) for x in p.read_text(encoding="utf-8").split("\n") if x.strip()]


def test_text_part_is_valid_gold_of_the_shippable_outlets() -> None:
    items = coded.load_items()
    assert len(items) >= 300
    assert set(Counter(it["source"] for it in items)) == {"whitehouse_readouts", "statedept_releases",
                                                          "whitehouse_briefings", "kremlin_news"}
    # the briefings and the Kremlin's items carry their web address (the outlet's home country comes
    # from it; for the Kremlin's, it is also the attribution its licence asks for)
    assert all(it["url"].startswith("https://") for it in items if it["source"] == "whitehouse_briefings")
    assert all(it["url"].startswith("http://en.kremlin.ru/") for it in items if it["source"] == "kremlin_news")
    no_pair = 0
    for it in items:
        assert (it["tone"] is None) == (not it["about_ties"]) and (not it["about_ties"]) <= (it["dyad"] == "")
        no_pair += it["about_ties"] and not it["dyad"]  # about ties, pair not identifiable (round 5: 3 items)
        if it["dyad"]:
            a, b = it["dyad"].split("-")
            assert a < b
    assert no_pair <= 3


def test_standoff_part_carries_no_text() -> None:
    rows = _jsonl(CODED / "standoff.jsonl")
    assert len(rows) >= 300
    assert {r["source"] for r in rows} == {"president_gov_ua_en", "un_general_debate"}
    for r in rows:
        assert not {"sentence", "prev", "title", "text"} & set(r)
        assert isinstance(r["start"], int) and r["end"] > r["start"] and len(r["sha1"]) == 12


def test_mfa_part_carries_no_text_and_shares_no_article_with_the_rest() -> None:
    rows = _jsonl(coded.STANDOFF_MFA)
    assert len(rows) >= 300 and {r["source"] for r in rows} == {"china_mfa_pressconf"}
    for r in rows:
        assert not {"sentence", "prev", "title", "text"} & set(r)
        assert isinstance(r["start"], int) and r["end"] > r["start"] and len(r["sha1"]) == 12
        assert (r["tone"] is None) == (not r["about_ties"])
    assert coded.is_standoff(coded.STANDOFF_MFA) and not coded.is_standoff(coded.config.CODED_SENTENCES)
    trained = {r["article_id"] for r in coded.load_items()} | {r["article_id"] for r in _jsonl(CODED / "standoff.jsonl")}
    assert not trained & {r["article_id"] for r in rows}


def test_build_script_writes_the_mfa_part_where_the_package_reads_it() -> None:
    spec = importlib.util.spec_from_file_location("build_coded", CODED / "build_coded.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.OWN_STANDOFF == {"china_mfa_pressconf": coded.STANDOFF_MFA.name}
    assert set(build.OWN_STANDOFF) <= set(coded.STANDOFF_CORPORA)


def test_whole_set_is_large_and_the_passes_cover_every_item() -> None:
    ids = [it["item"] for it in coded.load_items()] + [r["item"] for r in _jsonl(CODED / "standoff.jsonl")]
    assert len(ids) == len(set(ids)) >= 1500
    ids += [r["item"] for r in _jsonl(coded.STANDOFF_MFA)]
    assert len(ids) == len(set(ids))
    for name in ("pass_a", "pass_b"):
        assert sorted(r["item"] for r in _jsonl(CODED / "passes" / f"{name}.jsonl")) == sorted(ids)


def test_adjudication_records_every_disagreement_and_final_labels_follow() -> None:
    a = {r["item"]: r for r in _jsonl(CODED / "passes" / "pass_a.jsonl")}
    b = {r["item"]: r for r in _jsonl(CODED / "passes" / "pass_b.jsonl")}
    final = {it["item"]: it for it in coded.load_items()} | {r["item"]: r for r in _jsonl(CODED / "standoff.jsonl")}
    final |= {r["item"]: r for r in _jsonl(coded.STANDOFF_MFA)}
    with (CODED / "adjudication.csv").open(encoding="utf-8") as fh:
        adj = list(csv.DictReader(fh))
    adjudicated = {r["item"] for r in adj}
    for i, f in final.items():
        differs = any(a[i][k] != b[i][k] for k in ("about_ties", "protocol")) or (
            a[i]["about_ties"] and any(a[i][k] != b[i][k] for k in ("dyad", "tone")))
        assert f["agreed"] is (not differs)
        assert (i in adjudicated) == differs
        if not differs:
            assert all(f[k] == a[i][k] for k in ("about_ties", "dyad", "tone", "protocol"))
    for r in adj:
        assert json.loads(r["final"]) == final[r["item"]][r["field"]] and r["note"].strip()


def test_agreement_table_has_kappa_per_field_and_outlet() -> None:
    with (CODED / "agreement.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = {(r["outlet"], r["field"]) for r in rows}
    for outlet in ("all", "whitehouse_readouts", "statedept_releases", "president_gov_ua_en", "un_general_debate",
                   "whitehouse_briefings", "kremlin_news", "china_mfa_pressconf"):
        for field in ("about_ties", "dyad", "tone", "protocol"):
            assert (outlet, field) in fields
    assert all(-1 <= float(r["cohen_kappa"]) <= 1 for r in rows)


def test_data_card_and_codebook_exist_and_say_what_the_set_is_for() -> None:
    card = (CODED / "README.md").read_text(encoding="utf-8")
    for needle in ("Cohen's kappa", "leave-one-outlet-out", "CC0", "CC BY 4.0", "standoff", "What it is used for"):
        assert needle in card
    book = (CODED / "CODEBOOK.md").read_text(encoding="utf-8")
    for field in ("about_ties", "dyad", "tone", "protocol"):
        assert f"`{field}`" in book


def test_bad_gold_lines_are_named(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    good = {"item": 1, "article_id": "a", "title": "", "prev": "", "sentence": "x", "about_ties": False, "dyad": "",
            "tone": None, "protocol": False}
    p.write_text(json.dumps(good) + "\n" + json.dumps(dict(good, tone="very positive")) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl line 2: tone must be"):
        coded.load_items(p)
    p.write_bytes(b"\xff\xfe broken")
    with pytest.raises(InputError, match="not UTF-8"):
        coded.load_items(p)


@pytest.mark.shared
def test_standoff_rebuilds_from_the_corpora_with_matching_checksums(shared_dir: Path) -> None:
    items = coded.load_standoff(corpora=shared_dir / "corpora")
    assert len(items) == len(_jsonl(CODED / "standoff.jsonl"))
    assert all(coded.sha1_12(it["sentence"]) for it in items)
    gold_articles = {json.loads(x)["article_id"] for f in ("dev_gold", "dev2_gold")
                     for x in (shared_dir / "gold" / f"{f}.jsonl").read_text(encoding="utf-8").split("\n") if x.strip()}
    every = [it["article_id"] for it in coded.load_items()] + [it["article_id"] for it in items]
    assert not gold_articles & set(every)  # the external gold stays external


def test_standoff_checksum_mismatch_raises(tmp_path: Path) -> None:
    corpora = tmp_path / "c"
    (corpora / "president_gov_ua_en").mkdir(parents=True)
    (corpora / "president_gov_ua_en" / "protocol.jsonl").write_text(
        json.dumps({"id": "r1", "title": "T", "date": "2022-01-01", "text": "Hello there. We met Poland."}) + "\n",
        encoding="utf-8")
    (corpora / "president_gov_ua_en" / "other.jsonl").write_text("", encoding="utf-8")
    row = {"item": "x1", "article_id": "r1", "source": "president_gov_ua_en", "start": 13, "end": 27,
           "prev_start": 0, "prev_end": 12, "sha1": coded.sha1_12("We met Poland."), "about_ties": True,
           "dyad": "POL-UKR", "tone": 0, "protocol": True}
    so = tmp_path / "s.jsonl"
    so.write_text(json.dumps(row) + "\n", encoding="utf-8")
    got = coded.load_standoff(so, corpora=corpora)
    assert (got[0]["sentence"], got[0]["prev"], got[0]["title"]) == ("We met Poland.", "Hello there.", "T")
    so.write_text(json.dumps(dict(row, sha1="000000000000")) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="checksum"):
        coded.load_standoff(so, corpora=corpora)


def test_gold_given_as_standoff_is_rebuilt_from_the_first_folder_holding_its_corpus(tmp_path: Path) -> None:
    empty, corpora = tmp_path / "empty", tmp_path / "c"
    empty.mkdir()
    (corpora / "china_mfa_pressconf").mkdir(parents=True)
    text = "Q: Any comment?\n\nA: We urge the US side to stop interfering in China's internal affairs."
    (corpora / "china_mfa_pressconf" / "transcripts.jsonl").write_text(
        json.dumps({"id": "mfa-1", "title": "Regular Press Conference", "date": "2019-05-08", "url": "u",
                    "text": text}) + "\n", encoding="utf-8")
    sent = text[text.index("A: "):]
    row = {"item": "h1", "article_id": "mfa-1", "source": "china_mfa_pressconf", "start": text.index(sent),
           "end": len(text), "prev_start": 0, "prev_end": 15, "sha1": coded.sha1_12(sent), "about_ties": True,
           "dyad": "CHN-USA", "tone": -1, "protocol": False}
    so = tmp_path / "held.jsonl"
    so.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert coded.is_standoff(so)
    got = coded.load_gold(so, corpora=[empty, corpora])
    assert (got[0]["sentence"], got[0]["prev"], got[0]["tone"], got[0]["date"]) == (sent, "Q: Any comment?", -1,
                                                                                   "2019-05-08")
    with pytest.raises(InputError, match="give the folder of the corpora"):
        coded.load_gold(so)
    with pytest.raises(InputError, match="file not found"):
        coded.load_gold(so, corpora=[empty])


@pytest.mark.shared
def test_shipped_standoff_says_when_the_mfa_part_is_left_out(shared_dir: Path) -> None:
    items, notes = coded.shipped_standoff(shared_dir / "corpora")
    assert len(items) == len(_jsonl(CODED / "standoff.jsonl"))  # the development corpora hold no MFA corpus
    assert len(notes) == 1 and "standoff_mfa.jsonl not used" in notes[0]
    assert not coded.corpus_found("china_mfa_pressconf", shared_dir / "corpora")
    assert coded.corpus_found("un_general_debate", [Path("nowhere"), shared_dir / "corpora"])
