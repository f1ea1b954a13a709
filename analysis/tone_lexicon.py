"""The diplomatic-register tone lexicon: loading, validation and token-sequence matching.

The lexicon (``analysis/data/tone_lexicon.yml``; a researcher's own file by path) lists
multi-word patterns in five categories (:data:`CATEGORIES`) with a weight each, plus the
negators, contrast and concessive markers the tone rules of :mod:`analysis.tone_rules` use.
Patterns are written in the syntax of :mod:`analysis.patterns` (that of the protocol lexicon)
with the features :data:`TONE_FEATURES`: literal tokens, ``(a|b)`` alternation, ``?``
optional parts and ``tok*`` prefixes; ``@CAP`` and ``*`` alone are rejected.  Matching is by
:class:`analysis.patterns.Matcher` on normalised tokens, longest match first.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon import PROVENANCE_KEYS, datafile_error, load_yaml_datafile
from analysis.patterns import Matcher, PatternError, compile_pattern
from analysis.segment import norm_token

#: Lexicon categories, in the order they are reported.
CATEGORIES: tuple[str, ...] = ("warm", "procedural", "coolness", "conflict", "support")

#: Pattern features (:data:`analysis.patterns.FEATURES`) a tone pattern may use.  ``@CAP`` has
#: no meaning here (tone words are matched case-folded) and ``*`` alone would give a weight
#: to any word; both are rejected with a message.
TONE_FEATURES: tuple[str, ...] = ("alternation", "optional", "prefix")
#: Pattern roles: "" (none); "directed" (an act aimed at the country named after it: "condemned
#: Russia's ...", "sanctions against Russia"); "occasion" (a formula of condolence or sympathy:
#: the losses the sentence names are its occasion, not aimed at the pair).
ROLES: tuple[str, ...] = ("", "directed", "occasion")
_CONTEXT = "a tone pattern (tone is matched on case-folded words, and a weight belongs to the words written)"


@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[str, ...]
    category: str
    weight: float
    text: str
    role: str = ""


@dataclass(frozen=True)
class ToneLexicon:
    """A validated diplomatic tone lexicon (see ``analysis/data/tone_lexicon.yml``).

    Attributes
    ----------
    patterns
        Token-sequence patterns (one per sequence a written pattern expands to; a prefix
        token is written ``stem*``), longest first (ties: category order, then pattern text).
    negators, contrast, concessive
        Lower-cased marker tokens.
    negation_window
        Tokens before a match searched for a negator (VADER uses 3).
    version, source, licence, citation
        Provenance fields of the file.
    """

    patterns: tuple[_Pattern, ...]
    negators: frozenset[str]
    contrast: frozenset[str]
    concessive: frozenset[str]
    negation_window: int = 3
    version: str = ""
    source: str = ""
    licence: str = ""
    citation: str = ""
    path: str = ""
    _matcher: Matcher = field(default_factory=Matcher, repr=False, compare=False)

    def __post_init__(self) -> None:
        for p in self.patterns:
            atoms = tuple(("pre", t[:-1]) if t.endswith("*") and len(t) > 1 else t for t in p.tokens)
            self._matcher.add(atoms, priority=_pkey(p), payload=p)

    def match(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        """Non-overlapping matches ``(i, j, pattern)`` over normalised *words*, longest first
        at each position (ties: category order, then pattern text), scanning left to right
        (:class:`analysis.patterns.Matcher`)."""
        return [(i, i + k, p) for i, k, p in self._matcher.match(words)]


def _pkey(p: _Pattern) -> tuple[int, str]:
    return (CATEGORIES.index(p.category) if p.category in CATEGORIES else 99, p.text)


def _token_text(atom: Any) -> str:
    return atom if isinstance(atom, str) else atom[1] + "*"


def load_tone_lexicon(path: str | Path | None = None) -> ToneLexicon:
    """Load and validate a tone lexicon file.

    Parameters
    ----------
    path
        A YAML file in the format of ``analysis/data/tone_lexicon.yml``; default: that file.
        Patterns use the syntax of :mod:`analysis.patterns` with the features in
        :data:`TONE_FEATURES` (alternation, optional parts, prefixes).

    Returns
    -------
    ToneLexicon

    Raises
    ------
    analysis.errors.DataFileError
        Naming the file, the entry and the problem (missing provenance field, unknown
        category, empty or invalid pattern, ``@CAP`` or ``*`` alone, non-numeric weight, ...).
    """
    p = Path(path) if path is not None else config.package_data("tone_lexicon.yml")
    shown = config.relpath(p)
    data = load_yaml_datafile(p, required_keys=(*PROVENANCE_KEYS, "categories"), kind="tone lexicon")
    cats = data.get("categories")
    if not isinstance(cats, dict):
        raise datafile_error(p, "key 'categories'", "must be a mapping of category to entries")
    pats: list[_Pattern] = []
    for cat, body in cats.items():
        if cat not in CATEGORIES:
            raise datafile_error(p, f"categories.{cat}", f"unknown category (expected one of {', '.join(CATEGORIES)})")
        entries = (body or {}).get("entries") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not entries:
            raise datafile_error(p, f"categories.{cat}", "missing 'entries' list")
        for k, ent in enumerate(entries):
            where = f"categories.{cat}.entries[{k}]"
            if not isinstance(ent, dict):
                raise datafile_error(p, where, "expected a mapping with 'patterns' and 'weight'")
            w = ent.get("weight")
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(float(w)):
                raise datafile_error(p, where, f"'weight' must be a finite number, got {w!r}")
            plist = ent.get("patterns")
            if not isinstance(plist, list) or not plist:
                raise datafile_error(p, where, "'patterns' must be a non-empty list")
            role = ent.get("role", "")
            if role not in ROLES:
                raise datafile_error(p, where, f"unknown role {role!r} (expected 'directed', 'occasion' or none)")
            for text in plist:
                if not isinstance(text, str):
                    raise datafile_error(p, where, f"pattern {text!r} is not a string")
                try:
                    seqs = compile_pattern(text, allow=TONE_FEATURES, context=_CONTEXT)
                except PatternError as exc:
                    raise datafile_error(p, where, f"pattern {text!r}: {exc}") from None
                for seq in seqs:
                    toks = tuple(_token_text(a) for a in seq)
                    pats.append(_Pattern(toks, cat, float(w), " ".join(toks), role))
    seen: dict[str, str] = {}
    for pt in pats:
        if pt.text in seen:
            raise datafile_error(p, "", f"pattern {pt.text!r} listed twice ({seen[pt.text]} and {pt.category})")
        seen[pt.text] = pt.category

    def _markers(key: str, default: Sequence[str]) -> frozenset[str]:
        v = data.get(key, list(default))
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise datafile_error(p, "", f"'{key}' must be a list of words")
        return frozenset(norm_token(x.strip()) for x in v)

    window = data.get("negation_window", 3)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise datafile_error(p, "", f"'negation_window' must be a non-negative integer, got {window!r}")
    pats.sort(key=lambda q: (-len(q.tokens), _pkey(q)))
    return ToneLexicon(
        patterns=tuple(pats),
        negators=_markers("negators", ()),
        contrast=_markers("contrast", ()),
        concessive=_markers("concessive", ()),
        negation_window=window,
        version=str(data["version"]),
        source=str(data["source"]).strip(),
        licence=str(data["licence"]),
        citation=str(data["citation"]).strip(),
        path=shown,
    )


@lru_cache(maxsize=1)
def default_tone_lexicon() -> ToneLexicon:
    """The bundled lexicon (cached)."""
    return load_tone_lexicon()


