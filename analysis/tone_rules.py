"""Tone toward bilateral ties, one sentence at a time: the rules, their features and the model's decision.

For every sentence the module decides

* ``about_ties``: whether the sentence is about the relationship between two specific
  countries (annotation guidelines of the gold set, section 1);
* ``dyad``: the pair, as two ISO 3166-1 alpha-3 codes (or ``EUU``/``NATO``/``UN``) in
  alphabetical order joined by ``"-"``;
* ``tone``: -1 / 0 / +1 toward that relationship, plus a continuous ``score``
  (P(+1) - P(-1) of the fitted tone model, range -1..1);
* ``protocol``: whether the sentence contains a protocol formula (fitted model over the
  sentence's own words and protocol-lexicon matches).

The decisions on tone and protocol are taken by the fitted model of
:mod:`analysis.tone_model` (bundled: ``analysis/data/sentence_model.json``) from features
that the rules below compute; ``model=False`` gives the rules' own decisions (what the
rule score and thresholds say), which is what the features describe.

Relation detection (rules; the functions live in :mod:`analysis.dyads`)
    Country mentions come from the gazetteer of :mod:`analysis.entities`.  The article
    title gives the *speaker side* (the country of the title's subject: "President Ilham
    Aliyev received ...", "Readout of President Biden's Call with ...") and the *partner
    side* (the countries after the subject).  Mentions in the sentence override and
    extend these; references such as "the two countries", "the sides", "his counterpart",
    "he" or "the President" resolve to the title's pair.  When several countries appear,
    the pair the sentence is mainly about is chosen by two rules: in a sentence with
    conflict vocabulary (condemnation, aggression, sanctions) the pair is the target of
    that vocabulary and its victim or the acting side; otherwise the pair involving the
    speaker side.

Tone rules (the features of the model; with ``model=False`` the decision itself)
    ``score = sum of lexicon contributions + w_vader * VADER compound`` where the lexicon
    is the diplomatic-register lexicon ``analysis/data/tone_lexicon.yml`` (warm formulas,
    procedural formulas, coded coolness, conflict vocabulary, support/aid).  Rules, each
    listed by :func:`analysis.sentiment.explain` with its factor:

    * negation (a negator up to ``negation_window`` tokens before a match reverses a
      positive match and neutralises a hostile one);
    * contrast (after "but"/"however" the later clause dominates) and concession
      ("although ...": down-weighted);
    * reported topics, clause by clause: inside the clause of a procedural topic verb
      ("discussed", "consulted on", "touched upon", "updated ... on", "attention was paid
      to"; for a passive verb the clause before it) evaluative and hostile words are
      multiplied by ``topic_factor``, and positive words after an agenda noun ("the issues
      of", "the prospects of", "efforts to") by 0: they name the agenda, not the state of
      the relationship.  The clause ends at ";", a contrast marker or a new main verb after
      "and"/"," ("discussed X, and stressed Y");
    * conflict target resolution: a hostile term is attributed to the country acting or
      targeted (possessive/adjective right before it, "from/by/of/against/on" after it, a
      directed act's object, or the actor of the preceding hostile term in the same
      phrase); terms aimed at a country outside the dyad, or framed as a threat the sides
      act against ("countering", "deterring", "in the face of", "in response to") with no
      party named, are multiplied by ``third_party`` and masked before VADER sees the
      sentence;
    * praise/support inside a hostile-pair sentence (the pair chosen from conflict
      vocabulary) counts 0 for that pair (guidelines: aggression against the partner is
      -1 for that pair even when a third country is praised);
    * support asked for rather than given ("we need your support", "assistance is
      required") counts 0, and plural partners that are not the pair ("with regional
      partners", "with our Allies and partners") count 0.

    With ``model=False``, ``tone`` is +1 when ``score > pos_threshold``, -1 when
    ``score < -neg_threshold``, else 0.  The rule numbers live in :class:`ToneParams`;
    :func:`analysis.sentiment.explain` lists every rule contribution and every model feature's
    contribution.

References
----------
Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model for
sentiment analysis of social media text. *Proceedings of ICWSM-14*.

Taboada, M., Brooke, J., Tofiloski, M., Voll, K., & Stede, M. (2011). Lexicon-based
methods for sentiment analysis. *Computational Linguistics*, 37(2), 267-307.
"""

import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pandas as pd

from analysis import protocol as _protocol
from analysis import tone_model
from analysis.dyads import ENEMY_RE as _ENEMY_RE
from analysis.dyads import MULTI_RE as _MULTI_RE
from analysis.dyads import ORGANISATION as _ORGANISATION
from analysis.dyads import PAIR_REF_RE as _PAIR_REF_RE
from analysis.dyads import PHRASE_BREAK as _PHRASE_BREAK
from analysis.dyads import (
    PREV_PAIR_REASON,
    choose_pair,
)
from analysis.dyads import Mention as _Mention
from analysis.dyads import TitleContext as _Context
from analysis.dyads import find_mentions as _find
from analysis.dyads import title_context as _title_context
from analysis.dyads import unique as _unique
from analysis.dyads import war_topic as _war_topic
from analysis.dyads import word_alternation as _word_alternation
from analysis.errors import InputError
from analysis.segment import is_word, norm_token, tokenize
from analysis.tone_lexicon import ToneLexicon, default_tone_lexicon
from analysis.tone_lexicon import _Pattern as LexiconPattern

_SUPRANATIONAL = frozenset({"EUU", "NATO", _ORGANISATION})

# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class ToneParams:
    """The tunable part of the tone model (kept small so that cross-validation is honest).

    Attributes
    ----------
    w_vader
        Weight of the VADER compound score (range -1..1) relative to one lexicon unit.
    pos_threshold, neg_threshold
        ``tone = 1`` when ``score > pos_threshold``; ``-1`` when ``score < -neg_threshold``.
    conflict_scale
        Multiplier of the conflict and coolness categories (hostile vocabulary is rarer and
        more decisive than warm formulas).
    third_party
        Factor applied to conflict/coolness matches aimed at a country outside the dyad
        (0 = ignored).
    topic_factor
        Factor applied to evaluative and hostile words (and positive VADER valence) inside
        the clause of a procedural topic verb ("discussed the prospects of cooperation",
        "discussion about threats"): they describe the agenda rather than evaluate the
        relationship.  Positive words after an agenda noun in that clause get 0.
    """

    w_vader: float = 0.5
    pos_threshold: float = 0.7
    neg_threshold: float = 0.8
    conflict_scale: float = 1.5
    third_party: float = 0.0
    topic_factor: float = 0.5


#: Defaults of the rule layer, kept from version 0.1.0, where ``w_vader`` and the thresholds were
#: chosen by a grid search on the first external gold file and the other three were set by
#: hand.  Since 0.2.0 they only shape the features of the fitted model (``rule:score``), whose
#: weights are learned on the project's own coded sentences.
DEFAULT_PARAMS = ToneParams()

_TOPIC_VERB_RE = re.compile(
    r"discuss\w*|talked|talks|consult\w*|exchange|exchanged|inform\w*|brief\w*|review\w*|touched|updat\w*|attention"
)
#: Verbs that open a new clause after "and"/"," and so end a reported topic ("discussed X,
#: and stressed Y"): the reporting/evaluative main verbs of readouts.
_CLAUSE_VERBS = frozenset(
    "stressed emphasized emphasised underscored underlined reaffirmed reiterated expressed welcomed thanked "
    "praised commended noted highlighted condemned agreed committed pledged confirmed congratulated invited "
    "urged said added assured affirmed announced decided called reached achieved".split()
)
_PASSIVE_AUX = frozenset("was were been be is are being".split())
#: Nouns that name a topic area ("the issues of cooperation", "the prospects of ...", "efforts
#: to deepen ..."): evaluative words after them, inside a reported topic, name the agenda item.
_AGENDA_NOUNS = frozenset(
    "issue issues question questions matter matters prospect prospects possibilities topic topics agenda "
    "area areas field fields sphere spheres way ways step steps effort efforts measure measures plan plans "
    "project projects initiative initiatives preparation preparations implementation development".split()
)
#: Words that frame conflict vocabulary as a threat the sides act against ("countering",
#: "deterring aggression", "in the face of threats", "in response to", "defend ... against").
_COUNTER_WORDS = frozenset(
    "counter countering counteract counteracting deter deterring deterrence deterrent prevent preventing "
    "prevention combat combating combatting fight fighting resist resisting repel repelling respond responding "
    "response face facing against de-escalate de-escalating deescalate deescalating defend defending defense "
    "defence protect protecting".split()
)
#: Words marking support as asked for rather than given ("we need your support").
_REQUEST_BEFORE = frozenset("need needs needed ask asks asked asking request requests requested seek seeks "
                            "sought appeal appealed appeals".split())
_REQUEST_AFTER = frozenset("required needed requested".split())
#: Modifiers of plural partner nouns that name partners other than the pair
#: ("consult with regional partners", "with our Allies and partners").
_OTHER_PARTNER_MARKERS = frozenset("with regional international other like-minded global western european "
                                   "transatlantic".split())
_PARTNER_PLURALS = frozenset("partners allies".split())
#: Prepositions linking a conflict noun to its actor or victim ("threats from Iran",
#: "escalation by Russia", "aggression of the Russian Federation", "war against Ukraine").
_PARTY_AFTER = frozenset("from by of against on".split())
_CONTRAST_CLAUSE = (0.5, 1.5)  # (before marker, after marker) -- VADER's "but" rule
_CONCESSIVE_FACTOR = 0.5
#: An explicit bilateral relationship: kept as about ties even when the pair is unresolved.
_BILATERAL_RE = _word_alternation(
    r"(?i)\b(?:bilateral (?:relations?|relationship|ties|cooperation|partnership|agenda|dialogue|trade)|"
    r"relations? between|relationship between|ties between|cooperation between|partnership between|"
    r"our (?:two )?(?:countries|nations|peoples|states)|the two (?:countries|nations|peoples|states)|"
    r"both (?:countries|nations|peoples|states))\b")

#: The pair's own relationship named by a possessive ("our relations are developing", "your
#: cooperation", "their partnership"): in an article with a resolved pair, a sentence that names
#: no country is about that pair when it carries this reference (0.x: it needed lexicon words).
#: Not used for unresolved pairs: "our cooperation" in a General Debate speech has no partner.
_OWN_RELATION_RE = _word_alternation(
    r"(?i)\b(?:our|your|their) (?:bilateral |mutual |economic |trade |interstate |good )?"
    r"(?:relations?|relationship|ties|cooperation|partnership|friendship|contacts|interaction|dialogue)\b")

# --------------------------------------------------------------------------- VADER
def _vader() -> Any:
    """The one VADER analyser of the package (:func:`analysis.tone_model.vader_scores` holds it)."""
    return tone_model.vader_analyser()


def vader_compound(text: str) -> float:
    """VADER compound valence of *text* (range -1..1; Hutto & Gilbert 2014).

    Memoised per distinct string, together with the positive and negative shares the tone
    model reads (:func:`analysis.tone_model.vader_scores`), so each sentence is scored once.
    """
    if not text or not text.strip():
        return 0.0
    return tone_model.vader_scores(text)[0]


def vader_tone(compound: float, *, band: float = 0.05) -> int:
    """The conventional 3-way VADER reading: +1 above ``band``, -1 below ``-band``, else 0."""
    return 1 if compound >= band else (-1 if compound <= -band else 0)


# --------------------------------------------------------------------------- analysis
@dataclass
class _Hit:
    i: int
    j: int
    text: str
    category: str
    weight: float
    factor: float
    note: str

    @property
    def contribution(self) -> float:
        return self.weight * self.factor


@dataclass
class Explanation:
    """Everything :func:`analyse_sentence` decided, with every contribution to the score.

    ``str(explanation)`` is a readable table; :meth:`to_frame` gives it as a DataFrame with
    columns ``source, matched, category, weight, factor, contribution, note``; the
    contributions sum to ``score``.
    """

    sentence: str
    about_ties: bool
    dyad: str
    directed: str
    tone: int | None
    score: float | None
    raw_score: float
    protocol: bool
    countries: tuple[str, ...]
    speaker: str
    partners: tuple[str, ...]
    reason: str
    vader: float
    hits: list[_Hit]
    params: ToneParams
    topic: bool = False
    masked: str = ""
    pair: str = ""
    has_ref: bool = False
    rule_about: bool = False
    rule_tone: int | None = None
    adversary: str = ""
    features: dict[str, float] = field(default_factory=dict)
    model: Any = None
    p_protocol: float | None = None

    def model_frame(self, task: str = "tone") -> pd.DataFrame:
        """Each feature's contribution to the model's decision for *task* (``tone``:
        log-odds of the predicted class against the opposite pole, or of +1 against -1
        for a neutral prediction; ``protocol``: log-odds of the decision taken); columns
        ``feature, value, weight, contribution``, largest first."""
        if self.model is None:
            raise InputError("this explanation was made without a fitted model (rules only)")
        t = self.model.tasks[task]
        if task == "tone":
            toward = self.tone if self.tone in (-1, 1) else 1
            return t.contributions(self.features, toward=toward, against=-toward)
        return t.contributions(self.features, toward=bool(self.protocol))

    def to_frame(self) -> pd.DataFrame:
        rows = [
            ("lexicon", h.text, h.category, h.weight, h.factor, h.contribution, h.note) for h in self.hits
        ]
        rows.append(("vader", "compound", "vader", self.vader, self.params.w_vader,
                     self.vader * self.params.w_vader, "VADER compound of the (masked) sentence"))
        return pd.DataFrame(rows, columns=["source", "matched", "category", "weight", "factor", "contribution", "note"])

    def __str__(self) -> str:
        head = (
            f"sentence: {self.sentence}\n"
            f"speaker={self.speaker or '?'} partners={','.join(self.partners) or '-'} "
            f"countries={','.join(self.countries) or '-'}\n"
            f"about_ties={self.about_ties} dyad={self.dyad or '-'} directed={self.directed or '-'} "
            f"({self.reason})\n"
            f"score={self.raw_score:+.3f} tone={self.tone} protocol={self.protocol}\n"
        )
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            text = head + "rule contributions (inputs of the model's lexicon features):\n" + self.to_frame().to_string(
                index=False, float_format=lambda v: f"{v:+.3f}")
            if self.model is not None:
                text += (f"\nmodel: P(protocol)={self.p_protocol:.3f}; "
                         f"tone {self.tone} (score = P(+1) - P(-1) = {self.raw_score:+.3f})")
                if self.tone is not None:
                    mf = self.model_frame("tone").head(12)
                    text += "\nlargest contributions to the tone decision (log-odds):\n" + mf.to_string(
                        index=False, float_format=lambda v: f"{v:+.3f}")
            return text


def _clause_end(words: Sequence[str], start: int, contrast: frozenset[str]) -> int:
    """Index where the clause running from *start* ends: a contrast marker, ";", or a new
    main verb (:data:`_CLAUSE_VERBS`) after "and" or ","."""
    for k in range(start + 1, len(words)):
        w = words[k]
        if w in contrast or w == ";":
            return k
        if w in _CLAUSE_VERBS and any(words[q] in ("and", ",") for q in range(max(start + 1, k - 2), k)):
            return k
    return len(words)


def _topic_scopes(words: Sequence[str], matches: Sequence[tuple[int, int, LexiconPattern]],
                  contrast: frozenset[str]) -> list[tuple[int, int, int]]:
    """Reported-topic scopes ``(verb, start, end)``: from a procedural topic verb
    ("discussed", "consulted on", "touched upon", "attention was paid to") to the end of its
    clause; for a passive verb ("issues of cooperation were discussed") the scope is the
    clause before the verb, from the sentence start (or the last ";"/contrast marker)."""
    out: list[tuple[int, int, int]] = []
    for i, _j, p in matches:
        if p.category != "procedural" or not _TOPIC_VERB_RE.fullmatch(words[i]):
            continue
        if i > 0 and words[i - 1] in _PASSIVE_AUX and words[i] != "attention":
            start = max((k for k in range(i) if words[k] == ";" or words[k] in contrast), default=-1)
            out.append((i, start, i))
        else:
            out.append((i, i, _clause_end(words, i, contrast)))
    return out


def _conflict_actor(words: Sequence[str], tok_country: Mapping[int, str], i: int, j: int, role: str,
                    ) -> tuple[str, str]:
    """Who a conflict/coolness match at ``words[i:j]`` is aimed at or comes from.

    Returns ``(country, how)``: a ``directed`` act ("condemned", "sanctions against") aims
    at the first country within six tokens after it; another term names its actor within
    three tokens before it with no phrase break between ("Russia's aggression", but not
    "against Ukraine and military build-up") or after "from/by/of/against/on" ("threats
    from Iran", "escalation by Russia", "aggression of the Russian Federation"); a
    passive directed act ("condemned by Poland") names its agent, not its target.
    ``("?", ...)`` when "from"/"by" follows but names no country ("attacks from
    Iranian-aligned groups" when the gazetteer misses the group); ``("", "")`` when
    nothing is found.
    """
    after = [(ti, c) for ti, c in sorted(tok_country.items()) if j <= ti <= j + 6]
    if role == "directed":
        if j < len(words) and words[j] == "by":  # passive: "were condemned by Poland" names the agent
            return "", ""
        return (after[0][1], "target after") if after else ("", "")
    before = [(ti, c) for ti, c in sorted(tok_country.items()) if i - 3 <= ti < i]
    if before and not any(words[k] in _PHRASE_BREAK for k in range(before[-1][0] + 1, i)):
        return before[-1][1], "actor before"
    if j < len(words) and words[j] in _PARTY_AFTER:
        for ti, c in after:
            if not any(words[k] in _PHRASE_BREAK for k in range(j + 1, ti)):
                return c, f"party after '{words[j]}'"
            break
        if words[j] in ("from", "by"):
            return "?", f"'{words[j]}' a party not named"
    return "", ""


def analyse_sentence(
    sentence: str,
    *,
    title: str = "",
    prev: str = "",
    source: str | None = None,
    params: ToneParams = DEFAULT_PARAMS,
    lexicon: ToneLexicon | None = None,
    gazetteer: Any | None = None,
    source_countries: Mapping[str, str] | None = None,
    sentence_mentions: Sequence[Any] | None = None,
    model: Any = None,
    adversaries: Mapping[str, str] | None = None,
    party_outlets: Collection[str] = (),
    date: Any = None,
    context_country: str | None = None,
    context_question: bool = True,
) -> Explanation:
    """Full analysis of one sentence (the engine behind :func:`analysis.sentiment.score_sentence` and
    :func:`analysis.sentiment.explain`).

    Parameters
    ----------
    sentence
        The sentence to score.
    title, prev
        Article title and previous sentence, used only to resolve who the sides are.
    source
        Optional outlet name; with *source_countries* gives the speaking side when the
        title names none.
    params
        Tunable weights and thresholds.
    lexicon
        A :class:`ToneLexicon`; default: the bundled one.
    gazetteer
        Any object with ``find(text) -> list of mentions`` (attributes ``start, end,
        surface, country, kind``); default: :func:`analysis.entities.default_gazetteer`.
    source_countries
        Outlet -> home country (ISO alpha-3), e.g. from :func:`infer_home_countries`.
    sentence_mentions
        Precomputed mentions of *sentence* (offsets relative to the sentence); default:
        found with *gazetteer*.
    model
        A :class:`analysis.tone_model.SentenceModel` that takes the about-ties, tone and
        protocol decisions (default: the bundled model); ``False``: the rules alone.
    adversaries
        Outlet -> adversary country (:func:`infer_adversaries`): "the enemy", "the
        occupiers" in a sentence naming no other country resolve to it.
    party_outlets
        Outlets that are an official voice of their home country (see
        :meth:`analysis.outlets.Outlets.is_party`): their country speaks even when the title's
        subject is another country.
    date
        The article's date: names of office-holders at that date (heads of state and
        government, foreign ministers; :mod:`analysis.officials`) count as mentions of their
        country ("Meeting with Tokayev and Mirziyoyev").  Without a date only the gazetteer's
        names count.
    context_country
        With a speaking side and no partner in the title: the one country (other than the
        speaking side and the United Nations) that the article's sentences before this one
        last named, as :func:`analysis.sentiment.sentence_tone` carries it through an article
        (a spokesperson's answer keeps its question's partner); "" for none.  Default (None):
        the one such country *prev* names.
    context_question
        With *context_country*: whether the sentence that named it is a question (a
        journalist's); only then do warmth or conflict vocabulary alone, without a reference to
        the pair, make a sentence that names no partner about the speaking side and that
        country.  Without *context_country*, whether *prev* asks decides
        (:func:`analysis.dyads.is_question`).

    Returns
    -------
    Explanation
    """
    lex = lexicon if lexicon is not None else default_tone_lexicon()
    sentence = "" if sentence is None else str(sentence)
    title = "" if title is None else str(title)
    prev = "" if prev is None else str(prev)
    src_c = (source_countries or {}).get(source or "", "") if source else ""
    adv = (adversaries or {}).get(source or "", "") if source else ""
    ctx = _title_context(title, gazetteer, src_c, prev, adv, bool(source) and source in party_outlets, date)
    if context_country is not None and ctx.speaker and not ctx.partners:
        ctx = replace(ctx, prev_country=context_country, prev_question=context_question)

    toks = _kept_tokens(tokenize(sentence))
    if sentence_mentions is None:
        mentions = _find(sentence, gazetteer, date)
    else:
        mentions = _as_mentions(sentence_mentions)
    return _analyse(sentence, title, ctx, toks, mentions, params, lex, None, model=model)


def _kept_tokens(tt: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The tokens the tone rules see: words and the clause punctuation ``, ; :``."""
    return [(s, e, t) for s, e, t in tt if is_word(t) or t in (",", ";", ":")]


def _as_mentions(sentence_mentions: Iterable[Any]) -> list[_Mention]:
    return sorted((_Mention(int(m.start), int(m.end), str(m.country), str(getattr(m, "kind", "")),
                            str(getattr(m, "surface", ""))) for m in sentence_mentions if m.country),
                  key=lambda m: (m.start, m.end))


#: Title words of a contact between the sides (a meeting, talks, a call, a visit, a message):
#: a title naming the outlet's adversary with one of them reports a contact with it.  Not
#: :func:`analysis.events.event_type`: its types also count acts that are no contact with the
#: adversary named ("signed a decree on sanctions against Russia", "travel ban", "bilateral
#: aid"), and it lacks "discussed", "greets" and "summit".
_CONTACT_TITLE_RE = _word_alternation(
    r"(?i)\b(?:met|meets|meeting|talks|negotiations?|calls?|conversation|spoke|speaks|received|receives|"
    r"reception|visits?|visited|discuss(?:ed|es)?|message|letter|congratulat\w*|condolences?|greet\w*|summit)\b"
)

#: Tone-lexicon categories that make the United Nations, named beside the speaking side, a party.
_ORGANISATION_RELATION = frozenset({"conflict", "coolness", "procedural"})


def _analyse(
    sentence: str,
    title: str,
    ctx: _Context,
    toks: list[tuple[int, int, str]],
    mentions: list[_Mention],
    params: ToneParams,
    lex: ToneLexicon,
    protocol: bool | None,
    words: list[str] | None = None,
    model: Any = None,
    proto_cats: list[str] | None = None,
    tone_unless_about: bool = True,
) -> Explanation:
    """The rules of :func:`analyse_sentence` on prepared inputs: the title context, the kept
    tokens (offsets relative to *sentence*), the sentence's mentions sorted by ``(start,
    end)``, the protocol flag when already known (``None``: computed here) and the
    normalised kept tokens when already known.  ``tone_unless_about=False`` skips the tone
    model for sentences not about ties (their ``tone`` and ``score`` are None either way; only
    the explanation's ``raw_score`` is then the rules' score) and scores them with VADER only
    when it can change the protocol decision (else ``vader`` and ``raw_score`` are NaN; see
    :func:`_apply_model`)."""
    if words is None:
        words = [norm_token(t) for _, _, t in toks]
    tok_country: dict[int, str] = {}
    if mentions:
        # the first token inside each mention not yet assigned (tokens are sorted and do not
        # overlap, so the candidates start at the first token at or after the mention's start)
        tok_starts = [t[0] for t in toks]
        for m in mentions:
            k = bisect_left(tok_starts, m.start)
            while k < len(toks) and toks[k][1] <= m.end:
                if k not in tok_country:
                    tok_country[k] = m.country
                    break
                k += 1
    countries = _unique(m.country for m in mentions)

    matches = lex.match(words)
    if matches and mentions:
        # mentioned-country tokens never count as lexicon words ("United" in "United States")
        matches = [(i, j, p) for i, j, p in matches if not any(
            any(m.start <= toks[k][0] < m.end for m in mentions) for k in range(i, j))]

    conflict = [(i, j, p.role) for i, j, p in matches if p.category == "conflict" and p.weight < 0]
    conflict_idx = [i for i, _, _ in conflict]
    has_ref = bool(_PAIR_REF_RE.search(sentence))
    warm = any(p.category in ("warm", "support") and p.weight > 0 for _, _, p in matches)
    a, b, reason = choose_pair(sentence, words, tok_country, countries, ctx, conflict, has_ref, warm,
                                 mentions=mentions)
    adversary_ref = reason.startswith(("enemy reference", "war reference"))
    if adversary_ref:
        has_ref = True  # the adversary is referred to, though not by name

    # --- about_ties
    about = bool(a and b and a != b)
    if about:
        n_distinct = len(countries)
        # A sentence inside a bilateral item that names no country is about the pair when it
        # carries relation vocabulary: the earlier extra demand of a pair reference ("the two",
        # "bilateral", a pronoun) missed transcript sentences such as "So thank you for hosting
        # us" (0.1.x rule, removed in 0.3.0: about-ties F1 rose on every outlet but the UN
        # General Debate, where it fell by 0.005; VALIDITY.md).
        if (n_distinct == 0 and not matches and not _BILATERAL_RE.search(sentence)
                and not _OWN_RELATION_RE.search(sentence)
                and not (reason.startswith(("speaker side (title) and the country of the previous",
                                            PREV_PAIR_REASON))
                         and tone_model.PRESS_QUESTION_RE.search(sentence))):
            about, reason = False, reason + "; no relation vocabulary"
        elif (reason == "speaker in sentence, partner from title" and not matches and not has_ref
              and not _BILATERAL_RE.search(sentence)):
            # only the speaking side's own country is named ("165 servicemen of the Armed Forces of
            # Ukraine were awarded", "Ukraine is ready to share its experience"), with no relation
            # vocabulary and no reference to the other side: the sentence is domestic even in an
            # article with a partner in its title (on the coded set, 5 of the 25 such sentences
            # were about ties)
            about, reason = False, reason + "; no relation vocabulary"
        elif (reason == "title pair (reference in sentence)" and n_distinct == 0 and not has_ref
              and ctx.adversary and tuple(ctx.partners) == (ctx.adversary,) and not conflict_idx
              and not any(p.category == "coolness" and p.weight < 0 for _, _, p in matches)
              and not _CONTACT_TITLE_RE.search(title) and not _war_topic(sentence)
              and not _ENEMY_RE.search(sentence)):
            # the title names only the outlet's adversary and no contact with it ("Pressure on
            # Russia is a matter of saving lives" over a nightly address): a sentence that names
            # no country, refers to no pair and carries no conflict vocabulary ("I am grateful to
            # our team", "Thank you for saving us!") is not about that relationship (on the coded
            # set 11 of 14 such sentences were not about ties, and the other 3 about another pair)
            about, reason = False, reason + "; title names only the adversary, no conflict in the sentence"
        elif (n_distinct >= 3 and not conflict_idx and _MULTI_RE.search(title + " " + sentence)) or (
            n_distinct == 0 and len(ctx.partners) >= 2 and not conflict_idx
        ):
            about, reason = False, reason + "; multilateral"
        elif (_ORGANISATION in (a, b) and reason.endswith("and sentence country")
              and not any(p.category in _ORGANISATION_RELATION for _, _, p in matches)
              and not _BILATERAL_RE.search(sentence)):
            # an international organisation merely named beside the speaking side ("the role of
            # the United Nations", "this forum, the United Nations", "our commitment to the
            # principles of the UN Charter", "trust in the United Nations") is not a relationship
            # unless the sentence carries a contact, conflict or criticism ("urge the United
            # Nations to", "met with the UN Secretary-General", "the Security Council lifted the
            # sanctions"): warmth or support toward the organisation alone is a general statement
            about, reason = False, reason + "; organisation named, no relation vocabulary"
        elif (n_distinct == 1 and countries[0] in (ctx.speaker,) and not ctx.partners and not adversary_ref
              and not reason.startswith("speaker in sentence, partner from the previous")):
            # the speaker's own country alone is domestic, unless the sentence refers to the
            # outlet's adversary without naming it ("the occupiers took them", "this war")
            about = False
    if not about and not (a and b and a != b) and _BILATERAL_RE.search(sentence):
        # 13(d): a sentence that speaks of a bilateral relationship whose pair cannot be
        # resolved is kept as about ties with an empty dyad and the reason, and counted.
        about, reason = True, f"unresolved pair ({reason or 'no country'}); bilateral reference kept"
    dyad = "-".join(sorted((a, b))) if about and a and b and a != b else ""
    directed = ""
    if dyad and ctx.speaker in (a, b):
        directed = f"{ctx.speaker}>{b if a == ctx.speaker else a}"

    # --- tone
    hits: list[_Hit] = []
    contrast_at = -1 if lex.contrast.isdisjoint(words) else \
        max(k for k, w in enumerate(words) if w in lex.contrast)
    concessive: list[tuple[int, int]] = []
    for k, w in enumerate(words) if not lex.concessive.isdisjoint(words) else ():
        if w in lex.concessive:
            end = next((q for q in range(k + 1, len(words)) if words[q] in (",", ";")), len(words))
            concessive.append((k, end))
    masked_spans: list[tuple[int, int]] = []
    pair = {a, b}
    # Aggressor/victim pair chosen from conflict vocabulary: warmth in the sentence is for
    # third parties ("condemned X's aggression against Y and thanked Z"), not for this pair.
    hostile_pair = about and reason.startswith("conflict")
    # Reported topics: inside the clause of a procedural verb ("discussed the prospects of
    # mutually beneficial cooperation") evaluative words describe the agenda, not the
    # relationship; after an agenda noun ("the issues of", "efforts to") they only name it.
    scopes = _topic_scopes(words, matches, lex.contrast)
    prev_actor: tuple[int, str] | None = None
    # Condolences or sympathy offered (a non-negated "occasion" formula) outside an
    # aggressor-victim pair: the losses the sentence names are the formula's occasion, so their
    # negative words are not aimed at the pair ("expressed condolences for the victims of the
    # terrorist attack": 1 in the guidelines).  Conflict terms whose actor is a named side of the
    # pair still count.
    occasion = not hostile_pair and any(
        p.role == "occasion" and not any(words[k] in lex.negators for k in range(max(0, i - lex.negation_window), i))
        for i, _j, p in matches)
    for i, j, p in matches:
        factor, notes = 1.0, []
        if p.weight == 0:
            notes.append("procedural formula")
        scope = next(((v, st, en) for v, st, en in scopes if st < i < en), None) if scopes else None
        if scope is not None and p.weight != 0:
            v, st, _en = scope
            agenda = [k for k in range(max(st, 0), i) if words[k] in _AGENDA_NOUNS]
            if p.weight > 0 and agenda:
                factor *= 0.0
                notes.append(f"topic of '{words[v]}', agenda item after '{words[agenda[-1]]}'")
            else:
                factor *= params.topic_factor
                notes.append(f"topic of '{words[v]}'")
        if p.category in ("conflict", "coolness"):
            factor *= params.conflict_scale
            actor, how = _conflict_actor(words, tok_country, i, j, p.role)
            if not actor and prev_actor is not None and i - prev_actor[0] <= 8 and not any(
                    words[k] in (";",) or words[k] in lex.contrast for k in range(prev_actor[0], i)):
                actor, how = prev_actor[1], "actor of the preceding conflict term"
            if actor:
                prev_actor = (j, actor)
            countered = [k for k in range(max(0, i - 5), i) if words[k] in _COUNTER_WORDS]
            if actor and actor != "?":
                near = {actor}
            elif actor == "?":
                near = {"?"}
            elif countered:
                near = {"?"}
                how = f"countered ('{words[countered[-1]]}')"
            else:
                near = {c for ti, c in tok_country.items() if abs(ti - i) <= 6}
                how = "country within 6 tokens"
            if about and near and not (near & pair):
                factor *= params.third_party
                shown = ",".join(sorted(near)) if near != {"?"} else "outside the pair"
                notes.append(f"aimed at third party {shown} ({how})")
                masked_spans.append((toks[i][0], toks[j - 1][1]))
            elif occasion and not (actor and actor in pair):
                factor *= 0.0
                notes.append("the occasion of condolences")
                masked_spans.append((toks[i][0], toks[j - 1][1]))
        if hostile_pair and p.category in ("warm", "support") and p.weight > 0:
            factor *= 0.0
            notes.append("praise/support inside a hostile-pair sentence (aimed at a third party)")
        if p.category == "support" and p.weight > 0 and (
                any(words[k] in _REQUEST_BEFORE for k in range(max(0, i - 3), i))
                or any(words[k] in _REQUEST_AFTER for k in range(j, min(len(words), j + 4)))):
            factor *= 0.0
            notes.append("support asked for, not given")
        if p.category == "warm" and p.weight > 0 and words[j - 1] in _PARTNER_PLURALS and any(
                words[k] in _OTHER_PARTNER_MARKERS for k in range(max(0, i - 3), i)):
            factor *= 0.0
            notes.append("partners other than the pair")
        neg = [k for k in range(max(0, i - lex.negation_window), i) if words[k] in lex.negators]
        if neg and p.weight > 0:
            factor *= -1.0
            notes.append(f"negated by '{words[neg[-1]]}'")
        elif neg and p.weight < 0:
            factor *= 0.0  # "sanctions are not imposed" is not praise: negated hostility is neutralised
            notes.append(f"negated by '{words[neg[-1]]}' (neutralised)")
        if contrast_at >= 0 and p.weight != 0:
            if i < contrast_at:
                factor *= _CONTRAST_CLAUSE[0]
                notes.append(f"before '{words[contrast_at]}'")
            else:
                factor *= _CONTRAST_CLAUSE[1]
                notes.append(f"after '{words[contrast_at]}'")
        if any(s <= i < e for s, e in concessive) and p.weight != 0:
            factor *= _CONCESSIVE_FACTOR
            notes.append("concessive clause")
        surface = sentence[toks[i][0] : toks[j - 1][1]]
        hits.append(_Hit(i, j, surface, p.category, p.weight, factor, "; ".join(notes) or p.text))
    if occasion:
        # the loss mourned: words of negative VADER valence are its description
        neg_words = tone_model.vader_negative_words()
        masked_spans.extend((a, b) for a, b, t in toks if t.lower() in neg_words)
    masked = sentence
    for s, e in sorted(masked_spans, reverse=True):
        masked = masked[:s] + " " * (e - s) + masked[e:]
    # Country names never carry valence ("United" in "United States", "Republic of Korea").
    for m in sorted(mentions, key=lambda m: -m.start):
        masked = masked[: m.start] + "X" * 0 + " " * (m.end - m.start) + masked[m.end :]
    # In a batch (tone_unless_about=False) a sentence not about ties needs only the protocol
    # decision: VADER is left to _apply_model, which skips it when it cannot change that decision.
    lazy_vader = not about and not tone_unless_about and model is not False
    if lazy_vader:
        vc = raw = float("nan")
    else:
        vc, raw = _rule_vader(masked, hits, params, hostile=hostile_pair, topic=bool(scopes))
    rule_tone: int | None = None
    if about:
        rule_tone = 1 if raw > params.pos_threshold else (-1 if raw < -params.neg_threshold else 0)
    if protocol is None:
        if proto_cats is None:
            proto_cats = _protocol.categories_of(sentence)
        protocol = any(c in _protocol.PROTOCOL_CATEGORIES for c in proto_cats)
    ex = Explanation(
        sentence=sentence,
        about_ties=about,
        dyad=dyad,
        directed=directed,
        tone=rule_tone,
        score=round(raw, 6) if about else None,
        raw_score=round(raw, 6),
        protocol=bool(protocol),
        countries=tuple(countries),
        speaker=ctx.speaker,
        partners=ctx.partners,
        reason=reason,
        vader=vc,
        hits=hits,
        params=params,
        topic=bool(scopes),
        masked=masked,
        pair="-".join(sorted((a, b))) if a and b and a != b else "",
        has_ref=has_ref,
        rule_about=about,
        rule_tone=rule_tone,
        adversary=ctx.adversary,
    )
    if model is not False:
        _apply_model(ex, _default_model() if model is None else model,
                     proto_cats if proto_cats is not None else _protocol.categories_of(sentence),
                     tone=tone_unless_about or about, lazy_vader=lazy_vader)
    return ex


def _rule_vader(masked: str, hits: Sequence[_Hit], params: ToneParams, *, hostile: bool,
                topic: bool) -> tuple[float, float]:
    """``(VADER compound as the rules weigh it, the rules' raw score)`` of a masked sentence: the
    compound is at most 0 for an aggressor-victim pair (warmth there is for third parties) and
    scaled by ``topic_factor`` inside a reported topic (it describes the agenda, like the lexicon
    words); the raw score adds ``w_vader`` times it to the lexicon contributions."""
    vc = vader_compound(masked)
    if hostile:
        vc = min(vc, 0.0)
    if topic:
        vc *= params.topic_factor
    return vc, sum(h.contribution for h in hits) + params.w_vader * vc


@lru_cache(maxsize=1)
def _default_model() -> Any:
    return tone_model.default_model()


def _apply_model(ex: Explanation, model: Any, proto_cats: Sequence[str], *, tone: bool = True,
                 lazy_vader: bool = False) -> None:
    """Replace the rule decisions of tone and protocol of *ex* by the fitted model's (in place);
    ``about_ties`` and the pair stay with the rules.  ``tone=False`` (a sentence not about
    ties, in a batch) leaves the tone model out: such a sentence has no tone.

    ``lazy_vader`` (*ex* made without VADER: ``vader`` and ``raw_score`` NaN; a sentence not
    about ties, in a batch): when the VADER features cannot change the protocol decision
    (:meth:`analysis.tone_model.SentenceModel.protocol_without_vader`) it is taken without them
    and ``vader``, ``raw_score`` and ``p_protocol`` stay unset (NaN, NaN, None); otherwise VADER
    is computed and everything is as without ``lazy_vader``."""
    if lazy_vader:
        if isinstance(model, tone_model.SentenceModel):
            f = tone_model.features(ex, proto_cats, vader=(0.0, 0.0, 0.0))
            decided = model.protocol_without_vader(f)
            if decided is not None:
                ex.features, ex.model = f, model
                ex.p_protocol, ex.protocol = None, decided
                ex.tone, ex.score = None, None
                return
        # as _analyse does for a sentence not about ties (so no aggressor-victim pair)
        ex.vader, raw = _rule_vader(ex.masked, ex.hits, ex.params, hostile=False, topic=ex.topic)
        ex.raw_score = round(raw, 6)
    f = tone_model.features(ex, proto_cats)
    ex.features, ex.model = f, model
    if isinstance(model, tone_model.SentenceModel):
        p_protocol, decided_tone, score = model.decide_one(f, tone=tone)
    else:
        p_protocol = model.protocol_one(f)
        decided_tone, score = model.tone_one(f) if tone else (None, None)
    ex.p_protocol = float(p_protocol)
    ex.protocol = ex.p_protocol >= 0.5
    if not tone:
        ex.tone, ex.score = None, None
        return
    ex.raw_score = round(float(score), 6)
    if ex.about_ties:
        ex.tone, ex.score = int(decided_tone), ex.raw_score
    else:
        ex.tone, ex.score = None, None
