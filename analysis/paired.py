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

Same people
    Two readouts of the same pair, kind and days can still be of different contacts (one
    outlet's national security adviser call, the other's foreign minister call of that day).
    The people each text names (its title and body: a first-person statement names its speaker
    in the title only) are found with the gazetteer's ``leader`` entries
    (:meth:`analysis.entities.Gazetteer.find`, e.g. "Yermak", "Sullivan") and the
    office-holders at the item's date (:meth:`analysis.officials.Officials.find`), keyed by
    their folded surname, with the tier of the office they hold at that date
    (:data:`OFFICE_TIERS`: head of state, head of government, minister; none for people who
    hold none of these offices).  With ``match_people`` (default), when **both** texts name
    people of **both** countries of the pair, then for each of the two countries the texts
    must share a named person of that country or the tier of one; otherwise the candidate is
    rejected ("different people (UKR)").  A text that names people of one side only, or none,
    is not checked.  Rejected candidates (this reason, and ``ranks differ (COUNTRY)`` from
    ``match_ranks``) are not matched and are listed in ``out.attrs["rejected"]`` (a table of
    :data:`REJECTED_COLUMNS`; ``out.attrs["n_rejected"]`` counts them per reason).

Topics one side leaves out
    The topic terms of each text (:func:`content_terms`): unigrams and bigrams of content
    words, where a content word is a token with a letter, at least three characters,
    case-folded, in neither the stopword list (:func:`analysis.lexicon.load_stopwords`) nor
    the topic-stopword list (``analysis/data/topic_stopwords.txt``: words of the act of
    reporting that every readout has, "president", "call", "discussed", "today",
    "leaders"), and not part of a name of the pair's two countries or of their people (a
    gazetteer mention of either country, "Ukraine", "American", "Zelenskyy", or an
    office-holder of either at the item's date: :func:`content_terms`' ``skip``); a bigram is two content words next to each other in the text, with no
    punctuation, stopword or topic stopword between them ("energy security", "air defense").
    Words are matched with a final ``s`` dropped (``sanctions`` = ``sanction``; no other
    lemmatisation).  ``only_a`` lists the terms of text a that text b lacks: a unigram whose
    word b never uses; a bigram that b does not contain and one of whose words b never
    uses.  Ranking rule: the most frequent in text a first; at equal frequency the bigram
    before the unigram, then alphabetical order; a term sharing a word with a term already
    listed is skipped (no word is listed twice); at most ``top_k`` (default 8), each as its
    most frequent surface form, ``"; "``-joined.  This is a set difference of terms, not a
    topic model: a side may say the same thing in other words.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import config
from analysis import entities as _entities
from analysis import officials as _officials
from analysis import outlets as _outlets
from analysis import schema as _schema
from analysis.errors import InputError
from analysis.lexicon import load_stopwords
from analysis.outlet_context import named_outlet
from analysis.protocol import PROTOCOL_CATEGORIES
from analysis.segment import norm_token, token_strings, tokenize

__all__ = ["PAIR_COLUMNS", "CONTACT_CLASSES", "RANK_TIERS", "OFFICE_TIERS", "REJECTED_COLUMNS", "content_words",
           "content_terms", "load_topic_stopwords", "named_people", "paired_readouts"]

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


#: Office in ``analysis/data/officials.csv`` -> the tier compared by the person check (the
#: tiers of :data:`RANK_TIERS`).
OFFICE_TIERS: Mapping[str, str] = {
    "head_of_state": "head of state", "head_of_government": "head of government", "foreign_minister": "minister",
}

#: Columns of ``out.attrs["rejected"]`` of :func:`paired_readouts`: candidates left out and why.
REJECTED_COLUMNS: tuple[str, ...] = ("doc_id_a", "doc_id_b", "dyad", "type", "days_apart", "reason")


def _tier(rank: Any) -> str:
    r = str(rank or "")
    return RANK_TIERS.get(r, r)


def _key(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str, *, stopwords: frozenset[str] | None = None) -> Counter[str]:
    """Counts of the single content words of *text*, case-folded (the words :func:`content_terms`
    builds its terms from, before the topic stopwords; kept for callers of version 0.3.0).

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


def load_topic_stopwords(path: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """The topic-stopword list (default: the bundled ``analysis/data/topic_stopwords.txt``; same
    format and header as :func:`analysis.lexicon.load_stopwords`).

    Examples
    --------
    >>> words = load_topic_stopwords()
    >>> ("discussed" in words, "sanctions" in words)
    (True, False)
    """
    return load_stopwords(path if path is not None else config.package_data("topic_stopwords.txt"))


def _norm(tok: str) -> str:
    w = norm_token(tok).strip("'")
    return w[:-2] if w.endswith("'s") else w


def content_terms(
    text: str,
    *,
    stopwords: frozenset[str] | None = None,
    topic_stopwords: frozenset[str] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> Counter[str]:
    """Counts of the topic terms of *text*: unigrams and bigrams of content words (module docstring).

    Parameters
    ----------
    text
        Any text.
    stopwords
        Function words (default :func:`analysis.lexicon.load_stopwords`).
    topic_stopwords
        Words of the act of reporting (default :func:`load_topic_stopwords`).
    skip
        Character spans ``(start, end)`` of *text* whose tokens are not terms and break
        bigrams (:func:`paired_readouts` passes the names of the pair's two countries and of
        their people: "Ukraine", "American", "Joseph Biden" are not topics of a Kyiv-Washington call).

    Returns
    -------
    collections.Counter
        Term (case-folded; a bigram's two words joined by a space) -> occurrences in *text*.

    Examples
    --------
    >>> terms = content_terms("The presidents discussed energy security and air defense. Energy prices.")
    >>> sorted(terms.items())  # doctest: +NORMALIZE_WHITESPACE
    [('air', 1), ('air defense', 1), ('defense', 1), ('energy', 2), ('energy prices', 1),
     ('energy security', 1), ('prices', 1), ('security', 1)]

    What one side has and the other lacks (:func:`paired_readouts`' ``only_a``):

    >>> _only(terms, content_terms("The leaders discussed security and sanctions."), top_k=8)
    'energy; air defense; prices'
    """
    stop = load_stopwords() if stopwords is None else stopwords
    topic = load_topic_stopwords() if topic_stopwords is None else topic_stopwords
    out: Counter[str] = Counter()
    prev = ""
    spans = sorted(skip)
    # a skipped token becomes "" (no term, and it breaks a bigram)
    toks = token_strings(text or "") if not spans else [
        "" if any(a < e and s < b for a, b in spans) else t for s, e, t in tokenize(text or "")]
    for tok in toks:
        w = _norm(tok)
        if len(w) >= 3 and any(ch.isalpha() for ch in w) and w not in stop and w not in topic:
            out[w] += 1
            if prev:
                out[f"{prev} {w}"] += 1
            prev = w
        else:
            prev = ""
    return out


def _term_key(term: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in term.split(" "))


def _only(a: Counter[str], b: Counter[str], *, top_k: int) -> str:
    """The terms of *a* that *b* lacks, ranked (module docstring), ``"; "``-joined."""
    b_terms = {_term_key(t) for t in b}
    b_words = {k[0] for k in b_terms if len(k) == 1}
    by_key: dict[tuple[str, ...], Counter[str]] = {}
    for t, n in a.items():
        k = _term_key(t)
        if k in b_terms or all(w in b_words for w in k):
            continue
        by_key.setdefault(k, Counter())[t] += n
    ranked = sorted(by_key.items(), key=lambda kv: (-sum(kv[1].values()), -len(kv[0]), " ".join(kv[0])))
    listed: list[str] = []
    used: set[str] = set()
    for k, forms in ranked:
        if len(listed) >= top_k:
            break
        if used.intersection(k):
            continue
        used.update(k)
        listed.append(sorted(forms.items(), key=lambda x: (-x[1], x[0]))[0][0])
    return "; ".join(listed)


#: A word of a person's name (as :mod:`analysis.officials` reads names).
_NAME_TOKEN_RE = re.compile(r"[^\W\d_][\w'’-]*")


def _surname(name: str) -> str:
    toks = _NAME_TOKEN_RE.findall(name)
    return _entities.fold(toks[-1]).lower().replace("’", "'") if toks else ""


def _office_index(officials: Any) -> dict[tuple[str, str], list[Any]]:
    """(surname key, country) -> office spells of *officials*."""
    idx: dict[tuple[str, str], list[Any]] = {}
    for o in officials.rows:
        idx.setdefault((_surname(o.name), o.country), []).append(o)
    return idx


def named_people(
    text: str,
    date: Any,
    *,
    gazetteer: Any | None = None,
    officials: Any | None = None,
    _index: dict[tuple[str, str], list[Any]] | None = None,
) -> dict[str, dict[str, tuple[str, ...]]]:
    """The people *text* names, by country: ``{country: {surname key: tier}}`` (module docstring).

    Parameters
    ----------
    text
        The readout.
    date
        Its date (office terms are looked up at this date; None: office-holders are not
        looked up and nobody has a tier).
    gazetteer
        An :class:`analysis.entities.Gazetteer` (default: the bundled one); its ``leader``
        entries are people.
    officials
        An :class:`analysis.officials.Officials` (default: the bundled one).

    Returns
    -------
    dict
        Country (ISO alpha-3) -> folded surname -> the tiers (:data:`OFFICE_TIERS`) of the
        offices the person holds at *date*, a sorted tuple (``()`` when none: the US president
        is head of state and of government).

    Examples
    --------
    >>> people = named_people("Andriy Yermak spoke with Jake Sullivan. Kuleba joined.", "2022-03-01")
    >>> sorted((c, sorted(p.items())) for c, p in people.items())
    [('UKR', [('kuleba', ('minister',)), ('yermak', ())]), ('USA', [('sullivan', ())])]
    """
    gaz = gazetteer if gazetteer is not None else _entities.default_gazetteer()
    off = officials if officials is not None else _officials.default_officials()
    idx = _index if _index is not None else _office_index(off)
    when = pd.Timestamp(date) if date is not None and not pd.isna(date) else None
    if when is not None and when.tzinfo is not None:
        when = when.tz_convert(None)
    found: list[tuple[int, int, str, str]] = [
        (m.start, m.end, m.entity or m.surface, m.country) for m in gaz.find(text or "") if m.kind == "leader"]
    if when is not None:
        spans = [(a, b) for a, b, _, _ in found]
        for m in off.find(text or "", when):
            if not any(a < m.end and m.start < b for a, b in spans):
                found.append((m.start, m.end, m.surface, m.country))
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for _, _, name, country in sorted(found):
        key = _surname(name)
        tiers = set()
        if when is not None:
            tiers = {OFFICE_TIERS.get(o.office, "") for o in idx.get((key, country), ())
                     if o.start <= when and (o.end is None or when <= o.end + pd.Timedelta(days=1))} - {""}
        people = out.setdefault(country, {})
        people[key] = tuple(sorted(tiers | set(people.get(key, ()))))
    return out


def _people_differ(pa: Mapping[str, Mapping[str, tuple[str, ...]]], pb: Mapping[str, Mapping[str, tuple[str, ...]]],
                   countries: list[str]) -> str:
    """The first country of the pair whose named people the two readouts do not share (neither
    a person nor a tier), when both name people of both countries; "" when compatible."""
    if not all(pa.get(c) and pb.get(c) for c in countries):
        return ""
    for c in countries:
        a, b = pa[c], pb[c]
        if set(a) & set(b):
            continue
        if {t for ts in a.values() for t in ts} & {t for ts in b.values() for t in ts}:
            continue
        return c
    return ""


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
    match_people: bool = True,
    outlets: Any | None = None,
    gazetteer: Any | None = None,
    officials: Any | None = None,
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
        Optional ``doc_id, source, url, text`` (and ``title``): the outlets (else from
        *events*), the texts for ``only_a``/``only_b`` (``""`` when not given) and, with the
        titles, for the people named.
    window_days
        Largest time between the two items' dates, in days (default 2: readouts of one
        call usually appear the same day, a late-evening readout in Washington is the next
        day in UTC).
    top_k
        Terms listed in ``only_a``/``only_b`` (default 8; :func:`content_terms`).
    classes
        Event type -> contact class (default :data:`CONTACT_CLASSES`).
    match_ranks
        Require the ranks (``host_rank``, ``guest_rank`` of *events*, when present) that the
        two items give each country to agree where both state one (default True).
    match_people
        Require the people the two texts name to be compatible (default True; module
        docstring, "Same people"; needs *articles* with ``text``).
    outlets
        An :class:`analysis.outlets.Outlets` table (default: the bundled one).  An outlet it
        does not list gets the country its key names with an institution
        (:func:`analysis.outlet_context.named_outlet`: "mfa_china").
    gazetteer
        An :class:`analysis.entities.Gazetteer` for the people named (default: the bundled
        one; the run passes its own, ``--gazetteer``/``--aliases``).
    officials
        An :class:`analysis.officials.Officials` table (default: the bundled one).

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS`: ``doc_id_a, doc_id_b, source_a, source_b, home_a, home_b``
        (ISO alpha-3 of the outlets), ``date_a, date_b, dyad, type`` (the contact class),
        ``days_apart`` (absolute time between the dates, days, 2 decimals), ``tone_a, tone_b,
        n_tone_a, n_tone_b, protocol_a, protocol_b, only_a, only_b``.  Sorted by ``date_a,
        doc_id_a, doc_id_b``.  ``out.attrs["rejected"]``: the candidates left out by the rank
        and person checks (:data:`REJECTED_COLUMNS`; ``doc_id_a``/``doc_id_b`` as sides would
        be), sorted by ``doc_id_a, doc_id_b, dyad, type``; ``out.attrs["n_rejected"]``: reason
        -> count.

    Examples
    --------
    Two readouts of one day, of different contacts (the two sides' advisers; the two foreign
    ministers), are not paired:

    >>> ev = pd.DataFrame({"doc_id": ["ua", "wh"], "date": pd.to_datetime(["2022-03-01"] * 2),
    ...                    "type": ["phone_call"] * 2, "dyad": ["UKR-USA"] * 2})
    >>> arts = pd.DataFrame({"doc_id": ["ua", "wh"], "source": ["president.gov.ua", "whitehouse.gov"],
    ...                      "text": ["Andriy Yermak spoke with Jake Sullivan.",
    ...                               "Secretary Blinken spoke with Foreign Minister Kuleba."]})
    >>> out = paired_readouts(ev, articles=arts)
    >>> len(out), out.attrs["n_rejected"]
    (0, {'different people (UKR)': 1})
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
        titles = a["title"].fillna("").astype(str).to_dict() if "title" in a.columns else {}
    else:
        if "source" not in ev.columns and "url" not in ev.columns:
            raise InputError("give articles (doc_id, source, url, text) or events with a source/url column")
        first = ev.drop_duplicates("doc_id").set_index("doc_id")
        src = first["source"].fillna("").astype(str).to_dict() if "source" in first.columns else {}
        url = first["url"].fillna("").astype(str).to_dict() if "url" in first.columns else {}
        texts = {}
        titles = {}
    # Items: (doc, dyad, class), one per combination; the first event's date.
    items: dict[tuple[Any, str, str], dict[str, Any]] = {}
    named_homes: dict[str, str] = {}  # outlet key -> the country it names (outlets the file does not list)
    has_ranks = {"host", "guest", "host_rank", "guest_rank"} <= set(ev.columns)
    rank_cols = ["host", "guest", "host_rank", "guest_rank"] if has_ranks else ["doc_id"] * 4
    for d, date, typ, dyad, h, g, hr, gr in ev[["doc_id", "date", "type", "dyad"] + rank_cols].itertuples(
            index=False, name=None):
        key = (d, str(dyad), cls[typ])
        if key in items or pd.isna(date):
            continue
        home = table.home_country(source=src.get(d, ""), url=url.get(d, ""))
        if not home and src.get(d, ""):
            if src[d] not in named_homes:
                named = named_outlet(src[d], gazetteer)
                named_homes[src[d]] = named.country if named is not None else ""
            home = named_homes[src[d]]
        if home:
            items[key] = {"doc_id": d, "dyad": str(dyad), "type": cls[typ], "date": pd.Timestamp(date),
                          "source": src.get(d, ""), "home": home, "people": None,
                          "ranks": {str(h): _tier(hr), str(g): _tier(gr)} if has_ranks else {}}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for it in items.values():
        groups.setdefault((it["dyad"], it["type"]), []).append(it)
    gaz = gazetteer if gazetteer is not None else (_entities.default_gazetteer() if match_people and texts else None)
    off = officials if officials is not None else (_officials.default_officials() if match_people and texts else None)
    office_idx = _office_index(off) if off is not None else {}

    def _people(it: dict[str, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
        if it["people"] is None:
            d = it["doc_id"]
            it["people"] = named_people(f"{titles.get(d, '')}\n{texts.get(d, '')}", it["date"], gazetteer=gaz,
                                        officials=off, _index=office_idx)
        return it["people"]

    cands = []
    rejected = []
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
                kx = (rank.get(x["home"], len(order)), x["home"], str(x["doc_id"]))
                ky = (rank.get(y["home"], len(order)), y["home"], str(y["doc_id"]))
                a_, b_ = (x, y) if kx <= ky else (y, x)
                reason = ""
                if match_ranks:
                    reason = next((f"ranks differ ({c})" for c in order if x["ranks"].get(c) and y["ranks"].get(c)
                                   and x["ranks"][c] != y["ranks"][c]), "")
                if not reason and match_people and texts:
                    c = _people_differ(_people(a_), _people(b_), order)
                    reason = f"different people ({c})" if c else ""
                if reason:
                    rejected.append((a_["doc_id"], b_["doc_id"], dyad, a_["type"], round(gap, 2), reason))
                    continue
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
    stop, topic = load_stopwords(), load_topic_stopwords()
    words: dict[tuple[Any, str], Counter[str]] = {}
    name_gaz = gaz if gaz is not None else _entities.default_gazetteer()
    name_off = off if off is not None else _officials.default_officials()

    def _words(it: dict[str, Any]) -> Counter[str]:
        d, dyad = it["doc_id"], it["dyad"]
        if (d, dyad) not in words:
            text = texts.get(d, "")
            pair = set(dyad.split("-"))
            names = [(m.start, m.end) for m in name_gaz.find(text) if m.country in pair]
            names += [(m.start, m.end) for m in name_off.find(text, it["date"]) if m.country in pair]
            words[(d, dyad)] = content_terms(text, stopwords=stop, topic_stopwords=topic, skip=names)
        return words[(d, dyad)]

    rows = []
    for a_, b_, gap in pairs:
        da, db, dyad = a_["doc_id"], b_["doc_id"], a_["dyad"]
        ta, tb = tone.get((da, dyad), (np.nan, 0)), tone.get((db, dyad), (np.nan, 0))
        if texts:
            wa, wb = _words(a_), _words(b_)
            only_a, only_b = _only(wa, wb, top_k=top_k), _only(wb, wa, top_k=top_k)
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
    out = out.reset_index(drop=True)
    rej = pd.DataFrame(sorted(rejected, key=lambda r: (str(r[0]), str(r[1]), r[2], r[3])), columns=list(REJECTED_COLUMNS))
    out.attrs["rejected"] = rej
    out.attrs["n_rejected"] = {str(k): int(v) for k, v in sorted(Counter(rej["reason"]).items())}
    return out
