"""Reference implementation of :meth:`analysis.entities.Gazetteer.find_tokens` (0.4.0): the
longest-match search tried at every token whose keys start an entry, the compound rule at every
hyphenated token.  The oracle of the version that looks up, once per distinct token, what
happens at it (nothing, a one-token match, the compound rule, or a search only when the next
token can continue a longer entry)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.entities import _HYPHEN_RE, BLOCK_KIND, Gazetteer, Mention, _keys


def find_tokens_reference(gaz: Gazetteer, tokens: Sequence[str], spans: Sequence[tuple[int, int]], *,
                          text: str | None = None, text_offset: int = 0) -> list[Mention]:
    n = len(tokens)
    pairs = [_keys(t) for t in tokens]
    cs_keys = [p[0] for p in pairs]
    ci_keys = [p[1] for p in pairs]
    out: list[Mention] = []
    i = 0
    while i < n:
        if cs_keys[i] in gaz._cs or ci_keys[i] in gaz._ci:
            L, entry = gaz._match_at(ci_keys, cs_keys, i)
        else:
            entry = None
        if entry is not None:
            if entry.kind != BLOCK_KIND:
                s, e = spans[i][0], spans[i + L - 1][1]
                if text is not None:
                    surface = text[s - text_offset : e - text_offset]
                else:
                    surface = tokens[i]
                    for j in range(i + 1, i + L):
                        surface += (" " if spans[j][0] > spans[j - 1][1] else "") + tokens[j]
                out.append(Mention(s, e, surface, entry.entity, entry.country, entry.kind))
            i += L
            continue
        tok = tokens[i]
        if len(tok) > 2 and _HYPHEN_RE.search(tok):
            for s, e, part, pe in gaz._split_compound(tok, spans[i][0]):
                out.append(Mention(s, e, part, pe.entity, pe.country, pe.kind))
        i += 1
    return out
