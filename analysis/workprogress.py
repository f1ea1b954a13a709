"""Partitions of the articles and progress counted in articles: of partitioned work (for
:mod:`analysis.engines`, :mod:`analysis.dask_engine` and the partition-wise cleaning of
:mod:`analysis.cleaning`), of the records read by :func:`analysis.corpus.load_corpus`
(:class:`RecordCounter`) and of the corpus-level stages of a run (:class:`Stages`: one bar over
named stages).

Bars follow :func:`analysis.progress.progress_enabled` (``PROTOCOL_NEWS_PROGRESS=0`` turns them off).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from tqdm.std import tqdm  # not tqdm.auto: in a notebook kernel it warns (to stderr) about ipywidgets

from .progress import progress_enabled

__all__ = ["n_articles", "progress_articles", "partition_bounds", "n_partitions", "PARTITION_SIZE",
           "RecordCounter", "Stages"]

T = TypeVar("T")


def n_articles(item: Any) -> int:
    """Articles in a partition: a table or a list of documents is its length; a tuple whose first
    element is per-document (the cleaning passes of :func:`analysis.corpus.clean`), that
    element's length; anything else counts 1."""
    if isinstance(item, tuple) and item and hasattr(item[0], "__len__") and not isinstance(item[0], str):
        return len(item[0])
    if hasattr(item, "__len__") and not isinstance(item, str):
        return len(item)
    return 1


def progress_articles(results: Iterable[T], weights: Sequence[int] | None, *, desc: str, total: int | None = None,
                      enabled: bool | None = None) -> Iterator[T]:
    """Yield *results* while a bar counts articles: result ``i`` adds ``weights[i]`` (or, with
    *weights* None, each result is a ``(value, n_articles)`` pair and the value is yielded).
    No bar when progress is disabled."""
    pairs: Iterable[tuple[Any, int]] = zip(results, weights) if weights is not None else results  # type: ignore[assignment]
    if not progress_enabled(enabled):
        for r, _ in pairs:
            yield r
        return
    total = int(sum(weights)) if total is None and weights is not None else total
    with tqdm(total=total, desc=desc, unit="articles", leave=False) as bar:
        for r, w in pairs:
            yield r
            bar.update(w)


#: Documents per partition when several workers share the work.
PARTITION_SIZE: int = 500


def partition_bounds(n: int, *, n_parts: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of at most *n_parts* contiguous, non-empty slices of ``range(n)``, each
    of size ``ceil(n / n_parts)`` (the last may be shorter); ``[]`` for ``n == 0``."""
    n_parts = max(1, min(n_parts, n))
    size = math.ceil(n / n_parts) if n else 1
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def n_partitions(n_items: int, workers: int) -> int:
    """Number of partitions for *n_items* documents on *workers* workers:
    ``max(workers, ceil(n_items / PARTITION_SIZE))``.  One worker also goes partition by
    partition (in this process), so that the per-token state of the per-document stages is
    held for one partition at a time."""
    return max(max(workers, 1), math.ceil(n_items / PARTITION_SIZE))


class RecordCounter:
    """A bar counting items one by one with no known total (the records :func:`analysis.corpus.load_corpus`
    reads); nothing is shown when progress is disabled.  Close it with :meth:`close`."""

    def __init__(self, *, desc: str, unit: str = "articles", enabled: bool | None = None) -> None:
        self._bar = tqdm(desc=desc, unit=unit, leave=False) if progress_enabled(enabled) else None

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class Stages:
    """One bar over named stages, counted in articles: every stage done adds the corpus's
    *n_articles* (the total is ``len(names) * n_articles``), and the bar names the stage that is
    running.  Nothing is shown when progress is disabled.

    Examples
    --------
    >>> bar = Stages(["n-grams", "keyness"], 10, enabled=False)
    >>> with bar.stage("n-grams"):
    ...     pass
    >>> bar.done, bar.total
    (10, 20)
    >>> bar.close()
    """

    def __init__(self, names: Sequence[str], n_articles: int, *, desc: str = "corpus stages",
                 enabled: bool | None = None) -> None:
        self.names = tuple(names)
        self.n_articles = int(n_articles)
        self.total = len(self.names) * self.n_articles
        self.done = 0
        self._bar = (tqdm(total=self.total, desc=desc, unit="articles", leave=False)
                     if progress_enabled(enabled) else None)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Run one stage (one of *names*) inside the ``with`` block."""
        if name not in self.names:
            raise ValueError(f"unknown stage {name!r} (expected one of {', '.join(self.names)})")
        if self._bar is not None:
            self._bar.set_postfix_str(name, refresh=True)
        yield
        self.done += self.n_articles
        if self._bar is not None:
            self._bar.update(self.n_articles)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
