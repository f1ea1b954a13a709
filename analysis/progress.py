"""Progress bars for long stages: notebook-aware, silent in CI, nbval and batch runs.

Bars are shown when *enabled* is True, or when it is None (the default) and the
process is interactive: a terminal on stderr or a live Jupyter kernel, and none of
``CI``, ``PROTOCOL_NEWS_PROGRESS=0`` is set.  ``make run`` and ``make test`` set
``PROTOCOL_NEWS_PROGRESS=0`` so that stored notebook outputs never contain a bar.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.std import tqdm  # not tqdm.auto: in a notebook kernel it warns (to stderr) about ipywidgets

T = TypeVar("T")

__all__ = ["progress_enabled", "progress", "cli_progress"]


def progress_enabled(enabled: bool | None = None) -> bool:
    """Resolve the *enabled* switch (None = decide from the environment)."""
    if enabled is not None:
        return enabled
    if os.environ.get("PROTOCOL_NEWS_PROGRESS", "").strip() == "0" or os.environ.get("CI"):
        return False
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def cli_progress(*, quiet: bool) -> bool:
    """The command line's switch: bars on stderr unless ``--quiet`` or ``PROTOCOL_NEWS_PROGRESS=0``
    (then off even on a terminal).

    Examples
    --------
    >>> cli_progress(quiet=True)
    False
    """
    if quiet or os.environ.get("PROTOCOL_NEWS_PROGRESS", "").strip() == "0":
        return False
    return True


def progress(iterable: Iterable[T], *, desc: str, total: int | None = None, enabled: bool | None = None) -> Iterator[T]:
    """Wrap *iterable* in a text tqdm bar (``tqdm.std``; ``tqdm.auto`` would warn on import in a
    notebook kernel without ipywidgets, and that warning would become a stored notebook output)."""
    if not progress_enabled(enabled):
        yield from iterable
        return
    yield from tqdm(iterable, desc=desc, total=total, leave=False)
