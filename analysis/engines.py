"""Execution engines: run a per-document stage over partitions of the articles table.

``local`` with one worker runs in-process; with N workers it uses N processes
(:class:`concurrent.futures.ProcessPoolExecutor`).  Partitions are contiguous
slices of the articles in their given order and results are returned in partition
order, so concatenated tables are identical whatever the number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

from .errors import InputError
from .progress import progress as progress_bar

__all__ = ["partitions", "map_documents"]

#: Documents per partition when several workers share the work.
PARTITION_SIZE: int = 500


def partitions(articles: pd.DataFrame, *, n_parts: int) -> list[pd.DataFrame]:
    """Split *articles* into at most *n_parts* contiguous, non-empty slices."""
    n = len(articles)
    n_parts = max(1, min(n_parts, n))
    size = math.ceil(n / n_parts) if n else 1
    return [articles.iloc[i : i + size] for i in range(0, max(n, 1), size)] if n else [articles]


def map_documents(
    fn: Callable[[pd.DataFrame, Any], Mapping[str, pd.DataFrame]],
    articles: pd.DataFrame,
    context: Any,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
) -> list[Mapping[str, pd.DataFrame]]:
    """Apply *fn(partition, context)* to partitions of *articles*; results in partition order."""
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if engine == "local":
        if workers == 1:
            return [fn(articles, context)]
        parts = partitions(articles, n_parts=max(workers, math.ceil(len(articles) / PARTITION_SIZE)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(fn, p, context) for p in parts]
            return [f.result() for f in progress_bar(futures, desc="documents", total=len(futures), enabled=progress)]
    if engine == "dask":
        from . import dask_engine

        return dask_engine.map_documents(fn, articles, context, workers=workers, scheduler=scheduler,
                                         progress=progress)
    raise InputError(f"unknown engine {engine!r} (expected 'local' or 'dask')")
