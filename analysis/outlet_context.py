"""Outlet context for the pair rules: each outlet's home country, voice and adversary.

Corpus-level inputs to :mod:`analysis.dyads` (which decides one sentence's pair):

* **home country** (:func:`outlet_home_countries`): the outlets file
  (:mod:`analysis.outlets`, by name or web domain), then an outlet key that names one country and
  an institution (:func:`named_outlet`: "mfa_china", "Russian MFA"), falling back to
  :func:`infer_home_countries`
  from the subjects of the outlet's titles, then to :func:`infer_home_countries_from_text` for a
  first-person outlet (transcripts, statements) that names one country far more than any other;
  the researcher's ``home_country`` wins over all (:func:`outlet_homes_and_parties`);
* **official voice** (:func:`analysis.outlets.outlet_parties`): an outlet that speaks for its
  country, so that "we" and "our countries" are its country;
* **adversary** (:func:`infer_adversaries`): the country an outlet most often names with war or
  aggression vocabulary, so that "the enemy" or "the occupiers" in a sentence naming no other
  country resolve;
* :func:`item_contexts`: the three of them for gold-format items (``score-sentences``,
  training and validation).

Rules without fitted parameters, like :mod:`analysis.dyads`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import entities
from analysis import outlets as _outlets
from analysis.dyads import find_mentions as _find
from analysis.dyads import title_base as _title_base
from analysis.dyads import word_alternation
from analysis.outlets import outlet_parties
from analysis.params import home_country_spec

__all__ = [
    "infer_adversaries",
    "infer_home_countries",
    "infer_home_countries_from_text",
    "item_contexts",
    "named_outlet",
    "outlet_home_countries",
    "outlet_homes_and_parties",
    "outlet_parties",
]


#: Conflict vocabulary whose co-occurring countries point to an outlet's adversary.
_HOSTILE_RE = word_alternation(
    r"(?i)\b(?:aggression|invasion|invaded|invaders?|occupiers?|occupation|war against|attacks? (?:on|against)|"
    r"shelling|missile strikes?|atrocit(?:y|ies)|war crimes?|terrorist state)\b"
)


def infer_adversaries(
    texts_by_source: Mapping[str, Sequence[str]],
    homes: Mapping[str, str],
    *,
    gazetteer: Any | None = None,
    min_count: int = 3,
    min_share: float = 0.5,
) -> dict[str, str]:
    """Each outlet's adversary: the country most often named in its sentences with war or
    aggression vocabulary (:data:`_HOSTILE_RE`), other than the outlet's home country.

    Parameters
    ----------
    texts_by_source
        Outlet -> its sentences (or titles and sentences).
    homes
        Outlet -> home country; outlets without one get no adversary.
    min_count, min_share
        The winner must be named in at least *min_count* such sentences and in at least
        *min_share* of the sentences naming any country.

    Returns
    -------
    dict
        Outlet -> ISO alpha-3; outlets without a clear adversary are left out.
    """
    out: dict[str, str] = {}
    for src in sorted(texts_by_source):
        home = homes.get(src, "")
        if not home:
            continue
        counts: dict[str, int] = {}
        n_any = 0
        for t in texts_by_source[src]:
            if not t or not _HOSTILE_RE.search(t):
                continue
            cs = {m.country for m in _find(t, gazetteer)} - {home} - entities.PARTY_CODES
            if cs:
                n_any += 1
            for c in cs:
                counts[c] = counts.get(c, 0) + 1
        if not counts:
            continue
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if best[1] >= min_count and best[1] >= min_share * n_any:
            out[src] = best[0]
    return out


#: First-person plural: an outlet speaking in its own voice (transcripts, statements, speeches).
_FIRST_PERSON_RE = re.compile(r"(?i)\b(?:we|our|us)\b")


def named_outlet(source: str, gazetteer: Any | None = None) -> _outlets.Outlet | None:
    """The outlet an outlet key names by its country and institution, for a key the outlets file
    does not list: "mfa_china", "Chinese MFA", "azerbaijan_presidency", "us_state_dept",
    "kazakh_government".  The key must carry institution words
    (:data:`analysis.outlets.INSTITUTION_WORDS`, which give the kind) and name exactly one
    country (gazetteer names and demonyms, read as written, capitalised and, for words of up to
    three letters, in capitals: "prc", "usa", "uk"); organisations (EU, NATO, UN) do not count.
    None otherwise: "reuters_china" names no institution, "us_embassy_china" two countries.

    Examples
    --------
    >>> named_outlet("mfa_china")
    Outlet(name='mfa_china', domain='', country='CHN', kind='foreign_ministry')
    >>> named_outlet("Russian MFA").country, named_outlet("prc_foreign_ministry").country
    ('RUS', 'CHN')
    >>> named_outlet("reuters_china") is None, named_outlet("china_us_state_dept") is None
    (True, True)
    """
    kind = _outlets.institution_kind(source)
    if not kind:
        return None
    words = _outlets.source_words(source)
    variants = {" ".join(words), " ".join(w[:1].upper() + w[1:] for w in words),
                " ".join(w.upper() if len(w) <= 3 else w for w in words)}
    found = {m.country for v in variants for m in _find(v, gazetteer)} - entities.PARTY_CODES
    if len(found) != 1:
        return None
    return _outlets.Outlet(source, "", found.pop(), kind)


def infer_home_countries_from_text(
    docs_by_source: Mapping[str, Sequence[tuple[str, Any]]],
    *,
    gazetteer: Any | None = None,
    min_docs: int = 3,
    min_share: float = 0.8,
    min_ratio: float = 1.25,
    min_first_person: float = 0.8,
    max_docs: int = 400,
) -> dict[str, str]:
    """Home country of an outlet that speaks in the first person, from what its texts name: the
    fallback for an outlet neither the outlets file nor its titles place (a spokesperson's
    "Regular Press Conference" transcripts under a source key of the researcher's own).

    An outlet gets a home country when at least *min_first_person* of its documents use "we",
    "our" or "us", one country is named (by the gazetteer, or by an office-holder's name at the
    document's date) in at least *min_share* of its documents, and in at least *min_ratio* times
    as many documents as the next country, or is named more often than any other country in at
    least *min_share* of the documents (a spokesperson's transcripts, which discuss the United
    States in nearly every briefing: on the Chinese foreign ministry's, China is named in 100% of
    the documents and the United States in 98%, but China is the most-named country in 98%).  On
    the project's corpora, each taken as an outlet of its own, the own country is named in
    90-100% of the documents and the next one in at most 76% (President of Ukraine, Russia); the
    UN General Debate, whose speakers differ, names no country in more than 55% of 20-300
    speeches, so it gets none.  A news agency writing in the third person is left to the
    outlets file or ``--home-country``: the country it covers most is not its voice.

    Parameters
    ----------
    docs_by_source
        Outlet -> ``(text, date)`` of its documents (title and body together; date as a
        string, timestamp or None); the first *max_docs* of each outlet are read.

    Returns
    -------
    dict
        Outlet -> ISO alpha-3; outlets without a clear home are left out.

    Examples
    --------
    >>> docs = [("Q: What is your comment? A: China firmly opposes this. We urge restraint.", None)] * 3
    >>> infer_home_countries_from_text({"pressers": docs, "blog": docs[:2]})
    {'pressers': 'CHN'}
    """
    out: dict[str, str] = {}
    for src in sorted(docs_by_source):
        docs = list(docs_by_source[src])[:max_docs]
        if len(docs) < min_docs:
            continue
        if sum(bool(_FIRST_PERSON_RE.search(t or "")) for t, _ in docs) < min_first_person * len(docs):
            continue
        counts: dict[str, int] = {}
        most: dict[str, int] = {}  # country -> documents that name it more often than any other
        for text, date in docs:
            if date is not None and date != date:  # NaT, NaN: no date
                date = None
            per: dict[str, int] = {}
            for m in _find(text or "", gazetteer, date):
                if m.country not in entities.PARTY_CODES:
                    per[m.country] = per.get(m.country, 0) + 1
            for c in per:
                counts[c] = counts.get(c, 0) + 1
            if per:
                top = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
                if len(top) == 1 or top[0][1] > top[1][1]:
                    most[top[0][0]] = most.get(top[0][0], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < min_share * len(docs):
            continue
        if len(ranked) > 1 and ranked[0][1] < min_ratio * ranked[1][1] \
                and most.get(ranked[0][0], 0) < min_share * len(docs):
            continue
        out[src] = ranked[0][0]
    return out


#: The share of an outlet's articles whose coded items (title, previous sentence, sentence) use
#: "we", "our" or "us" for :func:`item_contexts` to take the outlet as speaking in the first
#: person.  Items are excerpts of one to three sentences, so they hold the first person less often
#: than whole articles (:func:`infer_home_countries_from_text`'s default of 0.8): on the coded set
#: the outlets that speak in the first person reach 0.49-0.61 (President of Russia 0.49, White
#: House briefings 0.50, Chinese foreign ministry 0.61, President of Ukraine 0.61) and the
#: third-person release outlets 0.25-0.38 (White House readouts, State Department).
EXCERPT_MIN_FIRST_PERSON: float = 0.45


def item_contexts(items: Sequence[Mapping[str, Any]], *, home_country: str = "", outlets: Any | None = None,
                  gazetteer: Any | None = None) -> list[tuple[str, bool, str]]:
    """``(home country, outlet is a party, adversary)`` of each gold-format item.

    The home country is the item's ``home_country`` field, else *home_country*, else the
    outlets file's entry for its ``source``/``url``, else the country and institution its
    ``source`` names (:func:`named_outlet`); an explicit home country makes the
    outlet a party (its country speaks), a looked-up or named one when the outlet's kind is an
    official voice (:data:`analysis.outlets.PARTY_KINDS`).  An outlet (``source``) the file
    does not place gets the country the subject of its titles gives
    (:func:`infer_home_countries`, as in ``run``; not an official voice then), else the one
    :func:`infer_home_countries_from_text` finds in its items (grouped into documents by
    ``article_id``, else ``title``; first person in :data:`EXCERPT_MIN_FIRST_PERSON` of them),
    and then speaks for it.
    The adversary is inferred (:func:`infer_adversaries`) from all items of the same outlet and
    home country.
    """
    table = outlets if outlets is not None else _outlets.default_outlets()
    homes: list[str] = []
    parties: list[bool] = []
    docs: dict[str, dict[str, tuple[list[str], Any]]] = {}  # unlisted outlet -> document -> (texts, date)
    named: dict[str, _outlets.Outlet | None] = {}  # outlet key -> named_outlet(key)
    for k, it in enumerate(items):
        explicit = str(it.get("home_country") or home_country or "")
        src, url = str(it.get("source") or ""), str(it.get("url") or "")
        listed = table.lookup(source=src, url=url) if not explicit else None
        if not explicit and listed is None and src:
            if src not in named:
                named[src] = named_outlet(src, gazetteer)
            listed = named[src]
        homes.append(explicit or (listed.country if listed is not None else ""))
        parties.append(bool(explicit) or (listed is not None and listed.kind in _outlets.PARTY_KINDS))
        if src and not homes[-1]:
            doc = str(it.get("article_id") or it.get("title") or "") or f"item {k}"
            texts, _ = docs.setdefault(src, {}).setdefault(doc, ([str(it.get("title") or "")], it.get("date")))
            texts.extend(str(it.get(f) or "") for f in ("prev", "sentence"))
    # An outlet the file does not place: first the subject of its titles (as ``run`` does,
    # :func:`outlet_home_countries`; not taken as an official voice: a news agency's titles have
    # its own side as their subject too, and it reports other countries' contacts as theirs),
    # then what its items name, in the first person (it then speaks for that country).
    from_titles = infer_home_countries(
        {src: [t[0] for t, _ in by_doc.values()] for src, by_doc in docs.items()}, gazetteer=gazetteer)
    found = infer_home_countries_from_text(
        {src: [("\n".join(t), d) for t, d in by_doc.values()] for src, by_doc in docs.items() if src not in from_titles},
        gazetteer=gazetteer, min_first_person=EXCERPT_MIN_FIRST_PERSON)
    for k, it in enumerate(items):
        src = str(it.get("source") or "")
        if homes[k] or not src:
            continue
        if src in from_titles:
            homes[k] = from_titles[src]
        elif src in found:
            homes[k], parties[k] = found[src], True
    groups: dict[str, list[str]] = {}
    group_home: dict[str, str] = {}
    for it, home in zip(items, homes):
        g = f"{it.get('source') or ''}|{home}"
        group_home[g] = home
        groups.setdefault(g, []).extend(str(it.get(k) or "") for k in ("title", "prev", "sentence"))
    advs = infer_adversaries(groups, group_home, gazetteer=gazetteer)
    return [(h, p, advs.get(f"{it.get('source') or ''}|{h}", "")) for it, h, p in zip(items, homes, parties)]


def item_outlet(sentence: str, *, title: str = "", prev: str = "", source: str | None = None,
                url: str | None = None, home_country: str = "", outlets: Any | None = None,
                gazetteer: Any | None = None
                ) -> tuple[str, dict[str, str] | None, set[str], dict[str, str] | None]:
    """The outlet context of one sentence, as ``score-sentences`` finds it for an item with
    these fields (:func:`item_contexts`): ``(source key, source_countries, party_outlets,
    adversaries)``, the arguments of :func:`analysis.tone_rules.analyse_sentence`.

    Examples
    --------
    >>> item_outlet("Japan's proposals do not meet our requirements.", source="fmprc.gov.cn")[:3]
    ('fmprc.gov.cn', {'fmprc.gov.cn': 'CHN'}, {'fmprc.gov.cn'})
    >>> item_outlet("Text.", url="https://www.whitehouse.gov/briefing-room/")[:2]
    ('item', {'item': 'USA'})
    >>> item_outlet("Text.", source="My blog")
    ('My blog', None, set(), None)
    """
    key = source or "item"
    item = {"title": title or "", "prev": prev or "", "sentence": sentence or "", "source": source or "",
            "url": url or "", "home_country": home_country or ""}
    home, party, adv = item_contexts([item], outlets=outlets, gazetteer=gazetteer)[0]
    return key, ({key: home} if home else None), ({key} if party else set()), ({key: adv} if adv else None)



def outlet_home_countries(
    sources: Mapping[Any, str],
    urls: Mapping[Any, str],
    *,
    titles: Mapping[Any, str],
    gazetteer: Any | None = None,
    outlets: Any | None = None,
) -> dict[str, str]:
    """Each outlet's home country: from the outlets file (by the outlet's name, else by the
    web domain most of its articles' URLs are on), else the country and institution the
    outlet's name gives (:func:`named_outlet`), else inferred from its titles
    (:func:`infer_home_countries`, the fallback for outlets the file does not list).

    Parameters
    ----------
    sources, urls, titles
        doc_id -> outlet name, URL and title.
    """
    table = outlets if outlets is not None else _outlets.default_outlets()
    by_src: dict[str, list[Any]] = {}
    for d, src in sources.items():
        if src:
            by_src.setdefault(src, []).append(d)
    homes: dict[str, str] = {}
    unknown: dict[str, list[str]] = {}
    for src in sorted(by_src):
        home = table.home_country(source=src)
        if not home:
            votes: dict[str, int] = {}
            for d in by_src[src]:
                c = table.home_country(url=urls.get(d, ""))
                if c:
                    votes[c] = votes.get(c, 0) + 1
            if votes:
                best = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if best[1] * 2 >= len(by_src[src]):
                    home = best[0]
        if not home:
            named = named_outlet(src, gazetteer)
            home = named.country if named is not None else ""
        if home:
            homes[src] = home
        else:
            unknown[src] = [titles.get(d, "") for d in by_src[src]]
    if unknown:
        homes.update(infer_home_countries(unknown, gazetteer=gazetteer))
    return homes


def outlet_homes_and_parties(
    sources: Mapping[Any, str],
    urls: Mapping[Any, str],
    *,
    titles: Mapping[Any, str],
    gazetteer: Any | None = None,
    outlets: str | os.PathLike[str] | Any | None = None,
    home_country: str | None = None,
    texts: Mapping[Any, str] | None = None,
    dates: Mapping[Any, Any] | None = None,
) -> tuple[dict[str, str], set[str]]:
    """Home countries (:func:`outlet_home_countries`) and outlets that speak for their country
    (:func:`outlet_parties`), with the researcher's *home_country* over both (``"ISO3"`` for every
    outlet or ``"SOURCE=ISO3;..."``, :func:`analysis.params.home_country_spec`).  An outlet whose
    home country is given speaks for it, as an item's ``home_country`` does in
    ``score-sentences``.  *outlets*: an outlets file (path, looked up before the bundled list) or
    an :class:`analysis.outlets.Outlets` table (None: the bundled list).  *texts* and *dates*
    (doc_id -> body text and date): an outlet still without a home country gets the one
    :func:`infer_home_countries_from_text` finds, and speaks for it (a first-person outlet).

    Examples
    --------
    >>> homes, parties = outlet_homes_and_parties({"a": "briefings", "b": "whitehouse_readouts"}, {},
    ...     titles={"a": "Regular Press Conference", "b": "Readout"}, home_country="briefings=CHN")
    >>> homes == {"briefings": "CHN", "whitehouse_readouts": "USA"}, sorted(parties)
    (True, ['briefings', 'whitehouse_readouts'])
    """
    table = _outlets.load_outlets(outlets) if isinstance(outlets, (str, os.PathLike)) else outlets
    homes = outlet_home_countries(sources, urls, titles=titles, gazetteer=gazetteer, outlets=table)
    parties = outlet_parties(sources, urls, outlets=table)
    tbl = table if table is not None else _outlets.default_outlets()
    listed_by_url = {src for d, src in sources.items() if src and tbl.lookup(url=urls.get(d, "")) is not None}
    for src in sorted({s for s in sources.values() if s} - parties - listed_by_url):
        # an outlet neither its name nor its URLs find in the file, named by country and institution
        named = named_outlet(src, gazetteer) if tbl.lookup(source=src) is None else None
        if named is not None and named.kind in _outlets.PARTY_KINDS and homes.get(src) == named.country:
            parties.add(src)
    if texts is not None:
        docs: dict[str, list[tuple[str, Any]]] = {}
        for d, src in sources.items():
            if src and src not in homes:
                docs.setdefault(src, []).append((f"{titles.get(d, '')}\n{texts.get(d, '')}", (dates or {}).get(d)))
        for src, code in infer_home_countries_from_text(docs, gazetteer=gazetteer).items():
            homes[src] = code
            parties.add(src)
    given = home_country_spec(home_country)
    for src in sorted({s for s in sources.values() if s}):
        code = given.get(src) or given.get("*")
        if code:
            homes[src] = code
            parties.add(src)
    return homes, parties


def infer_home_countries(
    titles_by_source: Mapping[str, Sequence[str]],
    *,
    gazetteer: Any | None = None,
    min_share: float = 0.5,
    min_titles: int = 2,
) -> dict[str, str]:
    """Each outlet's home country: the country most often in the subject of its titles.

    Parameters
    ----------
    titles_by_source
        Outlet -> its article titles.
    min_share
        The winning country must be the subject of at least this share of the titles
        whose subject names a country.
    min_titles
        ... and of at least this many titles.

    Returns
    -------
    dict
        Outlet -> ISO alpha-3 code; outlets without a clear home are left out.  Ties are
        broken alphabetically.
    """
    out: dict[str, str] = {}
    for src in sorted(titles_by_source):
        counts: dict[str, int] = {}
        for t in titles_by_source[src]:
            sp = _title_base(str(t or ""), gazetteer, pair_fallback=False)[0]  # a named subject only
            if sp:
                counts[sp] = counts.get(sp, 0) + 1
        if not counts:
            continue
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if best[1] >= min_titles and best[1] / sum(counts.values()) >= min_share:
            out[src] = best[0]
    return out
