"""Text reuse: near-duplicate articles (shingles + MinHash/LSH) and sentence templates.

The code lives in two modules, re-exported here:

* :mod:`analysis.duplicates`: :func:`shingles`, :func:`near_duplicates` (MinHash/LSH,
  every reported pair verified with the exact shingle Jaccard), :func:`duplicate_clusters`;
* :mod:`analysis.templates`: :func:`templates`, :func:`template_fillers`,
  :func:`template_changes`, :func:`template_tables`.
"""

from __future__ import annotations

from analysis.duplicates import (  # noqa: F401 (re-exported)
    duplicate_clusters,
    lsh_params,
    min_agreement,
    near_duplicates,
    shingles,
)
from analysis.schema import NEAR_DUPLICATE_COLUMNS  # noqa: F401 (re-exported)
from analysis.templates import (  # noqa: F401 (re-exported)
    TEMPLATE_KEEP_WORDS,
    template_changes,
    template_fillers,
    template_tables,
    templates,
)

__all__ = [
    "min_agreement",
    "NEAR_DUPLICATE_COLUMNS",
    "TEMPLATE_KEEP_WORDS",
    "shingles",
    "lsh_params",
    "near_duplicates",
    "duplicate_clusters",
    "templates",
    "template_fillers",
    "template_changes",
    "template_tables",
]
