"""Reference implementation of :class:`analysis.patterns.Matcher`: every compiled sequence
tried at every position, no trie, no caches.  The oracle of the trie matcher."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.patterns import compile_pattern
from analysis.segment import is_word
from analysis.tone_lexicon import CATEGORIES


def atom_matches(atom: Any, norm: str, tok: str) -> bool:
    """Whether one compiled atom matches a token (normalised *norm*, written *tok*)."""
    if isinstance(atom, str):
        return norm == atom
    if atom[0] == "pre":
        return norm.startswith(atom[1])
    if atom[0] == "cap":
        return tok[:1].isupper()
    return is_word(norm)  # ("any",)


def match_reference(seqs: Sequence[tuple[Sequence[Any], Any, Any]], norms: Sequence[str],
                    toks: Sequence[str] | None = None) -> list[tuple[int, int, Any]]:
    """``(token index, length, payload)`` of the non-overlapping matches of *seqs* (``(atoms,
    priority, payload)`` triples) over *norms*, left to right, the longest at each position,
    ties: the lowest priority."""
    toks = norms if toks is None else toks
    # a sequence whose literal tokens do not all occur in *norms* cannot match (this only
    # shortens the loop below)
    present = set(norms)
    seqs = [s for s in seqs if all(a in present for a in s[0] if isinstance(a, str))]
    out: list[tuple[int, int, Any]] = []
    i = 0
    n = len(norms)
    while i < n:
        best = None
        for atoms, prio, payload in seqs:
            k = len(atoms)
            if i + k > n:
                continue
            if all(atom_matches(a, norms[i + d], toks[i + d]) for d, a in enumerate(atoms)):
                if best is None or k > best[0] or (k == best[0] and prio < best[1]):
                    best = (k, prio, payload)
        if best is None:
            i += 1
        else:
            out.append((i, best[0], best[2]))
            i += best[0]
    return out


def protocol_sequences(lexicon: Any) -> list[tuple[Sequence[Any], Any, Any]]:
    """``(atoms, priority, entry)`` of a protocol lexicon: entry order is the priority."""
    return [(atoms, k, e) for k, e in enumerate(lexicon.entries) for p in e.patterns for atoms in compile_pattern(p)]


def tone_sequences(lexicon: Any) -> list[tuple[Sequence[Any], Any, Any]]:
    """``(atoms, priority, pattern)`` of a tone lexicon: (category order, text) is the priority."""
    out = []
    for p in lexicon.patterns:
        atoms = tuple(("pre", t[:-1]) if t.endswith("*") and len(t) > 1 else t for t in p.tokens)
        out.append((atoms, (CATEGORIES.index(p.category), p.text), p))
    return out
