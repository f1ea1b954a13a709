"""Execution engines: run a per-document stage over partitions of the articles table.

``local`` with one worker runs in-process; with N workers it uses N processes
(:class:`concurrent.futures.ProcessPoolExecutor`).  Partitions are contiguous
slices of the articles in their given order and results are returned in partition
order, so concatenated tables are identical whatever the number of workers.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

import pandas as pd

from .errors import InputError
from .progress import progress as progress_bar

__all__ = ["partitions", "map_documents"]

T = TypeVar("T")

#: Documents per partition when several workers share the work.
PARTITION_SIZE: int = 500


def partitions(articles: pd.DataFrame, *, n_parts: int) -> list[pd.DataFrame]:
    """Split *articles* into at most *n_parts* contiguous, non-empty slices.

    Parameters
    ----------
    articles
        Any table; its row order is kept.
    n_parts
        Wanted number of slices (clipped to ``1 .. len(articles)``).

    Returns
    -------
    list of pandas.DataFrame
        Slices of equal size ``ceil(len / n_parts)`` (the last one may be shorter) whose
        concatenation is *articles*; ``[articles]`` when it is empty.
    """
    n = len(articles)
    n_parts = max(1, min(n_parts, n))
    size = math.ceil(n / n_parts) if n else 1
    return [articles.iloc[i : i + size] for i in range(0, max(n, 1), size)] if n else [articles]


def _bounded_map(pool: Executor, fn: Callable[..., T], parts: Sequence[pd.DataFrame], context: Any,
                 *, in_flight: int) -> Iterator[T]:
    """Results of ``fn(part, context)`` in partition order, with at most *in_flight* partitions
    submitted at a time (so only those are pickled and held by the pool at once)."""
    pending: deque[Future[T]] = deque()
    it = iter(parts)
    for p in it:
        pending.append(pool.submit(fn, p, context))
        if len(pending) >= in_flight:
            break
    while pending:
        yield pending.popleft().result()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(pool.submit(fn, nxt, context))


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
    """Apply *fn(partition, context)* to partitions of *articles*; results in partition order.

    Parameters
    ----------
    fn
        A module-level function of a partition (contiguous slice of *articles*) and *context*
        whose result depends on no other partition (e.g. :func:`analysis.pipeline.document_tables`).
    articles
        The articles table.
    context
        Corpus-level state fitted beforehand (sent to every worker).
    workers
        1: one call on the whole table in this process.  N > 1: N processes over
        ``max(N, ceil(len / PARTITION_SIZE))`` partitions, at most ``2 N`` in flight.
    engine
        ``"local"`` or ``"dask"`` (:func:`analysis.dask_engine.map_documents`).
    scheduler
        dask scheduler address (dask engine only; None starts a LocalCluster).
    progress
        Progress bar switch (None: decide from the environment).

    Returns
    -------
    list
        One result per partition, in partition order.  Merging them
        (:func:`analysis.pipeline.analyse`) gives the same tables for every engine and
        number of workers.
    """
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if engine == "local":
        if workers == 1:
            return [fn(articles, context)]
        parts = partitions(articles, n_parts=max(workers, math.ceil(len(articles) / PARTITION_SIZE)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = _bounded_map(pool, fn, parts, context, in_flight=2 * workers)
            return list(progress_bar(results, desc="documents", total=len(parts), enabled=progress))
    if engine == "dask":
        from . import dask_engine

        return dask_engine.map_documents(fn, articles, context, workers=workers, scheduler=scheduler,
                                         progress=progress)
    raise InputError(f"unknown engine {engine!r} (expected 'local' or 'dask')")
