"""Reference implementation of :func:`analysis.tone_model.features` (0.4.0): one assignment per
feature.  The oracle of the version that fills the constant families and the word features
in bulk (same names, values and order)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from analysis.tone_model import (
    _CONTRAST_RE,
    _FIRST_RE,
    _MULTI_RE,
    _NEGATION_RE,
    _PROTO_CATS,
    _TONE_CATS,
    _URGE_RE,
    PRESS_QUESTION_RE,
    _words,
    vader_scores,
)


def features_reference(ex: Any, proto_categories: Iterable[str] = ()) -> dict[str, float]:
    f: dict[str, float] = {}
    for cat in _TONE_CATS:
        f[f"lex:{cat}"] = 0.0
    n_pos = n_neg = 0
    for h in ex.hits:
        c = h.weight * h.factor
        f[f"lex:{h.category}"] = f.get(f"lex:{h.category}", 0.0) + c
        n_pos += c > 0
        n_neg += c < 0
    f["lex:n_positive"] = float(n_pos)
    f["lex:n_negative"] = float(n_neg)
    comp, pos, neg = vader_scores(ex.masked or ex.sentence)
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
    adv = getattr(ex, "adversary", "")
    f["rule:adversary_pair"] = 1.0 if adv and ex.speaker and set(ex.pair.split("-")) == {ex.speaker, adv} else 0.0
    f["rule:third_party_pair"] = 1.0 if ex.speaker and ex.pair and ex.speaker not in set(ex.pair.split("-")) else 0.0
    s = ex.sentence
    f["cue:negation"] = float(bool(_NEGATION_RE.search(s)))
    f["cue:contrast"] = float(bool(_CONTRAST_RE.search(s)))
    f["cue:urge"] = float(bool(_URGE_RE.search(s)))
    f["cue:first_person"] = float(bool(_FIRST_RE.search(s)))
    f["cue:multilateral"] = float(bool(_MULTI_RE.search(s)))
    f["cue:question"] = float("?" in s and not PRESS_QUESTION_RE.search(s))  # a journalist's question is no cue
    f["cue:n_words"] = math.log1p(len(_words(s)))
    for cat in _PROTO_CATS:
        f[f"proto:{cat}"] = 0.0
    for cat in proto_categories:
        f[f"proto:{cat}"] = f.get(f"proto:{cat}", 0.0) + 1.0
    f["proto:rule_flag"] = float(bool(ex.protocol))
    ws = _words(ex.masked or s)
    for w in ws:
        f[f"w:{w}"] = 1.0
    for a, b in zip(ws, ws[1:]):
        f[f"w:{a}_{b}"] = 1.0
    return f
