"""Reference implementation of :meth:`analysis.officials.Officials.find` (0.3.0): every token
tried as the start of every full-name length, dates compared as Timestamps.  The oracle of the
indexed fast path."""

from __future__ import annotations

from typing import Any

from analysis.officials import (
    _NOT_SURNAMES,
    _TOKEN_RE,
    MIN_SURNAME,
    OfficialMention,
    Officials,
    _as_date,
    _build_index,
    _key,
    _unique_country,
)

_INDEX: dict[int, Any] = {}


def find_reference(officials: Officials, text: str, date: Any) -> list[OfficialMention]:
    d = _as_date(date)
    if d is None or not text:
        return []
    if id(officials) not in _INDEX:
        _INDEX[id(officials)] = (officials, _build_index(officials.rows))
    full, sur, longest = _INDEX[id(officials)][1]
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
    keys = [_key(t) for _, _, t in toks]
    out: list[OfficialMention] = []
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(longest, len(toks) - i), 1, -1):
            cands = full.get(tuple(keys[i:i + n]))
            if cands and toks[i][2][:1].isupper():
                c = _unique_country(cands, d)
                if c:
                    hit = (n, c)
                    break
        if hit is None:
            t = toks[i][2]
            if len(t) >= MIN_SURNAME and t[:1].isupper() and keys[i] not in _NOT_SURNAMES and keys[i] in sur:
                c = _unique_country(sur[keys[i]], d)
                if c:
                    hit = (1, c)
        if hit is not None:
            n, c = hit
            s, e = toks[i][0], toks[i + n - 1][1]
            out.append(OfficialMention(s, e, text[s:e], c))
            i += n
        else:
            i += 1
    return out
