"""Outlets and their home countries: who speaks when a title names no country.

A readout on a head of state's own site ("Telephone conversation with the President of
France") or a foreign ministry's transcript names only the other side; the speaking side is
the outlet's country.  :func:`load_outlets` reads the data file
``analysis/data/outlets.csv`` (name or corpus key, web domain, ISO alpha-3 country, kind;
with ``# version/source/licence/citation`` lines), and :meth:`Outlets.home_country` finds
the country of an item from its ``source`` and ``url``.  Researchers add their outlets by
passing their own file (same columns) with ``--outlets``; rows of the user file come
first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from analysis import config
from analysis.errors import DataFileError
from analysis.lexicon import read_csv_datafile

__all__ = ["OUTLET_COLUMNS", "KINDS", "PARTY_KINDS", "Outlet", "Outlets", "load_outlets", "default_outlets",
           "outlet_parties", "institution_kind", "source_words"]

OUTLET_COLUMNS: tuple[str, ...] = ("name", "domain", "country", "kind")
KINDS: frozenset[str] = frozenset({"head_of_state", "head_of_government", "foreign_ministry", "government",
                                   "state_media", "news_agency", "parliament"})
#: Kinds whose items speak for their country (the outlet is a party to the contacts it reports).
PARTY_KINDS: frozenset[str] = frozenset({"head_of_state", "head_of_government", "foreign_ministry", "government"})
_CODE_RE = re.compile(r"^(?:[A-Z]{3}|UN|EUU|NATO)$")
_DOMAIN_RE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
#: Separators of the keys researchers give their outlets ("mfa_china", "kremlin-transcripts",
#: "president.gov.ua/en"): read as spaces when a source is compared with listed names.
_SEPARATORS_RE = re.compile(r"[\s_\-./:|()\[\],;]+")
#: Words that name an institution in an outlet key, and the kind they imply (first match wins):
#: an outlet key that names one country and one of these ("mfa_china", "Russian MFA",
#: "azerbaijan_presidency") is that country's outlet of that kind
#: (:func:`analysis.outlet_context.named_outlet`).
INSTITUTION_WORDS: tuple[tuple[str, str], ...] = (
    ("foreign_ministry", r"mfa|mofa|mofaic|foreign (?:ministry|office|affairs(?: ministry)?)|ministry of foreign affairs"
                         r"|ministry of external affairs|mea|state (?:department|dept)|statedept|department of state"
                         r"|spokes(?:person|man|woman)s?"),
    ("head_of_state", r"presidents?|presidency|presidential|head of state|kremlin|white ?house"),
    ("head_of_government", r"prime minister|premier|pm|pmo|chancellery|chancellor"),
    ("government", r"government|govt|cabinet|state council"),
    ("state_media", r"state (?:media|tv|television|broadcaster|radio)"),
    ("news_agency", r"(?:state |national )?(?:news|press|telegraph) agency"),
)
_INSTITUTION_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(r"(?<![a-z0-9])(?:" + rx + r")(?![a-z0-9])")) for kind, rx in INSTITUTION_WORDS)


def source_words(source: str) -> list[str]:
    """The words of an outlet key, separators dropped, case kept.

    Examples
    --------
    >>> source_words("mfa_china-pressers")
    ['mfa', 'china', 'pressers']
    """
    return [w for w in _SEPARATORS_RE.split(source or "") if w]


def institution_kind(source: str) -> str:
    """The outlet kind an outlet key's institution words imply (:data:`INSTITUTION_WORDS`), "".

    Examples
    --------
    >>> institution_kind("mfa_china"), institution_kind("Azerbaijan Presidency"), institution_kind("my_corpus")
    ('foreign_ministry', 'head_of_state', '')
    """
    text = " ".join(source_words(source)).lower()
    for kind, rx in _INSTITUTION_RES:
        if rx.search(text):
            return kind
    return ""


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    country: str
    kind: str


def _host(url: str) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


@dataclass(frozen=True)
class Outlets:
    """The outlet table; :meth:`home_country` is the look-up."""

    rows: tuple[Outlet, ...]
    meta: Mapping[str, str]

    def home_country(self, *, source: str = "", url: str = "") -> str:
        """ISO alpha-3 of the outlet of an item, "" when unknown (see :meth:`lookup`)."""
        o = self.lookup(source=source, url=url)
        return o.country if o is not None else ""

    def is_party(self, *, source: str = "", url: str = "") -> bool:
        """Whether the outlet is an official voice of its country (:data:`PARTY_KINDS`), so that
        its country is a party to what it reports; news agencies and state media are not."""
        o = self.lookup(source=source, url=url)
        return o is not None and o.kind in PARTY_KINDS

    def lookup(self, *, source: str = "", url: str = "") -> Outlet | None:
        """The listed outlet of an item, None when unknown.

        Order: the host of *url* ends with a listed domain (longest domain first); *source*
        equals a listed name or starts with it (case-insensitive, longest first; separators
        such as "_", "-" and "." count as spaces, so "kremlin_transcripts" starts with
        "Kremlin"); a listed domain occurs inside *source*, also with "_" or spaces for its
        dots ("president.gov.ua/en (President of Ukraine)", "en_kremlin_ru").

        Examples
        --------
        >>> o = default_outlets()
        >>> o.home_country(url="https://www.fmprc.gov.cn/eng/xw/fyrbt/")
        'CHN'
        >>> o.home_country(source="whitehouse_readouts")
        'USA'
        >>> o.home_country(source="Some blog")
        ''
        >>> o.home_country(source="xinhua_english"), o.home_country(source="en_kremlin_ru")
        ('CHN', 'RUS')
        """
        host = _host(url)
        s = (source or "").strip().lower()
        key = (host, s)
        memo = self._memo
        if key not in memo:  # (one entry per distinct host and source: a corpus has few)
            memo[key] = self._find(host, s)
        return memo[key]

    def _find(self, host: str, s: str) -> Outlet | None:
        if host:
            for o in self._domains:
                if host == o.domain or host.endswith("." + o.domain):
                    return o
        if s:
            for o in self._names:
                n = o.name.lower()
                if s == n or s.startswith(n + " ") or s.startswith(n + "("):
                    return o
            words = " ".join(source_words(s))
            for o, n in self._name_words:
                if words == n or words.startswith(n + " "):
                    return o
            dotted = {s, re.sub(r"[\s_/]+", ".", s)}
            for o in self._domains:
                rx = re.compile(r"(?<![\w-])" + re.escape(o.domain) + r"(?![\w-])")
                if any(rx.search(x) for x in dotted):
                    return o
        return None

    @cached_property
    def _name_words(self) -> list[tuple[Outlet, str]]:
        return [(o, " ".join(source_words(o.name.lower()))) for o in self._names]

    @cached_property
    def _memo(self) -> dict[tuple[str, str], Outlet | None]:
        return {}

    @cached_property
    def _domains(self) -> list[Outlet]:
        return _sorted_by(self.rows, "domain")

    @cached_property
    def _names(self) -> list[Outlet]:
        return _sorted_by(self.rows, "name")


def _sorted_by(rows: tuple[Outlet, ...], key: str) -> list[Outlet]:
    kept = [r for r in rows if getattr(r, key)]
    return sorted(kept, key=lambda r: -len(getattr(r, key)))  # stable: file order among equals


def _read(path: Path) -> tuple[dict[str, str], list[Outlet]]:
    name = config.relpath(path)
    meta, raw = read_csv_datafile(path, OUTLET_COLUMNS)
    rows: list[Outlet] = []
    for lineno, r in raw:
        o = Outlet(r["name"], r["domain"], r["country"], r["kind"])
        if not o.name and not o.domain:
            raise DataFileError(f"{name}:{lineno}: a row needs a name or a domain")
        if not _CODE_RE.match(o.country):
            raise DataFileError(f"{name}:{lineno}: country '{o.country}' is not an ISO alpha-3 code (or UN/EUU/NATO)")
        if o.domain and not _DOMAIN_RE.match(o.domain):
            raise DataFileError(f"{name}:{lineno}: domain '{o.domain}' is not a lower-case host name")
        if o.kind not in KINDS:
            raise DataFileError(f"{name}:{lineno}: unknown kind '{o.kind}' (expected one of {', '.join(sorted(KINDS))})")
        rows.append(o)
    return meta, rows


def load_outlets(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
                 *, bundled: bool = True) -> Outlets:
    """Read outlet files: the user's *path* (one or several) first, then the bundled file.

    Raises
    ------
    analysis.errors.DataFileError
        One line naming the file, line and problem.
    """
    paths = [] if path is None else ([Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path])
    if bundled:
        paths.append(config.package_data("outlets.csv"))
    rows: list[Outlet] = []
    meta: dict[str, str] = {}
    for p in paths:
        m, r = _read(p)
        rows += r
        meta = meta or m
    return Outlets(tuple(rows), meta)


@lru_cache(maxsize=1)
def default_outlets() -> Outlets:
    """The bundled outlet table (cached)."""
    return load_outlets()


def outlet_parties(sources: Mapping[Any, str], urls: Mapping[Any, str], *,
                   outlets: Outlets | None = None) -> set[str]:
    """Outlets that speak for their country: listed in the outlets file (by name, else by the
    domain most of their articles are on) with an official kind
    (:data:`analysis.outlets.PARTY_KINDS`)."""
    table = outlets if outlets is not None else default_outlets()
    by_src: dict[str, list[Any]] = {}
    for d, src in sources.items():
        if src:
            by_src.setdefault(src, []).append(d)
    out: set[str] = set()
    for src in sorted(by_src):
        if table.lookup(source=src) is not None:
            if table.is_party(source=src):
                out.add(src)
            continue
        votes = sum(1 for d in by_src[src] if table.is_party(url=urls.get(d, "")))
        if votes * 2 >= len(by_src[src]) and votes:
            out.add(src)
    return out
