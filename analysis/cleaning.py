"""Cleaning loaded articles with full provenance (the cleaning half of :mod:`analysis.corpus`).

:func:`clean` is a transform: it adds the cleaned body ``text`` and replaces
``title`` by the cleaned title, and returns a *removals* table in which every
removed or replaced span is recorded with its offsets in the RAW field, the raw
span, the reason and the replacement.  :func:`restore` rebuilds the raw field
exactly from the clean field and its removal rows, so no cleaning decision is
ever invisible.  The steps (:data:`CLEANING_STEPS`, each can be switched off)
run in this order:

``markup``
    HTML remnants (tags are dropped, their content kept: ``70<sup>th</sup>`` ->
    ``70th``; ``<figure>...</figure>`` blocks and ``<!-- -->`` comments are
    dropped whole), Markdown autolinks ``<https://...>`` -> the URL, Markdown
    backslash escapes (``\\[`` -> ``[``), emphasis markers (``**bold**`` ->
    ``bold``), end-of-release lines (``\\###``, ``\\# \\# \\#``) and cut markers
    ``<...>``.
``unicode``
    NFKC-style normalisation without touching quotes: non-breaking and other
    fixed-width spaces -> ``" "``; zero-width and bidirectional control characters (U+200E/F,
    U+202A-E, U+2066-9, U+061C), soft hyphens, BOMs and
    control characters removed; compatibility characters (ligatures, full-width
    forms, ``…``) replaced by their NFKC form; combining sequences composed.
``whitespace``
    Line ends normalised to ``\\n``; spaces at line starts/ends stripped;
    Markdown hard breaks (two trailing spaces) and blank-line runs become a
    paragraph break of exactly ``"\\n\\n"``; single newlines inside a paragraph
    are soft wraps and become a space, unless the line before is longer than
    :data:`MAX_WRAPPED_LINE` characters (a hard-wrapped line never is, so the
    text has one paragraph per line) or the next line starts a list item, in
    which case they become a paragraph break; runs of spaces/tabs -> one space.
``boilerplate``
    Paragraphs that match a known phrase of ``boilerplate.yml`` and paragraphs
    that recur verbatim in at least ``boilerplate_min_docs`` articles AND at
    least ``boilerplate_min_share`` of the articles of the same ``source``
    (site boilerplate).  An article is never emptied by the recurring rule.
``foreign_language``
    Paragraphs that are confidently not English (see :func:`foreign_language`),
    and, inside English paragraphs, sentences written mostly in Cyrillic,
    Arabic, Hebrew, Georgian, Armenian or CJK script (untranslated quotes such
    as "Слава Україні!").
``repeated_paragraphs``, ``repeated_sentences``
    Second and later verbatim copies of a paragraph within one article; and
    sentences of at least :data:`MIN_REPEATED_SENTENCE_WORDS` words that repeat
    a sentence of an EARLIER paragraph or immediately repeat the sentence before
    them (the first occurrence is kept; a sentence that recurs later within its
    own paragraph is rhetoric or list structure and is kept).
``title_markers``
    Marker words from ``boilerplate.yml`` at the start/end of a title.
``strip``
    Leading and trailing whitespace of body and title.

Titles go through ``markup``, ``unicode``, ``whitespace`` (every whitespace run
-> one space), ``title_markers`` and ``strip``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from .decoding import _as_str, _field_str
from .edits import EditText, PlainText, restore
from .errors import DataFileError, InputError
from .lexicon import load_boilerplate
from .segment import SentenceSplitter, is_word, token_strings
from .workprogress import n_partitions, partition_bounds

__all__ = [
    "REMOVAL_COLUMNS", "CLEANING_STEPS", "TITLE_STEPS", "DEFAULT_BOILERPLATE_MIN_DOCS",
    "DEFAULT_BOILERPLATE_MIN_SHARE", "MIN_REPEATED_SENTENCE_WORDS", "MAX_WRAPPED_LINE",
    "FOREIGN_MIN_PROB", "ENGLISH_FUNCTION_WORDS", "EditText", "foreign_language", "clean",
    "restore",
]

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

#: Columns of the removals table.
REMOVAL_COLUMNS: tuple[str, ...] = ("doc_id", "field", "start", "end", "text", "reason", "replacement")

#: Cleaning steps of the body, in the order they run.
CLEANING_STEPS: tuple[str, ...] = (
    "markup", "unicode", "whitespace", "boilerplate", "foreign_language", "repeated_paragraphs",
    "repeated_sentences", "title_markers", "strip",
)
#: The steps that also apply to titles.
TITLE_STEPS: tuple[str, ...] = ("markup", "unicode", "whitespace", "title_markers", "strip")

#: Default: a paragraph is site boilerplate when it recurs verbatim in at least
#: this many articles of one source ...
DEFAULT_BOILERPLATE_MIN_DOCS: int = 5
#: ... and in at least this share of that source's articles.
DEFAULT_BOILERPLATE_MIN_SHARE: float = 0.2
#: Sentences shorter than this (in word tokens) are never removed as repeated
#: (short formulas such as "Thank you." legitimately recur in transcripts).
MIN_REPEATED_SENTENCE_WORDS: int = 8
#: A line longer than this (characters) is not hard-wrapped: the newline after
#: it is a paragraph break, not a soft wrap.
MAX_WRAPPED_LINE: int = 100
#: A Latin-script paragraph is removed as foreign only when py3langid's
#: normalised probability of its (non-English) label is at least this.
FOREIGN_MIN_PROB: float = 0.95

REASON_MARKUP = "markup"
REASON_UNICODE = "unicode normalisation"
REASON_WHITESPACE = "whitespace"
REASON_RECURRING = "boilerplate: recurring line"
REASON_PHRASE = "boilerplate: known phrase"
REASON_REPEATED_PARA = "repeated paragraph"
REASON_REPEATED_SENT = "repeated sentence"
REASON_TITLE_MARKER = "title marker"


def _foreign_reason(lang: str) -> str:
    return f"boilerplate: foreign language ({lang})"


# ---------------------------------------------------------------------------
# Language tests
# ---------------------------------------------------------------------------

#: Frequent English function words: a paragraph with enough of them is English
#: without asking py3langid (the cheap test).
ENGLISH_FUNCTION_WORDS: frozenset[str] = frozenset(
    """the of and to in a an is are was were be been has have had that this these those with for on at by
    from as it its his her their our we he she they not or but also will would which who said during
    after about between into over""".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ALPHA = re.compile(r"[^\W\d_]")
_ASCII_ALPHA = re.compile(r"[A-Za-z]")
_NONLATIN = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
                       r"\u10a0-\u10ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


_ASCII_LETTER_BYTES = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def _letter_counts(text: str) -> tuple[int, int]:
    """``(letters, ASCII letters)`` of *text*: the matches of ``_ALPHA`` and ``_ASCII_ALPHA``,
    counted without a list per letter (an ASCII character is a letter of ``_ALPHA`` exactly when
    it is in A-Z or a-z; the other letters are found among the non-ASCII characters)."""
    b = text.encode("ascii", "ignore")
    n_ascii = len(b) - len(b.translate(None, _ASCII_LETTER_BYTES))
    return n_ascii + len(_ALPHA.findall(_ASCII_RUN.sub("", text))), n_ascii


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> Any:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    try:
        ident.set_languages(list(languages))
    except ValueError as exc:
        raise DataFileError(f"boilerplate 'languages': {exc}") from None
    return ident


def _classify(text: str, languages: tuple[str, ...]) -> tuple[str, float]:
    lang, prob = _identifier(languages).classify(text)
    return str(lang), float(prob)


def foreign_language(text: str, *, languages: Sequence[str] | None = None,
                     min_prob: float = FOREIGN_MIN_PROB) -> str | None:
    """The language code of *text* when it is confidently NOT English, else None.

    Decision (cheap tests first, py3langid only for what remains):

    1. fewer than 2 letters -> None;
    2. at least half of the letters in a non-Latin script (Cyrillic, Greek,
       Armenian, Hebrew, Arabic, Georgian, Thai, CJK, Hangul) -> foreign, the
       label chosen by py3langid (``py3langid.langid`` restricted to *languages*);
    3. the cheap English test: >= 90 % ASCII letters and at least one English
       function word per 12 words -> None (English);
    4. fewer than 3 words, or >= 50 % capitalised words (lines of names,
       "Ilham Aliyev, Igor Babushkin"), or >= 10 % English function words -> None;
    5. py3langid label != "en" with normalised probability >= *min_prob* -> that label.

    References
    ----------
    Lui, M., & Baldwin, T. (2012). langid.py: An off-the-shelf language
    identification tool. *Proceedings of the ACL 2012 System Demonstrations*, 25-30.
    """
    if languages is None:
        languages = load_boilerplate()["languages"]
    langs = tuple(languages)
    if text.isascii():
        # same decisions, fewer passes: every letter of an ASCII text is an ASCII letter
        # inside one of the words (a word is letters plus at most one apostrophe)
        words = _WORD_RE.findall(text)
        joined = "".join(words)  # (a word holds at most one apostrophe)
        n_letters = len(joined) - joined.count("'")
        if n_letters < 2:
            return None
        ascii_share = 1.0
    else:
        n_letters, n_ascii = _letter_counts(text)
        if n_letters < 2:
            return None
        nonlatin = len(_NONLATIN.findall(text))
        if nonlatin >= 0.5 * n_letters:
            lang, _ = _classify(text, langs)
            if lang == "en":
                lang = "und"
            return lang
        words = _WORD_RE.findall(text)
        ascii_share = n_ascii / n_letters
    n_func = sum(map(ENGLISH_FUNCTION_WORDS.__contains__, map(str.lower, words)))
    if ascii_share >= 0.9 and n_func * 12 >= len(words) and n_func > 0:
        return None
    if len(words) < 3:
        return None
    caps = sum(1 for w in words if w[0].isupper())
    if caps * 2 >= len(words) or n_func * 10 >= len(words):
        return None
    lang, prob = _classify(text, langs)
    if lang != "en" and prob >= min_prob:
        return lang
    return None


# ---------------------------------------------------------------------------
# Cleaning steps
# ---------------------------------------------------------------------------

_FIGURE = re.compile(r"<figure\b.*?</figure\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_END_MARK = re.compile(r"(?m)^[ \t\xa0*_]*(?:\\?#[ \t\xa0]*){3,}[*_]*[ \t\xa0]*$")
_CUT = re.compile(r"<(?:\.\.\.|…)>|\[(?:\.\.\.|…)\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
#: A Markdown inline link "[anchor](https://... "title")": reduced to its anchor text (images
#: "![alt](...)" are left alone).
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,300})\]\((?:https?://|mailto:|/)[^()\s]{0,2000}(?:\s+\"[^\"\n]*\")?\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
_EMPH = re.compile(
    r"(\*\*\*?|__)((?:(?!\n[ \t]*\n)[^*])+?)\1(?!\*)"  # **strong**/***both***: may touch letters ("Andr**é**s")
    r"|(?<![\w*\\])(\*)(?=\S)((?:(?!\n[ \t]*\n)[^*])*?\S)\*(?![\w*])"  # *emphasis*
)
_STARS_LINE = re.compile(r"(?m)^[ \t]*\*+[ \t]*$")

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(
    r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)  # zero-width and bidirectional control characters (U+200E/F, U+202A-E, U+2066-9, U+061C), soft hyphen, C0/C1
_LINE_SEP = re.compile(r"[\u2028\u2029\x85]")
_NFKC_CAND = re.compile(r"[A-Za-z][\u0300-\u036f]+|[^\x00-\x7f][\u0300-\u036f]*")

_CRLF = re.compile(r"\r\n?")
_HARD_BREAK = re.compile(r" {2,}\n(?=[ \t]*\S)")
_LINE_EDGE = re.compile(r"[ \t]+(?=\n)|(?<=\n)[ \t]+")
_BLANKS = re.compile(r"\n{2,}")
_SINGLE_NL = re.compile(r"(?<!\n)\n(?!\n)")
_LIST_START = re.compile(r"(?:[-*•●▪–]\s|\d{1,3}[.)]\s)")
_SPACE_RUN = re.compile(r"[ \t]*\t[ \t]*| {2,}")
_TITLE_WS = re.compile(r"\s{2,}|[^\S ]")
_LEAD = re.compile(r"\A\s+")
_TRAIL = re.compile(r"\s+\Z")
#: A paragraph: from a character other than "\n" up to a blank line ("\n", spaces or tabs, "\n")
#: or the end (runs of line characters matched at once, possessively: the matches of
#: r"[^\n](?:.|\n(?![ \t]*\n))*" an order of magnitude faster; tests/reference/cleaning_reference.py).
_PARA = re.compile(r"[^\n]++(?:\n(?![ \t]*\n)[^\n]*+)*+")


def _sub_if(t: EditText | PlainText, needles: Sequence[str] | None, pattern: re.Pattern[str],
            repl: str | Callable[[re.Match[str]], str | None], reason: str) -> None:
    """``t.sub(pattern, repl, reason)`` when the current text holds one of *needles* (every match
    of *pattern* contains one of them), or, with *needles* None, any non-ASCII character (every
    match holds one); otherwise no match is possible and the scan is skipped (same edits)."""
    text = t.text
    if (not text.isascii()) if needles is None else any(n in text for n in needles):
        t.sub(pattern, repl, reason)


def _markup(t: EditText | PlainText, *, title: bool = False) -> None:
    # each pattern is searched only when the text holds a character every match needs
    # (tested after the steps before it, which may join such characters)
    if not title:
        _sub_if(t, ("<",), _FIGURE, "", REASON_MARKUP)
        _sub_if(t, ("<!--",), _COMMENT, "", REASON_MARKUP)
        _sub_if(t, ("#",), _END_MARK, "", REASON_MARKUP)
        _sub_if(t, ("<", "["), _CUT, "", REASON_MARKUP)
    _sub_if(t, ("](",), _MD_LINK, lambda m: m.group(1), REASON_MARKUP)
    _sub_if(t, ("<",), _AUTOLINK, lambda m: m.group(1), REASON_MARKUP)
    _sub_if(t, ("<",), _TAG, "", REASON_MARKUP)
    _sub_if(t, ("\\",), _ESCAPE, lambda m: m.group(1), REASON_MARKUP)
    if "*" in t.text or "__" in t.text:
        edits = []
        for m in _EMPH.finditer(t.text):
            k = len(m.group(1) or m.group(3))
            edits.append((m.start(), m.start() + k, "", REASON_MARKUP))
            edits.append((m.end() - k, m.end(), "", REASON_MARKUP))
        t.apply(edits)
    if not title:
        _sub_if(t, ("*",), _STARS_LINE, "", REASON_MARKUP)


def _nfkc(m: re.Match[str]) -> str | None:
    s = m.group()
    n = unicodedata.normalize("NFKC", s)
    if n == s or not n or n[0].isspace() or unicodedata.combining(n[0]) or " " in n:
        return None
    return n


def _unicode(t: EditText | PlainText) -> None:
    _sub_if(t, None, _LINE_SEP, lambda m: "\n\n" if m.group() == "\u2029" else "\n", REASON_UNICODE)
    _sub_if(t, None, _SPACES, " ", REASON_UNICODE)
    t.sub(_ZERO_WIDTH, "", REASON_UNICODE)  # (also ASCII control characters)
    _sub_if(t, None, _NFKC_CAND, _nfkc, REASON_UNICODE)


def _whitespace(t: EditText | PlainText, *, title: bool = False) -> None:
    if title:
        t.sub(_TITLE_WS, " ", REASON_WHITESPACE)
        return
    _sub_if(t, ("\r",), _CRLF, "\n", REASON_WHITESPACE)
    _sub_if(t, ("  \n",), _HARD_BREAK, "\n\n", REASON_WHITESPACE)
    _sub_if(t, (" \n", "\t\n", "\n ", "\n\t"), _LINE_EDGE, "", REASON_WHITESPACE)
    _sub_if(t, ("\n\n\n",), _BLANKS, "\n\n", REASON_WHITESPACE)  # "\n\n" is left as it is
    text = t.text

    def single(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start > MAX_WRAPPED_LINE or _LIST_START.match(text, m.end()):
            return "\n\n"
        return " "

    _sub_if(t, ("\n",), _SINGLE_NL, single, REASON_WHITESPACE)
    _sub_if(t, ("\t", "  "), _SPACE_RUN, " ", REASON_WHITESPACE)


def _strip(t: EditText) -> None:
    if t.text[:1].isspace():  # (str.isspace is the \\s of a str pattern)
        t.sub(_LEAD, "", REASON_WHITESPACE)
    if t.text[-1:].isspace():
        t.sub(_TRAIL, "", REASON_WHITESPACE)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line separated paragraphs (without surrounding whitespace)."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        chunk = text[s:e]
        stripped = chunk.strip()
        if not stripped:
            continue
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        out.append((s, e))
    return out


def _unit_removals(units: list[tuple[int, int]], reasons: list[str | None],
                   container: tuple[int, int]) -> list[tuple[int, int, str]]:
    """Deletion spans for removed units (paragraphs or sentences) with their separators.

    A removed unit takes the separator after it with it; a trailing run of
    removed units takes the separator before each; so the surviving units keep
    exactly one separator between them and the spans never overlap.
    """
    out: list[tuple[int, int, str]] = []
    n = len(units)
    last_kept = max((i for i in range(n) if reasons[i] is None), default=-1)
    for i, r in enumerate(reasons):
        if r is None:
            continue
        if i < last_kept:
            out.append((units[i][0], units[i + 1][0], r))
        elif i == 0:
            out.append((units[0][0], units[0][1], r))
        else:
            out.append((units[i - 1][1], units[i][1], r))
    return out


@lru_cache(maxsize=1)
def _splitter() -> SentenceSplitter:
    return SentenceSplitter()


def _sentences_in(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    s0, e0 = para
    return [(s0 + s, s0 + e) for s, e in _splitter().spans(text[s0:e0])]


def _n_words(s: str) -> int:
    return sum(1 for tok in token_strings(s) if is_word(tok))


def _norm_key(s: str) -> str:
    return " ".join(s.split())


def _repeated_paragraphs(t: EditText) -> None:
    text = t.text
    paras = _paragraphs(text)
    seen: set[str] = set()
    reasons: list[str | None] = []
    for s, e in paras:
        key = _norm_key(text[s:e])
        reasons.append(REASON_REPEATED_PARA if key in seen else None)
        seen.add(key)
    if any(reasons):
        t.delete(_unit_removals(paras, reasons, (0, len(text))))


_CRUDE_SENT = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n")


def _repeated_sentences(t: EditText) -> None:
    text = t.text
    # cheap necessary condition: Punkt only splits where this crude splitter does, so a
    # repeated sentence implies a repeated crude piece; most articles have none
    pieces = Counter(filter(None, map(str.strip, _CRUDE_SENT.split(text))))
    if not pieces or max(pieces.values()) < 2:
        return
    seen: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for para in _paragraphs(text):
        sents = _sentences_in(text, para)
        reasons: list[str | None] = []
        prev = None
        here: set[str] = set()
        for s, e in sents:
            key = _norm_key(text[s:e])
            # a repeat from an earlier paragraph, or an immediate repeat ("X. X."); a sentence
            # recurring later in its own paragraph is rhetoric or list structure and is kept
            earlier = (key in seen and key not in here) or key == prev
            rep = earlier and _n_words(key) >= MIN_REPEATED_SENTENCE_WORDS
            reasons.append(REASON_REPEATED_SENT if rep else None)
            here.add(key)
            prev = key
        seen |= here
        if any(reasons) and not all(reasons):
            spans.extend(_unit_removals(sents, reasons, para))
        elif sents and all(reasons):
            # the paragraph consists of repeats only: remove it as a whole below
            spans.append((para[0], para[1], "__para__"))
    para_drop = {(s, e) for s, e, r in spans if r == "__para__"}
    spans = [x for x in spans if x[2] != "__para__"]
    if para_drop:
        paras = _paragraphs(text)
        reasons = [REASON_REPEATED_SENT if p in para_drop else None for p in paras]
        spans.extend(_unit_removals(paras, reasons, (0, len(text))))
    t.delete(sorted(spans))


def _title_marker_patterns(markers: Sequence[str]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    if not markers:
        return None
    alt = "|".join(re.escape(m) for m in sorted(markers, key=lambda m: (-len(m), m)))
    word = rf"[\(\[]?\b(?:{alt})\b(?:\s*\d+)?[\)\]]?"
    end = re.compile(rf"[\s\-–—:|,]*{word}[\s.]*\Z")
    start = re.compile(rf"\A\s*{word}[\s\-–—:|,]*")
    return start, end


def _title_markers(t: EditText, patterns: tuple[re.Pattern[str], re.Pattern[str]] | None) -> None:
    if patterns is None:
        return
    for _ in range(5):
        before = t.text
        for pat in patterns:
            m = pat.search(t.text)
            if m and m.end() > m.start() and t.text[: m.start()].strip() + t.text[m.end():].strip():
                t.apply([(m.start(), m.end(), "", REASON_TITLE_MARKER)])
        if t.text == before:
            break


def _foreign(t: EditText, languages: tuple[str, ...]) -> None:
    text = t.text
    paras = _paragraphs(text)
    reasons: list[str | None] = []
    spans: list[tuple[int, int, str]] = []
    for para in paras:
        chunk = text[para[0]:para[1]]
        lang = foreign_language(chunk, languages=languages)
        reasons.append(_foreign_reason(lang) if lang else None)
        if lang is None and _NONLATIN.search(chunk):
            sents = _sentences_in(text, para)
            sreasons: list[str | None] = []
            for s, e in sents:
                sent = text[s:e]
                letters = sum(1 for ch in sent if ch.isalpha())
                if letters >= 2 and len(_NONLATIN.findall(sent)) >= 0.5 * letters:
                    sl = foreign_language(sent, languages=languages)
                    sreasons.append(_foreign_reason(sl) if sl else None)
                else:
                    sreasons.append(None)
            if any(sreasons) and not all(sreasons):
                spans.extend(_unit_removals(sents, sreasons, para))
    if any(reasons):
        spans.extend(_unit_removals(paras, reasons, (0, len(text))))
    t.delete(sorted(spans))


def _paragraph_keys(t: EditText | PlainText) -> list[tuple[tuple[int, int], str]]:
    text = t.text
    return [((s, e), _norm_key(text[s:e])) for s, e in _paragraphs(text)]


def _boilerplate(t: EditText, keys: list[tuple[tuple[int, int], str]], phrases: Sequence[re.Pattern[str]],
                 recurring: Collection[str]) -> None:
    """Delete the paragraphs that match a known phrase or recur in the article's source
    (*recurring*: the keys over the source's count thresholds)."""
    reasons: list[str | None] = []
    for _, key in keys:
        if any(p.fullmatch(key) for p in phrases):
            reasons.append(REASON_PHRASE)
            continue
        reasons.append(REASON_RECURRING if key in recurring else None)
    # the recurring rule never empties an article
    if reasons and all(r is not None for r in reasons):
        reasons = [r if r == REASON_PHRASE else None for r in reasons]
    if any(reasons):
        t.delete(_unit_removals([span for span, _ in keys], reasons, (0, len(t.text))))


@dataclass(frozen=True)
class _CleanPlan:
    """What every cleaning partition needs (sent to the workers)."""

    chosen: frozenset[str]
    phrases: tuple[re.Pattern[str], ...]
    languages: tuple[str, ...]
    markers: tuple[re.Pattern[str], re.Pattern[str]] | None
    recurring: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _first_steps(body: str, title: str, plan: _CleanPlan) -> tuple[EditText, EditText]:
    """The steps before the boilerplate rule on one document's raw body and title."""
    b, ti = EditText(body), EditText(title)
    if "markup" in plan.chosen:
        _markup(b)
        _markup(ti, title=True)
    if "unicode" in plan.chosen:
        _unicode(b)
        _unicode(ti)
    if "whitespace" in plan.chosen:
        _whitespace(b)
        _whitespace(ti, title=True)
    return b, ti


def _first_body(body: str, plan: _CleanPlan) -> PlainText:
    """The body after the steps before the boilerplate rule, as :func:`_first_steps` gives it,
    without the provenance (:class:`analysis.edits.PlainText`: the counting pass needs the text only)."""
    b = PlainText(body)
    if "markup" in plan.chosen:
        _markup(b)
    if "unicode" in plan.chosen:
        _unicode(b)
    if "whitespace" in plan.chosen:
        _whitespace(b)
    return b


def _count_first(docs: Sequence[tuple[str, str, str]], plan: _CleanPlan) -> dict[str, Counter[str]]:
    """Per source, in how many of *docs* ``(source, body, title)`` each paragraph (whitespace-normalised,
    after the steps before the boilerplate rule) occurs (empty without the boilerplate step)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if "boilerplate" in plan.chosen:
        for source, body, _ in docs:
            counts[source].update({key for _, key in _paragraph_keys(_first_body(body, plan))})
    return dict(counts)


def _clean_second(docs: Sequence[tuple[str, str, str]], plan: _CleanPlan
                  ) -> list[tuple[str, str, list[tuple[int, int, str, str, str]], list[tuple[int, int, str, str, str]]]]:
    """Every step per document ``(source, body, title)`` (the first ones again: holding their
    results for the whole corpus between the passes cost more memory than they take to redo);
    ``(title, text, title edits, text edits)`` per document."""
    out = []
    empty: frozenset[str] = frozenset()
    for source, body, title in docs:
        b, ti = _first_steps(body, title, plan)
        if "boilerplate" in plan.chosen:
            _boilerplate(b, _paragraph_keys(b), plan.phrases, plan.recurring.get(source, empty))
        if "foreign_language" in plan.chosen:
            _foreign(b, plan.languages)
        if "repeated_paragraphs" in plan.chosen:
            _repeated_paragraphs(b)
        if "repeated_sentences" in plan.chosen:
            _repeated_sentences(b)
        if "title_markers" in plan.chosen:
            _title_markers(ti, plan.markers)
        if "strip" in plan.chosen:
            _strip(b)
            _strip(ti)
        out.append((ti.text, b.text, ti.edits(), b.edits()))
    return out


def clean(
    articles: pd.DataFrame,
    *,
    steps: Sequence[str] | None = None,
    boilerplate_min_docs: int = DEFAULT_BOILERPLATE_MIN_DOCS,
    boilerplate_min_share: float = DEFAULT_BOILERPLATE_MIN_SHARE,
    boilerplate_path: str | Path | None = None,
    session: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Transform: add the cleaned body ``text`` and the cleaned ``title``, recording every edit.

    Parameters
    ----------
    articles
        The loaded articles (at least ``doc_id`` and ``raw_text``; ``raw_title``
        or ``title``; ``source`` groups articles for the recurring-line rule).
        ``doc_id`` must be unique.  Not modified.
    steps
        Names from :data:`CLEANING_STEPS` to run (default: all), always in the
        canonical order.
    boilerplate_min_docs
        A paragraph recurring verbatim in at least this many articles of one
        source (default 5) ...
    boilerplate_min_share
        ... and in at least this share of them (default 0.2) is site boilerplate.
    boilerplate_path
        A user's boilerplate YAML instead of ``analysis/data/boilerplate.yml``.
    session
        An :class:`analysis.engines.Session` whose workers clean partitions of the articles
        (default: this process).  The result does not depend on it: the boilerplate counts
        are merged over the whole corpus before any paragraph is removed.

    Returns
    -------
    articles : pandas.DataFrame
        The input rows and columns plus ``text``; ``title`` is the cleaned title.
    removals : pandas.DataFrame
        Columns :data:`REMOVAL_COLUMNS`; one row per removed or replaced span,
        ``start``/``end`` are character offsets in the raw field
        (``raw_text`` for field ``text``, ``raw_title`` for ``title``); sorted
        by article order, field, start.  ``restore(text, rows)`` gives the raw
        field back.

    Raises
    ------
    InputError
        Unknown step names, missing ``doc_id``/``raw_text`` columns, duplicate
        ``doc_id``.
    """
    chosen = set(CLEANING_STEPS if steps is None else steps)
    unknown = sorted(chosen - set(CLEANING_STEPS))
    if unknown:
        raise InputError(f"unknown cleaning step(s) {', '.join(unknown)}; choose from {', '.join(CLEANING_STEPS)}")
    for c in ("doc_id", "raw_text"):
        if c not in articles.columns:
            raise InputError(f"articles table has no '{c}' column")
    ids = articles["doc_id"].astype(str).tolist()
    dup = sorted({d for d, n in Counter(ids).items() if n > 1})
    if dup:
        raise InputError(f"articles have duplicate doc_id: {dup[0]!r}")
    bp = load_boilerplate(boilerplate_path)
    tcol = "raw_title" if "raw_title" in articles.columns else ("title" if "title" in articles.columns else None)
    titles = [_field_str(v) for v in articles[tcol].tolist()] if tcol else [""] * len(ids)
    bodies = [_field_str(v) for v in articles["raw_text"].tolist()]
    sources = [_as_str(v) for v in articles["source"].tolist()] if "source" in articles.columns else [""] * len(ids)
    plan = _CleanPlan(chosen=frozenset(chosen), phrases=tuple(bp["phrases"]), languages=tuple(bp["languages"]),
                      markers=_title_marker_patterns(bp["title_markers"]))
    bounds = partition_bounds(len(ids), n_parts=n_partitions(len(ids), session.workers if session is not None else 1))
    docs = list(zip(sources, bodies, titles))
    del bodies, titles
    chunks = [docs[i:j] for i, j in bounds]
    del docs

    def passed(fn: Callable[[Sequence[tuple[str, str, str]], _CleanPlan], Any], p: _CleanPlan) -> Iterable[Any]:
        # each partition's result is used before the next is taken (a few partitions are held at a time)
        return session.imap(fn, chunks, p, desc="cleaning") if session is not None else map(fn, chunks, [p] * len(chunks))

    # the boilerplate rule: a paragraph recurring in >= min_docs articles of its source and in
    # >= min_share of them, counted over the whole corpus
    n_src = Counter(sources)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for counts in passed(_count_first, plan):
        for src, c in counts.items():
            totals[src].update(c)
    recurring = {
        src: frozenset(k for k, n in c.items() if n >= boilerplate_min_docs and n >= boilerplate_min_share * n_src[src])
        for src, c in totals.items()
    }
    del totals
    plan = replace(plan, recurring=recurring)
    # Built column by column, partition by partition, each partition's results let go once read
    # (no row tuples, no text column inferred and converted back: less held at the peak).
    new_titles: list[str] = []
    new_texts: list[str] = []
    cols: dict[str, list[Any]] = {c: [] for c in REMOVAL_COLUMNS}
    k = 0
    for part in passed(_clean_second, plan):
        for title, text, title_edits, text_edits in part:
            doc_id = ids[k]
            k += 1
            new_titles.append(title)
            new_texts.append(text)
            for field_name, edits in (("text", text_edits), ("title", title_edits)):
                for st, en, raw_span, rep, reason in edits:
                    cols["doc_id"].append(doc_id)
                    cols["field"].append(field_name)
                    cols["start"].append(st)
                    cols["end"].append(en)
                    cols["text"].append(raw_span)
                    cols["reason"].append(reason)
                    cols["replacement"].append(rep)
        del part
    chunks.clear()
    out = articles.copy()
    out["title"] = new_titles
    out["text"] = new_texts
    del new_titles, new_texts
    removals = pd.DataFrame({c: pd.Series(cols.pop(c), dtype="int64" if c in ("start", "end") else object)
                             for c in REMOVAL_COLUMNS})
    return out, removals
