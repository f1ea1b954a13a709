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
* space-separated tokens, compared case-insensitively after
  :func:`analysis.segment.norm_token`; a literal is split with the project tokenizer
  (``"leaders'"`` is the two tokens ``leaders`` ``'``);
* ``(a|b|c)`` alternation (alternatives may be token sequences and contain groups);
* ``?`` after a token or group makes it optional;
* ``tok*`` matches any token starting with ``tok`` (inflection; or spell the
  inflected forms out as alternatives);
* ``*`` alone matches any single word token, ``@CAP`` any token whose original
  spelling starts with an upper-case letter (a name or title); neither may start a
  pattern.

Example: ``"express* (his|her|their)? (deep|sincere|heartfelt)? gratitude"``.
Patterns are compiled to token sequences (alternations and optional parts are
expanded) and indexed by their first token.
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
from analysis.segment import norm_token, tokenize

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
_MAX_EXPANSIONS = 20000
_ENTRY_KEYS = {"id", "category", "patterns", "warmth", "note"}


_ANY = ("any",)
_CAP = ("cap",)


class _PatternError(ValueError):
    """A pattern that cannot be compiled (message: the problem)."""


def _lex_pattern(pattern: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    for ch in pattern:
        if ch in "()|?" or ch.isspace():
            if buf:
                out.append("".join(buf))
                buf = []
            if not ch.isspace():
                out.append(ch)
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


def _atoms_of_word(word: str) -> list[Any]:
    if word == "*":
        return [_ANY]
    if word == "@CAP":
        return [_CAP]
    if word.endswith("*"):
        stem = norm_token(word[:-1])
        if "*" in stem:
            raise _PatternError(f"'*' only allowed at the end of a token: '{word}'")
        return [("pre", stem)]
    if "*" in word:
        raise _PatternError(f"'*' only allowed at the end of a token: '{word}'")
    toks = [norm_token(t) for _, _, t in tokenize(word)]
    if not toks:
        raise _PatternError(f"token '{word}' has no characters to match")
    return toks


def _parse_seq(items: list[str], pos: int, depth: int) -> tuple[list[list[Any]], int]:
    """Parse a sequence up to '|' or ')' and return its expansions (lists of atoms)."""
    expansions: list[list[Any]] = [[]]
    while pos < len(items):
        it = items[pos]
        if it in "|)" and len(it) == 1:
            if it == ")" and depth == 0:
                raise _PatternError("unbalanced parenthesis: ')' without '('")
            break
        if it == "?":
            raise _PatternError("'?' must follow a token or a group")
        if it == "(":
            alts: list[list[Any]] = []
            pos += 1
            while True:
                sub, pos = _parse_seq(items, pos, depth + 1)
                if any(len(s) == 0 for s in sub) and len(sub) == 1:
                    raise _PatternError("empty alternative in a group")
                alts.extend(sub)
                if pos >= len(items):
                    raise _PatternError("unbalanced parenthesis: '(' without ')'")
                if items[pos] == "|":
                    pos += 1
                    continue
                pos += 1  # ')'
                break
            options = alts
        else:
            options = [_atoms_of_word(it)]
            pos += 1
        if pos < len(items) and items[pos] == "?":
            options = options + [[]]
            pos += 1
        expansions = [a + b for a in expansions for b in options]
        if len(expansions) > _MAX_EXPANSIONS:
            raise _PatternError(f"pattern expands to more than {_MAX_EXPANSIONS} token sequences")
    return expansions, pos


def compile_pattern(pattern: str) -> list[tuple[Any, ...]]:
    """Token sequences a pattern stands for (alternations and optional parts expanded).

    Parameters
    ----------
    pattern
        A pattern in the syntax of the module docstring.

    Returns
    -------
    list of tuple
        Distinct sequences in expansion order (alternatives in the order written, an
        optional part present before absent); each atom is a normalised literal
        token (str), ``("pre", prefix)``, ``("any",)`` or ``("cap",)``.

    Raises
    ------
    ValueError
        Empty pattern, unbalanced parenthesis, misplaced ``?``/``*``, or a sequence
        that starts with a wildcard.

    Examples
    --------
    >>> compile_pattern("express* (his|her)? gratitude")
    [(('pre', 'express'), 'his', 'gratitude'), (('pre', 'express'), 'her', 'gratitude'), (('pre', 'express'), 'gratitude')]
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise _PatternError("empty pattern")
    items = _lex_pattern(pattern)
    exps, pos = _parse_seq(items, 0, 0)
    if pos < len(items):
        tok = items[pos]
        raise _PatternError(
            "unbalanced parenthesis: ')' without '('" if tok == ")" else "'|' outside a group"
        )
    seen: set[tuple[Any, ...]] = set()
    out: list[tuple[Any, ...]] = []
    for e in exps:
        seq = tuple(e)
        if not seq or seq in seen:
            continue
        if not isinstance(seq[0], str) and seq[0][0] != "pre":
            raise _PatternError("a pattern may not begin with '*' or '@CAP'")
        if isinstance(seq[0], tuple) and seq[0][0] == "pre" and not seq[0][1]:
            raise _PatternError("a pattern may not begin with '*'")
        seen.add(seq)
        out.append(seq)
    if not out:
        raise _PatternError("empty pattern")
    return out


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


class _Node:
    """A node of the pattern trie: children by atom kind and the entry ending here."""

    __slots__ = ("lit", "pre", "cap", "any", "term")

    def __init__(self) -> None:
        self.lit: dict[str, _Node] = {}
        self.pre: list[tuple[str, _Node]] = []
        self.cap: _Node | None = None
        self.any: _Node | None = None
        self.term: tuple[int, Entry] | None = None  # (order, entry): first-listed wins

    def child(self, atom: Any) -> _Node:
        if atom.__class__ is str:
            node = self.lit.get(atom)
            if node is None:
                node = self.lit[atom] = _Node()
            return node
        kind = atom[0]
        if kind == "pre":
            for p, node in self.pre:
                if p == atom[1]:
                    return node
            node = _Node()
            self.pre.append((atom[1], node))
            return node
        if kind == "cap":
            if self.cap is None:
                self.cap = _Node()
            return self.cap
        if self.any is None:
            self.any = _Node()
        return self.any


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
    _root: _Node = field(default_factory=_Node, repr=False)
    _cache: dict[str, tuple[_Node, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for order, entry in enumerate(self.entries):
            for pat in entry.patterns:
                for atoms in compile_pattern(pat):
                    node = self._root
                    for a in atoms:
                        node = node.child(a)
                    if node.term is None or node.term[0] > order:
                        node.term = (order, entry)

    def first_nodes(self, norm: str) -> tuple[_Node, ...]:
        """Trie nodes reached by the normalised first token *norm* (cached per token type)."""
        c = self._cache.get(norm)
        if c is None:
            lst = []
            node = self._root.lit.get(norm)
            if node is not None:
                lst.append(node)
            lst.extend(n for p, n in self._root.pre if norm.startswith(p))
            c = self._cache[norm] = tuple(lst)
        return c

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
