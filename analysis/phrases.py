"""Recurring phrases: n-grams, lexical bundles, collocations, keyness and formulaicity.

Every measure here works on the **sentences table** produced once by
:func:`analysis.segment.segment_articles` (columns ``doc_id, sentence_id, tokens, ...``).

The code lives in three modules, re-exported here:

* :mod:`analysis.phrase_stream`: the word stream (tokens, normalisation, sentence
  boundaries) and the vectorised counting shared by the measures;
* :mod:`analysis.phrase_ngrams`: :func:`ngrams`, :func:`bundles`, :func:`formulaicity`;
* :mod:`analysis.phrase_association`: :func:`collocations`, :func:`keyness`,
  :func:`keyness_docs`.

Measured on 10.3 million word tokens (the shared corpora repeated 15 times): n = 1..6 with
``min_frequency=16`` in 8-12 s, collocations (window 5) and formulaicity in 9-15 s each,
peak memory about 3 GB.
"""

from __future__ import annotations

from analysis.lexicon import load_stopwords  # noqa: F401 (re-exported)
from analysis.phrase_association import (  # noqa: F401 (re-exported)
    collocations,
    keyness,
    keyness_docs,
)
from analysis.phrase_ngrams import (  # noqa: F401 (re-exported)
    SMALL_CORPUS_WORDS,
    bundles,
    formulaicity,
    ngrams,
)
from analysis.phrase_stream import (  # noqa: F401 (re-exported)
    ALL_GROUP,
    WordStream,
    merge_streams,
    stream_piece,
    word_stream,
)
from analysis.schema import MISSING_GROUP, NGRAM_COLUMNS, period  # noqa: F401 (re-exported)

__all__ = [
    "NGRAM_COLUMNS",
    "WordStream",
    "word_stream",
    "stream_piece",
    "merge_streams",
    "load_stopwords",
    "period",
    "ngrams",
    "bundles",
    "collocations",
    "keyness",
    "keyness_docs",
    "formulaicity",
]
