"""The naive reference pipeline: what a researcher writes with the usual packages.

Each function is one comparable stage, run on the same records (dicts with ``id, title,
text``) in the same process as our pipeline (see bench.py):

* ``segment``: a simple regex sentence split (``(?<=[.!?])\\s+(?=[A-Z"])`` inside blank-line
  paragraphs) and NLTK's ``TreebankWordTokenizer`` per sentence (needs no NLTK data);
* ``tone``: VADER ``polarity_scores`` per sentence (vaderSentiment);
* ``readability``: textstat per article (Flesch reading ease, Flesch-Kincaid grade,
  Gunning fog, SMOG, Dale-Chall);
* ``ngrams``: ``collections.Counter`` of lower-cased word n-grams, n = 1..6, within sentences;
* ``protocol``: counts of about thirty protocol phrases (``PHRASES``) with one
  case-insensitive alternation regex per article (what a researcher writes; an earlier
  version compiled one regex per lexicon pattern, which nobody would);
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


#: About thirty protocol phrases, as a researcher would list them (plain lower-case phrases,
#: written for this benchmark; not the project's lexicon).
PHRASES: tuple[str, ...] = (
    "warm welcome", "warmly welcomed", "cordial", "friendly relations", "strategic partnership",
    "bilateral relations", "bilateral cooperation", "expressed gratitude", "thanked", "congratulated",
    "congratulations", "condolences", "reaffirmed", "steadfast support", "unwavering support",
    "phone call", "telephone conversation", "spoke with", "met with", "held talks", "official visit",
    "state visit", "invitation", "best wishes", "mutual understanding", "fruitful", "productive",
    "close cooperation", "shared values", "deepen cooperation", "strengthen ties", "national day",
)


def protocol_regex(phrases: Sequence[str] = PHRASES) -> re.Pattern[str]:
    """One case-insensitive alternation of the phrases (longest first), on word boundaries."""
    alts = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def protocol(records: Sequence[dict[str, Any]], rx: re.Pattern[str] | None = None) -> Counter[str]:
    """Counts of every protocol phrase over all articles (one alternation regex per article)."""
    rx = rx or protocol_regex()
    c: Counter[str] = Counter()
    for r in records:
        c.update(" ".join(m.group(0).lower().split()) for m in rx.finditer(r["text"]))
    return c


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


_TAG_RE = re.compile(r"<[^>]+>")
READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
               "dale_chall_readability_score")


def loop(records: Sequence[dict[str, Any]], *, n_max: int = 4) -> dict[str, Any]:
    """The loop a researcher writes: one pass per article doing everything.

    Per article: markup tags removed (one regex), regex sentence split inside blank-line
    paragraphs, NLTK Treebank word tokens per sentence, a ``Counter`` of lower-cased word
    1..*n_max*-grams within sentences, counts of the protocol ``PHRASES`` (one alternation
    regex), VADER compound per sentence, and textstat's five formulas per article.
    Returns the n-gram counter, phrase counts, per-sentence compounds and per-article
    readability (so the work cannot be skipped).
    """
    import textstat
    from nltk.tokenize import TreebankWordTokenizer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    tok = TreebankWordTokenizer()
    sia = SentimentIntensityAnalyzer()
    rx = protocol_regex()
    fns = [getattr(textstat, f) for f in READABILITY]
    grams: Counter[tuple[str, ...]] = Counter()
    phrases: Counter[str] = Counter()
    compound: list[float] = []
    read: list[tuple[float, ...]] = []
    n_tokens = 0
    for r in records:
        text = _TAG_RE.sub(" ", r["text"])
        sents = [s for p in _PARA_RE.split(text) for s in _SENT_RE.split(p.strip()) if s.strip()]
        for s in sents:
            toks = tok.tokenize(s)
            n_tokens += len(toks)
            words = [w.lower() for w in toks if any(ch.isalnum() for ch in w)]
            for n in range(1, n_max + 1):
                grams.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
            compound.append(sia.polarity_scores(s)["compound"])
        phrases.update(" ".join(m.group(0).lower().split()) for m in rx.finditer(text))
        read.append(tuple(f(text) for f in fns))
    return {"ngrams": grams, "phrases": phrases, "compound": compound, "readability": read,
            "n_tokens": n_tokens}


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/naive.py --corpus PATH.jsonl``: run :func:`loop`, print a one-line summary."""
    import argparse
    import json
    import time

    ap = argparse.ArgumentParser(description="The naive one-pass loop over a JSONL corpus.")
    ap.add_argument("--corpus", required=True, metavar="PATH.jsonl")
    a = ap.parse_args(argv)
    t = time.perf_counter()
    with open(a.corpus, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for r in records:
        r["text"] = "" if r.get("text") is None else str(r["text"])
    out = loop(records)
    print(json.dumps({"articles": len(records), "treebank_tokens": out["n_tokens"],
                      "sentences": len(out["compound"]), "ngram_types": len(out["ngrams"]),
                      "phrase_matches": sum(out["phrases"].values()),
                      "seconds_in_process": round(time.perf_counter() - t, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
