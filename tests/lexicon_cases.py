"""Shared helper of the hand-written lexicon tests: which lexicon category each matched text got."""

from __future__ import annotations

from analysis import sentiment


def lexicon_categories(sentence: str, *, title: str, home: str) -> dict[str, str]:
    """matched text -> tone-lexicon category, from the explanation table of *sentence* in an item
    titled *title* on an outlet of *home* (ISO alpha-3)."""
    f = sentiment.explain(sentence, title=title, source="o", source_countries={"o": home}).to_frame()
    f = f[f["source"] == "lexicon"]
    return dict(zip(f["matched"], f["category"]))
