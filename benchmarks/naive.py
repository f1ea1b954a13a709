"""The naive reference pipeline: what a researcher writes with the usual packages.

Each function is one comparable stage, run on the same records (dicts with ``id, title,
text``) in the same process as our pipeline (see bench.py):

* ``segment``: a simple regex sentence split (``(?<=[.!?])\\s+(?=[A-Z"])`` inside blank-line
  paragraphs) and NLTK's ``TreebankWordTokenizer`` per sentence (needs no NLTK data);
* ``tone``: VADER ``polarity_scores`` per sentence (vaderSentiment);
* ``readability``: textstat per article (Flesch reading ease, Flesch-Kincaid grade,
  Gunning fog, SMOG, Dale-Chall);
* ``ngrams``: ``collections.Counter`` of lower-cased word n-grams, n = 1..6, within sentences;
* ``protocol``: the project's protocol lexicon turned into one regular expression per
  pattern, each run over every article (``re.finditer``, case-insensitive);
* ``near_duplicates``: exact pairwise Jaccard of 5-word shingle sets, **on a capped
  subsample** (the first ``cap`` articles, default 1,000): all pairs is O(n^2) and would
  not finish on the full corpus; bench.py scales the time to the full corpus as
  ``t * (n(n-1)) / (cap(cap-1))`` and says so.

No naive counterpart is given for cleaning, entities, events, collocations or templates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from typing import Any

_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_PARA_RE = re.compile(r"\n\s*\n")


def segment(records: Sequence[dict[str, Any]]) -> list[tuple[str, list[str], list[str]]]:
    """Per article: ``(id, sentences, tokens)`` -- regex sentences, Treebank tokens."""
    from nltk.tokenize import TreebankWordTokenizer

    tok = TreebankWordTokenizer()
    out = []
    for r in records:
        sents = [s for p in _PARA_RE.split(r["text"]) for s in _SENT_RE.split(p.strip()) if s.strip()]
        toks = [t for s in sents for t in tok.tokenize(s)]
        out.append((r["id"], sents, toks))
    return out


def tone(segmented: Sequence[tuple[str, list[str], list[str]]]) -> list[float]:
    """VADER compound score of every sentence (corpus order)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    return [sia.polarity_scores(s)["compound"] for _, sents, _ in segmented for s in sents]


def readability(records: Sequence[dict[str, Any]]) -> list[tuple[float, float, float, float, float]]:
    """textstat's five formulas per article."""
    import textstat

    out = []
    for r in records:
        t = r["text"]
        out.append((textstat.flesch_reading_ease(t), textstat.flesch_kincaid_grade(t), textstat.gunning_fog(t),
                    textstat.smog_index(t), textstat.dale_chall_readability_score(t)))
    return out


def ngrams(segmented: Sequence[tuple[str, list[str], list[str]]], *, n_max: int = 6) -> Counter[tuple[str, ...]]:
    """Counter of lower-cased word n-grams (n = 1..n_max) within sentences (Treebank tokens)."""
    from nltk.tokenize import TreebankWordTokenizer

    tok = TreebankWordTokenizer()
    c: Counter[tuple[str, ...]] = Counter()
    for _, sents, _ in segmented:
        for s in sents:
            words = [w.lower() for w in tok.tokenize(s) if any(ch.isalnum() for ch in w)]
            for n in range(1, n_max + 1):
                c.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return c


def _split_top(pattern: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in pattern:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == " " and depth == 0:
            if cur:
                parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def _token_regex(tok: str) -> str:
    tok = tok.replace("@CAP", "(?-i:[A-Z])[\\w.'-]*")
    if tok == "*":
        return r"\S+"
    tok = re.sub(r"(?<=\w)\*", r"\\w*", tok)
    tok = tok.replace("(", "(?:").replace(" ", r"\s+")
    return tok


def pattern_regex(pattern: str) -> str:
    """A naive regular expression for one lexicon pattern (token syntax of protocol_lexicon.yml)."""
    out = ""
    for tok in _split_top(pattern):
        opt = tok.endswith("?")
        body = _token_regex(tok[:-1] if opt else tok)
        out += f"(?:{body}\\s+)?" if opt else f"{body}\\s+"
    return r"\b" + out[: -len(r"\s+")] + r"\b" if out.endswith(r"\s+") else r"\b" + out


def protocol_patterns() -> list[re.Pattern[str]]:
    """The project's protocol lexicon as naive regular expressions (patterns that do not compile are skipped)."""
    from analysis import protocol

    lx = protocol.load_lexicon().to_frame()
    out = []
    for pats in lx["patterns"]:
        for p in str(pats).split(" ; "):
            try:
                out.append(re.compile(pattern_regex(p.strip()), re.IGNORECASE))
            except re.error:
                continue
    return out


def protocol(records: Sequence[dict[str, Any]], patterns: Sequence[re.Pattern[str]]) -> int:
    """Total protocol-pattern matches: every pattern's regex over every article."""
    return sum(1 for r in records for rx in patterns for _ in rx.finditer(r["text"]))


def near_duplicates(records: Sequence[dict[str, Any]], *, k: int = 5, threshold: float = 0.5,
                    cap: int = 1000) -> list[tuple[str, str, float]]:
    """Pairs with Jaccard >= *threshold* of word *k*-shingle sets, among the first *cap* records."""
    sub = records[:cap]
    sh = []
    for r in sub:
        w = r["text"].lower().split()
        sh.append((r["id"], {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}))
    out = []
    for (a, sa), (b, sb) in combinations(sh, 2):
        u = len(sa | sb)
        j = len(sa & sb) / u if u else 0.0
        if j >= threshold:
            out.append((min(a, b), max(a, b), j))
    return out
