"""Execution engines: run per-document work over partitions of the articles table.

A :class:`Session` (open one with :func:`session`) holds the workers for a whole run:
``local`` with one worker runs everything in-process; with N workers it uses N processes
(:class:`concurrent.futures.ProcessPoolExecutor`); ``dask`` uses a dask.distributed cluster
(:mod:`analysis.dask_engine`).  :meth:`Session.map` applies a function to partitions and
returns the results in partition order; :meth:`Session.submit` runs one independent
corpus-level task (e.g. the near-duplicate search) on a worker while the main process goes
on.  Partitions are contiguous slices of the articles in their given order, so concatenated
tables are identical whatever the engine and the number of workers.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

import pandas as pd

from . import dask_engine
from .errors import InputError
from .resources import trim_memory
from .workprogress import (
    n_articles,
    n_partitions,
    partition_bounds,
    progress_articles,
)

__all__ = ["partitions", "partition_bounds", "n_partitions", "available_cores", "auto_workers", "n_articles",
           "Session", "session"]

T = TypeVar("T")

#: Articles per worker below which :func:`auto_workers` uses fewer workers (starting a process
#: and sending it the corpus-level state costs more than it saves on a few hundred articles).
MIN_PER_WORKER: int = 250


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one, else
    :func:`os.cpu_count`; at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def auto_workers(n_items: int | None = None) -> int:
    """The default number of workers: :func:`available_cores`, capped so that every worker gets
    at least :data:`MIN_PER_WORKER` of the *n_items* articles (1 for a small corpus)."""
    cores = available_cores()
    if n_items is None:
        return cores
    return max(1, min(cores, n_items // MIN_PER_WORKER))


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
    if not len(articles):
        return [articles]
    return [articles.iloc[i:j] for i, j in partition_bounds(len(articles), n_parts=n_parts)]


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


class Handle(Protocol[T]):
    """What :meth:`Session.submit` returns: ``result()`` waits for the value (or re-raises)."""

    def result(self) -> T: ...


class _Done:
    """An already computed result (the in-process session runs submitted work at once)."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        try:
            self._value = fn(*args, **kwargs)
        except Exception as exc:  # re-raised by result(), like a future
            self._error = exc

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value


class Session:
    """Workers for one run.  Use :func:`session` to open and close one.

    Attributes
    ----------
    workers
        Number of worker processes (1: everything runs in this process).
    engine
        ``"local"`` or ``"dask"``.
    """

    def __init__(self, *, workers: int = 1, engine: str = "local", progress: bool | None = None,
                 pool: Executor | None = None, client: Any = None) -> None:
        self.workers = workers
        self.engine = engine
        self.progress = progress
        self._pool = pool
        self._client = client
        #: True after :meth:`release` until the next map or submit starts fresh workers.
        self._released = False

    def partitions(self, articles: pd.DataFrame) -> list[pd.DataFrame]:
        """Contiguous slices of *articles* for :meth:`map` (:func:`n_partitions` of them)."""
        return partitions(articles, n_parts=n_partitions(len(articles), self.workers))

    def map(self, fn: Callable[[Any, Any], T], items: Sequence[Any], context: Any, *, desc: str = "documents") -> list[T]:
        """``[fn(item, context) for item in items]``, computed by the workers, in *items* order.

        *fn* must be a module-level (picklable) function; *context* is sent to every worker.
        """
        return list(self.imap(fn, items, context, desc=desc))

    def imap(self, fn: Callable[[Any, Any], T], items: Sequence[Any], context: Any, *,
             desc: str = "documents") -> Iterator[T]:
        """The results of :meth:`map` one by one, in *items* order: the local workers compute at
        most two items per worker ahead of the caller, so that the caller holds the results of
        a few items at a time when it consumes each one before the next (the dask engine
        computes them all first)."""
        weights = [n_articles(x) for x in items]
        if self._client is not None:
            yield from dask_engine.map_items(self._client, fn, items, context, desc=desc, progress=self.progress)
            return
        if self._pool is None and not self._released:
            yield from progress_articles((fn(x, context) for x in items), weights, desc=desc,
                                         enabled=self.progress if len(items) > 1 else False)
            return
        results = _bounded_map(self._local_pool(), fn, items, context, in_flight=2 * self.workers)
        yield from progress_articles(results, weights, desc=desc, enabled=self.progress)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Handle[T]:
        """Run ``fn(*args, **kwargs)`` on a worker; ``.result()`` of the returned handle waits for it.

        In-process (one worker) the call runs at once.  Submit independent corpus-level work
        before a :meth:`map` so that it runs beside the partitions.
        """
        if self._client is not None:
            return self._client.submit(fn, *args, pure=False, **kwargs)
        if self._pool is None and not self._released:
            return _Done(fn, args, kwargs)
        return self._local_pool().submit(fn, *args, **kwargs)

    def renew(self) -> None:
        """Replace the local worker processes by fresh ones (call it when no task is running).

        A worker keeps the memory its tasks once needed (Python and the C allocator return
        little of it), so after the per-document partitions each idle worker still occupies
        hundreds of MiB.  Fresh workers are forked from this process with its objects frozen
        (:func:`gc.freeze`), so that they share its pages instead of copying them.  The dask
        engine and a single worker are left as they are."""
        if self._pool is None or self._client is not None:
            return
        self.release()
        self._local_pool()

    def release(self) -> None:
        """Shut the local worker processes down until they are needed again (call it when no
        task is running): the next :meth:`map` or :meth:`submit` starts fresh ones, as
        :meth:`renew` does.

        An idle worker costs memory even when fresh: it was forked from this process, and every
        page this process writes to afterwards (freeing or creating objects) stays behind as the
        worker's private copy.  A run releases its workers between the stages that use them.
        The dask engine and a single worker are left as they are."""
        if self._pool is None or self._client is not None:
            return
        self._pool.shutdown(wait=True)
        self._pool = None
        self._released = True

    def _forked_pool(self) -> ProcessPoolExecutor:
        """New local workers, forked from this process with its objects frozen (:func:`gc.freeze`),
        so that they share its pages instead of copying them, after freed heap memory has gone
        back to the system (:func:`analysis.resources.trim_memory`), so that it is not counted
        again in every worker."""
        gc.collect()
        trim_memory()
        gc.freeze()
        try:
            pool = ProcessPoolExecutor(max_workers=self.workers)
            for f in [pool.submit(os.getpid) for _ in range(self.workers)]:
                f.result()  # the workers are forked now, while the objects are frozen
        finally:
            gc.unfreeze()
        return pool

    def _local_pool(self) -> Executor:
        """The local workers (started again after :meth:`release`)."""
        if self._pool is None:
            self._pool = self._forked_pool()
            self._released = False
        return self._pool

    def close(self) -> None:
        """Shut the local worker processes down (waiting for running tasks)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


@contextlib.contextmanager
def session(*, workers: int | None = 1, engine: str = "local", scheduler: str | None = None,
            progress: bool | None = None) -> Iterator[Session]:
    """Open the workers for a run and close them afterwards.

    Parameters
    ----------
    workers
        1: in-process.  N > 1: N local processes, or a LocalCluster of N single-threaded
        workers with the dask engine.  None: :func:`auto_workers` (the machine's cores).
    engine
        ``"local"`` or ``"dask"`` (:mod:`analysis.dask_engine`).
    scheduler
        dask scheduler address (dask engine only; None starts a LocalCluster).
    progress
        Progress bar switch (None: decide from the environment).
    """
    if workers is None:
        workers = auto_workers()
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if engine == "local":
        if workers == 1:
            yield Session(workers=1, progress=progress)
            return
        sess = Session(workers=workers, progress=progress, pool=ProcessPoolExecutor(max_workers=workers))
        try:
            yield sess
        finally:
            sess.close()
        return
    if engine == "dask":
        with dask_engine.client(workers=workers, scheduler=scheduler) as (client, n_workers):
            yield Session(workers=n_workers, engine="dask", progress=progress, client=client)
        return
    raise InputError(f"unknown engine {engine!r} (expected 'local' or 'dask')")
