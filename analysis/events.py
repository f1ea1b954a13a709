"""Bilateral contacts reported by protocol news: who met, called, received or congratulated whom.

One row per reported contact, read from the article title (and, when the title names no
contact or no second country, from the opening sentence).  The contact type is the first
of these found, in this order of precedence (a title "received ... and held talks" is a
reception):

``condolence, congratulation, signing, phone_call, message, reception, visit, talks, meeting``

Sides
    ``host`` is the side that acts in the title's subject (receiver, caller, sender,
    congratulator, host of talks); ``guest`` is the other side.  For a ``visit`` the host is
    the visited country ("Senior Official Travel to Colombia": host COL, guest the
    outlet's country).  Countries come from :mod:`analysis.entities` through the same
    title parsing as :mod:`analysis.dyads` (speaker side = the title's subject,
    falling back to the outlet's home country inferred from its titles).  A title with
    several partners ("Call with President Macron of France and Chancellor Scholz of
    Germany") gives one row per partner.

Ranks
    The first rank word in the host's and in the guest's part of the title (e.g.
    ``president``, ``vice president``, ``prime minister``, ``foreign minister``,
    ``minister``, ``ambassador``, ``governor``, ``king``, ``emir``, ``crown prince``,
    ``chancellor``, ``speaker``, ``secretary general``, ``national security advisor``,
    ``first lady``, ``delegation``), ``""`` when none is stated.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import dyads
from analysis.errors import InputError

__all__ = ["EVENT_COLUMNS", "EVENT_TYPES", "RANKS", "event_type", "events"]

#: Columns of the events table (CONTRIBUTING.md).
EVENT_COLUMNS: tuple[str, ...] = ("doc_id", "date", "type", "host", "guest", "host_rank", "guest_rank", "dyad")

#: Contact types in order of precedence, with the pattern that signals each.
EVENT_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("condolence", re.compile(r"(?i)\b(?:condolences?|sympathy|sympathies)\b")),
    ("congratulation", re.compile(r"(?i)\bcongratulat\w*")),
    ("signing", re.compile(r"(?i)\b(?:signed|signs|signing|sign)\b")),
    ("phone_call", re.compile(r"(?i)\b(?:phone|telephone|video ?call|video conference|videoconference|call|calls|"
                              r"called|spoke|speaks)\b")),
    ("message", re.compile(r"(?i)\b(?:message|messages|letter|letters|wrote|sent|sends)\b")),
    ("reception", re.compile(r"(?i)\b(?:received|receives|receiving|reception|hosted|hosts|credentials)\b")),
    ("visit", re.compile(r"(?i)\b(?:visit|visits|visited|visiting|travel|travels|trip|arrived|arrives)\b")),
    ("talks", re.compile(r"(?i)\b(?:talks|negotiations|conversation|consultations)\b")),
    ("meeting", re.compile(r"(?i)\b(?:met|meets|meet|meeting|meetings|bilateral)\b")),
)

#: Rank words (longest first within the alternation), mapped to the reported rank.
RANKS: tuple[tuple[str, str], ...] = (
    (r"vice[- ]president", "vice president"),
    (r"prime[- ]minister(?:-designate)?|premier", "prime minister"),
    (r"foreign minister|minister (?:of|for) foreign affairs|foreign secretary|secretary of state|"
     r"minister for europe and foreign affairs", "foreign minister"),
    (r"crown prince", "crown prince"),
    (r"secretary[- ]general", "secretary general"),
    (r"national security advis[eo]r", "national security advisor"),
    (r"first lady", "first lady"),
    (r"president(?:-elect)?|presidents", "president"),
    (r"chancellor", "chancellor"),
    (r"king|queen", "king"),
    (r"emir|amir", "emir"),
    (r"sultan", "sultan"),
    (r"governor", "governor"),
    (r"ambassadors?|charg[eé] d'affaires|defen[cs]e attach[eé]", "ambassador"),
    (r"speakers?|chairpersons? of (?:the )?(?:parliament|houses)", "speaker"),
    (r"ministers?|secretary", "minister"),
    (r"delegation", "delegation"),
)
_RANK_RE = re.compile(r"(?i)\b(" + "|".join(f"(?:{p})" for p, _ in RANKS) + r")\b")


def _rank(text: str) -> str:
    m = _RANK_RE.search(text)
    if not m:
        return ""
    for p, name in RANKS:
        if re.fullmatch(f"(?i)(?:{p})", m.group(1)):
            return name
    return ""  # pragma: no cover


def event_type(text: str) -> str:
    """The contact type signalled in *text* (precedence as in :data:`EVENT_TYPES`), or ``""``."""
    for name, rx in EVENT_TYPES:
        if rx.search(text or ""):
            return name
    return ""


def _subject_cut(title: str) -> int:
    skip = dyads.SUBJECT_SKIP_RE.match(title)
    m = dyads.TITLE_SPLIT_RE.search(title, skip.end() if skip else 0)
    return m.start() if m else len(title)


def events(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    gazetteer: Any | None = None,
) -> pd.DataFrame:
    """Measure: one row per bilateral contact reported in an article's title/opening sentence.

    Parameters
    ----------
    articles
        ``doc_id, title`` (``date`` and ``source`` used when present; ``text`` supplies
        the opening sentence when *sentences* is not given).
    sentences
        Optional sentences table; sentence 0 of each document is the opening sentence.
    gazetteer
        Country gazetteer (default: :func:`analysis.entities.default_gazetteer`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, date, type, host, guest, host_rank, guest_rank, dyad``, sorted by
        ``doc_id, guest``.  Articles whose title and opening sentence name no contact or no
        second country give no row.
    """
    if "doc_id" not in articles.columns or "title" not in articles.columns:
        raise InputError("articles table needs columns 'doc_id' and 'title'")
    firsts: dict[Any, str] = {}
    if sentences is not None and len(sentences):
        s0 = sentences.loc[sentences["sentence_id"] == 0]
        firsts = dict(zip(s0["doc_id"].tolist(), s0["text"].astype(str).tolist()))
    elif "text" in articles.columns:
        for d, t in zip(articles["doc_id"].tolist(), articles["text"].fillna("").astype(str).tolist()):
            firsts[d] = re.split(r"(?<=[.!?])\s+", t.strip(), maxsplit=1)[0] if t.strip() else ""
    srcs = articles["source"].fillna("").astype(str).tolist() if "source" in articles.columns else [""] * len(articles)
    by_src: dict[str, list[str]] = {}
    for src, t in zip(srcs, articles["title"].fillna("").astype(str).tolist()):
        if src:
            by_src.setdefault(src, []).append(t)
    homes = dyads.infer_home_countries(by_src, gazetteer=gazetteer) if by_src else {}
    dates = articles["date"].tolist() if "date" in articles.columns else [pd.NaT] * len(articles)
    rows = []
    for d, title, src, date in zip(articles["doc_id"].tolist(), articles["title"].fillna("").astype(str).tolist(),
                                   srcs, dates):
        title = title.replace("\xa0", " ")
        opening = firsts.get(d, "").replace("\xa0", " ")
        typ = event_type(title) or event_type(opening)
        if not typ:
            continue
        text = title
        ctx = dyads.title_context(title, gazetteer, homes.get(src, ""))
        if not ctx.partners and opening:
            ctx2 = dyads.title_context(opening, gazetteer, homes.get(src, "") or ctx.speaker)
            if ctx2.speaker and ctx2.partners:
                ctx, text = ctx2, opening
        if not ctx.speaker or not ctx.partners:
            continue
        cut = _subject_cut(text)
        subj, obj = text[:cut], text[cut:]
        sp_rank, ob_rank = _rank(subj), _rank(obj)
        if not sp_rank and ob_rank == "president" and re.match(r"(?i)\s*president\b", text):
            sp_rank = "president"
        plural = re.search(r"(?i)\b(?:presidents|prime ministers|ministers|leaders|heads of state)\b", subj)
        ms = [m for m in dyads.find_mentions(text, gazetteer) if m.start >= cut]
        for partner in ctx.partners:
            g_rank = ob_rank
            pm = [m for m in ms if m.country == partner]
            if pm:
                prior = [m.end for m in ms if m.end <= pm[0].start]
                seg = text[max([cut] + prior) : pm[0].start]
                found = [_rank(x.group(0)) for x in _RANK_RE.finditer(seg)]
                g_rank = found[-1] if found else (ob_rank if len(ctx.partners) == 1 else "")
            if not g_rank and plural:
                g_rank = sp_rank
            if not g_rank and len(ctx.partners) == 1:
                g_rank = ob_rank
            host, guest, h_rank = ctx.speaker, partner, sp_rank
            if typ == "visit" and re.search(r"(?i)\b(?:visit\w*|travel\w*|trip|arriv\w*)\b[^.]*?\b(?:to|in)\b", text):
                host, guest, h_rank, g_rank = partner, ctx.speaker, ob_rank, sp_rank
            if host != guest:
                rows.append((d, date, typ, host, guest, h_rank, g_rank, "-".join(sorted((host, guest)))))
    out = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return out.sort_values(["doc_id", "guest"], kind="mergesort").reset_index(drop=True)
