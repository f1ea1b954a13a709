"""Parquet binary, list and struct columns never load as a Python repr such as "b'The ...'"."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from analysis import corpus as C


def _report(rep):
    return [(r["record"], r["doc_id"], r["status"], r["reason"], r["note"]) for _, r in rep.iterrows()]


def test_binary_columns_are_decoded_like_files(tmp_path):
    table = pa.table({
        "id": ["p1", "p2", "p3"],
        "title": [b"The European Council", "Visite \u00e0 Paris".encode("latin-1"), b"T3"],
        "text": [b"The European Council met.", b"Texte.", b"\x00\x01\x02\x03"],
    })
    pq.write_table(table, tmp_path / "b.parquet")
    arts, rep = C.load_corpus(tmp_path / "b.parquet")
    assert arts["raw_title"].tolist() == ["The European Council", "Visite \u00e0 Paris"]
    assert arts["raw_text"].tolist() == ["The European Council met.", "Texte."]
    assert _report(rep) == [
        ("1", "p1", "loaded", "", ""),
        ("2", "p2", "loaded", "", "binary column title: encoding cp1252"),
        ("3", "b-3", "rejected", "not text (binary file)", "binary column text"),
    ]


def test_list_and_struct_columns_reject_the_record_with_the_field_named(tmp_path):
    table = pa.table({
        "id": ["q1", "q2", "q3"],
        "title": [["a", "b"], None, None],
        "text": ["Listed title.", "Plain text.", "Also fine."],
    })
    pq.write_table(table, tmp_path / "l.parquet")
    arts, rep = C.load_corpus(tmp_path / "l.parquet")
    assert arts["raw_text"].tolist() == ["Plain text.", "Also fine."]
    assert _report(rep) == [
        ("1", "q1", "rejected", "field is not text", "title is a list"),
        ("2", "q2", "loaded", "", ""),
        ("3", "q3", "loaded", "", ""),
    ]
    pq.write_table(pa.table({"id": ["t1"], "text": [["The European", "Council"]]}), tmp_path / "t.parquet")
    pq.write_table(pa.table({"id": ["s1"], "text": ["Body."], "url": [{"href": "x"}]}), tmp_path / "s.parquet")
    arts, rep = C.load_corpus([tmp_path / "t.parquet", tmp_path / "s.parquet"])
    assert len(arts) == 0
    assert _report(rep) == [("1", "t1", "rejected", "field is not text", "text is a list"),
                            ("1", "s1", "rejected", "field is not text", "url is an object")]


def test_jsonl_list_title_is_not_loaded_as_repr(tmp_path):
    (tmp_path / "j.jsonl").write_text(json.dumps({"id": "j", "title": ["a"], "text": "Body."}), encoding="utf-8")
    arts, rep = C.load_corpus(tmp_path / "j.jsonl")
    assert len(arts) == 0 and _report(rep) == [("1", "j", "rejected", "field is not text", "title is a list")]
