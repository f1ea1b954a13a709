"""Loading and validating the versioned YAML data files shipped in ``analysis/data``.

Every data file (protocol lexicon, gazetteer, alias table, ...) is a YAML mapping
with at least the provenance fields ``version``, ``source``, ``licence`` and
``citation``.  :func:`load_yaml_datafile` reads such a file, checks that it is a
mapping with the required keys and raises :class:`analysis.errors.DataFileError`
with a one-line message naming the file, the entry (or line) and the problem.

Modules that interpret the *content* of a data file (e.g. :mod:`analysis.protocol`)
validate their own entries and use :func:`datafile_error` so that all messages
have the same shape: ``"<file>: <where>: <problem>"``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .config import package_data, relpath
from .errors import DataFileError
from .segment import norm_token

__all__ = ["PROVENANCE_KEYS", "load_yaml_datafile", "datafile_error", "display_name", "load_stopwords",
           "read_csv_datafile"]

#: Keys every data file must carry (CONTRIBUTING.md: "Data files").
PROVENANCE_KEYS: tuple[str, ...] = ("version", "source", "licence", "citation")


def display_name(path: str | os.PathLike[str]) -> str:
    """The file name as shown in messages: relative to the project root, else the base name."""
    return relpath(path)


def datafile_error(path: str | os.PathLike[str], where: str, problem: str) -> DataFileError:
    """A :class:`DataFileError` with the standard one-line message ``"file: where: problem"``.

    Parameters
    ----------
    path
        The data file.
    where
        The entry or line concerned, e.g. ``"entry 'gratitude.thanked'"`` or ``"line 12"``;
        may be ``""`` for a problem with the whole file.
    problem
        What is wrong, in a few words.
    """
    name = display_name(path)
    msg = f"{name}: {where}: {problem}" if where else f"{name}: {problem}"
    return DataFileError(" ".join(msg.split()))


def load_yaml_datafile(
    path: str | os.PathLike[str],
    *,
    required_keys: Iterable[str] = PROVENANCE_KEYS,
) -> dict[str, Any]:
    """Loader: a validated YAML data file as a dict.

    Parameters
    ----------
    path
        The YAML file.
    required_keys
        Top-level keys that must be present and non-empty (default: the provenance
        keys ``version, source, licence, citation``).  Pass the provenance keys plus
        whatever your file format needs, e.g. ``(*PROVENANCE_KEYS, "entries")``.

    Returns
    -------
    dict
        The parsed top-level mapping (a fresh object on every call).

    Raises
    ------
    analysis.errors.DataFileError
        The file is missing or unreadable, is not valid YAML (the message gives the
        line), is not a mapping, or lacks a required key.
    """
    p = Path(path)
    if not p.is_file():
        raise datafile_error(p, "", "file not found")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise datafile_error(p, "", f"cannot read file ({type(exc).__name__})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise datafile_error(p, where, f"invalid YAML ({problem})") from exc
    if not isinstance(data, dict):
        raise datafile_error(p, "", "top level must be a mapping of keys to values")
    for key in required_keys:
        if key not in data:
            raise datafile_error(p, "", f"missing required key '{key}'")
        value = data[key]
        if value is None or (isinstance(value, (str, list, dict)) and len(value) == 0):
            raise datafile_error(p, f"key '{key}'", "is empty")
    return data


def load_stopwords(path: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """Load a stopword list (one word per line, ``#`` comment lines).

    Parameters
    ----------
    path
        A text file; default: the bundled ``analysis/data/stopwords.txt`` (a documented
        list of English closed-class function words, see its header for version, source,
        licence and citation).  The header must contain ``version``, ``source``,
        ``licence`` and ``citation`` lines (``# key: value``).

    Returns
    -------
    frozenset of str
        Words in :func:`analysis.segment.norm_token` form.

    Raises
    ------
    DataFileError
        Missing file or header field, or an entry with whitespace inside (names file and line).
    """
    p = Path(path) if path is not None else package_data("stopwords.txt")
    shown = relpath(p)
    if not p.is_file():
        raise DataFileError(f"{shown}: stopword file not found")
    header: set[str] = set()
    words: set[str] = set()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{shown}: not UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    for lineno, line in enumerate(lines, start=1):
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            key = s.lstrip("#").strip().split(":", 1)
            if len(key) == 2:
                header.add(key[0].strip().lower())
            continue
        if any(ch.isspace() for ch in s):
            raise DataFileError(f"{shown}, line {lineno}: entry {s!r} contains whitespace (one word per line)")
        words.add(norm_token(s))
    missing = [k for k in ("version", "source", "licence", "citation") if k not in header]
    if missing:
        raise DataFileError(f"{shown}: header lacks required field(s) {', '.join(missing)} ('# key: value' lines)")
    if not words:
        raise DataFileError(f"{shown}: no stopwords in file")
    return frozenset(words)


_META_LINE_RE = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.+)$")


def read_csv_datafile(
    path: str | os.PathLike[str],
    columns: Sequence[str],
) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """Read a CSV data file: ``# key: value`` provenance lines, a header equal to *columns*, rows.

    Comment lines (``#``) and blank lines are skipped; the provenance keys
    (:data:`PROVENANCE_KEYS`) must come before the header.  Fields are stripped.

    Returns
    -------
    tuple
        ``(provenance, [(line number, {column: value}), ...])``.

    Raises
    ------
    analysis.errors.DataFileError
        ``"<file>:<line>: <problem>"``: unreadable file, a header other than *columns*, a
        missing provenance key, or a row with the wrong number of fields.
    """
    name = display_name(path)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except FileNotFoundError:
        raise DataFileError(f"{name}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{name}: cannot read ({exc.__class__.__name__})") from None
    meta: dict[str, str] = {}
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            m = _META_LINE_RE.match(line.strip())
            if m and header is None and m.group(1) in PROVENANCE_KEYS:
                meta[m.group(1)] = m.group(2)
            continue
        fields = next(csv.reader([line]))
        if header is None:
            header = [f.strip().lower() for f in fields]
            if tuple(header) != tuple(columns):
                raise DataFileError(f"{name}:{lineno}: header must be {','.join(columns)}")
            missing = [k for k in PROVENANCE_KEYS if k not in meta]
            if missing:
                raise DataFileError(f"{name}:{lineno}: missing '# {missing[0]}: ...' line before the header")
            continue
        if len(fields) != len(header):
            raise DataFileError(f"{name}:{lineno}: {len(fields)} fields, expected {len(header)}")
        rows.append((lineno, dict(zip(header, (f.strip() for f in fields)))))
    if header is None:
        raise DataFileError(f"{name}: no header line ({','.join(columns)})")
    return meta, rows


def load_boilerplate(path: str | Path | None = None) -> dict[str, Any]:
    """Load and validate the boilerplate patterns (default: ``analysis/data/boilerplate.yml``).

    Returns
    -------
    dict
        ``version, source, licence, citation`` (str), ``title_markers``
        (tuple of str), ``phrases`` (tuple of compiled, case-insensitive
        patterns matched against whole paragraphs), ``languages`` (tuple of
        ISO 639-1 codes, always including ``"en"``).

    Raises
    ------
    DataFileError
        Naming the file, the entry and the problem.
    """
    p = Path(path) if path is not None else package_data("boilerplate.yml")
    name = relpath(p)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"{name}: cannot read ({type(exc).__name__})") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" line {line + 1}" if line is not None else ""
        raise DataFileError(f"{name}:{where} invalid YAML") from None
    if not isinstance(doc, dict):
        raise DataFileError(f"{name}: top level must be a mapping")
    for key in ("version", "source", "licence", "citation"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise DataFileError(f"{name}: field '{key}' missing or not a non-empty string")
    markers = doc.get("title_markers", [])
    if not isinstance(markers, list):
        raise DataFileError(f"{name}: 'title_markers' must be a list")
    for i, m in enumerate(markers):
        if not isinstance(m, str) or not re.fullmatch(r"[A-Z][A-Z0-9]*", m):
            raise DataFileError(f"{name}: title_markers entry {i} ({m!r}): must be an upper-case word")
    phrases = doc.get("phrases", [])
    if not isinstance(phrases, list):
        raise DataFileError(f"{name}: 'phrases' must be a list")
    compiled = []
    for i, ph in enumerate(phrases):
        if not isinstance(ph, dict) or not isinstance(ph.get("pattern"), str) or not ph["pattern"].strip():
            raise DataFileError(f"{name}: phrases entry {i}: needs a non-empty 'pattern'")
        if not isinstance(ph.get("description"), str):
            raise DataFileError(f"{name}: phrases entry {i} ({ph['pattern']!r}): needs a 'description'")
        try:
            compiled.append(re.compile(ph["pattern"], re.IGNORECASE))
        except re.error as exc:
            raise DataFileError(f"{name}: phrases entry {i} ({ph['pattern']!r}): bad regex ({exc})") from None
    langs = doc.get("languages", ["en"])
    if not isinstance(langs, list) or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x) for x in langs):
        raise DataFileError(f"{name}: 'languages' must be a list of ISO 639-1 codes")
    if "en" not in langs:
        raise DataFileError(f"{name}: 'languages' must include 'en'")
    return dict(version=doc["version"], source=doc["source"], licence=doc["licence"], citation=doc["citation"],
                title_markers=tuple(markers), phrases=tuple(compiled), languages=tuple(langs))
