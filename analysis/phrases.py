"""Recurring phrases: n-grams, lexical bundles, collocations, keyness and formulaicity.

Every measure here works on the **sentences table** produced once by
:func:`analysis.segment.segment_articles` (columns ``doc_id, sentence_id, tokens, ...``).

The code lives in three modules, re-exported here:

* :mod:`analysis.phrase_stream`: the word stream (tokens, normalisation, sentence
  boundaries) and the vectorised counting shared by the measures;
* :mod:`analysis.phrase_ngrams`: :func:`ngrams`, :func:`bundles`, :func:`formulaicity`;
* :mod:`analysis.phrase_association`: :func:`collocations`, :func:`keyness`,
  :func:`keyness_docs`.

Counting is done in bounded chunks (n-grams per range of prefixes, collocation pairs per range
of first words), each n-gram or pair counted in exactly one chunk, so results equal counting
everything at once.  Measured on the word stream of a 20 MiB real-text corpus (2.68 M word
tokens): the five measures in 7.4 CPU-s together, the largest tracemalloc peak 124 MiB (n-grams
1..6); figures for larger corpora in ``benchmarks/README.md``, "Memory".
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
