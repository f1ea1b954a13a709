"""Reliability battery: hostile input, case by case, plus the peak memory of loading a large file.

``python benchmarks/battery.py [--size MB] [--skip-memory]``

1. For each hostile case, builds a temporary folder holding two good JSONL records beside the
   hostile file(s), loads it with ``analysis.corpus.load_corpus`` (what ``python -m analysis
   run`` does first) and checks that the good records load and that the hostile record gets
   the expected report row (reason, or a note for records loaded with a caveat).  The
   provenance case also cleans, writes the tables and rebuilds the raw text from them.
   Prints one table ``case | expected | got | PASS/FAIL``.
2. Unless ``--skip-memory``: writes a JSONL of ``--size`` MB (default 200) by repeating the
   bundled sample's articles under fresh ids, loads and cleans it in a child process and
   prints the child's wall time and peak resident set size (``getrusage(RUSAGE_CHILDREN)``;
   target < 4 GiB).

Exit code 1 when a case fails or the memory target is missed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import corpus as C  # noqa: E402

GOOD = [{"id": "good-1", "title": "Talks in Baku", "text": "The ministers met in Baku on Monday."},
        {"id": "good-2", "title": "Call", "text": "The presidents spoke by telephone."}]
MEMORY_TARGET_BYTES = 4 * 1024**3


def _folder(tmp: Path, name: str) -> Path:
    d = tmp / name
    d.mkdir()
    (d / "good.jsonl").write_text("\n".join(json.dumps(r) for r in GOOD) + "\n", encoding="utf-8")
    return d


def _row(rep, input_suffix: str, record: str | None = None):
    rows = rep[rep["input"].str.endswith(input_suffix)]
    if record is not None:
        rows = rows[rows["record"] == record]
    return rows.iloc[0] if len(rows) else None


def _got(row) -> str:
    if row is None:
        return "(no report row)"
    return f"{row['status']}: {row['reason'] or row['note']}" if row["status"] == "rejected" else \
        f"loaded{': ' + row['note'] if row['note'] else ''}"


def _case(name: str, expected: str, files: Callable[[Path], None], suffix: str, record: str | None = None,
          check: Callable[[object], bool] | None = None) -> Callable[[Path], tuple[str, str, str, bool]]:
    def run(tmp: Path) -> tuple[str, str, str, bool]:
        d = _folder(tmp, name)
        files(d)
        arts, rep = C.load_corpus(d)
        good_ok = {"good-1", "good-2"} <= set(arts["doc_id"])
        got = _got(_row(rep, suffix, record))
        ok = good_ok and got.startswith(expected) and (check is None or bool(check(arts)))
        return name, expected, got + ("" if good_ok else " [good records lost]"), ok
    return run


def _w(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda d: (d / name).write_bytes(data)


def _parquet(name: str, table: dict) -> Callable[[Path], None]:
    def write(d: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table(table), d / name)
    return write


def _symlink(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    return lambda d: os.symlink(target(d), d / name)


def _roundtrip(tmp: Path) -> tuple[str, str, str, bool]:
    from analysis import pipeline

    d = _folder(tmp, "roundtrip")
    (d / "cr.jsonl").write_text(json.dumps({"id": "cr", "title": "A\rB", "text": "One.\rTwo.\r\n\r\nThree\u00a0four."}),
                                encoding="utf-8")
    arts, _ = C.load_corpus(d)
    cleaned, removals = C.clean(arts)
    pipeline.write_tables({"articles": cleaned, "removals": removals}, d / "tables")
    t = pipeline.read_tables(d / "tables", names=["articles", "removals"])
    ok = True
    for doc_id, raw in zip(arts["doc_id"], arts["raw_text"]):
        row = t["articles"][t["articles"]["doc_id"] == doc_id].iloc[0]
        edits = t["removals"][(t["removals"]["doc_id"] == doc_id) & (t["removals"]["field"] == "text")]
        ok = ok and C.restore(row["text"], edits) == raw
    return "removals with a lone \\r round-trip", "raw text rebuilt", "raw text rebuilt" if ok else "MISMATCH", ok


CASES: list[Callable[[Path], tuple[str, str, str, bool]]] = [
    _case("csv: more fields than header", "rejected: wrong field count",
          _w("x.csv", b"id,text\nx1,Good.\nx2,Too,many\n"), "x.csv", "2"),
    _case("csv: fewer fields than header", "rejected: wrong field count",
          _w("x.csv", b"id,title,text\nx1,Short\n"), "x.csv", "1"),
    _case("csv: one unbalanced quote", "rejected: unbalanced quote",
          _w("x.csv", b'id,text\nx1,"never closed\nx2,Fine.\n'), "x.csv", "1"),
    _case("csv: semicolon-separated", "loaded: delimiter ';'",
          _w("x.csv", b"id;text\nx1;Semi, colon.\n"), "x.csv", "1"),
    _case("utf-8 with one invalid byte", "loaded: encoding utf-8 with 1 invalid byte",
          _w("x.txt", "Title\nThe talks \u2013 productive \u2013 ended. Bad ".encode("utf-8") + b"\xff"), "x.txt",
          check=lambda a: "\u00e2\u20ac" not in "".join(a["raw_text"])),
    _case("latin-1 French (not cp1251)", "loaded: encoding cp1252",
          _w("x.txt", "Titre\nVisite \u00e0 Paris".encode("latin-1")), "x.txt",
          check=lambda a: "Visite \u00e0 Paris" in set(a["raw_text"])),
    _case("utf-16 without BOM", "rejected: UTF-16 without BOM",
          _w("x.jsonl", json.dumps({"text": "Hello."}).encode("utf-16-le")), "x.jsonl"),
    _case("jsonl: NUL byte in one line", "rejected: not text (binary file)",
          _w("x.jsonl", b'{"id": "x1", "text": "a\x00b"}\n{"id": "x2", "text": "Fine."}\n'), "x.jsonl", "1"),
    _case("jsonl: one malformed line", "rejected: malformed line",
          _w("x.jsonl", b'{"id": "x1", "text": \n{"id": "x2", "text": "Fine."}\n'), "x.jsonl", "1"),
    _case("jsonl: lone surrogate escape", "rejected: invalid text",
          _w("x.jsonl", b'{"id": "x1", "text": "\\ud800"}\n'), "x.jsonl", "1"),
    _case("jsonl: number as text", "rejected: text is not a string",
          _w("x.jsonl", b'{"id": "x1", "text": 42}\n'), "x.jsonl", "1"),
    _case("json array instead of JSONL", "loaded: a JSON array",
          _w("x.jsonl", b'[{"id": "x1", "text": "In an array."}]'), "x.jsonl", "1"),
    _case("jsonl.gz", "loaded", _w("x.jsonl.gz", gzip.compress(b'{"id": "x1", "text": "Zipped."}\n')), "x.jsonl.gz"),
    _case("parquet: binary text column", "loaded",
          _parquet("x.parquet", {"id": ["x1"], "text": [b"The European Council met."]}), "x.parquet",
          check=lambda a: "The European Council met." in set(a["raw_text"])),
    _case("parquet: list column", "rejected: field is not text",
          _parquet("x.parquet", {"id": ["x1"], "text": [["The", "European"]]}), "x.parquet"),
    _case("pdf in the folder", "rejected: unsupported format", _w("x.pdf", b"%PDF-1.4"), "x.pdf"),
    _case("docx in the folder", "rejected: unsupported format", _w("x.docx", b"PK\x03\x04"), "x.docx"),
    _case("record in a subfolder", "loaded",
          lambda d: ((d / "sub").mkdir(), (d / "sub" / "x.txt").write_text("T\nBody.", encoding="utf-8")), "sub/x.txt"),
    _case("dangling symlink", "rejected: dangling symlink", _symlink("x.txt", lambda d: d / "missing.txt"), "x.txt"),
    _case("symlink loop", "rejected: symlink loop", _symlink("x.txt", lambda d: d / "x.txt"), "x.txt"),
    _case("symlink out of the folder", "rejected: symlink outside the input folder",
          _symlink("x.txt", lambda d: ROOT / "README.md"), "x.txt"),
    _roundtrip,
]


def run_cases() -> bool:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(CASES):
            case_dir = Path(tmp) / str(i)
            case_dir.mkdir()
            try:
                rows.append(case(case_dir))
            except Exception as exc:  # a crash is a failure of the battery, reported like one
                rows.append((getattr(case, "__name__", str(i)), "no exception", f"{type(exc).__name__}: {exc}", False))
    w = [max(len(r[k]) for r in rows) for k in range(3)]
    print(f"{'case':<{w[0]}}  {'expected':<{w[1]}}  {'got':<{w[2]}}  result")
    for name, exp, got, ok in rows:
        print(f"{name:<{w[0]}}  {exp:<{w[1]}}  {got:<{w[2]}}  {'PASS' if ok else 'FAIL'}")
    n_fail = sum(1 for r in rows if not r[3])
    print(f"{len(rows) - n_fail}/{len(rows)} passed")
    return n_fail == 0


def _memory_child(path: str) -> None:
    arts, rep = C.load_corpus(path)
    cleaned, removals = C.clean(arts)
    print(json.dumps({"articles": len(arts), "report_rows": len(rep), "removals": len(removals)}))


def run_memory(size_mb: float) -> bool:
    base = [json.loads(line) for line in (ROOT / "data" / "sample" / "sample.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.jsonl"
        target = int(size_mb * 1024**2)
        written = n = 0
        with path.open("w", encoding="utf-8") as f:
            while written < target:
                rec = dict(base[n % len(base)])
                rec["id"] = f"rec-{n}"
                line = json.dumps(rec, ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                n += 1
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--memory-child", str(path)], capture_output=True, text=True)
        wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KiB
    if proc.returncode != 0:
        print(f"memory run failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
        return False
    print(f"load + clean of a {written / 1024**2:.0f} MB JSONL ({n} records): {wall:.0f} s wall, "
          f"peak RSS {peak / 1024**2:,.0f} MiB (target < 4 GiB): {'PASS' if peak < MEMORY_TARGET_BYTES else 'FAIL'}; "
          f"{proc.stdout.strip()}")
    return peak < MEMORY_TARGET_BYTES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=200, metavar="MB", help="size of the large JSONL (default 200)")
    ap.add_argument("--skip-memory", action="store_true", help="run the hostile cases only")
    ap.add_argument("--memory-child", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        _memory_child(args.memory_child)
        return 0
    ok = run_cases()
    if not args.skip_memory:
        ok = run_memory(args.size) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
