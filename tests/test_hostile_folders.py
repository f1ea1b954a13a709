"""Hostile folders: every entry is loaded or reported with a specific reason, in a fixed order."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from analysis import corpus as C


def _report(rep):
    return [(r["input"], r["record"], r["doc_id"], r["status"], r["reason"], r["note"]) for _, r in rep.iterrows()]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_folder_with_other_formats_gz_subfolders_and_symlinks(tmp_path):
    d = tmp_path / "in"
    (d / "sub" / "deeper").mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\nNot in the folder.", encoding="utf-8")
    (d / "a.txt").write_text("Title A\nBody A.", encoding="utf-8")
    (d / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "b1", "text": "Body B."}).encode()))
    (d / "c.csv.gz").write_bytes(gzip.compress(b"id,text\nc1,Body C.\n"))
    (d / "d.txt.gz").write_bytes(gzip.compress("Title D\nBody D.".encode()))
    (d / "e.jsonl.gz").write_bytes(b"not gzip at all")
    (d / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    (d / "memo.docx").write_bytes(b"PK\x03\x04")
    (d / "sub" / "f.jsonl").write_text(json.dumps({"id": "f1", "text": "Body F."}), encoding="utf-8")
    (d / "sub" / "deeper" / "g.txt").write_text("Title G\nBody G.", encoding="utf-8")
    os.symlink(tmp_path / "missing.txt", d / "h_dangling.txt")
    os.symlink(d / "i_loop.txt", d / "i_loop.txt")
    os.symlink(outside, d / "j_outside.txt")
    os.symlink(d / "sub", d / "k_dirlink")
    os.symlink(d / "a.txt", d / "l_inside.txt")
    arts, rep = C.load_corpus(d)
    assert arts["doc_id"].tolist() == ["a", "b1", "c1", "d", "g", "f1"]
    assert arts["raw_text"].tolist() == ["Body A.", "Body B.", "Body C.", "Body D.", "Body G.", "Body F."]
    assert _report(rep) == [
        ("in/a.txt", "a.txt", "a", "loaded", "", ""),
        ("in/b.jsonl.gz", "1", "b1", "loaded", "", ""),
        ("in/c.csv.gz", "1", "c1", "loaded", "", ""),
        ("in/d.txt.gz", "d.txt.gz", "d", "loaded", "", ""),
        ("in/e.jsonl.gz", "", "", "rejected", "unreadable file", "bad gzip data"),
        ("in/h_dangling.txt", "", "", "rejected", "dangling symlink", ""),
        ("in/i_loop.txt", "", "", "rejected", "symlink loop", ""),
        ("in/j_outside.txt", "", "", "rejected", "symlink outside the input folder", "not followed"),
        ("in/k_dirlink", "", "", "rejected", "symlink inside the input folder",
         "not followed: its target is read directly"),
        ("in/l_inside.txt", "", "", "rejected", "symlink inside the input folder",
         "not followed: its target is read directly"),
        ("in/memo.docx", "", "", "rejected", "unsupported format", "unsupported format .docx: convert to text first"),
        ("in/report.pdf", "", "", "rejected", "unsupported format", "unsupported format .pdf: convert to text first"),
        ("in/sub/deeper/g.txt", "g.txt", "g", "loaded", "", ""),
        ("in/sub/f.jsonl", "1", "f1", "loaded", "", ""),
    ]
    assert set(rep["reason"]) - {""} <= {r for r in C.REJECTION_REASONS}


def test_gz_file_argument_and_unsupported_file_argument(tmp_path):
    (tmp_path / "x.jsonl.gz").write_bytes(gzip.compress(b'{"id": "x", "text": "X."}\n'))
    arts, _ = C.load_corpus(tmp_path / "x.jsonl.gz")
    assert arts["doc_id"].tolist() == ["x"]
    (tmp_path / "y.pdf").write_bytes(b"%PDF")
    with pytest.raises(C.InputError, match=r"unsupported file type '\.pdf'"):
        C.load_corpus(tmp_path / "y.pdf")
