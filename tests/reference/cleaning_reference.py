"""The cleaning steps before the boilerplate rule as they were written first, every pattern
searched in every text, and the first paragraph pattern (oracles for tests/test_corpus.py:
:mod:`analysis.cleaning` skips a pattern when the text lacks a character every match needs,
and matches paragraphs with a possessive pattern)."""

from __future__ import annotations

import re

from analysis import cleaning as C
from analysis.edits import EditText

#: The paragraph pattern of :func:`analysis.cleaning._paragraphs` as first written.
PARA = re.compile(r"[^\n](?:.|\n(?![ \t]*\n))*")


def paragraphs_reference(text: str) -> list[tuple[int, int]]:
    """:func:`analysis.cleaning._paragraphs` with :data:`PARA`."""
    out = []
    for m in PARA.finditer(text):
        s, e = m.start(), m.end()
        chunk = text[s:e]
        if not chunk.strip():
            continue
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        out.append((s, e))
    return out


def markup_reference(t: EditText, *, title: bool = False) -> None:
    if not title:
        t.sub(C._FIGURE, "", C.REASON_MARKUP)
        t.sub(C._COMMENT, "", C.REASON_MARKUP)
        t.sub(C._END_MARK, "", C.REASON_MARKUP)
        t.sub(C._CUT, "", C.REASON_MARKUP)
    t.sub(C._MD_LINK, lambda m: m.group(1), C.REASON_MARKUP)
    t.sub(C._AUTOLINK, lambda m: m.group(1), C.REASON_MARKUP)
    t.sub(C._TAG, "", C.REASON_MARKUP)
    t.sub(C._ESCAPE, lambda m: m.group(1), C.REASON_MARKUP)
    edits = []
    for m in C._EMPH.finditer(t.text):
        k = len(m.group(1) or m.group(3))
        edits.append((m.start(), m.start() + k, "", C.REASON_MARKUP))
        edits.append((m.end() - k, m.end(), "", C.REASON_MARKUP))
    t.apply(edits)
    if not title:
        t.sub(C._STARS_LINE, "", C.REASON_MARKUP)


def unicode_reference(t: EditText) -> None:
    t.sub(C._LINE_SEP, lambda m: "\n\n" if m.group() == "\u2029" else "\n", C.REASON_UNICODE)
    t.sub(C._SPACES, " ", C.REASON_UNICODE)
    t.sub(C._ZERO_WIDTH, "", C.REASON_UNICODE)
    t.sub(C._NFKC_CAND, C._nfkc, C.REASON_UNICODE)


def whitespace_reference(t: EditText, *, title: bool = False) -> None:
    if title:
        t.sub(C._TITLE_WS, " ", C.REASON_WHITESPACE)
        return
    t.sub(C._CRLF, "\n", C.REASON_WHITESPACE)
    t.sub(C._HARD_BREAK, "\n\n", C.REASON_WHITESPACE)
    t.sub(C._LINE_EDGE, "", C.REASON_WHITESPACE)
    t.sub(C._BLANKS, "\n\n", C.REASON_WHITESPACE)
    text = t.text

    def single(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start > C.MAX_WRAPPED_LINE or C._LIST_START.match(text, m.end()):
            return "\n\n"
        return " "

    t.sub(C._SINGLE_NL, single, C.REASON_WHITESPACE)
    t.sub(C._SPACE_RUN, " ", C.REASON_WHITESPACE)


def strip_reference(t: EditText) -> None:
    t.sub(C._LEAD, "", C.REASON_WHITESPACE)
    t.sub(C._TRAIL, "", C.REASON_WHITESPACE)


def first_steps_reference(raw: str, *, title: bool = False) -> EditText:
    """markup, unicode, whitespace and strip on *raw* (a body, or a title)."""
    t = EditText(raw)
    markup_reference(t, title=title)
    unicode_reference(t)
    whitespace_reference(t, title=title)
    strip_reference(t)
    return t


def letter_counts_reference(text: str) -> tuple[int, int]:
    """:func:`analysis.cleaning._letter_counts` as first written: a list of every letter."""
    return len(C._ALPHA.findall(text)), len(C._ASCII_ALPHA.findall(text))
