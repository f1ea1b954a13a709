"""Tone toward bilateral ties as tables: every sentence of a corpus, and its aggregation by
dyad and period with article-cluster bootstrap intervals.

The decisions for one sentence (about ties, pair, tone, protocol flag) are those of
:func:`analysis.tone_rules.analyse_sentence` (rules of :mod:`analysis.dyads` and
:mod:`analysis.tone_rules`, fitted model of :mod:`analysis.tone_model`); this module applies
them to a corpus efficiently (:func:`sentence_tone`) and aggregates (:func:`dyad_tone`,
:func:`article_tone`).  The public names of :mod:`analysis.tone_rules` and
:mod:`analysis.tone_lexicon` are re-exported here, so ``analysis.sentiment`` stays the one
import for tone.

References
----------
Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B*, 69(3), 369-390.
"""

import json
import os
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace as _replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config
from analysis import protocol as _protocol
from analysis import schema as _schema
from analysis.dyads import THIRD_PAIR_REASON
from analysis.dyads import Mention as _Mention
from analysis.dyads import context_country as _context_country
from analysis.dyads import find_mentions as _find
from analysis.dyads import is_question as _is_question
from analysis.dyads import title_base as _title_base
from analysis.dyads import with_officials as _with_officials
from analysis.dyads import with_prev as _with_prev
from analysis.errors import InputError
from analysis.outlet_context import (
    infer_adversaries,
    infer_home_countries,
    item_contexts,
    item_outlet,
    outlet_home_countries,
    outlet_homes_and_parties,
    outlet_parties,
)
from analysis.segment import SentenceSplitter, is_word, norm_token, tokenize
from analysis.tone_lexicon import (
    CATEGORIES,
    ToneLexicon,
    default_tone_lexicon,
    load_tone_lexicon,
)
from analysis.tone_rules import (
    DEFAULT_PARAMS,
    Explanation,
    ToneParams,
    _analyse,
    analyse_sentence,
    vader_compound,
    vader_tone,
)

__all__ = [
    "CATEGORIES",
    "SENTENCE_TONE_COLUMNS",
    "DYAD_TONE_COLUMNS",
    "ToneLexicon",
    "ToneParams",
    "DEFAULT_PARAMS",
    "Explanation",
    "load_tone_lexicon",
    "default_tone_lexicon",
    "analyse_sentence",
    "score_sentence",
    "score_items",
    "score_file",
    "explain",
    "infer_home_countries",
    "outlet_home_countries",
    "infer_adversaries",
    "outlet_parties",
    "item_contexts",
    "ITEM_FIELDS",
    "vader_compound",
    "vader_tone",
    "sentence_tone",
    "dyad_tone",
    "article_tone",
]

#: Columns of the sentence_tone table (defined in :mod:`analysis.schema`).
SENTENCE_TONE_COLUMNS = _schema.SENTENCE_TONE_COLUMNS
#: The ``dyad`` label in dyad_tone of about-ties sentences whose pair could not be resolved.
UNRESOLVED_DYAD = "(unresolved)"
#: Columns of the dyad_tone table (defined in :mod:`analysis.schema`).
DYAD_TONE_COLUMNS = _schema.DYAD_TONE_COLUMNS
#: Minimum number of articles (the bootstrap's resampling unit) for a cell's interval.  With
#: fewer clusters a percentile bootstrap cannot reach its nominal coverage (with one article the
#: interval is a point; Field & Welsh 2007 on cluster resampling); such cells keep their mean,
#: get no interval (NaN) and ``low_support`` true, and charts mark them.
MIN_ARTICLES = _schema.MIN_ARTICLES

def explain(sentence: str, *, title: str = "", prev: str = "", source: str | None = None,
            params: ToneParams = DEFAULT_PARAMS, gazetteer: Any | None = None, model: Any = None,
            source_countries: Mapping[str, str] | None = None, date: Any = None, url: str | None = None,
            home_country: str = "", outlets: Any | None = None) -> Explanation:
    """Why a sentence got its dyad and tone: every word/rule and its contribution.

    The outlet's country (the speaking side) is *source_countries*' (``{source: ISO3}``), else
    found as ``score-sentences`` finds it (:func:`analysis.outlet_context.item_outlet`):
    *home_country*, else *source* and *url* looked up in *outlets* (default the bundled list).

    *date* is the article's date (a string or timestamp): with it, office-holders named
    without their country ("Macron said") resolve to the country they served on that date
    (:func:`analysis.dyads.with_officials`), as in ``run`` and ``score-sentences``.

    Returns an :class:`Explanation`; ``print(explain(...))`` shows a table, and
    ``explain(...).to_frame()`` returns it as a DataFrame (``source, matched, category,
    weight, factor, contribution, note``) whose ``contribution`` column sums to the score.
    """
    parties, advs = (), None  # with source_countries given: no party outlets, no adversary (as before)
    if source_countries is None:
        source, source_countries, parties, advs = item_outlet(
            sentence, title=title, prev=prev, source=source, url=url, home_country=home_country, outlets=outlets,
            gazetteer=gazetteer)
    return analyse_sentence(sentence, title=title, prev=prev, source=source, params=params, gazetteer=gazetteer,
                            model=model, source_countries=source_countries, party_outlets=parties, adversaries=advs,
                            date=date)


def score_sentence(
    sentence: str,
    *,
    title: str = "",
    prev: str = "",
    source: str | None = None,
    home_country: str = "",
    params: ToneParams = DEFAULT_PARAMS,
    gazetteer: Any | None = None,
    model: Any = None,
    date: Any = None,
    url: str | None = None,
    outlets: Any | None = None,
) -> dict[str, Any]:
    """Relation, dyad, tone and protocol flag of one sentence, as ``score-sentences`` gives
    them for an item with these fields.

    Parameters
    ----------
    source, url
        The outlet's name and the item's web address, looked up in the outlets file
        (*outlets*: an :class:`analysis.outlets.Outlets` table; default the bundled list) for
        the outlet's country when *home_country* is not given.
    home_country
        ISO alpha-3 code of the outlet's country (the implied speaking side when the title
        names none, e.g. "Telephone conversation with the President of France" on a head of
        state's own site); see :func:`analysis.outlets.home_country`.
    date
        The article's date (a string or timestamp), for office-holders named without their
        country (as ``score-sentences`` does with an item's ``date``).

    Returns
    -------
    dict
        ``{"about_ties": bool, "dyad": str ("" when not about ties or the pair is not
        resolved), "tone": -1|0|1|None, "protocol": bool, "score": float|None}``; ``score``
        is P(+1) - P(-1) of the tone model (range -1..1) and is None when not about ties.
    """
    key, homes, parties, advs = item_outlet(sentence, title=title, prev=prev, source=source, url=url,
                                             home_country=home_country, outlets=outlets, gazetteer=gazetteer)
    ex = analyse_sentence(sentence, title=title, prev=prev, source=key, params=params, gazetteer=gazetteer,
                          source_countries=homes, party_outlets=parties, adversaries=advs, model=model, date=date)
    return {"about_ties": ex.about_ties, "dyad": ex.dyad, "tone": ex.tone, "protocol": ex.protocol,
            "score": ex.score}


def _article_texts(articles: pd.DataFrame, sentences: pd.DataFrame) -> dict[Any, str]:
    """doc_id -> body text: the articles' ``text``, else their sentences joined."""
    if "text" in articles.columns:
        return dict(zip(articles["doc_id"].tolist(), articles["text"].fillna("").astype(str).tolist()))
    out: dict[Any, list[str]] = {}
    for d, t in zip(sentences["doc_id"].tolist(), sentences["text"].astype(str).tolist()):
        out.setdefault(d, []).append(t)
    return {d: " ".join(ts) for d, ts in out.items()}


def sentence_tone(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    mentions: pd.DataFrame | None = None,
    params: ToneParams = DEFAULT_PARAMS,
    gazetteer: Any | None = None,
    source_countries: Mapping[str, str] | None = None,
    protocol_matches: pd.DataFrame | None = None,
    model: Any = None,
    adversaries: Mapping[str, str] | None = None,
    party_outlets: Collection[str] | None = None,
    outlets: str | os.PathLike[str] | Any | None = None,
    home_country: str | None = None,
) -> pd.DataFrame:
    """Measure: dyad and tone of every sentence, with the title and previous sentence as context.

    Parameters
    ----------
    articles
        Cleaned articles (``doc_id, title``; ``source`` used when present to infer each
        outlet's home country).
    sentences
        The sentences table (``doc_id, sentence_id, start, text``).
    mentions
        Optional mentions table (``doc_id, sentence_id, start, end, surface, country,
        kind``; document offsets) to reuse instead of searching the gazetteer again.
    source_countries
        Outlet -> home country (ISO alpha-3).  Default: inferred from *articles*' own titles
        with :func:`infer_home_countries`.  Pass the corpus-wide mapping when *articles* is
        one partition of a larger corpus, so that results do not depend on partitioning.
    outlets, home_country
        When *source_countries* or *party_outlets* is not given: an outlets file (path) or
        table looked up before the bundled list, and the researcher's home countries (``"ISO3"``
        or ``"SOURCE=ISO3;..."``, :func:`analysis.params.home_country_spec`), as ``run``'s
        ``--outlets`` and ``--home-country``.
    protocol_matches
        Optional output of :func:`analysis.protocol.match` on *sentences* (default
        lexicon) to reuse for the ``protocol`` flag (:func:`analysis.protocol.sentence_flags`)
        instead of matching every sentence again with :func:`analysis.protocol.is_protocol`.
        The flag is the same either way: a sentence that the untrained splitter of
        :func:`analysis.protocol.match_text` would split further is still checked with
        ``is_protocol``.

    Notes
    -----
    The ``tokens``/``spans`` columns of *sentences* (from
    :func:`analysis.segment.segment_articles`) are reused when present; the title context
    is computed once per article, gazetteer look-ups of the previous sentence and VADER
    scores once per distinct string.  The output is identical to calling
    :func:`analyse_sentence` on every sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sentence_id, dyad, about_ties, tone, score, protocol, directed,
        pair_reason``; one row per sentence, sorted by ``doc_id, sentence_id``.  A sentence
        that speaks of a bilateral relationship ("bilateral relations", "our two countries")
        whose pair cannot be resolved is kept with ``about_ties`` true, ``dyad`` "" and the
        reason in ``pair_reason`` (which says how the pair was found for every about-ties
        sentence; "" otherwise).  ``tone`` is a nullable Int64
        (-1/0/1, <NA> when not about ties); ``score`` is P(+1) - P(-1) of the tone model
        (-1..1; lexicon units with ``model=False``; NaN when not about ties); ``directed`` is
        "SPEAKER>PARTNER" (e.g. "AZE>RUS") or "".
    """
    for col in ("doc_id", "sentence_id", "text"):
        if col not in sentences.columns:
            raise InputError(f"sentences table lacks column '{col}'")
    if "doc_id" not in articles.columns or "title" not in articles.columns:
        raise InputError("articles table needs columns 'doc_id' and 'title'")
    titles = dict(zip(articles["doc_id"].tolist(), articles["title"].fillna("").astype(str).tolist()))
    sources: dict[Any, str] = {}
    if "source" in articles.columns:
        sources = dict(zip(articles["doc_id"].tolist(), articles["source"].fillna("").astype(str).tolist()))
    by_src: dict[str, list[str]] = {}
    for d, src in sources.items():
        if src:
            by_src.setdefault(src, []).append(titles.get(d, ""))
    urls = dict(zip(articles["doc_id"].tolist(), articles["url"].fillna("").astype(str).tolist())) \
        if "url" in articles.columns else {}
    if source_countries is None or party_outlets is None:
        found_homes, found_parties = outlet_homes_and_parties(
            sources, urls, titles=titles, gazetteer=gazetteer, outlets=outlets, home_country=home_country,
            texts=_article_texts(articles, sentences),
            dates=dict(zip(articles["doc_id"].tolist(), articles["date"].tolist())) if "date" in articles.columns
            else None)
    homes = dict(source_countries) if source_countries is not None else found_homes
    if party_outlets is None:
        party_outlets = found_parties
    if adversaries is None:
        by_src_text: dict[str, list[str]] = {}
        for d_, t_ in zip(sentences["doc_id"].tolist(), sentences["text"].astype(str).tolist()):
            src_ = sources.get(d_, "")
            if src_:
                by_src_text.setdefault(src_, []).append(t_)
        adversaries = infer_adversaries(by_src_text, homes, gazetteer=gazetteer)
    ment: dict[tuple[Any, int], list[Any]] | None = None
    if mentions is not None:
        ment = {}
        starts = dict(zip(zip(sentences["doc_id"].tolist(), sentences["sentence_id"].tolist()),
                          sentences["start"].tolist() if "start" in sentences.columns else [0] * len(sentences)))
        n_m = len(mentions)
        kinds = [str(x) for x in mentions["kind"].tolist()] if "kind" in mentions.columns else [""] * n_m
        surfaces = [str(x) for x in mentions["surface"].tolist()] if "surface" in mentions.columns else [""] * n_m
        for d, sid, ms, me, country, kind, surface in zip(
                mentions["doc_id"].tolist(), mentions["sentence_id"].tolist(), mentions["start"].tolist(),
                mentions["end"].tolist(), [str(x) for x in mentions["country"].tolist()], kinds, surfaces):
            key = (d, int(sid))
            off = int(starts.get(key, 0))
            ment.setdefault(key, []).append(_Mention(int(ms) - off, int(me) - off, country, kind, surface))
        for key, found in ment.items():  # as _as_mentions gives them, once per sentence
            ment[key] = sorted((m for m in found if m.country), key=lambda m: (m.start, m.end))
    flags: set[tuple[Any, int]] | None = None  # the sentences whose protocol flag is true
    cats: dict[tuple[Any, int], list[str]] = {}
    if protocol_matches is not None:
        # _protocol.sentence_flags without its table: a non-negated match in a protocol category
        flags = set()
        kept = protocol_matches[~protocol_matches["negated"].astype(bool)]
        proto = _protocol.PROTOCOL_CATEGORIES
        matched: dict[tuple[Any, int], list[tuple[str, int]]] = {}
        for d_, sid_, cat_, n_ in zip(kept["doc_id"].tolist(), kept["sentence_id"].tolist(), kept["category"].tolist(),
                                      kept["n_tokens"].tolist()):
            matched.setdefault((d_, int(sid_)), []).append((str(cat_), int(n_)))
            if cat_ in proto:
                flags.add((d_, int(sid_)))
        # the sentence model's categories, as _protocol.categories_of gives them for one sentence
        cats = {key: _protocol.model_categories(pairs) for key, pairs in matched.items()}
    s = sentences.sort_values(["doc_id", "sentence_id"], kind="mergesort")
    n = len(s)
    use_tokens = {"tokens", "spans", "start"} <= set(s.columns)
    tok_col = s["tokens"].tolist() if use_tokens else [None] * n
    span_col = s["spans"].tolist() if use_tokens else [None] * n
    start_col = s["start"].tolist() if use_tokens else [0] * n
    lex = default_tone_lexicon()
    base_cache: dict[tuple[str, str, bool, str], tuple[str, list[str]]] = {}
    find_cache: dict[str, list[_Mention]] = {}
    tok_cache: dict[str, str] = {}
    tok_get = tok_cache.get

    def tok_norm(t: str) -> str:
        x = tok_cache[t] = norm_token(t) if is_word(t) or t in (",", ";", ":") else ""
        return x

    def find_prev(text: str) -> list[_Mention]:
        got = find_cache.get(text)
        if got is None:
            if len(find_cache) > 4096:
                find_cache.clear()
            got = find_cache[text] = _find(text, gazetteer)
        return _with_officials(got, text, cur_date[0]) if cur_date[0] is not None else got

    dates = dict(zip(articles["doc_id"].tolist(), articles["date"].tolist())) if "date" in articles.columns else {}
    cur_date: list[Any] = [None]

    rows = []
    prev_doc, prev_text = None, ""
    prev_sm: list[Any] = []
    for d, sid, text, tokens, spans, start in zip(s["doc_id"].tolist(), s["sentence_id"].tolist(),
                                                   s["text"].astype(str).tolist(), tok_col, span_col, start_col):
        if d != prev_doc:  # the article's context, once per article
            prev_text, prev_sm = "", []
            prev_reason, prev_pair = "", ()
            title = titles.get(d, "")
            src = sources.get(d) or None
            src_c = homes.get(src or "", "") if src else ""
            party = bool(src) and src in party_outlets
            date = dates.get(d)
            if date is not None and pd.isna(date):
                date = None
            cur_date[0] = date
            day = str(date)[:10] if date is not None else ""
            base = base_cache.get((title, src_c, party, day))
            if base is None:
                if len(base_cache) > 8192:
                    base_cache.clear()
                base = base_cache[(title, src_c, party, day)] = _title_base(title, gazetteer, src_c, party, date)
            adversary = adversaries.get(src or "", "") if src else ""
            # the previous sentence counts only with exactly one of a speaker side and partners
            title_ctx = _with_prev(base[0], base[1], "", gazetteer, adversary=adversary)
            doc_ctx = None if bool(base[0]) != bool(base[1]) else title_ctx
        if doc_ctx is not None:
            ctx = doc_ctx
        elif base[0]:
            # a speaking side and no partner: the partner of a sentence that names none is the
            # one other country the previous sentence names, or the pair of two other countries
            # it was about ("Q: Armenia and Azerbaijan initialed a peace agreement"), and nothing
            # from further back: the context the codebook gives a coder (the title and the
            # previous sentence), as score-sentences has it.  Carrying a partner on through an
            # answer took as about ties sentences a coder shown that context does not (model
            # 1.23.0's pair rules, CHANGELOG).
            got = _context_country(prev_sm, base[0])
            if prev_reason == THIRD_PAIR_REASON:
                carry, carry_pair, carry_q = "", prev_pair, False
            elif got:
                carry, carry_pair, carry_q = got, (), _is_question(prev_text)
            else:
                carry, carry_pair, carry_q = "", (), False
            ctx = _replace(title_ctx, prev_country=carry, prev_pair=carry_pair, prev_question=carry_q) \
                if carry or carry_pair else title_ctx
        else:
            ctx = _with_prev(base[0], base[1], prev_text, gazetteer, find_prev, adversary=adversary)
        off = int(start)
        if not use_tokens:
            tt = tokenize(text, offset=off)
            tokens, spans = [t for _, _, t in tt], [(a, b) for a, b, _ in tt]
        # per token type: its matching form when the tone rules keep it (_kept_tokens), else None
        infos = list(map(tok_get, tokens))
        if None in infos:
            infos = [tok_norm(t) if x is None else x for t, x in zip(tokens, infos)]
        if "" in infos:
            toks = [(a - off, b - off, t) for (a, b), t, x in zip(spans, tokens, infos) if x]
            words = [x for x in infos if x]
        else:
            toks = [(a - off, b - off, t) for (a, b), t in zip(spans, tokens)] if off else \
                [(a, b, t) for (a, b), t in zip(spans, tokens)]
            words = infos
        key = (d, int(sid))
        sm = _find(text, gazetteer, date) if ment is None else (ment.get(key) or [])
        if ment is not None and date is not None:
            sm = _with_officials(sm, text, date)
        prot: bool | None = None
        pcats: list[str] | None = None
        if flags is not None and _single_plain_sentence(text):
            prot = key in flags
            pcats = cats.get(key, [])
        ex = _analyse(text, title, ctx, toks, sm, params, lex, prot, words, model=model, proto_cats=pcats,
                      tone_unless_about=False)
        rows.append((d, key[1], ex.dyad, ex.about_ties, ex.tone, ex.score, ex.protocol, ex.directed,
                     ex.reason if ex.about_ties else ""))
        prev_doc, prev_text, prev_sm = d, text, sm
        third = ex.about_ties and ex.dyad and ex.reason.startswith(THIRD_PAIR_REASON)
        prev_reason, prev_pair = (THIRD_PAIR_REASON, tuple(ex.dyad.split("-"))) if third else ("", ())
    out = pd.DataFrame(rows, columns=list(SENTENCE_TONE_COLUMNS))
    out["tone"] = pd.array(out["tone"].tolist(), dtype="Int64")
    out["score"] = pd.to_numeric(out["score"], errors="coerce").astype("float64")
    return out.astype({"sentence_id": "int64", "about_ties": "bool", "protocol": "bool"})


@lru_cache(maxsize=1)
def _plain_splitter() -> Any:
    return SentenceSplitter()


def _single_plain_sentence(text: str) -> bool:
    """Whether the untrained splitter that :func:`analysis.protocol.is_protocol` applies
    (via ``match_text``) keeps *text* whole, so that its matches are those of
    :func:`analysis.protocol.match` on the sentence's tokens.  Without ``.?!`` before the
    last character and without line breaks or edge whitespace there is nothing to split
    (Punkt only splits after ``.?!`` followed by more text); otherwise the splitter decides."""
    if not text:
        return False
    if ("." not in text[:-1] and "?" not in text[:-1] and "!" not in text[:-1] and "\n" not in text
            and "\r" not in text and not text[0].isspace() and not text[-1].isspace()):
        return True
    return _plain_splitter().spans(text) == [(0, len(text))]


def _period_labels(dates: pd.Series, period: str) -> pd.Series:
    return _schema.period(dates, period)  # type: ignore[arg-type]


def dyad_tone(
    sentence_tone: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    period: str = "year",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = config.RANDOM_SEED,
    directed: bool = False,
    min_articles: int = MIN_ARTICLES,
) -> pd.DataFrame:
    """Measure: mean tone toward each pair per period, with article-cluster bootstrap CIs.

    Parameters
    ----------
    sentence_tone
        Output of :func:`sentence_tone`; only rows with ``about_ties`` and a tone are used.
    articles
        ``doc_id, date`` (tz-aware UTC or NaT; undated articles form the period "undated").
    period
        "year" ("2022"), "quarter" ("2022-Q1") or "month" ("2022-01").
    n_boot
        Bootstrap replicates.
    ci
        Coverage of the percentile interval.
    seed
        Base seed; each (dyad, period) cell draws from its own generator seeded with
        ``(seed, crc32(dyad|period))`` so that a cell's interval does not depend on the others.
    directed
        Group by the directed pair ("AZE>RUS": outlet/speaker country toward partner)
        instead of the unordered dyad; rows without a known direction are left out (without
        *directed*, about-ties sentences whose pair is unresolved form the dyad
        ``"(unresolved)"`` per period, so that they are counted).
    min_articles
        Cells resting on fewer articles get no interval (``ci_low``/``ci_high`` NaN) and
        ``low_support`` true (default :data:`MIN_ARTICLES` = 5).

    Returns
    -------
    pandas.DataFrame
        ``dyad, period, n_sentences, n_articles, tone_mean, ci_low, ci_high,
        baseline_delta, low_support``, sorted by ``dyad, period``.  ``tone_mean`` is the mean sentence
        tone (-1..1); the interval is the percentile bootstrap over ARTICLES (cluster
        bootstrap: articles are resampled with replacement and all their sentences kept,
        Field & Welsh 2007); ``baseline_delta`` is ``tone_mean`` minus the pair's own
        mean over all its sentences in all periods.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B*, 69(3), 369-390.
    """
    if not 0 < ci < 1:
        raise InputError(f"ci must be between 0 and 1, got {ci}")
    if min_articles < 1:
        raise InputError(f"min_articles must be at least 1, got {min_articles}")
    key = "directed" if directed else "dyad"
    st = sentence_tone.loc[sentence_tone["about_ties"].astype(bool) & sentence_tone["tone"].notna()].copy()
    if directed:
        st = st.loc[st[key].astype(str) != ""]
    else:  # counted, never dropped: about-ties sentences whose pair is unresolved form one row
        st[key] = st[key].astype(str).replace("", UNRESOLVED_DYAD)
    dates = articles[["doc_id", "date"]].drop_duplicates("doc_id")
    st = st.merge(dates, on="doc_id", how="left")
    st["period"] = _period_labels(st["date"], period) if len(st) else pd.Series(dtype=str)
    st["tone"] = st["tone"].astype("float64")
    baseline = st.groupby(key)["tone"].mean().to_dict() if len(st) else {}
    rows = []
    alpha = (1 - ci) / 2
    # one grouping for every cell: per (pair, period, article) the sum and count of sentence
    # tones, sorted so that each cell's articles are one contiguous, doc_id-ordered run
    per_doc = st.groupby([key, "period", "doc_id"], sort=True)["tone"].agg(["sum", "count"])
    cell_keys = [(str(a), str(b)) for a, b, _ in per_doc.index.tolist()]
    all_sums, all_counts = per_doc["sum"].to_numpy(), per_doc["count"].to_numpy()
    bounds = [i for i in range(1, len(cell_keys)) if cell_keys[i] != cell_keys[i - 1]]
    starts, ends = [0, *bounds], [*bounds, len(cell_keys)]
    for a0, b0 in sorted(zip(starts, ends), key=lambda se: cell_keys[se[0]]) if cell_keys else []:
        dy, per = cell_keys[a0]
        sums, counts = all_sums[a0:b0], all_counts[a0:b0]
        mean = float(sums.sum() / counts.sum())
        low = len(sums) < min_articles
        if n_boot > 0 and not low:
            rng = np.random.default_rng([seed, zlib.crc32(f"{dy}|{per}".encode())])
            idx = rng.integers(0, len(sums), size=(n_boot, len(sums)))
            boots = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
            lo, hi = (float(v) for v in np.quantile(boots, [alpha, 1 - alpha]))
        else:
            lo = hi = float("nan")
        rows.append((dy, per, int(counts.sum()), int(len(sums)), mean, lo, hi, mean - float(baseline[dy]), low))
    return pd.DataFrame(rows, columns=list(DYAD_TONE_COLUMNS)).astype(
        {"n_sentences": "int64", "n_articles": "int64", "tone_mean": "float64", "ci_low": "float64",
         "ci_high": "float64", "baseline_delta": "float64", "low_support": "bool"})


def article_tone(sentence_tone: pd.DataFrame) -> pd.DataFrame:
    """Measure: tone per article over its about-ties sentences.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, dyad`` (the article's most frequent dyad; ties alphabetical),
        ``n_sentences`` (about-ties sentences), ``tone_mean`` (-1..1), ``score_mean``
        (mean ``score``, -1..1), ``share_positive``, ``share_negative``; sorted by ``doc_id``.
        Articles without an about-ties sentence are left out.
    """
    cols = ["doc_id", "dyad", "n_sentences", "tone_mean", "score_mean", "share_positive", "share_negative"]
    keep = sentence_tone["about_ties"].astype(bool) & sentence_tone["tone"].notna()
    st = pd.DataFrame({
        "doc_id": sentence_tone.loc[keep, "doc_id"].to_numpy(),
        "key": sentence_tone.loc[keep, "doc_id"].astype(str).to_numpy(),
        "dyad": sentence_tone.loc[keep, "dyad"].to_numpy(),
        "tone": sentence_tone.loc[keep, "tone"].astype("float64").to_numpy(),
        "score": sentence_tone.loc[keep, "score"].astype("float64").to_numpy(),
    })
    if st.empty:
        return pd.DataFrame(columns=cols)
    st["pos"] = (st["tone"] > 0).astype("float64")
    st["neg"] = (st["tone"] < 0).astype("float64")
    # the article's dyad: most sentences, ties alphabetical
    dy = st.groupby(["key", "dyad"], sort=True).size().rename("n").reset_index()
    dy = dy.sort_values(["key", "n", "dyad"], ascending=[True, False, True], kind="mergesort")
    top = dy.drop_duplicates("key").set_index("key")["dyad"]
    g = st.groupby("key", sort=True)
    out = pd.DataFrame({
        "doc_id": g["doc_id"].first(),
        "dyad": top,
        "n_sentences": g.size().astype("int64"),
        "tone_mean": g["tone"].mean(),
        "score_mean": g["score"].mean(),
        "share_positive": g["pos"].mean(),
        "share_negative": g["neg"].mean(),
    })
    return out.reset_index(drop=True)[cols]


#: Fields every item of ``score-sentences`` needs; ``source``, ``url`` and ``home_country``
#: are optional and tell the outlet's country.
ITEM_FIELDS: tuple[str, ...] = ("item", "title", "prev", "sentence")


def score_items(items: Iterable[Mapping[str, Any]], *, params: ToneParams = DEFAULT_PARAMS,
                gazetteer: Any | None = None, model: Any = None, home_country: str = "",
                outlets: Any | None = None) -> list[dict[str, Any]]:
    """Score gold-format items (the CLI contract).

    Each input needs ``item, title, prev, sentence``.  The outlet's country, the implied
    speaking side, comes from the item's ``home_country`` field when present, else from
    *home_country* (the CLI's ``--home-country``), else from the item's ``source`` and
    ``url`` looked up in the outlets file (:func:`analysis.outlets.home_country`).  Gold
    labels and every other field are ignored.  Output, in input order: ``{"item",
    "about_ties", "dyad", "tone", "protocol", "score", "home_country"}``.

    Raises
    ------
    analysis.errors.InputError
        When an item is not a mapping or lacks a required field.
    """
    items = list(items)
    for n, it in enumerate(items, start=1):
        if not isinstance(it, Mapping):
            raise InputError(f"item {n}: expected a JSON object, got {type(it).__name__}")
        missing = [k for k in ITEM_FIELDS if k not in it]
        if missing:
            raise InputError(f"item {n}: missing field(s) {', '.join(missing)}")
    ctxs = item_contexts(items, home_country=home_country, outlets=outlets, gazetteer=gazetteer)
    out: list[dict[str, Any]] = []
    for it, (home, party, adv) in zip(items, ctxs):
        ex = analyse_sentence(str(it["sentence"] or ""), title=str(it["title"] or ""), prev=str(it["prev"] or ""),
                              source="item", source_countries={"item": home} if home else None,
                              adversaries={"item": adv} if adv else None, party_outlets={"item"} if party else (),
                              date=it.get("date") or None, params=params, gazetteer=gazetteer, model=model)
        out.append({"item": it["item"], "about_ties": ex.about_ties, "dyad": ex.dyad, "tone": ex.tone,
                    "protocol": ex.protocol, "score": ex.score, "home_country": home})
    return out


def score_file(in_path: str | Path, out_path: str | Path, *, params: ToneParams = DEFAULT_PARAMS,
               model: Any = None, home_country: str = "") -> int:
    """Score a JSONL file of items and write one JSON line per input line.

    Returns
    -------
    int
        Number of items written.

    Raises
    ------
    analysis.errors.InputError
        Missing file, the output path equal to the input path, or a malformed line (the
        message names the line number).
    """
    p = Path(in_path)
    if not p.is_file():
        raise InputError(f"{config.relpath(p)}: input file not found")
    if Path(out_path).resolve() == p.resolve():
        raise InputError(f"{config.relpath(p)}: --out is the input file; choose another output path")
    items: list[Mapping[str, Any]] = []
    try:
        lines = p.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"{config.relpath(p)}: not UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    if lines and lines[-1] == "":
        lines.pop()
    for ln, line in enumerate(lines, start=1):
        if not line.strip():
            raise InputError(f"{config.relpath(p)} line {ln}: empty line")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{config.relpath(p)} line {ln}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{config.relpath(p)} line {ln}: expected a JSON object")
        missing = [k for k in ITEM_FIELDS if k not in obj]
        if missing:
            raise InputError(f"{config.relpath(p)} line {ln}: missing field(s) {', '.join(missing)}")
        items.append(obj)
    rows = score_items(items, params=params, model=model, home_country=home_country)
    with Path(out_path).open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)
