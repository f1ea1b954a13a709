"""Process resources of a run: stage marks for a memory sampler, and returning freed heap
memory to the operating system.

Layer 1: used by :mod:`analysis.pipeline` and by the template stage; imports nothing of the package.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys
import time
from typing import Any

import pyarrow

__all__ = ["STAGE_LOG_ENV", "mark_stage", "trim_memory"]

#: Environment variable naming a file to which :func:`analysis.pipeline.run` appends one line per stage it starts
#: (``<unix time> <stage>``), so that a memory sampler (``benchmarks/memory.py``) can assign its
#: samples to stages.  Unset (default): nothing is written.
STAGE_LOG_ENV = "PROTOCOL_NEWS_STAGE_LOG"


def mark_stage(name: str) -> None:
    """Mark the start of stage *name* in the stage log (see :data:`STAGE_LOG_ENV`); no-op without one."""
    path = os.environ.get(STAGE_LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{time.time():.3f} {name}\n")


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    """glibc (for ``malloc_trim``) or None on other C libraries and systems."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return lib if hasattr(lib, "malloc_trim") else None
    except OSError:
        return None


def trim_memory() -> None:
    """Give freed heap memory back to the operating system: Arrow's memory pool
    (:meth:`pyarrow.MemoryPool.release_unused`; pandas keeps text columns in Arrow arrays) and
    glibc's heap (``malloc_trim(0)``; no-op on other C libraries).  Called after stages that free
    large temporaries: both allocators otherwise keep the pages, and the process's resident size
    stays at its peak.  Loading a 66 MiB JSONL corpus, for example, leaves about 160 MiB of
    freed pages in Arrow's pool."""
    pyarrow.default_memory_pool().release_unused()
    lib = _libc()
    if lib is not None:
        lib.malloc_trim(0)
