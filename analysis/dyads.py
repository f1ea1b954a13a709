"""Which pair of countries a sentence is about: mentions, title grammar, outlet context.

The rule layer under the tone model (:mod:`analysis.sentiment`, :mod:`analysis.tone_model`)
and the event extractor (:mod:`analysis.events`):

* **mentions**: the gazetteer's country mentions (:mod:`analysis.entities`), plus, for an
  article's date, the names of heads of state and government and foreign ministers then in
  office (:mod:`analysis.officials`);
* **title context** (:func:`title_context`): the *speaker side* (the title's subject, or the
  outlet's country: :mod:`analysis.outlets`) and the *partner side* ("Readout of President
  Biden's Call with ...", "Turkish-Azerbaijani talks", "Meeting with Tokayev and
  Mirziyoyev"); an official outlet speaks for its country even when its title names another;
* **outlet context** (:mod:`analysis.outlet_context`, computed corpus-wide and passed in):
  home countries, official voices and an outlet's adversary, so that "the enemy", "the
  occupiers" or "this war" in a sentence naming no other country resolve;
* **the pair** (:func:`choose_pair`): the target and victim of conflict vocabulary, the
  supported country of support given, the unnamed adversary, the title's pair when the
  sentence refers to it ("the two leaders", "our countries") or names another country only as
  the scene ("the situation in Syria"), two other countries when the speaking side is absent,
  the countries named.

Everything here is rules without fitted parameters; ``python -m analysis validate`` reports
their figures (about-ties F1, exact pair accuracy) per outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from analysis import entities
from analysis import officials as _officials
from analysis.press import PRESS_QUESTION_RE
from analysis.segment import tokenize

__all__ = [
    "Mention",
    "TitleContext",
    "find_mentions",
    "title_context",
    "title_base",
    "with_prev",
    "choose_pair",
    "unique",
    "context_country",
    "is_question",
    "with_officials",
    "TITLE_SPLIT_RE",
    "SUBJECT_SKIP_RE",
    "PAIR_REF_RE",
    "MULTI_RE",
    "word_alternation",
    "PHRASE_BREAK",
    "ORGANISATION",
    "THIRD_PAIR_REASON",
    "PREV_PAIR_REASON",
    "OTHERS_PAIR_REASON",
    "ENEMY_RE",
    "war_topic",
]

#: Tokens that end a noun phrase: a country before them is not the actor of a term after them.
_PHRASE_BREAK = frozenset(", ; and or against to with for in on at near".split())

#: Words of support given, whose object names the supported country.
#: First-person plural words: with the outlet's adversary as the target of conflict vocabulary
#: and no victim named, they make the speaking side the victim ("the Russian army invaded our
#: land" in an address to a foreign parliament: RUS-UKR, not the parliament's country).
_OWN_SIDE_WORDS = frozenset("our ours us we".split())
#: First-person words: the speaking side is present in the sentence though not named.
_FIRST_PERSON_WORDS = _OWN_SIDE_WORDS | frozenset("i me my mine".split())
#: Words of thanks and appreciation: support named after them is the thanked side's.
_GRATITUDE_WORDS = frozenset("thanked thank thanks thanking welcomed welcomes appreciated appreciates appreciation "
                             "commended commends praised praises gratitude grateful applauded applaud lauded".split())
_SUPPORT_WORDS = frozenset("support supporting supports supported assistance aid helping help commitment "
                           "solidarity".split())

@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    country: str
    kind: str
    surface: str


@lru_cache(maxsize=1)
def _default_gazetteer() -> Any:
    return entities.default_gazetteer()


def _find(text: str, gazetteer: Any | None, date: Any = None) -> list[_Mention]:
    """Country mentions of *text*: the gazetteer's, plus (with a *date*) the names of heads of
    state and government and foreign ministers in office at that date
    (:meth:`analysis.officials.Officials.find`) where the gazetteer found nothing."""
    if not text:
        return []
    gz = gazetteer if gazetteer is not None else _default_gazetteer()
    try:
        out = list(_gazetteer_mentions(text, gz))
    except TypeError:  # an unhashable gazetteer: not memoised
        out = list(_gazetteer_mentions.__wrapped__(text, gz))
    if date is not None:
        out = _with_officials(out, text, date)
    out.sort(key=lambda m: (m.start, m.end))
    return out


@lru_cache(maxsize=4096)
def _gazetteer_mentions(text: str, gz: Any) -> tuple[_Mention, ...]:
    """The gazetteer's country mentions of *text*, memoised per (text, gazetteer): an article's
    title is looked up by the tone stage, the events stage and the outlets' home countries."""
    out = []
    for m in gz.find(text):
        c = str(getattr(m, "country", "") or "")
        if c:
            out.append(_Mention(int(m.start), int(m.end), c, str(getattr(m, "kind", "")), str(m.surface)))
    return tuple(out)


@lru_cache(maxsize=16)
def _officials_in(text: str, date: Any) -> tuple[Any, ...]:
    """The office-holders named in *text* at *date* (memoised for the last few sentences: each
    sentence is looked up again as the next one's previous sentence)."""
    return tuple(_officials.default_officials().find(text, date))


def _with_officials(found: list[_Mention], text: str, date: Any) -> list[_Mention]:
    """*found* plus the office-holders' names of *text* at *date* that overlap no mention in it."""
    extra = [
        _Mention(o.start, o.end, o.country, "official", o.surface)
        for o in _officials_in(text, date)
        if not any(m.start < o.end and o.start < m.end for m in found)
    ]
    return sorted(found + extra, key=lambda m: (m.start, m.end)) if extra else found


def _unique(seq: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for x in seq:
        if x and x not in seen:
            seen.append(x)
    return seen


def _context_country(mentions: Iterable[Any], speaker: str) -> str | None:
    """The partner a sentence's *mentions* give the next sentences of an item whose title names a
    speaking side and no partner: the one country other than *speaker* and the United Nations
    they name; "" when they name two or more such countries; None when they name none."""
    named = _unique(m.country for m in mentions if m.country not in (speaker, _ORGANISATION))
    if not named:
        return None
    return named[0] if len(named) == 1 else ""


#: Where a title's subject ends: the first contact verb/preposition.
_TITLE_SPLIT_RE = re.compile(
    r"(?i)(?:'s|’s)?\s*\b(?:call|calls|phone|telephone|conversation|meeting|meets?|met|talks?|talked|spoke|speaks|"
    r"received|receives|receiving|reception|congratulat\w*|condolences?|visit\w*|hosted|hosts|"
    r"welcomed|welcomes|sent|sends|signed|signs|with|and|between|to|from|on|regarding|concerning)\b"
)
_SUBJECT_SKIP_RE = re.compile(r"(?i)^\s*(?:readout|statement|background press call|joint statement)\b[^,]*?\bof\b")
def word_alternation(pattern: str) -> re.Pattern[str]:
    """Compile a case-insensitive alternation of words, ``(?i)\\b(?:ALT|ALT|...)...``, with a
    look-ahead at the first letters of its top-level alternatives after the first ``\\b``.

    The look-ahead matches exactly the characters that can start one of the alternatives, so
    the matches are those of *pattern*; a position that starts none of them is rejected with one
    test instead of one per alternative (about half the search time on real sentences).

    Examples
    --------
    >>> rx = word_alternation(r"(?i)\\b(?:the two|both|bilateral)\\b")
    >>> rx.pattern
    '(?i)\\\\b(?=[BTbt])(?:the two|both|bilateral)\\\\b'
    >>> rx.search("Both sides agreed.").span()
    (0, 4)
    """
    head = r"(?i)\b(?:"
    if not pattern.startswith(head):
        raise ValueError(f"not a word alternation: {pattern[:40]!r}")
    firsts: set[str] = set()
    depth, at_start = 0, True
    for ch in pattern[len(head):]:
        if at_start:
            if not (ch.isascii() and ch.isalnum()):
                raise ValueError(f"an alternative starts with {ch!r}: {pattern[:40]!r}")
            firsts.update((ch.lower(), ch.upper()))
            at_start = False
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch == "|" and depth == 0:
            at_start = True
    return re.compile(r"(?i)\b(?=[" + "".join(sorted(firsts)) + "])(?:" + pattern[len(head):])


#: References to the title's pair.
_PAIR_REF_RE = word_alternation(
    r"(?i)\b(?:the two|both|the sides?|each side|the parties|the participants|the interlocutors|interlocutors|"
    r"the delegations?|the guest|the host|bilateral|counterparts?|our (?:two )?"
    r"(?:countries|nations|states|peoples|governments|administrations|relations|partnership|alliance)|"
    r"the leaders|the presidents|the prime ministers|the ministers|the officials|they|their|them|he|she|his|her|"
    r"the president|the prime minister|the vice president|the minister|the ambassador|the king|the emir|"
    r"the chancellor|the governor|the head of state|the deputy|the adviser|the advisor|this partnership|"
    r"relations?|relationship|ties|cooperation|partnership|alliance|friendship|"
    r"the (?:[a-z]+ )?(?:meeting|call|talks|visit|conversation))\b"
)
_MULTI_RE = word_alternation(r"(?i)\b(?:trilateral|multilateral|three leaders|the leaders of|summit)\b")


@dataclass(frozen=True)
class _Context:
    speaker: str
    partners: tuple[str, ...]
    adversary: str = ""
    #: With a speaking side and no partner in the title: the one country (other than the
    #: speaking side and the United Nations) the previous sentence names, else "" (in a whole
    #: article, :func:`analysis.sentiment.sentence_tone` carries it from the last sentence that
    #: names such a country, so an answer's later sentences keep the question's partner).
    prev_country: str = ""
    #: With a speaking side and no partner in the title: the pair of two other countries the
    #: previous sentence was about (:data:`THIRD_PAIR_REASON`), carried by
    #: :func:`analysis.sentiment.sentence_tone` to the next sentences that name no country and
    #: refer to a pair or ask for comment ("Q: Armenia and Azerbaijan initialed a peace
    #: agreement. What's your comment?"); empty otherwise.
    prev_pair: tuple[str, ...] = ()
    #: Whether the sentence that named :attr:`prev_country` is a question (a journalist's, in a
    #: press conference): only then do warmth or conflict vocabulary alone make a following
    #: sentence that names no partner about the speaking side and that country ("We urge the
    #: relevant side to stop its provocations" after "Q: ... the Philippines ...?").  After a
    #: statement (a speech's "... in Syria." then "Attacks on civilians have been occurring")
    #: a reference to the pair is needed.
    prev_question: bool = False


#: References to an unnamed adversary ("the enemy", "the occupiers", "the aggressor"):
#: resolved to the outlet's adversary (:func:`analysis.outlet_context.infer_adversaries`) when the sentence names no
#: other country.
_ENEMY_RE = word_alternation(
    r"(?i)\b(?:enem(?:y|ies)|invaders?|occupiers?|aggressors?|aggressor state|terrorist state|"
    r"occupying (?:forces|power|army|troops)|occupation (?:forces|troops|army))\b"
)
#: War vocabulary that, in an item with no partner in its title and no other country named,
#: refers to the war with the outlet's adversary.
_WAR_RE = word_alternation(
    r"(?i)\b(?:war|invasion|shelling|shelled|missiles?|bombing|bombed|air strikes?|airstrikes?|occupation|occupied|"
    r"front ?line|hostilities|atrocit(?:y|ies)|war crimes?|deportation|genocide)\b"
)
#: Words before a war term that make it the scene of the sentence, not its subject ("during the
#: war", "because of the war", "affected by the war", "before the full-scale invasion").
_WAR_BACKDROP_RE = re.compile(
    r"(?i)\b(?:during|amid|amidst|because of|due to|after|before|until|throughout|in times? of|"
    r"in the (?:conditions|context|midst) of|affected by|caused by)\s+"
    r"(?:(?:the|this|a|full-scale|russian|ongoing|current|large-scale)\s+){0,3}$"
)
#: Named wars of history ("the Great Patriotic War", "the Cold War", "World War II", "the Civil
#: War"): their war word is not the war with the outlet's adversary ("the 77th anniversary of Victory
#: in the Great Patriotic War", "more complex than it was during the Cold War").
_HISTORICAL_WAR_RE = re.compile(
    r"(?i)\b(?:great patriotic war|patriotic war of 1812|cold war|(?:first|second) world war|"
    r"world wars?(?: (?:i{1,2}|one|two|[12]))?|civil war|napoleonic wars?|crimean war|korean war|vietnam war|"
    r"russo-(?:japanese|turkish) war|winter war)\b"
)
#: Place nouns after "occupied" that make it the occupation of a war ("the occupied territories").
_OCCUPIED_PLACE_RE = re.compile(
    r"(?i)\s+(?:territor|land|areas?\b|cit(?:y|ies)|towns?\b|villages?\b|regions?\b|parts?\b|crimea|donbas|"
    r"settlements?\b|districts?\b|communit)"
)


def _war_topic(sentence: str) -> bool:
    """Whether the sentence has war vocabulary (:data:`_WAR_RE`) that is its subject, not its scene:
    a war word after "during", "because of", "affected by" ... (:data:`_WAR_BACKDROP_RE`) sets the
    scene ("Because of the war, not everything is yet possible"); "Occupied" capitalised is part of
    a name ("Minister for Reintegration of the Temporarily Occupied Territories"); "occupied"
    without a place after it or "temporarily" before it is not an occupation ("50 thousand beds
    have been occupied"); a war word inside the name of a war of history (:data:`_HISTORICAL_WAR_RE`:
    "the Great Patriotic War", "the Cold War") is that war, not the present one."""
    history: list[tuple[int, int]] | None = None  # spans of named wars, found at the first war word
    for m in _WAR_RE.finditer(sentence):
        word = m.group()
        if _WAR_BACKDROP_RE.search(sentence[max(0, m.start() - 60):m.start()]):
            continue
        if history is None:
            history = [h.span() for h in _HISTORICAL_WAR_RE.finditer(sentence)]
        if any(lo <= m.start() and m.end() <= hi for lo, hi in history):
            continue
        if word.lower() == "occupied":
            if word[0] == "O":
                continue
            if not (_OCCUPIED_PLACE_RE.match(sentence, m.end())
                    or sentence[max(0, m.start() - 12):m.start()].lower().rstrip().endswith("temporarily")):
                continue
        return True
    return False


def _title_context(title: str, gazetteer: Any | None, source_country: str = "", prev: str = "",
                   adversary: str = "", home_is_party: bool = False, date: Any = None) -> _Context:
    speaker, partners = _title_base(title, gazetteer, source_country, home_is_party, date)
    return _with_prev(speaker, partners, prev, gazetteer, adversary=adversary, date=date)


def is_question(text: str) -> bool:
    """Whether a sentence asks (a question mark) or is a journalist's turn ("Q: ...", "What's
    your comment", :data:`analysis.press.PRESS_QUESTION_RE`).

    >>> is_question("Q: The coast guard said its boat was hit."), is_question("The facts are clear.")
    (True, False)
    """
    return "?" in text or PRESS_QUESTION_RE.search(text) is not None


def _with_prev(speaker: str, partners: list[str], prev: str, gazetteer: Any | None,
               find_prev: Any | None = None, adversary: str = "", date: Any = None) -> _Context:
    """The last step of :func:`_title_context`: with no speaker side yet, a country named in
    the previous sentence (and not a partner) speaks.  *find_prev* replaces ``_find(prev,
    gazetteer)`` (e.g. a memoised version)."""
    prev_country = ""
    if not speaker and prev and partners:
        found = find_prev(prev) if find_prev is not None else _find(prev, gazetteer, date)
        cand = [x.country for x in found if x.country not in partners]
        if cand:
            speaker = cand[0]
    elif speaker and prev and not partners:
        # a transcript or statement whose title names no partner ("Regular Press Conference on
        # May 14"): the country the previous sentence (a journalist's question, the answer's
        # first sentence) names is the one a following sentence that names none refers to
        found = find_prev(prev) if find_prev is not None else _find(prev, gazetteer, date)
        third = _coordinated_pair(prev, found, speaker)
        if third[0]:
            # the previous sentence joins two other countries as a pair ("Q: Armenia and
            # Azerbaijan initialed a peace agreement."): that pair is carried, as in a whole
            # article (:func:`analysis.sentiment.sentence_tone`)
            return _Context(speaker, tuple(_unique(partners)), adversary if adversary != speaker else "",
                            "", tuple(sorted(third)))
        prev_country = _context_country(found, speaker) or ""
    return _Context(speaker, tuple(_unique(partners)), adversary if adversary != speaker else "", prev_country,
                    prev_question=bool(prev_country) and is_question(prev))


def _title_base(title: str, gazetteer: Any | None, source_country: str = "",
                home_is_party: bool = False, date: Any = None, *, pair_fallback: bool = True) -> tuple[str, list[str]]:
    """Speaker side and partners of a title, before the previous-sentence step.  Without
    *pair_fallback*, a title that names no speaking side keeps none even when it names a pair
    (for :func:`analysis.outlet_context.infer_home_countries`: "Remarks on the US Arms Sales to
    Taiwan" is a topic, not a speaker).

    With *home_is_party* (the outlet is an official voice of *source_country*: a head of
    state's or government's site, a foreign ministry) the outlet's country is the speaking
    side whenever the title's subject is another country ("Poland's National Day" on the
    State Department's site: USA speaking about POL)."""
    ms = _find(title, gazetteer, date)
    skip = _SUBJECT_SKIP_RE.match(title)
    from_pos = skip.end() if skip else 0
    m = _TITLE_SPLIT_RE.search(title, from_pos)
    cut = m.start() if m else len(title)
    subj = _unique(x.country for x in ms if x.end <= cut)
    rest = _unique(x.country for x in ms if x.end > cut)
    speaker = subj[0] if subj else ""
    partners = [c for c in subj[1:] + rest if c != speaker]
    if not speaker and re.search(r"(?i)\b(?:ambassadors?|credentials|envoys?)\b", title):
        # "Ambassadors of X ... to Ukraine": the receiving country is the host.
        mt = re.search(r"(?i)\bto\s+(?:the\s+)?([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)\s*$|\bto\s+(?:the\s+)?([A-Z][\w’'-]+)", title)
        if mt:
            tail = _unique(x.country for x in ms if x.start >= mt.start())
            if tail:
                speaker = tail[0]
                partners = [c for c in partners if c != speaker]
    if not speaker and source_country:
        speaker = source_country
        partners = [c for c in partners if c != speaker]
    elif home_is_party and source_country and speaker and speaker != source_country \
            and not _compound_pair(title, ms):
        # the outlet's own country speaks even when the title names it after its subject
        # ("Every shot of Russia at Ukraine is a step towards its self-destruction - address by
        # the President" on the President of Ukraine's site: UKR speaking about RUS)
        partners = [speaker] + [c for c in partners if c not in (speaker, source_country)]
        speaker = source_country
    if pair_fallback and not speaker and len(partners) >= 2 and (re.search(r"(?i)\bbetween\b", title) or len(partners) == 2):
        # "Negotiations between the delegations of Ukraine and Russia", "Meeting with Tokayev and
        # Mirziyoyev" (no host named): the title's pair.
        speaker, partners = partners[0], partners[1:]
    return speaker, partners



def _compound_pair(title: str, ms: Sequence[_Mention]) -> bool:
    """Whether the title's first two country mentions form a compound pair of a contact or a
    relationship ("Kazakhstan–Uzbekistan relations", "Turkish-Azerbaijani talks", "U.S.-Japan Joint
    Leaders' Statement"): joined by a hyphen, dash or slash only, followed within three words by
    a word of :data:`_COMPOUND_NOUN_RE` ("the Russia-Ukraine war" is not one)."""
    for a, b in zip(ms, ms[1:]):
        if a.country != b.country:
            return bool(re.fullmatch(r"\s*[-\u2010-\u2015/]\s*", title[a.end:b.start])
                        and _COMPOUND_NOUN_RE.match(title[b.end:]))
    return False


_COMPOUND_NOUN_RE = re.compile(
    r"(?i)\s*(?:[\w’'.-]+\s+){0,3}?(?:talks|relations|relationship|ties|summit|dialogue|meeting|negotiations|"
    r"consultations|statement|declaration|communiqu[eé]|commission|council|forum|cooperation|partnership|"
    r"agreement|treaty|alliance|friendship|strategic|joint|intergovernmental|bilateral)\b")


_PROCEDURAL_VERB_RE = word_alternation(
    r"(?i)\b(?:discuss\w*|talked|spoke|exchanged|exchange of views|informed|briefed|reviewed|consulted|updated|"
    r"touched upon|noted|welcomed|commended|thanked|praised|appreciated|stressed|underscored|emphasi[sz]ed)\b"
)


#: Support for a third country named inside the title pair's own cooperation ("continuing their
#: governments' close coordination on global challenges, including support for Ukraine", "agreed to
#: work together on delivering assistance to civilians in Gaza", "joint efforts", "mutual support")
#: is about the title pair; "The two leaders reaffirmed their support for Ukraine" stays the
#: speaker and the supported country.
_JOINT_RE = re.compile(r"(?i)\b(?:coordinat\w*|together|joint(?:ly)?|mutual|bilateral)\b")
#: Verbs that list an agenda: a conflict named after them is a topic of the talks, not a stance.
_TOPIC_VERB_RE = re.compile(r"(?i)\b(?:discuss\w*|talked|exchanged|reviewed|consulted|shared (?:their )?(?:views|perspectives))\b")


#: Two countries joined as the parties of one relationship ("between Israel and Iran",
#: "Armenia and Azerbaijan initialed", "Kazakhstan-Uzbekistan border"): the text between the
#: two mentions, and relation nouns one of which the sentence must carry for the two to be
#: the pair it is about (a coordination such as "support for Ukraine and Moldova" lists two
#: objects, not a relationship).
_COORDINATION_RE = re.compile(r"(?i)\s*(?:,\s*)?(?:and|&)\s+(?:the\s+)?|\s*[-\u2010-\u2015/]\s*")
_THIRD_PAIR_NOUN_RE = word_alternation(
    r"(?i)\b(?:peace|conflict|conflicts|war|relations|relationship|ties|talks|negotiations?|disputes?|border|"
    r"normali[sz]ation|agreement|treaty|reconciliation|ceasefire|cease-fire|truce|hostilities|tensions?|"
    r"rapprochement|differences|confrontation|escalation|fighting|clashes)\b"
)
#: Phrases that make a conflict term named after them the cause or backdrop of what a sentence
#: reports, not its subject (:func:`_conflict_as_cause`).
_CAUSE_BEFORE_RE = re.compile(
    r"\b(?:exacerbated by|aggravated by|worsened by|caused by|driven by|stemming from|resulting from|"
    r"consequences of|impact of|effects of|due to|because of|amid)\b(?:\s+\S+){0,5}$"
)
_PLACE_BEFORE_RE = re.compile(r"(?i)\b(?:in|to|with|across|throughout|from)\s+(?:the\s+)?$")
#: Words before a country name that make the country the scene of what the sentence reports
#: ("the situation in Gaza", "the crisis in Burma", "escalation in Syria", "good to see you here
#: in Brussels"), not a party to the relationship (:func:`_scene_only`).
_SCENE_BEFORE_RE = re.compile(r"(?i)\b(?:in|into|inside|across|throughout|within)\s+(?:the\s+)?$")
#: The reason :func:`_choose_pair` gives for a pair of two countries other than the speaking
#: side; :func:`analysis.sentiment.sentence_tone` carries such a pair to the next sentences.
THIRD_PAIR_REASON: Final = "two countries joined as a pair in the sentence (not the speaking side)"
PREV_PAIR_REASON: Final = "the pair of two other countries the previous sentence was about"
OTHERS_PAIR_REASON: Final = "two other countries named, the speaking side neither named nor in the first person"


def _coordinated_pair(sentence: str, mentions: Sequence[Any], speaker: str) -> tuple[str, str]:
    """The first two adjacent country mentions of *sentence* joined as one relationship's
    parties ("A and B", "between A and B", "A-B"), neither of them *speaker* nor the United
    Nations, when the sentence carries a relation noun (:data:`_THIRD_PAIR_NOUN_RE`); else
    ``('', '')``.

    Examples
    --------
    >>> ms = find_mentions("China welcomes the progress made by Armenia and Azerbaijan in the peace process.", None)
    >>> _coordinated_pair("China welcomes the progress made by Armenia and Azerbaijan in the peace process.", ms, "CHN")
    ('ARM', 'AZE')
    >>> s = "China supports Ukraine and Moldova."
    >>> _coordinated_pair(s, find_mentions(s, None), "CHN")
    ('', '')
    """
    if len(mentions) < 2 or not _THIRD_PAIR_NOUN_RE.search(sentence):
        return "", ""
    for k, (a, b) in enumerate(zip(mentions, mentions[1:])):
        if a.country == b.country or speaker in (a.country, b.country) or _ORGANISATION in (a.country, b.country):
            continue
        gap = sentence[a.end:b.start]
        if not _COORDINATION_RE.fullmatch(gap):
            continue
        if k and re.fullmatch(r"\s*,\s*", sentence[mentions[k - 1].end:a.start]):
            continue  # the end of a list of three or more ("between Egypt, Iraq, and Jordan")
        if _PLACE_BEFORE_RE.search(sentence[:a.start]):
            continue  # places or partners, not a pair ("conflicts in Syria and Yemen", "travel to ...")
        if re.search(r"[-\u2010-\u2015/]", gap):
            # a compound ("the Armenia-Azerbaijan peace process") only before a relation noun
            rest = sentence[b.end:]
            if not (_COMPOUND_NOUN_RE.match(rest) or _THIRD_PAIR_NOUN_RE.match(rest.lstrip())):
                continue
        return a.country, b.country
    return "", ""


#: The international organisation that appears as a party code (codebook: "UN" when it is one side).
_ORGANISATION: Final = "UN"
#: The only words that make the United Nations a conflict's victim ("attacks on UN peacekeepers");
#: "in violation of UN Security Council resolutions" invokes it as a norm.
_ORGANISATION_LINKS: Final = ("against", "on")


def _victim_after(words: Sequence[str], tok_country: Mapping[int, str], lo: int, hi: int, target: str,
                  links: Sequence[str]) -> str:
    """The first country other than *target* named at a token in ``lo..hi`` with one of *links*
    ("against", "on", ...) between token *lo* and it: a conflict's victim ("Russia's attack on
    Ukraine").  The United Nations is a victim only behind :data:`_ORGANISATION_LINKS`; '' when none."""
    for ti, c in sorted(tok_country.items()):
        if lo <= ti <= hi and c != target and any(
                w in (_ORGANISATION_LINKS if c == _ORGANISATION else links) for w in words[lo:ti]):
            return c
    return ""


def _conflict_pair(
    words: Sequence[str],
    tok_country: dict[int, str],
    countries: list[str],
    conflict: list[tuple[int, int, str]],
) -> tuple[str, str]:
    """(target, victim-or-acting side) of the conflict vocabulary, '' when not found.

    A ``directed`` term ("condemned", "sanctions against", "pressure on") aims at the first
    country named after it; any other conflict term ("aggression", "invasion") names its
    aggressor within three tokens before it and its victim after "against/of/in/on".
    """
    target = victim = ""
    for i, j, role in conflict:
        if role == "directed":
            if j < len(words) and words[j] == "by":  # passive: "condemned by Poland" names the agent
                continue
            after = [(ti, c) for ti, c in sorted(tok_country.items()) if j <= ti <= j + 6]
            if after:
                target = after[0][1]
                # "condemned Russia's attack on Ukraine": the act's victim, named after the
                # target behind against/on/in/into, makes the pair (codebook: aggression of one
                # against the other is that pair's relationship).
                t_at = after[0][0]
                victim = _victim_after(words, tok_country, t_at + 1, t_at + 12, target, ("against", "on", "in", "into"))
                break
        else:
            before = [(ti, c) for ti, c in sorted(tok_country.items()) if i - 3 <= ti < i]
            if before:
                target = before[-1][1]
                victim = _victim_after(words, tok_country, j, j + 6, target, ("against", "of", "in", "on", "into"))
                break
    return target, victim


def _scene_only(sentence: str, mentions: Sequence[Any], countries: Sequence[str]) -> bool:
    """Whether every mention of every country in *countries* is the scene of the sentence: right
    after a locative word (:data:`_SCENE_BEFORE_RE`).  Organisations
    (:data:`analysis.entities.PARTY_CODES`) never are: "in the European Union" is membership.

    Examples
    --------
    >>> s = "The leaders discussed the humanitarian situation in Syria."
    >>> _scene_only(s, find_mentions(s, None), ["SYR"])
    True
    >>> s = "The leaders discussed Syria's future and the situation in Syria."
    >>> _scene_only(s, find_mentions(s, None), ["SYR"])
    False
    """
    if not countries or any(c in entities.PARTY_CODES for c in countries):
        return False
    ms = [m for m in mentions if m.country in countries]
    return bool(ms) and all(_SCENE_BEFORE_RE.search(sentence[max(0, m.start - 30):m.start]) for m in ms)


def _conflict_as_cause(words: Sequence[str], conflict: Sequence[tuple[int, int, str]]) -> bool:
    """Whether every conflict term of the sentence is named as the cause or backdrop of what it
    reports, within six words after a cause phrase (:data:`_CAUSE_BEFORE_RE`: "food insecurity,
    exacerbated by Russia's full-scale invasion", "the consequences of Russia's aggression")."""
    return bool(conflict) and all(_CAUSE_BEFORE_RE.search(" ".join(words[max(0, i - 7):i])) for i, _, _ in conflict)


def _choose_pair(
    sentence: str,
    words: Sequence[str],
    tok_country: dict[int, str],
    countries: list[str],
    ctx: _Context,
    conflict: list[tuple[int, int, str]],
    has_ref: bool,
    warm: bool = False,
    mentions: Sequence[Any] = (),
) -> tuple[str, str, str]:
    """The pair the sentence is mainly about: ``(a, b, reason)`` (b may be '').

    *warm*: the sentence carries warmth or support vocabulary (a positive lexicon entry of the
    categories ``warm`` or ``support``).  *mentions*: the sentence's country mentions sorted by
    position (offsets in *sentence*), for the pair of two other countries joined in it."""
    sp, partners = ctx.speaker, list(ctx.partners)
    title_pair = bool(sp and partners)
    in_sentence_title = [c for c in countries if c == sp or c in partners]

    # 1. Conflict: a condemnation/sanction act, or conflict reported without the title
    #    parties acting in the sentence -> the target and its victim (or the acting side).
    if conflict:
        target, victim = _conflict_pair(words, tok_country, countries, conflict)
        directed = any(r == "directed" for _, _, r in conflict)
        first_conf = min(i for i, _, _ in conflict)
        proc = _PROCEDURAL_VERB_RE.search(sentence)
        reported = proc is not None and len(tokenize(sentence[: proc.start()])) <= first_conf
        titled = title_pair and (has_ref or in_sentence_title)
        if target and (directed or not titled) and not (reported and not directed and titled):
            if warm and sp and sp not in (target, victim):
                # Cooperation against a third country: the speaking side thanks, commends or
                # supports a partner of the title named in the sentence ("thanked the Prime
                # Minister for Singapore's support for Ukraine, including sanctions on Russia",
                # "Ukraine is grateful to the United States for ... sanctions against Russia"):
                # the sentence is mainly about the cooperating pair, not about the target.
                # Not when the speaking side is the aggression's victim ("condemned Russia's
                # aggression against Ukraine and thanked Poland" from Ukraine's side is RUS-UKR:
                # aggression of one against the other is that pair's relationship even when the
                # sentence praises a third country).
                named = [c for c in countries if c not in (target, _ORGANISATION) and c != sp and c in partners]
                if named:
                    return sp, named[0], "cooperation against a third country: speaker side and title partner"
            if victim:
                return target, victim, "conflict: target and victim"
            # the United Nations named beside a conflict term is the norm invoked ("in violation
            # of UN Security Council resolutions"), not an acting side
            acting = [c for c in countries if c not in (target, _ORGANISATION)]
            if acting:
                return target, acting[0], "conflict: target and acting side"
            own = bool(ctx.adversary == target and _OWN_SIDE_WORDS.intersection(words))
            if (partners and partners[0] not in (target, sp) and len(partners) == 1 and not own
                    and any(r != "directed" for _, _, r in conflict)):
                # "condemned Russia's brutal attacks" in a meeting with Ukraine's side: the
                # aggression is against the title partner (codebook: the aggressor-victim pair)
                return target, partners[0], "conflict: target and title partner (victim)"
            if sp and sp != target:
                return target, sp, "conflict: target and speaker side"
            if partners and partners[0] != target:
                return target, partners[0], "conflict: target and title partner"

    # 2. Support given to a third country ("reaffirmed their support for Ukraine", "commitment
    #    to Ukraine's security", "helping the people of Ukraine"): the speaking side and that
    #    country (codebook: a sentence about the speaker's support for X is about that pair).
    if sp and not _SUPPORT_WORDS.isdisjoint(words) and not (partners and _JOINT_RE.search(sentence)):
        for k, w in enumerate(words):
            if w not in _SUPPORT_WORDS:
                continue
            if any(q.endswith(("'s", "’s")) or q in ("s", "'", "’") for q in words[max(0, k - 2):k]):
                continue  # "the Prime Minister's support to Ukraine": a partner's support, not the speaker's
            if partners and not _GRATITUDE_WORDS.isdisjoint(words[max(0, k - 10):k]):
                # "thanked Kuwait for its generous humanitarian aid to the Ukrainian people",
                # "welcomed the UAE's commitment to supporting ...": the support thanked for is
                # the partner's, and the sentence is about the speaker and that partner
                continue
            if (k and words[k - 1] == "international") or any(
                    c != sp for ti, c in tok_country.items() if k - 3 <= ti < k):
                continue  # "PRC support for Russia", "international support for Haiti": not the speaker's
            obj = [c for ti, c in sorted(tok_country.items()) if k < ti <= k + 5 and c != sp]
            if obj and obj[0] not in partners and not any(
                    words[q] in _PHRASE_BREAK - {"to", "for", "with", "in", "on"} for q in range(k + 1, min(len(words), k + 2))):
                return sp, obj[0], "support for a third country: speaker side and the supported country"

    # 2b. Two countries other than the speaking side joined as the parties of a relationship
    #     ("The Russian President stressed that the escalation of the conflict between Israel and
    #     Iran", "Q: Armenia and Azerbaijan initialed a peace agreement", "China welcomes the
    #     progress made by Armenia and Azerbaijan in the peace process"): the sentence is mainly
    #     about their relationship (codebook: the pair the sentence is mainly about).  Only in
    #     items whose title names no partner (press conferences, speeches, statements): in a
    #     readout of a bilateral contact two other countries are mostly a topic of the talks
    #     ("the sides exchanged views on the peace process between Azerbaijan and Armenia", "the
    #     Israeli-Palestinian conflict"), and on the coded readouts the rule lost more pairs than
    #     it found.
    if mentions and sp and not partners:
        a3, b3 = _coordinated_pair(sentence, mentions, sp)
        if a3:
            return a3, b3, THIRD_PAIR_REASON

    # 3. An unnamed adversary ("the enemy", "the occupiers") with no other country named:
    #    the speaking side and the outlet's adversary.
    if ctx.adversary and sp and not [c for c in countries if c not in (sp, ctx.adversary)]:
        if _ENEMY_RE.search(sentence):
            return sp, ctx.adversary, "enemy reference: speaker side and the outlet's adversary"
        if not partners and _war_topic(sentence):
            # "This war has been going on for 105 days" in an address with no partner in the title
            return sp, ctx.adversary, "war reference: speaker side and the outlet's adversary"
        if partners and not warm and _war_topic(sentence):
            # the war as the subject in an item with a partner in its title (a speech to a foreign
            # parliament: "Having unleashed a cruel, bloody, senseless war against us"), with no
            # warmth or support that would be the partner's
            return sp, ctx.adversary, "war reference: speaker side and the outlet's adversary (partner in title)"

    # 4. The title's pair when the sentence refers to it (pronouns, "the sides", ...).
    if len(partners) > 1:
        named = [c for c in partners if c in countries]
        if named:
            partners = named + [c for c in partners if c not in named]
    # A country named only as the scene of what is reported ("discussed the humanitarian
    # situation in Syria", "concern about escalation in the West Bank") in an item whose title
    # names a partner that the sentence does not name: the sentence is about the title's pair
    # talking about that place (codebook: the pair the sentence is mainly about).
    if title_pair and mentions and not any(c in partners for c in countries) \
            and _scene_only(sentence, mentions, [c for c in countries if c != sp]):
        return sp, partners[0], "title pair (the country named is the scene)"
    if sp and sp in countries:
        others = [c for c in countries if c != sp]
        pref = [c for c in others if c in partners] or others
        if pref:
            return sp, pref[0], "speaker side and sentence country"
        if partners:
            return sp, partners[0], "speaker in sentence, partner from title"
        if ctx.prev_country and (has_ref or ((warm or conflict) and ctx.prev_question)):
            # a spokesperson's answer that names only its own side ("The China Coast Guard took
            # necessary measures", "aggression against China") after a question about a partner
            return sp, ctx.prev_country, "speaker in sentence, partner from the previous sentences"
        return sp, "", "speaker only"
    tp = [c for c in countries if c in partners]
    if sp and tp:
        return sp, tp[0], "speaker side (title) and title partner in sentence"
    if title_pair and countries and conflict and not _TOPIC_VERB_RE.search(sentence) \
            and not _SUPPORT_WORDS.intersection(words) and not _conflict_as_cause(words, conflict):
        # "They expressed deep concern about Iran's provision of weapons": the sides of the
        # title speak together about a third country named with conflict vocabulary, and no
        # side of the title is named: the speaking side's stance toward that country (not when
        # the sentence is about support, e.g. the partner's "support to Ukraine against Russia's
        # aggression", which stays the title's pair).
        target, _victim = _conflict_pair(words, tok_country, countries, conflict)
        return sp, target if target and target != sp else countries[0], \
            "speaker side (title) and the third country of conflict vocabulary"
    if title_pair and (has_ref or not countries):
        return sp, partners[0], "title pair (reference in sentence)"
    if (sp and not partners and len(countries) >= 2 and _FIRST_PERSON_WORDS.isdisjoint(words)
            and _GRATITUDE_WORDS.isdisjoint(words)):
        # A speech or briefing (no partner in its title) whose sentence names two other
        # countries and neither the speaking side nor a first person ("Russia has abducted
        # thousands of Ukrainian children", "Brazil's President talked to Russia"): the sentence
        # reports on those two (codebook: the pair the sentence is mainly about), not on the
        # speaking side's ties with the first of them.  Not when the speaking side thanks or
        # welcomes ("The President thanked the Prime Ministers of Spain and Denmark").
        others = [c for c in countries if c not in entities.PARTY_CODES and not _scene_only(sentence, mentions, [c])]
        if len(others) >= 2:
            return others[0], others[1], OTHERS_PAIR_REASON
    if sp and countries:
        return sp, countries[0], "speaker side (title) and sentence country"
    if len(countries) >= 2:
        return countries[0], countries[1], "first two countries in sentence"
    if len(countries) == 1 and partners and partners[0] != countries[0]:
        return countries[0], partners[0], "sentence country and title partner"
    if sp and not countries and not partners and len(ctx.prev_pair) == 2 and (
            has_ref or PRESS_QUESTION_RE.search(sentence)):
        # "Q: Armenia and Azerbaijan initialed a peace agreement. What's your comment?", "We hope
        # the two sides will sign ...": the third pair of the previous sentence
        return ctx.prev_pair[0], ctx.prev_pair[1], PREV_PAIR_REASON
    if sp and not countries and not partners and ctx.prev_country and (
            has_ref or ((warm or conflict) and ctx.prev_question) or PRESS_QUESTION_RE.search(sentence)):
        # "Q: Kenyan President William Ruto arrived in Beijing yesterday. Could you share more
        # about the visit?" on a foreign ministry's site: the speaking side and the country of
        # the previous sentence, when this one refers to a relation ("the visit", "cooperation",
        # "the two sides", a pronoun) or carries warmth or conflict ("We appreciate ...", "We urge
        # the relevant side to stop its provocations") or asks for the speaker's comment ("What's
        # your comment?") and names no country
        return sp, ctx.prev_country, "speaker side (title) and the country of the previous sentence"
    return (countries[0] if countries else sp), "", "no pair"



# Public names of the rule layer (the underscore names are kept for the rules' own use).
Mention = _Mention
TitleContext = _Context
find_mentions = _find
title_context = _title_context
title_base = _title_base
with_prev = _with_prev
choose_pair = _choose_pair
unique = _unique
context_country = _context_country
with_officials = _with_officials
TITLE_SPLIT_RE = _TITLE_SPLIT_RE
SUBJECT_SKIP_RE = _SUBJECT_SKIP_RE
PAIR_REF_RE = _PAIR_REF_RE
MULTI_RE = _MULTI_RE
PHRASE_BREAK = _PHRASE_BREAK
ORGANISATION = _ORGANISATION
ENEMY_RE = _ENEMY_RE
war_topic = _war_topic
