"""Hostile CSV input: a bad row is rejected alone, with a reason naming it; the rest of the file loads."""

from __future__ import annotations

from pathlib import Path

from analysis import corpus as C

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"


def _rows(report):
    return [(r["record"], r["doc_id"], r["status"], r["reason"], r["note"]) for _, r in report.iterrows()]


def test_more_or_fewer_fields_than_the_header_reject_only_that_row():
    """pandas would make surplus leading fields the index (a silent column shift); here the row
    is rejected with its row, line and field counts, and the quoted multi-line row still loads."""
    arts, rep = C.load_corpus(HOSTILE / "extra_fields.csv")
    assert arts["doc_id"].tolist() == ["a1", "a3", "a5"]
    assert arts["raw_text"].tolist() == ["Good text one.", "Good text three.", "Quoted, with comma\nand a newline."]
    assert _rows(rep) == [
        ("1", "a1", "loaded", "", ""),
        ("2", "extra_fields-2", "rejected", "wrong field count", "data row 2 (line 3) has 5 fields, the header 3"),
        ("3", "a3", "loaded", "", ""),
        ("4", "extra_fields-4", "rejected", "wrong field count", "data row 4 (line 5) has 2 fields, the header 3"),
        ("5", "a5", "loaded", "", ""),
    ]


def test_one_unbalanced_quote_rejects_one_line_not_the_file():
    arts, rep = C.load_corpus(HOSTILE / "unbalanced_quote.csv")
    assert arts["doc_id"].tolist() == ["b2"]
    assert _rows(rep) == [
        ("1", "unbalanced_quote-1", "rejected", "unbalanced quote", "line 2 opens a quoted field that is never closed"),
        ("2", "b2", "loaded", "", ""),
    ]


def test_semicolon_and_tab_separated_files_are_detected_with_a_note(tmp_path):
    arts, rep = C.load_corpus(HOSTILE / "semicolon.csv")
    assert arts["raw_text"].tolist() == ["Semicolon text, with a comma.", "Second text."]
    assert rep["note"].tolist() == ["delimiter ';'", "delimiter ';'"]
    (tmp_path / "t.csv").write_text("id\ttext\nt1\tTab, separated.\n", encoding="utf-8")
    arts, rep = C.load_corpus(tmp_path / "t.csv")
    assert arts["raw_text"].tolist() == ["Tab, separated."]
    assert rep["note"].tolist() == ["delimiter '\\t'"]


def test_crlf_quoted_fields_and_doubled_quotes_read_exactly(tmp_path):
    (tmp_path / "w.csv").write_bytes(b'id,text\r\nw1,"He said ""yes"".\r\nThen left."\r\n\r\nw2,Plain\r\n')
    arts, rep = C.load_corpus(tmp_path / "w.csv")
    assert arts["raw_text"].tolist() == ['He said "yes".\r\nThen left.', "Plain"]
    assert rep["status"].tolist() == ["loaded", "loaded"]
