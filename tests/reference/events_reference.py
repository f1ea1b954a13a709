"""Reference of :func:`analysis.events._nested` before its whole-contact pre-test (0.4.x): every
sentence searched for every nested type.  The oracle of the pre-tested path."""

from __future__ import annotations

from typing import Any

from analysis import events as E


def nested_reference(sents: list[str], parent: dict[str, Any], n_parents: int, gazetteer: Any | None,
                     date: Any) -> list[tuple[str, str]]:
    out = []
    for typ in E.NESTED_TYPES:
        for s in sents:
            m = E._NESTED_TRIGGER[typ].search(s)
            if not m:
                continue
            s = s.replace("\xa0", " ")
            if n_parents > 1:
                cs = {x.country for x in E._side_mentions(s, parent["host"], parent["guest"], gazetteer, date)}
                if parent["guest"] not in cs:
                    continue
            out.append((typ, E.initiator(s, typ, parent["host"], parent["guest"], subject=parent["_speaker"],
                                         gazetteer=gazetteer, date=date)))
            break
    return out
