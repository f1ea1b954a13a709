"""Paths and defaults in one place.

Every path the package uses is derived here; nothing else in the package builds
paths from ``__file__``.  Paths are resolved lazily by functions so that
importing the package touches nothing on disk.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Directory of the ``analysis`` package.
PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: Data files shipped inside the package (lexicons, gazetteer, stopwords, ...).
PACKAGE_DATA_DIR: Path = PACKAGE_DIR / "data"
#: Root of the project checkout (the package is installed in editable mode).
PROJECT_ROOT: Path = PACKAGE_DIR.parent
#: The bundled sample corpus (folder: the seed article as .txt plus a JSONL sample).
SAMPLE_CORPUS: Path = PROJECT_ROOT / "data" / "sample"
#: Where ``make run`` writes charts and tables (``DIR/figures``, ``DIR/tables``).
DEFAULT_OUT: Path = PROJECT_ROOT
#: The hand-coded sentences that ship with the project, text included (data/coded/README.md):
#: the default gold file of ``validate``, ``make run`` and the notebooks.
CODED_SENTENCES: Path = PROJECT_ROOT / "data" / "coded" / "coded_sentences.jsonl"

#: Seed for every random draw (bootstrap, MinHash permutations, CV folds).
RANDOM_SEED: int = 20240613


def package_data(name: str) -> Path:
    """Path of a data file shipped inside the package (e.g. ``"protocol_lexicon.yml"``)."""
    return PACKAGE_DATA_DIR / name


def relpath(path: str | os.PathLike[str], start: str | os.PathLike[str] | None = None) -> str:
    """A path as shown in outputs: relative to *start* (default: project root), POSIX style.

    Outputs (tables, sidecars, notebook cells) never carry absolute paths, so
    that they are identical on every machine.  Paths outside *start* are shown
    by their file name only.
    """
    p = Path(path).resolve()
    base = Path(start).resolve() if start is not None else PROJECT_ROOT
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        return p.name
