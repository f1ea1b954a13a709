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


def _kind(kind: str) -> str:
    return f" ({kind})" if kind else ""


def _blank(value: Any) -> bool:
    """None, a blank string or an empty list/mapping."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, dict)) and not value)


def load_yaml_datafile(
    path: str | os.PathLike[str],
    *,
    required_keys: Iterable[str] = PROVENANCE_KEYS,
    kind: str = "",
) -> dict[str, Any]:
    """Loader: a validated YAML data file as a dict.

    Parameters
    ----------
    path
        The YAML file.
    required_keys
        Top-level keys that must be present and non-empty (default: the provenance
        keys ``version, source, licence, citation``).  Pass the provenance keys plus
        whatever your file format needs, e.g. ``(*PROVENANCE_KEYS, "entries")``.  A value
        that is None, an empty list or mapping, or a blank string counts as missing.
    kind
        What the file is, for the messages about the whole file (``"tone lexicon"`` gives
        ``"<file>: file not found (tone lexicon)"``; default: nothing added).

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
        raise datafile_error(p, "", "file not found" + _kind(kind))
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
        raise datafile_error(p, "", "top level must be a mapping of keys to values" + _kind(kind))
    for key in required_keys:
        if key not in data:
            raise datafile_error(p, "", f"missing required key '{key}'")
        value = data[key]
        if _blank(value):
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


_META_LINE_RE = re.compile(r"^#\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")


def read_csv_datafile(
    path: str | os.PathLike[str],
    columns: Sequence[str],
    *,
    required: Sequence[str] | None = None,
    require_meta: bool = True,
    kind: str = "",
) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """Read a CSV data file: ``# key: value`` provenance lines, a header, rows.

    Comment lines (``#``) and blank lines are skipped; the provenance keys
    (:data:`PROVENANCE_KEYS`, ``# key: value`` lines with a non-blank value, key in any case)
    must come before the header.  Fields are stripped.

    Parameters
    ----------
    path
        The CSV file (UTF-8, a byte-order mark is ignored).
    columns
        The file's columns.  With *required* None the header must be exactly these, in this
        order.
    required
        Columns the header must contain (the header may then hold any subset of *columns*
        in any order; absent ones are ``""`` in every row).  None: the header is *columns*.
    require_meta
        Whether the provenance lines are required (default True; a user's own additions
        may go without).
    kind
        What the file is, for the messages about the whole file (``"gazetteer"`` gives
        ``"<file>: file not found (gazetteer)"``; default: nothing added).

    Returns
    -------
    tuple
        ``(provenance, [(line number, {column: value}), ...])``; every row has every
        column of *columns*.

    Raises
    ------
    analysis.errors.DataFileError
        ``"<file>:<line>: <problem>"``: unreadable file, a header other than *columns* (or
        lacking a *required* column, or with an unknown one), a missing provenance key, or a
        row with the wrong number of fields.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("# version: 1\\n# source: s\\n# licence: l\\n# citation: c\\nword,note\\nhello,greeting\\n")
    >>> read_csv_datafile(p, ("word", "note"))[1]
    [(6, {'word': 'hello', 'note': 'greeting'})]
    """
    name = display_name(path)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except FileNotFoundError:
        raise DataFileError(f"{name}: file not found{_kind(kind)}") from None
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
            if m and header is None and m.group(1).lower() in PROVENANCE_KEYS and m.group(2):
                meta[m.group(1).lower()] = m.group(2)
            continue
        fields = next(csv.reader([line]))
        if header is None:
            header = [f.strip().lower() for f in fields]
            if required is None:
                if tuple(header) != tuple(columns):
                    raise DataFileError(f"{name}:{lineno}: header must be {','.join(columns)}")
            else:
                missing = [c for c in required if c not in header]
                if missing:
                    raise DataFileError(f"{name}:{lineno}: header lacks column(s) {', '.join(missing)} "
                                        f"(expected {', '.join(columns)})")
                unknown = [c for c in header if c not in columns]
                if unknown:
                    raise DataFileError(f"{name}:{lineno}: unknown column(s) {', '.join(unknown)}")
            missing = [k for k in PROVENANCE_KEYS if k not in meta]
            if missing and require_meta:
                raise DataFileError(
                    f"{name}:{lineno}: missing '# {missing[0]}: ...' metadata line before the header"
                    + (f" (also {', '.join(missing[1:])})" if len(missing) > 1 else "")
                )
            continue
        if len(fields) != len(header):
            raise DataFileError(f"{name}:{lineno}: {len(fields)} fields, expected {len(header)} ({', '.join(header)})")
        row = dict.fromkeys(columns, "")
        row.update(zip(header, (f.strip() for f in fields)))
        rows.append((lineno, row))
    if header is None:
        raise DataFileError(f"{name}: no header line ({','.join(columns)}){_kind(kind)}")
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
    doc = load_yaml_datafile(p, kind="boilerplate patterns")
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
    return dict(**{k: str(doc[k]) for k in PROVENANCE_KEYS},
                title_markers=tuple(markers), phrases=tuple(compiled), languages=tuple(langs))
