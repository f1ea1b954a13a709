"""Bad input gives one specific line (an AnalysisError), never a traceback."""

from __future__ import annotations

import json

import pytest

from analysis import coded, lexicon
from analysis import corpus as C
from analysis.errors import DataFileError, InputError


def test_stopwords_not_utf8_is_one_line(tmp_path):
    (tmp_path / "sw.txt").write_bytes(b"# version: 1\ncaf\xe9\n")
    with pytest.raises(DataFileError, match=r"^sw\.txt: not UTF-8 \(byte 16\); save the file as UTF-8$"):
        lexicon.load_stopwords(tmp_path / "sw.txt")


def test_gold_with_unknown_label_or_not_utf8_is_one_line(tmp_path):
    item = {"item": "x-1", "article_id": "a", "source": "s", "date": "2022-01-01", "title": "T", "prev": "",
            "sentence": "S.", "about_ties": True, "dyad": "CHN-USA", "tone": "very positive", "protocol": True}
    (tmp_path / "g.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl line 1: tone must be -1, 0, 1 or null, got 'very positive'"):
        coded.load_items(tmp_path / "g.jsonl")
    (tmp_path / "c.jsonl").write_bytes(b'{"item": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"c\.jsonl: not UTF-8 \(byte 13\)"):
        coded.load_items(tmp_path / "c.jsonl")


def test_score_sentences_input_not_utf8_is_one_line(tmp_path):
    from analysis import sentiment

    (tmp_path / "in.jsonl").write_bytes(b'{"item": "1", "sentence": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"in\.jsonl: not UTF-8 \(byte 30\); save the file as UTF-8"):
        sentiment.score_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl")


def test_column_map_accepts_doc_id_as_the_id_target(tmp_path):
    (tmp_path / "f.csv").write_text("article_id,body\nA-7,Body.\n", encoding="utf-8")
    arts, _ = C.load_corpus(tmp_path / "f.csv", column_map={"article_id": "doc_id", "body": "text"})
    assert arts["doc_id"].tolist() == ["A-7"]
    with pytest.raises(InputError, match="column_map target 'content' for 'body' is not one of id, title"):
        C.load_corpus(tmp_path / "f.csv", column_map={"body": "content"})
