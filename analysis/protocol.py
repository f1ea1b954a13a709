"""Protocol language: a categorised lexicon of diplomatic formulas, a fast matcher and measures.

The code lives in two modules, re-exported here:

* :mod:`analysis.protocol_lexicon`: the lexicon (:data:`CATEGORIES`, pattern syntax,
  :func:`compile_pattern`, :func:`load_lexicon`, :class:`Lexicon`, :class:`Entry`);
* :mod:`analysis.protocol_measures`: matching (:func:`match`, :func:`match_text`, negation)
  and the measures (:func:`article_measures`, :func:`category_counts`,
  :func:`group_measures`, :func:`kwic`, the sentence flag and its evaluation).
"""

from __future__ import annotations

from analysis.protocol_lexicon import (  # noqa: F401 (re-exported)
    CATEGORIES,
    Entry,
    Lexicon,
    Match,
    compile_pattern,
    load_lexicon,
)
from analysis.protocol_measures import (  # noqa: F401 (re-exported)
    MULTIWORD,
    NEGATORS,
    PROTOCOL_CATEGORIES,
    article_measures,
    categories_of,
    category_counts,
    evaluate_flag,
    group_measures,
    is_protocol,
    kwic,
    match,
    match_text,
    model_categories,
    sentence_flags,
)
from analysis.schema import KWIC_COLUMNS, MATCH_COLUMNS  # noqa: F401 (re-exported)

__all__ = [
    "CATEGORIES",
    "PROTOCOL_CATEGORIES",
    "MULTIWORD",
    "NEGATORS",
    "MATCH_COLUMNS",
    "Entry",
    "Lexicon",
    "Match",
    "compile_pattern",
    "load_lexicon",
    "match",
    "match_text",
    "article_measures",
    "category_counts",
    "group_measures",
    "kwic",
    "sentence_flags",
    "is_protocol",
    "categories_of",
    "model_categories",
    "KWIC_COLUMNS",
    "evaluate_flag",
]
