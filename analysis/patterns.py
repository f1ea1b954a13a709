"""One pattern syntax and one matcher for every lexicon-like data file.

The protocol lexicon (:mod:`analysis.protocol_lexicon`) and the tone lexicon
(:mod:`analysis.tone_lexicon`) write their formulas in this syntax and match them with
:class:`Matcher`.

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

A file format may allow only some of these (:data:`FEATURES`; the tone lexicon has no
``*`` alone and no ``@CAP``): :func:`compile_pattern` rejects the others with a message
that says why.  Patterns are compiled to token sequences (alternations and optional parts
expanded); :class:`Matcher` indexes them in a trie and finds non-overlapping matches left to
right, the longest at each position, ties broken by a priority the lexicon gives.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from analysis.segment import is_word, norm_token, tokenize

__all__ = ["FEATURES", "PatternError", "compile_pattern", "Matcher"]

#: The syntax's optional features: ``alternation`` ``(a|b)``, ``optional`` ``?``, ``prefix``
#: ``tok*``, ``any`` (``*`` alone) and ``cap`` (``@CAP``).
FEATURES: tuple[str, ...] = ("alternation", "optional", "prefix", "any", "cap")
_FEATURE_TEXT = {
    "alternation": "alternation '(a|b)'",
    "optional": "an optional part '?'",
    "prefix": "a prefix wildcard 'tok*'",
    "any": "'*' alone (any word)",
    "cap": "'@CAP' (a capitalised word)",
}
_MAX_EXPANSIONS = 20000

_ANY = ("any",)
_CAP = ("cap",)


class PatternError(ValueError):
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


class _Parser:
    """Recursive-descent parser of one pattern, allowing the features in *allow*."""

    def __init__(self, items: list[str], allow: Collection[str], context: str) -> None:
        self.items = items
        self.allow = allow
        self.context = context

    def need(self, feature: str) -> None:
        if feature not in self.allow:
            where = f" in {self.context}" if self.context else ""
            raise PatternError(f"{_FEATURE_TEXT[feature]} is not allowed{where}")

    def word(self, word: str) -> list[Any]:
        if word == "*":
            self.need("any")
            return [_ANY]
        if word == "@CAP":
            self.need("cap")
            return [_CAP]
        if word.endswith("*"):
            stem = norm_token(word[:-1])
            if "*" in stem:
                raise PatternError(f"'*' only allowed at the end of a token: '{word}'")
            self.need("prefix")
            return [("pre", stem)]
        if "*" in word:
            raise PatternError(f"'*' only allowed at the end of a token: '{word}'")
        toks = [norm_token(t) for _, _, t in tokenize(word)]
        if not toks:
            raise PatternError(f"token '{word}' has no characters to match")
        return toks

    def seq(self, pos: int, depth: int) -> tuple[list[list[Any]], int]:
        """Parse a sequence up to '|' or ')' and return its expansions (lists of atoms)."""
        items = self.items
        expansions: list[list[Any]] = [[]]
        while pos < len(items):
            it = items[pos]
            if it in "|)" and len(it) == 1:
                if it == ")" and depth == 0:
                    raise PatternError("unbalanced parenthesis: ')' without '('")
                break
            if it == "?":
                raise PatternError("'?' must follow a token or a group")
            if it == "(":
                self.need("alternation")
                alts: list[list[Any]] = []
                pos += 1
                while True:
                    sub, pos = self.seq(pos, depth + 1)
                    if any(len(s) == 0 for s in sub) and len(sub) == 1:
                        raise PatternError("empty alternative in a group")
                    alts.extend(sub)
                    if pos >= len(items):
                        raise PatternError("unbalanced parenthesis: '(' without ')'")
                    if items[pos] == "|":
                        pos += 1
                        continue
                    pos += 1  # ')'
                    break
                options = alts
            else:
                options = [self.word(it)]
                pos += 1
            if pos < len(items) and items[pos] == "?":
                self.need("optional")
                options = options + [[]]
                pos += 1
            expansions = [a + b for a in expansions for b in options]
            if len(expansions) > _MAX_EXPANSIONS:
                raise PatternError(f"pattern expands to more than {_MAX_EXPANSIONS} token sequences")
        return expansions, pos


def compile_pattern(pattern: str, *, allow: Collection[str] = FEATURES, context: str = "") -> list[tuple[Any, ...]]:
    """Token sequences a pattern stands for (alternations and optional parts expanded).

    Parameters
    ----------
    pattern
        A pattern in the syntax of the module docstring.
    allow
        The optional features (:data:`FEATURES`) the file format allows (default: all).
    context
        What the pattern is, for the message when a feature is not allowed
        (e.g. ``"a tone pattern (matched on case-folded words)"``).

    Returns
    -------
    list of tuple
        Distinct sequences in expansion order (alternatives in the order written, an
        optional part present before absent); each atom is a normalised literal
        token (str), ``("pre", prefix)``, ``("any",)`` or ``("cap",)``.

    Raises
    ------
    PatternError
        (a ``ValueError``) Empty pattern, unbalanced parenthesis, misplaced ``?``/``*``, a
        sequence that starts with a wildcard, or a feature not in *allow*.

    Examples
    --------
    >>> compile_pattern("express* (his|her)? gratitude")
    [(('pre', 'express'), 'his', 'gratitude'), (('pre', 'express'), 'her', 'gratitude'), (('pre', 'express'), 'gratitude')]
    >>> compile_pattern("met @CAP", allow=("prefix",), context="a tone pattern")
    Traceback (most recent call last):
    ...
    analysis.patterns.PatternError: '@CAP' (a capitalised word) is not allowed in a tone pattern
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("empty pattern")
    items = _lex_pattern(pattern)
    exps, pos = _Parser(items, allow, context).seq(0, 0)
    if pos < len(items):
        tok = items[pos]
        raise PatternError(
            "unbalanced parenthesis: ')' without '('" if tok == ")" else "'|' outside a group"
        )
    seen: set[tuple[Any, ...]] = set()
    out: list[tuple[Any, ...]] = []
    for e in exps:
        seq = tuple(e)
        if not seq or seq in seen:
            continue
        if not isinstance(seq[0], str) and seq[0][0] != "pre":
            raise PatternError("a pattern may not begin with '*' or '@CAP'")
        if isinstance(seq[0], tuple) and seq[0][0] == "pre" and not seq[0][1]:
            raise PatternError("a pattern may not begin with '*'")
        seen.add(seq)
        out.append(seq)
    if not out:
        raise PatternError("empty pattern")
    return out


class _Node:
    """A node of the pattern trie: children by atom kind and the payload ending here."""

    __slots__ = ("lit", "pre", "cap", "any", "term")

    def __init__(self) -> None:
        self.lit: dict[str, _Node] = {}
        self.pre: list[tuple[str, _Node]] = []
        self.cap: _Node | None = None
        self.any: _Node | None = None
        self.term: tuple[Any, Any] | None = None  # (priority, payload): the lowest priority wins

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


def _by_first_char(pre: Sequence[tuple[str, Any]]) -> dict[str, list[tuple[str, Any]]]:
    """The prefix entries of a trie node a token can start with, by the token's first character
    (key ``""``: a character no prefix starts with); each list keeps the entries' order, and an
    empty prefix is in every list.

    Examples
    --------
    >>> _by_first_char([("ab", 1), ("", 2), ("b", 3), ("a", 4)])
    {'a': [('ab', 1), ('', 2), ('a', 4)], 'b': [('', 2), ('b', 3)], '': [('', 2)]}
    """
    chars = dict.fromkeys(p[:1] for p, _ in pre if p)
    out = {c: [(p, n) for p, n in pre if not p or p[0] == c] for c in chars}
    out[""] = [(p, n) for p, n in pre if not p]
    return out


class Matcher:
    """Compiled token sequences in a trie, matched longest first.

    :meth:`add` a sequence of atoms (from :func:`compile_pattern`) with a *priority* (any
    comparable value; among equally long matches the lowest wins, and of two equal sequences
    the one with the lower priority is kept) and a *payload* returned with each match.

    Examples
    --------
    >>> m = Matcher()
    >>> for k, pat in enumerate(["strategic partner*", "partner*"]):
    ...     for seq in compile_pattern(pat):
    ...         m.add(seq, priority=k, payload=pat)
    >>> m.match("our strategic partners and partners".split())
    [(1, 2, 'strategic partner*'), (4, 1, 'partner*')]
    """

    def __init__(self) -> None:
        self._root = _Node()
        self._cache: dict[str, tuple[_Node, ...]] = {}
        self._pre_by_char: dict[str, list[tuple[str, _Node]]] | None = None

    def add(self, atoms: Sequence[Any], *, priority: Any, payload: Any) -> None:
        """Index one compiled sequence."""
        node = self._root
        for a in atoms:
            node = node.child(a)
        if node.term is None or node.term[0] > priority:
            node.term = (priority, payload)
        self._cache.clear()
        self._pre_by_char = None

    def first_nodes(self, norm: str) -> tuple[_Node, ...]:
        """Trie nodes reached by the normalised first token *norm* (cached per token type)."""
        c = self._cache.get(norm)
        if c is None:
            lst = []
            node = self._root.lit.get(norm)
            if node is not None:
                lst.append(node)
            by_char = self._pre_by_char
            if by_char is None:
                by_char = self._pre_by_char = _by_first_char(self._root.pre)
            lst.extend(n for p, n in by_char.get(norm[:1], by_char[""]) if norm.startswith(p))
            c = self._cache[norm] = tuple(lst)
        return c

    def match(self, norms: Sequence[str], toks: Sequence[str] | None = None) -> list[tuple[int, int, Any]]:
        """Non-overlapping matches ``(token index, length, payload)`` over normalised tokens
        *norms*, scanning left to right, the longest at each position (ties: lowest priority).

        *toks* are the tokens as written (for ``@CAP``; default: *norms*).  ``*`` alone
        matches a token for which :func:`analysis.segment.is_word` holds.
        """
        if toks is None:
            toks = norms
        out: list[tuple[int, int, Any]] = []
        n = len(norms)
        cache = self._cache
        first_nodes = self.first_nodes
        i = 0
        while i < n:
            firsts = cache.get(norms[i])
            if firsts is None:
                firsts = first_nodes(norms[i])
            if not firsts:
                i += 1
                continue
            best: tuple[Any, Any] | None = None
            best_len = 0
            stack = [(node, i + 1) for node in firsts]
            while stack:
                node, j = stack.pop()
                t = node.term
                if t is not None:
                    length = j - i
                    if length > best_len or (length == best_len and best is not None and t[0] < best[0]):
                        best, best_len = t, length
                if j < n:
                    w = norms[j]
                    c = node.lit.get(w)
                    if c is not None:
                        stack.append((c, j + 1))
                    for p, c in node.pre:
                        if w.startswith(p):
                            stack.append((c, j + 1))
                    if node.cap is not None and toks[j][:1].isupper():
                        stack.append((node.cap, j + 1))
                    if node.any is not None and is_word(w):
                        stack.append((node.any, j + 1))
            if best is None:
                i += 1
            else:
                out.append((i, best_len, best[1]))
                i += best_len
        return out
