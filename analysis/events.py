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
    The first rank in the host's and in the guest's part of the title, read with the rank
    vocabulary ``analysis/data/ranks.csv`` (:func:`load_ranks`: ``president``, ``vice
    president``, ``prime minister``, ``deputy prime minister``, ``foreign minister``,
    ``minister``, ``deputy minister``, ``spokesperson``, ``advisor``, ``chief of staff``,
    ``ambassador``, ``governor``, ``king``, ``emir``, ``crown prince``, ``chancellor``,
    ``speaker``, ``secretary general``, ``national security advisor``, ``first lady``,
    ``delegation``, ...).  A side named only by a name (no rank word) gets the office the
    person held on the article's date in ``analysis/data/officials.csv``: ``head of
    state``, ``head of government`` or ``foreign minister``; else ``""``.  An attribution prefix ("Statement by
    NSC Spokesperson Emily Horne on ...", "Statement by Press Secretary Jen Psaki on ...") is
    skipped: the spokesperson reports the contact and is not its host.  In a guest's part the
    first rank is the guest's own ("Ibrahim Kalin, Spokesperson and Chief Advisor to the
    President of Turkey": ``spokesperson``, not ``president``).

Direction
    ``initiator`` and ``recipient`` (ISO alpha-3, ``""`` when the text does not say):

    * ``visit`` and ``reception``: the visitor (the guest) initiates, the host receives;
    * ``phone_call``: only when the text says who called: "X received a call from Y",
      "at the initiative of Y", "a call initiated by Y" (initiator Y); "X called Y", "X
      phoned Y" (initiator X).  "X spoke with Y", "X had a phone conversation with Y" do
      not say who called: both ``""``;
    * ``message``, ``congratulation``, ``condolence``, ``invitation``: the sender ("X sent
      a message of congratulations to Y", "X congratulated Y": initiator X; "X received a
      letter from Y", "X was congratulated by Y": initiator Y);
    * ``meeting``, ``talks``, ``signing``: ``""`` (no direction).

    The title is read first, then the opening sentence.  The initiator of an active verb is
    the first side named in the verb's clause before it, not counting sides named after a
    contact verb ("Biden spoke with Kishida to congratulate him": Biden's side; "..., in
    which President el-Sisi congratulated President Trump": Egypt).  When no side is named
    there, a title's subject side is the initiator ("Statement by President Biden
    Congratulating Prime Minister Kishida of Japan"), and in the body of a readout the
    outlet's side ("The President congratulated the King ...").

Nested events
    A congratulation or an invitation reported inside a call, meeting, talks, reception or
    visit ("The President congratulated President Y on his re-election") is a row of its
    own, with ``parent`` = the ``event_id`` of the contact it was reported in (one per type
    and contact: the first sentence that reports it).  Top-level rows have ``parent`` -1.

Codes
    ``cameo``, ``cameo_label``, ``plover``, ``plover_mode``, ``plover_label`` come from the
    mapping ``analysis/data/event_codes.csv`` (:func:`load_event_codes`; CAMEO 1.1b3,
    Schrodt 2012; PLOVER, Open Event Data Alliance 2018-2021): the row of the event's type
    and of the side the text reports acting (the guest for a ``visit``, else the host).
    Blank where no code fits (the file's ``note`` says why).

References
----------
Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations Event and Actor
Codebook, version 1.1b3. Pennsylvania State University.
Open Event Data Alliance (2018-2021). PLOVER: Political Language Ontology for Verifiable
Event Records. https://github.com/openeventdata/PLOVER
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from analysis import config, dyads, outlet_context
from analysis import officials as _officials
from analysis import schema as _schema
from analysis.errors import DataFileError, InputError
from analysis.lexicon import display_name, read_csv_datafile

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "NESTED_TYPES",
    "CODE_COLUMNS",
    "RANK_COLUMNS",
    "RankVocabulary",
    "load_ranks",
    "load_event_codes",
    "event_type",
    "initiator",
    "events",
]

#: Columns of the events table (defined in :mod:`analysis.schema`).
EVENT_COLUMNS = _schema.EVENT_COLUMNS

#: "called" that is no call: "so-called", "can be called positive".
_NOT_DESCRIBED = r"(?<!so-)(?<!so )(?<!be )(?<!is )(?<!are )(?<!was )(?<!were )(?<!been )"

#: Contact types in order of precedence, with the pattern that signals each.
EVENT_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("condolence", re.compile(r"(?i)\b(?:condolences?|sympathy|sympathies)\b")),
    ("congratulation", re.compile(r"(?i)\bcongratulat\w*")),
    ("signing", re.compile(r"(?i)\b(?:signed|signs|signing|sign)\b")),
    ("phone_call", re.compile(r"(?i)\b(?:phone|telephone|video ?call|video conference|videoconference|"
                              r"(?:call|calls)(?!\s+(?:to action|for|on|upon)\b)|" + _NOT_DESCRIBED
                              + r"called|spoke|speaks)\b")),
    ("message", re.compile(r"(?i)\b(?:message|messages|letter|letters|wrote|sent|sends)\b")),
    ("reception", re.compile(r"(?i)\b(?:received|receives|receiving|reception|hosted|hosts|credentials)\b")),
    ("visit", re.compile(r"(?i)\b(?:visit|visits|visited|visiting|travel|travels|trip|arrived|arrives)\b")),
    ("talks", re.compile(r"(?i)\b(?:talks|negotiations|conversation|consultations)\b")),
    ("meeting", re.compile(r"(?i)\b(?:met|meets|meet|meeting|meetings|bilateral)\b")),
)

#: Types that are read inside the body of a contact's readout (nested events).
NESTED_TYPES: tuple[str, ...] = ("congratulation", "invitation")
#: Contact types whose readouts are searched for nested events.
_PARENT_TYPES = frozenset({"phone_call", "meeting", "talks", "reception", "visit"})

#: Columns of ``analysis/data/event_codes.csv``.
CODE_COLUMNS: tuple[str, ...] = ("type", "role", "cameo", "cameo_label", "plover", "plover_mode", "plover_label",
                                 "note")
#: Columns of ``analysis/data/ranks.csv``.
RANK_COLUMNS: tuple[str, ...] = ("surface", "rank", "note")

_KNOWN_TYPES = frozenset([n for n, _ in EVENT_TYPES] + list(NESTED_TYPES))
_CAMEO_RE = re.compile(r"^\d{2,4}$")
_PLOVER_RE = re.compile(r"^[A-Z]+$")
_MODES = frozenset({"", "visit", "phone", "third-party", "multilateral"})


# --------------------------------------------------------------------------- data files


def _norm_surface(s: str) -> str:
    return re.sub(r"[-\s]+", " ", s.strip().lower())


@dataclass(frozen=True)
class RankVocabulary:
    """Rank words and the rank each reports (:func:`load_ranks`); longest surface first."""

    entries: tuple[tuple[str, str], ...]
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rx", _rank_regex(self.entries))
        object.__setattr__(self, "_table", dict(self.entries))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled alternation of all surfaces (longest first)."""
        return self._rx  # type: ignore[attr-defined,no-any-return]

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, rank)`` of every rank word in *text*, left to right."""
        table = self._table  # type: ignore[attr-defined]
        return [(m.start(), m.end(), table[_norm_surface(m.group(0))]) for m in self._rx.finditer(text or "")]

    def first(self, text: str) -> str:
        """The first rank stated in *text*, ``""`` when none."""
        found = self.finditer(text)
        return found[0][2] if found else ""


@lru_cache(maxsize=8)
def _rank_regex(entries: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    alts = [r"[-\s]+".join(re.escape(w) for w in s.split(" ")) for s, _ in entries]
    return re.compile(r"(?i)(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


def load_ranks(path: str | os.PathLike[str] | None = None) -> RankVocabulary:
    """Loader: the rank vocabulary (default ``analysis/data/ranks.csv``).

    Columns :data:`RANK_COLUMNS` after ``# version/source/licence/citation`` lines.  A
    surface matches case-insensitively as whole words, a space also matching a hyphen;
    the longest surface wins.

    Raises
    ------
    analysis.errors.DataFileError
        ``"<file>:<line>: <problem>"``: empty surface or rank, or one surface given two ranks.
    """
    p = path if path is not None else config.package_data("ranks.csv")
    meta, rows = read_csv_datafile(p, RANK_COLUMNS)
    name = display_name(p)
    table: dict[str, str] = {}
    for lineno, row in rows:
        s, r = _norm_surface(row["surface"]), row["rank"].strip().lower()
        if not s or not r:
            raise DataFileError(f"{name}:{lineno}: empty surface or rank")
        if table.get(s, r) != r:
            raise DataFileError(f"{name}:{lineno}: surface {row['surface']!r} has two ranks ({table[s]!r}, {r!r})")
        table[s] = r
    if not table:
        raise DataFileError(f"{name}: no ranks in file")
    entries = tuple(sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return RankVocabulary(entries, dict(meta))


def load_event_codes(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Loader: the CAMEO/PLOVER mapping of contact types (default ``analysis/data/event_codes.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CODE_COLUMNS` (all text; codes keep their leading zeros), one row
        per ``type, role``; the file's provenance is in ``.attrs["provenance"]``.

    Raises
    ------
    analysis.errors.DataFileError
        ``"<file>:<line>: <problem>"``: unknown type, role other than host/guest, a CAMEO code
        that is not 2-4 digits, a PLOVER type not in capitals, an unknown PLOVER mode, or a
        repeated ``type, role``.
    """
    p = path if path is not None else config.package_data("event_codes.csv")
    meta, rows = read_csv_datafile(p, CODE_COLUMNS)
    name = display_name(p)
    seen: set[tuple[str, str]] = set()
    out = []
    for lineno, row in rows:
        key = (row["type"], row["role"])
        problem = ""
        if row["type"] not in _KNOWN_TYPES:
            problem = f"unknown type {row['type']!r}"
        elif row["role"] not in ("host", "guest"):
            problem = f"role must be host or guest, got {row['role']!r}"
        elif row["cameo"] and not _CAMEO_RE.match(row["cameo"]):
            problem = f"CAMEO code {row['cameo']!r} is not 2-4 digits"
        elif row["plover"] and not _PLOVER_RE.match(row["plover"]):
            problem = f"PLOVER type {row['plover']!r} is not in capitals"
        elif row["plover_mode"] not in _MODES:
            problem = f"unknown PLOVER mode {row['plover_mode']!r}"
        elif key in seen:
            problem = f"type {key[0]!r} with role {key[1]!r} given twice"
        if problem:
            raise DataFileError(f"{name}:{lineno}: {problem}")
        seen.add(key)
        out.append([row[c] for c in CODE_COLUMNS])
    df = pd.DataFrame(out, columns=list(CODE_COLUMNS), dtype=object)
    df.attrs["provenance"] = dict(meta)
    return df


@lru_cache(maxsize=1)
def _default_ranks() -> RankVocabulary:
    return load_ranks()


@lru_cache(maxsize=1)
def _default_codes() -> pd.DataFrame:
    return load_event_codes()


# --------------------------------------------------------------------------- type and direction


def event_type(text: str) -> str:
    """The contact type signalled in *text* (precedence as in :data:`EVENT_TYPES`), or ``""``."""
    for name, rx in EVENT_TYPES:
        if rx.search(text or ""):
            return name
    return ""


_CALL = r"(?:phone |telephone |video |video-)?(?:call|conversation)"
#: Verbs whose grammatical subject is the initiator ("X called Y", "X congratulated Y").
_ACTIVE: dict[str, re.Pattern[str]] = {
    "phone_call": re.compile(
        r"(?i)" + _NOT_DESCRIBED + r"\b(?:called|phoned|telephoned|rang)\b"
        r"(?!\s+(?:on|upon|for|in|to|it|this|that|back|out|off|"
        r"up|him|her|them|a|an|the\s+(?:war|attack|invasion|situation))\b)"
        r"|\b(?:placed|made|makes|initiated|initiates)\s+(?:a|an|the)\s+(?:\w+\s+)?" + _CALL + r"\b"),
    "message": re.compile(r"(?i)\b(?:sent|sends|addressed|addresses|wrote|writes)\b"),
    "congratulation": re.compile(
        r"(?i)\b(?:congratulated|congratulates|congratulating|congratulate)\b"
        r"|\b(?:sent|sends|send|conveyed|conveys|convey|extended|extends|extend|offered|offers|offer|expressed|"
        r"expresses|express)\b[^.;]{0,40}?\bcongratulations\b"),
    "condolence": re.compile(
        r"(?i)\b(?:sent|sends|conveyed|conveys|extended|extends|offered|offers|expressed|expresses)\b[^.;]{0,40}?"
        r"\b(?:condolences|sympathy|sympathies)\b"),
    "invitation": re.compile(r"(?i)\binvit(?:ed|es|ing)\b(?![^.;]{0,80}\b(?:invitation|to (?:join|take part)))"),
}
#: Verbs whose initiator is named after them ("X received a call from Y").
_PASSIVE: dict[str, re.Pattern[str]] = {
    "phone_call": re.compile(
        r"(?i)\breceived\s+(?:a|an)\s+(?:\w+\s+)?" + _CALL + r"\s+from\b"
        r"|\b" + _CALL + r"\s+(?:was\s+)?(?:initiated|requested|placed)\s+by\b"
        r"|\bat\s+the\s+(?:initiative|request)\s+of\b"),
    "message": re.compile(r"(?i)\breceived\s+(?:a|an|the)?\s*(?:\w+\s+)?(?:message|letter)s?\s+(?:\w+\s+){0,3}?from\b"),
    "congratulation": re.compile(
        r"(?i)\b(?:received|accepted)\s+(?:\w+\s+){0,2}?congratulations\s+from\b|\bwas\s+congratulated\s+by\b"),
    "condolence": re.compile(r"(?i)\b(?:received|accepted)\s+(?:\w+\s+){0,2}?condolences\s+from\b"),
    "invitation": re.compile(r"(?i)\bat\s+the\s+invitation\s+of\b"
                             r"|\b(?:accept|receiv|welcom)\w*\s+(?:an|the)\s+invitation\s+"
                             r"(?:of|from)\b"),
}
#: Contact verbs: a side named after one of them (and before the verb read) is its object.
_CONTACT_VERB_RE = re.compile(r"(?i)\b(?:spoke|speaks|talked|talks|met|meets|called|calls|phoned|telephoned|"
                              r"received|receives|hosted|hosts|welcomed)\b")
#: "X accepted an invitation to visit Y": the other side than the subject invited.
_ACCEPT_RE = re.compile(r"(?i)\b(?:accept|welcom)(?:ed|es|e|s)?\s+(?:[\w’'-]+\s+){0,4}?invitation\b"
                        r"(?!\s+(?:of|from)\b)")
_MUTUAL_RE = re.compile(r"(?i)\b(?:each other|one another|mutual(?:ly)?|exchanged)\b")
_NESTED_TRIGGER: dict[str, re.Pattern[str]] = {
    "congratulation": re.compile(r"(?i)\bcongratulat\w*"),
    "invitation": re.compile(r"(?i)\binvit(?:ed|es|ing|ation)\b[^.;]{0,80}?\bto\s+(?:visit|come|pay)\b"),
}


def _side_mentions(text: str, host: str, guest: str, gazetteer: Any | None, date: Any) -> list[Any]:
    """Country mentions of *text* (gazetteer) plus the names of the two sides' heads of state
    and government and foreign ministers in office at *date* (full name or surname), by start."""
    found = list(dyads.find_mentions(text, gazetteer))
    if date is not None and not pd.isna(date):
        d = pd.Timestamp(date)
        d = d.tz_convert(None) if d.tzinfo is not None else d
        by_country = _officials_by_country()
        for c in (host, guest):
            for words, _office, start, end in by_country.get(c, []):
                if not words or not (start <= d and (end is None or pd.isna(end) or d <= end)):
                    continue
                surname = words[-1]
                if len(surname) < 4:
                    continue
                for m in _surname_re(surname).finditer(text):
                    if m.group(0)[:1].isupper() and not any(x.start < m.end() and m.start() < x.end for x in found):
                        found.append(dyads.Mention(m.start(), m.end(), c, "official", m.group(0)))
    return sorted(found, key=lambda x: (x.start, x.end))


@lru_cache(maxsize=4096)
def _surname_re(surname: str) -> re.Pattern[str]:
    """The pattern of a surname as a whole word, any case (compiled once per surname)."""
    return re.compile(r"(?<![\w-])" + re.escape(surname) + r"(?![\w-])", flags=re.IGNORECASE)


def _side_of(found: list[Any], host: str, guest: str) -> str:
    for m in found:
        if m.country in (host, guest):
            return m.country
    return ""


def initiator(
    text: str,
    typ: str,
    host: str,
    guest: str,
    *,
    subject: str = "",
    gazetteer: Any | None = None,
    date: Any = None,
) -> str:
    """Who initiated a contact of type *typ* between *host* and *guest*, as *text* says.

    Parameters
    ----------
    text
        A title or sentence.
    typ
        The contact type (see the module docstring's *Direction*).
    host, guest
        The two sides (ISO alpha-3).
    subject
        The side that is the subject when the text names neither side before the verb
        (a title's subject; in a readout, the outlet's own side: "The President
        congratulated ..."); ``""``: then a side named after an active verb is taken as its
        object, the other side as the initiator.
    gazetteer, date
        For the country mentions (officials in office on *date* count).

    Returns
    -------
    str
        *host*, *guest* or ``""`` (the text does not say, or says both: "congratulated each
        other").

    Examples
    --------
    ``initiator("Ukraine received a call from France", "phone_call", "UKR", "FRA")`` is
    ``"FRA"``; ``initiator("Ukraine spoke with France", "phone_call", "UKR", "FRA")`` is ``""``.
    """
    if typ in ("visit", "reception"):
        return guest
    text = (text or "").replace("\xa0", " ")
    if typ not in _ACTIVE or not text:
        return ""
    mentions = None
    passive = _PASSIVE[typ].search(text)
    if passive:
        mentions = _side_mentions(text, host, guest, gazetteer, date)
        return _side_of([m for m in mentions if m.start >= passive.end()], host, guest)
    accept = _ACCEPT_RE.search(text) if typ == "invitation" else None
    active = accept or _ACTIVE[typ].search(text)
    if not active or _MUTUAL_RE.search(text[active.start():active.end() + 60]):
        return ""
    mentions = _side_mentions(text, host, guest, gazetteer, date)
    # The subject: the first side named before the verb, before any contact verb ("spoke with Y
    # to congratulate him": Y is the object), preferring the verb's own clause ("..., in which
    # President Y congratulated").
    pre = text[: active.start()]
    commas = [m.end() for m in re.finditer(r"[,;:]", pre)]
    clause = commas[-1] if commas else 0
    in_clause = list(_CONTACT_VERB_RE.finditer(pre, clause))
    clause_end = in_clause[-1].start() if in_clause else len(pre)
    cvs = list(_CONTACT_VERB_RE.finditer(pre))
    region_end = cvs[-1].start() if cvs else len(pre)
    sub = (_side_of([m for m in mentions if clause <= m.start and m.end <= clause_end], host, guest)
           or _side_of([m for m in mentions if m.end <= region_end], host, guest))
    if not sub and subject in (host, guest):
        sub = subject
    if sub:
        return (guest if sub == host else host) if accept else sub
    after = _side_of([m for m in mentions if m.start >= active.end()], host, guest)
    if after and not accept:
        return host if after == guest else guest
    return ""


# --------------------------------------------------------------------------- events

#: "Statement by NSC Spokesperson Emily Horne on ...": the spokesperson reports, the contact follows.
_ATTRIBUTION_RE = re.compile(
    r"(?i)^\s*(?:statement|readout|remarks)\s+(?:by|from)\s+[^,:]*?\b(?:spokes(?:person|man|woman)|press secretary)"
    r"\b[^,:]*?\s(?:on|of)\s+(?:the\s+)?"
)
_BY_RE = re.compile(r"(?i)^\s*(?:statement|readout|remarks)\s+(?:by|from)\s+(?:the\s+)?")
_RELATIONAL_RE = re.compile(r"(?i)\b(?:to|of)\s+the\s+(?:[A-Z][\w’'-]*\s+)?$")


#: Attribution lines that open State Department releases ("Office of the Spokesperson The
#: following is attributable to Spokesperson Ned Price: ...", "Ned Price, Department
#: Spokesperson The United States ..."): the reporter, not a party.
_BODY_ATTRIBUTION_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?i)\s*office of the spokesperson\b[\s:]*"),
    re.compile(r"(?i)\s*the (?:following|below) is attributable to\b[^:]{0,80}:\s*"),
    re.compile(r"\s*(?:[A-Z][\w.’'-]*\s+){1,4}?[A-Z][\w.’'-]*,\s+(?:Department\s+|NSC\s+)?"
               r"Spokes(?:person|man|woman)\b\s*"),
)


def _subject_start(title: str) -> int:
    pos = 0
    for rx in _BODY_ATTRIBUTION_RES:
        m = rx.match(title, pos)
        if m:
            pos = m.end()
    if pos:
        return pos
    att = _ATTRIBUTION_RE.match(title)
    if att:
        return att.end()
    skip = dyads.SUBJECT_SKIP_RE.match(title)
    if skip and not dyads.TITLE_SPLIT_RE.search(title[: skip.end() - 2]):
        return skip.end()
    # "Statement by President Joe Biden on Support for Ukraine and Call with President Zelenskyy of
    # Ukraine": the "of" is the guest's, the subject follows "by".
    by = _BY_RE.match(title)
    return by.end() if by else 0


def _subject_cut(title: str, start: int) -> int:
    m = dyads.TITLE_SPLIT_RE.search(title, start)
    return m.start() if m else len(title)


def _own_ranks(text: str, ranks: RankVocabulary) -> list[tuple[int, int, str]]:
    """Ranks in *text* that are not relational ("Advisor to the President": the president is
    not the person's rank) unless they come first."""
    found = ranks.finditer(text)
    return [f for i, f in enumerate(found) if i == 0 or not _RELATIONAL_RE.search(text[: f[0]])]


#: Office in analysis/data/officials.csv -> the rank given to a side named only by its name.
_OFFICE_RANKS = {"head_of_state": "head of state", "head_of_government": "head of government",
                 "foreign_minister": "foreign minister"}


@lru_cache(maxsize=1)
def _officials_by_country() -> dict[str, list[tuple[tuple[str, ...], str, Any, Any]]]:
    out: dict[str, list[tuple[tuple[str, ...], str, Any, Any]]] = {}
    for o in _officials.default_officials().rows:
        if o.office in _OFFICE_RANKS:
            start = o.start.tz_convert(None) if getattr(o.start, "tzinfo", None) is not None else o.start
            end = o.end
            if end is not None and getattr(end, "tzinfo", None) is not None:
                end = end.tz_convert(None)
            words = tuple(w.lower() for w in re.findall(r"[\w’'-]+", o.name))
            out.setdefault(o.country, []).append((words, o.office, start, end))
    return out


def _office_ranks(text: str, date: Any, countries: tuple[str, ...]) -> dict[str, str]:
    """Country -> rank of an office-holder of that country *text* names (at *date*): ``head of
    state``, ``head of government`` or ``foreign minister`` (``analysis/data/officials.csv``;
    full name, or a capitalised surname of at least four letters; head of state first when one
    person holds both offices)."""
    if date is None or pd.isna(date) or not text:
        return {}
    d = pd.Timestamp(date)
    d = d.tz_convert(None) if d.tzinfo is not None else d
    toks = re.findall(r"[\w’'-]+", text)
    low = [t.lower() for t in toks]
    caps = {t.lower() for t in toks if t[:1].isupper() and len(t) >= 4}
    joined = " " + " ".join(low) + " "
    out: dict[str, str] = {}
    by_country = _officials_by_country()
    for c in countries:
        found = set()
        for words, office, start, end in by_country.get(c, []):
            if not words or not (start <= d and (end is None or pd.isna(end) or d <= end)):
                continue
            if words[-1] in caps or " " + " ".join(words) + " " in joined:
                found.add(office)
        for office in _OFFICE_RANKS:
            if office in found:
                out[c] = _OFFICE_RANKS[office]
                break
    return out


def _codes_for(codes: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    cols = ["cameo", "cameo_label", "plover", "plover_mode", "plover_label"]
    return {(t, r): tuple(str(x) for x in vals)
            for t, r, *vals in codes[["type", "role"] + cols].itertuples(index=False, name=None)}


#: Sentence ends when no sentences table is given (not after an initial or a title: "Joseph R.
#: Biden, Jr. spoke").
_ROUGH_SPLIT_RE = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bJr\.)(?<!\bSr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)"
                             r"(?<!\bSt\.)(?<!\bMrs\.)\s+(?=[\"“A-Z])")


def _sentences_by_doc(articles: pd.DataFrame, sentences: pd.DataFrame | None) -> dict[Any, list[str]]:
    out: dict[Any, list[str]] = {}
    if sentences is not None and len(sentences):
        s = sentences.sort_values(["doc_id", "sentence_id"], kind="mergesort")
        for d, t in zip(s["doc_id"].tolist(), s["text"].astype(str).tolist()):
            out.setdefault(d, []).append(t)
    elif "text" in articles.columns:
        for d, t in zip(articles["doc_id"].tolist(), articles["text"].fillna("").astype(str).tolist()):
            t = t.strip()
            out[d] = [x for x in _ROUGH_SPLIT_RE.split(t) if x] if t else []
    return out


def _nested(
    sents: list[str], parent: dict[str, Any], n_parents: int, gazetteer: Any | None, date: Any
) -> list[tuple[str, str]]:
    """``(type, initiator)`` of the nested events reported in a contact's sentences."""
    out = []
    joined = "\n".join(sents)
    for typ in NESTED_TYPES:
        # a match inside one sentence is a match in the sentences joined by line breaks: without
        # one there, no sentence has one
        if not _NESTED_TRIGGER[typ].search(joined):
            continue
        for s in sents:
            m = _NESTED_TRIGGER[typ].search(s)
            if not m:
                continue
            s = s.replace("\xa0", " ")
            if n_parents > 1:
                cs = {x.country for x in _side_mentions(s, parent["host"], parent["guest"], gazetteer, date)}
                if parent["guest"] not in cs:
                    continue
            # In a readout, "The President congratulated ..." is the readout's own (host) side.
            out.append((typ, initiator(s, typ, parent["host"], parent["guest"], subject=parent["_speaker"],
                                       gazetteer=gazetteer, date=date)))
            break
    return out


def events(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    gazetteer: Any | None = None,
    ranks: RankVocabulary | str | os.PathLike[str] | None = None,
    codes: pd.DataFrame | str | os.PathLike[str] | None = None,
    nested: bool = True,
) -> pd.DataFrame:
    """Measure: one row per bilateral contact reported in an article's title/opening sentence.

    Parameters
    ----------
    articles
        ``doc_id, title`` (``date`` and ``source`` used when present; ``text`` supplies
        the opening sentence and the body when *sentences* is not given).
    sentences
        Optional sentences table; sentence 0 of each document is the opening sentence, all
        sentences are searched for nested events.
    gazetteer
        Country gazetteer (default: :func:`analysis.entities.default_gazetteer`).
    ranks
        A :class:`RankVocabulary` or the path of a rank file (default
        ``analysis/data/ranks.csv``).
    codes
        The event-code mapping (:func:`load_event_codes` table or a path; default
        ``analysis/data/event_codes.csv``).
    nested
        Add the congratulations and invitations reported inside a contact (default True).

    Returns
    -------
    pandas.DataFrame
        :data:`EVENT_COLUMNS`: ``doc_id, date, type, host, guest, host_rank, guest_rank,
        dyad, event_id`` (0-based within the document), ``parent`` (the ``event_id`` of the
        contact a nested event was reported in; -1 for none), ``initiator, recipient``
        (``""`` when the text does not say), ``cameo, cameo_label, plover, plover_mode,
        plover_label`` (``""`` where no code fits).  Sorted by ``doc_id, event_id``: a
        document's contacts by ``guest``, then its nested events.  Articles whose title and
        opening sentence name no contact or no second country give no row.
    """
    if "doc_id" not in articles.columns or "title" not in articles.columns:
        raise InputError("articles table needs columns 'doc_id' and 'title'")
    rv = ranks if isinstance(ranks, RankVocabulary) else (load_ranks(ranks) if ranks is not None else _default_ranks())
    ct = codes if isinstance(codes, pd.DataFrame) else (
        load_event_codes(codes) if codes is not None else _default_codes())
    code_map = _codes_for(ct)
    body = _sentences_by_doc(articles, sentences)
    firsts = {d: (v[0] if v else "") for d, v in body.items()}
    srcs = articles["source"].fillna("").astype(str).tolist() if "source" in articles.columns else [""] * len(articles)
    by_src: dict[str, list[str]] = {}
    for src, t in zip(srcs, articles["title"].fillna("").astype(str).tolist()):
        if src:
            by_src.setdefault(src, []).append(t)
    homes = outlet_context.infer_home_countries(by_src, gazetteer=gazetteer) if by_src else {}
    dates = articles["date"].tolist() if "date" in articles.columns else [pd.NaT] * len(articles)
    rows: list[dict[str, Any]] = []
    for d, title, src, date in zip(articles["doc_id"].tolist(), articles["title"].fillna("").astype(str).tolist(),
                                   srcs, dates):
        title = title.replace("\xa0", " ")
        opening = firsts.get(d, "").replace("\xa0", " ")
        typ = event_type(title) or event_type(opening)
        if not typ:
            continue
        text, in_title = title, True
        ctx = dyads.title_context(title, gazetteer, homes.get(src, ""))
        if not ctx.partners and opening:
            ctx2 = dyads.title_context(opening, gazetteer, homes.get(src, "") or ctx.speaker)
            if ctx2.speaker and ctx2.partners:
                ctx, text, in_title = ctx2, opening, False
        if not ctx.speaker or not ctx.partners:
            continue
        start = _subject_start(text)
        cut = _subject_cut(text, start)
        subj, obj = text[start:cut], text[cut:]
        sp_found = _own_ranks(subj, rv)
        sp_rank = sp_found[0][2] if sp_found else ""
        seg_floor = cut
        between = re.search(r"(?i)\bbetween\b", obj)
        if not sp_rank and between:
            # "the Bilateral Meeting between President Joe Biden and Prime Minister Mario Draghi".
            bf = rv.finditer(text[cut + between.end():])
            if bf:
                sp_rank, seg_floor = bf[0][2], cut + between.end() + bf[0][1]
        ob_found = _own_ranks(text[seg_floor:], rv)
        ob_rank = ob_found[0][2] if ob_found else ""
        if not sp_rank and ob_rank == "president" and re.match(r"(?i)\s*president\b", text):
            sp_rank = "president"
        plural = re.search(r"(?i)\b(?:presidents|prime ministers|ministers|leaders|heads of state)\b", subj)
        ms = [m for m in dyads.find_mentions(text, gazetteer) if m.start >= cut]
        doc_rows = []
        for partner in ctx.partners:
            g_rank = ob_rank
            pm = [m for m in ms if m.country == partner]
            if pm:
                prior = [m.end for m in ms if m.end <= pm[0].start]
                seg = text[max([seg_floor] + prior): pm[0].start]
                found = _own_ranks(seg, rv)
                g_rank = found[0][2] if found else (ob_rank if len(ctx.partners) == 1 else "")
            if not g_rank and plural:
                g_rank = sp_rank
            if not g_rank and len(ctx.partners) == 1:
                g_rank = ob_rank
            host, guest, h_rank = ctx.speaker, partner, sp_rank
            vm = re.search(r"(?i)\b(?:visit\w*|travel\w*|trip|arriv\w*)\b[^.]*?\b(?:to|in)\b|\bvisited\b", text) \
                if typ == "visit" else None
            if vm:
                # The visited side's rank is stated after "to"/"visited" ("Travel to Ukraine": none).
                after = _own_ranks(text[vm.end():], rv)
                host, guest, h_rank, g_rank = partner, ctx.speaker, after[0][2] if after else "", sp_rank
            if host == guest:
                continue
            if not h_rank or not g_rank:
                office = _office_ranks(text, date, (host, guest))
                h_rank, g_rank = h_rank or office.get(host, ""), g_rank or office.get(guest, "")
            ini = initiator(text, typ, host, guest, subject=ctx.speaker if in_title else "",
                            gazetteer=gazetteer, date=date)
            if not ini and in_title and opening and typ in _ACTIVE:
                ini = initiator(opening, typ, host, guest, gazetteer=gazetteer, date=date)
            doc_rows.append({"doc_id": d, "date": date, "type": typ, "host": host, "guest": guest,
                             "host_rank": h_rank, "guest_rank": g_rank, "dyad": "-".join(sorted((host, guest))),
                             "parent": -1, "initiator": ini, "_speaker": ctx.speaker})
        doc_rows.sort(key=lambda r: r["guest"])
        n_top = len(doc_rows)
        if nested:
            for k in range(n_top):
                par = doc_rows[k]
                if par["type"] not in _PARENT_TYPES:
                    continue
                for ntyp, ini in _nested(body.get(d, []),
                                         par, n_top, gazetteer, date):
                    swap = ini == par["guest"]
                    doc_rows.append({**par, "type": ntyp, "parent": k, "initiator": ini,
                                     "host": par["guest"] if swap else par["host"],
                                     "guest": par["host"] if swap else par["guest"],
                                     "host_rank": par["guest_rank"] if swap else par["host_rank"],
                                     "guest_rank": par["host_rank"] if swap else par["guest_rank"]})
        for k, r in enumerate(doc_rows):
            r["event_id"] = k
            ini = r["initiator"]
            r["recipient"] = "" if not ini else (r["guest"] if ini == r["host"] else r["host"])
            role = "guest" if r["type"] == "visit" else "host"
            r.update(zip(("cameo", "cameo_label", "plover", "plover_mode", "plover_label"),
                         code_map.get((r["type"], role), ("",) * 5)))
        rows.extend(doc_rows)
    out = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    out["event_id"] = out["event_id"].astype("int64")
    out["parent"] = out["parent"].astype("int64")
    return out.sort_values(["doc_id", "event_id"], kind="mergesort").reset_index(drop=True)
