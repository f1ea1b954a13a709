"""Heads of state and government and foreign ministers with their terms: a bare name -> a country.

``analysis/data/officials.csv`` (built by ``officials_build.py`` beside it from Wikidata
extracts; version, source, licence and citation in its header) lists each office spell:
``name, country, office, start, end, source``.  :meth:`Officials.find` finds the names of
office-holders in a text *for a date*: a full name ("Shavkat Mirziyoyev") or a surname alone
("Mirziyoyev") resolves to the country the person served at that date, and only when exactly
one country's office-holder of that date carries it (a surname shared by two countries'
office-holders at the date resolves to nothing).  Without a date nothing is resolved: terms
matter ("Scholz" is Germany's chancellor in 2023, nobody's in 2015).

Coverage (see the file's header): heads of state and government to about 2025-10; foreign
ministers to 2022-12 (later ones are missing, and a minister in office then has an open end).
Pass your own file of the same columns to extend it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.entities import fold
from analysis.errors import DataFileError
from analysis.lexicon import read_csv_datafile

__all__ = ["OFFICIAL_COLUMNS", "OFFICES", "Official", "OfficialMention", "Officials", "load_officials",
           "default_officials"]

OFFICIAL_COLUMNS: tuple[str, ...] = ("name", "country", "office", "start", "end", "source")
OFFICES: frozenset[str] = frozenset({"head_of_state", "head_of_government", "foreign_minister"})
_CODE_RE = re.compile(r"^[A-Z]{3}$")
_TOKEN_RE = re.compile(r"[^\W\d_][\w'’-]*")
#: Every token of :data:`_TOKEN_RE` that does not start with ``a-z``, and a few pieces of other
#: tokens: a token is a maximal run of ``[\w'’-]`` from its first letter on (the run's leading
#: digits, "_", apostrophes and hyphens are passed over), so the scan reaches a capitalisable
#: token's first letter and matches it to the run's end; a run whose first letter is ``a-z`` may
#: give a piece ("Biden" of "x-Biden").
_NOT_LOWER_RUN_RE = re.compile(r"[^\W\d_a-z][\w'’-]*")
#: Surnames shorter than this never resolve alone (too many are ordinary words or shared).
MIN_SURNAME: int = 4
#: Capitalised words that are also surnames of some office-holder but are far more often
#: ordinary words at the start of a sentence or in a title.
_NOT_SURNAMES = frozenset(
    "president prime minister king queen emir sultan prince crown said may will grant young rich hope "
    "bush brown white black green long little strong moon rice major chief general state united".split()
)


@dataclass(frozen=True)
class Official:
    name: str
    country: str
    office: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    start_ns: int = field(init=False, repr=False, compare=False)
    end_ns: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the term's bounds as integers for the per-token look-ups; an open end is +infinity
        object.__setattr__(self, "start_ns", int(self.start.value))
        object.__setattr__(self, "end_ns", int((self.end + pd.Timedelta(days=1)).value)
                           if self.end is not None else 2**63)


@dataclass(frozen=True)
class OfficialMention:
    start: int
    end: int
    surface: str
    country: str
    kind: str = "official"


@lru_cache(maxsize=1 << 17)
def _key(token: str) -> str:
    return fold(token).lower().replace("’", "'")


@dataclass(frozen=True)
class Officials:
    """Office spells indexed by full name and by surname."""

    rows: tuple[Official, ...]
    meta: dict[str, str]
    _idx: tuple[Any, ...] = field(init=False, repr=False, compare=False)
    _first: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _starts: frozenset[str] = field(init=False, repr=False, compare=False)
    #: token -> whether it can start a hit (capitalised, its key in ``_starts``), filled as met
    _can_start: dict[str, bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # built once per instance: hashing the rows tuple on every look-up (an lru_cache keyed
        # on it) cost two thirds of a whole run on real text
        object.__setattr__(self, "_idx", _build_index(self.rows))
        # first token of a full name (two tokens or more) -> its lengths, longest first
        first: dict[str, set[int]] = {}
        for toks in self._idx[0]:
            if len(toks) >= 2:
                first.setdefault(toks[0], set()).add(len(toks))
        object.__setattr__(self, "_first", {k: tuple(sorted(v, reverse=True)) for k, v in first.items()})
        # keys a hit can start with: a full name's first token or a surname that may stand alone
        object.__setattr__(self, "_starts", frozenset(self._first) | frozenset(
            k for k in self._idx[1] if k not in _NOT_SURNAMES))
        object.__setattr__(self, "_can_start", {})

    def _index(self) -> tuple[dict[tuple[str, ...], list[Official]], dict[str, list[Official]], int]:
        return self._idx  # type: ignore[return-value]

    def _can_start_flags(self, words: list[str]) -> list[bool]:
        """For each of *words* (tokens of :data:`_TOKEN_RE`, or pieces of them), whether it would
        start a hit as a token: capitalised and its key a full name's first token or a surname
        (each string decided once)."""
        known = self._can_start
        can = list(map(known.get, words))
        if None in can:
            starts = self._starts
            for w in words:
                if w not in known:
                    known[w] = bool(w[:1].isupper() and _key(w) in starts)
            can = list(map(known.get, words))
        return can

    def at(self, name: str, date: Any) -> str:
        """Country of the office-holder called *name* (full name or surname) at *date*; "" when
        none or ambiguous."""
        toks = tuple(_key(t) for t in _TOKEN_RE.findall(name))
        full, sur, _ = self._index()
        cands = full.get(toks) or (sur.get(toks[0], []) if len(toks) == 1 else [])
        return _unique_country(cands, _as_date(date))

    def find(self, text: str, date: Any) -> list[OfficialMention]:
        """Names of office-holders in *text* that resolve to one country at *date*.

        Longest full names first; a surname alone must be capitalised, at least
        :data:`MIN_SURNAME` letters and not one of a few ordinary words.  Returns mentions
        with character offsets in *text*; ``[]`` when *date* is missing.

        Examples
        --------
        >>> o = default_officials()
        >>> [(m.surface, m.country) for m in o.find("Chancellor Scholz met Joe Biden.", "2023-05-01")]
        [('Scholz', 'DEU'), ('Joe Biden', 'USA')]

        A name that holds offices in two countries at the date is left out (Emmanuel Macron is
        President of France and co-prince of Andorra):

        >>> [m.surface for m in o.find("Scholz met Emmanuel Macron.", "2023-05-01")]
        ['Scholz']
        >>> o.find("Chancellor Scholz met Joe Biden.", "")
        []
        """
        d = _date_ns(date)
        if d is None or not text:
            return []
        # Most texts name no office-holder: a hit starts at a capitalised token whose key starts
        # a full name or is a surname, so without one there is nothing to find (tested first on
        # the tokens that do not start with a-z and a few pieces of tokens, a superset of those
        # that can start a hit: a token starting with a-z is never capitalised).
        known = self._can_start
        if len(known) > 1 << 18:
            known.clear()
        if True not in self._can_start_flags(_NOT_LOWER_RUN_RE.findall(text)):
            return []
        words = _TOKEN_RE.findall(text)
        can = self._can_start_flags(words)
        full, sur, _longest = self._index()
        lengths = self._first
        out: list[OfficialMention] = []
        # A hit starts at a token that can start one (``can``; any other token is passed over);
        # the keys of the tokens after it are made only for full names, and the character
        # offsets of the tokens only when there is a hit.
        spans: list[tuple[int, int]] | None = None
        n_toks = len(words)
        i = 0
        while i < n_toks:
            if not can[i]:
                i += 1
                continue
            t = words[i]
            k0 = _key(t)
            hit = None
            for n in lengths.get(k0, ()):
                if n > n_toks - i:
                    continue
                cands = full.get((k0, *(_key(x) for x in words[i + 1:i + n])))
                if cands:
                    c = _unique_country_ns(cands, d)
                    if c:
                        hit = (n, c)
                        break
            if hit is None and len(t) >= MIN_SURNAME and k0 not in _NOT_SURNAMES and k0 in sur:
                c = _unique_country_ns(sur[k0], d)
                if c:
                    hit = (1, c)
            if hit is not None:
                n, c = hit
                if spans is None:
                    spans = [m.span() for m in _TOKEN_RE.finditer(text)]
                s, e = spans[i][0], spans[i + n - 1][1]
                out.append(OfficialMention(s, e, text[s:e], c))
                i += n
            else:
                i += 1
        return out


def _build_index(rows: tuple[Official, ...]) -> tuple[dict[tuple[str, ...], list[Official]], dict[str, list[Official]], int]:
    full: dict[tuple[str, ...], list[Official]] = {}
    sur: dict[str, list[Official]] = {}
    longest = 1
    for r in rows:
        toks = tuple(_key(t) for t in _TOKEN_RE.findall(r.name))
        if not toks:
            continue
        full.setdefault(toks, []).append(r)
        longest = max(longest, len(toks))
        if len(toks) >= 2:
            sur.setdefault(toks[-1], []).append(r)
    return full, sur, longest


def _as_date(value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        t = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if pd.isna(t):
        return None
    return t.tz_convert(None) if t.tzinfo is not None else t


@lru_cache(maxsize=4096)
def _date_ns(value: Any) -> int | None:
    """*value* as nanoseconds since the epoch (naive; :func:`_as_date`), None when missing;
    memoised: the same article date is looked up for each of its sentences."""
    t = _as_date(value)
    return None if t is None else int(t.value)


#: One day in nanoseconds (an office's last day counts whole: ``d <= end + 1 day``).
_DAY_NS = 86_400 * 10**9


def _unique_country_ns(cands: Iterable[Official], d: int) -> str:
    """:func:`_unique_country` with the date as nanoseconds (spells' bounds are precomputed)."""
    cs = {r.country for r in cands if r.start_ns <= d and d <= r.end_ns}
    return next(iter(cs)) if len(cs) == 1 else ""


def _unique_country(cands: Iterable[Official], d: pd.Timestamp | None) -> str:
    if d is None:
        return ""
    cs = {r.country for r in cands if r.start <= d and (r.end is None or d <= r.end + pd.Timedelta(days=1))}
    return next(iter(cs)) if len(cs) == 1 else ""


def load_officials(path: str | os.PathLike[str] | None = None) -> Officials:
    """Read and validate an officials file (default: the bundled ``officials.csv``).

    Raises
    ------
    analysis.errors.DataFileError
        One line naming the file, line and problem.
    """
    p = Path(path) if path is not None else config.package_data("officials.csv")
    name = config.relpath(p)
    meta, raw = read_csv_datafile(p, OFFICIAL_COLUMNS)
    rows: list[Official] = []
    for lineno, r in raw:
        nm, country, office, start, end = r["name"], r["country"], r["office"], r["start"], r["end"]
        if not nm:
            raise DataFileError(f"{name}:{lineno}: empty name")
        if not _CODE_RE.match(country):
            raise DataFileError(f"{name}:{lineno}: country '{country}' is not an ISO alpha-3 code")
        if office not in OFFICES:
            raise DataFileError(f"{name}:{lineno}: unknown office '{office}' (expected one of {', '.join(sorted(OFFICES))})")
        s, e = _as_date(start), _as_date(end) if end else None
        if s is None or (end and e is None):
            raise DataFileError(f"{name}:{lineno}: dates must be YYYY-MM-DD (end may be empty)")
        if e is not None and e < s:
            raise DataFileError(f"{name}:{lineno}: end {end} before start {start}")
        rows.append(Official(nm, country, office, s, e))
    return Officials(tuple(rows), meta)


@lru_cache(maxsize=1)
def default_officials() -> Officials:
    """The bundled officials file (cached)."""
    return load_officials()
