"""The project's documents name files that exist.

Every path in backticks in a Markdown document of the repository that starts with one of the
project's folders (``analysis/``, ``data/``, ``benchmarks/``, ...) or is a top-level document
(``VALIDITY.md``) must exist in the checkout, read from the top or from the document's own
folder.  This catches references left behind when a file or a section moves (the README's
validity record moved to ``VALIDITY.md``; the speed history to ``benchmarks/README.md``).
Placeholders (``OUT/``, ``corpus_N_SEED``, ``*``), profiler locations (``file.py:120(name)``)
and the few outputs that only an optional command writes are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Folders whose paths the documents name.
FOLDERS = ("analysis/", "data/", "notebooks/", "benchmarks/", "tests/", "figures/", "tables/",
           "requirements/", ".ci/", ".github/")

#: Outputs named by the documents that a default run does not write: ``validate --refit N
#: --out DIR`` and ``adaptation --out DIR`` write the first two into DIR; the benchmark scripts
#: write the last two (ignored by git).
OPTIONAL_OUTPUTS = frozenset({
    "tables/validation_refits.csv",
    "tables/adaptation_curve.csv",
    "benchmarks/out",
    "benchmarks/.cache",
})

_TICKED = re.compile(r"`([^`\s]+)`")
_PLACEHOLDER = re.compile(r"[*{}<>$:]|[A-Z]{2,}[_/.]|_N\b|\bN_|\.\.\.")


def _documents() -> list[Path]:
    """The top-level documents and those inside the project's folders (not ``.venv`` or
    ``build``), without the generated benchmark reports of ``benchmarks/results``."""
    docs = set(ROOT.glob("*.md"))
    for folder in FOLDERS:
        docs.update(p for p in (ROOT / folder).rglob("*.md")
                    if p.relative_to(ROOT).parts[:2] != ("benchmarks", "results"))
    return sorted(docs)


def named_paths(text: str) -> list[str]:
    """The repository paths named in backticks in *text* (placeholders left out; cases in
    :func:`test_named_paths_examples`)."""
    out = []
    for m in _TICKED.finditer(text):
        s = m.group(1).rstrip(".,;)")
        if re.fullmatch(r"[A-Z][A-Z_]*\.md", s):  # a top-level document: README.md, VALIDITY.md
            out.append(s)
        elif s.startswith(FOLDERS) and not _PLACEHOLDER.search(s):
            out.append(s)
    return out


def test_named_paths_examples() -> None:
    text = ("see `analysis/dyads.py`, `OUT/tables/` and `python -m analysis run`; `VALIDITY.md`, "
            "`benchmarks/results/real_10m_amd.{json,md}`, `analysis/segment.py:166(spans)`, `data/coded/`.")
    assert named_paths(text) == ["analysis/dyads.py", "VALIDITY.md", "data/coded/"]


def test_documents_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _documents()}
    assert {"README.md", "VALIDITY.md", "CHANGELOG.md", "benchmarks/README.md", "data/coded/README.md"} <= names


@pytest.mark.parametrize("doc", _documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_named_paths_exist(doc: Path) -> None:
    missing = []
    for s in named_paths(doc.read_text(encoding="utf-8")):
        p = s.rstrip("/")
        if p in OPTIONAL_OUTPUTS:
            continue
        if not ((ROOT / p).exists() or (doc.parent / p).exists()):
            missing.append(s)
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"
