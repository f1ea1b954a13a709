"""Tone toward bilateral ties, sentence by sentence, and its aggregation by dyad and period.

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
    listed by :func:`explain` with its factor:

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
    :func:`explain` lists every rule contribution and every model feature's contribution.

References
----------
Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model for
sentiment analysis of social media text. *Proceedings of ICWSM-14*.

Taboada, M., Brooke, J., Tofiloski, M., Voll, K., & Stede, M. (2011). Lexicon-based
methods for sentiment analysis. *Computational Linguistics*, 37(2), 267-307.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config, tone_model
from analysis import protocol as _protocol
from analysis.dyads import MULTI_RE as _MULTI_RE
from analysis.dyads import PAIR_REF_RE as _PAIR_REF_RE
from analysis.dyads import PHRASE_BREAK as _PHRASE_BREAK
from analysis.dyads import Mention as _Mention
from analysis.dyads import TitleContext as _Context
from analysis.dyads import (
    choose_pair,
    infer_adversaries,
    infer_home_countries,
    item_contexts,
    outlet_home_countries,
    outlet_parties,
)
from analysis.dyads import find_mentions as _find
from analysis.dyads import title_base as _title_base
from analysis.dyads import title_context as _title_context
from analysis.dyads import unique as _unique
from analysis.dyads import with_officials as _with_officials
from analysis.dyads import with_prev as _with_prev
from analysis.errors import DataFileError, InputError
from analysis import schema as _schema
from analysis.segment import is_word, norm_token, tokenize

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
    "sentence_tone",
    "dyad_tone",
    "article_tone",
]

#: Lexicon categories, in the order they are reported.
CATEGORIES: tuple[str, ...] = ("warm", "procedural", "coolness", "conflict", "support")
#: Columns of the sentence_tone table (CONTRIBUTING.md) plus ``directed``.
SENTENCE_TONE_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "dyad", "about_ties", "tone", "score", "protocol", "directed",
)
#: Columns of the dyad_tone table.
DYAD_TONE_COLUMNS: tuple[str, ...] = (
    "dyad", "period", "n_sentences", "n_articles", "tone_mean", "ci_low", "ci_high", "baseline_delta",
)

_REQUIRED_META = ("version", "source", "licence", "citation")
_SUPRANATIONAL = frozenset({"EUU", "NATO", "UN"})


# --------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[str, ...]
    category: str
    weight: float
    text: str
    role: str = ""


@dataclass(frozen=True)
class ToneLexicon:
    """A validated diplomatic tone lexicon (see ``analysis/data/tone_lexicon.yml``).

    Attributes
    ----------
    patterns
        Token-sequence patterns, longest first (ties: category order, then pattern text).
    negators, contrast, concessive
        Lower-cased marker tokens.
    negation_window
        Tokens before a match searched for a negator (VADER uses 3).
    version, source, licence, citation
        Provenance fields of the file.
    """

    patterns: tuple[_Pattern, ...]
    negators: frozenset[str]
    contrast: frozenset[str]
    concessive: frozenset[str]
    negation_window: int = 3
    version: str = ""
    source: str = ""
    licence: str = ""
    citation: str = ""
    path: str = ""
    _by_first: dict[str, tuple[_Pattern, ...]] = field(default_factory=dict, repr=False, compare=False)
    _wild_first: tuple[_Pattern, ...] = field(default=(), repr=False, compare=False)

    _cands: dict[str, tuple[_Pattern, ...]] = field(default_factory=dict, repr=False, compare=False)

    def _candidates(self, word: str) -> tuple[_Pattern, ...]:
        """Patterns that can start at *word*, best first: longest, then category order and
        text (:func:`_pkey`); memoised per distinct word (the wildcard scan runs once per word
        type, not once per token)."""
        got = self._cands.get(word)
        if got is None:
            cands = list(self._by_first.get(word, ())) + [
                p for p in self._wild_first if word.startswith(p.tokens[0][:-1])
            ]
            # stable: among equal keys the earlier candidate wins, as in _match_reference
            cands.sort(key=lambda p: (-len(p.tokens), _pkey(p)))
            got = self._cands[word] = tuple(cands)
        return got

    def match(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        """Non-overlapping matches ``(i, j, pattern)`` over normalised *words*, longest first
        at each position, scanning left to right.

        Candidates are indexed by first word (literal first tokens in a dict, wildcard first
        tokens resolved once per distinct word) and tried best first, so the first full match
        at a position is the one :meth:`_match_reference` (the plain scan) would choose.
        """
        out: list[tuple[int, int, _Pattern]] = []
        i = 0
        n = len(words)
        cands_of = self._candidates
        memo = self._cands
        while i < n:
            best: _Pattern | None = None
            cands = memo.get(words[i])
            if cands is None:
                cands = cands_of(words[i])
            elif not cands:  # most words start no pattern
                i += 1
                continue
            for p in cands:
                k = len(p.tokens)
                if i + k > n:
                    continue
                if k == 1 or all(_tok_match(pt, w) for pt, w in zip(p.tokens[1:], words[i + 1 : i + k])):
                    best = p
                    break
            if best is None:
                i += 1
            else:
                out.append((i, i + len(best.tokens), best))
                i += len(best.tokens)
        return out

    def _match_reference(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        """The straightforward matcher (every pattern tried at every position); kept as the
        reference :meth:`match` is tested against."""
        out: list[tuple[int, int, _Pattern]] = []
        i = 0
        n = len(words)
        while i < n:
            best: _Pattern | None = None
            for p in self.patterns:
                k = len(p.tokens)
                if i + k > n:
                    continue
                if all(_tok_match(pt, w) for pt, w in zip(p.tokens, words[i : i + k])):
                    if best is None or k > len(best.tokens) or (
                        k == len(best.tokens) and _pkey(p) < _pkey(best)
                    ):
                        best = p
            if best is None:
                i += 1
            else:
                out.append((i, i + len(best.tokens), best))
                i += len(best.tokens)
        return out


def _pkey(p: _Pattern) -> tuple[int, str]:
    return (CATEGORIES.index(p.category) if p.category in CATEGORIES else 99, p.text)


def _tok_match(pattern_token: str, word: str) -> bool:
    if pattern_token.endswith("*") and len(pattern_token) > 1:
        return word.startswith(pattern_token[:-1])
    return word == pattern_token


def load_tone_lexicon(path: str | Path | None = None) -> ToneLexicon:
    """Load and validate a tone lexicon file.

    Parameters
    ----------
    path
        A YAML file in the format of ``analysis/data/tone_lexicon.yml``; default: that file.

    Returns
    -------
    ToneLexicon

    Raises
    ------
    analysis.errors.DataFileError
        Naming the file, the entry and the problem (missing provenance field, unknown
        category, empty pattern, non-numeric weight, ...).
    """
    import yaml

    p = Path(path) if path is not None else config.package_data("tone_lexicon.yml")
    shown = config.relpath(p)
    if not p.is_file():
        raise DataFileError(f"{shown}: tone lexicon file not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # pragma: no cover - message depends on yaml
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" line {line + 1}" if line is not None else ""
        raise DataFileError(f"{shown}{where}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{shown}: expected a mapping at the top level")
    for key in _REQUIRED_META:
        if not str(data.get(key) or "").strip():
            raise DataFileError(f"{shown}: missing required field '{key}'")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise DataFileError(f"{shown}: missing 'categories' mapping")
    pats: list[_Pattern] = []
    for cat, body in cats.items():
        if cat not in CATEGORIES:
            raise DataFileError(f"{shown}: categories.{cat}: unknown category (expected one of {', '.join(CATEGORIES)})")
        entries = (body or {}).get("entries") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not entries:
            raise DataFileError(f"{shown}: categories.{cat}: missing 'entries' list")
        for k, ent in enumerate(entries):
            where = f"{shown}: categories.{cat}.entries[{k}]"
            if not isinstance(ent, dict):
                raise DataFileError(f"{where}: expected a mapping with 'patterns' and 'weight'")
            w = ent.get("weight")
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(float(w)):
                raise DataFileError(f"{where}: 'weight' must be a finite number, got {w!r}")
            plist = ent.get("patterns")
            if not isinstance(plist, list) or not plist:
                raise DataFileError(f"{where}: 'patterns' must be a non-empty list")
            role = ent.get("role", "")
            if role not in ("", "directed"):
                raise DataFileError(f"{where}: unknown role {role!r} (expected 'directed' or none)")
            for text in plist:
                toks = tuple(norm_token(t) for t in str(text).split()) if isinstance(text, str) else ()
                if not toks or any(t == "*" for t in toks):
                    raise DataFileError(f"{where}: invalid pattern {text!r}")
                pats.append(_Pattern(toks, cat, float(w), " ".join(toks), role))
    seen: dict[str, str] = {}
    for pt in pats:
        if pt.text in seen:
            raise DataFileError(f"{shown}: pattern {pt.text!r} listed twice ({seen[pt.text]} and {pt.category})")
        seen[pt.text] = pt.category

    def _markers(key: str, default: Sequence[str]) -> frozenset[str]:
        v = data.get(key, list(default))
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise DataFileError(f"{shown}: '{key}' must be a list of words")
        return frozenset(norm_token(x.strip()) for x in v)

    window = data.get("negation_window", 3)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise DataFileError(f"{shown}: 'negation_window' must be a non-negative integer, got {window!r}")
    pats.sort(key=lambda q: (-len(q.tokens), _pkey(q)))
    by_first: dict[str, list[_Pattern]] = {}
    wild: list[_Pattern] = []
    for pt in pats:
        if pt.tokens[0].endswith("*"):
            wild.append(pt)
        else:
            by_first.setdefault(pt.tokens[0], []).append(pt)
    return ToneLexicon(
        patterns=tuple(pats),
        negators=_markers("negators", ()),
        contrast=_markers("contrast", ()),
        concessive=_markers("concessive", ()),
        negation_window=window,
        version=str(data["version"]),
        source=str(data["source"]).strip(),
        licence=str(data["licence"]),
        citation=str(data["citation"]).strip(),
        path=shown,
        _by_first={k: tuple(v) for k, v in by_first.items()},
        _wild_first=tuple(wild),
    )


@lru_cache(maxsize=1)
def default_tone_lexicon() -> ToneLexicon:
    """The bundled lexicon (cached)."""
    return load_tone_lexicon()


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
    "urged said added assured affirmed announced decided called".split()
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


def _topic_scopes(words: Sequence[str], matches: Sequence[tuple[int, int, _Pattern]],
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
) -> Explanation:
    """Full analysis of one sentence (the engine behind :func:`score_sentence` and :func:`explain`).

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
) -> Explanation:
    """The rules of :func:`analyse_sentence` on prepared inputs: the title context, the kept
    tokens (offsets relative to *sentence*), the sentence's mentions sorted by ``(start,
    end)``, the protocol flag when already known (``None``: computed here) and the
    normalised kept tokens when already known."""
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
    # mentioned-country tokens never count as lexicon words ("United" in "United States")
    matches = [(i, j, p) for i, j, p in matches if not any(
        any(m.start <= toks[k][0] < m.end for m in mentions) for k in range(i, j))]

    conflict = [(i, j, p.role) for i, j, p in matches if p.category == "conflict" and p.weight < 0]
    conflict_idx = [i for i, _, _ in conflict]
    has_ref = bool(_PAIR_REF_RE.search(sentence))
    a, b, reason = choose_pair(sentence, words, tok_country, countries, ctx, conflict, has_ref)
    if reason.startswith(("enemy reference", "war reference")):
        has_ref = True  # the adversary is referred to, though not by name

    # --- about_ties
    about = bool(a and b and a != b)
    if about:
        n_distinct = len(countries)
        if n_distinct == 0 and not has_ref:
            about, reason = False, reason + "; no reference to the pair"
        elif n_distinct == 0 and not matches:
            about, reason = False, reason + "; no relation vocabulary"
        elif (n_distinct >= 3 and not conflict_idx and _MULTI_RE.search(title + " " + sentence)) or (
            n_distinct == 0 and len(ctx.partners) >= 2 and not conflict_idx
        ):
            about, reason = False, reason + "; multilateral"
        elif n_distinct == 1 and countries[0] in (ctx.speaker,) and not ctx.partners:
            about = False
    dyad = "-".join(sorted((a, b))) if about else ""
    directed = ""
    if about and ctx.speaker in (a, b):
        directed = f"{ctx.speaker}>{b if a == ctx.speaker else a}"

    # --- tone
    hits: list[_Hit] = []
    contrast_at = max((k for k, w in enumerate(words) if w in lex.contrast), default=-1)
    concessive: list[tuple[int, int]] = []
    for k, w in enumerate(words):
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
    for i, j, p in matches:
        factor, notes = 1.0, []
        if p.weight == 0:
            notes.append("procedural formula")
        scope = next(((v, st, en) for v, st, en in scopes if st < i < en), None)
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
    masked = sentence
    for s, e in sorted(masked_spans, reverse=True):
        masked = masked[:s] + " " * (e - s) + masked[e:]
    # Country names never carry valence ("United" in "United States", "Republic of Korea").
    for m in sorted(mentions, key=lambda m: -m.start):
        masked = masked[: m.start] + "X" * 0 + " " * (m.end - m.start) + masked[m.end :]
    vc = vader_compound(masked)
    if hostile_pair:
        vc = min(vc, 0.0)
    if scopes:  # a reported topic: VADER valence, like the lexicon words, describes the agenda
        vc *= params.topic_factor
    raw = sum(h.contribution for h in hits) + params.w_vader * vc
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
    )
    if model is not False:
        _apply_model(ex, _default_model() if model is None else model,
                     proto_cats if proto_cats is not None else _protocol.categories_of(sentence))
    return ex


@lru_cache(maxsize=1)
def _default_model() -> Any:
    return tone_model.default_model()


def _apply_model(ex: Explanation, model: Any, proto_cats: Sequence[str]) -> None:
    """Replace the rule decisions of tone and protocol of *ex* by the fitted model's (in place);
    ``about_ties`` and the pair stay with the rules."""
    f = tone_model.features(ex, proto_cats)
    ex.features, ex.model = f, model
    ex.p_protocol = float(model.protocol([f])[0])
    ex.protocol = ex.p_protocol >= 0.5
    tone, score = model.tone([f])
    ex.raw_score = round(float(score[0]), 6)
    if ex.about_ties:
        ex.tone, ex.score = int(tone[0]), ex.raw_score
    else:
        ex.tone, ex.score = None, None


def explain(sentence: str, *, title: str = "", prev: str = "", source: str | None = None,
            params: ToneParams = DEFAULT_PARAMS, gazetteer: Any | None = None, model: Any = None,
            source_countries: Mapping[str, str] | None = None) -> Explanation:
    """Why a sentence got its dyad and tone: every word/rule and its contribution.

    Returns an :class:`Explanation`; ``print(explain(...))`` shows a table, and
    ``explain(...).to_frame()`` returns it as a DataFrame (``source, matched, category,
    weight, factor, contribution, note``) whose ``contribution`` column sums to the score.
    """
    return analyse_sentence(sentence, title=title, prev=prev, source=source, params=params, gazetteer=gazetteer,
                            model=model, source_countries=source_countries)


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
) -> dict[str, Any]:
    """Relation, dyad, tone and protocol flag of one sentence.

    Parameters
    ----------
    home_country
        ISO alpha-3 code of the outlet's country (the implied speaking side when the title
        names none, e.g. "Telephone conversation with the President of France" on a head of
        state's own site); see :func:`analysis.outlets.home_country`.

    Returns
    -------
    dict
        ``{"about_ties": bool, "dyad": str ("" when not about ties or the pair is not
        resolved), "tone": -1|0|1|None, "protocol": bool, "score": float|None}``; ``score``
        is P(+1) - P(-1) of the tone model (range -1..1) and is None when not about ties.
    """
    key = source or "item"
    ex = analyse_sentence(sentence, title=title, prev=prev, source=key, params=params, gazetteer=gazetteer,
                          source_countries={key: home_country} if home_country else None,
                          party_outlets={key} if home_country else (), model=model)
    return {"about_ties": ex.about_ties, "dyad": ex.dyad, "tone": ex.tone, "protocol": ex.protocol,
            "score": ex.score}


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


# --------------------------------------------------------------------------- tables
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
        ``doc_id, sentence_id, dyad, about_ties, tone, score, protocol, directed``; one row
        per sentence, sorted by ``doc_id, sentence_id``.  ``tone`` is a nullable Int64
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
    if source_countries is not None:
        homes = dict(source_countries)
    else:
        homes = outlet_home_countries(sources, urls, gazetteer=gazetteer, titles=titles)
    if party_outlets is None:
        party_outlets = outlet_parties(sources, urls)
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
    flags: dict[tuple[Any, int], bool] | None = None
    cats: dict[tuple[Any, int], list[str]] = {}
    if protocol_matches is not None:
        from analysis import protocol as _protocol

        fl = _protocol.sentence_flags(sentences[["doc_id", "sentence_id"]], protocol_matches)
        flags = dict(zip(zip(fl["doc_id"].tolist(), fl["sentence_id"].tolist()), fl["protocol"].tolist()))
        kept = protocol_matches[~protocol_matches["negated"].astype(bool)]
        for d_, sid_, cat_ in zip(kept["doc_id"].tolist(), kept["sentence_id"].tolist(), kept["category"].tolist()):
            cats.setdefault((d_, int(sid_)), []).append(str(cat_))
    s = sentences.sort_values(["doc_id", "sentence_id"], kind="mergesort")
    n = len(s)
    use_tokens = {"tokens", "spans", "start"} <= set(s.columns)
    tok_col = s["tokens"].tolist() if use_tokens else [None] * n
    span_col = s["spans"].tolist() if use_tokens else [None] * n
    start_col = s["start"].tolist() if use_tokens else [0] * n
    lex = default_tone_lexicon()
    base_cache: dict[tuple[str, str, bool, str], tuple[str, list[str]]] = {}
    find_cache: dict[str, list[_Mention]] = {}
    tok_cache: dict[str, tuple[bool, str]] = {}

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
    for d, sid, text, tokens, spans, start in zip(s["doc_id"].tolist(), s["sentence_id"].tolist(),
                                                   s["text"].astype(str).tolist(), tok_col, span_col, start_col):
        if d != prev_doc:
            prev_text = ""
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
        ctx = _with_prev(base[0], base[1], prev_text, gazetteer, find_prev,
                         adversary=adversaries.get(src or "", "") if src else "")
        toks: list[tuple[int, int, str]] = []
        words: list[str] = []
        off = int(start)
        for (a, b), t in zip(spans, tokens) if use_tokens else (((a, b), t) for a, b, t in tokenize(text, offset=off)):
            info = tok_cache.get(t)
            if info is None:  # (kept by _kept_tokens, norm_token)
                info = tok_cache[t] = (is_word(t) or t in (",", ";", ":"), norm_token(t))
            if info[0]:
                toks.append((a - off, b - off, t))
                words.append(info[1])
        sm = _find(text, gazetteer, date) if ment is None else _as_mentions(ment.get((d, int(sid)), []))
        if ment is not None and date is not None:
            sm = _with_officials(sm, text, date)
        prot: bool | None = None
        pcats: list[str] | None = None
        if flags is not None and _single_plain_sentence(text):
            prot = bool(flags.get((d, int(sid)), False))
            pcats = cats.get((d, int(sid)), [])
        ex = _analyse(text, title, ctx, toks, sm, params, lex, prot, words, model=model, proto_cats=pcats)
        rows.append((d, int(sid), ex.dyad, ex.about_ties, ex.tone, ex.score, ex.protocol, ex.directed))
        prev_doc, prev_text = d, text
    out = pd.DataFrame(rows, columns=list(SENTENCE_TONE_COLUMNS))
    out["tone"] = pd.array(out["tone"].tolist(), dtype="Int64")
    out["score"] = pd.to_numeric(out["score"], errors="coerce").astype("float64")
    return out.astype({"sentence_id": "int64", "about_ties": "bool", "protocol": "bool"})


@lru_cache(maxsize=1)
def _plain_splitter() -> Any:
    from analysis.segment import SentenceSplitter

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
        instead of the unordered dyad; rows without a known direction are dropped.

    Returns
    -------
    pandas.DataFrame
        ``dyad, period, n_sentences, n_articles, tone_mean, ci_low, ci_high,
        baseline_delta``, sorted by ``dyad, period``.  ``tone_mean`` is the mean sentence
        tone (-1..1); the interval is the percentile bootstrap over ARTICLES (cluster
        bootstrap: articles are resampled with replacement and all their sentences kept,
        Field & Welsh 2007); ``baseline_delta`` is ``tone_mean`` minus the pair's own
        mean over all its sentences in all periods.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B*, 69(3), 369-390.
    """
    import zlib

    if not 0 < ci < 1:
        raise InputError(f"ci must be between 0 and 1, got {ci}")
    key = "directed" if directed else "dyad"
    st = sentence_tone.loc[sentence_tone["about_ties"].astype(bool) & sentence_tone["tone"].notna()].copy()
    st = st.loc[st[key].astype(str) != ""]
    dates = articles[["doc_id", "date"]].drop_duplicates("doc_id")
    st = st.merge(dates, on="doc_id", how="left")
    st["period"] = _period_labels(st["date"], period) if len(st) else pd.Series(dtype=str)
    st["tone"] = st["tone"].astype("float64")
    baseline = st.groupby(key)["tone"].mean().to_dict() if len(st) else {}
    rows = []
    alpha = (1 - ci) / 2
    for (dy, per), g in sorted(st.groupby([key, "period"]), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        per_doc = g.groupby("doc_id")["tone"].agg(["sum", "count"]).sort_index()
        sums, counts = per_doc["sum"].to_numpy(), per_doc["count"].to_numpy()
        mean = float(sums.sum() / counts.sum())
        if n_boot > 0:
            rng = np.random.default_rng([seed, zlib.crc32(f"{dy}|{per}".encode())])
            idx = rng.integers(0, len(sums), size=(n_boot, len(sums)))
            boots = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
            lo, hi = (float(v) for v in np.quantile(boots, [alpha, 1 - alpha]))
        else:
            lo = hi = float("nan")
        rows.append((dy, per, int(counts.sum()), int(len(sums)), mean, lo, hi, mean - float(baseline[dy])))
    return pd.DataFrame(rows, columns=list(DYAD_TONE_COLUMNS)).astype(
        {"n_sentences": "int64", "n_articles": "int64", "tone_mean": "float64", "ci_low": "float64",
         "ci_high": "float64", "baseline_delta": "float64"})


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
