"""The protocol lexicon: pattern syntax, compilation, loading and validation.

Lexicon
-------
The default lexicon is ``analysis/data/protocol_lexicon.yml`` (versioned, with
source, licence and citation).  Each entry has an ``id``, a ``category`` (one of
:data:`CATEGORIES`), a list of ``patterns``, an ordinal ``warmth`` in -2..+2 and an
optional ``note``.  :func:`load_lexicon` reads it, or a replacement file, and can
``extend`` it with further files; an invalid file raises
:class:`analysis.errors.DataFileError` naming the file, the entry id and the problem.

Pattern syntax
--------------
The syntax of :mod:`analysis.patterns`, every feature allowed: literal tokens, ``(a|b)``
alternation, ``?`` optional parts, ``tok*`` prefixes, ``*`` alone (any word) and ``@CAP``
(a capitalised word).

Example: ``"express* (his|her|their)? (deep|sincere|heartfelt)? gratitude"``.
Patterns are compiled to token sequences (alternations and optional parts are
expanded) and matched by one :class:`analysis.patterns.Matcher` (longest first; among
equally long matches the first-listed entry wins).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.lexicon import PROVENANCE_KEYS, datafile_error, load_yaml_datafile
from analysis.patterns import Matcher, compile_pattern
from analysis.patterns import PatternError as _PatternError

__all__ = [
    "CATEGORIES",
    "Entry",
    "Lexicon",
    "Match",
    "compile_pattern",
    "load_lexicon",
]


#: The lexicon categories, in reporting order.
CATEGORIES: tuple[str, ...] = (
    "reception_meeting",
    "greeting_congratulation",
    "condolence",
    "gratitude",
    "satisfaction_appreciation",
    "relationship_formula",
    "procedure_prospects",
    "agreement_signing",
    "honorific",
    "coolness_disagreement",
)

WARMTH_RANGE: tuple[int, int] = (-2, 2)
_ENTRY_KEYS = {"id", "category", "patterns", "warmth", "note"}


@dataclass(frozen=True)
class Entry:
    """One lexicon entry."""

    id: str
    category: str
    patterns: tuple[str, ...]
    warmth: int
    note: str = ""


class Match(NamedTuple):
    """A match in a single string (:func:`match_text`); offsets are characters in that string."""

    start: int
    end: int
    category: str
    pattern: str
    matched: str
    warmth: int
    negated: bool
    n_tokens: int


@dataclass
class Lexicon:
    """A validated protocol lexicon with its compiled pattern trie.

    Attributes
    ----------
    entries
        Entries in file order (extensions appended).
    meta
        Provenance of each file: dicts with ``file, version, source, licence, citation``.
    """

    entries: tuple[Entry, ...]
    meta: tuple[dict[str, str], ...] = ()
    _matcher: Matcher = field(default_factory=Matcher, repr=False)

    def __post_init__(self) -> None:
        for order, entry in enumerate(self.entries):
            for pat in entry.patterns:
                for atoms in compile_pattern(pat):
                    self._matcher.add(atoms, priority=order, payload=entry)

    def match_tokens(self, norms: Sequence[str], toks: Sequence[str]) -> list[tuple[int, int, Entry]]:
        """Longest-first, non-overlapping matches ``(token index, length, entry)`` over the
        normalised tokens *norms* of the tokens *toks* (as written)."""
        return self._matcher.match(norms, toks)

    def to_frame(self) -> pd.DataFrame:
        """The entries as a table: ``id, category, warmth, n_patterns, patterns, note``."""
        rows = [
            (e.id, e.category, e.warmth, len(e.patterns), " ; ".join(e.patterns), e.note)
            for e in self.entries
        ]
        return pd.DataFrame(rows, columns=["id", "category", "warmth", "n_patterns", "patterns", "note"])


def _validate_entries(path: Path, data: dict[str, Any], seen: set[str]) -> list[Entry]:
    raw = data.get("entries")
    if not isinstance(raw, list) or not raw:
        raise datafile_error(path, "key 'entries'", "must be a non-empty list of entries")
    out: list[Entry] = []
    for k, item in enumerate(raw):
        where = f"entry #{k + 1}"
        if not isinstance(item, dict):
            raise datafile_error(path, where, "must be a mapping with id, category, patterns, warmth")
        eid = item.get("id")
        if not isinstance(eid, str) or not eid.strip():
            raise datafile_error(path, where, "missing or empty 'id'")
        where = f"entry '{eid}'"
        unknown = sorted(set(item) - _ENTRY_KEYS)
        if unknown:
            raise datafile_error(path, where, f"unknown key(s) {', '.join(map(repr, unknown))}")
        if eid in seen:
            raise datafile_error(path, where, "duplicate id")
        cat = item.get("category")
        if cat not in CATEGORIES:
            raise datafile_error(
                path, where, f"bad category {cat!r} (expected one of: {', '.join(CATEGORIES)})"
            )
        warmth = item.get("warmth")
        if isinstance(warmth, bool) or not isinstance(warmth, int):
            raise datafile_error(path, where, f"warmth must be an integer, got {warmth!r}")
        if not WARMTH_RANGE[0] <= warmth <= WARMTH_RANGE[1]:
            raise datafile_error(path, where, f"warmth {warmth} outside {WARMTH_RANGE[0]}..{WARMTH_RANGE[1]}")
        pats = item.get("patterns")
        if isinstance(pats, str):
            pats = [pats]
        if not isinstance(pats, list) or not pats:
            raise datafile_error(path, where, "'patterns' must be a non-empty list of strings")
        for p in pats:
            if not isinstance(p, str):
                raise datafile_error(path, where, f"pattern {p!r} is not a string")
            try:
                compile_pattern(p)
            except _PatternError as exc:
                raise datafile_error(path, where, f"pattern {p!r}: {exc}") from None
        note = item.get("note", "")
        if note is None:
            note = ""
        if not isinstance(note, str):
            raise datafile_error(path, where, "'note' must be a string")
        seen.add(eid)
        out.append(Entry(eid, cat, tuple(pats), int(warmth), note))
    return out


def _read_lexicon_file(path: Path, seen: set[str]) -> tuple[list[Entry], dict[str, str]]:
    data = load_yaml_datafile(path, required_keys=(*PROVENANCE_KEYS, "entries"))
    entries = _validate_entries(path, data, seen)
    meta = {"file": config.relpath(path)}
    meta.update({k: str(data[k]).strip() for k in PROVENANCE_KEYS})
    return entries, meta


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return load_lexicon(config.package_data("protocol_lexicon.yml"))


def load_lexicon(
    path: str | os.PathLike[str] | None = None,
    *,
    extend: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> Lexicon:
    """Loader: the protocol lexicon, validated and compiled.

    Parameters
    ----------
    path
        A lexicon file that *replaces* the default
        (default: ``analysis/data/protocol_lexicon.yml``).
    extend
        One or more files whose entries are *added* (after the base entries, so the
        base wins ties between equally long matches).  Ids must stay unique.

    Returns
    -------
    Lexicon

    Raises
    ------
    analysis.errors.DataFileError
        Missing provenance keys, bad category, unbalanced parenthesis, empty pattern,
        warmth not an integer in -2..2, duplicate id, unknown entry key; the message
        names the file and the entry id.
    """
    base = Path(path) if path is not None else config.package_data("protocol_lexicon.yml")
    seen: set[str] = set()
    entries, meta = _read_lexicon_file(base, seen)
    metas = [meta]
    if extend is not None:
        files = [extend] if isinstance(extend, (str, os.PathLike)) else list(extend)
        for f in files:
            e2, m2 = _read_lexicon_file(Path(f), seen)
            entries.extend(e2)
            metas.append(m2)
    return Lexicon(tuple(entries), tuple(metas))


def _resolve(lexicon: Lexicon | str | os.PathLike[str] | None) -> Lexicon:
    if lexicon is None:
        return _default_lexicon()
    if isinstance(lexicon, Lexicon):
        return lexicon
    return load_lexicon(lexicon)


def _pattern_lexicon(pattern: str) -> Lexicon:
    try:
        compile_pattern(pattern)
    except _PatternError as exc:
        raise InputError(f"pattern {pattern!r}: {exc}") from None
    return Lexicon((Entry(pattern, "", (pattern,), 0, "ad-hoc KWIC pattern"),))
