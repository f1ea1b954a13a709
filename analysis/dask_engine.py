"""The ``dask`` engine: run a per-document stage partition-wise on dask.distributed.

Partitions are the same contiguous slices of the articles as the local engine uses
(:func:`analysis.engines.partitions`); results come back in partition order, so the
merged tables are identical to those of the local engine with any number of workers.

Without a scheduler address a :class:`distributed.LocalCluster` is started on the
loopback interface (``n_workers=workers``, one thread per worker process, no dashboard)
and closed afterwards.  With an address (``tcp://HOST:8786``) the work goes to that
cluster; every worker there must be able to import this package (same version).
dask's own log messages are silenced below ERROR during the run.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pandas as pd

from . import engines
from .engines import partitions
from .errors import InputError
from .progress import progress as progress_bar

__all__ = ["map_documents"]

_LOGGERS = ("distributed", "dask", "tornado", "bokeh")


@contextlib.contextmanager
def quiet_logs(level: int = logging.ERROR) -> Iterator[None]:
    """Raise the level of dask's loggers to *level* for the duration of the block."""
    saved = {}
    for name in _LOGGERS:
        lg = logging.getLogger(name)
        saved[name] = lg.level
        lg.setLevel(level)
    try:
        yield
    finally:
        for name, lvl in saved.items():
            logging.getLogger(name).setLevel(lvl)


def map_documents(
    fn: Callable[[pd.DataFrame, Any], Mapping[str, pd.DataFrame]],
    articles: pd.DataFrame,
    context: Any,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> list[Mapping[str, pd.DataFrame]]:
    """Apply *fn(partition, context)* to partitions of *articles* on a dask cluster.

    Parameters
    ----------
    fn
        A module-level (importable, picklable) function of a partition and *context*.
    articles
        The articles table; split into ``max(workers, ceil(len / PARTITION_SIZE))``
        contiguous partitions (``workers`` = the cluster's worker count when a
        *scheduler* is given).
    context
        Corpus-level state; sent to every worker once.
    workers
        Worker processes of the LocalCluster started when *scheduler* is None.
    scheduler
        Address of a running scheduler (e.g. ``"tcp://127.0.0.1:8786"``), or None.
    progress
        Show a progress bar (None: decide from the environment, see :mod:`analysis.progress`).

    Returns
    -------
    list
        ``fn``'s results, one per partition, in partition order.
    """
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise InputError("the dask engine needs the 'distributed' package") from exc

    with quiet_logs(), contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout="30s", set_as_default=False))
            except OSError as exc:
                raise InputError(f"cannot connect to the dask scheduler at {scheduler}: {exc}") from exc
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        else:
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                             dashboard_address=None, silence_logs=logging.ERROR)
            )
            client = stack.enter_context(Client(cluster, set_as_default=False))
            n_workers = workers
        parts = partitions(articles, n_parts=max(n_workers, math.ceil(len(articles) / engines.PARTITION_SIZE)))
        ctx = client.scatter(context, broadcast=True)
        data = client.scatter(parts)
        futures = [client.submit(fn, d, ctx, key=f"documents-{i}-{d.key}") for i, d in enumerate(data)]
        for _ in progress_bar(as_completed(futures, loop=client.loop), desc="documents", total=len(futures), enabled=progress):
            pass
        results = client.gather(futures)
        client.cancel(futures + data + [ctx])
    return list(results)
