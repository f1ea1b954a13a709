"""Loading protocol-news corpora and cleaning them with full provenance.

Loaders
-------
:func:`load_corpus` reads a folder of ``.txt`` files (first line = title, the
rest = body), JSONL, CSV and Parquet files, or several of these at once, and
returns the *articles* table plus a *cleaning report* in which every input
record appears exactly once (``loaded`` or ``rejected`` with a reason from
:data:`REJECTION_REASONS`).

Cleaning
--------
:func:`clean`, :func:`restore`, :class:`EditText` and :func:`foreign_language` live in
:mod:`analysis.cleaning` (see there for the cleaning steps) and are re-exported here.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import config
from .cleaning import (  # noqa: F401  (re-exported: analysis.corpus names stay importable)
    _ALPHA,
    _WORD_RE,
    CLEANING_STEPS,
    DEFAULT_BOILERPLATE_MIN_DOCS,
    DEFAULT_BOILERPLATE_MIN_SHARE,
    ENGLISH_FUNCTION_WORDS,
    FOREIGN_MIN_PROB,
    MAX_WRAPPED_LINE,
    MIN_REPEATED_SENTENCE_WORDS,
    REASON_MARKUP,
    REASON_PHRASE,
    REASON_RECURRING,
    REASON_REPEATED_PARA,
    REASON_REPEATED_SENT,
    REASON_TITLE_MARKER,
    REASON_UNICODE,
    REASON_WHITESPACE,
    REMOVAL_COLUMNS,
    TITLE_STEPS,
    EditText,
    clean,
    foreign_language,
    restore,
)
from .decoding import (  # noqa: F401  (decode_bytes, parse_date re-exported)
    _BOMS,
    _CONTROL_BYTES,
    _absent,
    _as_str,
    _field_str,
    _utf16_without_bom,
    decode_bytes,
    parse_date,
)
from .errors import InputError
from .lexicon import load_boilerplate
from .workprogress import RecordCounter

__all__ = [
    "ARTICLE_COLUMNS", "REPORT_COLUMNS", "REMOVAL_COLUMNS", "CLEANED_COLUMNS", "REJECTION_REASONS",
    "SUPPORTED_EXTENSIONS", "CLEANING_STEPS", "TITLE_STEPS", "DEFAULT_BOILERPLATE_MIN_DOCS",
    "DEFAULT_BOILERPLATE_MIN_SHARE", "MIN_REPEATED_SENTENCE_WORDS", "MAX_WRAPPED_LINE",
    "FOREIGN_MIN_PROB", "EditText", "load_corpus", "decode_bytes", "parse_date", "load_boilerplate",
    "foreign_language", "clean", "restore", "fingerprint", "summary",
]

# ---------------------------------------------------------------------------
# Table contracts and constants
# ---------------------------------------------------------------------------

#: Columns of the loaded articles table (``record`` is a string: the file name
#: for .txt, the 1-based line number for JSONL, the 1-based data row for CSV/Parquet).
ARTICLE_COLUMNS: tuple[str, ...] = (
    "doc_id", "title", "raw_title", "date", "date_raw", "source", "url", "raw_text", "input", "record",
)
#: Columns of the cleaned articles table.
CLEANED_COLUMNS: tuple[str, ...] = ARTICLE_COLUMNS + ("text",)
#: Columns of the cleaning report (one row per input record; file-level rows have
#: ``record == ""`` when a file yields no records at all).
REPORT_COLUMNS: tuple[str, ...] = ("input", "record", "doc_id", "status", "reason", "note")

#: Every rejection reason of the report.  ``missing required column`` is
#: followed by ``": <column>"`` in the report (e.g. ``"missing required column: text"``).
REJECTION_REASONS: Mapping[str, str] = {
    "empty text": "the body is missing, null or whitespace only",
    "undecodable bytes": "no BOM, not (mostly) UTF-8, and no cp1251, cp1252/latin-1 or detected encoding "
                         "gives plausible text (see decode_bytes)",
    "UTF-16 without BOM": "NUL bytes at every other position: save the file as UTF-8 or UTF-16 with a BOM",
    "not text (binary file)": "NUL bytes (not UTF-16/32 with a BOM), or mostly control bytes",
    "duplicate id": "a record with this doc_id was already loaded (the first occurrence wins)",
    "missing required column": "the record/file has no text field (after column_map)",
    "malformed line": "a JSONL line that is not valid JSON (or whose text is a list/object)",
    "not an object": "a JSONL line that is valid JSON but not an object (list, number, string)",
    "unreadable file": "the file cannot be read or parsed at all (I/O error, broken CSV/Parquet)",
    "no records": "the file is readable but holds no records (file-level row)",
    "invalid text": "a field holds a lone surrogate escape such as \"\\ud800\" (no Unicode text)",
    "text is not a string": "the JSON text field is a number or boolean",
    "unsupported format": "a file in an input folder with another extension (the note says what to do)",
    "dangling symlink": "a symbolic link in an input folder whose target does not exist",
    "symlink loop": "a symbolic link in an input folder that points (indirectly) to itself",
    "symlink outside the input folder": "a symbolic link to a file or folder outside the input folder (not followed)",
    "symlink inside the input folder": "a symbolic link to a file or folder of the input folder (not followed: "
                                       "its target is read directly, so nothing is read twice)",
    "not a regular file": "a FIFO, socket or device in an input folder",
    "field is not text": "a field is a list or struct/object (Parquet list/struct column, JSON array/object); "
                         "the note names the field",
    "wrong field count": "a CSV data row with more or fewer fields than the header (the note names row, line and counts)",
    "unbalanced quote": "a CSV line opening a quoted field never closed; only that line is rejected",
    "bad sidecar": "a .txt file's <name>.json sidecar is not a JSON object of string fields id, title, date, "
                   "source, url (the note says what is wrong)",
}

#: Supported file extensions (lower case) and their loader names; ``.txt``, ``.jsonl``,
#: ``.ndjson`` and ``.csv`` may also be gzip-compressed (``.jsonl.gz`` ...).
SUPPORTED_EXTENSIONS: Mapping[str, str] = {
    ".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
}
#: Formats people try that need converting first (reported as ``unsupported format``).
_CONVERT_FIRST = frozenset({".pdf", ".docx", ".doc", ".odt", ".rtf", ".html", ".htm", ".xlsx", ".xls", ".zip"})


_FIELDS = ("id", "title", "date", "source", "url", "text")

class _Collector:
    """Accumulates articles and report rows in load order; enforces unique doc_ids."""

    def __init__(self, default_source: str | None, bar: RecordCounter | None = None) -> None:
        self.articles: list[dict[str, Any]] = []
        self.report: list[dict[str, str]] = []
        self.seen: set[str] = set()
        self.default_source = default_source
        self.bar = bar

    def reject(self, input_: str, record: str, doc_id: str, reason: str, note: str = "") -> None:
        self.report.append(dict(input=input_, record=record, doc_id=doc_id, status="rejected",
                                reason=reason, note=note))
        if self.bar is not None:
            self.bar.update(1)

    def add(self, input_: str, record: str, derived_id: str, stem: str, fields: Mapping[str, Any],
            notes: list[str]) -> None:
        nested = {k: "an object" if isinstance(v, dict) else "a list" for k, v in fields.items()
                  if isinstance(v, (list, tuple, dict, set, np.ndarray))}
        doc_id = ("" if "id" in nested else _as_str(fields.get("id")).strip()) or derived_id
        if "text" not in fields:
            self.reject(input_, record, doc_id, "missing required column: text", "; ".join(notes))
            return
        text = fields.get("text")
        if isinstance(text, (list, dict)):
            self.reject(input_, record, doc_id, "malformed line", "; ".join(notes + ["text is not a string"]))
            return
        if nested:  # never the Python repr of a list or struct as text
            self.reject(input_, record, doc_id, "field is not text", "; ".join(notes + [
                f"{k} is {t}" for k, t in sorted(nested.items())]))
            return
        raw_text = _as_str(text)
        if not raw_text.strip():
            self.reject(input_, record, doc_id, "empty text", "; ".join(notes))
            return
        if doc_id in self.seen:
            self.reject(input_, record, doc_id, "duplicate id", "; ".join(notes))
            return
        date, date_note = parse_date(fields.get("date"))
        if date_note:
            notes = notes + [date_note]
        raw_title = _field_str(fields.get("title"))  # a whitespace-only title stays as it was (raw)
        source = _as_str(fields.get("source")).strip() or self.default_source or stem
        self.seen.add(doc_id)
        self.articles.append(dict(
            doc_id=doc_id, title=raw_title, raw_title=raw_title, date=date,
            date_raw="" if _absent(fields.get("date")) else str(fields.get("date")),
            source=source, url=_as_str(fields.get("url")), raw_text=raw_text, input=input_, record=record,
        ))
        self.report.append(dict(input=input_, record=record, doc_id=doc_id, status="loaded", reason="",
                                note="; ".join(notes)))
        if self.bar is not None:
            self.bar.update(1)


def _map_fields(obj: Mapping[str, Any], column_map: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in obj.items():
        key = column_map.get(str(k), str(k))
        if key in _FIELDS and (key not in out or k in column_map):
            out[key] = v
    return out


def _enc_note(enc: str) -> list[str]:
    return [] if enc in ("utf-8", "") else [f"encoding {enc}"]


def _kind(path: Path) -> str | None:
    """The loader of *path* by its extension (``x.jsonl.gz`` -> ``jsonl``), or None."""
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        ext = suffixes[-2] if len(suffixes) >= 2 else ""
        kind = SUPPORTED_EXTENSIONS.get(ext)
        return kind if kind != "parquet" else None
    return SUPPORTED_EXTENSIONS.get(suffixes[-1] if suffixes else "")


def _stem(path: Path) -> str:
    """The file name without its format extension(s): ``a.jsonl.gz`` -> ``a``."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).stem


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when the name ends in ``.gz`` (raises OSError/EOFError on bad data)."""
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gzip.decompress(data)
    return data


def _unreadable(exc: BaseException) -> str:
    return "bad gzip data" if isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)) else type(exc).__name__


def _load_txt(path: Path, input_: str, col: _Collector) -> None:
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error) as exc:
        col.reject(input_, path.name, _stem(path), "unreadable file", _unreadable(exc))
        return
    text, enc, reason = decode_bytes(data)
    if text is None:
        col.reject(input_, path.name, _stem(path), reason, "; ".join(_enc_note(enc)))
        return
    first, sep, rest = text.partition("\n")
    if not sep:
        first, sep, rest = text.partition("\r")
    fields: dict[str, Any] = {"title": first.rstrip("\r"), "text": rest}
    notes = _enc_note(enc)
    meta, problem = _txt_sidecar(path)
    if problem:
        col.reject(input_, path.name, _stem(path), "bad sidecar", problem)
        return
    fields.update({k: v for k, v in meta.items() if k in TXT_SIDECAR_FIELDS})
    if meta:
        notes = notes + [f"fields from {path.name[: -len(path.suffix)] if path.suffix else path.name}.json: "
                         + ", ".join(sorted(k for k in meta if k in TXT_SIDECAR_FIELDS))]
    if "date" not in meta:
        m = _TXT_DATE.match(path.name)
        if m:
            fields["date"] = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
            notes = notes + ["date from the file name"]
    # A folder of .txt files is one outlet's dump: its default source is the folder name.
    col.add(input_, path.name, _stem(path), path.parent.name, fields, notes)


#: Fields a ``.txt`` file's sidecar (``<name>.json`` beside ``<name>.txt``) may give.
TXT_SIDECAR_FIELDS: tuple[str, ...] = ("id", "title", "date", "source", "url")
#: A date at the start of a ``.txt`` file name: ``2021-07-14_...``, ``2021-07-14.txt``, ``20210714-...``.
_TXT_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?=[_\-. ]|$)")


def _sidecar_of(path: Path) -> Path:
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return path.with_name(name[: -len(Path(name).suffix)] + ".json")


def _txt_sidecar(path: Path) -> tuple[dict[str, Any], str]:
    """The metadata of a ``.txt`` file from its sidecar ``<name>.json`` (a JSON object with any
    of :data:`TXT_SIDECAR_FIELDS`), or ``({}, "")`` without one; ``({}, problem)`` when the
    sidecar cannot be used (the record is then rejected, never loaded with silently missing
    metadata)."""
    side = _sidecar_of(path)
    if not side.is_file():
        return {}, ""
    try:
        obj = json.loads(side.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"{side.name}: not a readable UTF-8 JSON object ({type(exc).__name__})"
    if not isinstance(obj, dict):
        return {}, f"{side.name}: expected a JSON object"
    unknown = sorted(set(obj) - set(TXT_SIDECAR_FIELDS))
    if unknown:
        return {}, f"{side.name}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(TXT_SIDECAR_FIELDS)})"
    bad = sorted(k for k, v in obj.items() if v is not None and not isinstance(v, str))
    if bad:
        return {}, f"{side.name}: field(s) {', '.join(bad)} must be strings"
    return {k: v for k, v in obj.items() if v is not None}, ""


def _encodable(text: str) -> bool:
    """Whether *text* is valid Unicode text (no lone surrogates, which JSON escapes can produce)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_array(lines: Sequence[tuple[str | None, str, str]]) -> list[Any] | None:
    """The elements when the decoded lines hold one JSON array (a ``.json`` export), else None."""
    first = next((ln for ln, _, _ in lines if ln is None or ln.strip()), None)
    if first is None or not first.lstrip().startswith("[") or any(ln is None for ln, _, _ in lines):
        return None
    try:
        obj = json.loads("\n".join(ln for ln, _, _ in lines if ln is not None))
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, list) else None


def _load_jsonl(path: Path, input_: str, col: _Collector, column_map: Mapping[str, str]) -> None:
    stem = _stem(path)
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error) as exc:
        col.reject(input_, "", "", "unreadable file", _unreadable(exc))
        return
    lines: list[tuple[str | None, str, str]]
    u16 = _utf16_without_bom(data) if b"\x00" in data else ""
    if data.startswith(tuple(bom for bom, _ in _BOMS)) or u16:
        text, enc, reason = decode_bytes(data)
        if text is None:
            col.reject(input_, "", "", reason, "; ".join(_enc_note(enc)))
            return
        lines = [(ln, enc, "") for ln in text.split("\n")]
    elif data and len(data) - len(data.translate(None, _CONTROL_BYTES)) > 0.1 * len(data):
        col.reject(input_, "", "", "not text (binary file)")
        return
    else:
        try:  # a NUL byte or an invalid byte makes only its own line fail
            lines = [(ln, "utf-8", "") for ln in data.decode("utf-8").split("\n")]
        except UnicodeDecodeError:  # decide line by line, so one bad line rejects only itself
            lines = [(raw.decode("utf-8", "replace"), "utf-8", "") if b"\x00" in raw or not raw.strip()
                     else decode_bytes(raw) for raw in data.split(b"\n")]  # NUL: rejected below
    array = _json_array(lines)
    if array is not None:  # one JSON array of objects instead of one object per line
        lines = [(json.dumps(x, ensure_ascii=False), lines[0][1], "") for x in array]
    n_records = 0
    for lineno, (line, enc, reason) in enumerate(lines, start=1):
        record = str(lineno)
        derived = f"{stem}-{lineno}"
        if line is None:
            n_records += 1
            col.reject(input_, record, derived, reason, "; ".join(_enc_note(enc)))
            continue
        if not line.strip():
            continue  # blank lines are not records
        n_records += 1
        if "\x00" in line:
            col.reject(input_, record, derived, "not text (binary file)", "NUL byte in the line")
            continue
        notes = _enc_note(enc) + (["a JSON array, not JSONL: record = element number"] if array is not None else [])
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            col.reject(input_, record, derived, "malformed line", "; ".join(notes + [str(exc).split(":")[0]]))
            continue
        if not isinstance(obj, dict):
            col.reject(input_, record, derived, "not an object", "; ".join(notes + [type(obj).__name__]))
            continue
        fields = _map_fields(obj, column_map)
        bad = [k for k, v in fields.items() if isinstance(v, str) and not _encodable(v)]
        if bad:  # a JSON escape such as "\ud800" (a lone surrogate) is no text
            col.reject(input_, record, derived, "invalid text", "; ".join(notes + [
                f"lone surrogate escape in field(s) {', '.join(sorted(bad))}"]))
            continue
        if isinstance(fields.get("text"), (bool, int, float)) and not _absent(fields.get("text")):
            col.reject(input_, record, _as_str(fields.get("id")).strip() or derived, "text is not a string",
                       "; ".join(notes + [f"JSON {type(fields['text']).__name__} {json.dumps(fields['text'])}"]))
            continue
        col.add(input_, record, derived, stem, fields, notes)
    if n_records == 0:
        col.reject(input_, "", "", "no records")


def _load_records(records: Sequence[tuple[str, Mapping[str, Any] | None, str]], names: Sequence[str], path: Path,
                  input_: str, col: _Collector, column_map: Mapping[str, str], notes: list[str]) -> None:
    """Rows ``(record, fields or None, reason)`` of a table file; ``None`` rejects the row with *reason*."""
    stem = _stem(path)
    if len(records) == 0:
        col.reject(input_, "", "", "no records", "; ".join(notes))
        return
    has_text = "text" in [column_map.get(str(c), str(c)) for c in names]
    for record, obj, reason in records:
        derived = f"{stem}-{record}"
        if obj is None:
            kind, _, detail = reason.partition(": ")
            col.reject(input_, record, derived, kind, "; ".join(notes + [detail]))
            continue
        row_notes = notes + list(obj.get("\x00notes", []))
        fields = _map_fields(obj, column_map)
        if not has_text:
            doc_id = _as_str(fields.get("id")).strip() or derived
            col.reject(input_, record, doc_id, "missing required column: text", "; ".join(row_notes))
            continue
        col.add(input_, record, derived, stem, fields, row_notes)


#: Delimiters recognised in a CSV header line (the most frequent one wins; ``,`` on a tie).
CSV_DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _csv_rows(text: str) -> tuple[str, list[str], list[tuple[str, Mapping[str, Any] | None, str]]]:
    """Split CSV *text* into (delimiter, header, rows) without letting one bad row spoil the others.

    Physical lines are joined into a record while a quoted field is open (an odd number of
    ``"`` so far, RFC 4180 doubling kept); a line that opens a quote never closed before the
    end of the file is rejected alone (``unbalanced quote``) and reading resumes on the next
    line.  Every data row must have exactly as many fields as the header, else it is rejected
    (``wrong field count``: more fields would shift columns, fewer would leave them to guess).
    Blank lines are skipped.  Data rows are numbered from 1 (``record``).
    """
    lines = _PHYSICAL_LINE.findall(text)
    chunks: list[tuple[int, str, bool]] = []  # (first line number, text, balanced)
    i = 0
    while i < len(lines):
        j, quotes = i, 0
        while j < len(lines):
            quotes += lines[j].count('"')
            j += 1
            if quotes % 2 == 0:
                break
        if quotes % 2:
            chunks.append((i + 1, lines[i], False))
            i += 1
            continue
        chunks.append((i + 1, "".join(lines[i:j]), True))
        i = j
    chunks = [c for c in chunks if c[1].strip("\r\n")]
    if not chunks:
        return ",", [], []
    head = chunks[0][1]
    outside = re.sub(r'"[^"]*"', "", head)
    delim = max(CSV_DELIMITERS, key=lambda d: (outside.count(d), d == ","))
    if not outside.count(delim):
        delim = ","

    def parse(chunk: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(chunk, newline=""), delimiter=delim, strict=False))

    header_rows = parse(head) if chunks[0][2] else [[head.rstrip("\r\n")]]
    header = header_rows[0] if header_rows else []
    rows: list[tuple[str, Mapping[str, Any] | None, str]] = []
    for n, (line, chunk, balanced) in enumerate(chunks[1:], start=1):
        where = f"line {line}"
        if not balanced:
            rows.append((str(n), None, f"unbalanced quote: {where} opens a quoted field that is never closed"))
            continue
        parsed = parse(chunk)
        fields = parsed[0] if len(parsed) == 1 else [f for r in parsed for f in r]
        if len(fields) != len(header):
            rows.append((str(n), None, f"wrong field count: data row {n} ({where}) has {len(fields)} fields, "
                                       f"the header {len(header)}"))
            continue
        obj: dict[str, str] = {}
        for k, v in zip(header, fields):
            obj.setdefault(k, v)  # a repeated header name: the first column wins
        rows.append((str(n), obj, ""))
    return delim, header, rows


def _load_csv(path: Path, input_: str, col: _Collector, column_map: Mapping[str, str]) -> None:
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error) as exc:
        col.reject(input_, "", "", "unreadable file", _unreadable(exc))
        return
    text, enc, reason = decode_bytes(data)
    if text is None:
        col.reject(input_, "", "", reason, "; ".join(_enc_note(enc)))
        return
    if not text.strip():
        col.reject(input_, "", "", "no records", "; ".join(_enc_note(enc)))
        return
    delim, header, rows = _csv_rows(text)
    notes = _enc_note(enc) + ([f"delimiter {delim!r}"] if delim != "," else [])
    _load_records(rows, header, path, input_, col, column_map, notes)


def _load_parquet(path: Path, input_: str, col: _Collector, column_map: Mapping[str, str]) -> None:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for broken files
        col.reject(input_, "", "", "unreadable file", type(exc).__name__)
        return
    records = [_decoded_row(str(n), obj) for n, obj in enumerate(frame.to_dict(orient="records"), start=1)]
    _load_records(records, list(frame.columns), path, input_, col, column_map, [])


def _decoded_row(record: str, obj: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None, str]:
    """A Parquet row with its binary cells decoded by :func:`decode_bytes` (the encoding noted per
    field), or None and the reason when a cell cannot be decoded."""
    out: dict[str, Any] = {}
    notes = []
    for k, v in obj.items():
        if isinstance(v, (bytes, bytearray, memoryview)):
            text, enc, reason = decode_bytes(bytes(v))
            if text is None:
                return record, None, f"{reason}: binary column {k}" + (f" ({enc})" if enc else "")
            if enc != "utf-8":
                notes.append(f"binary column {k}: encoding {enc}")
            v = text
        out[k] = v
    if notes:
        out["\x00notes"] = notes
    return record, out, ""


def _walk(folder: Path, root: Path, out: list[tuple[Path, tuple[str, str] | None]]) -> None:
    """Entries of *folder* (recursively, in name order) as ``(path, None)`` for a file to load or
    ``(path, (reason, note))`` for an entry reported instead; symbolic links are never followed
    (one into the folder would read its target twice, one out of it reads what was not given)."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        out.append((folder, ("unreadable file", f"folder cannot be listed ({type(exc).__name__})")))
        return
    for e in entries:
        if e.is_symlink():
            try:
                target = e.resolve(strict=True)
            except FileNotFoundError:
                out.append((e, ("dangling symlink", "")))
                continue
            except (RuntimeError, OSError):  # ELOOP
                out.append((e, ("symlink loop", "")))
                continue
            if target != root and root not in target.parents:
                out.append((e, ("symlink outside the input folder", "not followed")))
                continue
            out.append((e, ("symlink inside the input folder", "not followed: its target is read directly")))
            continue
        if e.is_dir():
            _walk(e, root, out)
        elif not e.is_file():
            out.append((e, ("not a regular file", "")))
        elif e.suffix.lower() == ".json" and any(
                e.with_name(e.name[:-5] + ext).is_file() for ext in (".txt", ".txt.gz", ".TXT")):
            continue  # the sidecar of a .txt file, read with it
        elif _kind(e) is None:
            ext = "".join(e.suffixes[-2:]).lower() if e.name.lower().endswith(".gz") else e.suffix.lower()
            hint = "convert to text first" if ext in _CONVERT_FIRST else \
                "use .txt, .jsonl, .ndjson, .csv (optionally .gz) or .parquet"
            out.append((e, ("unsupported format", f"unsupported format {ext or '(none)'}: {hint}")))
        else:
            out.append((e, None))


def _expand(arg: Path) -> list[tuple[Path, str, tuple[str, str] | None]]:
    """``(file, input name, problem)`` for an argument (a file or a folder)."""
    if not arg.exists():
        raise InputError(f"input not found: {arg}")
    if arg.is_dir():
        root = arg.resolve()
        found: list[tuple[Path, tuple[str, str] | None]] = []
        _walk(arg, root, found)
        if not found:
            raise InputError(f"no .txt/.jsonl/.csv/.parquet files in folder: {arg}")
        return [(p, (Path(root.name) / p.relative_to(arg)).as_posix(), problem) for p, problem in found]
    if _kind(arg) is None:
        raise InputError(f"unsupported file type {''.join(arg.suffixes[-2:]) or '(none)'!r} "
                         f"(use .txt, .jsonl, .ndjson, .csv, optionally .gz, or .parquet): {arg}")
    return [(arg, config.relpath(arg, arg.resolve().parent), None)]


def load_corpus(
    paths: str | Path | Sequence[str | Path],
    *,
    column_map: Mapping[str, str] | None = None,
    source: str | None = None,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Loader: read articles from .txt folders, JSONL, CSV and Parquet files.

    Parameters
    ----------
    paths
        A file, a folder (recursively, entries in name order; every other entry -- another
        format, a dangling symlink, a symlink loop, a symlink leading out of the folder or
        inside it -- is a rejected report row with its reason, never skipped silently)
        or a sequence of these (in the given order).  ``.txt``, ``.jsonl``, ``.ndjson``
        and ``.csv`` files may be gzip-compressed (``.jsonl.gz``).
    column_map
        Maps the input's field names to ours (``id, title, date, source, url,
        text``), e.g. ``{"headline": "title", "body": "text"}``.  A mapped field
        wins over an unmapped field of the same name.  The field mapped to ``id``
        (``doc_id`` is accepted as a synonym) becomes the ``doc_id``; without one,
        ``doc_id`` is derived from the file (see below).
    source
        The ``source`` of records that have none (default: the file stem for
        JSONL/CSV/Parquet, the folder name for .txt files).
    progress
        A bar on stderr counting the records read, loaded or rejected (True/False; None:
        :func:`analysis.progress.progress_enabled` decides, e.g. off with
        ``PROTOCOL_NEWS_PROGRESS=0``).

    Returns
    -------
    articles : pandas.DataFrame
        Columns :data:`ARTICLE_COLUMNS`.  ``doc_id`` is the record's ``id``
        where present, else the file stem (.txt) or ``<stem>-<line/row>``;
        ``title`` equals ``raw_title`` until :func:`clean`; ``date`` is a
        tz-aware UTC timestamp or NaT (naive times are taken as UTC, see
        :func:`parse_date`); ``date_raw`` the original value; ``url`` defaults
        to ``""``; ``input`` is the file path relative to the parent of the
        argument it came from (never absolute); ``record`` the file name
        (.txt) or the 1-based line (JSONL) / data row (CSV, Parquet), as str.
    report : pandas.DataFrame
        Columns :data:`REPORT_COLUMNS`: every input record exactly once, with
        ``status`` ``loaded``/``rejected``, ``reason`` (``""`` or one of
        :data:`REJECTION_REASONS`) and ``note`` (detected non-UTF-8 encoding,
        unparseable date, parser message; ``"; "``-separated).

    Raises
    ------
    InputError
        A path does not exist, a file argument has an unsupported extension, or a
        folder is empty.
    """
    if isinstance(paths, (str, Path)):
        args = [Path(paths)]
    else:
        args = [Path(p) for p in paths]
        if not args:
            raise InputError("no input paths given")
    # "doc_id" is what the tables call the id field: accepted as a target for "id"
    cmap = {k: ("id" if v == "doc_id" else v) for k, v in (column_map or {}).items()}
    for k, v in cmap.items():
        if v not in _FIELDS:
            raise InputError(f"column_map target {v!r} for {k!r} is not one of {', '.join(_FIELDS)}")
    plan = [item for arg in args for item in _expand(arg)]
    bar = RecordCounter(desc="loading", unit="records", enabled=progress)
    col = _Collector(source, bar)
    try:
        for f, input_, problem in plan:
            if problem is not None:
                col.reject(input_, "", "", problem[0], problem[1])
                continue
            kind = _kind(f)
            if kind == "txt":
                _load_txt(f, input_, col)
            elif kind == "jsonl":
                _load_jsonl(f, input_, col, cmap)
            elif kind == "csv":
                _load_csv(f, input_, col, cmap)
            else:
                _load_parquet(f, input_, col, cmap)
    finally:
        bar.close()
    articles = pd.DataFrame(col.articles, columns=list(ARTICLE_COLUMNS))
    articles["date"] = pd.to_datetime(articles["date"], utc=True) if len(articles) else pd.Series(
        [], dtype="datetime64[ns, UTC]")
    for c in ARTICLE_COLUMNS:
        if c != "date":
            articles[c] = articles[c].astype(object)
    report = pd.DataFrame(col.report, columns=list(REPORT_COLUMNS)).astype(object)
    return articles, report


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def fingerprint(articles: pd.DataFrame) -> str:
    """A short content hash of a corpus: sha256 over ``doc_id``, ``raw_title`` and
    ``raw_text`` of every record in ``doc_id`` order (fields separated by U+001F,
    records by U+001E); the first 16 hex characters.
    """
    h = hashlib.sha256()
    tcol = "raw_title" if "raw_title" in articles.columns else "title"
    recs = sorted(zip(articles["doc_id"].astype(str), articles[tcol].map(_field_str),
                      articles["raw_text"].map(_field_str)))
    for doc_id, title, text in recs:
        h.update(f"{doc_id}\x1f{title}\x1f{text}\x1e".encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()[:16]


def summary(report: pd.DataFrame, removals: pd.DataFrame) -> pd.DataFrame:
    """Counts for the notebook: records per status/reason and edits per field/reason.

    Returns
    -------
    pandas.DataFrame
        Columns ``table`` (``report``/``removals``), ``status`` (report status,
        or the removal ``field``), ``reason``, ``count`` (rows), ``chars``
        (raw characters affected; 0 for report rows), ``docs`` (distinct
        doc_ids); sorted by table, status, reason.
    """
    parts = []
    if len(report):
        r = (report.assign(reason=report["reason"].fillna(""))
             .groupby(["status", "reason"], sort=True)
             .agg(count=("input", "size"), docs=("doc_id", lambda s: s[s != ""].nunique()))
             .reset_index())
        r.insert(0, "table", "report")
        r["chars"] = 0
        parts.append(r)
    if len(removals):
        m = (removals.assign(chars=removals["end"] - removals["start"])
             .groupby(["field", "reason"], sort=True)
             .agg(count=("doc_id", "size"), chars=("chars", "sum"), docs=("doc_id", "nunique"))
             .reset_index().rename(columns={"field": "status"}))
        m.insert(0, "table", "removals")
        parts.append(m)
    cols = ["table", "status", "reason", "count", "chars", "docs"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"count": "int64", "chars": "int64", "docs": "int64"}).sort_values(
        ["table", "status", "reason"], kind="mergesort").reset_index(drop=True)
