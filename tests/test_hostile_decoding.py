"""Hostile encodings: strict UTF-8 first, then a few well-tested fallbacks, never silent mojibake."""

from __future__ import annotations

import json

import pytest

from analysis import corpus as C

GOOD = "The visit \u2013 a success; the talks \u2014 productive. "


def test_utf8_with_a_few_invalid_bytes_is_utf8_with_replacement_not_cp1252():
    data = (GOOD * 3).encode("utf-8") + b"Bad \xff byte."
    text, enc, reason = C.decode_bytes(data)
    assert (text, enc, reason) == (GOOD * 3 + "Bad \ufffd byte.", "utf-8 with 1 invalid byte replaced by U+FFFD", "")
    assert "\u00e2\u20ac" not in text  # no "â€" mojibake


def test_utf8_with_too_many_invalid_bytes_is_not_read_as_utf8():
    """More invalid bytes than valid UTF-8 characters: the file is not UTF-8; these bytes happen
    to be plausible cp1251 ("яюэь"), so that is what they are read as (and the loaders note it)."""
    data = "caf\u00e9 ".encode("utf-8") + b"\xff\xfe\xfd\xfc " * 10
    assert C.decode_bytes(data)[1:] == ("cp1251", "")
    data = "caf\u00e9 ".encode("utf-8") + b"\x81\x8d\x8f\x90\x9d " * 10
    assert C.decode_bytes(data) == (None, "", "undecodable bytes")


@pytest.mark.parametrize("raw, expected, enc", [
    ("Visite \u00e0 Paris".encode("latin-1"), "Visite \u00e0 Paris", "cp1252"),
    ("Le pr\u00e9sident a \u00e9t\u00e9 re\u00e7u \u00e0 l'\u00c9lys\u00e9e.".encode("latin-1"),
     "Le pr\u00e9sident a \u00e9t\u00e9 re\u00e7u \u00e0 l'\u00c9lys\u00e9e.", "cp1252"),
    ("\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0432 \u041c\u043e\u0441\u043a\u0432\u0435".encode("cp1251"),
     "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0432 \u041c\u043e\u0441\u043a\u0432\u0435", "cp1251"),
])
def test_legacy_single_byte_files(raw, expected, enc):
    """A Latin-1 "à" standing alone is not read as the Cyrillic "а" of cp1251."""
    assert C.decode_bytes(raw) == (expected, enc, "")


def test_boms_and_utf16_without_bom():
    assert C.decode_bytes(b"\xff\xfe\x00\x00" + "Hi \u00e9".encode("utf-32-le")) == ("Hi \u00e9", "utf-32-le", "")
    assert C.decode_bytes(b"\x00\x00\xfe\xff" + "Hi".encode("utf-32-be")) == ("Hi", "utf-32-be", "")
    assert C.decode_bytes(b"\xfe\xff" + "Hi".encode("utf-16-be")) == ("Hi", "utf-16-be", "")
    assert C.decode_bytes(b"\xef\xbb\xbfHi") == ("Hi", "utf-8-sig", "")
    assert C.decode_bytes("Hello world.".encode("utf-16-le")) == (None, "utf-16-le", "UTF-16 without BOM")
    assert C.decode_bytes(b"abc\x00def") == (None, "", "not text (binary file)")


def test_detected_encoding_must_be_plausible():
    """charset-normalizer guesses Shift-JIS for this KOI8-R line; the guess is implausible and the
    bytes are rejected rather than loaded as mojibake."""
    raw = "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u043f\u0440\u043e\u0432\u0451\u043b".encode("koi8-r")
    text, _, reason = C.decode_bytes(raw)
    assert text is None or "\uff8a" not in text
    if text is None:
        assert reason == "undecodable bytes"


def _report(rep):
    return [(r["record"], r["status"], r["reason"], r["note"]) for _, r in rep.iterrows()]


def test_jsonl_nul_byte_bad_line_and_bad_bytes_reject_only_their_line(tmp_path):
    good = [json.dumps({"id": f"g{i}", "text": f"Good text {i}."}) for i in range(3)]
    data = (good[0] + "\n{not json\n" + good[1] + "\n").encode() + b'{"id": "n", "text": "a\x00b"}\n' \
        + b'{"id": "x", "text": "caf\xe9 au lait"}\n' + good[2].encode() + b"\n"
    (tmp_path / "f.jsonl").write_bytes(data)
    arts, rep = C.load_corpus(tmp_path / "f.jsonl")
    assert arts["doc_id"].tolist() == ["g0", "g1", "x", "g2"]
    assert arts.loc[arts["doc_id"] == "x", "raw_text"].item() == "caf\u00e9 au lait"
    assert _report(rep) == [
        ("1", "loaded", "", ""),
        ("2", "rejected", "malformed line", "Expecting property name enclosed in double quotes"),
        ("3", "loaded", "", ""),
        ("4", "rejected", "not text (binary file)", "NUL byte in the line"),
        ("5", "loaded", "", "encoding cp1252"),
        ("6", "loaded", "", ""),
    ]


def test_jsonl_nul_byte_in_an_otherwise_utf8_file_rejects_its_line(tmp_path):
    (tmp_path / "n.jsonl").write_bytes(b'{"id": "n", "text": "a\x00b"}\n{"id": "g", "text": "Good."}\n')
    arts, rep = C.load_corpus(tmp_path / "n.jsonl")
    assert arts["doc_id"].tolist() == ["g"]
    assert _report(rep) == [("1", "rejected", "not text (binary file)", "NUL byte in the line"), ("2", "loaded", "", "")]


def test_jsonl_in_utf16_without_bom_is_one_clear_file_row(tmp_path):
    (tmp_path / "u.jsonl").write_bytes(json.dumps({"text": "Hello there."}).encode("utf-16-le"))
    arts, rep = C.load_corpus(tmp_path / "u.jsonl")
    assert len(arts) == 0
    assert _report(rep) == [("", "rejected", "UTF-16 without BOM", "encoding utf-16-le")]


def test_a_json_array_file_is_read_as_records(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps([{"id": "a", "text": "One."}, 5, {"id": "b", "text": "Two."}]),
                                      encoding="utf-8")
    arts, rep = C.load_corpus(tmp_path / "a.jsonl")
    assert arts["doc_id"].tolist() == ["a", "b"]
    note = "a JSON array, not JSONL: record = element number"
    assert _report(rep) == [("1", "loaded", "", note), ("2", "rejected", "not an object", note + "; int"),
                            ("3", "loaded", "", note)]


def test_csv_and_txt_use_the_same_decoding(tmp_path):
    (tmp_path / "d.csv").write_bytes("id,text\nd1,Visite \u00e0 Paris\n".encode("latin-1"))
    (tmp_path / "t.txt").write_bytes((GOOD + "title\n").encode("utf-8") + GOOD.encode("utf-8") + b"\x96 end")
    arts, rep = C.load_corpus([tmp_path / "d.csv", tmp_path / "t.txt"])
    assert arts["raw_text"].tolist() == ["Visite \u00e0 Paris", GOOD + "\ufffd end"]
    assert rep["note"].tolist() == ["encoding cp1252", "encoding utf-8 with 1 invalid byte replaced by U+FFFD"]
