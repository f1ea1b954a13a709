"""The diplomatic-register tone lexicon: loading, validation and token-sequence matching.

The lexicon (``analysis/data/tone_lexicon.yml``; a researcher's own file by path) lists
multi-word patterns in five categories (:data:`CATEGORIES`) with a weight each, plus the
negators, contrast and concessive markers the tone rules of :mod:`analysis.tone_rules` use.
Matching is on normalised token sequences, longest match first.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import DataFileError
from analysis.segment import norm_token

#: Lexicon categories, in the order they are reported.
CATEGORIES: tuple[str, ...] = ("warm", "procedural", "coolness", "conflict", "support")

_REQUIRED_META = ("version", "source", "licence", "citation")

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
        Token-sequence patterns, longest first (ties: category order, then pattern text).
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
    _by_first: dict[str, tuple[_Pattern, ...]] = field(default_factory=dict, repr=False, compare=False)
    _wild_first: tuple[_Pattern, ...] = field(default=(), repr=False, compare=False)

    _cands: dict[str, tuple[_Pattern, ...]] = field(default_factory=dict, repr=False, compare=False)

    def _candidates(self, word: str) -> tuple[_Pattern, ...]:
        """Patterns that can start at *word*, best first: longest, then category order and
        text (:func:`_pkey`); memoised per distinct word (the wildcard scan runs once per word
        type, not once per token)."""
        got = self._cands.get(word)
        if got is None:
            cands = list(self._by_first.get(word, ())) + [
                p for p in self._wild_first if word.startswith(p.tokens[0][:-1])
            ]
            # stable: among equal keys the earlier candidate wins, as in _match_reference
            cands.sort(key=lambda p: (-len(p.tokens), _pkey(p)))
            got = self._cands[word] = tuple(cands)
        return got

    def match(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        """Non-overlapping matches ``(i, j, pattern)`` over normalised *words*, longest first
        at each position, scanning left to right.

        Candidates are indexed by first word (literal first tokens in a dict, wildcard first
        tokens resolved once per distinct word) and tried best first, so the first full match
        at a position is the one :meth:`_match_reference` (the plain scan) would choose.
        """
        out: list[tuple[int, int, _Pattern]] = []
        i = 0
        n = len(words)
        cands_of = self._candidates
        memo = self._cands
        while i < n:
            best: _Pattern | None = None
            cands = memo.get(words[i])
            if cands is None:
                cands = cands_of(words[i])
            elif not cands:  # most words start no pattern
                i += 1
                continue
            for p in cands:
                k = len(p.tokens)
                if i + k > n:
                    continue
                if k == 1 or all(_tok_match(pt, w) for pt, w in zip(p.tokens[1:], words[i + 1 : i + k])):
                    best = p
                    break
            if best is None:
                i += 1
            else:
                out.append((i, i + len(best.tokens), best))
                i += len(best.tokens)
        return out

    def _match_reference(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        """The straightforward matcher (every pattern tried at every position); kept as the
        reference :meth:`match` is tested against."""
        out: list[tuple[int, int, _Pattern]] = []
        i = 0
        n = len(words)
        while i < n:
            best: _Pattern | None = None
            for p in self.patterns:
                k = len(p.tokens)
                if i + k > n:
                    continue
                if all(_tok_match(pt, w) for pt, w in zip(p.tokens, words[i : i + k])):
                    if best is None or k > len(best.tokens) or (
                        k == len(best.tokens) and _pkey(p) < _pkey(best)
                    ):
                        best = p
            if best is None:
                i += 1
            else:
                out.append((i, i + len(best.tokens), best))
                i += len(best.tokens)
        return out


def _pkey(p: _Pattern) -> tuple[int, str]:
    return (CATEGORIES.index(p.category) if p.category in CATEGORIES else 99, p.text)


def _tok_match(pattern_token: str, word: str) -> bool:
    if pattern_token.endswith("*") and len(pattern_token) > 1:
        return word.startswith(pattern_token[:-1])
    return word == pattern_token


def load_tone_lexicon(path: str | Path | None = None) -> ToneLexicon:
    """Load and validate a tone lexicon file.

    Parameters
    ----------
    path
        A YAML file in the format of ``analysis/data/tone_lexicon.yml``; default: that file.

    Returns
    -------
    ToneLexicon

    Raises
    ------
    analysis.errors.DataFileError
        Naming the file, the entry and the problem (missing provenance field, unknown
        category, empty pattern, non-numeric weight, ...).
    """
    p = Path(path) if path is not None else config.package_data("tone_lexicon.yml")
    shown = config.relpath(p)
    if not p.is_file():
        raise DataFileError(f"{shown}: tone lexicon file not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # pragma: no cover - message depends on yaml
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" line {line + 1}" if line is not None else ""
        raise DataFileError(f"{shown}{where}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{shown}: expected a mapping at the top level")
    for key in _REQUIRED_META:
        if not str(data.get(key) or "").strip():
            raise DataFileError(f"{shown}: missing required field '{key}'")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise DataFileError(f"{shown}: missing 'categories' mapping")
    pats: list[_Pattern] = []
    for cat, body in cats.items():
        if cat not in CATEGORIES:
            raise DataFileError(f"{shown}: categories.{cat}: unknown category (expected one of {', '.join(CATEGORIES)})")
        entries = (body or {}).get("entries") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not entries:
            raise DataFileError(f"{shown}: categories.{cat}: missing 'entries' list")
        for k, ent in enumerate(entries):
            where = f"{shown}: categories.{cat}.entries[{k}]"
            if not isinstance(ent, dict):
                raise DataFileError(f"{where}: expected a mapping with 'patterns' and 'weight'")
            w = ent.get("weight")
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(float(w)):
                raise DataFileError(f"{where}: 'weight' must be a finite number, got {w!r}")
            plist = ent.get("patterns")
            if not isinstance(plist, list) or not plist:
                raise DataFileError(f"{where}: 'patterns' must be a non-empty list")
            role = ent.get("role", "")
            if role not in ("", "directed"):
                raise DataFileError(f"{where}: unknown role {role!r} (expected 'directed' or none)")
            for text in plist:
                toks = tuple(norm_token(t) for t in str(text).split()) if isinstance(text, str) else ()
                if not toks or any(t == "*" for t in toks):
                    raise DataFileError(f"{where}: invalid pattern {text!r}")
                pats.append(_Pattern(toks, cat, float(w), " ".join(toks), role))
    seen: dict[str, str] = {}
    for pt in pats:
        if pt.text in seen:
            raise DataFileError(f"{shown}: pattern {pt.text!r} listed twice ({seen[pt.text]} and {pt.category})")
        seen[pt.text] = pt.category

    def _markers(key: str, default: Sequence[str]) -> frozenset[str]:
        v = data.get(key, list(default))
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise DataFileError(f"{shown}: '{key}' must be a list of words")
        return frozenset(norm_token(x.strip()) for x in v)

    window = data.get("negation_window", 3)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise DataFileError(f"{shown}: 'negation_window' must be a non-negative integer, got {window!r}")
    pats.sort(key=lambda q: (-len(q.tokens), _pkey(q)))
    by_first: dict[str, list[_Pattern]] = {}
    wild: list[_Pattern] = []
    for pt in pats:
        if pt.tokens[0].endswith("*"):
            wild.append(pt)
        else:
            by_first.setdefault(pt.tokens[0], []).append(pt)
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
        _by_first={k: tuple(v) for k, v in by_first.items()},
        _wild_first=tuple(wild),
    )


@lru_cache(maxsize=1)
def default_tone_lexicon() -> ToneLexicon:
    """The bundled lexicon (cached)."""
    return load_tone_lexicon()


