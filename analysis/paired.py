"""Two sides of one contact: pairing the readouts two countries' outlets published of it.

A phone call between Washington and Kyiv is usually reported twice, by the White House
and by the President of Ukraine.  :func:`paired_readouts` finds such pairs in the events
table (:func:`analysis.events.events`) and sets the two sides' measures next to each other:
the tone of the sentences about the pair, the number of protocol formulas, and the topics
one side mentions and the other leaves out.

Matching
    Two items are candidates when they report the same unordered country pair (``dyad``)
    and the same kind of contact (:data:`CONTACT_CLASSES`: a call, or a meeting in person),
    their dates are at most ``window_days`` apart, and their outlets have different home
    countries (:meth:`analysis.outlets.Outlets.home_country`, by ``source`` and ``url``;
    items of an outlet with no known home are left out).  An item is one document's
    contact of one class with one pair; nested events (``parent`` >= 0) are not items.
    With ``match_ranks`` (default), the ranks each item gives a country must agree when both
    state one, compared through :data:`RANK_TIERS` ("president" = "head of state", "foreign
    minister" = "minister": a title's "Secretary Blinken" is a minister): a call of
    the two presidents is not a video call of a president with senators.

    Matching is one-to-one and greedy: candidates are taken in order of the time between
    them (smallest first), then ``doc_id_a``, then ``doc_id_b``, skipping any whose item is
    already matched.

Sides
    Side ``a`` is the item whose outlet's home country comes first in the ``dyad`` (for
    ``UKR-USA``: the Ukrainian outlet); when neither or both homes are in the pair, the
    item with the alphabetically first home, then the smaller ``doc_id``.

Topics one side leaves out
    The content words of each text (tokens of :func:`analysis.segment.token_strings`
    containing a letter, case-folded, at least three characters, not in the stopword
    list :func:`analysis.lexicon.load_stopwords`), with a final ``s`` dropped for matching
    (``sanctions`` = ``sanction``; no other lemmatisation).  ``only_a`` lists the words of
    text a whose matching form does not occur in text b, the most frequent first (ties in
    alphabetical order), at most ``top_k``, as the most frequent surface form, ``"; "``-joined.
    This is a set difference of words, not a topic model: a side may say the same thing in
    other words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis import outlets as _outlets
from analysis import schema as _schema
from analysis.errors import InputError
from analysis.lexicon import load_stopwords
from analysis.protocol import PROTOCOL_CATEGORIES
from analysis.segment import norm_token, token_strings

__all__ = ["PAIR_COLUMNS", "CONTACT_CLASSES", "RANK_TIERS", "content_words", "paired_readouts"]

#: Columns of the paired-readouts table (defined in :mod:`analysis.schema`).
PAIR_COLUMNS = _schema.PAIR_COLUMNS

#: Event types (:data:`analysis.events.EVENT_TYPES`) -> the kind of contact paired: a call,
#: or a meeting in person (the visitor's outlet reports a visit, the host's a meeting, talks
#: or a reception of the same encounter).  Other types (congratulations, messages, signings,
#: condolences) are not paired.
CONTACT_CLASSES: Mapping[str, str] = {
    "phone_call": "call",
    "meeting": "meeting",
    "talks": "meeting",
    "reception": "meeting",
    "visit": "meeting",
}


#: Ranks compared as the same office when pairing (a title's "President" and the office of a
#: head of state named without a rank, :mod:`analysis.events`).
RANK_TIERS: Mapping[str, str] = {
    "president": "head of state", "king": "head of state", "emir": "head of state", "sultan": "head of state",
    "head of state": "head of state",
    "prime minister": "head of government", "chancellor": "head of government",
    "head of government": "head of government",
    "foreign minister": "minister", "minister": "minister",
}


def _tier(rank: Any) -> str:
    r = str(rank or "")
    return RANK_TIERS.get(r, r)


def _key(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str, *, stopwords: frozenset[str] | None = None) -> Counter[str]:
    """Counts of the content words of *text* (see the module docstring), case-folded.

    Examples
    --------
    >>> sorted(content_words("The leaders discussed sanctions and the sanctions' effect.").items())
    [('discussed', 1), ('effect', 1), ('leaders', 1), ('sanctions', 2)]
    """
    stop = load_stopwords() if stopwords is None else stopwords
    out: Counter[str] = Counter()
    for tok in token_strings(text or ""):
        w = norm_token(tok).strip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) >= 3 and any(ch.isalpha() for ch in w) and w not in stop:
            out[w] += 1
    return out


def _only(a: Counter[str], b: Counter[str], top_k: int) -> str:
    b_keys = {_key(w) for w in b}
    by_key: dict[str, Counter[str]] = {}
    for w, n in a.items():
        k = _key(w)
        if k not in b_keys:
            by_key.setdefault(k, Counter())[w] += n
    ranked = sorted(by_key.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:top_k]
    return "; ".join(sorted(c.items(), key=lambda x: (-x[1], x[0]))[0][0] for _, c in ranked)


def paired_readouts(
    events: pd.DataFrame,
    sentence_tone: pd.DataFrame | None = None,
    protocol_matches: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
    *,
    window_days: float = 2,
    top_k: int = 8,
    classes: Mapping[str, str] | None = None,
    match_ranks: bool = True,
    outlets: Any | None = None,
) -> pd.DataFrame:
    """Measure: one row per pair of items two countries' outlets published of the same contact.

    Parameters
    ----------
    events
        The events table (``doc_id, date, type, dyad``; ``parent`` when present; ``source``
        and ``url`` when *articles* is not given).
    sentence_tone
        Optional ``doc_id, dyad, about_ties, tone``: ``tone_a``/``tone_b`` are the mean
        ``tone`` (-1..+1) of the document's sentences about ties with the pair's ``dyad``,
        ``n_tone_a``/``n_tone_b`` their number (NaN and 0 when the table is not given or
        no sentence qualifies).
    protocol_matches
        Optional ``doc_id, category, negated``: ``protocol_a``/``protocol_b`` count the
        document's matches of the protocol categories
        (:data:`analysis.protocol.PROTOCOL_CATEGORIES`) that are not negated (NaN when not
        given).
    articles
        Optional ``doc_id, source, url, text``: the outlets (else from *events*) and the
        texts for ``only_a``/``only_b`` (``""`` when not given).
    window_days
        Largest time between the two items' dates, in days (default 2: readouts of one
        call usually appear the same day, a late-evening readout in Washington is the next
        day in UTC).
    top_k
        Words listed in ``only_a``/``only_b`` (default 8).
    classes
        Event type -> contact class (default :data:`CONTACT_CLASSES`).
    match_ranks
        Require the ranks (``host_rank``, ``guest_rank`` of *events*, when present) that the
        two items give each country to agree where both state one (default True).
    outlets
        An :class:`analysis.outlets.Outlets` table (default: the bundled one).

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS`: ``doc_id_a, doc_id_b, source_a, source_b, home_a, home_b``
        (ISO alpha-3 of the outlets), ``date_a, date_b, dyad, type`` (the contact class),
        ``days_apart`` (absolute time between the dates, days, 2 decimals), ``tone_a, tone_b,
        n_tone_a, n_tone_b, protocol_a, protocol_b, only_a, only_b``.  Sorted by ``date_a,
        doc_id_a, doc_id_b``.
    """
    need = {"doc_id", "date", "type", "dyad"}
    if not isinstance(events, pd.DataFrame) or not need <= set(events.columns):
        raise InputError(f"events table needs columns {sorted(need)}")
    if window_days < 0:
        raise InputError("window_days must be >= 0")
    if top_k < 0:
        raise InputError("top_k must be >= 0")
    cls = dict(CONTACT_CLASSES if classes is None else classes)
    table = outlets if outlets is not None else _outlets.default_outlets()
    ev = events
    if "parent" in ev.columns:
        ev = ev[ev["parent"].fillna(-1).astype(int) < 0]
    ev = ev[ev["type"].isin(list(cls)) & ev["dyad"].fillna("").astype(str).str.contains("-")]
    if articles is not None:
        if "doc_id" not in articles.columns:
            raise InputError("articles table needs column 'doc_id'")
        a = articles.drop_duplicates("doc_id").set_index("doc_id")
        src = a["source"].fillna("").astype(str).to_dict() if "source" in a.columns else {}
        url = a["url"].fillna("").astype(str).to_dict() if "url" in a.columns else {}
        texts = a["text"].fillna("").astype(str).to_dict() if "text" in a.columns else {}
    else:
        if "source" not in ev.columns and "url" not in ev.columns:
            raise InputError("give articles (doc_id, source, url, text) or events with a source/url column")
        first = ev.drop_duplicates("doc_id").set_index("doc_id")
        src = first["source"].fillna("").astype(str).to_dict() if "source" in first.columns else {}
        url = first["url"].fillna("").astype(str).to_dict() if "url" in first.columns else {}
        texts = {}
    # Items: (doc, dyad, class), one per combination; the first event's date.
    items: dict[tuple[Any, str, str], dict[str, Any]] = {}
    has_ranks = {"host", "guest", "host_rank", "guest_rank"} <= set(ev.columns)
    rank_cols = ["host", "guest", "host_rank", "guest_rank"] if has_ranks else ["doc_id"] * 4
    for d, date, typ, dyad, h, g, hr, gr in ev[["doc_id", "date", "type", "dyad"] + rank_cols].itertuples(
            index=False, name=None):
        key = (d, str(dyad), cls[typ])
        if key in items or pd.isna(date):
            continue
        home = table.home_country(source=src.get(d, ""), url=url.get(d, ""))
        if home:
            items[key] = {"doc_id": d, "dyad": str(dyad), "type": cls[typ], "date": pd.Timestamp(date),
                          "source": src.get(d, ""), "home": home,
                          "ranks": {str(h): _tier(hr), str(g): _tier(gr)} if has_ranks else {}}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for it in items.values():
        groups.setdefault((it["dyad"], it["type"]), []).append(it)
    cands = []
    for (dyad, _), its in sorted(groups.items()):
        order = dyad.split("-")
        rank = {c: i for i, c in enumerate(order)}
        for i in range(len(its)):
            for j in range(i + 1, len(its)):
                x, y = its[i], its[j]
                if x["home"] == y["home"] or x["doc_id"] == y["doc_id"]:
                    continue
                gap = abs((x["date"] - y["date"]).total_seconds()) / 86400.0
                if gap > window_days:
                    continue
                if match_ranks and any(x["ranks"].get(c) and y["ranks"].get(c) and x["ranks"][c] != y["ranks"][c]
                                       for c in order):
                    continue
                kx = (rank.get(x["home"], len(order)), x["home"], str(x["doc_id"]))
                ky = (rank.get(y["home"], len(order)), y["home"], str(y["doc_id"]))
                a_, b_ = (x, y) if kx <= ky else (y, x)
                cands.append((gap, str(a_["doc_id"]), str(b_["doc_id"]), dyad, a_, b_))
    cands.sort(key=lambda c: c[:4])
    used: set[tuple[Any, str, str]] = set()
    pairs = []
    for gap, _, _, dyad, a_, b_ in cands:
        ka, kb = (a_["doc_id"], dyad, a_["type"]), (b_["doc_id"], dyad, b_["type"])
        if ka in used or kb in used:
            continue
        used.update((ka, kb))
        pairs.append((a_, b_, gap))
    tone: dict[tuple[Any, str], tuple[float, int]] = {}
    if sentence_tone is not None:
        st = sentence_tone[sentence_tone["about_ties"].fillna(False).astype(bool)]
        g = st.groupby(["doc_id", "dyad"], sort=True)["tone"].agg(["mean", "size"])
        tone = {k: (float(m), int(n)) for k, m, n in zip(g.index, g["mean"], g["size"])}
    proto: dict[Any, int] = {}
    if protocol_matches is not None:
        pm = protocol_matches[protocol_matches["category"].isin(PROTOCOL_CATEGORIES)]
        if "negated" in pm.columns:
            pm = pm[~pm["negated"].fillna(False).astype(bool)]
        proto = pm.groupby("doc_id").size().to_dict()
    stop = load_stopwords()
    words: dict[Any, Counter[str]] = {}

    def _words(d: Any) -> Counter[str]:
        if d not in words:
            words[d] = content_words(texts.get(d, ""), stopwords=stop)
        return words[d]

    rows = []
    for a_, b_, gap in pairs:
        da, db, dyad = a_["doc_id"], b_["doc_id"], a_["dyad"]
        ta, tb = tone.get((da, dyad), (np.nan, 0)), tone.get((db, dyad), (np.nan, 0))
        if texts:
            wa, wb = _words(da), _words(db)
            only_a, only_b = _only(wa, wb, top_k), _only(wb, wa, top_k)
        else:
            only_a = only_b = ""
        rows.append((da, db, a_["source"], b_["source"], a_["home"], b_["home"], a_["date"], b_["date"], dyad,
                     a_["type"], round(gap, 2), ta[0], tb[0], ta[1], tb[1],
                     float(proto.get(da, 0)) if protocol_matches is not None else np.nan,
                     float(proto.get(db, 0)) if protocol_matches is not None else np.nan, only_a, only_b))
    out = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    out["n_tone_a"] = out["n_tone_a"].astype("int64")
    out["n_tone_b"] = out["n_tone_b"].astype("int64")
    for c in ("days_apart", "tone_a", "tone_b", "protocol_a", "protocol_b"):
        out[c] = out[c].astype("float64")
    out["_da"] = out["doc_id_a"].astype(str)
    out["_db"] = out["doc_id_b"].astype(str)
    out = out.sort_values(["date_a", "_da", "_db"], kind="mergesort").drop(columns=["_da", "_db"])
    return out.reset_index(drop=True)
