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
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import InputError
from .workprogress import n_articles, progress_articles

__all__ = ["client", "map_items"]

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


@contextlib.contextmanager
def client(*, workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[Any, int]]:
    """A dask.distributed client for a run: ``(client, number of workers)``.

    Parameters
    ----------
    workers
        Worker processes of the LocalCluster started when *scheduler* is None (one thread
        each, loopback interface, no dashboard); closed on exit.
    scheduler
        Address of a running scheduler (e.g. ``"tcp://127.0.0.1:8786"``), or None.
    """
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise InputError("the dask engine needs the 'distributed' package") from exc

    with quiet_logs(), contextlib.ExitStack() as stack:
        if scheduler:
            try:
                c = stack.enter_context(Client(scheduler, timeout="30s", set_as_default=False))
            except OSError as exc:
                raise InputError(f"cannot connect to the dask scheduler at {scheduler}: {exc}") from exc
            n_workers = max(1, len(c.scheduler_info().get("workers", {})))
        else:
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                             dashboard_address=None, silence_logs=logging.ERROR)
            )
            c = stack.enter_context(Client(cluster, set_as_default=False))
            n_workers = workers
        yield c, n_workers


def map_items(c: Any, fn: Callable[[Any, Any], Any], items: Sequence[Any], context: Any, *,
              desc: str = "documents", progress: bool | None = None) -> list[Any]:
    """``[fn(item, context) for item in items]`` on the cluster of client *c*, in *items* order.

    *context* is scattered to every worker once; the items are scattered as separate pieces.
    """
    from distributed import as_completed

    if not items:
        return []
    # hash=False: keys unique to this call.  With content-hashed keys, a later call scattering the
    # same items or context (the two cleaning passes do) got the keys this call cancels at its end,
    # and its tasks failed with "lost dependencies" when the cancellation arrived after the scatter.
    ctx = c.scatter(context, broadcast=True, hash=False)
    data = c.scatter(list(items), hash=False)
    futures = [c.submit(fn, d, ctx, key=f"{desc}-{i}-{d.key}") for i, d in enumerate(data)]
    # progress counted in articles: each finished partition adds its articles
    weight = {f.key: n_articles(x) for f, x in zip(futures, items)}
    for _ in progress_articles(((f, weight[f.key]) for f in as_completed(futures, loop=c.loop)), None, desc=desc,
                               total=sum(weight.values()), enabled=progress):
        pass
    results = c.gather(futures)
    c.cancel(futures + data + [ctx])
    return list(results)
