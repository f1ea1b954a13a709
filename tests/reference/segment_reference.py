"""Reference implementations of the merge rules of :meth:`analysis.segment.SentenceSplitter.spans`
(0.4.0): each pattern searched over the whole sentence.  The oracles of the versions that look
at the sentence's end first."""

from __future__ import annotations

from analysis.segment import (
    _DOTTED_END_RE,
    _FIRST_WORD_RE,
    _INITIAL_END_RE,
    _LAST_WORD_RE,
    NEVER_FINAL,
    SENTENCE_STARTERS,
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
