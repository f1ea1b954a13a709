"""Learned sentence decisions: tone toward the relationship and the protocol flag.

The rules of :mod:`analysis.sentiment` find the country pair of a sentence, decide whether
it is about ties, and describe it (lexicon matches with their rule factors, VADER valence of
the masked sentence, reported topics, conflict targets).  This module turns that
description into two decisions with **linear models fitted on hand-coded sentences**
instead of thresholds set by hand:

* ``tone``: multinomial logistic regression over -1 / 0 / +1 (fitted on about-ties
  sentences only); ``score`` is P(+1) - P(-1), in [-1, 1];
* ``protocol``: binary logistic regression on the sentence's own words.

``about_ties`` stays with the rules (a pair found and referred to): a logistic regression
over the same features was fitted and compared leave-one-outlet-out on the project's coded
sentences and transferred worse to an outlet it had not seen (F1 0.62 against the rules'
0.73 on the President of Ukraine's site, equal elsewhere), so the rule decides.

Features (:func:`features`) are interpretable and named: lexicon category sums after the
rule factors (``lex:warm`` ...), VADER components of the masked sentence (``vader:pos``
...), relation cues (``rel:pair``, ``rel:n_countries`` ...), discourse cues (negation,
contrast, exhortation "urge/call on/must", first person, a question that is not a journalist's
question), protocol-lexicon category counts
(``proto:gratitude`` ...) and the number of those matches that span two or more words
(``proto:multiword``: a formula rather than a single word such as "friendly"), and word
unigrams and bigrams of the masked, lower-cased sentence (``w:agreed``, ``w:do_not``;
country names are masked, so no word feature names a country). Every coefficient is in the model file, and :meth:`SentenceModel.explain` lists each
feature's contribution to a decision.

The model file is JSON (never pickle), validated on load
(:func:`load_model`): ``version, source, licence, citation``, what it was trained on, and
per task the feature names, standardisation, coefficients and intercepts.
``python -m analysis train-tone`` fits it (:func:`analysis.tone_fit.fit`) on a researcher's own
hand-coded sentences; the regularisation strength is chosen by leave-one-outlet-out cross-validation
on the training outlets (grouped by ``source``), from a grid per task (:func:`c_grid`), so it
is chosen for transfer to an outlet the model has not seen.

References
----------
Hutto, C. J., & Gilbert, E. (2014). VADER. *Proceedings of ICWSM-14*.
Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic Regression*
(3rd ed.). Wiley.
Pedregosa, F. et al. (2011). Scikit-learn: Machine learning in Python. *JMLR* 12, 2825-2830.
"""

from __future__ import annotations

import json
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    allcap_differential,
)

from analysis import config
from analysis.errors import DataFileError
from analysis.press import PRESS_QUESTION_RE

__all__ = [
    "TASKS",
    "C_GRID",
    "TASK_C_GRID",
    "c_grid",
    "TASK_FEATURES",
    "LinearTask",
    "SentenceModel",
    "features",
    "load_model",
    "default_model",
    "cached_model",
    "vader_scores",
    "vader_analyser",
    "PRESS_QUESTION_RE",
]

#: The decisions, in the order they are stored.
TASKS: tuple[str, ...] = ("tone", "protocol")
#: Inverse regularisation strengths tried (L2); chosen by leave-one-outlet-out CV.
C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
#: Per-task grids replacing :data:`C_GRID` for that task (:func:`c_grid`).  Tone gets a wider
#: grid reaching stronger regularisation: its best value in the shared grid was the grid's edge
#: (0.03), and among the variants compared by leave-one-outlet-out macro-F1 on the project's
#: coded sentences (never on the external gold files; VALIDITY.md) the wider grid gave the
#: largest minimum per-outlet gain over plain VADER.
TASK_C_GRID: dict[str, tuple[float, ...]] = {"tone": (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)}
#: Feature families each decision may use.  The protocol flag is decided from the sentence's
#: own words only (no title or pair context: a plain sentence in an article about a meeting is
#: not protocol).  Tone leaves out the relation and protocol-lexicon families: among five
#: variants compared by leave-one-outlet-out macro-F1 on the project's coded sentences (never on
#: the external gold files) this one transferred best.
TASK_FEATURES: dict[str, tuple[str, ...]] = {
    "tone": ("lex:", "vader:", "rule:", "cue:", "w:"),
    "protocol": ("lex:", "vader:", "cue:", "proto:", "w:"),
}
#: Minimum number of training sentences a word feature must occur in.
MIN_DOCFREQ: int = 3
_REQUIRED_META = ("version", "source", "licence", "citation")
_TONE_CATS = ("warm", "procedural", "coolness", "conflict", "support")
_PROTO_CATS = (
    "reception_meeting", "greeting_congratulation", "condolence", "gratitude", "satisfaction_appreciation",
    "relationship_formula", "procedure_prospects", "agreement_signing", "honorific", "coolness_disagreement",
    "multiword",
)
_WORD_RE = re.compile(r"[a-z][a-z'’-]*|\d+")
# Each cue is "(?i)\b(?:WORD|...)\b"; the look-ahead "(?=[...])" after the first \b lists the first
# letters of the alternatives, so that a position is rejected with one test instead of one per
# alternative (half the time; the same matches: tests/test_tone_model.py).
_NEGATION_RE = re.compile(r"(?i)\b(?=[nwcd])(?:not|no|never|neither|nor|without|cannot|can't|won't|don't|doesn't|"
                          r"didn't|n't)\b")
_CONTRAST_RE = re.compile(r"(?i)\b(?=[bhatywdn])(?:but|however|although|though|yet|while|whereas|despite|"
                          r"nevertheless)\b")
_URGE_RE = re.compile(r"(?i)\b(?=[ucdmsiwr])(?:urge[sd]?|urging|call(?:s|ed)? on|call(?:s|ed)? upon|"
                      r"demand(?:s|ed)?|must|should|insist(?:s|ed)?|warn(?:s|ed)?|stop|cease|refrain)\b")
_FIRST_RE = re.compile(r"(?i)\b(?=[wouim])(?:we|our|us|i|my)\b")
_MULTI_RE = re.compile(r"(?i)\b(?=[tmsgqai])(?:trilateral|multilateral|summit|g7|g20|quad|asean|all countries|"
                       r"international community|member states|allies and partners)\b")

#: (feature, cue pattern) in the order of the features.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cue:negation", _NEGATION_RE), ("cue:contrast", _CONTRAST_RE), ("cue:urge", _URGE_RE),
    ("cue:first_person", _FIRST_RE), ("cue:multilateral", _MULTI_RE),
)


def _joint_cues() -> re.Pattern[str]:
    """The five cues in one pattern, one named group per cue: one scan of a sentence instead of
    five.  No word or phrase is an alternative of two cues, and no word inside a phrase ("call
    on", "member states") starts another cue's alternative, so matches of different cues never
    overlap and a cue has a match exactly when the scan yields one with its group
    (``tests/test_tone_model.py`` compares both ways)."""
    parts, firsts = [], ""
    for name, rx in _CUES:
        m = re.fullmatch(r"\(\?i\)\\b\(\?=\[([a-z]+)\]\)\(\?:(.*)\)\\b", rx.pattern, re.S)
        assert m is not None, name
        firsts += m.group(1)
        parts.append(f"(?P<{name[4:]}>{m.group(2)})\\b")
    return re.compile(r"(?i)\b(?=[" + "".join(sorted(set(firsts))) + "])(?:" + "|".join(parts) + ")")


_CUES_RE = _joint_cues()
#: :data:`_CUES_RE` without ``(?i)``, for the lower-cased form of an ASCII text: on ASCII, ignoring
#: case is lower-casing both sides (the pattern is written in lower case; the other characters
#: re folds to ASCII letters, such as "ſ" and the Kelvin sign, are not ASCII) and lower-casing
#: changes no word boundary.
_CUES_LOWER_RE = re.compile(_CUES_RE.pattern.removeprefix("(?i)"))
assert "(?i)" not in _CUES_LOWER_RE.pattern and not any(
    c.isupper() for c in _CUES_LOWER_RE.pattern.replace("(?P<", "")), "cue patterns are written in lower case"


def c_grid(name: str) -> tuple[float, ...]:
    """The values of C tried for task *name*: :data:`TASK_C_GRID` or else :data:`C_GRID`.

    Examples
    --------
    >>> c_grid("tone")
    (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
    >>> c_grid("protocol")
    (0.03, 0.1, 0.3, 1.0)
    """
    return tuple(TASK_C_GRID.get(name, C_GRID))


class _Vader(SentimentIntensityAnalyzer):
    """vaderSentiment's analyser (3.3.2) with the same scores and less repeated work.

    ``polarity_scores`` rebuilds the text character by character to replace emoji, and the
    negation and idiom checks lower-case the whole sentence again for every preceding word of
    every lexicon word.  Here a text without any emoji skips the rebuilding (it would come out
    unchanged), the lower-cased words are made once per text, a word off the lexicon gets its
    valence 0 without the call of ``sentiment_valence``, the "but" rule runs only when the text
    has a "but", and the words are split without a call per word; a text without any lexicon word
    gets the scores of all-zero valences at once.  The bodies below are
    vaderSentiment's (MIT licence, C. J. Hutto) with the lower-cased list passed in; the
    library's own analyser is the oracle of ``tests/test_tone_model.py``.
    """

    _lowered: tuple[list[str], list[str]] | None = None

    def polarity_scores(self, text):  # type: ignore[no-untyped-def]
        if not isinstance(text, str) or not self.emojis.keys().isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = _sentitext(text)
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        low = [str(w).lower() for w in words_and_emoticons]
        lexicon = self.lexicon
        if lexicon.keys().isdisjoint(low):  # every word gets valence 0: score_valence of zeros
            return {"neg": 0.0, "neu": 1.0 if low else 0.0, "pos": 0.0, "compound": 0.0}
        last = len(words_and_emoticons) - 1
        self._lowered = (words_and_emoticons, low)
        try:
            for i, item in enumerate(words_and_emoticons):
                lw = low[i]
                # a booster, "kind" of "kind of", and a word off the lexicon all get valence 0
                # (the last in sentiment_valence, here without the call)
                if lw in BOOSTER_DICT or lw not in lexicon or (lw == "kind" and i < last and low[i + 1] == "of"):
                    sentiments.append(0)
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        finally:
            self._lowered = None
        if "but" in low:  # _but_check changes nothing otherwise
            sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)

    def _lower(self, words: list[str]) -> list[str]:
        got = self._lowered
        if got is not None and got[0] is words:
            return got[1]
        return [str(w).lower() for w in words]

    def _negation_check(self, valence, words_and_emoticons, start_i, i):  # type: ignore[no-untyped-def,override]
        low = self._lower(words_and_emoticons)
        if start_i == 0:
            if _negated(low[i - (start_i + 1)]):
                valence = valence * N_SCALAR
        if start_i == 1:
            if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                valence = valence * 1.25
            elif low[i - 2] == "without" and low[i - 1] == "doubt":
                valence = valence
            elif _negated(low[i - (start_i + 1)]):
                valence = valence * N_SCALAR
        if start_i == 2:
            if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                    (low[i - 1] == "so" or low[i - 1] == "this"):
                valence = valence * 1.25
            elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                valence = valence
            elif _negated(low[i - (start_i + 1)]):
                valence = valence * N_SCALAR
        return valence

    def _special_idioms_check(self, valence, words_and_emoticons, i):  # type: ignore[no-untyped-def,override]
        low = self._lower(words_and_emoticons)
        onezero = "{0} {1}".format(low[i - 1], low[i])
        twoonezero = "{0} {1} {2}".format(low[i - 2], low[i - 1], low[i])
        twoone = "{0} {1}".format(low[i - 2], low[i - 1])
        threetwoone = "{0} {1} {2}".format(low[i - 3], low[i - 2], low[i - 1])
        threetwo = "{0} {1}".format(low[i - 3], low[i - 2])
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if len(low) - 1 > i:
            zeroone = "{0} {1}".format(low[i], low[i + 1])
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(low) - 1 > i + 1:
            zeroonetwo = "{0} {1} {2}".format(low[i], low[i + 1], low[i + 2])
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence


_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation


def _negated(word: str) -> bool:
    """vaderSentiment's ``negated([word])`` of one lower-cased word."""
    return word in _NEGATE or "n't" in word


def _sentitext(text: str) -> SentiText:
    """vaderSentiment's ``SentiText(text)`` of a str, built without a call per word."""
    st = SentiText.__new__(SentiText)
    st.text = text
    words = []
    for w in text.split():  # SentiText._strip_punc_if_word
        s = w.strip(_PUNCTUATION)
        words.append(w if len(s) <= 2 else s)
    st.words_and_emoticons = words
    st.is_cap_diff = allcap_differential(words)
    return st


@lru_cache(maxsize=1)
def vader_analyser() -> SentimentIntensityAnalyzer:
    """The VADER analyser (its lexicon ships inside the vaderSentiment package): vaderSentiment's
    own scores, computed with less repeated work (:class:`_Vader`)."""
    return _Vader()


@lru_cache(maxsize=1)
def vader_negative_words() -> frozenset[str]:
    """The words of VADER's lexicon with a negative valence (lower case; Hutto & Gilbert 2014)."""
    return frozenset(w for w, v in vader_analyser().lexicon.items() if v < 0)


@lru_cache(maxsize=1 << 16)
def vader_scores(text: str) -> tuple[float, float, float]:
    """``(compound, pos, neg)`` VADER scores of *text* (Hutto & Gilbert 2014), memoised per
    distinct string; ``(0, 0, 0)`` for blank text."""
    if not text.strip():
        return 0.0, 0.0, 0.0
    s = vader_analyser().polarity_scores(text)
    return float(s["compound"]), float(s["pos"]), float(s["neg"])


_LEX_KEYS = {cat: f"lex:{cat}" for cat in _TONE_CATS}
_LEX_ZERO = dict.fromkeys(_LEX_KEYS.values(), 0.0)
_PROTO_KEYS = {cat: f"proto:{cat}" for cat in _PROTO_CATS}
_PROTO_ZERO = dict.fromkeys(_PROTO_KEYS.values(), 0.0)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def features(ex: Any, proto_categories: Iterable[str] = (), *,
             vader: tuple[float, float, float] | None = None) -> dict[str, float]:
    """Named features of one analysed sentence.

    Parameters
    ----------
    ex
        An :class:`analysis.sentiment.Explanation` (attributes ``sentence, masked, hits,
        pair, countries, speaker, partners, reason, topic, has_ref, rule_about,
        raw_score, protocol``).
    proto_categories
        Categories of the protocol-lexicon matches in the sentence (one entry per match,
        negated matches excluded), e.g. from :func:`analysis.protocol.match_text`.
    vader
        ``(compound, pos, neg)`` to use instead of :func:`vader_scores` of the masked sentence
        (e.g. zeros, for :meth:`SentenceModel.protocol_without_vader`).

    Returns
    -------
    dict
        Feature name -> value; absent word features are 0.
    """
    f: dict[str, float] = dict(_LEX_ZERO)
    n_pos = n_neg = 0
    for h in ex.hits:
        c = h.weight * h.factor
        k = _LEX_KEYS.get(h.category) or f"lex:{h.category}"
        f[k] = f.get(k, 0.0) + c
        n_pos += c > 0
        n_neg += c < 0
    f["lex:n_positive"] = float(n_pos)
    f["lex:n_negative"] = float(n_neg)
    comp, pos, neg = vader_scores(ex.masked or ex.sentence) if vader is None else vader
    f["vader:compound"], f["vader:pos"], f["vader:neg"] = comp, pos, neg
    f["rule:score"] = float(ex.raw_score)
    f["rule:topic"] = float(bool(ex.topic))
    f["rule:hostile_pair"] = float(str(ex.reason).startswith("conflict"))
    f["rel:pair"] = float(bool(ex.pair))
    n_c = len(ex.countries)
    f["rel:n_countries"] = float(min(n_c, 3))
    f["rel:no_country"] = float(n_c == 0)
    f["rel:speaker_named"] = float(bool(ex.speaker) and ex.speaker in ex.countries)
    f["rel:partner_named"] = float(any(p in ex.countries for p in ex.partners))
    f["rel:title_pair"] = float(bool(ex.speaker) and bool(ex.partners))
    f["rel:reference"] = float(bool(ex.has_ref))
    f["rel:rule_about"] = float(bool(ex.rule_about))
    # the speaking side and the outlet's adversary (dyads.infer_adversaries)
    adv = getattr(ex, "adversary", "")
    f["rule:adversary_pair"] = float(bool(adv) and bool(ex.speaker) and ex.pair == "-".join(sorted((ex.speaker, adv))))
    # a pair of two other countries, reported by the speaking side
    f["rule:third_party_pair"] = float(bool(ex.speaker) and bool(ex.pair) and ex.speaker not in ex.pair.split("-"))
    s = ex.sentence
    if s.isascii():  # (no typographic apostrophe either: the lower-cased text is _words')
        low = s.lower()
        found = {m.lastgroup for m in _CUES_LOWER_RE.finditer(low)}
        ws_s = _WORD_RE.findall(low)
    else:
        found = {m.lastgroup for m in _CUES_RE.finditer(s)}
        ws_s = _words(s)
    f["cue:negation"] = float("negation" in found)
    f["cue:contrast"] = float("contrast" in found)
    f["cue:urge"] = float("urge" in found)
    f["cue:first_person"] = float("first_person" in found)
    f["cue:multilateral"] = float("multilateral" in found)
    f["cue:question"] = float("?" in s and not PRESS_QUESTION_RE.search(s))
    masked = ex.masked or s
    f["cue:n_words"] = math.log1p(len(ws_s))
    f.update(_PROTO_ZERO)
    for cat in proto_categories:
        k = _PROTO_KEYS.get(cat) or f"proto:{cat}"
        f[k] = f.get(k, 0.0) + 1.0
    f["proto:rule_flag"] = float(bool(ex.protocol))
    ws = ws_s if masked == s else _words(masked)
    # unigrams then bigrams, each at its first occurrence, value 1 (a bigram holds "_", which
    # no word does, so the two never share a name)
    f.update(dict.fromkeys(["w:" + w for w in ws], 1.0))
    f.update(dict.fromkeys([f"w:{a}_{b}" for a, b in zip(ws, ws[1:])], 1.0))
    return f


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class LinearTask:
    """One fitted decision: ``classes``, feature names, standardisation and coefficients.

    ``coef`` has one row per class for multinomial tasks and one row (the positive class)
    for binary ones.  Numeric features are standardised with ``mean``/``scale``; word
    features (``w:...``) have mean 0 and scale 1.
    """

    name: str
    classes: tuple[Any, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    C: float

    def _index(self) -> dict[str, int]:
        return _index_of(self.features)

    def vector(self, feats: Mapping[str, float]) -> np.ndarray:
        idx = self._index()
        x = np.zeros(len(self.features))
        for k, v in feats.items():
            i = idx.get(k)
            if i is not None:
                x[i] = v
        return (x - self.mean) / self.scale

    def decision(self, X: np.ndarray) -> np.ndarray:
        """Probabilities, shape (n, n_classes)."""
        z = X @ self.coef.T + self.intercept
        if len(self.classes) == 2:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _sparse(self) -> tuple[dict[str, tuple[float, ...]], tuple[float, ...]]:
        """Per feature, its standardised weights per coefficient row (``coef / scale``), and
        the intercepts with the standardisation of absent features folded in
        (``intercept - coef @ (mean / scale)``): a sentence's decision then costs one
        multiply-add per present feature and row, not a dense vector over every feature."""
        got = self.__dict__.get("_sparse_cache")
        if got is None:
            w = self.coef / self.scale
            b0 = self.intercept - self.coef @ (self.mean / self.scale)
            got = ({name: tuple(float(x) for x in w[:, i]) for i, name in enumerate(self.features)},
                   tuple(float(x) for x in b0))
            object.__setattr__(self, "_sparse_cache", got)
        return got

    def logits(self, feats: Mapping[str, float]) -> list[float]:
        """The decision values of one sentence (one per coefficient row), summed feature by
        feature in the order of *feats* (so that every caller gets the same floats)."""
        weights, b0 = self._sparse()
        get = weights.get
        if len(b0) == 1:  # a binary task: one row, the same additions in the same order
            z0 = b0[0]
            for k, v in feats.items():
                w = get(k)
                if w is not None and v:
                    z0 += w[0] * v
            return [z0]
        z = list(b0)
        for k, v in feats.items():
            w = get(k)
            if w is not None and v:
                for r, wr in enumerate(w):
                    z[r] += wr * v
        return z

    def proba_one(self, feats: Mapping[str, float]) -> list[float]:
        """The class probabilities of one sentence: the floats of ``predict_proba([feats])[0]``
        without building arrays for a binary task (the same operations on one value; the
        exponential is numpy's, as in :meth:`predict_proba`)."""
        z = self.logits(feats)
        if len(self.classes) == 2:
            p1 = float(1.0 / (1.0 + np.exp(-np.float64(z[0]))))
            return [1.0 - p1, p1]
        a = np.array([z], dtype="float64")
        a = a - a.max(axis=1, keepdims=True)
        e = np.exp(a)
        return (e / e.sum(axis=1, keepdims=True))[0].tolist()

    def predict_proba(self, feats: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), from :meth:`logits` (equal, up to
        floating-point rounding, to :meth:`decision` on the standardised dense vectors)."""
        if not feats:
            return np.zeros((0, len(self.classes)))
        z = np.array([self.logits(f) for f in feats], dtype="float64")
        if len(self.classes) == 2:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def contributions(self, feats: Mapping[str, float], *, toward: Any, against: Any | None = None) -> pd.DataFrame:
        """Per-feature contribution to the log-odds of class *toward* (against *against*, or
        against the reference class of a binary task): ``feature, value, weight, contribution``,
        largest absolute contributions first; the intercept is a row of its own."""
        x = self.vector(feats)
        ci = self.classes.index(toward)
        if len(self.classes) == 2:
            w = self.coef[0] * (1 if ci == 1 else -1)
            b = float(self.intercept[0]) * (1 if ci == 1 else -1)
        else:
            oi = self.classes.index(against) if against is not None else None
            w = self.coef[ci] - (self.coef[oi] if oi is not None else self.coef.mean(axis=0))
            b = float(self.intercept[ci] - (self.intercept[oi] if oi is not None else self.intercept.mean()))
        contrib = x * w
        nz = np.nonzero(contrib)[0]
        rows = [(self.features[i], float(feats.get(self.features[i], 0.0)), float(w[i]), float(contrib[i])) for i in nz]
        rows.append(("(intercept)", 1.0, b, b))
        out = pd.DataFrame(rows, columns=["feature", "value", "weight", "contribution"])
        order = np.lexsort((out["feature"].to_numpy(), -out["contribution"].abs().to_numpy()))
        return out.iloc[order].reset_index(drop=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes), "C": self.C, "features": list(self.features),
            "mean": [round(float(v), 8) for v in self.mean], "scale": [round(float(v), 8) for v in self.scale],
            "coef": [[round(float(v), 8) for v in row] for row in self.coef],
            "intercept": [round(float(v), 8) for v in self.intercept],
        }


@lru_cache(maxsize=8)
def _index_of(names: tuple[str, ...]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


@dataclass(frozen=True)
class SentenceModel:
    """The fitted decisions plus the file's provenance (:func:`load_model`)."""

    tasks: Mapping[str, LinearTask]
    meta: Mapping[str, Any]
    path: str = ""

    def protocol(self, feats: Sequence[Mapping[str, float]]) -> np.ndarray:
        """P(protocol) of each sentence."""
        return self.tasks["protocol"].predict_proba(feats)[:, 1]

    def protocol_one(self, feats: Mapping[str, float]) -> float:
        """P(protocol) of one sentence (the value of ``protocol([feats])[0]``)."""
        return self.tasks["protocol"].proba_one(feats)[1]

    def tone_one(self, feats: Mapping[str, float]) -> tuple[int, float]:
        """(tone, score) of one sentence (the values of :meth:`tone` on ``[feats]``)."""
        return self._tone_decision(self.tasks["tone"].proba_one(feats))

    def _tone_decision(self, p: Sequence[float]) -> tuple[int, float]:
        """(tone, score) from the tone task's class probabilities *p*: the first most probable
        class (as numpy's argmax) and ``P(+1) - P(-1)``."""
        classes = self.tasks["tone"].classes
        best = 0
        for i in range(1, len(p)):
            if p[i] > p[best]:
                best = i
        return int(classes[best]), p[classes.index(1)] - p[classes.index(-1)]

    def _joint(self) -> dict[str, tuple[float | None, tuple[float, float, float] | None]]:
        """Per feature, its standardised protocol weight and tone weights (``None`` where the
        task does not use the feature), from :meth:`LinearTask._sparse` of both tasks."""
        got = self.__dict__.get("_joint_cache")
        if got is None:
            pw, _ = self.tasks["protocol"]._sparse()
            tw, _ = self.tasks["tone"]._sparse()
            got = {k: (pw[k][0] if k in pw else None, tw.get(k)) for k in (*pw, *(k for k in tw if k not in pw))}
            object.__setattr__(self, "_joint_cache", got)
        return got

    def decide_one(self, feats: Mapping[str, float], *, tone: bool = True) -> tuple[float, int | None, float | None]:
        """``(P(protocol), tone, score)`` of one sentence in one pass over *feats*: the values of
        :meth:`protocol_one` and :meth:`tone_one` (the same additions in the same order, one
        look-up per feature for both tasks); ``tone=False`` leaves the tone out (None, None)."""
        t = self.tasks["tone"]
        if len(t.classes) != 3 or len(self.tasks["protocol"].classes) != 2:
            return self.protocol_one(feats), *(self.tone_one(feats) if tone else (None, None))
        weights = self._joint()
        get = weights.get
        zp = self.tasks["protocol"]._sparse()[1][0]
        z0, z1, z2 = t._sparse()[1]
        for k, v in feats.items():
            if not v:
                continue
            w = get(k)
            if w is None:
                continue
            wp, wt = w
            if wp is not None:
                zp += wp * v
            if tone and wt is not None:
                z0 += wt[0] * v
                z1 += wt[1] * v
                z2 += wt[2] * v
        p1 = float(1.0 / (1.0 + np.exp(-np.float64(zp))))
        if not tone:
            return p1, None, None
        a = np.array([[z0, z1, z2]], dtype="float64")
        a = a - a.max(axis=1, keepdims=True)
        e = np.exp(a)
        p = (e / e.sum(axis=1, keepdims=True))[0].tolist()
        return p1, *self._tone_decision(p)

    def _vader_range(self) -> tuple[float, float] | None:
        """The lowest and highest sum the VADER features can add to the protocol logit (compound
        in -1..1, pos and neg in 0..1); None when the task is not binary."""
        got = self.__dict__.get("_vader_range_cache", False)
        if got is False:
            got = None
            if len(self.tasks["protocol"].classes) == 2:
                w = self.tasks["protocol"]._sparse()[0]
                wc, wp, wn = (w[k][0] if k in w else 0.0 for k in ("vader:compound", "vader:pos", "vader:neg"))
                got = (-abs(wc) + min(wp, 0.0) + min(wn, 0.0), abs(wc) + max(wp, 0.0) + max(wn, 0.0))
            object.__setattr__(self, "_vader_range_cache", got)
        return got

    def protocol_without_vader(self, feats: Mapping[str, float]) -> bool | None:
        """The protocol decision (``P(protocol) >= 0.5``) of a sentence whose *feats* hold 0 for
        the VADER features, when no VADER scores could change it: the logit without them lies
        farther from 0 than the most those features can add or take (with a margin of 1e-9, far
        above the rounding of the sums); None otherwise (then score the sentence with VADER)."""
        rng = self._vader_range()
        if rng is None:
            return None
        weights, b0 = self.tasks["protocol"]._sparse()
        get = weights.get
        z = b0[0]
        for k, v in feats.items():
            if v:
                w = get(k)
                if w is not None:
                    z += w[0] * v
        if z + rng[1] < -1e-9:
            return False
        if z + rng[0] > 1e-9:
            return True
        return None

    def tone(self, feats: Sequence[Mapping[str, float]]) -> tuple[np.ndarray, np.ndarray]:
        """(tone in -1/0/1, score = P(+1) - P(-1)) of each sentence."""
        t = self.tasks["tone"]
        p = t.predict_proba(feats)
        if not len(p):
            return np.zeros(0, dtype=int), np.zeros(0)
        cls = np.asarray(t.classes)
        tone = cls[np.argmax(p, axis=1)].astype(int)
        score = p[:, list(t.classes).index(1)] - p[:, list(t.classes).index(-1)]
        return tone, score

    def to_json(self) -> dict[str, Any]:
        return {**dict(self.meta), "tasks": {k: self.tasks[k].to_json() for k in TASKS}}


def _task_from_json(name: str, d: Any, where: str) -> LinearTask:
    if not isinstance(d, Mapping):
        raise DataFileError(f"{where}: tasks.{name}: expected a mapping")
    for k in ("classes", "C", "features", "mean", "scale", "coef", "intercept"):
        if k not in d:
            raise DataFileError(f"{where}: tasks.{name}: missing '{k}'")
    feats = tuple(str(x) for x in d["features"])
    n = len(feats)
    if len(set(feats)) != n:
        raise DataFileError(f"{where}: tasks.{name}: duplicate feature names")
    try:
        mean = np.asarray(d["mean"], dtype=float)
        scale = np.asarray(d["scale"], dtype=float)
        coef = np.asarray(d["coef"], dtype=float)
        intercept = np.asarray(d["intercept"], dtype=float)
    except (TypeError, ValueError):
        raise DataFileError(f"{where}: tasks.{name}: coefficients must be numbers") from None
    classes = tuple(d["classes"])
    rows = 1 if len(classes) == 2 else len(classes)
    if len(classes) < 2:
        raise DataFileError(f"{where}: tasks.{name}: needs at least two classes")
    if mean.shape != (n,) or scale.shape != (n,) or coef.shape != (rows, n) or intercept.shape != (rows,):
        raise DataFileError(f"{where}: tasks.{name}: shapes do not match {n} features and {len(classes)} classes")
    if not (np.isfinite(coef).all() and np.isfinite(mean).all() and np.isfinite(intercept).all()) or (scale <= 0).any():
        raise DataFileError(f"{where}: tasks.{name}: non-finite coefficient or non-positive scale")
    expected = {"protocol": (False, True), "tone": (-1, 0, 1)}[name]
    if classes != expected:
        raise DataFileError(f"{where}: tasks.{name}: classes must be {list(expected)}, got {list(classes)}")
    return LinearTask(name, classes, feats, mean, scale, coef, intercept, float(d["C"]))


def load_model(path: str | Path | None = None) -> SentenceModel:
    """Read and validate a model file (default: ``analysis/data/sentence_model.json``).

    Raises
    ------
    analysis.errors.DataFileError
        One line naming the file and the problem (missing provenance, a task, a shape).
    """
    p = Path(path) if path is not None else config.package_data("sentence_model.json")
    where = config.relpath(p)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"{where}: file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"{where}: cannot read ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected a JSON object")
    missing = [k for k in _REQUIRED_META if not str(data.get(k, "")).strip()]
    if missing:
        raise DataFileError(f"{where}: missing provenance field(s) {', '.join(missing)}")
    tasks = data.get("tasks")
    if not isinstance(tasks, Mapping) or any(t not in tasks for t in TASKS):
        raise DataFileError(f"{where}: 'tasks' must hold {', '.join(TASKS)}")
    meta = {k: v for k, v in data.items() if k != "tasks"}
    return SentenceModel({t: _task_from_json(t, tasks[t], where) for t in TASKS}, meta, where)


@lru_cache(maxsize=1)
def default_model() -> SentenceModel:
    """The bundled model (cached)."""
    return load_model()


@lru_cache(maxsize=4)
def cached_model(path: str) -> SentenceModel:
    """:func:`load_model` of *path*, read once per process (workers of a run)."""
    return load_model(path)


# --------------------------------------------------------------------------- fitting
