"""Everything written can be read back exactly: the raw texts are rebuilt from articles.csv and
removals.csv alone (cleaned text + provenance), including lone "\\r" spans and empty replacements."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus as C
from analysis import pipeline


def _rebuild(tables_dir: Path) -> dict[tuple[str, str], str]:
    t = pipeline.read_tables(tables_dir, names=["articles", "removals"])
    arts, rem = t["articles"], t["removals"]
    groups = {k: g for k, g in rem.groupby(["doc_id", "field"], sort=False)}
    out = {}
    for doc_id, text, title in zip(arts["doc_id"], arts["text"], arts["title"]):
        for field, clean in (("text", text), ("title", title)):
            out[(doc_id, field)] = C.restore(clean, groups.get((doc_id, field), rem.iloc[:0]))
    return out


def _check_roundtrip(loaded: pd.DataFrame, tables_dir: Path) -> int:
    rebuilt = _rebuild(tables_dir)
    n = 0
    for doc_id, raw_text, raw_title in zip(loaded["doc_id"], loaded["raw_text"], loaded["raw_title"]):
        assert rebuilt[(doc_id, "text")] == raw_text, doc_id
        assert rebuilt[(doc_id, "title")] == raw_title, doc_id
        n += 1
    return n


def test_lone_cr_and_empty_replacements_round_trip(tmp_path):
    recs = [{"id": "r1", "title": "A\rtitle", "text": "First line.\rSecond line.\r\n\r\nPara\u00a0two.\r"},
            {"id": "r2", "title": "Plain", "text": "Text with <b>markup</b>,  \"quotes\" and a,comma."}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    loaded, _ = C.load_corpus(tmp_path / "in.jsonl")
    cleaned, removals = C.clean(loaded)
    assert "\r" in set(removals["text"])  # a removed/replaced span that is a lone "\r"
    pipeline.write_tables({"articles": cleaned, "removals": removals}, tmp_path / "tables")
    back = pipeline.read_tables(tmp_path / "tables", names=["removals"])["removals"]
    assert back["replacement"].tolist() == removals["replacement"].tolist()  # "" stays "", never NaN
    assert back["text"].tolist() == removals["text"].tolist()
    assert _check_roundtrip(loaded, tmp_path / "tables") == 2


def test_tables_without_cr_are_written_as_before(tmp_path):
    df = pd.DataFrame({"doc_id": ["a"], "field": ["text"], "start": [0], "end": [1], "text": ["x"],
                       "reason": ["markup"], "replacement": [""]})
    pipeline.write_tables({"removals": df}, tmp_path)
    assert (tmp_path / "removals.csv").read_bytes() == b"doc_id,field,start,end,text,reason,replacement\na,text,0,1,x,markup,\n"


@pytest.mark.shared
def test_every_raw_text_of_the_shared_corpora_is_rebuilt_from_the_written_tables(shared_dir, tmp_path):
    """Every record of every ../shared corpus file is loaded, then a deterministic sample (every
    k-th record, at most 120 per file, to keep the test under a minute or two) is cleaned,
    written and rebuilt from articles.csv + removals.csv alone.  With the environment variable
    PROTOCOL_NEWS_FULL_ROUNDTRIP=1 every record is (a maintainer's check: several minutes)."""
    files = sorted((shared_dir / "corpora").glob("*/*.jsonl"))
    assert files
    total = 0
    for i, f in enumerate(files):
        loaded, _ = C.load_corpus(f)
        step = 1 if os.environ.get("PROTOCOL_NEWS_FULL_ROUNDTRIP") == "1" else max(1, len(loaded) // 120)
        sample = loaded.iloc[::step].reset_index(drop=True)
        cleaned, removals = C.clean(sample)
        out = tmp_path / f"t{i}"
        pipeline.write_tables({"articles": cleaned, "removals": removals}, out)
        total += _check_roundtrip(sample, out)
    assert total > 0


@pytest.mark.parametrize("dtype", [object, "str"])
def test_lone_cr_in_a_text_column_of_either_dtype_reads_back(tmp_path, dtype):
    """pandas 3 gives text columns the "str" dtype: a lone "\\r" in such a column is quoted too."""
    from analysis import tableio

    rem = pd.DataFrame({"doc_id": ["d1", "d2"], "field": ["text", "text"], "start": [0, 3], "end": [1, 4],
                        "text": ["a\rb", "plain"], "reason": ["r", "r"], "replacement": ["\r", ""]})
    rem["text"] = rem["text"].astype(dtype)
    rem["replacement"] = rem["replacement"].astype(dtype)
    tableio.write_tables({"removals": rem}, tmp_path)
    back = tableio.read_tables(tmp_path, names=["removals"])["removals"]
    assert back["text"].tolist() == ["a\rb", "plain"]
    assert back["replacement"].tolist() == ["\r", ""]
