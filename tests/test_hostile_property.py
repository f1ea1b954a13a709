"""Property-based tests of the loaders: whatever the bytes, no exception escapes, every record is
accounted for in the cleaning report, and good records load exactly."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import corpus as C

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# text as people write it: any character except surrogates and control characters other than \t \n \r
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"), max_size=40)
NONBLANK = TEXT.filter(lambda s: bool(s.strip()))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


def _load(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        return C.load_corpus(p)


def _accounted(rep, n_records: int) -> bool:
    """One file-level row, or exactly one row per record (numbered 1..n)."""
    if (rep["record"] == "").any():
        return len(rep) == 1 and rep["status"].iloc[0] == "rejected"
    return sorted(int(r) for r in rep["record"]) == list(range(1, n_records + 1))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_as_txt_give_exactly_one_report_row(data):
    arts, rep = _load("x.txt", data)
    assert len(rep) == 1 and len(arts) == int(rep["status"].iloc[0] == "loaded")
    assert set(rep["status"]) <= {"loaded", "rejected"}


# a JSONL line: a good record, any JSON value, or arbitrary bytes (never blank, never a newline)
LINE = st.one_of(
    st.tuples(st.just("good"), NONBLANK.filter(lambda s: "\n" not in s)),
    st.tuples(st.just("json"), JSON_VALUE),
    st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"\n", b"") + b"x")),
)


@SETTINGS
@given(st.lists(LINE, min_size=1, max_size=8))
def test_any_jsonl_lines_are_each_accounted_for_and_good_ones_load(lines):
    raw, good = [], {}
    for i, (kind, v) in enumerate(lines, start=1):
        if kind == "good":
            raw.append(json.dumps({"id": f"g{i}", "text": v}).encode("utf-8"))
            good[f"g{i}"] = v
        elif kind == "json":
            raw.append(json.dumps(v).encode("utf-8"))
        else:
            raw.append(v)
    arts, rep = _load("x.jsonl", b"\n".join(raw))
    if rep["note"].str.contains("JSON array").any() or raw[0].startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return  # elements, not lines; or a UTF-16/32 BOM (the lines are those of the decoded text)
    assert _accounted(rep, len(lines))
    assert len(arts) == (rep["status"] == "loaded").sum()
    if not (rep["record"] == "").any():
        loaded = dict(zip(arts["doc_id"], arts["raw_text"]))
        for doc_id, text in good.items():
            assert loaded.get(doc_id) == text


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "title", "date", "source", "url", "text"]), JSON_VALUE, min_size=1))
def test_any_json_values_per_field_never_raise(obj):
    arts, rep = _load("x.jsonl", json.dumps(obj).encode("utf-8"))
    assert _accounted(rep, 1)
    if len(arts):
        assert isinstance(obj.get("text"), str) and arts["raw_text"].iloc[0] == obj["text"]
        assert not arts["raw_title"].iloc[0].startswith(("[", "{")) or isinstance(obj.get("title"), str)


@SETTINGS
@given(st.lists(st.tuples(TEXT, NONBLANK), min_size=1, max_size=6),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
       st.sampled_from(["\r\n", "\n"]))
def test_any_csv_quoting_round_trips_every_record(rows, quoting, terminator):
    # Python's csv writer with lineterminator "\n" leaves a field holding "\r" unquoted
    # (QUOTE_MINIMAL): "0\r" then ends its line as "0\r\n", which every CSV reader reads as a
    # CRLF line end. Such a file does not hold the value it was given, so it is no test case.
    assume(not (quoting == csv.QUOTE_MINIMAL and terminator == "\n"
                and any("\r" in v for row in rows for v in row)))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting, lineterminator=terminator)
    w.writerow(["id", "title", "text"])
    for i, (title, text) in enumerate(rows, start=1):
        w.writerow([f"r{i}", title, text])
    arts, rep = _load("x.csv", buf.getvalue().encode("utf-8"))
    assert _accounted(rep, len(rows))
    assert rep["status"].tolist() == ["loaded"] * len(rows), rep.to_dict("records")
    assert arts["raw_title"].tolist() == [t for t, _ in rows]
    assert arts["raw_text"].tolist() == [x for _, x in rows]


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_as_csv_never_raise(data):
    _, rep = _load("x.csv", b"id,text\n" + data)
    assert set(rep["status"]) <= {"loaded", "rejected"} and len(rep) >= 1
