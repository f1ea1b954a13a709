"""Matching the protocol lexicon on sentences, and the measures built on the matches.

Matching
--------
Matching runs on the ``tokens`` of the sentences table
(:func:`analysis.segment.segment_articles`).  At each token position the longest
matching sequence wins (ties: the entry listed first in the lexicon), and matching
resumes after it, so nested and overlapping formulas are counted once.  A match
preceded, within the 3 preceding word tokens of its sentence, by a negator
(``not, no, never, neither, nor, without``, any ``n't`` form, ``failed to``,
``refused to``) has ``negated=True`` and its warmth *w* replaced by ``min(0, -w)``:
a negated warm formula ("did not express satisfaction") counts as cool, a negated
cool one ("did not condemn") as neutral, never as warm.

Sentence flag
-------------
A sentence is *protocol* when it holds at least one non-negated match in a category
of :data:`PROTOCOL_CATEGORIES` (every category except ``coolness_disagreement``,
following the annotation guidelines of the gold set: receptions and meetings,
greetings, congratulations, condolences, thanks, satisfaction, relationship formulas,
formulaic procedure, honorific titles).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.protocol_lexicon import CATEGORIES, Lexicon, Match, _pattern_lexicon, _resolve
from analysis.schema import KWIC_COLUMNS, MATCH_COLUMNS, MISSING_GROUP, period
from analysis.segment import SentenceSplitter, add_tokens, is_word, norm_token, tokenize

__all__ = [
    "PROTOCOL_CATEGORIES",
    "MULTIWORD",
    "NEGATORS",
    "match",
    "match_text",
    "article_measures",
    "category_counts",
    "group_measures",
    "kwic",
    "sentence_flags",
    "is_protocol",
    "categories_of",
    "model_categories",
    "evaluate_flag",
]


#: Categories that make a sentence "protocol" (all but coolness_disagreement).
PROTOCOL_CATEGORIES: frozenset[str] = frozenset(CATEGORIES) - {"coolness_disagreement"}
#: The marker :func:`categories_of` adds once per match of two or more word tokens (a formula
#: rather than a single word such as "friendly" or "support"; a feature of the sentence model).
MULTIWORD: str = "multiword"

#: Single-token negators (normalised); any token ending in "n't" is a negator too.
NEGATORS: frozenset[str] = frozenset({"not", "no", "never", "neither", "nor", "without", "cannot"})
#: Two-token negators: (first, second).
NEGATOR_BIGRAMS: frozenset[tuple[str, str]] = frozenset({("failed", "to"), ("refused", "to")})
#: How many preceding word tokens are searched for a negator.
NEGATION_WINDOW: int = 3


def _is_negator(w: str) -> bool:
    return w in NEGATORS or w.endswith("n't")


def _negated(norms: Sequence[str], isw: Sequence[bool], i: int) -> bool:
    """Whether one of the NEGATION_WINDOW word tokens before position *i* is a negator."""
    prev = ""  # the word after the current one (scanning backwards)
    seen = 0
    j = i - 1
    while j >= 0 and seen < NEGATION_WINDOW:
        if isw[j]:
            w = norms[j]
            if w in NEGATORS or w.endswith("n't") or (w, prev) in NEGATOR_BIGRAMS:
                return True
            prev = w
            seen += 1
        j -= 1
    return False


def _effective_warmth(w: int, negated: bool) -> int:
    return min(0, -w) if negated else w


def match(
    sentences: pd.DataFrame,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Measure: protocol formulas in a sentences table.

    Parameters
    ----------
    sentences
        The sentences table (``doc_id, sentence_id, start, text`` and, ideally,
        ``tokens, spans`` from :func:`analysis.segment.segment_articles`; tokens are
        computed when missing).
    lexicon
        A :class:`Lexicon`, a lexicon file path, or ``None`` for the default.

    Returns
    -------
    pandas.DataFrame
        One row per match: ``doc_id, sentence_id, start, end`` (character offsets in
        the cleaned article text), ``category``, ``pattern`` (the entry id),
        ``matched`` (surface text), ``warmth`` (after negation: ``min(0, -w)`` when
        negated), ``negated`` (bool), ``n_tokens`` (word tokens in the match).
        Sorted by ``doc_id, sentence_id, start``.
    """
    lex = _resolve(lexicon)
    for col in ("doc_id", "sentence_id", "start", "text"):
        if col not in sentences.columns:
            raise InputError(f"sentences table lacks column '{col}'")
    sents = sentences if {"tokens", "spans"} <= set(sentences.columns) else add_tokens(sentences)
    rows: list[tuple[Any, ...]] = []
    # per token type: its normalised form; per normalised form: whether it is a word
    norm_of: dict[str, str] = {}
    word_of: dict[str, bool] = {}

    def _norm(t: str) -> str:
        w = norm_of[t] = norm_token(t)
        if w not in word_of:
            word_of[w] = is_word(w)
        return w

    norm_get = norm_of.get
    for doc_id, sid, s0, text, toks, spans in zip(
        sents["doc_id"].tolist(),
        sents["sentence_id"].tolist(),
        sents["start"].tolist(),
        sents["text"].tolist(),
        sents["tokens"].tolist(),
        sents["spans"].tolist(),
    ):
        norms = list(map(norm_get, toks))
        if None in norms:
            norms = [w if w is not None else _norm(t) for w, t in zip(norms, toks)]
        found = lex.match_tokens(norms, toks)
        if not found:
            continue
        isw = list(map(word_of.__getitem__, norms))
        for i, L, entry in found:
            a = spans[i][0]
            b = spans[i + L - 1][1]
            neg = _negated(norms, isw, i)
            rows.append(
                (doc_id, sid, a, b, entry.category, entry.id, text[a - s0 : b - s0],
                 _effective_warmth(entry.warmth, neg), neg, sum(isw[i : i + L]))
            )
    out = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    out = out.astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64", "warmth": "int64",
         "negated": "bool", "n_tokens": "int64"}
    )
    out = out.sort_values(["doc_id", "sentence_id", "start"], kind="mergesort").reset_index(drop=True)
    return out


@functools.lru_cache(maxsize=1)
def _plain_splitter() -> SentenceSplitter:
    return SentenceSplitter()


def match_text(
    text: str,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> list[Match]:
    """Protocol formulas in a single string.

    The string is split into sentences with the untrained project splitter (known
    abbreviations only) so that negation never reaches across a sentence boundary.

    Returns
    -------
    list of Match
        In text order; ``start``/``end`` are character offsets in *text*.

    Examples
    --------
    >>> [(m.category, m.matched, m.warmth, m.negated)
    ...  for m in match_text("The President expressed his deep gratitude to the Emir.")]
    [('gratitude', 'expressed his deep gratitude', 2, False)]
    """
    lex = _resolve(lexicon)
    if not isinstance(text, str):
        raise InputError(f"match_text expects a string, got {type(text).__name__}")
    out: list[Match] = []
    for s, e in _plain_splitter().spans(text):
        tt = tokenize(text[s:e], offset=s)
        toks = [t for _, _, t in tt]
        norms = [norm_token(t) for t in toks]
        isw = [is_word(t) for t in norms]
        for i, L, entry in lex.match_tokens(norms, toks):
            a, b = tt[i][0], tt[i + L - 1][1]
            neg = _negated(norms, isw, i)
            nw = sum(isw[i : i + L])
            out.append(Match(a, b, entry.category, entry.id, text[a:b],
                             _effective_warmth(entry.warmth, neg), neg, nw))
    return out


def _doc_order(values: Iterable[Any]) -> list[Any]:
    return sorted(set(values), key=lambda v: (str(type(v)), v))


def article_measures(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Measure: protocol language per article.

    Parameters
    ----------
    sentences
        The sentences table (needs ``doc_id, sentence_id`` and ``n_words`` or ``tokens``).
    matches
        The output of :func:`match` on the same sentences.

    Returns
    -------
    pandas.DataFrame
        One row per ``doc_id`` of *sentences* (sorted), columns:

        * ``n_words`` -- word tokens (punctuation excluded);
        * ``n_sentences``;
        * ``n_matches`` -- all matches, negated ones included;
        * ``matched_tokens`` -- word tokens inside matches;
        * ``density_per_1000`` -- ``matched_tokens`` per 1,000 word tokens;
        * ``sentence_share`` -- share (0..1) of sentences with >= 1 non-negated match
          in a protocol category (:func:`sentence_flags`);
        * ``warmth_index`` -- mean warmth (after negation) of all matches, in the
          lexicon's -2..+2 units; NaN when the article has no match;
        * ``honorific_rate`` -- honorific matches per 1,000 word tokens.

        Rates are NaN for an article without words.
    """
    s = sentences if "n_words" in sentences.columns else add_tokens(sentences)
    sw = s.groupby("doc_id", sort=True).agg(n_words=("n_words", "sum"), n_sentences=("sentence_id", "size"))
    flags = sentence_flags(s, matches)
    share = flags.groupby("doc_id", sort=True)["protocol"].mean()
    m = matches
    agg = m.groupby("doc_id", sort=True).agg(
        n_matches=("category", "size"),
        matched_tokens=("n_tokens", "sum"),
        warmth_index=("warmth", "mean"),
    )
    hon = m[m["category"] == "honorific"].groupby("doc_id", sort=True).size().rename("n_honorific")
    out = sw.join(agg, how="left").join(hon, how="left")
    out["n_matches"] = out["n_matches"].fillna(0).astype("int64")
    out["matched_tokens"] = out["matched_tokens"].fillna(0).astype("int64")
    out["n_honorific"] = out["n_honorific"].fillna(0).astype("int64")
    words = out["n_words"].astype("float64").where(out["n_words"] > 0)
    out["density_per_1000"] = 1000.0 * out["matched_tokens"] / words
    out["sentence_share"] = share.reindex(out.index).astype("float64")
    out["warmth_index"] = out["warmth_index"].astype("float64")
    out["honorific_rate"] = 1000.0 * out["n_honorific"] / words
    out = out.reset_index()
    return out[
        ["doc_id", "n_words", "n_sentences", "n_matches", "matched_tokens", "density_per_1000",
         "sentence_share", "warmth_index", "honorific_rate"]
    ].astype({"n_words": "int64", "n_sentences": "int64"})


def _group_labels(articles: pd.DataFrame, by: str) -> pd.Series:
    """Group label per doc_id: an articles column, or ``month`` (YYYY-MM from ``date``)."""
    if "doc_id" not in articles.columns:
        raise InputError("articles table lacks column 'doc_id'")
    if by in articles.columns:
        lab = articles[by]
    elif by == "month":
        if "date" not in articles.columns:
            raise InputError("by='month' needs a 'date' column in articles")
        lab = period(articles["date"], "month")
    else:
        raise InputError(f"articles table lacks column '{by}' (by=)")
    lab = lab.astype("object").where(lab.notna(), MISSING_GROUP).astype(str)
    return pd.Series(lab.to_numpy(), index=articles["doc_id"].to_numpy(), name="group")


def _words_per_doc(sentences: pd.DataFrame | None, articles: pd.DataFrame | None) -> pd.Series | None:
    if sentences is not None:
        s = sentences if "n_words" in sentences.columns else add_tokens(sentences)
        return s.groupby("doc_id", sort=True)["n_words"].sum()
    if articles is not None and "text" in articles.columns:
        n = [sum(1 for _, _, t in tokenize(x) if is_word(t)) if isinstance(x, str) else 0
             for x in articles["text"].tolist()]
        return pd.Series(n, index=articles["doc_id"].to_numpy(), dtype="int64")
    return None


def category_counts(
    matches: pd.DataFrame,
    *,
    by: str | None = None,
    articles: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    include_negated: bool = True,
) -> pd.DataFrame:
    """Measure: match counts per category (and group).

    Parameters
    ----------
    matches
        Output of :func:`match`.
    by
        ``None`` (one group ``"all"``), a column of *articles* (e.g. ``source`` or a
        dyad column), or ``"month"`` (``YYYY-MM`` of ``articles.date``, UTC).
        Articles whose group value is missing form the group ``"(missing)"``
        (:data:`analysis.schema.MISSING_GROUP`); undated ones with ``by="month"`` the
        group ``"undated"`` (:data:`analysis.schema.MISSING_PERIOD`).
    articles
        Needed when *by* is given; also supplies word counts (from ``text``) when
        *sentences* is not given.
    sentences
        Sentences table used for the word-count denominator of ``per_1000``.
    include_negated
        Count negated matches too (default ``True``).

    Returns
    -------
    pandas.DataFrame
        ``group, category, frequency`` (matches), ``docfreq`` (articles with >= 1
        match), ``per_1000`` (matches per 1,000 word tokens of the group's articles;
        NaN without a word-count source).  Every category of :data:`CATEGORIES` is
        listed for every group (zeros included); rows sorted by ``group`` then the
        order of :data:`CATEGORIES` (unknown categories after, alphabetically).
    """
    m = matches if include_negated else matches[~matches["negated"].astype(bool)]
    words = _words_per_doc(sentences, articles)
    if by is None:
        groups = ["all"]
        gm = m.assign(group="all")
        word_by_group: dict[str, float] = {}
        if words is not None:
            if articles is not None:
                words = words.reindex(articles["doc_id"].to_numpy()).fillna(0)
            word_by_group = {"all": float(words.sum())}
    else:
        if articles is None:
            raise InputError("category_counts(by=...) needs the articles table")
        labels = _group_labels(articles, by)
        groups = sorted(set(labels.tolist()))
        gm = m.assign(group=m["doc_id"].map(labels))
        gm = gm[gm["group"].notna()]
        word_by_group = {}
        if words is not None:
            w = words.reindex(labels.index).fillna(0)
            word_by_group = w.groupby(labels.to_numpy()).sum().astype(float).to_dict()
    cats = list(CATEGORIES) + sorted(set(m["category"]) - set(CATEGORIES))
    freq = gm.groupby(["group", "category"]).size()
    dfreq = gm.groupby(["group", "category"])["doc_id"].nunique()
    rows = []
    for g in groups:
        for c in cats:
            f = int(freq.get((g, c), 0))
            d = int(dfreq.get((g, c), 0))
            wg = word_by_group.get(g)
            per = 1000.0 * f / wg if wg else np.nan
            rows.append((g, c, f, d, per))
    out = pd.DataFrame(rows, columns=["group", "category", "frequency", "docfreq", "per_1000"])
    return out.astype({"frequency": "int64", "docfreq": "int64", "per_1000": "float64"})


def group_measures(
    sentences: pd.DataFrame,
    matches: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str,
) -> pd.DataFrame:
    """Measure: the article measures pooled per group.

    Parameters
    ----------
    by
        A column of *articles* or ``"month"`` (see :func:`category_counts`).

    Returns
    -------
    pandas.DataFrame
        ``group, n_articles, n_words, n_sentences, n_matches, matched_tokens,
        density_per_1000`` (pooled: matched word tokens per 1,000 word tokens of the
        group), ``sentence_share`` (pooled share of the group's sentences flagged
        protocol), ``warmth_index`` (mean warmth over the group's matches),
        ``honorific_rate`` (pooled, per 1,000 words) and ``mean_density_per_1000``
        (unweighted mean of the articles' densities).  Only articles present in
        *sentences* count.  Sorted by ``group``.
    """
    am = article_measures(sentences, matches)
    labels = _group_labels(articles, by)
    am = am.assign(group=am["doc_id"].map(labels).fillna(MISSING_GROUP))
    flags = sentence_flags(sentences, matches)
    flags = flags.assign(group=flags["doc_id"].map(labels).fillna(MISSING_GROUP))
    mm = matches.assign(group=matches["doc_id"].map(labels).fillna(MISSING_GROUP))
    g = am.groupby("group", sort=True).agg(
        n_articles=("doc_id", "size"), n_words=("n_words", "sum"), n_sentences=("n_sentences", "sum"),
        n_matches=("n_matches", "sum"), matched_tokens=("matched_tokens", "sum"),
        mean_density_per_1000=("density_per_1000", "mean"),
    )
    words = g["n_words"].astype(float).where(g["n_words"] > 0)
    g["density_per_1000"] = 1000.0 * g["matched_tokens"] / words
    g["sentence_share"] = flags.groupby("group", sort=True)["protocol"].mean().reindex(g.index)
    g["warmth_index"] = mm.groupby("group", sort=True)["warmth"].mean().reindex(g.index).astype(float)
    hon = mm[mm["category"] == "honorific"].groupby("group").size().reindex(g.index).fillna(0)
    g["honorific_rate"] = 1000.0 * hon / words
    g = g.reset_index()
    return g[
        ["group", "n_articles", "n_words", "n_sentences", "n_matches", "matched_tokens",
         "density_per_1000", "sentence_share", "warmth_index", "honorific_rate", "mean_density_per_1000"]
    ]


def kwic(
    sentences: pd.DataFrame,
    matches: pd.DataFrame | None = None,
    *,
    pattern: str | None = None,
    category: str | None = None,
    window: int = 5,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Measure: keyword-in-context lines for protocol matches.

    Parameters
    ----------
    sentences
        The sentences table.
    matches
        Matches to show (default: :func:`match` with *lexicon*).  Ignored when
        *pattern* is given.
    pattern
        A lexicon entry id (filters *matches*) or a pattern string in the lexicon
        syntax, compiled on the fly and matched alone (its ``category`` is ``""``).
    category
        Keep only this category.
    window
        Tokens of context on each side, within the sentence (default 5).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sentence_id, left, keyword, right, category, pattern, start, end``;
        ``left`` and ``right`` are the surface text of up to *window* tokens on each side;
        ``start``/``end`` are the keyword's character offsets in the article's clean text.
        Sorted by ``doc_id, sentence_id`` and position.
    """
    if window < 0:
        raise InputError("window must be >= 0")
    s = sentences if {"tokens", "spans"} <= set(sentences.columns) else add_tokens(sentences)
    if pattern is not None:
        lex = _resolve(lexicon)
        is_id = any(e.id == pattern for e in lex.entries) or (
            matches is not None and bool((matches["pattern"] == pattern).any())
        )
        if is_id:
            m = matches if matches is not None else match(s, lexicon=lex)
            m = m[m["pattern"] == pattern]
        else:
            m = match(s, lexicon=_pattern_lexicon(pattern))
    else:
        m = matches if matches is not None else match(s, lexicon=lexicon)
    if category is not None:
        m = m[m["category"] == category]
    index = {
        (d, int(i)): (int(st), tx, sp)
        for d, i, st, tx, sp in zip(s["doc_id"].tolist(), s["sentence_id"].tolist(), s["start"].tolist(),
                                    s["text"].tolist(), s["spans"].tolist())
    }
    rows = []
    for d, sid, a, b, cat, pat, kw in zip(m["doc_id"].tolist(), m["sentence_id"].tolist(), m["start"].tolist(),
                                          m["end"].tolist(), m["category"].tolist(), m["pattern"].tolist(),
                                          m["matched"].tolist()):
        s0, text, spans = index[(d, int(sid))]
        starts = [x for x, _ in spans]
        ends = [y for _, y in spans]
        i = starts.index(a) if a in starts else 0
        j = ends.index(b) if b in ends else len(spans) - 1
        lo = max(0, i - window)
        hi = min(len(spans) - 1, j + window)
        left = text[spans[lo][0] - s0 : a - s0] if i > lo else ""
        right = text[b - s0 : spans[hi][1] - s0] if hi > j else ""
        rows.append((d, int(sid), int(a), int(b), left.strip(), kw, cat, pat, right.strip()))
    out = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "start", "end", "left", "keyword", "category",
                                      "pattern", "right"])
    out = out.sort_values(["doc_id", "sentence_id", "start"], kind="mergesort").reset_index(drop=True)
    return out[list(KWIC_COLUMNS)].astype({"sentence_id": "int64", "start": "int64", "end": "int64"})


def sentence_flags(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Transform-like measure: the protocol flag of every sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sentence_id, protocol`` (bool: >= 1 non-negated match in a category
        of :data:`PROTOCOL_CATEGORIES`), one row per sentence, in the sentences'
        order sorted by ``doc_id, sentence_id``.
    """
    keep = matches[matches["category"].isin(PROTOCOL_CATEGORIES) & ~matches["negated"].astype(bool)]
    hit = set(zip(keep["doc_id"].tolist(), keep["sentence_id"].astype(int).tolist()))
    out = sentences[["doc_id", "sentence_id"]].copy()
    out["protocol"] = [
        (d, int(i)) in hit for d, i in zip(out["doc_id"].tolist(), out["sentence_id"].tolist())
    ]
    out = out.astype({"protocol": "bool"})
    return out.sort_values(["doc_id", "sentence_id"], kind="mergesort").reset_index(drop=True)


def categories_of(
    sentence: str,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> list[str]:
    """Categories of the protocol formulas in a single sentence, one per match, negated matches
    left out, then :data:`MULTIWORD` once per match of two or more word tokens (the
    protocol-lexicon features of :mod:`analysis.tone_model`).

    Examples
    --------
    >>> categories_of("Kenya is a friendly nation that values the friendly relations.")
    ['relationship_formula', 'relationship_formula', 'multiword']
    """
    return model_categories((m.category, m.n_tokens) for m in match_text(sentence, lexicon=lexicon)
                            if not m.negated)


def model_categories(matches: Iterable[tuple[str, int]]) -> list[str]:
    """The list :func:`categories_of` gives, from a sentence's non-negated matches as
    ``(category, n_tokens)`` pairs in text order: the categories, then :data:`MULTIWORD` once
    per match of two or more word tokens.

    Examples
    --------
    >>> model_categories([("gratitude", 3), ("relationship_formula", 1)])
    ['gratitude', 'relationship_formula', 'multiword']
    """
    pairs = list(matches)
    return [c for c, _ in pairs] + [MULTIWORD] * sum(n >= 2 for _, n in pairs)


def is_protocol(
    sentence: str,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> bool:
    """Whether a single sentence contains a protocol formula (see :func:`sentence_flags`)."""
    return any(m.category in PROTOCOL_CATEGORIES and not m.negated for m in match_text(sentence, lexicon=lexicon))


def evaluate_flag(
    gold_path: str | os.PathLike[str],
    *,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
) -> dict[str, float]:
    """Precision, recall and F1 of :func:`is_protocol` against hand-coded sentences.

    Parameters
    ----------
    gold_path
        JSONL with the fields ``sentence`` (str) and ``protocol`` (bool), e.g. the
        development gold set ``gold/dev_gold.jsonl`` in the shared material.

    Returns
    -------
    dict
        ``precision, recall, f1`` (positive class: protocol) and ``n`` (items).
    """
    p = Path(gold_path)
    if not p.is_file():
        raise InputError(f"gold file not found: {config.relpath(p)}")
    tp = fp = fn = n = 0
    with p.open(encoding="utf-8") as fh:
        for k, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                gold = bool(item["protocol"])
                text = str(item["sentence"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{config.relpath(p)}: line {k}: bad gold item ({type(exc).__name__})") from None
            pred = is_protocol(text, lexicon=lexicon)
            n += 1
            tp += pred and gold
            fp += pred and not gold
            fn += gold and not pred
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "n": n}
